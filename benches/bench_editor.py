"""Benchmark: the review editor while typing (offscreen Qt).

* keystroke → preview updated, 12 KB, 100 KB and 1 MB reviews (at 1 MB rendered by pieces and
  patched into the preview, at the end of the text and in the middle); floor: the same render +
  setHtml done synchronously (what a blocking preview would cost per keystroke, without
  debounce);
* longest event-loop stall while typing into 12 KB / 100 KB / 1 MB reviews; floor: the same
  typing into a bare QPlainTextEdit (median of three, measured before any review page is
  made);
* longest event-loop stall from opening a 100 KB / 1 MB review in the editor (spell checking on)
  to the end of its highlighting, and from switching theme or spelling language on a 1 MB one;
  floor: a bare QPlainTextEdit's setPlainText of the same text.

Run ``python benches/bench_editor.py``; ``run()`` returns rows for ``benches/run_all.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import print_table, row  # noqa: E402

SIZES = {"12 KB": 12_000, "100 KB": 100_000, "1 MB": 1_000_000}
#: 1 MB: "<= 50 ms" as every "never blocks" row (decided 2026-12-06, docs/benchmarks.md goal
#: 4; it was "<= the bare editor's floor", our own gate, which the issue does not ask for).
STALL_GOALS = {"12 KB": "<= 16 ms", "100 KB": "<= 50 ms", "1 MB": "<= 50 ms"}
KEYS = "the quick brown fox jumps"
KEY_INTERVAL_MS = 60


def _app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    import journal.ui.editor  # noqa: F401  (PySide6 6.12 workaround)

    return QApplication.instance() or QApplication([])


def _wait(app, predicate, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    end = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > end:
            raise TimeoutError("the editor did not settle")
        app.processEvents()
        time.sleep(0.001)


class _Heartbeat:
    """A 2 ms timer recording the gaps between its beats: the longest is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(interval=2)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def settle_and_stop(self, app, seconds: float) -> float:  # type: ignore[no-untyped-def]
        """Let the loop run ``seconds`` more, stop, and return the longest stall in ms."""
        end = time.perf_counter() + seconds
        _wait(app, lambda: time.perf_counter() > end)
        self._timer.stop()
        return max(self.gaps) - 2.0 if self.gaps else 0.0


def _type_and_measure_stall(app, widget) -> float:  # type: ignore[no-untyped-def]
    """Type KEYS with a key every KEY_INTERVAL_MS; return the longest gap of a 2 ms heartbeat."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest

    heartbeat = _Heartbeat()
    keys = list(KEYS)

    def press() -> None:
        if keys:
            QTest.keyClick(widget, keys.pop(0))

    typist = QTimer(interval=KEY_INTERVAL_MS)
    typist.timeout.connect(press)
    heartbeat.start()
    typist.start()
    _wait(app, lambda: not keys)
    stall = heartbeat.settle_and_stop(app, 0.3)
    typist.stop()
    return stall


def _stall_during(app, action, done) -> float:  # type: ignore[no-untyped-def]
    """Run ``action`` from the event loop with a 2 ms heartbeat going; return the longest gap
    between beats until ``done()`` holds and 200 ms more have passed."""
    from PySide6.QtCore import QTimer

    heartbeat = _Heartbeat()
    started: list[bool] = []
    heartbeat.start()
    QTimer.singleShot(20, lambda: (action(), started.append(True)))
    _wait(app, lambda: bool(started) and done())
    return heartbeat.settle_and_stop(app, 0.2)


def _long_review_editor(app):  # type: ignore[no-untyped-def]
    from journal.core import spellcheck
    from journal.ui.editor.widget import MarkdownEditor

    spellcheck.load("en")
    spellcheck.load("fr")
    editor = MarkdownEditor(theme="light")
    editor.resize(600, 800)
    editor.show()
    editor.highlighter.set_language("en")
    app.processEvents()
    return editor


def _open_stalls(app, body: str, repeats: int = 3) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Median longest stalls: opening ``body`` (set_text, as the review view does), then
    switching theme and spelling language; each until all is highlighted."""
    editor = _long_review_editor(app)
    hl = editor.highlighter
    stalls: dict[str, list[float]] = {"open": [], "theme": [], "language": []}
    for n in range(repeats):
        editor.set_text("")
        stalls["open"].append(_stall_during(app, lambda: editor.set_text(body),
                                            lambda: not hl.busy))
        theme = "dark" if n % 2 == 0 else "light"
        stalls["theme"].append(_stall_during(app, lambda t=theme: hl.set_theme(t),
                                             lambda: not hl.busy))
        language = "fr" if hl.language == "en" else "en"
        stalls["language"].append(_stall_during(app, lambda lang=language: hl.set_language(lang),
                                                lambda: not hl.busy))
    editor.deleteLater()
    return {k: statistics.median(v) for k, v in stalls.items()}


def _bare_open_stall(app, body: str, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit()
    edit.resize(600, 800)
    edit.show()
    stalls = []
    for _ in range(repeats):
        edit.setPlainText("")
        stalls.append(_stall_during(app, lambda: edit.setPlainText(body),
                                    lambda: True))
    edit.deleteLater()
    return statistics.median(stalls)


def open_rows(app) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    from journal.core.synthetic import review_body

    rows = []
    for label in ("100 KB", "1 MB"):
        body = review_body(seed=11, approx_bytes=SIZES[label])
        floor = _bare_open_stall(app, body)
        stalls = _open_stalls(app, body)
        rows.append(row(f"editor: longest stall opening a review, {label}", floor,
                        stalls["open"], "<= 50 ms", "floor: bare QPlainTextEdit.setPlainText"))
        if label == "1 MB":
            for key, what in (("theme", "theme"), ("language", "spelling language")):
                rows.append(row(f"editor: longest stall switching {what}, {label}", floor,
                                stalls[key], "<= 50 ms",
                                "floor: bare QPlainTextEdit.setPlainText"))
    return rows


def _page(journal, body: str):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCursor

    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.pages.reviews import ReviewsPage

    film = journal.films.create(f"Bench {len(body)}", 2000, allow_duplicate=True)
    review = journal.reviews.create(film.id, body)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    page = ReviewsPage(journal, JournalSignals(journal), errors)
    page.resize(1200, 800)
    page.show()
    page.open_review(review.id)
    page.editor_view.editor.moveCursor(QTextCursor.MoveOperation.End)
    page.editor_view.editor.setFocus()
    return page


def _latency(app, page, repeats: int = 7, middle: bool = False) -> float:  # type: ignore[no-untyped-def]
    """Median keystroke → preview shown (``updated``), typing at the end of the text (or in
    the middle of a paragraph half-way down)."""
    from PySide6.QtTest import QTest

    preview = page.editor_view.preview
    _wait(app, lambda: preview.result is not None and not preview.busy)
    if middle:
        editor = page.editor_view.editor
        cursor = editor.textCursor()
        block = editor.document().findBlockByNumber(editor.blockCount() // 2)
        while block.isValid() and len(block.text()) < 40:
            block = block.next()
        cursor.setPosition(block.position() + 20)
        editor.setTextCursor(cursor)
    times = []
    for char in "abcdefghij"[:repeats]:
        done = []
        preview.updated.connect(lambda d=done: d.append(time.perf_counter()))
        start = time.perf_counter()
        QTest.keyClick(page.editor_view.editor, char)
        _wait(app, lambda d=done: bool(d) and not preview.busy)
        preview.updated.disconnect()
        times.append((done[0] - start) * 1000)
    return statistics.median(times)


def _sync_floor(app, body: str, repeats: int = 5) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QTextBrowser

    from journal.core.render import RenderOptions, ReviewDocument, render_review

    browser = QTextBrowser()
    browser.resize(600, 800)
    browser.show()
    times = []
    for n in range(repeats):
        doc = ReviewDocument(film_title="Bench", body=body + "x" * n)
        start = time.perf_counter()
        browser.setHtml(render_review(doc, RenderOptions()).html)
        app.processEvents()
        times.append((time.perf_counter() - start) * 1000)
    browser.deleteLater()
    return statistics.median(times)


def _bare_stall(app, body: str) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QPlainTextEdit

    edit = QPlainTextEdit()
    edit.resize(600, 800)
    edit.setPlainText(body)
    edit.show()
    edit.moveCursor(QTextCursor.MoveOperation.End)
    edit.setFocus()
    stall = _type_and_measure_stall(app, edit)
    edit.deleteLater()
    return stall


def run() -> list[dict[str, object]]:
    from journal.core.journal import Journal
    from journal.core.synthetic import review_body

    app = _app()
    rows = []
    # The floors first, with no review page alive: a page's own work (its highlighter going
    # through the text, the scroll sync, an autosave) went on during the "bare" typing and
    # made that floor 80-220 ms at 1 MB instead of ~15.
    bare = {label: statistics.median(_bare_stall(app, review_body(seed=11, approx_bytes=size))
                                     for _ in range(3))
            for label, size in SIZES.items()}
    with tempfile.TemporaryDirectory() as folder, Journal.open(Path(folder) / "b.eyelights") as j:
        for label, size in SIZES.items():
            body = review_body(seed=11, approx_bytes=size)
            page = _page(j, body)
            preview = page.editor_view.preview
            _wait(app, lambda p=preview: p.result is not None and not p.busy)
            if size <= 100_000:
                rows.append(row(f"editor: keystroke → preview, {label}", _sync_floor(app, body),
                                _latency(app, page), "as low as possible",
                                "floor: synchronous render + setHtml"))
            else:  # rendered by pieces, the preview patched (issue 19, goal 4)
                floor = _sync_floor(app, body, repeats=3)
                end = _latency(app, page)
                middle = _latency(app, page, middle=True)
                rows.append(row(f"editor: keystroke → preview, {label}", floor, end, "<= 100 ms",
                                f"at the end; {middle:.0f} ms in the middle; "
                                f"{preview.patches} patches; floor: synchronous render + "
                                "setHtml"))
            stall = _type_and_measure_stall(app, page.editor_view.editor)
            rows.append(row(f"editor: longest stall typing, {label}", bare[label],
                            stall, STALL_GOALS[label], "floor: bare QPlainTextEdit"))
            page.flush()
            _wait(app, lambda p=page: not p.editor_view.keeper.busy)  # (writes to the journal)
            page.close()
            page.deleteLater()
            app.processEvents()
    return rows + open_rows(app)


def main() -> None:
    if "--open" in sys.argv:  # only the rows about opening a long review
        print_table(open_rows(_app()))
        return
    print_table(run())


if __name__ == "__main__":
    main()
