"""Output folders that change in one step: a reader sees the previous complete output or the new one.

Writers put their files into a *staging folder* beside the target (``.NAME.spinesim-staging-*``);
:meth:`Staging.commit` writes ``manifest.json`` with every file's SHA-256, carries over the files
in the target that spinesim did not write (hard links, else copies), and swaps the staging folder
in with one ``renameat2(RENAME_EXCHANGE)`` call. Where the kernel or file system lacks that call,
the previous folder is renamed aside (``.NAME.spinesim-old-*``) and the new one renamed in; if the
process dies between those two renames, the next :func:`recover` (run by every
:func:`staged_output`) puts the previous folder back.

Spinesim's files in the previous folder are those its ``manifest.json`` lists (and the manifest):
they are all replaced, so a CSV-only output over a folder that held Parquet leaves no Parquet.

Each staging (and aside) folder is locked with ``flock`` while its process lives. A folder whose
lock can be taken belongs to a process that died, and :func:`recover` removes it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import stat
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
STAGING_TAG = "spinesim-staging"
ASIDE_TAG = "spinesim-old"
LEGACY_PREFIX = ".spinesim-"  # staging folders that versions up to 0.1.0 made inside the target
SHOWN_NAMES = 5  # a note lists at most this many file names

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


class OutputError(OSError):
    """The output folder cannot be used (not writable, or not empty without overwrite)."""


def check_output_dir(out_dir: Path | str, overwrite: bool) -> None:
    """Refuse a folder that is a file, holds files (unless ``overwrite``) or cannot be swapped in."""
    if not str(out_dir).strip():
        raise OutputError("--out is empty: name an output folder")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out {out_dir}: is a file, not a folder")
    real = Path(os.path.realpath(out_dir))
    if not out_dir.exists():
        parent = _existing_parent(real)
        if not parent.is_dir():
            raise OutputError(f"--out {out_dir}: cannot be created ({parent} is a file, not a folder)")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"--out {out_dir}: folder is not writable ({parent})")
        return
    if _contents(real) and not overwrite:
        raise OutputError(f"--out {out_dir}: folder is not empty (use --overwrite to replace its spinesim files)")
    if Path.cwd().resolve().is_relative_to(real):
        raise OutputError(f"--out {out_dir}: is the current folder or holds it; spinesim replaces the output "
                          "folder as a whole, so name a folder below or beside it")
    for folder in (real, real.parent):
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"--out {out_dir}: folder is not writable ({folder}; the new output is staged "
                              "beside the output folder and swapped in)")


def _existing_parent(path: Path) -> Path:
    for parent in path.absolute().parents:
        if parent.exists():
            return parent
    return Path("/")


def _contents(folder: Path) -> list[str]:
    """Names in ``folder``, leaving out staging folders that old versions left inside it."""
    return sorted(p.name for p in folder.iterdir() if not (p.name.startswith(LEGACY_PREFIX) and p.is_dir()))


@dataclass(frozen=True)
class Committed(Mapping[str, Path]):
    """What a commit put in place: the new files by name, and what it removed and kept."""

    folder: Path
    files: dict[str, Path]  # the new output's files, manifest.json included
    removed: tuple[str, ...]  # files of the previous output that the new output does not have
    kept: tuple[str, ...]  # names in the previous folder that spinesim did not write, carried over

    def __getitem__(self, name: str) -> Path:
        return self.files[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def note(self) -> str:
        """One line for the terminal: what was written, removed and kept."""
        parts = [f"wrote {_count(len(self.files), 'file')} to {self.folder}"]
        if self.removed:
            parts.append(f"removed {_count(len(self.removed), 'file')} of the previous output "
                         f"({_names(self.removed)})")
        if self.kept:
            parts.append(f"kept {_count(len(self.kept), 'file')} spinesim did not write ({_names(self.kept)})")
        return "; ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _names(names: tuple[str, ...]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")


class Staging:
    """A staging folder beside ``target``: write files into :attr:`path`, then :meth:`commit`."""

    def __init__(self, target: Path, shown: Path):
        self.target, self.shown = target, shown
        self.path, self._lock = _locked_sibling(target, STAGING_TAG)
        self._inode = os.fstat(self._lock).st_ino
        self.committed: Committed | None = None
        self._closed = False

    def commit(self, manifest: dict[str, Any]) -> Committed:
        """Write ``manifest.json`` (with every staged file's SHA-256 and size) and swap the folder in."""
        if self.committed is not None:
            raise RuntimeError(f"{self.shown} was already committed")
        files = sorted(_staged_files(self.path))
        full = dict(manifest)
        full["files"] = {name: {"sha256": sha256(self.path / name), "bytes": (self.path / name).stat().st_size}
                         for name in files}
        (self.path / MANIFEST).write_text(json.dumps(full, indent=2, sort_keys=True, default=str) + "\n")
        new = {*files, MANIFEST}
        removed, kept = _previous(self.target, new)
        for name in kept:
            _carry(self.target / name, self.path / name)
        if self.target.is_dir():
            os.chmod(self.path, stat.S_IMODE(self.target.stat().st_mode))
        _sync_tree(self.path)
        _swap(self.path, self.target)
        self.committed = Committed(self.shown, {n: self.shown / n for n in sorted(new)}, removed, kept)
        _fsync_dir(self.target.parent)
        return self.committed

    def in_place(self) -> bool:
        """Whether the target folder is now this staging folder (the swap happened)."""
        try:
            return os.stat(self.target).st_ino == self._inode
        except OSError:
            return False

    def outcome(self) -> str:
        """What a reader of the target sees now, for a message after an error or Ctrl-C."""
        if self.in_place():
            return f"the new output in {self.shown} is complete"
        return f"nothing in {self.shown} was changed"

    def close(self) -> None:
        """Remove the staging folder (after a swap it holds the previous output) and release its lock."""
        if self._closed:
            return
        self._closed = True
        try:
            shutil.rmtree(self.path, ignore_errors=True)
        finally:
            os.close(self._lock)


@contextmanager
def staged_output(out_dir: Path | str, overwrite: bool = False) -> Iterator[Staging]:
    """A staging folder for ``out_dir``; the target changes only in :meth:`Staging.commit`.

    On any exception (Ctrl-C included) the staging folder is removed, and the exception gets a
    note (``exc.__notes__``) saying what a reader of ``out_dir`` now sees.
    """
    shown = Path(out_dir)
    check_output_dir(shown, overwrite)
    target = Path(os.path.realpath(shown))
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Staging(target, shown)
    try:
        yield staging
    except BaseException as exc:
        _add_outcome(exc, staging)
        raise
    finally:
        try:
            staging.close()
        except BaseException as exc:  # a second Ctrl-C while cleaning up
            _add_outcome(exc, staging)
            raise


def _add_outcome(exc: BaseException, staging: Staging) -> None:
    """Note on ``exc`` what a reader of this staging's folder sees now (once per folder)."""
    note = staging.outcome()
    if note not in getattr(exc, "__notes__", []):
        exc.add_note(note)


def recover(out_dir: Path | str) -> None:
    """Clean up after a process that died while writing ``out_dir``.

    Removes its stale staging folders; if it died between moving the previous folder aside and
    moving the new one in, moves the previous one back. Folders of living processes are left alone.
    """
    target = Path(os.path.realpath(out_dir))
    if not target.parent.is_dir():
        return
    stale = [p for p in target.parent.glob(f".{target.name}.spinesim-*") if _is_stale(p)]
    asides = sorted((p for p in stale if p.name.startswith(f".{target.name}.{ASIDE_TAG}-")),
                    key=lambda p: p.stat().st_mtime)
    if asides and not target.exists():
        previous = asides.pop()
        stale.remove(previous)
        try:
            os.rename(previous, target)
        except OSError:  # another process put a folder there meanwhile: keep both
            return
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    if target.is_dir():
        for path in target.glob(f"{LEGACY_PREFIX}*"):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sibling(target: Path, tag: str) -> Path:
    return target.parent / f".{target.name}.{tag}-{secrets.token_hex(6)}"


def _lock(folder: Path) -> int:
    """An open descriptor of ``folder`` holding its exclusive ``flock`` (released when closed)."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def _locked_sibling(target: Path, tag: str) -> tuple[Path, int]:
    """A new, locked, empty folder beside ``target`` (made again if another run's cleanup took it first)."""
    while True:
        path = _sibling(target, tag)
        path.mkdir()
        try:
            fd = _lock(path)
        except FileNotFoundError:
            continue
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return path, fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _is_stale(folder: Path) -> bool:
    """Whether no living process holds ``folder``'s lock (taking and releasing it to find out)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def _staged_files(folder: Path) -> list[str]:
    """Every file below ``folder`` as a POSIX path relative to it (the manifest itself left out)."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.relative_to(folder).as_posix() != MANIFEST]


def _previous(target: Path, new: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(spinesim's files of the previous output that ``new`` lacks, the names spinesim did not write)."""
    if not target.is_dir():
        return (), ()
    listed = _listed(target / MANIFEST)
    present = _contents(target)
    ours = listed | {MANIFEST}
    removed = sorted(name for name in listed - new if (target / name).exists())
    kept = [name for name in present if name not in ours and name not in new]
    return tuple(removed), tuple(kept)


def _listed(manifest: Path) -> set[str]:
    """The file names a manifest lists (none if it is missing or unreadable)."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        return set()
    return {name for name in files if isinstance(name, str)} if isinstance(files, dict) else set()


def _carry(source: Path, destination: Path) -> None:
    """Put ``source`` (a file, symlink or folder) at ``destination`` without touching the original."""
    if source.is_symlink():
        os.symlink(os.readlink(source), destination)
    elif source.is_dir():
        shutil.copytree(source, destination, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(source, destination)


def _link_or_copy(source: str | Path, destination: str | Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _sync_tree(folder: Path) -> None:
    """Flush every file and folder below ``folder`` to disk (the swap must not outrun the data)."""
    for path in [*folder.rglob("*"), folder]:
        if path.is_symlink():
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target`` in one step; the previous folder (if any) ends up at ``staging``."""
    if not target.exists():
        try:
            os.rename(staging, target)
            return
        except OSError as exc:  # another process created the target meanwhile
            if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    try:
        rename_exchange(staging, target)
    except OSError as exc:
        if exc.errno not in _NO_EXCHANGE:
            raise
        _swap_aside(staging, target)


def _swap_aside(staging: Path, target: Path) -> None:
    """Without RENAME_EXCHANGE: the previous folder aside (locked), the new one in, the old to ``staging``."""
    aside = _sibling(target, ASIDE_TAG)
    lock = _lock(target)
    try:
        os.rename(target, aside)
        os.rename(staging, target)
        os.rename(aside, staging)
    finally:
        os.close(lock)


def _load_renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc >= 2.28 (musl, macOS): the aside-then-in fallback
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _load_renameat2()


def rename_exchange(a: Path, b: Path) -> None:
    """Swap two existing paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``), or raise ``OSError``."""
    if _RENAMEAT2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available", str(a), None, str(b))
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))
