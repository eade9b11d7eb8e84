"""Benchmark: render_review on a ~12 KB review vs. bare python-markdown (same extensions).

Run ``python benches/bench_render.py``; ``run()`` returns rows for ``benches/run_all.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from journal.core.render import RenderOptions, ReviewDocument, render_review  # noqa: E402
from journal.core.render.markdown_dialect import Renderer, build_standard_markdown  # noqa: E402
from journal.core.synthetic import review_body  # noqa: E402

GOAL = 1.5
REPEATS = 31


def _median_ms(func: object, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[dict[str, object]]:
    """One row: bare python-markdown floor vs. the full review pipeline on a 12 KB body."""
    body = review_body(seed=7, approx_bytes=12_000)
    body += "\n\n*Spoiler alert*\n\nThe ending [[Her (2013)]].\n\n*End of spoilers*\n"
    bare = build_standard_markdown()
    renderer = Renderer()
    doc = ReviewDocument(title="Bench", film_title="Her", film_year=2013, directors=["S. Jonze"],
                         score=Decimal("8.5"), eyelights="x", eyesores="y", body=body,
                         viewing_date="2014-01-24", tags=["a", "b"])
    options = RenderOptions()

    def floor() -> None:
        bare.reset()
        bare.convert(body)

    def ours() -> None:
        render_review(doc, options, renderer=renderer)

    for warm in (floor, ours):
        warm()
    floor_ms = _median_ms(floor)
    value_ms = _median_ms(ours)
    return [{"bench": "render_review 12 KB vs bare markdown", "floor_ms": round(floor_ms, 2),
             "value_ms": round(value_ms, 2), "ratio": round(value_ms / floor_ms, 2),
             "goal": f"<= {GOAL}x"}]


def main() -> None:
    print(f"{'bench':<40} {'floor ms':>9} {'ours ms':>9} {'ratio':>6}  goal")
    for row in run():
        print(f"{row['bench']:<40} {row['floor_ms']:>9} {row['value_ms']:>9} "
              f"{row['ratio']:>6}  {row['goal']}")


if __name__ == "__main__":
    main()
