#!/usr/bin/env python3
"""Writes the system call stubs of our ntdll.dll for one Windows build: a GNU as source with a
Windows-shaped stub per service (exported as NtX and ZwX) and the .def file listing the exports.

Usage: gen_ntdll_stubs.py TABLE.tsv --asm OUT.S --def OUT.def [--extra-exports FILE.def]...
         [--imports INVENTORY --defined-in OBJ... --nm NM --pending-list OUT.txt]

With --imports (gen_import_inventory.py's list of what the Windows DLLs import from ntdll), every
name of it that neither this build's system calls nor the objects given with --defined-in (the
DLL's C sources, read with NM) provide gets a *pending* stub: it reports the call on standard
error and ends the process with STATUS_NOT_IMPLEMENTED, so those DLLs load while ntdll grows.
The pending names are written to --pending-list; ntdll.imports holds them to the checked-in list.
"""

import argparse
import pathlib
import subprocess

from syscall_tsv import build_of, read_tsv

# Addresses in the gate page (ntcore/include/ireactor/entry.h). Below 2 GiB, so the stubs use
# absolute disp32 operands and need no relocations.
GATE_POINTER = 0x7FFE1000
GATE_FLAG = 0x7FFE1008

# Same shape as Windows' stubs (mov r10,rcx; mov eax,N; test [flag]; syscall; ret), the
# `int 2e` alternative replaced by a call through the runtime's gate pointer. At the gate:
# eax = number, args in r10/rdx/r8/r9, [rsp] = return into the stub, [rsp+8] = return into
# the caller, the fifth argument at rsp+0x30.
STUB = """\
        .p2align 4
        .globl  {name}, Zw{short}
        .def    {name}; .scl 2; .type 32; .endef
        .def    Zw{short}; .scl 2; .type 32; .endef
{name}:
Zw{short}:
        movq    %rcx, %r10
        movl    ${number:#06x}, %eax
        testb   $1, {flag:#x}
        jnz     1f
        syscall
        ret
1:      call    *{gate:#x}
        ret
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("table", help="ntcore/ntdll/syscalls/<build>.tsv")
    ap.add_argument("--asm", required=True, help="output assembly file")
    ap.add_argument("--def", dest="deffile", required=True, help="output .def file")
    ap.add_argument("--extra-exports", action="append", default=[],
                    help=".def lines (one export each) for exports not generated here")
    ap.add_argument("--imports", help="gen_import_inventory.py's list")
    ap.add_argument("--defined-in", nargs="*", default=[], help="objects with real exports")
    ap.add_argument("--nm", default="x86_64-w64-mingw32-nm")
    ap.add_argument("--pending-list", help="output: the names given pending stubs")
    args = ap.parse_args()

    build = build_of(args.table)
    services = read_tsv(args.table)
    pending = pending_names(args, {name for name, _ in services}) if args.imports else []

    asm = [f"# ntdll system call stubs for Windows {build}, generated from {pathlib.Path(args.table).name}",
           "# by gen_ntdll_stubs.py. Do not edit.", "        .text"]
    for name, number in services:
        asm.append(STUB.format(name=name, short=name[2:], number=number, flag=GATE_FLAG,
                               gate=GATE_POINTER))
    for name in pending:
        asm.append(PENDING_STUB.format(name=name))
    write_if_changed(args.asm, "\n".join(asm))
    if args.pending_list:
        write_if_changed(args.pending_list, "".join(n + "\n" for n in pending))

    exports = [f"LIBRARY ntdll.dll", "EXPORTS"]
    exports += [name for name, _ in services]
    exports += ["Zw" + name[2:] for name, _ in services]
    for extra in args.extra_exports:
        for line in pathlib.Path(extra).read_text(encoding="utf-8").splitlines():
            line = line.split(";", 1)[0].strip()
            if line:
                exports.append(line)
    exports += pending
    write_if_changed(args.deffile, "\n".join(exports) + "\n")


# A pending export: ir_pending_export (rtl/pending_export.c) gets the name and never returns.
PENDING_STUB = """\
        .section .rdata, "dr"
.Lname_{name}:
        .asciz  "{name}"
        .text
        .p2align 4
        .globl  {name}
        .def    {name}; .scl 2; .type 32; .endef
{name}:
        leaq    .Lname_{name}(%rip), %rcx
        jmp     ir_pending_export
"""


def pending_names(args, syscalls):
    """Imported names nothing else provides, sorted."""
    wanted = set()
    for line in pathlib.Path(args.imports).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            wanted.add(line)
    defined = set()
    for obj in args.defined_in:
        out = subprocess.run([args.nm, "--defined-only", "--extern-only", obj], check=True,
                             capture_output=True, text=True).stdout
        defined |= {fields[2] for fields in map(str.split, out.splitlines()) if len(fields) == 3}
    return sorted(wanted - syscalls - {"Zw" + n[2:] for n in syscalls} - defined)


def write_if_changed(path, text):
    """Leaves an identical file untouched so its dependents are not rebuilt."""
    p = pathlib.Path(path)
    if not p.exists() or p.read_text(encoding="utf-8") != text:
        p.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
