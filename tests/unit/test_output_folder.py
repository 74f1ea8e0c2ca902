"""The output folder changes in one step (simulator/output/folder.py), called directly.

Every test writes into ``tmp_path``. The kill tests with real processes are in
``tests/cli/test_kill.py``.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

import simulator.output.folder as folder
from simulator.output.folder import OutputError, check_output_dir, recover, staged_output


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(out: Path, files: dict[str, str], overwrite: bool = True, manifest: dict | None = None):
    with staged_output(out, overwrite) as staging:
        for name, text in files.items():
            (staging.path / name).write_text(text)
        return staging.commit(manifest or {"run": "test"})


def assert_complete(out: Path) -> dict:
    """The folder's manifest lists each of its spinesim files with the right checksum."""
    manifest = json.loads((out / "manifest.json").read_text())
    for name, entry in manifest["files"].items():
        assert _sha(out / name) == entry["sha256"], name
        assert (out / name).stat().st_size == entry["bytes"]
    return manifest


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def test_first_write_creates_the_folder_with_a_checksummed_manifest(tmp_path):
    out = tmp_path / "deep" / "results"
    written = write(out, {"a.csv": "x\n1\n", "b.csv": "y\n2\n"}, overwrite=False)
    manifest = assert_complete(out)
    assert sorted(manifest["files"]) == ["a.csv", "b.csv"] and manifest["run"] == "test"
    assert sorted(written) == ["a.csv", "b.csv", "manifest.json"] and len(written) == 3
    assert written["a.csv"] == out / "a.csv"
    assert siblings(out) == []
    assert written.note() == f"wrote 3 files to {out}"


def test_overwrite_replaces_every_spinesim_file_and_keeps_the_others(tmp_path):
    """CSV over a folder that held Parquet leaves no Parquet; the user's files stay, and the note names them."""
    out = tmp_path / "results"
    write(out, {"patients.csv": "old\n", "patients.parquet": "PAR1", "events.parquet": "PAR1"}, overwrite=False)
    (out / "SENTINEL").write_text("mine\n")
    (out / "notes").mkdir()
    (out / "notes" / "a.txt").write_text("my notes\n")
    (out / "link").symlink_to("SENTINEL")
    written = write(out, {"patients.csv": "new\n"})
    assert sorted(p.name for p in out.iterdir()) == ["SENTINEL", "link", "manifest.json", "notes", "patients.csv"]
    assert (out / "patients.csv").read_text() == "new\n"
    assert (out / "SENTINEL").read_text() == "mine\n" and (out / "notes" / "a.txt").read_text() == "my notes\n"
    assert os.readlink(out / "link") == "SENTINEL"
    assert sorted(assert_complete(out)["files"]) == ["patients.csv"]  # the user's files are not spinesim's
    assert written.removed == ("events.parquet", "patients.parquet")
    assert written.kept == ("SENTINEL", "link", "notes")
    note = written.note()
    assert "removed 2 files of the previous output (events.parquet, patients.parquet)" in note
    assert "kept 3 files spinesim did not write (SENTINEL, link, notes)" in note


def test_the_users_files_are_copied_where_hard_links_fail(tmp_path, monkeypatch):
    """A filesystem without hard links (or a kept file on another device): the kept files are copied."""
    out = tmp_path / "results"
    write(out, {"patients.csv": "old\n"}, overwrite=False)
    (out / "SENTINEL").write_text("mine\n")
    (out / "notes").mkdir()
    (out / "notes" / "a.txt").write_text("my notes\n")

    def no_links(source, destination):
        raise OSError(errno.EPERM, "hard links not supported", str(destination))

    monkeypatch.setattr(folder.os, "link", no_links)
    write(out, {"patients.csv": "new\n"})
    assert (out / "SENTINEL").read_text() == "mine\n" and (out / "notes" / "a.txt").read_text() == "my notes\n"
    assert (out / "SENTINEL").stat().st_nlink == 1  # a copy, not a link to the previous folder's file
    assert (out / "patients.csv").read_text() == "new\n"


def test_a_note_lists_at_most_five_names(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    for i in range(8):
        (out / f"mine{i}.txt").write_text("")
    assert "(mine0.txt, mine1.txt, mine2.txt, mine3.txt, mine4.txt and 3 more)" in write(out, {"a": ""}).note()


def test_the_folder_keeps_its_permissions(tmp_path):
    out = tmp_path / "results"
    write(out, {"a": "1"}, overwrite=False)
    out.chmod(0o750)
    write(out, {"a": "2"})
    assert (out.stat().st_mode & 0o777) == 0o750


def test_a_failure_while_staging_changes_nothing_and_says_so(tmp_path):
    out = tmp_path / "results"
    write(out, {"a.csv": "old\n"}, overwrite=False)
    before = {p.name: _sha(p) for p in out.iterdir()}
    with pytest.raises(OSError) as caught:
        with staged_output(out, overwrite=True) as staging:
            (staging.path / "a.csv").write_text("half")
            raise OSError(errno.ENOSPC, "No space left on device", str(staging.path / "b.csv"))
    assert caught.value.__notes__ == [f"nothing in {out} was changed"]
    assert {p.name: _sha(p) for p in out.iterdir()} == before
    assert siblings(out) == []


def test_an_interrupt_after_the_swap_says_the_new_output_is_complete(tmp_path):
    out = tmp_path / "results"
    write(out, {"a.csv": "old\n"}, overwrite=False)
    with pytest.raises(KeyboardInterrupt) as caught:
        with staged_output(out, overwrite=True) as staging:
            (staging.path / "a.csv").write_text("new\n")
            staging.commit({})
            raise KeyboardInterrupt
    assert caught.value.__notes__ == [f"the new output in {out} is complete"]
    assert (out / "a.csv").read_text() == "new\n"
    assert siblings(out) == []


def test_the_swap_is_one_rename_exchange_on_linux(tmp_path, monkeypatch):
    """The target is never missing: the previous folder and the new one trade places in one call."""
    assert sys.platform != "linux" or folder._RENAMEAT2 is not None
    out = tmp_path / "results"
    write(out, {"a": "old"}, overwrite=False)
    calls = []
    real_exchange, real_rename = folder.rename_exchange, os.rename
    monkeypatch.setattr(folder, "rename_exchange", lambda a, b: (calls.append("exchange"), real_exchange(a, b)))
    monkeypatch.setattr(folder.os, "rename", lambda a, b: (calls.append("rename"), real_rename(a, b)))
    write(out, {"a": "new"})
    assert calls == ["exchange"]
    assert (out / "a").read_text() == "new"


def test_rename_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("A")
    (b / "x").write_text("B")
    folder.rename_exchange(a, b)
    assert (a / "x").read_text() == "B" and (b / "x").read_text() == "A"


def _no_exchange(monkeypatch):
    def refuse(a, b):
        raise OSError(errno.EINVAL, "Invalid argument", str(a))
    monkeypatch.setattr(folder, "rename_exchange", refuse)


def test_without_rename_exchange_the_previous_folder_goes_aside_then_the_new_one_in(tmp_path, monkeypatch):
    _no_exchange(monkeypatch)
    out = tmp_path / "results"
    write(out, {"a": "old"}, overwrite=False)
    (out / "SENTINEL").write_text("mine")
    write(out, {"a": "new"})
    assert (out / "a").read_text() == "new" and (out / "SENTINEL").read_text() == "mine"
    assert_complete(out)
    assert siblings(out) == []


def test_a_death_between_the_two_renames_is_undone_by_the_next_run(tmp_path, monkeypatch):
    """Moved aside, then the process died: the next run puts the previous complete output back."""
    _no_exchange(monkeypatch)
    out = tmp_path / "results"
    write(out, {"a": "old"}, overwrite=False)
    old_manifest = _sha(out / "manifest.json")
    real_rename = os.rename

    def die_after_first(a, b):
        real_rename(a, b)
        raise SystemExit("killed")  # stands for kill -9 between the two renames
    monkeypatch.setattr(folder.os, "rename", die_after_first)
    with pytest.raises(SystemExit):
        write(out, {"a": "new"})
    assert not out.exists() and len(siblings(out)) == 1  # only the previous output, aside
    monkeypatch.setattr(folder.os, "rename", real_rename)
    recover(out)
    assert _sha(out / "manifest.json") == old_manifest and (out / "a").read_text() == "old"
    assert siblings(out) == []


def test_two_runs_recovering_the_same_folder_at_once_both_go_on(tmp_path, monkeypatch):
    """A stale staging folder that another run removes first is no error for this one."""
    out = tmp_path / "results"
    write(out, {"a": "1"}, overwrite=False)
    dead = tmp_path / ".results.spinesim-staging-deadbeef0000"
    dead.mkdir()
    (dead / "patients.csv").write_text("half")
    real_is_stale = folder._is_stale

    def removed_meanwhile(path: Path) -> bool:
        stale = real_is_stale(path)
        shutil.rmtree(path)  # the other run, which also found it stale, removes it first
        return stale
    monkeypatch.setattr(folder, "_is_stale", removed_meanwhile)
    recover(out)
    assert siblings(out) == [] and (out / "a").read_text() == "1"


def test_stale_staging_folders_are_removed_and_live_ones_kept(tmp_path):
    out = tmp_path / "results"
    write(out, {"a": "1"}, overwrite=False)
    dead = tmp_path / ".results.spinesim-staging-deadbeef0000"
    dead.mkdir()
    (dead / "patients.csv").write_text("half")
    live = tmp_path / ".results.spinesim-staging-a11ve0000000"
    live.mkdir()
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # as a running spinesim holds it
    try:
        write(out, {"a": "2"})
        assert siblings(out) == [live.name]
    finally:
        os.close(fd)
    recover(out)
    assert siblings(out) == []


def test_a_staging_folder_left_inside_by_an_old_version_does_not_make_the_folder_non_empty(tmp_path):
    out = tmp_path / "fresh"
    (out / ".spinesim-k2j4h5").mkdir(parents=True)
    (out / ".spinesim-k2j4h5" / "patients.csv").write_text("half")
    check_output_dir(out, overwrite=False)
    write(out, {"a": "1"}, overwrite=False)
    assert sorted(p.name for p in out.iterdir()) == ["a", "manifest.json"]


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "file.txt", "is a file, not a folder"),
    (lambda d: d / "full", "folder is not empty (use --overwrite"),
])
def test_unusable_folders_are_refused(tmp_path, make, message):
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(OutputError, match=message.replace("(", r"\(")):
        check_output_dir(make(tmp_path), overwrite=False)


def test_an_empty_name_is_refused():
    with pytest.raises(OutputError, match="--out is empty"):
        check_output_dir("", overwrite=True)


def test_the_current_folder_or_one_holding_it_is_refused(tmp_path, monkeypatch):
    """Swapping the folder a shell stands in would leave the shell in a deleted folder."""
    (tmp_path / "results" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "results" / "sub")
    for out in (Path("."), Path(".."), tmp_path / "results"):
        with pytest.raises(OutputError, match="is the current folder or holds it"):
            check_output_dir(out, overwrite=True)


def test_a_symlinked_folder_is_replaced_where_it_points(tmp_path):
    real = tmp_path / "real"
    write(real, {"a": "old"}, overwrite=False)
    (tmp_path / "link").symlink_to(real)
    write(tmp_path / "link", {"a": "new"})
    assert (tmp_path / "link").is_symlink() and (real / "a").read_text() == "new"


def test_of_two_folders_left_aside_the_newest_is_put_back(tmp_path):
    """Two runs died between their renames: the later one's previous output (the newer) comes back,
    whatever the folders' names (mutation testing: recover sorted them by name once)."""
    out = tmp_path / "results"
    for name, text, mtime in (("zzzz", "older", 1_000_000), ("aaaa", "newer", 2_000_000)):
        aside = tmp_path / f".results.{folder.ASIDE_TAG}-{name}"
        aside.mkdir()
        (aside / "a").write_text(text)
        os.utime(aside, (mtime, mtime))
    recover(out)
    assert (out / "a").read_text() == "newer" and siblings(out) == []


def test_an_error_through_two_folders_says_what_happened_to_each(tmp_path):
    """Nested outputs: the inner one was committed, the outer one not; each folder gets its own note, once."""
    outer, inner = tmp_path / "outer", tmp_path / "inner"
    with pytest.raises(KeyboardInterrupt) as caught:
        with staged_output(outer) as first:
            (first.path / "a").write_text("1")
            with staged_output(inner) as second:
                (second.path / "b").write_text("2")
                second.commit({})
                raise KeyboardInterrupt
    assert caught.value.__notes__ == [f"the new output in {inner} is complete", f"nothing in {outer} was changed"]
