"""The film page: "Merge With…" through the film chooser, and a poster dropped on the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from journal.core.posters import ThumbnailCache
from journal.ui.bridge import JournalSignals
from journal.ui.errors import ErrorReporter
from journal.ui.pages.film_detail import FilmPage


@pytest.fixture
def page(journal, qtbot, tmp_path):
    signals, errors = JournalSignals(journal), ErrorReporter()
    errors.dialogs_enabled = False
    widget = FilmPage(journal, signals, errors, cache=ThumbnailCache(tmp_path / "thumbs"))
    qtbot.addWidget(widget)
    yield widget
    signals.detach()


def listed(dialog):
    return [dialog.list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(dialog.list.count())]


# ---------------------------------------------------------------------- merge
def test_merge_with_picks_the_other_film_from_a_list(page, qtbot):
    j = page.journal
    m = j.models
    keep = j.films.create("Stalker", 1979).id
    other = j.films.create("Сталкер", 1979, directors=["Andrei Tarkovsky"]).id
    solaris = j.films.create("Solaris", 1972).id
    j.people.add_credit(other, "Alisa Freindlich", "cast", character="Wife")
    viewings = [j.viewings.log(keep, "2020").id, j.viewings.log(other, "2021-05").id]
    reviews = [j.reviews.create(other, "Zone", score="9").id]
    j.watchlist.add(other, note="the restored print", priority=4)
    page.show_film(keep)
    page.show()
    dialog = page.merge_dialog()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.windowTitle() == "Merge Films" and "“Stalker”" in dialog.findChild(
        QLabel, "filmChooserExplanation").text()
    assert sorted(listed(dialog)) == sorted([other, solaris])   # never the film itself
    qtbot.keyClicks(dialog.search, "tark")                      # by director, as the filter
    assert listed(dialog) == [other] and dialog.status.text() == "1 film"
    assert dialog.list.item(0).text() == "Сталкер (1979) — Andrei Tarkovsky"
    dialog.search.setText("year=soon")                          # a bad term keeps the list
    assert listed(dialog) == [other] and "number" in dialog.status.text()
    dialog.search.setText("stalker")                            # only this film: nothing
    assert listed(dialog) == [] and not dialog.ok_button.isEnabled()
    dialog.search.setText("")
    dialog.search.setFocus()
    qtbot.keyClicks(dialog.search, "tarkovsky")
    qtbot.keyClick(dialog.search, Qt.Key.Key_Down)              # into the list…
    assert QApplication.focusWidget() is dialog.list
    with qtbot.waitSignal(dialog.chosen) as chosen:
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)          # …and Return merges
    assert chosen.args == [other] and dialog.result() == QDialog.DialogCode.Accepted
    assert {v.film_id for v in m.Viewing.select().where(m.Viewing.id.in_(viewings))} == {keep}
    assert {r.film_id for r in m.Review.select().where(m.Review.id.in_(reviews))} == {keep}
    assert [(c.role, c.person.name) for c in m.Credit.select().where(m.Credit.film == keep)
            .order_by(m.Credit.role)] == [("cast", "Alisa Freindlich"),
                                        ("director", "Andrei Tarkovsky")]
    entry = m.WatchlistEntry.get(m.WatchlistEntry.film == keep)
    assert (entry.note, entry.priority) == ("the restored print", 4)
    assert m.Film.get_by_id(other).deleted_at is not None and j.films.count() == 2
    qtbot.waitUntil(lambda: "Viewings (2)" in page.lists.text())


def test_merge_dialog_cancel_changes_nothing(page, qtbot):
    j = page.journal
    m = j.models
    keep = j.films.create("Stalker", 1979).id
    other = j.films.create("Stalker", 1979, allow_duplicate=True).id
    j.viewings.log(other, "2021")
    page.show_film(keep)
    dialog = page.merge_dialog()
    assert listed(dialog) == [other]      # the duplicate (same title and year) is offered
    merged = []
    dialog.chosen.connect(merged.append)
    dialog.reject()
    assert merged == [] and j.films.count() == 2
    assert m.Viewing.select().where(m.Viewing.film == other).count() == 1


# ---------------------------------------------------------------------- poster drop
def drag_and_drop(widget, path):
    """Send the events a file manager's drag produces: enter, then drop. (accepted, accepted)"""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    drop.ignore()
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_poster_dropped_on_the_page(page, qtbot, tmp_path):
    j = page.journal
    m = j.models
    image = QImage(200, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("navy"))
    poster_file = tmp_path / "Stalker poster.png"
    assert image.save(str(poster_file))
    assert page.acceptDrops()
    assert drag_and_drop(page, poster_file) == (False, False)   # no film shown yet
    film = j.films.create("Stalker", 1979).id
    page.show_film(film)
    assert page.poster.pixmap().isNull()
    assert drag_and_drop(page, poster_file) == (True, True)
    poster = m.Poster.get_by_id(j.films.get(film).poster_id)
    assert (poster.width, poster.height, poster.mime) == (200, 300, "image/png")
    assert bytes(poster.data) == poster_file.read_bytes()     # small: stored as it is
    qtbot.waitUntil(lambda: not page.poster.pixmap().isNull())
    shown = page.poster.pixmap().toImage()
    assert QColor(shown.pixel(shown.width() // 2, shown.height() // 2)) == QColor("navy")
    notes = tmp_path / "notes.txt"
    notes.write_text("not an image")
    assert drag_and_drop(page, notes) == (True, False)        # a file, but not an image
    assert "not an image" in page.message.text()
    assert j.films.get(film).poster_id == poster.id           # the poster stays
    text_only = QMimeData()
    text_only.setText("https://example.org/poster.png")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, text_only,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(page, enter)
    assert not enter.isAccepted()                              # not a local file: refused
