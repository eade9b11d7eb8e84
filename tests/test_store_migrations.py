"""Migrations: an older journal upgrades step by step, after a verified backup."""

from __future__ import annotations

import sqlite3

import pytest

from journal.core.journal import Journal
from journal.errors import MigrationError
from journal.store import backup as backups
from journal.store import migrations
from journal.store.migrations import CURRENT_VERSION, v001_initial


def make_v1_journal(path):
    """A journal as schema version 1 wrote it, built from the frozen v1 DDL, with data."""
    con = sqlite3.connect(path)
    for statement in v001_initial.STATEMENTS:
        con.execute(statement)
    con.execute("INSERT INTO film (id, title, title_folded, year, kind, synopsis, created_at,"
                " updated_at) VALUES (1, 'Amélie', 'amelie', 2001, 'feature', '', '2020-01-01',"
                " '2020-01-01')")
    con.execute("INSERT INTO review (id, film_id, title, body, score_tenths, eyelights, eyesores,"
                " status, has_spoilers, created_at, updated_at) VALUES (1, 1, '', 'Paris ✨', 85,"
                " 'Audrey', '', 'published', 0, '2020-01-01', '2020-01-01')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()


def test_v1_journal_upgrades_with_a_verified_backup_first(journal_path):
    make_v1_journal(journal_path)
    with Journal.open(journal_path) as journal:
        assert journal.store.schema_version() == CURRENT_VERSION
        assert journal.store.migrated_from == 1
        backup = journal.store.pre_migration_backup
        review = journal.reviews.get(1)
        assert review.body == "Paris ✨" and str(review.score) == "8.5"
        assert review.language == "en"  # the column version 2 added
    assert backup is not None and backup.exists()
    assert backups.integrity_ok(backup) == (True, "ok")
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    assert con.execute("SELECT body FROM review").fetchone()[0] == "Paris ✨"
    con.close()
    assert [b.reason for b in backups.list_backups(journal_path)] == ["pre-migration-v1"]


def test_a_failing_migration_leaves_the_journal_at_its_last_good_step(journal_path, monkeypatch):
    make_v1_journal(journal_path)

    def broken(db):
        db.execute_sql("ALTER TABLE review ADD COLUMN half_done TEXT")
        raise RuntimeError("boom")

    monkeypatch.setattr(migrations, "MIGRATIONS",
                        [migrations.MIGRATIONS[0], (2, "broken step", broken)])
    monkeypatch.setattr("journal.store.connection.MIGRATIONS", migrations.MIGRATIONS)
    with pytest.raises(MigrationError) as info:
        Journal.open(journal_path)
    assert "broken step" in info.value.message and "backup" in info.value.message
    con = sqlite3.connect(journal_path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    columns = [row[1] for row in con.execute("PRAGMA table_info(review)")]
    assert "half_done" not in columns
    assert con.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    con.close()


def test_a_journal_from_a_newer_version_is_refused(journal_path):
    Journal.open(journal_path).close()
    con = sqlite3.connect(journal_path)
    con.execute(f"PRAGMA user_version = {CURRENT_VERSION + 5}")
    con.commit()
    con.close()
    with pytest.raises(MigrationError) as info:
        Journal.open(journal_path)
    assert info.value.message == (f"test.eyelights was written by a newer Eyelights (schema "
                                  f"{CURRENT_VERSION + 5}); update Eyelights to open it.")


def test_a_new_journal_is_created_at_the_current_version_without_backup(journal_path):
    with Journal.open(journal_path) as journal:
        assert journal.store.schema_version() == CURRENT_VERSION
        assert journal.store.pre_migration_backup is None
    assert backups.list_backups(journal_path) == []


def test_migrations_are_numbered_one_to_n_in_order():
    versions = [version for version, _description, _step in migrations.MIGRATIONS]
    assert versions == list(range(1, len(versions) + 1))
    assert CURRENT_VERSION == versions[-1]
    from journal.store.version import SCHEMA_VERSION  # what start-up's first look expects

    assert SCHEMA_VERSION == CURRENT_VERSION


def test_an_older_journal_opened_read_only_is_refused_in_words(journal_path):
    from journal.errors import JournalReadOnly

    make_v1_journal(journal_path)
    with pytest.raises(JournalReadOnly) as info:
        Journal.open(journal_path, read_only=True)
    assert info.value.message == ("test.eyelights needs an upgrade, which a read-only journal "
                                  "cannot have. Open it normally once.")
    con = sqlite3.connect(journal_path)  # and it is left as it was
    assert con.execute("PRAGMA user_version").fetchone()[0] == 1
    con.close()


def test_an_empty_sqlite_file_becomes_a_journal_without_a_pre_migration_backup(journal_path):
    """Schema 0 (a database with nothing in it): there is nothing to keep a copy of."""
    con = sqlite3.connect(journal_path)
    con.execute("CREATE TABLE scratch (a)")
    con.execute("DROP TABLE scratch")
    con.commit()
    con.close()
    with Journal.open(journal_path) as journal:
        assert journal.store.schema_version() == CURRENT_VERSION
        assert (journal.store.migrated_from, journal.store.pre_migration_backup) == (None, None)
        assert journal.films.create("Her", 2013).id == 1
    assert sorted(p.name for p in journal_path.parent.iterdir()) == [
        "test.eyelights", "test.eyelights.lock"]


def test_foreign_keys_are_enforced_again_after_a_migration(journal_path, caplog):
    """The steps run with foreign keys off; the migrated journal must not stay so. Each step
    is logged with the journal and what it does (the log is what a user sends with a bug)."""
    import logging

    import peewee

    make_v1_journal(journal_path)
    with caplog.at_level(logging.INFO, logger="journal.store.connection"):
        journal = Journal.open(journal_path)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("migrating")] == [
        f"migrating {journal_path} to schema {target} ({description})"
        for target, description, _step in migrations.MIGRATIONS if target > 1]
    with journal:
        assert journal.store.migrated_from == 1
        assert journal.store.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(peewee.IntegrityError, match="FOREIGN KEY"):
            with journal.write():
                journal.models.Viewing.create(film=999)  # no film 999


def test_a_step_that_would_break_references_is_refused_and_undone(journal_path, monkeypatch):
    """The guard every step runs under: a step leaving a review without its film (a faulty
    step put in place of version 2) is rolled back and said in words, the journal kept."""
    from journal.store import connection

    def faulty(db):
        db.execute_sql("DELETE FROM film")  # the review of film 1 now points nowhere

    monkeypatch.setattr(connection, "MIGRATIONS", [(2, "a faulty step", faulty)])
    make_v1_journal(journal_path)
    con = sqlite3.connect(journal_path)  # one reference broken already: only new ones count
    con.execute("INSERT INTO review (id, film_id, title, body, score_tenths, eyelights, eyesores,"
                " status, has_spoilers, created_at, updated_at) VALUES (2, 99, '', 'Lost', NULL,"
                " '', '', 'draft', 0, '2020-01-01', '2020-01-01')")
    con.commit()
    con.close()
    with pytest.raises(MigrationError) as info:
        Journal.open(journal_path)
    assert info.value.message.startswith(
        "Upgrading test.eyelights to schema 2 (a faulty step) failed: 1 references would "
        "break. The journal was left unchanged at that step; a backup is at ")
    con = sqlite3.connect(journal_path)
    assert con.execute("SELECT count(*), max(user_version) FROM film, pragma_user_version"
                       ).fetchone() == (1, 1)
    con.close()


def test_a_failed_step_with_no_backup_to_offer_says_so_plainly(journal_path, monkeypatch):
    """An empty SQLite file (schema 0) has no pre-migration backup: a failed step's message
    ends with the journal left as it was, and names no backup that does not exist."""
    from journal.store import connection

    def broken(db):
        raise RuntimeError("boom")

    monkeypatch.setattr(connection, "MIGRATIONS", [(1, "broken step", broken)])
    con = sqlite3.connect(journal_path)
    con.execute("CREATE TABLE scratch (a)")
    con.execute("DROP TABLE scratch")
    con.commit()
    con.close()
    with pytest.raises(MigrationError) as info:
        Journal.open(journal_path)
    assert info.value.message == ("Upgrading test.eyelights to schema 1 (broken step) failed: "
                                  "boom. The journal was left unchanged at that step.")
    assert backups.list_backups(journal_path) == []


def test_a_disk_that_fills_during_an_upgrade_step_is_said_full(tmp_path, monkeypatch):
    """A real 2 MB disk with room for the pre-migration backup but not for the step's change:
    the disk is said to be full, naming the journal (not "the upgrade failed"), and the journal
    is left at its last good step, upgraded whole once there is room."""
    import mounts

    from journal.errors import DiskFull
    from journal.store import connection

    def big(db):  # a step writing more than the disk holds
        db.execute_sql("CREATE TABLE pad (b BLOB)")
        db.execute_sql("INSERT INTO pad VALUES (zeroblob(3000000))")

    with mounts.tmpfs(tmp_path / "disk", "size=2m") as disk:
        path = disk / "j.eyelights"
        make_v1_journal(path)
        monkeypatch.setattr(connection, "MIGRATIONS", [migrations.MIGRATIONS[0],
                                                       (2, "a big step", big)])
        with pytest.raises(DiskFull) as info:
            Journal.open(path)
        assert "is full" in info.value.message
        assert "the change to j.eyelights needed more than" in info.value.message
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "pad" not in {row[0] for row in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        con.close()
        monkeypatch.undo()
        with Journal.open(path) as journal:  # the real steps fit: upgraded whole
            assert journal.store.schema_version() == CURRENT_VERSION
            assert journal.reviews.get(1).body == "Paris ✨"
