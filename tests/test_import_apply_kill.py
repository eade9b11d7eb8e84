"""SIGKILL in the middle of a big import: the journal is exactly as it was, and healthy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import import_apply_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.importers.synthetic import generate_wxr
from journal.core.journal import Journal

CHILD = textwrap.dedent("""
    import sys
    from journal.core.importers.apply import apply
    from journal.core.importers.run import plan_import
    from journal.core.journal import Journal

    class Token:
        cancelled = False
        def progress(self, done, total, message=""):
            if message.startswith("Importing"):
                print(f"progress {done} {total}", flush=True)

    journal = Journal.open(sys.argv[1])
    plan = plan_import(journal, "wxr", [sys.argv[2]])
    print("planned", flush=True)
    apply(journal, plan, Token())
    print("finished", flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_sigkill_midway_leaves_the_journal_unchanged(tmp_path):
    export = tmp_path / "big.xml"
    posts = generate_wxr(export, 600, body_bytes=400)
    jpath = tmp_path / "kill.eyelights"
    with Journal.open(jpath) as journal:
        journal.films.create("Before the import", 1999)
    before, digest = helpers.counts(jpath), helpers.data_digest(jpath)
    spools = tmp_path / "tmp"  # the killed child cannot remove its plan's spool file
    spools.mkdir()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
           "TMPDIR": str(spools)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(jpath), str(export)],
                             stdout=subprocess.PIPE, text=True, env=env)
    killed_at = None
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("progress"):
                done = int(line.split()[1])
                if done >= posts // 3:
                    child.send_signal(signal.SIGKILL)
                    killed_at = done
                    break
            assert line.strip() != "finished"
    finally:
        child.wait(timeout=60)
    assert killed_at is not None and child.returncode == -signal.SIGKILL
    assert helpers.counts(jpath) == before and helpers.data_digest(jpath) == digest
    with Journal.open(jpath) as journal:
        ok, message = journal.check()
        assert ok, message
        assert journal.films.count() == 1
