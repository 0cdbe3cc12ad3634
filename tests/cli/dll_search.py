#!/usr/bin/env python3
"""DLL search through `ireactor run`: the program's directory before system32 (--system32),
system32's DLLs named C:\\Windows\\System32\\..., a DLL found nowhere is STATUS_DLL_NOT_FOUND
naming it, and ntdll.dll is always ireactor's own.

Usage: dll_search.py IREACTOR LOADER_TEST_EXE TEST_DLL PROBE_EXE SCRATCH_DIR
LOADER_TEST_EXE is ntdll_rtl_loader.exe (its `search=NAME` mode loads NAME and prints where
from), TEST_DLL ir_ldrtest.dll, PROBE_EXE tests/pe/loader's ldrtest_probe.exe (it imports
ldrtest_lib.dll).
"""
import os
import shutil
import subprocess
import sys

ireactor, loader_exe, test_dll, probe_exe, scratch = sys.argv[1:6]
shutil.rmtree(scratch, ignore_errors=True)
app, sys32 = os.path.join(scratch, "app"), os.path.join(scratch, "sys32")
os.makedirs(app)
os.makedirs(sys32)
env = dict(os.environ, XDG_DATA_HOME=os.path.join(scratch, "data"))
failures = passed = 0


def run(exe, *args, system32=sys32):
    cmd = [ireactor, "run", "--system32", system32, exe, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def expect(label, p, status, out_has=(), err_has=()):
    global failures, passed
    problems = []
    if p.returncode != status:
        problems.append(f"exit status {p.returncode}, want {status}")
    problems += [f"stdout lacks {s!r}" for s in out_has if s not in p.stdout]
    problems += [f"stderr lacks {s!r}" for s in err_has if s not in p.stderr]
    if problems:
        failures += 1
        print(f"FAIL {label}: {'; '.join(problems)}\n  stdout: {p.stdout!r}\n  stderr: {p.stderr!r}")
    else:
        passed += 1
        print(f"ok {label}")


exe = os.path.join(app, "ldr.exe")
shutil.copy(loader_exe, exe)
shutil.copy(test_dll, os.path.join(sys32, "ir_ldrtest.dll"))

# Only in system32: found there, named as Windows names it.
expect("system32", run(exe, "search=ir_ldrtest.dll"), 0,
       out_has=["loaded from C:\\Windows\\System32\\ir_ldrtest.dll"])
# Next to the program as well: the program's directory wins (the program's drive is Z:).
shutil.copy(test_dll, os.path.join(app, "IR_LDRTEST.DLL"))
expect("application directory first", run(exe, "search=ir_ldrtest.dll"), 0,
       out_has=["loaded from Z:\\IR_LDRTEST.DLL"])
# Nowhere: STATUS_DLL_NOT_FOUND (0xc0000135).
os.remove(os.path.join(app, "IR_LDRTEST.DLL"))
expect("no system32", run(exe, "search=ir_ldrtest.dll", system32=""), 0,
       out_has=["load failed: 0xc0000135"])
# A DLL named ntdll.dll next to the program is not ours: it is never loaded.
shutil.copy(test_dll, os.path.join(app, "ntdll.dll"))
expect("ntdll.dll is ours", run(exe, "search=ir_ldrtest.dll"), 0,
       out_has=["loaded from C:\\Windows\\System32\\ir_ldrtest.dll"])
# A missing static import stops the start, naming the DLL and the status.
probe = os.path.join(app, "ldrtest_probe.exe")
shutil.copy(probe_exe, probe)
expect("missing import", run(probe), 1,
       err_has=["ldrtest_lib.dll was not found", "STATUS_DLL_NOT_FOUND", "ldrtest_probe.exe"])
# --system32 naming something that is not a directory is an error.
expect("bad --system32", run(exe, system32=os.path.join(scratch, "nope")), 1,
       err_has=["--system32"])

print(f"{passed} passed, {failures} failed")
sys.exit(1 if failures else 0)
