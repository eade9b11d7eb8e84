"""Small forms from the keyboard (issue 13, items 5 and 6): the Edit Film dialog draws nothing over
its labels, and Return on the focused field submits Log a viewing, Add credit and the inline New
film row, as it does in a dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton, QWidget

from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter

RETURN = Qt.Key.Key_Return


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifiers)


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: focused() is widget)


@pytest.fixture
def env(journal):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown: list[str] = []
    errors.shown.connect(lambda *args: shown.append(repr(args)))
    signals = JournalSignals(journal)
    yield journal, signals, errors
    signals.detach()
    assert not shown, shown


@pytest.fixture
def film_page(env, qtbot):
    from journal.ui.pages.film_detail import FilmPage

    journal = env[0]
    film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    page = FilmPage(*env)
    qtbot.addWidget(page)
    page.resize(1000, 800)
    page.show()
    qtbot.waitExposed(page)
    page.show_film(film.id)
    return page, film.id


# ---------------------------------------------------------------------- item 5
def test_edit_film_dialog_draws_no_field_over_its_labels(film_page, qtbot):
    page, film_id = film_page
    edit = page.findChild(QPushButton, "filmEdit")
    focus(qtbot, edit)
    press(qtbot, Qt.Key.Key_Space)  # Edit…
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitExposed(dialog)
    title_label = next(label for label in dialog.findChildren(QLabel)
                       if label.text() == "&Title:")
    centre = title_label.mapTo(dialog, title_label.rect().center())
    assert dialog.childAt(centre) is title_label  # nothing is drawn over “Title:”
    visible = [w for w in dialog.findChildren(QWidget)
               if w.isVisibleTo(dialog) and w.parentWidget() is dialog]
    for a in visible:  # no two of the dialog's own widgets overlap
        for b in visible:
            if a is not b:
                assert not a.geometry().intersects(b.geometry()), (a.objectName(), b.objectName())
    assert dialog.findChild(QLineEdit, "filmDirectors") is None  # credits: on the film page
    # Tab from the title goes through the laid-out fields only
    qtbot.waitUntil(lambda: focused() is dialog.title)
    seen = []
    for _ in range(6):
        press(qtbot, Qt.Key.Key_Tab)
        seen.append(focused().objectName())
    assert seen[:2] == ["filmOriginalTitle", "filmYear"] and "filmDirectors" not in seen
    press(qtbot, Qt.Key.Key_Escape)


def test_new_film_dialog_still_asks_for_directors(env, qtbot):
    from journal.ui.dialogs.film_dialog import FilmDialog

    journal = env[0]
    dialog = FilmDialog(journal, env[2])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    directors = dialog.findChild(QLineEdit, "filmDirectors")
    assert directors is not None and directors.isVisible()
    label = dialog.layout().itemAt(0).layout().labelForField(directors)
    assert label is not None and label.text() == "&Directors:"
    focus(qtbot, dialog.title)
    qtbot.keyClicks(dialog.title, "Adaptation")
    focus(qtbot, directors)
    qtbot.keyClicks(directors, "Spike Jonze")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    film = journal.films.by_title("Adaptation")[0]
    assert journal.films.directors(film) == ["Spike Jonze"]


# ---------------------------------------------------------------------- item 6
def test_return_in_add_credit_adds_it(film_page, qtbot):
    page, _film_id = film_page
    before = page.credits.rowCount()
    focus(qtbot, page.credit_name)
    qtbot.keyClicks(page.credit_name, "Joaquin Phoenix")
    focus(qtbot, page.credit_character)
    qtbot.keyClicks(page.credit_character, "Theodore")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: page.credits.rowCount() == before + 1)
    names = [page.credits.item(row, 1).text() for row in range(page.credits.rowCount())]
    assert "Joaquin Phoenix" in names
    assert page.credit_name.text() == "" and focused() is page.credit_name  # ready for the next
    qtbot.keyClicks(page.credit_name, "Scarlett Johansson")
    press(qtbot, RETURN)  # from the name field too
    qtbot.waitUntil(lambda: page.credits.rowCount() == before + 2)


def test_return_in_the_log_viewing_dialogs_date_saves_it(env, qtbot):
    import datetime as dt

    from journal.ui.dialogs.viewing_dialog import ViewingDialog

    journal = env[0]
    film = journal.films.create("Her", 2013)
    dialog = ViewingDialog(journal, env[2], film_id=film.id, today=dt.date(2014, 1, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.date)
    dialog.date.selectAll()
    qtbot.keyClicks(dialog.date, "2014-01-24")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [v.watched_on for v in journal.viewings.for_film(film.id)] == ["2014-01-24"]


@pytest.fixture
def review_form(env, qtbot):
    from journal.ui.pages.reviews import ReviewsPage

    journal = env[0]
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Theodore writes letters.")
    page = ReviewsPage(*env)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.open_review(review.id)
    yield page.editor_view.form, review.id, film.id
    page.flush()


def test_return_in_the_forms_new_viewing_date_logs_it(review_form, qtbot, env):
    form, review_id, film_id = review_form
    journal = env[0]
    focus(qtbot, form.viewing_combo)
    press(qtbot, Qt.Key.Key_End)  # “Log a new viewing…”, the last choice
    qtbot.waitUntil(lambda: form.viewing_date.isVisible())
    qtbot.waitUntil(lambda: focused() is form.viewing_date)
    qtbot.keyClicks(form.viewing_date, "2014-01-24")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: form.viewing_id() is not None)
    assert [v.watched_on for v in journal.viewings.for_film(film_id)] == ["2014-01-24"]
    assert not form.viewing_date.isVisible()


def test_return_in_the_new_film_row_creates_it_from_title_or_year(review_form, qtbot, env):
    form, _review_id, _film_id = review_form
    journal = env[0]
    focus(qtbot, form.new_film_button)
    press(qtbot, Qt.Key.Key_Space)  # New film…
    qtbot.waitUntil(lambda: focused() is form.new_film_title)
    form.new_film_title.selectAll()
    qtbot.keyClicks(form.new_film_title, "Adaptation")
    press(qtbot, Qt.Key.Key_Tab)  # to the year
    assert focused() is form.new_film_year
    qtbot.keyClicks(focused(), "2002")
    press(qtbot, RETURN)  # from the year field
    qtbot.waitUntil(lambda: bool(journal.films.by_title("Adaptation", 2002)))
    assert form.film_id() == journal.films.by_title("Adaptation", 2002)[0].id
    assert not form.new_film_row.isVisible()


def test_credits_still_fill_the_table_after_return_adds_one(film_page, qtbot):
    """The columns are sized by the header (names and order to their contents, the characters
    the rest); sizing them all to their contents after each added credit shrank the characters'
    column and left the table half empty, its header cut short."""
    page, _film_id = film_page
    header = page.credits.horizontalHeader()
    for name, character in (("Joaquin Phoenix", "Theodore"), ("Amy Adams", "Amy")):
        focus(qtbot, page.credit_name)
        qtbot.keyClicks(page.credit_name, name)
        focus(qtbot, page.credit_character)
        qtbot.keyClicks(page.credit_character, character)
        press(qtbot, RETURN)
        qtbot.waitUntil(lambda n=name: any(page.credits.item(r, 1).text() == n
                                           for r in range(page.credits.rowCount())))
        qtbot.wait(50)
        width = sum(header.sectionSize(c) for c in range(header.count()))
        assert abs(width - page.credits.viewport().width()) <= 1, name
        assert header.sectionSize(2) > header.sectionSize(1)


@pytest.fixture
def window(env, open_window):
    journal, signals, errors = env
    return open_window(journal, (1100, 700), signals=signals, errors=errors)


def test_ctrl_l_while_writing_a_review_logs_a_viewing_of_its_film(env, window, qtbot):
    """Ctrl+L from the editor: the dialog starts on the review's film (it was empty), and a
    viewing being logged shows no Delete button (it did: addButton showed it again)."""
    journal = env[0]
    her = journal.films.create("Her", 2013)
    journal.films.create("Heat", 1995)
    review = journal.reviews.create(her.id, "Theodore writes letters.")
    window.reviews_page.open_review(review.id)
    editor = window.reviews_page.editor_view.editor
    focus(qtbot, editor)
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitExposed(dialog)
    assert dialog.film.film_id() == her.id
    assert not dialog.delete_button.isVisible()
    focus(qtbot, dialog.date)
    dialog.date.selectAll()
    qtbot.keyClicks(dialog.date, "2019-06")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert [v.watched_on for v in journal.viewings.for_film(her.id)] == ["2019-06"]


# ---------------------------------------------------------------------- the film picker's Return
#: the offscreen platform cannot raise the picker's completion popup or let it grab keys
POPUP_LIMITS = ("This plugin does not support raise", "does not support grabbing the keyboard",
                "This plugin does not support propagateSizeHints")


def type_in_the_film_picker(form, qtbot, text: str) -> None:
    """Alt+F's field: select what it shows, type over it; the completion list the typing pops
    up is closed with Escape, as a writer does who types a whole title."""
    focus(qtbot, form.film_combo)
    form.film_combo.lineEdit().selectAll()
    qtbot.keyClicks(focused(), text)
    qtbot.waitUntil(lambda: not form.film_combo._lookups.busy)  # the films it names, asked
    popup = form.film_combo.suggestions.popup()
    if popup.isVisible():
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not popup.isVisible())
    assert form.film_combo.currentText() == text


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_return_on_a_new_title_in_the_film_picker_offers_to_create_it(review_form, qtbot, env):
    """A writer types the title of a film the catalogue lacks and presses Return: the New film
    row opens with that title and year (it did nothing), and Return there creates the film."""
    form, _review_id, her = review_form
    journal = env[0]
    type_in_the_film_picker(form, qtbot, "Lost in Translation (2003)")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: form.new_film_row.isVisible() and focused() is form.new_film_title)
    assert (form.new_film_title.text(), form.new_film_year.value()) == ("Lost in Translation",
                                                                        2003)
    assert form.film_id() == her  # nothing changed until the film is made
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: bool(journal.films.by_title("Lost in Translation", 2003)))
    assert form.film_id() == journal.films.by_title("Lost in Translation", 2003)[0].id
    assert form.film_combo.currentText() == "Lost in Translation (2003)"


@pytest.mark.qt_log_ignore(*POPUP_LIMITS)
def test_return_on_a_known_title_without_its_year_chooses_the_film(review_form, qtbot, env):
    form, _review_id, _her = review_form
    journal = env[0]
    lost = journal.films.create("Lost in Translation", 2003).id
    type_in_the_film_picker(form, qtbot, "lost in translation")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: form.film_id() == lost)
    assert form.film_combo.currentText() == "Lost in Translation (2003)"
    assert not form.new_film_row.isVisible()


def test_return_on_an_empty_new_viewing_date_says_what_to_type(review_form, qtbot, env):
    """Alt+V, End ("Log a new viewing…") puts the caret in the date; a Return there before
    typing logged an undated viewing. It says what to type; the date typed then logs it."""
    form, _review_id, film_id = review_form
    journal = env[0]
    focus(qtbot, form.viewing_combo)
    press(qtbot, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: focused() is form.viewing_date)
    press(qtbot, RETURN)
    assert form.viewing_error.isVisible() and "2014-01-24" in form.viewing_error.text()
    assert journal.viewings.for_film(film_id) == [] and form.viewing_id() is None
    assert focused() is form.viewing_date
    qtbot.keyClicks(form.viewing_date, "2014-01-24")
    press(qtbot, RETURN)
    qtbot.waitUntil(lambda: form.viewing_id() is not None)
    assert [v.watched_on for v in journal.viewings.for_film(film_id)] == ["2014-01-24"]
