#!/usr/bin/env python3
"""ntdll.imports: every name Wine's kernelbase/kernel32/msvcrt/ucrtbase import from ntdll.dll
(or forward to it) is exported by each build's ntdll.dll, and the ones exported only as pending
stubs are exactly those ntcore/ntdll/pending_exports.txt lists.

Usage: check_imports.py --inventory wine_dll_imports.txt --expected pending_exports.txt
                        (--build NTDLL.dll PENDING.txt)...
Exits 77 (skipped) when the inventory lists a DLL as missing: Wine's DLLs are not installed.
With --write-expected, rewrites the expected list from the first build's pending names instead
(keeping its comment lines): for after implementing some.
"""

import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "ntcore" / "ntdll"))
from pe_symbols import PeFile  # noqa: E402


def names(path):
    lines = pathlib.Path(path).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--expected", required=True)
    ap.add_argument("--build", nargs=2, action="append", required=True,
                    metavar=("NTDLL", "PENDING"))
    ap.add_argument("--write-expected", action="store_true")
    args = ap.parse_args()
    if args.write_expected:
        expected = pathlib.Path(args.expected)
        header = [l for l in expected.read_text(encoding="utf-8").splitlines() if l.startswith("#")]
        pending = sorted(names(args.build[0][1]))
        expected.write_text("\n".join(header + pending) + "\n", encoding="utf-8")
        print(f"{expected}: {len(pending)} pending names")
        return 0

    inventory_text = pathlib.Path(args.inventory).read_text(encoding="utf-8")
    if "# missing:" in inventory_text:
        print("SKIP: Wine's PE DLLs are not installed (scripts/setup installs wine64):")
        print("\n".join(l for l in inventory_text.splitlines() if l.startswith("# missing:")))
        return 77
    wanted = names(args.inventory)
    expected = names(args.expected)
    failed = False
    for dll, pending_list in args.build:
        exported = PeFile(dll).exports()
        pending = names(pending_list)
        missing = sorted(wanted - exported)
        newly_pending = sorted(pending - expected)
        implemented = sorted(expected - pending)
        print(f"{dll}: {len(wanted)} names imported, {len(wanted) - len(pending)} implemented, "
              f"{len(pending)} pending")
        if missing:
            failed = True
            print(f"  FAIL: not exported at all: {' '.join(missing)}")
        if newly_pending:
            failed = True
            print(f"  FAIL: pending but not in {args.expected} (implement them, or list them): "
                  f"{' '.join(newly_pending)}")
        if implemented:
            failed = True
            print(f"  FAIL: implemented now, strike them off {args.expected}: "
                  f"{' '.join(implemented)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
