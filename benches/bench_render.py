"""Benchmark: Markdown → HTML (issue 19, goal 4).

Rows, medians over interleaved runs:

- ``render_review`` of a whole 12 KB review, cold, against bare python-markdown with the
  dialect's standard extensions (what the dialect adds);
- a keystroke's rendering at 12 KB, 100 KB and 1 MB: one character typed in a paragraph of a
  review the renderer has rendered before (its block cache: ``journal/core/render/
  block_cache.py``), against **ReText 8.1's converter** — Markups' ``MarkdownMarkup``, which
  builds python-markdown with ``extra`` anew for every conversion and converts the whole text
  (``mdx_math`` is not installed here; ``make bench-peers`` times Markups itself). Goal ≤ 1.0×
  at 12 KB and 100 KB;
- the same keystroke by the preview's renderer for long reviews (``render/incremental.py``:
  the body cut into pieces, only the edited one rendered again) at 100 KB and 1 MB, and its
  first rendering of the review (every piece) against a whole one.

Run ``python benches/bench_render.py``; ``run()`` returns rows for ``benches/run_all.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import markdown  # noqa: E402
from common import print_table, row  # noqa: E402

from journal.core.render import RenderOptions, ReviewDocument, render_review  # noqa: E402
from journal.core.render.incremental import IncrementalRenderer  # noqa: E402
from journal.core.render.markdown_dialect import Renderer, build_standard_markdown  # noqa: E402
from journal.core.synthetic import review_body  # noqa: E402

GOAL = 1.5
REPEATS = 21
TITLES = ["Her (2013)", "Stalker (1979)", "Alien (1979)"]


def _median_ms(func: object, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def retext_converter(text: str) -> str:
    """What ReText 8.1 runs per conversion (Markups 4: a new Markdown with ``extra``)."""
    return markdown.Markdown(extensions=["markdown.extensions.extra"],
                             output_format="html5").convert(text)


def whole_row() -> dict[str, object]:
    body = review_body(seed=7, approx_bytes=12_000)
    body += "\n\n*Spoiler alert*\n\nThe ending [[Her (2013)]].\n\n*End of spoilers*\n"
    bare = build_standard_markdown()
    renderer = Renderer(cache=False)
    doc = ReviewDocument(title="Bench", film_title="Her", film_year=2013, directors=["S. Jonze"],
                         score=Decimal("8.5"), eyelights="x", eyesores="y", body=body,
                         viewing_date="2014-01-24", tags=["a", "b"])
    options = RenderOptions()

    def floor() -> None:
        bare.reset()
        bare.convert(body)

    def ours() -> None:
        render_review(doc, options, renderer=renderer)

    floor(), ours()
    return row("render_review 12 KB, whole, vs bare markdown", _median_ms(floor),
               _median_ms(ours), f"<= {GOAL}x", "cold: no block cache")


def _keystrokes(body: str, options: RenderOptions, renderer: object, repeats: int
                ) -> tuple[list[float], list[float]]:
    """Milliseconds of ``render_review`` with ``renderer`` and of ReText's converter after each
    of ``repeats`` keystrokes in the middle of ``body`` (interleaved, a new character each
    time)."""
    at = body.index("\n\n", len(body) // 2) + 2
    ours, theirs = [], []
    for n in range(repeats):
        typed = body[:at] + "x" * (n + 1) + body[at:]
        doc = ReviewDocument(body=typed, film_title="Her")
        start = time.perf_counter()
        render_review(doc, options, renderer=renderer)
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        retext_converter(typed)
        theirs.append((time.perf_counter() - start) * 1000)
    return ours, theirs


def keystroke_rows(sizes: dict[str, int]) -> list[dict[str, object]]:
    rows = []
    for label, size in sizes.items():
        body = review_body(seed=7, approx_bytes=size, titles=TITLES)
        renderer = Renderer()
        options = RenderOptions()
        render_review(ReviewDocument(body=body, film_title="Her"), options, renderer=renderer)
        ours, theirs = _keystrokes(body, options, renderer, 11 if size < 1_000_000 else 3)
        goal = "<= 1.0x" if size <= 100_000 else "report"
        rows.append(row(f"Markdown → HTML after a keystroke, {label} (vs ReText's converter)",
                        statistics.median(theirs), statistics.median(ours), goal,
                        f"{renderer.blocks.misses} block(s) re-rendered, "
                        f"{renderer.blocks.hits} from the cache"))
    return rows


def pieces_rows(sizes: dict[str, int]) -> list[dict[str, object]]:
    """The preview's renderer for long reviews (``render/incremental.py``): the body cut into
    pieces, only those around the edit rendered again. A keystroke against ReText's converter,
    and the first rendering (every piece) against a whole one."""
    rows = []
    for label, size in sizes.items():
        body = review_body(seed=7, approx_bytes=size, titles=TITLES)
        options = RenderOptions()
        renderer = IncrementalRenderer()
        doc = ReviewDocument(body=body, film_title="Her")
        start = time.perf_counter()
        render_review(doc, options, renderer=renderer)
        first = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        render_review(doc, options, renderer=Renderer())
        whole = (time.perf_counter() - start) * 1000
        ours, theirs = _keystrokes(body, options, renderer, 11 if size < 1_000_000 else 5)
        last = renderer.last
        rows.append(row(f"Markdown → HTML after a keystroke, {label}, by pieces (vs ReText's "
                        "converter)", statistics.median(theirs), statistics.median(ours),
                        "<= 1.0x", f"{last.rendered} of {last.pieces} pieces rendered"
                        + (f"; rendered whole: {last.reason}" if last.reason else "")))
        rows.append(row(f"first rendering by pieces, {label} (vs a whole rendering)", whole, first,
                        "report", "a review opened: every piece rendered once"))
    return rows


def run() -> list[dict[str, object]]:
    return [whole_row(), *keystroke_rows({"12 KB": 12_000, "100 KB": 100_000,
                                          "1 MB": 1_000_000}),
            *pieces_rows({"100 KB": 100_000, "1 MB": 1_000_000})]


if __name__ == "__main__":
    print_table(run())
