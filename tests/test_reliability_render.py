"""Reliability (issue 15, item 7) through the renderer's block cache: pathological Markdown stays
bounded and says so on every render, warm or cold, and the cache's memory is bounded whatever
is typed. Memory is measured (tracemalloc), time by counting python-markdown's scans."""

from __future__ import annotations

import tracemalloc

import markdown.inlinepatterns as patterns
import pytest

from journal.core.render import Renderer, RenderOptions, block_cache, guard
from journal.core.synthetic import review_body

FRAGMENT = RenderOptions(standalone=False)


@pytest.fixture
def scans(monkeypatch):
    """python-markdown's bracket scans, in characters (the quadratic part: counted, not timed)."""
    seen: list[int] = []
    original = patterns.LinkInlineProcessor.getText

    def counted(self, data, index):  # type: ignore[no-untyped-def]
        seen.append(len(data) - index)
        assert sum(seen) < 400_000, "quadratic bracket scanning"  # fails fast, never hangs
        return original(self, data, index)

    monkeypatch.setattr(patterns.LinkInlineProcessor, "getText", counted)
    return seen


@pytest.mark.parametrize("text", ["[[" * 20_000, "*a " * 5_000 + "b*" * 5_000,
                                  "".join("    " * i + "- item\n" for i in range(300))],
                         ids=["brackets", "emphases", "deep list"])
def test_pathological_text_is_defused_on_every_render_of_a_warm_cache(text, scans):
    renderer = Renderer()  # with its block cache, as the preview's
    review = review_body(seed=3, approx_bytes=12_000)
    first = renderer.render_body(review, FRAGMENT).html
    cold = renderer.render_body(text, FRAGMENT)
    warm = renderer.render_body(text, FRAGMENT)  # the same blocks, from the cache
    typed = renderer.render_body(text + " x", FRAGMENT)  # a keystroke: one block re-rendered
    for result in (cold, warm, typed):
        assert result.notice == guard.NOTICE and result.html
    assert warm.html == cold.html
    assert "\ue000" not in typed.html and "\ue001" not in typed.html  # stand-ins put back
    assert sum(scans) < 400_000
    # the cache holds no stand-in that could leak into an ordinary review
    assert renderer.render_body(review, FRAGMENT).html == first
    assert renderer.render_body(review, FRAGMENT).html == Renderer(cache=False).render_body(
        review, FRAGMENT).html


def _held_while(render) -> int:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        render()
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_typing_in_a_huge_paragraph_holds_bounded_memory(monkeypatch):
    """Each keystroke in a 100 KB paragraph makes a new 100 KB block: the cache must not keep
    them all (4,000 of them held ~900 MB)."""
    monkeypatch.setattr(block_cache, "WEIGHT_LIMIT", 60_000)  # the real one is 4 M characters
    renderer = Renderer()
    paragraph = "The film’s light — “quiet”, café; " * 3_000  # ~100 K characters
    renderer.render_body("warm up", FRAGMENT)

    def type_ten_keys() -> None:
        for n in range(10):
            renderer.render_body(paragraph + "x" * n, FRAGMENT)

    held = _held_while(type_ten_keys)
    assert held < 800_000, f"{held:,} bytes held by the cache after ten keystrokes"
    assert renderer.blocks is not None and renderer.blocks.weight <= 60_000


def test_many_small_blocks_are_evicted_by_weight(monkeypatch):
    monkeypatch.setattr(block_cache, "WEIGHT_LIMIT", 60_000)
    renderer = Renderer()
    for n in range(4):  # 4 different reviews of ~200 paragraphs of ~1 KB
        text = "\n\n".join(f"Paragraph {n}-{i}: " + "words and more words " * 50
                           for i in range(200))
        renderer.render_body(text, FRAGMENT)
    assert renderer.blocks is not None
    assert renderer.blocks.weight <= 60_000 and 0 < len(renderer.blocks) < 100
