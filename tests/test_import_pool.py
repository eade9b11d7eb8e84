"""A large WordPress import converts its HTML in a pool of spawned processes: the same plan as
converting here, records in their order, bounded work in flight, a cancel leaves nothing running."""

from __future__ import annotations

import multiprocessing

import pytest

from journal.core.importers import convert_pool
from journal.core.importers.plan import ImportCancelled
from journal.core.importers.run import plan_import
from journal.core.importers.synthetic import generate_wxr


def _plan(journal, path, monkeypatch, workers: int):
    monkeypatch.setenv(convert_pool.WORKERS_ENV, str(workers))
    plan = plan_import(journal, "wxr", [path])
    records = list(plan.records())
    return plan, records


@pytest.mark.slow
@pytest.mark.shared
def test_pooled_plans_equal_plans_converted_here(journal, shared_testdata, monkeypatch, tmp_path):
    generated = tmp_path / "blog.xml"
    generate_wxr(generated, 300, body_bytes=2000)  # several batches, comments, accents
    paths = sorted((shared_testdata / "wxr").glob("*.xml")) + [generated]
    for path in paths:
        here, here_records = _plan(journal, path, monkeypatch, 0)
        pooled, pooled_records = _plan(journal, path, monkeypatch, 2)
        assert pooled_records == here_records, path.name
        assert pooled.skipped == here.skipped and pooled.films == here.films, path.name
        # the posts' conventions are read in the pool too: the same preview, line for line
        assert pooled.summary_lines() == here.summary_lines(), path.name
    assert len(here_records) == 300 > 4 * convert_pool.BATCH


def test_records_come_back_in_order_with_their_texts():
    records = [(n, f"<p>post <em>{n}</em></p>") for n in range(convert_pool.BATCH * 3 + 5)]
    out = list(convert_pool.converted(records, lambda r: [r[1]], 2))
    assert [r for r, _done in out] == records
    assert all(convert_pool.markdown_of(done[0], html) == f"post *{n}*"
               for (n, html), done in out)
    assert multiprocessing.active_children() == []  # the pool is gone


def test_no_pool_for_small_files_or_one_core(monkeypatch):
    monkeypatch.delenv(convert_pool.WORKERS_ENV, raising=False)
    assert convert_pool.workers_for(100_000) == 0
    monkeypatch.setattr(convert_pool.os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    assert convert_pool.workers_for(50_000_000) == 0
    monkeypatch.setattr(convert_pool.os, "sched_getaffinity", lambda _pid: {0, 1, 2},
                        raising=False)
    assert convert_pool.workers_for(50_000_000) == 3
    monkeypatch.setenv(convert_pool.WORKERS_ENV, "0")
    assert convert_pool.workers_for(50_000_000) == 0


def test_cancel_while_pooled_stops_the_processes(journal, monkeypatch, tmp_path):
    path = tmp_path / "big.xml"
    generate_wxr(path, convert_pool.BATCH * (convert_pool.AHEAD + 4), body_bytes=600)
    monkeypatch.setenv(convert_pool.WORKERS_ENV, "2")

    class Token:
        seen = 0

        @property
        def cancelled(self) -> bool:
            return self.seen >= 100

        def progress(self, done: int, total: int, message: str = "") -> None:
            self.seen += 25

    with pytest.raises(ImportCancelled):
        plan_import(journal, "wxr", [path], token=Token())
    assert multiprocessing.active_children() == []


def test_html_too_deep_to_convert_is_said_when_a_pool_process_converted_it():
    from journal.core.importers.wp_html import MAX_HTML_NESTING

    deep = "<div>" * (MAX_HTML_NESTING + 5) + "words" + "</div>" * (MAX_HTML_NESTING + 5)
    records = [(0, "<p>fine</p>"), (1, deep)]
    out = list(convert_pool.converted(records, lambda r: [r[1]], 2))
    said: list[int] = []
    texts = [convert_pool.markdown_of(done[0], html, on_plain_text=lambda n=n: said.append(n))
             for (n, html), done in out]
    assert said == [1]
    assert texts[0] == "fine" and "words" in texts[1] and "<div>" not in texts[1]


def test_a_post_handed_to_the_pool_is_held_here_without_its_html(
        journal, monkeypatch, tmp_path):
    """What the importing process holds for a post in flight is the post without its HTML
    (the pool's batch has it; the texts come back converted): the records read ahead cost
    their results, not their HTML as well."""
    from journal.core.importers import wxr_plan

    path = tmp_path / "blog.xml"
    generate_wxr(path, 120, body_bytes=1500)
    monkeypatch.setenv(convert_pool.WORKERS_ENV, "2")
    seen: list[tuple[int, int]] = []
    real = wxr_plan.converted

    def watched(records, texts_of, workers):
        for item, done in real(records, texts_of, workers):
            if done:
                seen.append(len(item.content))
            yield item, done

    monkeypatch.setattr(wxr_plan, "converted", watched)
    plan = plan_import(journal, "wxr", [path])
    try:
        assert len(seen) == plan.counts["reviews"] == 120
        assert set(seen) == {0}
        assert plan.counts["comments"] > 0
        assert all(r.body and all(c.text for c in r.comments) for r in plan.records())
    finally:
        plan.discard()
