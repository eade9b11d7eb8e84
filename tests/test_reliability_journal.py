"""Reliability (issue 15, items 1 and 12): an empty or header-less file where a journal is expected
is damage, never a new journal; backups of an empty journal never rotate the good ones away;
read-only commands never move anything; only the writer lock's holder sets a journal aside."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from journal.cli import main
from journal.core.journal import Journal
from journal.errors import JournalCorrupt
from journal.store import backup as backups
from journal.store.lock import JournalLock


def _filled(path: Path, films: int = 20) -> Path:
    with Journal.open(path) as journal:
        with journal.write():
            for i in range(films):
                journal.films.create(f"Film {i}", 2000 + i % 20)
        return journal.backup()


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.corrupt-*"))


@pytest.mark.parametrize("content", [b"", b"\x00" * 4096], ids=["0-bytes", "no-header"])
@pytest.mark.parametrize("verify", [True, False], ids=["checked", "unchecked"])
def test_an_empty_or_headerless_journal_is_damage_not_a_new_journal(journal_path, content,
                                                                    verify):
    good = _filled(journal_path)
    journal_path.write_bytes(content)
    with pytest.raises(JournalCorrupt) as info:
        Journal.open(journal_path, verify=verify)
    err = info.value
    assert not journal_path.exists()  # moved aside, not migrated into an empty journal
    assert Path(err.moved_to).read_bytes() == content  # kept as it was
    assert err.newest_backup == str(good)
    assert good.name in err.message and "eyelights import backup" in err.message
    assert backups.list_backups(journal_path)[0].path == good


def test_the_window_offers_the_named_backup_for_a_zero_byte_journal(journal_path):
    from journal.ui.application import open_with_recovery

    good = _filled(journal_path, films=7)
    journal_path.write_bytes(b"")
    asked: list[str] = []
    journal = open_with_recovery(journal_path, lambda kind, msg: asked.append(msg) or True)
    try:
        assert journal.films.count() == 7
    finally:
        journal.close()
    assert len(asked) == 1 and good.name in asked[0]


def test_import_into_a_zero_byte_journal_refuses_and_names_the_backup(journal_path, tmp_path,
                                                                      capsys):
    good = _filled(journal_path)
    journal_path.write_bytes(b"")
    note = tmp_path / "note.md"
    note.write_text("# Her (2013)\n\nA film.\n")
    code, out, err = _run(capsys, "import", "markdown", str(note), "--journal", str(journal_path))
    assert code == 1 and "is damaged (the file is empty (0 bytes))" in err
    assert str(good) in err and len(_aside(journal_path)) == 1
    assert good.exists()


def test_a_dot_db_backup_restores_from_the_command_line(journal_path, capsys):
    good = _filled(journal_path, films=12)
    journal_path.write_bytes(b"")
    with pytest.raises(JournalCorrupt):
        Journal.open(journal_path)
    code, out, err = _run(capsys, "import", "backup", str(good), "--journal", str(journal_path))
    assert code == 0, err
    with Journal.open(journal_path) as journal:
        assert journal.films.count() == 12 and journal.check()[0]


def _dated_backup(journal_path: Path, when: dt.datetime, source: Path) -> Path:
    backups.backup_dir_for(journal_path).mkdir(exist_ok=True)
    return backups.make_backup(source, "periodic", when=when,
                               target=backups.backup_dir_for(journal_path)
                               / f"{journal_path.stem}-{when:%Y%m%d-%H%M%S}-periodic.db")


def test_rotation_never_drops_the_good_backups_for_empty_ones(tmp_path):
    path = tmp_path / "j.eyelights"
    full, empty = tmp_path / "full.eyelights", tmp_path / "empty.eyelights"
    _filled(full)
    Journal.open(empty).close()
    now = dt.datetime(2026, 11, 25, 12)
    good = [_dated_backup(path, now - dt.timedelta(days=60 + d), full) for d in range(5)]
    for hours in range(0, 24 * 45, 12):  # six weeks of backups of an emptied journal
        _dated_backup(path, now - dt.timedelta(hours=hours), empty)
    backups.rotate_backups(path, now)
    left = {b.path for b in backups.list_backups(path)}
    assert set(good[:3]) <= left  # the three newest good ones stay
    assert not good[4].exists()  # older good ones still rotate as usual
    assert backups.newest_good_backup(path) == good[0]  # an empty backup is never offered


def test_an_emptied_journal_s_periodic_backups_keep_the_good_ones(journal_path):
    good = _filled(journal_path, films=5)
    journal_path.unlink()
    start = dt.datetime.now()
    with Journal.open(journal_path) as journal:  # the user starts again from nothing
        for day in range(1, 60):
            journal.rotate_backups(now=start + dt.timedelta(days=day))
    assert good.exists()


@pytest.mark.parametrize("argv", [["check"], ["list", "films"], ["search", "film"]])
def test_read_only_commands_never_move_a_damaged_journal(journal_path, capsys, argv):
    good = _filled(journal_path)
    data = bytearray(journal_path.read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    journal_path.write_bytes(bytes(data))
    code, out, err = _run(capsys, *argv, "--journal", str(journal_path))
    assert code == 1 and "is damaged" in err and "left in place" in err
    assert good.name in err
    assert journal_path.read_bytes() == bytes(data) and not _aside(journal_path)


def test_a_damaged_journal_held_by_another_writer_is_left_in_place(journal_path):
    from journal.store.connection import handle_damage

    _filled(journal_path)
    holder = JournalLock(journal_path)
    holder.acquire()  # another Eyelights has it open (a lock on another open file)
    try:
        with pytest.raises(JournalCorrupt, match="Another Eyelights has it open"):
            handle_damage(journal_path, "malformed")
    finally:
        holder.release()
    assert journal_path.exists() and not _aside(journal_path)


def test_a_process_killed_while_creating_a_journal_leaves_no_empty_journal(tmp_path):
    """(found by the kill trials: a restore killed while its new journal was being created
    left a 0-byte file, which the next opening took for damage)"""
    import signal
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "new.eyelights"
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from journal.store import connection
        original = connection._migrate
        def slow(store, version):
            original(store, version)
            print("migrated", flush=True)
            time.sleep(60)
        connection._migrate = slow
        connection.open_store(sys.argv[1])
    """), str(path)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert child.stdout is not None and child.stdout.readline().strip() == "migrated"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert not path.exists()  # nothing at the journal's name
    assert any(p.name.endswith(".creating") for p in tmp_path.iterdir())
    with Journal.open(path) as journal:  # the next opening creates it and sweeps the rest
        assert journal.check()[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.eyelights", "new.eyelights.lock"]
