"""Results by key: a disk cache shared by the server and its background processes.

Keys come back from the browser, so they are checked against their shape before any lookup; the
values are immutable results of a request (same request, same key, same result).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import diskcache

_KEY = re.compile(r"^[0-9a-f]{24}$")


def make_key(payload: Any) -> str:
    """A 24-hex-digit key: the SHA-256 of the payload as sorted JSON."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def valid_key(key: Any) -> bool:
    """Whether ``key`` has the shape of a result key (keys come back from the browser)."""
    return isinstance(key, str) and bool(_KEY.match(key))


class ResultStore:
    """Results by key: a disk cache shared by processes, plus a few recently used in memory."""

    def __init__(self, directory: Path, size_limit: int, in_memory: int = 3):
        self.directory = Path(directory)
        self._disk = diskcache.Cache(str(self.directory / "results"), size_limit=size_limit)
        self._memory: OrderedDict[str, Any] = OrderedDict()
        self._in_memory = in_memory
        self._lock = threading.Lock()

    def __contains__(self, key: str) -> bool:
        """Whether a result is stored under ``key``."""
        with self._lock:
            if key in self._memory:
                return True
        return valid_key(key) and key in self._disk

    def get(self, key: str | None) -> Any | None:
        """The stored value, or None (for an unknown or malformed key)."""
        if not valid_key(key):
            return None
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                return self._memory[key]
        value = self._disk.get(key, retry=True)
        if value is not None:
            self._remember(key, value)
        return value

    def put(self, key: str, value: Any) -> None:
        """Store a value under ``key`` (on disk and in memory)."""
        self._disk.set(key, value, retry=True)
        self._remember(key, value)

    def file(self, key: str, name: str, write: Callable[[Path], Any]) -> bytes:
        """The bytes of file ``name`` that ``write(folder)`` produces for result ``key``, kept in the cache.

        Written files live in the disk cache beside the results, so they count against its size
        limit (no folder of exports grows on its own); the folder they were written to is removed.
        """
        if not valid_key(key):
            raise KeyError(key)
        cached = self._disk.get(f"file:{key}:{name}", retry=True)
        if cached is not None:
            return bytes(cached)
        scratch = self.directory / "scratch"
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch) as tmp:
            folder = Path(tmp) / "out"
            write(folder)
            files = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
        for file_name, data in files.items():
            self._disk.set(f"file:{key}:{file_name}", data, retry=True)
        if name not in files:
            raise KeyError(name)
        return files[name]

    def _remember(self, key: str, value: Any) -> None:
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self._in_memory:
                self._memory.popitem(last=False)
