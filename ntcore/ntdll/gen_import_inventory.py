#!/usr/bin/env python3
"""Lists what the Windows DLLs ireactor loads over its ntdll (Wine's PE builds of kernelbase,
kernel32, msvcrt and ucrtbase) import from ntdll.dll or forward to it, one name per line: every
one of them must be an export of our ntdll.dll (ntdll.imports checks it).

Usage: gen_import_inventory.py --dll-dir DIR --out FILE DLL...
A DLL missing from DIR is reported and left out (the list is then incomplete, and says so).
"""

import argparse
import pathlib
import sys

from pe_symbols import PeFile


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dll-dir", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("dlls", nargs="+")
    args = ap.parse_args()
    names = set()
    lines = [f"# What {', '.join(args.dlls)} in {args.dll_dir} import from ntdll.dll or forward to it."]
    for dll in args.dlls:
        path = pathlib.Path(args.dll_dir) / dll
        if not path.exists():
            print(f"gen_import_inventory: {path} is missing (install Debian's wine64)",
                  file=sys.stderr)
            lines.append(f"# missing: {path}")
            continue
        pe = PeFile(path)
        names |= pe.imports().get("ntdll.dll", set()) | pe.forwarders().get("ntdll.dll", set())
    text = "\n".join(lines + sorted(names)) + "\n"
    out = pathlib.Path(args.out)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
