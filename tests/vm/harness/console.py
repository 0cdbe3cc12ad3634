"""Splits the job's serial stream into the job's own bytes and the init's final marker."""

import re

MARKER_START = b"\n@@IREACTOR_VM_"
MARKER = re.compile(rb"\n@@IREACTOR_VM_(EXIT=(\d+)|INIT_FAILED)@@\n")


class JobStream:
    """Feed it the guest's ttyS1 bytes; it returns what belongs to the job, byte for byte.

    The init prints "\\n@@IREACTOR_VM_EXIT=<n>@@\\n" after the job, so the newline that precedes
    the marker is the init's, not the job's; bytes that might begin a marker are held back until
    the next feed decides."""

    def __init__(self):
        self.pending = b""
        self.status = None  # the job's exit status once the marker came
        self.init_failed = False
        self.done = False

    def feed(self, data):
        if self.done:
            return b""
        buf = self.pending + data
        self.pending = b""
        out, pos = [], 0
        while True:
            start = buf.find(MARKER_START, pos)
            if start < 0:
                keep = _prefix_overlap(buf[pos:], MARKER_START)
                out.append(buf[pos:len(buf) - keep])
                self.pending = buf[len(buf) - keep:]
                break
            out.append(buf[pos:start])
            match = MARKER.match(buf, start)
            if match:
                self.done = True
                if match.group(2) is not None:
                    self.status = int(match.group(2))
                else:
                    self.init_failed = True
                break
            if buf.find(b"@@\n", start + len(MARKER_START)) < 0 and len(buf) - start < 64:
                self.pending = buf[start:]  # maybe a marker still arriving
                break
            # Looked like a marker but is not one (the job printed it): it is the job's.
            out.append(buf[start:start + 1])
            pos = start + 1
        return b"".join(out)

    def flush(self):
        rest, self.pending = self.pending, b""
        return rest


def _prefix_overlap(buf, marker):
    """Length of the longest suffix of buf that is a proper prefix of marker."""
    for n in range(min(len(buf), len(marker) - 1), 0, -1):
        if buf.endswith(marker[:n]):
            return n
    return 0
