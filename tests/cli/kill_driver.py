"""Run ``spinesim`` with the folder swap slowed down, announced, and optionally killed at a named step.

The fault injection of the kill tests (in the spirit of
``strace -f -e inject=rename,renameat,renameat2:delay_exit=400000``, in Python so that it needs no
strace): every rename of the replacement step sleeps ``delay`` seconds before and after, and each
step is appended to the ``marks`` file (``STEP:N UNIX_TIME`` per line, unbuffered), so the test
knows when the replacement step runs and where a kill landed. ``die_at="STEP:N"`` kills the
process with SIGKILL at that step; ``no_exchange`` makes ``renameat2`` unavailable (the
aside-then-in fallback).

:func:`install` patches the current process (the tests call it in a forked child that then runs
``spinesim``).
"""

from __future__ import annotations

import errno
import os
import signal
import time
from typing import Any

import simulator.output.folder as folder


def install(marks_path: str, delay: float = 0.0, die_at: str | None = None, no_exchange: bool = False) -> None:
    """Slow down and announce every step of the replacement in this process."""
    marks = os.open(marks_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    counts: dict[str, int] = {}

    def mark(step: str) -> None:
        counts[step] = counts.get(step, 0) + 1
        label = f"{step}:{counts[step]}"
        os.write(marks, f"{label} {time.time():.6f}\n".encode())
        if die_at == label:
            os.kill(os.getpid(), signal.SIGKILL)

    def slowed(name: str, real: Any) -> Any:
        def call(*args: Any) -> Any:
            mark(f"{name}:before")
            time.sleep(delay)
            result = real(*args)
            mark(f"{name}:after")
            time.sleep(delay)
            return result
        return call

    def announced(name: str, real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            mark(name)
            return real(*args, **kwargs)
        return call

    exchange = folder.rename_exchange
    if no_exchange:
        def exchange(a: Any, b: Any) -> None:
            raise OSError(errno.ENOSYS, "renameat2 disabled by the kill driver", str(a))
    folder.rename_exchange = slowed("exchange", exchange)
    folder.os.rename = slowed("rename", os.rename)  # the module's os is the os module: the whole process
    folder.Staging.commit = announced("commit", folder.Staging.commit)
    folder._carry = announced("carry", folder._carry)
    folder._sync_tree = announced("sync", folder._sync_tree)
    folder.Staging.close = announced("close", folder.Staging.close)
    mark("start")
