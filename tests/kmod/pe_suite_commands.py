#!/usr/bin/env python3
"""Host side of kmod.pe_suite: writes the tests/pe runs to repeat through `--entry kmod`.

Usage: pe_suite_commands.py --build-dir DIR --out FILE -- COMMAND...

Asks ctest for the commands of the tests/pe programs' fast-gate runs (pe.NAME.gate and their
per-build and high-bits variants; the hostile programs have runners of their own and need the
guard), stores them as JSON in FILE (a host path the guest can read), then runs COMMAND (the
run-in-guest invocation) and exits with its status.
"""

import argparse
import json
import os
import re
import subprocess
import sys

# pe.<program>.gate, pe.<program>.gate.22621, pe.exit_terminate.gate.high_bits...
GATE_RUN = re.compile(r"^pe\.(?!hostile\.)[^.]+\.gate(\.[0-9a-z_]+)?$")


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--build-dir", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        p.error("no command given")
    shown = subprocess.run(["ctest", "--show-only=json-v1"], cwd=a.build_dir, check=True,
                           capture_output=True, text=True).stdout
    runs = []
    for t in json.loads(shown)["tests"]:
        if not GATE_RUN.match(t["name"]):
            continue
        props = {x["name"]: x["value"] for x in t.get("properties", [])}
        runs.append({"name": t["name"], "command": t["command"],
                     "cwd": props.get("WORKING_DIRECTORY", a.build_dir)})
    if not runs:
        print("FAIL: ctest lists no pe.*.gate runs in " + a.build_dir)
        return 1
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(runs, f, indent=1)
    sys.stdout.flush()
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
