"""Words: plurals ("1 film", "seen once before"), media as people write them (Blu-ray), the body's
typography in eyelights and eyesores, tags with commas, a printed header that does not say the
title twice or show empty parentheses, and docs that say what the app does."""

from __future__ import annotations

import re
import subprocess
import token as tokens
import tokenize
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.words import count, medium_name, plural, times

ROOT = Path(__file__).resolve().parent.parent
STRING_TOKENS = {tokens.STRING, getattr(tokens, "FSTRING_MIDDLE", tokens.STRING)}


def test_counts_and_times():
    assert [count(n, "film") for n in (0, 1, 2, 1200)] == ["0 films", "1 film", "2 films",
                                                          "1,200 films"]
    assert count(1, "person") == "1 person" and count(3, "person") == "3 people"
    assert count(2, "watchlist entry", "watchlist entries") == "2 watchlist entries"
    assert [times(n) for n in (0, 1, 2, 3)] == ["never", "once", "twice", "3 times"]
    assert plural("is", 1) == "is" and plural("is", 4) == "are"
    assert medium_name("bluray") == "Blu-ray" and medium_name("tv") == "TV"
    assert medium_name(None) == "" and medium_name("laserdisc") == "laserdisc"


def test_no_message_writes_a_plural_as_s_in_parentheses():
    """ "review(s)", "time(s)": never; every count goes through core.words."""
    found = []
    for path in (ROOT / "journal").rglob("*.py"):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                if token.type in STRING_TOKENS and re.search(r"[A-Za-z]\(s\)", token.string):
                    found.append(f"{path.relative_to(ROOT)}:{token.start[0]}: {token.string}")
    assert found == []


# ---------------------------------------------------------------------- in the window
@pytest.fixture
def window(journal, open_window):

    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    viewing = journal.viewings.log(her.id, "2014-01-24", medium="bluray")
    journal.reviews.create(her.id, "A *lonely* writer.", viewing_id=viewing.id, title="Her",
                           eyelights='"Samantha" -- and Phoenix\'s face...', tags=["sci-fi",
                                                                                 "romance"])
    win = open_window(journal)
    win.her = her.id
    return win


def _keys(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_the_window_counts_in_words_and_says_seen_once_before(window, qtbot):
    journal = window.journal
    assert window.status_counts.text() == "1 film · 1 review"
    journal.films.create("Heat", 1995)
    qtbot.waitUntil(lambda: window.status_counts.text() == "2 films · 1 review")
    # Films (Ctrl+2), Return on Her, then Log a Viewing (Ctrl+L) on its page.
    _keys(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    films = window.films_area
    table = films.films.table
    table.setFocus()
    row = next(r for r in range(table.model().rowCount())
               if table.model().index(r, 0).data() == "Her")
    table.setCurrentIndex(table.model().index(row, 0))
    _keys(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: films.stack.currentWidget() is films.detail)
    _keys(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None) or \
        QApplication.activeModalWidget()
    assert dialog.rewatch_info.text() == "Rewatch: seen once before (24 January 2014)."
    dialog.reject()
    journal.viewings.log(window.her, "2020-05-01")
    _keys(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() not in (None, dialog))
    again = QApplication.activeModalWidget()
    assert again.rewatch_info.text().startswith("Rewatch: seen twice before (")
    again.reject()
    # The film page, the diary and the review's viewing list say Blu-ray, not bluray.
    assert "Blu-ray" in films.film.lists.text() and "bluray" not in films.film.lists.text()
    assert "Mentioned in" not in films.film.lists.text()  # no heading over nothing
    _keys(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    diary = window.pages["diary"]
    texts = [diary.model.index(r, c, p).data() for p, r, c in _walk(diary.model)]
    assert "Blu-ray" in texts and "bluray" not in texts
    window.navigate("review", journal.reviews.rows()[0].id)
    combo = window.reviews_page.editor_view.form.viewing_combo
    assert [combo.itemText(i) for i in range(combo.count())][1:3] == [
        "Seen 24 January 2014 · Blu-ray", "Seen 1 May 2020"]


def _walk(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent if parent is not None else QModelIndex()
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    for r in range(model.rowCount(parent)):
        for c in range(model.columnCount(parent)):
            yield parent, r, c
        yield from _walk(model, model.index(r, 0, parent))


def test_the_preview_header_eyelights_and_tags(window, qtbot):
    window.navigate("review", window.journal.reviews.rows()[0].id)
    preview = window.reviews_page.editor_view.preview.browser
    qtbot.waitUntil(lambda: "Samantha" in preview.toPlainText(), timeout=5000)
    text = preview.toPlainText()
    assert "“Samantha” – and Phoenix’s face…" in text  # the body's typography
    assert "Tags: romance, sci-fi" in text
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[0] == "Her (2013)" and lines[1] != "Her"  # "Her" is said once


# ---------------------------------------------------------------------- print and export
def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_printed_header_says_the_title_once_and_keeps_no_empty_labels(journal, tmp_path,
                                                                     qtbot):
    from journal.printing import write_pdf
    from journal.printing.pdf import PrintSettings, header_text

    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    review = journal.reviews.create(her.id, "Body.", title="her ", score="8.5",
                                    eyelights="it's \"tender\"", tags=["sci-fi", "romance"])
    out = write_pdf(journal, review.id, tmp_path / "her.pdf",
                    PrintSettings(header=True, footer=True))
    text = _pdf_text(out)
    assert text.count("Her") == 2  # the running header and the page's heading, never "Her — Her"
    assert "Her — Her" not in text and "Her (2013)" in text
    assert "Eyelights: it’s “tender”" in text
    assert "Tags: romance, sci-fi" in text
    # A film with neither year nor director: no "()", no "Directed by".
    bare = journal.films.create("Untitled Home Movie")
    untitled = journal.reviews.create(bare.id, "Body.", score="6")
    out = write_pdf(journal, untitled.id, tmp_path / "bare.pdf", PrintSettings())
    text = _pdf_text(out)
    assert "()" not in text and "Directed by" not in text and "Untitled Home Movie" in text
    from journal.core.export.document import document_for_review

    doc = document_for_review(journal, untitled.id)
    assert header_text(doc) == "Untitled Home Movie"
    doc = document_for_review(journal, review.id)
    assert header_text(doc) == "Her (2013)"
    doc.title, doc.score = "Love, unplugged", Decimal("8.5")
    assert header_text(doc) == "Love, unplugged — Her (2013)"


def test_exported_html_title_and_header(journal):
    from journal.core.export.document import export_options, review_html

    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Body.", title="Her")
    html = review_html(journal, review.id, export_options()).html
    assert "<title>Her (2013)</title>" in html
    assert 'class="review-title"' not in html and html.count(">Her <") == 1


# ---------------------------------------------------------------------- docs
def test_catalogue_doc_gives_the_real_new_film_shortcut(window):
    from PySide6.QtGui import QKeySequence

    doc = (ROOT / "docs" / "catalogue.md").read_text(encoding="utf-8")
    shortcut = window.act_new_film.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
    assert f"**New Film…** ({shortcut}" in doc
