"""Look Up…, Complete the Catalogue…, the new-film suggestions and Preferences → Catalogue, driven
from the keyboard and the mouse against the local stand-in (issue 17)."""

from __future__ import annotations

import os
import stat

import keyring
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from journal.core.metadata.keys import KEYRING_NAME, KEYRING_SERVICE, KeyStore

KEY = "test-key-0123456789abcdef"


def credits(journal, film_id, role):
    m = journal.models
    return [(c.person.name, c.character) for c in m.Credit.select(m.Credit, m.Person)
            .join(m.Person).where(m.Credit.film == film_id, m.Credit.role == role)
            .order_by(m.Credit.order)]


@pytest.fixture
def film_page(env, qtbot):
    from journal.ui.pages.film_detail import FilmPage

    page = FilmPage(*env)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


def gone(widget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def _dialog(qtbot, cls):
    qtbot.waitUntil(lambda: any(isinstance(w, cls) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.isVisible())


def test_look_up_from_the_film_page_keeps_what_the_user_typed(metadata_server, env, film_page,
                                                              qtbot, tmp_path):
    from journal.ui.lookup_dialog import LookupDialog

    journal = env[0]
    film = journal.films.create("Her", 2013, runtime_minutes=120)
    film_page.show_film(film.id)
    qtbot.mouseClick(film_page.findChild(QPushButton, "filmLookUp"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, LookupDialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 2 and dialog.table.rowCount() > 0,
                    timeout=5000)
    assert dialog.list.item(0).text().startswith("Her (2013) — Spike Jonze")
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 0).checkState()
            for r in range(dialog.table.rowCount())}
    assert rows["Runtime"] == Qt.CheckState.Unchecked        # 120 was typed: kept
    assert rows["Directors"] == Qt.CheckState.Checked and rows["Cast"] == Qt.CheckState.Checked
    dialog.grab().save(str(tmp_path / "lookup.png"))
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)           # to the changes
    assert dialog.table.hasFocus()
    first = dialog.table.item(0, 0)
    assert (first.text(), dialog.table.item(0, 1).text(), dialog.table.item(0, 2).text()) == (
        "Runtime", "120 min", "126 min")
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)           # tick it…
    assert first.checkState() == Qt.CheckState.Checked
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)           # …and keep mine after all
    assert first.checkState() == Qt.CheckState.Unchecked
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5000)
    saved = journal.models.Film.get_by_id(film.id)
    assert saved.runtime_minutes == 120 and saved.wikidata_id == "Q101"
    assert credits(journal, film.id, "director") == [("Spike Jonze", None)]
    assert credits(journal, film.id, "cast")[1] == ("Scarlett Johansson", "Samantha")
    qtbot.waitUntil(lambda: "Spike Jonze" in film_page.facts.text(), timeout=3000)
    assert "United States of America" in film_page.facts.text()


def test_look_up_when_offline_says_which_service_and_why(env, film_page, qtbot):
    from journal.ui.lookup_dialog import LookupDialog

    film = env[0].films.create("Her", 2013)
    film_page.show_film(film.id)
    qtbot.mouseClick(film_page.findChild(QPushButton, "filmLookUp"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, LookupDialog)
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.status.text(), timeout=5000)
    assert dialog.status.text() == ("Wikidata cannot be reached (127.0.0.1:9): the connection was "
                                    "refused (no network, or the service is down).")
    assert dialog.list.count() == 0 and not dialog.apply_button.isEnabled()
    dialog.reject()


def test_look_up_in_the_new_film_dialog_fills_the_form(metadata_server, env, qtbot,
                                                       monkeypatch):
    from journal.ui.dialogs.film_dialog import FilmDialog
    from journal.ui.lookup_dialog import LookupDialog

    monkeypatch.setenv("EYELIGHTS_TMDB_KEY", KEY)   # TMDb is then the default source
    journal = env[0]
    dialog = FilmDialog(journal, env[2])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.setFocus()
    qtbot.keyClicks(dialog.title, "Stalker")
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.title, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)   # &Look Up…
    lookup = _dialog(qtbot, LookupDialog)
    qtbot.waitUntil(lambda: lookup.table.rowCount() > 0, timeout=5000)
    assert lookup.source_name() == "tmdb" and lookup.list.count() == 2
    qtbot.keyClick(lookup.title, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: gone(lookup), timeout=3000)
    assert (dialog.year.text(), dialog.original.text(), dialog.directors.text(),
            dialog.runtime.text(), dialog.tmdb.text()) == (
        "1979", "Сталкер", "Andrei Tarkovsky", "162", "1398")
    assert dialog.synopsis.toPlainText().startswith("Near a gray and unnamed city")
    dialog.runtime.setText("161")                       # the user still has the last word
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)     # Save
    qtbot.waitUntil(lambda: gone(dialog), timeout=3000)
    film = journal.models.Film.get_by_id(dialog.film_id)
    assert (film.runtime_minutes, film.wikidata_id, film.genres) == (
        161, "Q110", "Science Fiction, Drama")
    assert [n for n, _c in credits(journal, film.id, "cast")][:2] == [
        "Alexander Kaidanovsky", "Anatoly Solonitsyn"]
    qtbot.waitUntil(lambda: journal.models.Film.get_by_id(film.id).poster_id is not None,
                    timeout=5000)


def test_complete_the_catalogue_window(metadata_server, env, qtbot, tmp_path):
    from journal.ui.complete_catalogue import CompleteCatalogueDialog
    from journal.ui.pages.films import FilmsPage

    journal = env[0]
    ids = {t: journal.films.create(t, y).id for t, y in (("Her", 2013), ("Nosferatu", None),
                                                          ("Mirror", 1975))}
    page = FilmsPage(*env)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.complete_button, Qt.MouseButton.LeftButton)
    window = _dialog(qtbot, CompleteCatalogueDialog)
    assert window.intro.text().startswith("3 films miss directors, cast or a poster")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_S,
                   Qt.KeyboardModifier.AltModifier)                          # &Start
    with qtbot.waitSignal(window.finished_run, timeout=15000) as done:
        pass
    summary = done.args[0]
    assert window.status.text() == ("2 films completed from Wikidata, 1 to confirm "
                                    "(3 of 3 looked up).")
    assert summary.backup is not None and summary.backup.exists()
    assert window.progress.value() == window.progress.maximum() == 3
    assert window.films.count() == 1 and window.films.item(0).text() == "Nosferatu"
    assert window.intro.text().startswith("1 film misses directors, cast or a poster and is "
                                          "still to look up on Wikidata (never looked up, or "
                                          "waiting for you to confirm).")
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)   # again: same film
    with qtbot.waitSignal(window.finished_run, timeout=15000):
        pass
    assert window.films.count() == 1                   # offered once, not twice
    window.grab().save(str(tmp_path / "complete.png"))
    window.films.setFocus()
    qtbot.keyClick(window.films, Qt.Key.Key_Right)
    assert window.candidates.hasFocus()
    qtbot.keyClick(window.candidates, Qt.Key.Key_Down)                          # 2024, Eggers
    assert window.candidates.currentItem().text().startswith("Nosferatu (2024) — Robert Eggers")
    qtbot.keyClick(window.candidates, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: credits(journal, ids["Nosferatu"], "director") == [
        ("Robert Eggers", None)], timeout=5000)
    assert window.films.count() == 0
    assert journal.models.Film.get_by_id(ids["Nosferatu"]).year == 2024
    qtbot.waitUntil(lambda: window.intro.text().startswith("Nothing left to look up on "
                                                           "Wikidata"), timeout=3000)
    assert not window.start_button.isEnabled()
    assert credits(journal, ids["Her"], "director") == [("Spike Jonze", None)]
    window.close()


def test_cancel_the_run_then_start_again(metadata_server, metadata_helpers, env, qtbot):
    from journal.ui.complete_catalogue import CompleteCatalogueDialog

    journal = env[0]
    for _ in range(6):
        journal.films.create("Her", 2013, allow_duplicate=True)
    # Every answer slowed enough that the films after the first are still to come when the
    # click lands, even on a loaded machine (0.15 s let all six finish first under load 10)
    metadata_server.faults.append(metadata_helpers.Fault(where="/", status=200, delay=0.6,
                                                         times=10**6))
    window = CompleteCatalogueDialog(journal)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.progress.value() >= 1, timeout=10000)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.finished_run, timeout=15000) as done:
        pass
    first = done.args[0]
    assert first.cancelled and 1 <= len(first.outcomes) < 6, (
        first.stopped_by, [(o.title, o.outcome, o.notes) for o in first.outcomes])
    assert window.start_button.isEnabled()
    metadata_server.faults.clear()
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.finished_run, timeout=15000) as done:
        pass
    assert len(done.args[0].outcomes) == 6 - len(first.outcomes)   # resumed, not restarted


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_the_new_film_row_suggests_as_you_type(metadata_server, journal, qtbot):
    from journal.ui.review_form import ReviewForm

    form = ReviewForm(journal)
    qtbot.addWidget(form)
    form.resize(900, 300)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    qtbot.mouseClick(form.new_film_button, Qt.MouseButton.LeftButton)
    assert form.new_film_title.hasFocus()
    form.new_film_title.clear()
    suggestions = form.film_suggestions
    qtbot.keyClicks(form.new_film_title, "Nosferatu")
    popup = suggestions.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and popup.model().rowCount() == 3, timeout=5000)
    assert suggestions.searches == 1       # debounced: one search for nine keystrokes
    labels = [popup.model().index(r, 0).data() for r in range(3)]
    assert labels == ["Nosferatu (1922) — F. W. Murnau", "Nosferatu (2024) — Robert Eggers",
                      "Nosferatu the Vampyre (1979) — Werner Herzog"]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)          # picks the suggestion…
    assert form.new_film_year.value() == 2024 and form.new_film_title.text() == "Nosferatu"
    assert not popup.isVisible() and not journal.models.Film.select().exists()
    qtbot.keyClick(form.new_film_title, Qt.Key.Key_Return)   # …and Return creates the film
    film = journal.models.Film.get(journal.models.Film.title == "Nosferatu")
    assert film.year == 2024
    qtbot.waitUntil(lambda: credits(journal, film.id, "director") == [("Robert Eggers", None)],
                    timeout=5000)


def test_the_tmdb_key_goes_to_the_keyring(memory_keyring, qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from journal.ui.preferences import PreferencesDialog

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.catalogue_tab
    dialog.tabs.setCurrentWidget(tab)
    assert not tab.plain.isVisible()          # a keyring is there: no plain-file choice
    tab.key.setFocus()
    qtbot.keyClicks(tab.key, KEY)
    qtbot.keyClick(tab.key, Qt.Key.Key_Return)   # OK
    assert not dialog.isVisible()
    assert memory_keyring.secrets == {(KEYRING_SERVICE, KEYRING_NAME): KEY}
    assert KEY not in (tmp_path / "s.ini").read_text()
    assert not KeyStore().plain_file.exists()


def test_without_a_keyring_the_key_needs_consent_for_a_plain_file(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from journal.ui.preferences import PreferencesDialog

    keyring.set_keyring(keyring.backends.fail.Keyring())
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.catalogue_tab
    dialog.tabs.setCurrentWidget(tab)
    assert tab.plain.isVisible() and not tab.plain.isChecked()
    tab.key.setFocus()
    qtbot.keyClicks(tab.key, KEY)
    qtbot.keyClick(tab.key, Qt.Key.Key_Return)
    assert dialog.isVisible()                    # refused: nothing written anywhere
    assert tab.message.text().startswith("No system keyring is available here, so the TMDb key "
                                         "was not saved.")
    assert not KeyStore().plain_file.exists()
    tab.plain.setFocus()
    qtbot.keyClick(tab.plain, Qt.Key.Key_Space)
    qtbot.keyClick(tab.key, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    path = KeyStore().plain_file
    assert path.read_text().strip() == KEY
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert KeyStore().get() == KEY


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
def test_suggestions_as_you_type_can_be_turned_off_and_then_send_nothing(metadata_server,
                                                                         journal, qtbot):
    from PySide6.QtCore import QSettings

    from journal.ui.preferences import PreferencesDialog
    from journal.ui.review_form import ReviewForm

    dialog = PreferencesDialog(QSettings())
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.catalogue_tab
    dialog.tabs.setCurrentWidget(tab)
    assert tab.suggest.isChecked()               # on until the user says otherwise
    tab.suggest.setFocus()
    qtbot.keyClick(tab.suggest, Qt.Key.Key_Space)
    qtbot.keyClick(tab.suggest, Qt.Key.Key_Return)   # OK
    assert not dialog.isVisible()

    form = ReviewForm(journal)
    qtbot.addWidget(form)
    form.show()
    qtbot.mouseClick(form.new_film_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.new_film_title, "Nosferatu")
    qtbot.wait(900)                               # twice the pause before a search
    assert form.film_suggestions.searches == 0 and metadata_server.requests == []
    qtbot.keyClick(form.new_film_title, Qt.Key.Key_Return)   # the film is made, not filled in
    film = journal.models.Film.get(journal.models.Film.title == "Nosferatu")
    qtbot.wait(300)
    assert metadata_server.requests == [] and credits(journal, film.id, "director") == []


def test_a_new_search_that_fails_leaves_no_old_answer_to_apply(metadata_server, env,
                                                               film_page, qtbot):
    from journal.ui.lookup_dialog import LookupDialog

    film = env[0].films.create("Her", 2013)
    film_page.show_film(film.id)
    qtbot.mouseClick(film_page.findChild(QPushButton, "filmLookUp"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, LookupDialog)
    qtbot.waitUntil(lambda: dialog.apply_button.isEnabled(), timeout=5000)
    metadata_server.stop()                                   # the network goes
    dialog.title.selectAll()
    qtbot.keyClicks(dialog.title, "Solaris")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.status.text(), timeout=5000)
    assert dialog.list.count() == 0 and dialog.table.rowCount() == 0
    assert not dialog.apply_button.isEnabled()
    dialog.reject()


def test_a_film_s_own_poster_is_kept_unless_the_user_ticks_the_source_s(metadata_server, env,
                                                                         film_page, qtbot):
    """Decision (docs/catalogue.md): a poster the film has stays; Look Up… offers the source's,
    unticked, and takes it when the user ticks it. (The offer was unreachable: both read
    "a poster", so the row was dropped as unchanged and the user never heard of it.)"""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QImage

    from journal.ui.lookup_dialog import LookupDialog

    journal = env[0]
    film = journal.films.create("Mirror", 1975)
    image = QImage(20, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#c0392b"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    mine = journal.films.set_poster(film.id, bytes(buffer.data()), "image/png", 20, 30)
    film_page.show_film(film.id)
    qtbot.mouseClick(film_page.findChild(QPushButton, "filmLookUp"), Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, LookupDialog)
    qtbot.waitUntil(lambda: dialog.list.count() > 0 and dialog.table.rowCount() > 0,
                    timeout=5000)
    rows = [(dialog.table.item(r, 0).text(), dialog.table.item(r, 1).text(),
             dialog.table.item(r, 2).text(), dialog.table.item(r, 0).checkState())
            for r in range(dialog.table.rowCount())]
    poster_row = next(r for r, row in enumerate(rows) if row[0] == "Poster")
    assert rows[poster_row] == ("Poster", "a poster", "the source's poster",
                                Qt.CheckState.Unchecked)
    assert "stay as they are unless you tick them" in dialog.status.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)           # to the changes
    for _ in range(poster_row):
        qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)           # take the source's poster
    assert dialog.table.item(poster_row, 0).checkState() == Qt.CheckState.Checked
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: gone(dialog), timeout=5000)
    replaced = journal.models.Film.get_by_id(film.id).poster
    assert replaced is not None and replaced.sha256 != mine.sha256
