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
  (after the next opening of the journal, which sweeps what it may), in bytes.

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


@dataclass
class Outcome:
    trials: int = 0
    interrupted: int = 0
    failures: int = 0
    lost: int = 0
    leftover_files: int = 0
    leftover_bytes: int = 0
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
        if op == "restore":
            self.journal = work / "restored.eyelights"  # a new journal restored from a backup
        else:
            shutil.copy(base, self.journal)
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(work / "tmp"),
                    "QT_QPA_PLATFORM": "offscreen"}

    def argv(self) -> list[str]:
        cli = [sys.executable, "-m", "journal"]
        j = ["--journal", str(self.journal)]
        if self.op == "import":
            return [*cli, "import", "wxr", str(self.source), *j]
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
        child = subprocess.Popen(self.argv(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 env=self.env, cwd=self.work)
        if kill_after is None:
            out, _ = child.communicate(timeout=900)
            text = out.decode(errors="replace")
            if child.returncode:  # the complete run must succeed (its text may say "mirror")
                text += f"\nexit status {child.returncode}"
            return False, time.perf_counter() - start, text
        try:
            child.wait(timeout=kill_after)
            killed = False
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed = True
        out = child.stdout.read().decode(errors="replace") if child.stdout else ""
        if child.stdout:
            child.stdout.close()
        return killed, time.perf_counter() - start, out


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
    # what the killed process left (the journal's own files and finished outputs aside)
    expected = {trial.journal, trial.journal.with_name(trial.journal.name + ".lock"),
                trial.work / "out" / "full.zip"}
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
    before = None if op == "restore" else _counts(base)
    if op.startswith(("import", "restore")) and after == before or "\nexit status " in out:
        raise SystemExit(f"the complete {op} did not do its work: {out[-500:]}")
    # the time a command takes to start and open the journal: kills land after it
    probe = Trial(base, work / "probe", "backup", source)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "journal", "check", "--journal", str(probe.journal)],
                   env=probe.env, capture_output=True, check=True)
    floor = min(time.perf_counter() - started, took * 0.5)
    print(f"{op}: a complete run takes {took:.2f} s, starting {floor:.2f} s", file=sys.stderr)
    limits = None if op == "restore" else _max_ids(base)
    digest = None if op == "restore" else _rows_digest(base, limits)  # type: ignore[arg-type]
    if op == "restore":
        limits = None
    n = 0
    while outcome.interrupted < trials and n < 3 * trials:  # N kills that landed mid-way
        n += 1
        trial = Trial(base, work / f"trial-{n}", op, source)
        killed, _ran, _out = trial.run(rng.uniform(floor, took))
        outcome.trials += 1
        outcome.interrupted += killed
        _check(trial, before, after, digest, limits, outcome)
        shutil.rmtree(trial.work, ignore_errors=True)
    return outcome


def _base(folder: Path) -> tuple[Path, Path, Path, Path]:
    """A journal of 300 films and 300 reviews, a WXR export to import, a backup of it to restore
    into a new journal, and a backup of another journal to merge into it."""
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
    return base, export, folder / "base-backup.zip", folder / "other-backup.zip"


OPS = ("import", "backup", "backup --json", "restore", "restore --mode merge", "autosave")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--only", action="append", choices=OPS)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="eyelights-soak-"))
    try:
        base, export, backup, other = _base(work)
        rows = []
        for op in args.only or OPS:
            started = time.perf_counter()
            source = {"import": export, "restore": backup,
                      "restore --mode merge": other}.get(op, export)
            outcome = soak(op, args.trials, base, source, work / op.replace(" ", ""), args.seed)
            rows.append((op, outcome))
            print(f"{op}: {outcome.trials} trials, {outcome.interrupted} killed mid-way, "
                  f"{outcome.failures} failures, {outcome.lost} lost, "
                  f"{outcome.leftover_files} files left ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
            for note in outcome.notes[:10]:
                print(f"  {note}", file=sys.stderr)
        print("| operation | trials | killed mid-way | failures | anything lost | left behind |")
        print("|---|---|---|---|---|---|")
        for op, o in rows:
            left = "nothing" if not o.leftover_files else \
                f"{o.leftover_files} files, {o.leftover_bytes:,} bytes"
            print(f"| {op} | {o.trials} | {o.interrupted} | {o.failures} | "
                  f"{'nothing' if not o.lost else f'{o.lost} trials'} | {left} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
