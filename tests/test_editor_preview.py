"""The live preview: typing updates it, spoilers fold and reveal, links route, scroll sync."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor

BODY = """# Opening

Para with [[Her (2013)]] and [[Nowhere Film (1999)]].

::: spoiler The ending
FENCEDSECRET is here.
:::

*Major spoiler alert*

BLOGSECRET is here.

*End of spoilers*

Closing words.
"""


@pytest.fixture
def page(qtbot, journal, reviews_page):
    film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    review = journal.reviews.create(film.id, BODY, score="8.5")
    page = reviews_page(1200, 800)
    page.open_review(review.id)
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=5000)
    page.film_id, page.review_id = film.id, review.id
    return page


def html(page) -> str:
    return page.editor_view.preview.result.html


def wait_idle(qtbot, page) -> None:
    preview = page.editor_view.preview
    qtbot.waitUntil(lambda: not preview.busy, timeout=5000)


def test_typing_updates_the_preview(qtbot, page):
    editor = page.editor_view.editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.setFocus()
    qtbot.keyClicks(editor, "Zebra crossing")
    qtbot.waitUntil(lambda: "Zebra crossing" in html(page), timeout=3000)
    assert "Zebra crossing" in page.editor_view.preview.browser.toPlainText()


def test_both_spoiler_forms_fold_and_reveal(qtbot, page):
    preview = page.editor_view.preview
    assert "FENCEDSECRET" in html(page) and "BLOGSECRET" in html(page)
    assert preview.result.spoiler_count == 2
    preview.spoiler_button.click()  # fold
    qtbot.waitUntil(lambda: "FENCEDSECRET" not in html(page), timeout=3000)
    assert "BLOGSECRET" not in html(page)
    assert 'href="spoiler:1"' in html(page) and 'href="spoiler:2"' in html(page)
    preview.browser.anchorClicked.emit(QUrl("spoiler:2"))  # reveal only the blogger's one
    qtbot.waitUntil(lambda: "BLOGSECRET" in html(page), timeout=3000)
    assert "FENCEDSECRET" not in html(page)
    preview.spoiler_button.click()  # show all again
    qtbot.waitUntil(lambda: "FENCEDSECRET" in html(page), timeout=3000)


def _link_hrefs(browser) -> list[str]:
    hrefs = []
    block = browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href:
                hrefs.append(href)
            it += 1
        block = block.next()
    return hrefs


def test_film_link_click_emits_open_film_and_unknown_offers_create(qtbot, page):
    preview = page.editor_view.preview
    hrefs = _link_hrefs(preview.browser)
    film_href = next(h for h in hrefs if h.startswith("film:"))
    new_href = next(h for h in hrefs if h.startswith("newfilm:"))
    with qtbot.waitSignal(page.open_film) as opened:
        preview.browser.anchorClicked.emit(QUrl(film_href))
    assert opened.args == [page.film_id]
    with qtbot.waitSignal(page.create_film_requested) as create:
        preview.browser.anchorClicked.emit(QUrl(new_href))
    assert create.args == ["Nowhere Film", 1999]


def test_new_film_resolves_the_link_in_the_preview(qtbot, page, journal):
    journal.films.create("Nowhere Film", 1999)
    qtbot.waitUntil(lambda: "newfilm:" not in html(page), timeout=3000)


def _long_body() -> tuple[str, dict[int, str]]:
    lines, headings = [], {}
    for section in range(12):
        headings[len(lines) + 1] = f"Section {section}"
        lines.append(f"## Section {section}")
        lines.append("")
        for para in range(4):
            lines.append(f"Paragraph {section}.{para} " + "words go here " * 30)
            lines.append("")
    return "\n".join(lines), headings


def test_scroll_map_sends_heading_line_to_its_block_and_back(qtbot, page):
    view = page.editor_view
    body, headings = _long_body()
    view.editor.set_text(body)
    view.preview.request(view.document(), immediate=True)
    qtbot.waitUntil(lambda: "Section 11" in html(page) and not view.preview.busy, timeout=5000)
    preview = view.preview
    for line, text in headings.items():
        block = preview.block_for_line(line)
        assert block is not None and block.text().strip() == text
        assert preview.line_at_y(preview._block_y(block)) == line
    # editor → preview: scrolling the editor to a heading shows that heading at the top
    line = list(headings)[7]
    view.editor.verticalScrollBar().setValue(
        view.editor.document().findBlockByNumber(line - 1).firstLineNumber())
    assert preview.top_line() == line
    # preview → editor
    other = list(headings)[3]
    preview.browser.verticalScrollBar().setValue(round(preview.y_for_line(other)))
    assert view.editor.top_line() == other


def test_line_at_a_height_asks_few_blocks_where_they_are(qtbot, page, monkeypatch):
    """The editor's every scroll asks the preview which line is at its top: a long review's
    ~2,600 anchors were each asked their height (20–30 ms on the GUI thread at 1 MB, the
    highlighter scrolling the editor all along); a bisection asks a dozen, same answers."""
    view = page.editor_view
    body, headings = _long_body()
    view.editor.set_text(body * 6)
    view.preview.request(view.document(), immediate=True)
    qtbot.waitUntil(lambda: view.preview.result is not None and not view.preview.busy,
                    timeout=10_000)
    preview = view.preview
    anchors = preview.anchors()
    assert len(anchors) > 200
    ys = [preview._block_y(block) for _line, block in anchors]

    def expected(y: float) -> int:  # every anchor's height, the line interpolated
        i = max((k for k, top in enumerate(ys) if top <= y + 1.0), default=-1)
        if i < 0:
            return anchors[0][0]
        line = anchors[i][0]
        if i + 1 < len(anchors) and ys[i + 1] > ys[i]:
            line += int((anchors[i + 1][0] - line) * (y - ys[i]) / (ys[i + 1] - ys[i]))
        return line

    asked = []
    block_y = preview._block_y
    monkeypatch.setattr(preview, "_block_y", lambda block: asked.append(block) or block_y(block))
    for y in [-5.0, 0.0, *ys[::37], ys[-1] + 3.5, ys[-1] + 500.0, (ys[10] + ys[11]) / 2]:
        asked.clear()
        assert preview.line_at_y(y) == expected(y)
        assert len(asked) <= 2 * len(anchors).bit_length() + 2


def test_preview_keeps_scroll_position_on_refresh(qtbot, page):
    view = page.editor_view
    body, _ = _long_body()
    view.editor.set_text(body)
    view.preview.request(view.document(), immediate=True)
    wait_idle(qtbot, page)
    bar = view.preview.browser.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    kept = bar.value()
    cursor = QTextCursor(view.editor.document())  # edit without scrolling the editor
    cursor.movePosition(QTextCursor.MoveOperation.End)
    cursor.insertText(" more")
    qtbot.waitUntil(lambda: " more" in html(page), timeout=3000)
    assert abs(bar.value() - kept) <= 2


def test_a_1mb_review_keeps_typing_responsive(qtbot, page, journal):
    import time

    from journal.core.synthetic import review_body

    view = page.editor_view
    body = review_body(seed=3, approx_bytes=1_000_000)
    review = journal.reviews.create(page.film_id, body)
    page.open_review(review.id)
    preview = view.preview
    qtbot.waitUntil(lambda: preview.result is not None and "review-body" in html(page)
                    and len(html(page)) > 500_000, timeout=30000)
    editor = view.editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.setFocus()
    worst = 0.0
    for char in "typing on":
        start = time.perf_counter()
        qtbot.keyClick(editor, char)
        worst = max(worst, time.perf_counter() - start)
        qtbot.wait(30)
    assert editor.toPlainText().endswith("typing on")
    # the preview renders on a worker (by pieces, patched in: issue 19) and never pauses
    assert "paused" not in preview.status.text()
    assert worst < 0.25, f"a keystroke took {worst * 1000:.0f} ms"
    qtbot.waitUntil(lambda: "typing on" in html(page), timeout=30000)
    assert preview.status.text() == ""


def test_escape_closes_find_bar(qtbot, page):
    page.act_find.trigger()
    bar = page.editor_view.findbar
    assert bar.isVisible() and bar.find_edit.hasFocus()
    qtbot.keyClick(bar.find_edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()


@pytest.fixture
def switch_interval(monkeypatch):
    import sys

    from journal.ui import gil

    monkeypatch.setattr(gil, "_holders", set())  # no claim left by another test's widgets
    monkeypatch.setattr(gil, "_before", [])
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.005)  # Python's default
    yield
    sys.setswitchinterval(before)


def test_a_long_review_hands_the_gil_on_quickly(qtbot, page, journal, switch_interval):
    """While a long review is rendered by pieces at each key on a worker, the GUI thread's
    calls into Python wait for the GIL 1 ms at most (Python's default: 5 ms, each time);
    a short review leaves the interpreter as it is."""
    import sys

    from journal.core.synthetic import review_body

    editor = page.editor_view.editor
    editor.setFocus()
    qtbot.keyClick(editor, "a")
    wait_idle(qtbot, page)
    assert sys.getswitchinterval() == 0.005
    review = journal.reviews.create(page.film_id, review_body(seed=3, approx_bytes=100_000))
    page.open_review(review.id)
    editor.setFocus()
    qtbot.keyClick(editor, "b")
    wait_idle(qtbot, page)
    assert sys.getswitchinterval() <= 0.001
    # back to a short review: the interpreter as it was
    short = journal.reviews.create(page.film_id, "A short one.")
    page.open_review(short.id)
    editor.setFocus()
    qtbot.keyClick(editor, "c")
    wait_idle(qtbot, page)
    assert sys.getswitchinterval() == 0.005


def test_the_quick_hand_over_lasts_while_one_holder_at_least_asks(switch_interval):
    """The preview of a long review and a catalogue run may each ask for it; the interval
    comes back when the last one lets go, whatever the order."""
    import sys

    from journal.ui import gil

    gil.quick_handoff("preview")
    gil.quick_handoff("run")
    gil.quick_handoff("preview")  # asked again at the next key: still one claim
    assert sys.getswitchinterval() == 0.001 and gil.holders() == 2
    gil.let_go("preview")
    assert sys.getswitchinterval() == 0.001
    gil.let_go("preview")  # twice: nothing more
    gil.let_go("run")
    assert sys.getswitchinterval() == 0.005 and gil.holders() == 0
    gil.let_go("run")
    assert sys.getswitchinterval() == 0.005


def test_a_closed_preview_gives_the_hand_over_back(qtbot, switch_interval):
    import sys

    from journal.ui import gil
    from journal.ui.preview import PreviewPane

    pane = PreviewPane()
    gil.quick_handoff(pane._gil_key)
    assert sys.getswitchinterval() == 0.001
    pane.deleteLater()
    qtbot.waitUntil(lambda: gil.holders() == 0)
    assert sys.getswitchinterval() == 0.005
