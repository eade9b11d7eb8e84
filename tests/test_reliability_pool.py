"""Reliability (issue 15, items 7 and 11) through the WordPress import's pool of converting
processes (``convert_pool``): a killed import, a cancelled one and a dead pool process leave no
process behind and say what happened; HTML too deep to convert is said in the preview."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from journal.core.importers import convert_pool
from journal.core.importers.plan import ImportCancelled
from journal.core.importers.run import plan_import
from journal.core.importers.synthetic import generate_wxr

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import multiprocessing, sys, time
    from multiprocessing import resource_tracker
    from journal.core.importers import convert_pool

    def records():
        for n in range(100_000):
            yield n, "<p>" + "word <em>x</em> " * 300 + f"{n}</p>"

    def main():
        for n, (record, done) in enumerate(convert_pool.converted(records(), lambda r: [r[1]], 2)):
            if n == 0:
                pids = [p.pid for p in multiprocessing.active_children()]
                pids.append(resource_tracker._resource_tracker._pid)
                print(" ".join(map(str, pids)), flush=True)
            time.sleep(0.01)

    if __name__ == "__main__":
        main()
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # an orphan's zombie, waiting for a reaper, runs nothing


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_killed_import_leaves_no_converting_process(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stderr=subprocess.DEVNULL)
    pids = []
    try:
        assert child.stdout is not None
        pids = [int(p) for p in child.stdout.readline().split()]
        assert len(pids) == 3 and all(_alive(p) for p in pids)  # 2 converters, the tracker
    finally:
        child.send_signal(signal.SIGKILL)  # as the out-of-memory killer or a user would
        child.wait()
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in pids if _alive(p)]
    for pid in left:  # never leave them running, even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, "processes of the killed import still running"


def _wxr_token(cancel_after: int):
    class Token:
        seen = 0

        @property
        def cancelled(self) -> bool:
            return self.seen >= cancel_after

        def progress(self, done: int, total: int, message: str = "") -> None:
            self.seen += 25

    return Token()


def test_a_cancel_reported_later_leaves_no_process(journal, monkeypatch, tmp_path):
    """The window's worker keeps the cancel's exception to report it: its traceback must not
    keep the pool's processes alive."""
    path = tmp_path / "big.xml"
    generate_wxr(path, convert_pool.BATCH * (convert_pool.AHEAD + 4), body_bytes=600)
    monkeypatch.setenv(convert_pool.WORKERS_ENV, "2")
    kept: list[BaseException] = []
    try:
        plan_import(journal, "wxr", [path], token=_wxr_token(100))
    except ImportCancelled as exc:
        kept.append(exc)  # traceback and all, as a worker's "failed" signal holds it
    assert kept and kept[0].__traceback__ is not None
    assert multiprocessing.active_children() == []


def test_a_pool_process_that_dies_is_said_plainly():
    records = [(n, "<p>" + "word " * 2000 + f"{n}</p>") for n in range(convert_pool.BATCH * 12)]
    out = convert_pool.converted(records, lambda r: [r[1]], 2)
    next(out)
    for process in multiprocessing.active_children():
        os.kill(process.pid, signal.SIGKILL)  # killed, or out of memory
    with pytest.raises(convert_pool.ConversionFailed) as caught:
        for _ in out:
            pass
    assert "stopped unexpectedly" in caught.value.message
    assert "Nothing was imported" in caught.value.message
    assert multiprocessing.active_children() == []


def test_html_too_deep_is_said_in_the_preview_when_pooled(journal, monkeypatch, tmp_path):
    from journal.core.importers.wp_html import MAX_HTML_NESTING

    deep = "<div>" * (MAX_HTML_NESTING + 50) + "Deep text"
    items = "".join(
        f"<item><title>Film {n} 8</title><wp:post_id>{n}</wp:post_id><wp:status>publish"
        f"</wp:status><wp:post_type>post</wp:post_type><content:encoded><![CDATA["
        f"{deep if n == 7 else '<p>fine</p>'}]]></content:encoded></item>" for n in range(1, 90))
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                    'xmlns:wp="http://wordpress.org/export/1.2/" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                    f"<title>t</title><wp:wxr_version>1.2</wp:wxr_version>{items}"
                    "</channel></rss>", encoding="utf-8")
    monkeypatch.setenv(convert_pool.WORKERS_ENV, "2")  # converted in the pool's processes
    plan = plan_import(journal, "wxr", [path])
    try:
        lines = "\n".join(plan.summary_lines())
        assert "“Film 7 8”: its HTML is nested too deeply to convert; imported as plain " \
               "text" in lines
        bodies = [r.body for r in plan.records() if hasattr(r, "body")]
        assert "Deep text" in bodies and bodies.count("fine") == 88
    finally:
        plan.discard()
    assert multiprocessing.active_children() == []


POST = "<p>" + "word " * 800 + "</p>"  # ~4 K characters


def _read_ahead(post: str, count: int = 300) -> list[int]:
    """Characters read but not yet used, at each of ``count`` posts converted by 2 processes
    (each post comes back whole and in order)."""
    pulled = [0]

    def records():
        for n in range(count):
            pulled[0] += 1
            yield n, post + str(n)

    ahead = []
    used = 0
    for record, done in convert_pool.converted(records(), lambda r: [r[1]], 2):
        used += 1
        ahead.append((pulled[0] - used) * len(post))
        assert convert_pool.markdown_of(done[0], record[1]).endswith(str(record[0]))
    assert used == count
    return ahead


def test_html_in_flight_is_bounded_by_characters_not_only_by_records(monkeypatch):
    """Posts of a megabyte each, 64 to a batch, six batches ahead, held 1.15 GB: a batch ends
    at ``BATCH_CHARS`` characters too (scaled down here: 20,000)."""
    monkeypatch.setattr(convert_pool, "BATCH_CHARS", 20_000, raising=False)
    ahead = _read_ahead(POST)
    limit = (convert_pool.AHEAD + 1) * (20_000 + len(POST))
    assert max(ahead) <= limit, f"{max(ahead):,} characters read ahead (limit {limit:,})"


def test_html_in_flight_is_bounded_by_bytes_not_only_by_batches(monkeypatch):
    """However many batches the pool may hold, no more are read once ``AHEAD_BYTES`` of HTML
    are in flight (scaled down here: batches of ~20,000 characters, 30,000 bytes in flight):
    a fixed count of batches held 40% of a 20 MB export's size while planning it."""
    monkeypatch.setattr(convert_pool, "BATCH_CHARS", 20_000)
    monkeypatch.setattr(convert_pool, "AHEAD_BYTES", 30_000)
    ahead = _read_ahead(POST)
    # in flight: under 30,000 bytes, then one batch more (its last post passed 20,000)
    limit = 30_000 + 20_000 + len(POST)
    assert max(ahead) <= limit < convert_pool.AHEAD * 20_000, (
        f"{max(ahead):,} characters read ahead (limit {limit:,})")
