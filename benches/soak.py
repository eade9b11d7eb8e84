"""Kill trials (``make soak``): SIGKILL in the middle of an import, a backup, a restore or an
autosave, N times each, and check what is left, the way SQLite reports its crash tests.

Each trial copies a base journal, starts the operation in a child process (the real command
line, or the window's autosave controller), kills it after a random delay within the time the
operation takes (measured first by a complete run), then checks:

- **failures**: the journal fails ``integrity_check`` or ``foreign_key_check``, does not open
  again, or is half-written (its tables' counts are neither those before the operation nor
  those of a complete one; for a backup, a file at the backup's name that is not a complete,
  checked backup);
- **lost**: any row that was in the journal before the operation is gone or changed;
- **leftovers**: files the killed process left in its temporary folder or beside its output
  (after the next opening of the journal, which sweeps what it may), in bytes, and processes it
  started that still run (the pooled import's converters).

``migrate`` opens a journal at schema 7 (300 films and reviews), which upgrades it to the
current schema (a table rebuild at 8, the search index rebuilt at 9); ``import (pool)`` is the
import with its HTML converted by two spawned processes (``EYELIGHTS_IMPORT_WORKERS=2``).

``python benches/soak.py --trials 50`` runs trials until 50 kills per operation have landed while
the operation was running (a kill after it finished counts as a trial, not as a kill), and
prints a Markdown table for docs/reliability.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TABLES = ("film", "person", "credit", "viewing", "review", "tag", "review_tag", "comment",
          "watchlist_entry", "film_link", "revision")

AUTOSAVE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication
    from journal.core.journal import Journal
    from journal.ui.autosave import Autosaver
    app = QCoreApplication([])
    journal = Journal.open(sys.argv[1])
    review_id = min(row.id for row in journal.reviews.rows())
    body = journal.reviews.get(review_id).body
    controller = Autosaver(journal)
    controller.snapshot_interval = 0  # a revision with every save: more to interrupt
    state = {"body": body}
    controller.attach(review_id, lambda: {"body": state["body"]})
    print("started", flush=True)
    for n in range(int(sys.argv[2])):
        state["body"] = body + "".join(f" word{i}" for i in range(n + 1))
        controller.mark_dirty()
        controller.save_now()
        print(f"saved {n}", flush=True)
""")


MIGRATE = textwrap.dedent("""
    import sys
    from journal.core.journal import Journal
    with Journal.open(sys.argv[1]) as journal:
        print("schema", journal.store.schema_version(), flush=True)
""")
#: The schema the ``migrate`` trials start from.
OLD_SCHEMA = 7
MARK = "EYELIGHTS_SOAK_TRIAL"


@dataclass
class Outcome:
    trials: int = 0
    interrupted: int = 0
    failures: int = 0
    lost: int = 0
    leftover_files: int = 0
    leftover_bytes: int = 0
    leftover_processes: int = 0
    notes: list[str] = field(default_factory=list)


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in TABLES}
    finally:
        con.close()


def _rows_digest(path: Path, limits: dict[str, int]) -> str:
    """The rows that were there before (id up to the max of then), with what they hold."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    digest = hashlib.sha256()
    try:
        for table in ("film", "person", "viewing", "review", "comment", "tag"):
            for row in con.execute(f'SELECT * FROM "{table}" WHERE id <= ? ORDER BY id',
                                   (limits[table],)):
                digest.update(repr(row).encode())
    finally:
        con.close()
    return digest.hexdigest()


def _max_ids(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {t: con.execute(f'SELECT coalesce(max(id), 0) FROM "{t}"').fetchone()[0]
                for t in ("film", "person", "viewing", "review", "comment", "tag")}
    finally:
        con.close()


def _a_saved_body(path: Path) -> bool:
    """The autosaved review holds its first text plus " word0 … wordK" for some K: one of the
    texts the editor saved, whole (a save is all or nothing)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (body,) = con.execute("SELECT body FROM review ORDER BY id LIMIT 1").fetchone()
    finally:
        con.close()
    head, sep, tail = body.partition(" word0")
    if not sep:
        return True  # killed before the first save
    words = ("word0" + tail).split(" ")
    return words == [f"word{i}" for i in range(len(words))]


def _healthy(path: Path) -> str:
    """"" when the journal opens (as the app would: sweeping leftovers) and checks clean."""
    from journal.core.journal import Journal
    from journal.errors import EyelightsError

    try:
        with Journal.open(path) as journal:
            ok, message = journal.check()
    except EyelightsError as exc:
        return f"does not open: {exc.message}"
    return "" if ok else message


def _files(folder: Path) -> dict[Path, int]:
    if not folder.exists():
        return {}
    return {p: p.stat().st_size for p in folder.rglob("*") if p.is_file()}


class Trial:
    """One operation on a fresh copy of the base journal, in its own folder and TMPDIR."""

    def __init__(self, base: Path, work: Path, op: str, source: Path) -> None:
        self.work, self.op, self.source = work, op, source
        shutil.rmtree(work, ignore_errors=True)
        (work / "tmp").mkdir(parents=True)
        (work / "out").mkdir()
        self.journal = work / "j.eyelights"
        self.output = work / "output.txt"
        if op == "restore":
            self.journal = work / "restored.eyelights"  # a new journal restored from a backup
        else:
            shutil.copy(base if op != "migrate" else source, self.journal)
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(work / "tmp"),
                    "QT_QPA_PLATFORM": "offscreen", MARK: str(work)}
        if op == "import (pool)":
            self.env["EYELIGHTS_IMPORT_WORKERS"] = "2"

    def argv(self) -> list[str]:
        cli = [sys.executable, "-m", "journal"]
        j = ["--journal", str(self.journal)]
        if self.op.startswith("import"):
            return [*cli, "import", "wxr", str(self.source), *j]
        if self.op == "migrate":
            return [sys.executable, "-c", MIGRATE, str(self.journal)]
        if self.op == "backup":
            return [*cli, "backup", *j]
        if self.op == "backup --json":
            return [*cli, "backup", "--json", "-o", str(self.work / "out" / "full.zip"), *j]
        if self.op == "restore":
            return [*cli, "import", "backup", str(self.source), *j]
        if self.op == "restore --mode merge":
            return [*cli, "import", "backup", str(self.source), "--mode", "merge", *j]
        return [sys.executable, "-c", AUTOSAVE, str(self.journal), "400"]

    def run(self, kill_after: float | None) -> tuple[bool, float, str]:
        """(killed while running, seconds it ran, its output)."""
        start = time.perf_counter()
        # its output in a file, not a pipe: processes it left running would hold a pipe open
        with self.output.open("wb") as out:
            child = subprocess.Popen(self.argv(), stdout=out, stderr=subprocess.STDOUT,
                                     env=self.env, cwd=self.work)
        killed = False
        if kill_after is None:
            child.wait(timeout=900)
        else:
            try:
                child.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                killed = True
        ran = time.perf_counter() - start
        text = self.output.read_text(errors="replace")
        if kill_after is None and child.returncode:  # a complete run must succeed
            text += f"\nexit status {child.returncode}"
        return killed, ran, text


def _processes_left(trial: Trial) -> list[int]:
    """Processes the trial started that still run a second after its kill (killed here)."""
    marker = f"{MARK}={trial.work}".encode()
    time.sleep(1.0)
    left = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                stat = (environ.parent / "stat").read_text()
                if stat.rsplit(")", 1)[1].split()[0] != "Z":
                    left.append(int(environ.parent.name))
        except OSError:
            continue
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    return left


def _search_index_whole(path: Path) -> str:
    """"" when the search index holds every review and passes FTS5's own check."""
    con = sqlite3.connect(str(path))
    try:
        for table in ("review_fts", "film_fts", "person_fts", "comment_fts"):
            con.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        indexed = con.execute("SELECT count(*) FROM review_fts_docsize").fetchone()[0]
        reviews = con.execute("SELECT count(*) FROM review").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return f"search index: {exc}"
    finally:
        con.close()
    return "" if indexed == reviews else f"search index holds {indexed} of {reviews} reviews"


def _check(trial: Trial, before: dict[str, int] | None, after: dict[str, int],
           digest: str | None, limits: dict[str, int] | None, outcome: Outcome) -> None:
    op = trial.op
    problem = ""
    if trial.journal.exists() or op == "restore":
        problem = _healthy(trial.journal)  # opened as the next run would (a restore creates it)
    else:
        problem = "the journal is gone"
    if not problem and trial.journal.exists():
        now = _counts(trial.journal)
        states = [after] if before is None else [before, after]
        if op == "restore":
            states.append({t: 0 for t in TABLES})
        if op == "autosave":
            derived = ("revision", "film_link")  # a save snapshots and re-derives links
            same = {t: v for t, v in now.items() if t not in derived}
            if same != {t: v for t, v in before.items() if t not in derived}:  # type: ignore
                problem = f"autosave changed the counts: {now}"
            elif not _a_saved_body(trial.journal):
                problem = "the review's text is not one the editor saved"
        elif now not in states:
            problem = f"half-written: {now}"
        if not problem and op == "migrate":
            problem = _search_index_whole(trial.journal)
        if digest is not None and limits is not None and op != "autosave":
            if _rows_digest(trial.journal, limits) != digest:
                outcome.lost += 1
                outcome.notes.append(f"{op}: rows changed or lost")
    if op == "backup --json":
        target = trial.work / "out" / "full.zip"
        if target.exists():
            from journal.core.export.fullbackup import read_backup
            from journal.errors import EyelightsError

            try:
                read_backup(target).close()
            except EyelightsError as exc:
                problem = problem or f"a damaged backup at the target: {exc.message}"
    if op == "backup":
        from journal.store.backup import integrity_ok, list_backups

        for backup in list_backups(trial.journal):
            if not integrity_ok(backup.path)[0]:
                problem = problem or f"a damaged backup: {backup.path.name}"
    if problem:
        outcome.failures += 1
        outcome.notes.append(f"{op}: {problem}")
    running = _processes_left(trial) if Path("/proc/self/environ").exists() else []
    if running:
        outcome.leftover_processes += len(running)
        outcome.notes.append(f"{op}: {len(running)} processes still running")
    # what the killed process left (the journal's own files and finished outputs aside)
    expected = {trial.journal, trial.journal.with_name(trial.journal.name + ".lock"),
                trial.work / "out" / "full.zip", trial.output}
    for path, size in _files(trial.work).items():
        if path in expected or path.name.endswith(("-wal", "-shm")):
            continue
        if path.parent.name.endswith("-backups") and path.suffix == ".db":
            continue  # a finished, checked backup
        outcome.leftover_files += 1
        outcome.leftover_bytes += size
        outcome.notes.append(f"{op}: left {path.relative_to(trial.work)} ({size} bytes)")


def soak(op: str, trials: int, base: Path, source: Path, work: Path, seed: int) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome()
    # one complete run: how long the operation takes, and the counts of a finished one
    full = Trial(base, work / "complete", op, source)
    _killed, took, out = full.run(None)
    after = _counts(full.journal)
    before = None if op == "restore" else _counts(base if op != "migrate" else source)
    if op.startswith(("import", "restore")) and after == before or "\nexit status " in out \
            or op == "migrate" and f"schema {OLD_SCHEMA}" in out:
        raise SystemExit(f"the complete {op} did not do its work: {out[-500:]}")
    # the time a command takes to start and open the journal: kills land after it
    probe = Trial(base, work / "probe", "backup", source)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "journal", "check", "--journal", str(probe.journal)],
                   env=probe.env, capture_output=True, check=True)
    floor = min(time.perf_counter() - started, took * 0.5)
    print(f"{op}: a complete run takes {took:.2f} s, starting {floor:.2f} s", file=sys.stderr)
    limits = None if op == "restore" else _max_ids(base)
    # a migration may rebuild a table (its columns' order): compared with a complete upgrade
    digest = None if op == "restore" else _rows_digest(
        base if op != "migrate" else full.journal, limits)  # type: ignore[arg-type]
    if op == "restore":
        limits = None
    n = 0
    while outcome.interrupted < trials and n < 3 * trials:  # N kills that landed mid-way
        n += 1
        trial = Trial(base, work / f"trial-{n}", op, source)
        killed, ran, _out = trial.run(rng.uniform(floor, took))
        outcome.trials += 1
        outcome.interrupted += killed
        if not killed and ran < took:  # the first complete run was slow (busy neighbours):
            floor = min(floor, ran * 0.5)  # aim the kills at the time runs take now
            took = max(ran, floor * 1.2)
        _check(trial, before, after, digest, limits, outcome)
        shutil.rmtree(trial.work, ignore_errors=True)
    return outcome


def _at_old_schema(base: Path, target: Path) -> Path:
    """``base``'s rows in a journal at schema ``OLD_SCHEMA``, made by that version's migrations
    (the search index of then filled by its own triggers)."""
    from peewee import SqliteDatabase

    from journal.store.migrations import MIGRATIONS

    db = SqliteDatabase(str(target))
    for version, _about, migrate in MIGRATIONS[:OLD_SCHEMA]:
        with db.atomic():
            migrate(db)
            db.execute_sql(f"PRAGMA user_version = {version}")
    db.close()
    with closing(sqlite3.connect(str(target))) as con:
        con.execute("ATTACH DATABASE ? AS src", (str(base),))
        tables = [name for (name,) in con.execute(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE "
            "'sqlite_%' AND name NOT LIKE '%fts%' AND name NOT LIKE 'search_%'")]
        for table in tables:
            mine = [r[1] for r in con.execute(f'PRAGMA main.table_info("{table}")')]
            theirs = {r[1] for r in con.execute(f'PRAGMA src.table_info("{table}")')}
            cols = ", ".join(f'"{c}"' for c in mine if c in theirs)
            if cols:
                con.execute(f'INSERT INTO main."{table}" ({cols}) SELECT {cols} '
                            f'FROM src."{table}"')
        con.commit()
        con.execute("DETACH DATABASE src")
        con.execute("PRAGMA journal_mode = DELETE")
    return target


def _base(folder: Path) -> tuple[Path, Path, Path, Path, Path, Path]:
    """A journal of 300 films and 300 reviews, a WXR export to import, a backup of it to restore
    into a new journal, a backup of another journal to merge into it, the same journal at schema
    ``OLD_SCHEMA`` to upgrade, and a WXR export large enough for the import's pool."""
    from journal.core.export.fullbackup import dump
    from journal.core.importers.synthetic import generate_wxr
    from journal.core.journal import Journal
    from journal.core.synthetic import populate

    base = folder / "base.eyelights"
    with Journal.open(base) as journal:
        populate(journal, films=300, reviews=300, seed=15)
        dump(journal, folder / "base-backup.zip")
    for side in ("-wal", "-shm"):
        Path(str(base) + side).unlink(missing_ok=True)
    with Journal.open(folder / "other.eyelights") as journal:
        populate(journal, films=200, reviews=200, seed=16)
        dump(journal, folder / "other-backup.zip")
    export = folder / "export.xml"
    generate_wxr(export, 400, body_bytes=3000)
    pooled = folder / "export-pooled.xml"
    generate_wxr(pooled, 1500, body_bytes=3000)
    old = _at_old_schema(base, folder / "old.eyelights")
    return (base, export, folder / "base-backup.zip", folder / "other-backup.zip", old,
            pooled)


OPS = ("import", "import (pool)", "backup", "backup --json", "restore", "restore --mode merge",
       "autosave", "migrate")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--only", action="append", choices=OPS)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eyelights-soak-"))
    try:
        base, export, backup, other, old, pooled = _base(work)
        rows = []
        for op in args.only or OPS:
            started = time.perf_counter()
            source = {"import": export, "restore": backup, "restore --mode merge": other,
                      "migrate": old, "import (pool)": pooled}.get(op, export)
            folder = work / "".join(c for c in op if c.isalnum())
            outcome = soak(op, args.trials, base, source, folder, args.seed)
            rows.append((op, outcome))
            print(f"{op}: {outcome.trials} trials, {outcome.interrupted} killed mid-way, "
                  f"{outcome.failures} failures, {outcome.lost} lost, "
                  f"{outcome.leftover_files} files left, {outcome.leftover_processes} "
                  f"processes left ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
            for note in outcome.notes[:10]:
                print(f"  {note}", file=sys.stderr)
        print("| operation | trials | killed mid-way | failures | anything lost | left behind |")
        print("|---|---|---|---|---|---|")
        for op, o in rows:
            left = ", ".join(
                ([f"{o.leftover_files} files, {o.leftover_bytes:,} bytes"] if o.leftover_files
                 else []) + ([f"{o.leftover_processes} processes running"]
                             if o.leftover_processes else [])) or "nothing"
            print(f"| {op} | {o.trials} | {o.interrupted} | {o.failures} | "
                  f"{'nothing' if not o.lost else f'{o.lost} trials'} | {left} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
