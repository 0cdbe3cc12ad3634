"""Reads the import and export names of PE32+ files (what the ntdll build and its import check
need to know of Windows DLLs and of our own ntdll.dll): a small reader of the two directories."""

import struct


class PeFile:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:2] != b"MZ":
            raise ValueError(f"{path}: not a PE file")
        pe = struct.unpack_from("<I", d, 0x3C)[0]
        if d[pe:pe + 4] != b"PE\0\0":
            raise ValueError(f"{path}: no PE signature")
        nsections, = struct.unpack_from("<H", d, pe + 6)
        opt_size, = struct.unpack_from("<H", d, pe + 20)
        opt = pe + 24
        if struct.unpack_from("<H", d, opt)[0] != 0x20B:
            raise ValueError(f"{path}: not PE32+")
        self.directories = [struct.unpack_from("<II", d, opt + 112 + 8 * i) for i in range(16)]
        self.sections = []
        for i in range(nsections):
            s = opt + opt_size + 40 * i
            vsize, va, rawsize, rawptr = struct.unpack_from("<IIII", d, s + 8)
            self.sections.append((va, max(vsize, rawsize), rawptr))

    def offset(self, rva):
        for va, size, raw in self.sections:
            if va <= rva < va + size:
                return rva - va + raw
        raise ValueError(f"RVA {rva:#x} is in no section")

    def cstring(self, rva):
        o = self.offset(rva)
        return self.data[o:self.data.index(b"\0", o)].decode("ascii")

    def exports(self):
        """Names this image exports."""
        rva, size = self.directories[0]
        if not rva:
            return set()
        o = self.offset(rva)
        nnames, = struct.unpack_from("<I", self.data, o + 24)
        names_rva, = struct.unpack_from("<I", self.data, o + 32)
        names = self.offset(names_rva)
        return {self.cstring(struct.unpack_from("<I", self.data, names + 4 * i)[0])
                for i in range(nnames)}

    def forwarders(self):
        """{dll name (lower case): set of names} this image's exports forward to ("NTDLL.RtlSizeHeap")."""
        rva, size = self.directories[0]
        result = {}
        if not rva:
            return result
        o = self.offset(rva)
        nfunctions, = struct.unpack_from("<I", self.data, o + 20)
        functions = self.offset(struct.unpack_from("<I", self.data, o + 28)[0])
        for i in range(nfunctions):
            target, = struct.unpack_from("<I", self.data, functions + 4 * i)
            if rva <= target < rva + size:  # inside the directory: a forwarder string
                dll, _, name = self.cstring(target).partition(".")
                if not name.startswith("#"):
                    result.setdefault(dll.lower() + ".dll", set()).add(name)
        return result

    def imports(self):
        """{dll name (lower case): set of names imported by name}; ordinals are left out."""
        rva, _ = self.directories[1]
        result = {}
        if not rva:
            return result
        o = self.offset(rva)
        while True:
            lookup, _, _, name_rva, iat = struct.unpack_from("<IIIII", self.data, o)
            if not name_rva:
                break
            names = result.setdefault(self.cstring(name_rva).lower(), set())
            thunk = self.offset(lookup or iat)
            while True:
                entry, = struct.unpack_from("<Q", self.data, thunk)
                if not entry:
                    break
                if not entry >> 63:
                    names.add(self.cstring((entry & 0x7FFFFFFF) + 2))  # skip the hint
                thunk += 8
            o += 20
        return result
