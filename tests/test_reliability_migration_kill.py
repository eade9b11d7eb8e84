"""Reliability (issue 15, item 11 and the kill trials): a journal at schema 7 or 8 whose upgrade
is killed in the middle of a step — schema 8 rebuilds the review table, schema 9 rebuilds the
search index (external-content FTS5) — opens again whole: upgraded, every row kept, the search
index checked by FTS5 itself and holding every review."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from journal.core.journal import Journal
from journal.core.search import SearchEngine
from journal.store.migrations import CURRENT_VERSION, MIGRATIONS

ROOT = Path(__file__).resolve().parent.parent
NOW = "2024-01-01 00:00:00"


def _journal_at(path: Path, version: int, reviews: int = 40) -> None:
    db = SqliteDatabase(str(path))
    for target, _about, migrate in MIGRATIONS[:version]:
        with db.atomic():
            migrate(db)
            db.execute_sql(f"PRAGMA user_version = {target}")
    for n in range(1, reviews + 1):
        db.execute_sql("INSERT INTO film (id, title, title_folded, year, kind, synopsis, "
                       "created_at, updated_at) VALUES (?, ?, ?, 2000, 'feature', '', ?, ?)",
                       [n, f"Film {n}", f"film {n}", NOW, NOW])
        db.execute_sql("INSERT INTO review (id, film_id, title, body, score_tenths, eyelights, "
                       "eyesores, status, has_spoilers, language, created_at, updated_at) VALUES "
                       "(?, ?, '', ?, 80, '', '', 'published', 0, 'en_GB', ?, ?)",
                       [n, n, f"Luminous colour number{n} and rain.", NOW, NOW])
    db.close()


def _rows(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT r.id, r.film_id, r.body, f.title FROM review r "
                           "JOIN film f ON f.id = r.film_id ORDER BY r.id").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize(("start", "killed_in"), [(7, 8), (8, 9), (7, 9)])
def test_an_upgrade_killed_mid_step_opens_again_whole(tmp_path, start, killed_in):
    path = tmp_path / "old.eyelights"
    _journal_at(path, start)
    before = _rows(path)
    # killed in the middle of the step: just after it dropped its old table (the review table
    # at 8, a search table at 9), its new one not yet in place
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent("""
        import sys, time
        from journal.store import migrations
        from journal.store.connection import open_store
        target = int(sys.argv[2])
        for n, (version, about, step) in enumerate(migrations.MIGRATIONS):
            if version == target:
                def slow(db, step=step):
                    run = db.execute_sql
                    def execute_sql(sql, *args, **kwargs):
                        out = run(sql, *args, **kwargs)
                        if sql.startswith("DROP TABLE"):
                            print("mid-step", flush=True)
                            time.sleep(60)
                        return out
                    db.execute_sql = execute_sql
                    try:
                        step(db)
                    finally:
                        del db.execute_sql
                migrations.MIGRATIONS[n] = (version, about, slow)
        open_store(sys.argv[1])
    """), str(path), str(killed_in)], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "mid-step"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    with Journal.open(path) as journal:  # the next opening finishes the upgrade
        assert journal.store.schema_version() == CURRENT_VERSION
        assert journal.check()[0]
        hits = SearchEngine(journal).search("number17").hits
        assert [(hit.kind, hit.review_id) for hit in hits] == [("review", 17)]
    assert _rows(path) == before
    con = sqlite3.connect(path)
    try:
        for table in ("review_fts", "film_fts", "person_fts", "comment_fts"):
            con.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        assert con.execute("SELECT count(*) FROM review_fts_docsize").fetchone()[0] == len(before)
    finally:
        con.close()
    backups = list((tmp_path / "old-backups").glob("*pre-migration*.db"))
    assert backups, "the verified backup made before the upgrade"
