"""Reliability (issue 15, items 8, 11, 12): killed processes leave nothing behind; exports get
the user's umask; a full disk (a real, small file system) or a full temporary folder is said
as such, with which disk and how much, and nothing stored is lost.

The full disks are real: a tmpfs of a few hundred KB to a few MB mounted for the test (root only; skipped
otherwise). SQLite's own limit (``max_page_count``) fails at another moment (when a page is
allocated, not when the log is written at COMMIT), so it cannot stand in for the COMMIT case,
where SQLite rolls back by itself and the old code reported peewee's failed rollback instead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import mounts  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.journal import Journal
from journal.errors import DiskFull
from journal.store import backup as backups

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _start(code: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env or ENV)


def _kill_when(child: subprocess.Popen[str], word: str) -> None:
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == word:
            break
    else:
        child.wait()
        pytest.fail(f"the child ended before {word!r}: {child.stderr.read()}")  # type: ignore
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL


# ------------------------------------------------------------------ 11. leftovers of kills


def test_a_killed_import_leaves_no_spool(tmp_path):
    from journal.core.importers.synthetic import generate_wxr

    export = tmp_path / "big.xml"
    generate_wxr(export, 300, body_bytes=2000)
    temp = tmp_path / "tmp"
    temp.mkdir()
    child = _start("""
        import sys, time
        from journal.core.importers.run import plan_import
        from journal.core.journal import Journal
        journal = Journal.open(sys.argv[1])
        plan = plan_import(journal, "wxr", [sys.argv[2]])
        print("planned", flush=True)
        time.sleep(60)
    """, str(tmp_path / "j.eyelights"), str(export), env={**ENV, "TMPDIR": str(temp)})
    _kill_when(child, "planned")
    assert list(temp.iterdir()) == []  # a 5-7 MB spool was left here by every killed import


def test_a_killed_json_backup_leaves_no_part_file(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        journal.films.create("Her", 2013)
    out = tmp_path / "out"
    out.mkdir()
    child = _start("""
        import sys, time
        from journal.core.export import fullbackup
        from journal.core.journal import Journal
        original = fullbackup._Dumper._table
        def slow(self, model):
            original(self, model)
            self.out.flush()
            print("writing", flush=True)
            time.sleep(60)
        fullbackup._Dumper._table = slow
        with Journal.open(sys.argv[1], read_only=True) as journal:
            fullbackup.dump(journal, sys.argv[2])
    """, str(path), str(out / "backup.json"))
    _kill_when(child, "writing")
    assert list(out.iterdir()) == []  # no hidden .backup.json.XXXX.part


def test_a_partial_backup_of_a_killed_process_is_swept_by_the_next_writer(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        for i in range(50):
            journal.films.create(f"Film {i}", 2000, synopsis="x" * 3000)
    child = _start("""
        import sys, time
        from journal.core.journal import Journal
        from journal.store import backup
        def paused(path):  # the copy is written, not yet checked nor renamed
            print("copied", flush=True)
            time.sleep(60)
        backup.integrity_ok = paused
        with Journal.open(sys.argv[1]) as journal:
            journal.backup("pre-import")
    """, str(path))
    _kill_when(child, "copied")
    folder = backups.backup_dir_for(path)
    assert [p.suffix for p in folder.iterdir()] == [".partial"]  # what the kill left
    Journal.open(path).close()  # the next writer
    assert list(folder.iterdir()) == []


# ------------------------------------------------------------------ 12. the user's umask


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exports_get_the_user_s_umask(journal, tmp_path, mask, mode):
    from journal.core.export.fullbackup import dump
    from journal.core.export.html import export_html

    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Body.", status="published")
    old = os.umask(mask)
    try:
        made = [export_html(journal, review.id, tmp_path / "her.html"),
                dump(journal, tmp_path / "b.json").path, dump(journal, tmp_path / "b.zip").path]
    finally:
        os.umask(old)
    assert {oct(p.stat().st_mode & 0o777) for p in made} == {oct(mode)}  # was always 0600


# ------------------------------------------------------------------ 8. full disks, for real


def _small_disk(folder: Path, size: str):
    return mounts.tmpfs(folder, f"size={size}")


def test_disk_full_at_commit_says_which_disk_and_keeps_the_journal(tmp_path):
    with _small_disk(tmp_path / "disk", "4m") as disk:
        path = disk / "j.eyelights"
        with Journal.open(path) as journal:
            journal.films.create("Kept", 2000)
            with pytest.raises(DiskFull) as info:
                with journal.write():
                    for i in range(2000):
                        journal.films.create(f"Big {i}", 2000, synopsis="y" * 4000)
            message = info.value.message
            assert f"The disk holding {disk} is full" in message
            assert "free" in message and "needed more than" in message
            assert [f.title for f in journal.films.live()] == ["Kept"]
        with Journal.open(path) as journal:  # and it opens again, whole
            assert journal.check()[0] and journal.films.count() == 1


def test_disk_full_while_backing_up_says_how_much_was_needed(tmp_path):
    path = tmp_path / "j.eyelights"
    with Journal.open(path) as journal:
        for i in range(200):
            journal.films.create(f"Film {i}", 2000, synopsis="z" * 4000)
        with _small_disk(tmp_path / "disk", "256k") as disk:
            with pytest.raises(DiskFull) as info:
                journal.backup(target=disk / "copy.db")
            assert f"The disk holding {disk} is full" in info.value.message
            assert "needed about" in info.value.message
            assert list(disk.iterdir()) == []  # no partial copy left


def test_a_full_temporary_folder_is_said_as_such(tmp_path, monkeypatch):
    import tempfile

    from journal.core.importers.run import plan_import
    from journal.core.importers.synthetic import generate_wxr

    export = tmp_path / "big.xml"
    generate_wxr(export, 300, body_bytes=3000)
    with _small_disk(tmp_path / "tmp", "128k") as temp:
        monkeypatch.setattr(tempfile, "tempdir", str(temp))
        with Journal.open(tmp_path / "j.eyelights") as journal:
            with pytest.raises(DiskFull) as info:
                plan_import(journal, "wxr", [export]).discard()
        message = info.value.message
        assert f"The disk holding {temp} is full" in message and "temporary" in message
        assert "TMPDIR" in message
