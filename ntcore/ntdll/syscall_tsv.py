"""Reads ntcore/ntdll/syscalls/<build>.tsv (written by scripts/import-syscalls): the NT system
call numbering of one Windows build, lines `NtName<TAB>0xNNNN`, `#` comments."""

import pathlib
import re

_NAME = re.compile(r"^Nt[A-Za-z0-9_]+$")


def build_of(path):
    """The Windows build a table file describes: its name without .tsv ("10.0.19045")."""
    return pathlib.Path(path).name[: -len(".tsv")]


def read_tsv(path):
    """[(name, number)] sorted by number; refuses malformed lines and duplicates."""
    services = []
    for lineno, line in enumerate(pathlib.Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not _NAME.match(fields[0]):
            raise SystemExit(f"{path}:{lineno}: expected NtName<TAB>0xNNNN")
        services.append((fields[0], int(fields[1], 16)))
    services.sort(key=lambda s: s[1])
    names = [n for n, _ in services]
    numbers = [n for _, n in services]
    if len(set(names)) != len(names) or len(set(numbers)) != len(numbers):
        raise SystemExit(f"{path}: duplicate service name or number")
    return services
