"""Reading input files with a limit: regular files only, never more than a stated number of bytes.

Scenario files (and anything they ``extends``) are read through :func:`read_bounded`, so a FIFO,
``/dev/zero`` or a huge file gets one message instead of a hang or an unbounded read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

MAX_FILE_BYTES = 1_000_000  # a scenario file is a regular file of at most this size


class UnreadableFile(Exception):
    """A path that is not a regular file of at most the size limit (the message says which)."""


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read with that limit.

    A FIFO is opened without waiting for a writer and refused, as are devices (``/dev/zero``) and
    folders, so nothing hangs or reads without end.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = ("a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket")
            raise UnreadableFile(f"is {kind}, not a regular file (scenario files are TOML files of at most "
                                 f"{limit:,} bytes)")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnreadableFile(f"is larger than {limit:,} bytes, the limit for a scenario file")
        return b"".join(chunks)
    finally:
        os.close(fd)
