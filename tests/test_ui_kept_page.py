"""Kept pages in the window (``journal/ui/kept_page.py``): the editor keeps the page of the
saved review; opening a review shows its kept page without rendering, and a stale one never;
a launch naming a review paints its kept page in the first frame, before the editor (or
python-markdown) is imported; keys pressed before the editor exists reach it."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from journal.core import render_cache

ROOT = Path(__file__).resolve().parent.parent

BODY = ("Plain first line of the review.\n\nShe is *everything* — [[Her (2013)]].\n\n"
        "*MAJOR spoiler alert*\n\nThe end.\n\n*MAJOR spoiler alert*\n")


def _renders(monkeypatch) -> list[str]:
    """Count the preview's renders (the real renderer still runs)."""
    import journal.ui.preview as preview_module

    calls: list[str] = []
    real = preview_module.render_review

    def counting(doc, *args, **kwargs):
        calls.append(doc.body)
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(preview_module, "render_review", counting)
    return calls


def test_the_saved_review_s_page_is_kept_and_shown_on_opening_without_a_render(
        qtbot, journal, reviews_page, monkeypatch):
    film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    review = journal.reviews.create(film.id, BODY, score="8.5")
    other = journal.reviews.create(film.id, "Another review.")
    renders = _renders(monkeypatch)
    page = reviews_page(1200, 800)
    view = page.editor_view
    preview = view.preview
    page.open_review(review.id)  # never opened: no kept page, rendered (and then kept)
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=5000)
    assert renders == [BODY]
    qtbot.waitUntil(lambda: not view.keeper.busy, timeout=5000)
    kept = render_cache.kept_page(journal, review.id, preview.options().theme)
    assert kept is not None and kept.result.html == preview.result.html
    # typed, then saved by the autosave: the page of the new text is kept
    view.editor.moveCursor(QTextCursor.MoveOperation.End)
    view.editor.setFocus()
    qtbot.keyClicks(view.editor, "Zebra")
    qtbot.waitUntil(lambda: not view.autosaver.dirty and "Zebra" in preview.result.html
                    and not preview.busy, timeout=8000)
    qtbot.waitUntil(lambda: (page_ := render_cache.kept_page(
        journal, review.id, preview.options().theme)) is not None
        and "Zebra" in page_.result.html, timeout=5000)
    assert journal.reviews.get(review.id).body.endswith("Zebra")
    # another review, then this one again: its kept page, no render, no python-markdown work
    page.open_review(other.id)
    qtbot.waitUntil(lambda: not preview.busy and "Another review" in preview.result.html,
                    timeout=5000)
    count = len(renders)
    page.open_review(review.id)
    assert "Zebra" in preview.result.html and preview.result.has_spoilers
    assert "Zebra" in preview.browser.toPlainText()
    qtbot.wait(100)
    assert len(renders) == count and not preview.busy
    assert preview.spoiler_button.isEnabled()
    # the first keystroke renders as before
    view.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(view.editor, "Q")
    qtbot.waitUntil(lambda: "ZebraQ" in preview.result.html, timeout=5000)
    assert len(renders) > count


def test_a_stale_kept_page_is_never_shown(qtbot, journal, journal_path, reviews_page,
                                          monkeypatch):
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, BODY)
    other = journal.reviews.create(film.id, "Another review.")
    renders = _renders(monkeypatch)
    page = reviews_page(1200, 800)
    preview = page.editor_view.preview
    page.open_review(review.id)
    qtbot.waitUntil(lambda: preview.result is not None and not preview.busy, timeout=5000)
    qtbot.waitUntil(lambda: not page.editor_view.keeper.busy, timeout=5000)
    assert render_cache.kept_key(journal, review.id) is not None
    page.open_review(other.id)
    qtbot.waitUntil(lambda: not preview.busy and "Another" in preview.result.html, timeout=5000)
    with sqlite3.connect(journal_path) as db:  # edited outside the app (the CLI, a script)
        db.execute("UPDATE review SET body = 'Changed elsewhere.' WHERE id = ?", (review.id,))
    count = len(renders)
    page.open_review(review.id)
    qtbot.waitUntil(lambda: not preview.busy and preview.result is not None, timeout=5000)
    assert "Changed elsewhere" in preview.result.html and "everything" not in \
        preview.browser.toPlainText()
    assert len(renders) == count + 1


def test_keys_pressed_before_the_editor_exists_reach_it(qtbot, journal_path):
    """A launch naming a review with a kept page: the page is on screen before the journal
    is open; what the writer types then is held and given to the editor, in order."""
    from PySide6.QtWidgets import QApplication

    from journal.core.film_titles import link_resolver
    from journal.core.journal import Journal
    from journal.core.render import RenderOptions, render_review
    from journal.ui.application import AppController
    from journal.ui.theme import theme_name

    with Journal.open(journal_path) as journal:
        film = journal.films.create("Her", 2013)
        review = journal.reviews.create(film.id, BODY)
        doc = render_cache.stored_document(journal.store.db.execute_sql, review.id)
        options = RenderOptions(theme=theme_name())  # type: ignore[arg-type]
        result = render_review(doc, options, resolve=link_resolver(journal))
        assert render_cache.keep(journal, review.id, doc, options, result) is not None
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    controller.launch_opens_review, controller.launch_review = True, review.id
    try:
        assert controller.open_journal(journal_path)
        window = controller.window
        qtbot.addWidget(window)
        page = window.reviews_page
        standin = page.standin
        assert standin is not None and not window.attached
        assert page.stack.currentWidget() is standin and standin.toHtml()
        assert window.focusWidget() is standin  # what the writer types goes to it
        assert "Plain first line" in standin.toPlainText()
        controller.when_open(lambda: controller.handle_message({"open": f"review:{review.id}"}))
        standin.setFocus()
        qtbot.keyClicks(standin, "Hi")
        qtbot.keyClick(standin, Qt.Key.Key_Return)
        assert "Hi" not in standin.toPlainText()  # read-only: nothing typed into it
        assert len(standin.held) == 3
        qtbot.waitUntil(lambda: page.editing(), timeout=10_000)
        editor = page.editor_view.editor
        assert editor.toPlainText().startswith("Hi\nPlain first line")
        assert page.standin is None and page.stack.currentWidget() is not standin
        preview = page.editor_view.preview
        qtbot.waitUntil(lambda: "Hi" in preview.browser.toPlainText(), timeout=5000)
        assert page.flush()
        assert controller.journal.reviews.get(review.id).body.startswith("Hi\nPlain first line")
    finally:
        controller.shutdown()


def test_a_miss_paints_the_page_the_preview_renders_and_keeps_it(qtbot, journal_path,
                                                                   monkeypatch):
    """A launch naming a review without a kept page (after an import, an edit elsewhere,
    another theme): its page is rendered in the first look and painted in the first frame; it
    is the page the preview's own rendering makes (its renderer, its link resolver); the
    editor shows it without rendering again, and keeps it."""
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.ui.application import AppController

    with Journal.open(journal_path) as journal:
        film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
        journal.films.create("Her", 1999)  # the link must pick by its year
        viewing = journal.viewings.log(film.id, "2014-01-24")
        review = journal.reviews.create(
            film.id, BODY + "\nNot [[Lost Film]].\n", title="Her 8.5", score="8.5",
            eyelights="Joaquin", tags=["romance"], viewing_id=viewing.id)
        assert render_cache.kept_key(journal, review.id) is None
    renders = _renders(monkeypatch)
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    controller.launch_opens_review, controller.launch_review = True, review.id
    try:
        assert controller.open_journal(journal_path)
        window = controller.window
        qtbot.addWidget(window)
        page = window.reviews_page
        standin = page.standin
        assert standin is not None and not window.attached and not standin.page.kept
        assert page.stack.currentWidget() is standin
        assert "Plain first line" in standin.toPlainText()
        painted = standin.page.result.html
        assert f'href="film:{film.id}">Her (2013)' in painted  # 2013's, not 1999's
        assert 'href="newfilm:Lost%20Film"' in painted
        controller.when_open(lambda: controller.handle_message({"open": f"review:{review.id}"}))
        qtbot.waitUntil(lambda: page.editing(), timeout=10_000)
        view = page.editor_view
        preview = view.preview
        assert preview.result is not None and preview.result.html == painted
        qtbot.waitUntil(lambda: not view.keeper.busy, timeout=5000)
        assert renders == [] and not preview.busy  # shown, not rendered again
        assert render_cache.kept_key(controller.journal, review.id) == standin.page.key
        # the full path: the preview renders the same review itself
        preview.refresh()
        qtbot.waitUntil(lambda: len(renders) == 1 and not preview.busy, timeout=5000)
        assert preview.result.html == painted
        assert preview.result.film_links == standin.page.result.film_links
    finally:
        controller.shutdown()


PROBE = """
import json, sys, atexit
from journal.app import _import_before_qt, main
import journal.ui.application as application
report = application._report
seen = {}
def probe(what):
    if what == "painted" and "painted" not in seen:
        window = application.QApplication.activeWindow() or next(
            w for w in application.QApplication.topLevelWidgets() if w.objectName() == "mainWindow")
        standin = window.reviews_page.standin
        seen["painted"] = {
            "standin": standin is not None and standin.isVisible(),
            "text": standin.toPlainText()[:40] if standin is not None else "",
            "editor_module": "journal.ui.editor.view" in sys.modules,
            "markdown": "markdown" in sys.modules}
    report(what)
application._report = probe
def end():
    seen["end_markdown"] = "markdown" in sys.modules
    print("PROBE " + json.dumps(seen), flush=True)
atexit.register(end)
sys.exit(main(["--smoke-test", "--journal", sys.argv[1], "--open", sys.argv[2]]))
"""


def test_a_launch_naming_a_review_paints_its_page_before_the_editor_exists(tmp_path):
    from journal.core.journal import Journal

    path = tmp_path / "one.eyelights"
    with Journal.open(path) as journal:
        film = journal.films.create("Her", 2013)
        review = journal.reviews.create(film.id, BODY)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EYELIGHTS_REPORT_SHOWN": "1",
           "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
           "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share")}
    runs = []
    # the first launch (no kept page: a miss) renders it at once and keeps its page; the
    # second shows the kept page
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", PROBE, str(path), f"review:{review.id}"],
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        line = next(x for x in done.stdout.splitlines() if x.startswith("PROBE "))
        moments = [x.split()[0] for x in done.stdout.splitlines() if x[:1].islower()]
        runs.append((json.loads(line.removeprefix("PROBE ")), moments))
    (first, first_moments), (second, second_moments) = runs
    painted = {"standin": True, "text": "Her (2013)\nPlain first line of the revie",
               "editor_module": False}
    assert first["painted"] == {**painted, "markdown": True}  # rendered before the editor
    assert second["painted"] == {**painted, "markdown": False}
    assert second["end_markdown"] is False  # shown, never rendered: python-markdown not loaded
    # the preview's moment is the first frame's; then the editor's
    for moments in (first_moments, second_moments):
        assert moments.index("preview") == moments.index("painted") + 1
    assert second_moments[-1] == "editor" and first_moments[-1] == "editor"



def test_the_review_reopened_at_start_shows_its_kept_page_without_a_render(
        qtbot, journal_path, monkeypatch):
    """No ``--open``: the window reopens the review open when the app last closed. Its first
    frame stays light (the list: the start-up goal), and the editor then shows the kept page
    without rendering it, the caret where it was."""
    from PySide6.QtWidgets import QApplication

    from journal.core.film_titles import link_resolver
    from journal.core.journal import Journal
    from journal.core.render import RenderOptions, render_review
    from journal.ui.application import AppController
    from journal.ui.editor.place import Place, save_place
    from journal.ui.theme import theme_name

    body = "\n\n".join(f"## Part {n}\n\nParagraph {n} of a long review." for n in range(60))
    with Journal.open(journal_path) as journal:
        film = journal.films.create("Her", 2013)
        review = journal.reviews.create(film.id, body)
        doc = render_cache.stored_document(journal.store.db.execute_sql, review.id)
        options = RenderOptions(theme=theme_name())  # type: ignore[arg-type]
        result = render_review(doc, options, resolve=link_resolver(journal))
        assert render_cache.keep(journal, review.id, doc, options, result) is not None
    renders = _renders(monkeypatch)
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    caret = body.index("Paragraph 40")
    save_place(controller.settings, journal_path.resolve(), Place(review.id, caret))
    try:
        assert controller.open_journal(journal_path)
        window = controller.window
        qtbot.addWidget(window)
        page = window.reviews_page
        assert page.standin is None and page.stack.currentWidget() is page.list_panel
        qtbot.waitUntil(lambda: page.editing(), timeout=10_000)
        preview = page.editor_view.preview
        assert page.editor_view.editor.textCursor().position() == caret
        assert preview.result is not None and preview.result.html == result.html
        qtbot.wait(100)
        assert renders == [] and not preview.busy
    finally:
        controller.shutdown()
