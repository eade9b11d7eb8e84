"""Benchmarks for print and export (issue 6), each against a floor measured in the same run.

- PDF of a ~12 KB review (goal <= 300 ms) vs. bare Qt: QTextDocument.setHtml + drawContents.
- Booklet (goal <= 20 s for 500 reviews, memory flat) vs. N single-review PDFs; notes peak RSS
  and RSS growth during the run.
- HTML and Markdown export of N reviews vs. rendering them without writing / writing the same
  bytes with a plain ``write_text``.
- Full backup of a journal vs. SQLite's own backup of the same journal.

``run()`` uses smaller sizes so that ``make bench`` stays short (booklet 100 reviews, 1,000 HTML
and Markdown exports, a 2,000-review journal); ``python benches/bench_export.py --full`` runs the
issue's sizes (500 / 10,000 / 10,000).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import median_ms, print_table, row, synthetic_journal  # noqa: E402

from journal.core.export import export_html, export_markdown, export_options  # noqa: E402
from journal.core.export.document import document_for_review, render_for_export  # noqa: E402
from journal.core.export.fullbackup import dump  # noqa: E402
from journal.core.export.markdown import review_record, write_markdown_review  # noqa: E402
from journal.core.journal import Journal  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def bench_pdf(journal: Journal, work: Path) -> dict[str, object]:
    from PySide6.QtCore import QRectF, QSizeF
    from PySide6.QtGui import QPainter, QPdfWriter, QTextDocument

    from journal.printing import PrintSettings, ensure_app, write_pdf
    from journal.printing.layout import setup_device
    from journal.printing.pdf import review_html

    ensure_app()
    review_id = journal.reviews.rows()[0].id
    settings = PrintSettings()
    html = review_html(document_for_review(journal, review_id), settings)

    def floor() -> None:
        writer = QPdfWriter(str(work / "floor.pdf"))
        setup_device(writer, "A4", settings.margins_mm)
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(writer)
        doc.setHtml(html)
        rect = writer.pageLayout().paintRectPixels(writer.resolution())
        doc.setPageSize(QSizeF(rect.width(), rect.height()))
        painter = QPainter(writer)
        for page in range(doc.pageCount()):
            if page:
                writer.newPage()
            painter.save()
            painter.translate(0, -page * rect.height())
            doc.drawContents(painter, QRectF(0, page * rect.height(), rect.width(),
                                             rect.height()))
            painter.restore()
        painter.end()

    floor_ms = median_ms(floor, repeat=7)
    value_ms = median_ms(lambda: write_pdf(journal, review_id, work / "r.pdf", settings),
                         repeat=7)
    size = len(journal.reviews.get(review_id).body.encode()) // 1000
    return row(f"PDF of one {size} KB review", floor_ms, value_ms, "<= 300 ms")


def bench_booklet(journal: Journal, work: Path, count: int) -> dict[str, object]:
    from journal.printing import write_booklet, write_pdf

    ids = [r.id for r in journal.reviews.rows()][:count]
    sample = ids[: min(10, len(ids))]
    per_review = median_ms(lambda: [write_pdf(journal, i, work / "one.pdf") for i in sample],
                           repeat=1) / len(sample)
    samples: list[float] = []

    class Token:
        cancelled = False

        def progress(self, done: int, total: int, message: str = "") -> None:
            if done % 25 == 0:
                samples.append(_rss_mb())

    start_rss = _rss_mb()
    value_ms = _timed(lambda: write_booklet(journal, ids, work / "b.pdf", token=Token()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    goal_ms = 20_000 * count / 500
    note = (f"peak RSS {peak:.0f} MB; RSS {start_rss:.0f} MB before, "
            f"{min(samples):.0f}-{max(samples):.0f} MB during")
    return row(f"booklet of {len(ids)} reviews", per_review * len(ids), value_ms,
               f"<= {goal_ms / 1000:.0f} s (20 s per 500)", note)


def bench_files(journal: Journal, work: Path, count: int) -> list[dict[str, object]]:
    ids = [r.id for r in journal.reviews.rows()][:count]
    options = export_options()
    out = work / "files"
    out.mkdir(exist_ok=True)

    def render_only() -> None:
        for i in ids:
            render_for_export(document_for_review(journal, i), options, journal=journal)

    def html_export() -> None:
        for i in ids:
            export_html(journal, i, out / f"{i}.html")

    def plain_write() -> None:
        for i in ids:
            (out / f"{i}.plain.md").write_text(write_markdown_review(review_record(journal, i)),
                                               encoding="utf-8")

    def md_export() -> None:
        for i in ids:
            export_markdown(journal, i, out / f"{i}.md")

    rows = [row(f"HTML export of {len(ids)} reviews", _timed(render_only), _timed(html_export),
                "<= 1.3x rendering alone"),
            row(f"Markdown export of {len(ids)} reviews", _timed(plain_write), _timed(md_export),
                "<= 3x plain write_text")]
    shutil.rmtree(out)
    return rows


def bench_backup(path: Path, work: Path, reviews: int) -> dict[str, object]:
    with Journal.open(path, read_only=True) as journal:
        value_ms = _timed(lambda: dump(journal, work / "full.json"))
        size = (work / "full.json").stat().st_size / 1e6
    with Journal.open(path) as journal:
        floor_ms = _timed(lambda: journal.backup("bench", target=work / "sqlite-copy.db"))
    return row(f"full backup (JSON) of {reviews} reviews", floor_ms, value_ms,
               "<= 10x SQLite backup", f"{size:.0f} MB of JSON")


def run(full: bool = False) -> list[dict[str, object]]:
    booklet, files, backup = (500, 10_000, 10_000) if full else (100, 1_000, 2_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = synthetic_journal("export", films=500, reviews=max(booklet, 500), seed=4)
        with Journal.open(small, read_only=True) as journal:
            rows.append(bench_pdf(journal, work))
            rows.append(bench_booklet(journal, work, booklet))
        big = synthetic_journal("export-big", films=2_000, reviews=backup, seed=5)
        with Journal.open(big, read_only=True) as journal:
            rows += bench_files(journal, work, files)
        rows.append(bench_backup(big, work, backup))
    return rows


if __name__ == "__main__":
    print_table(run(full="--full" in sys.argv))
