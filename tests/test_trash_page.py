"""The Trash: what was deleted, grouped as deleted together; restore a group; empty it (with a
confirmation). Driven from the keyboard in the main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def deleted(journal):
    """Her deleted with its review and two viewings (one group); Heat's viewing alone; a
    person; and a review of Alien, whose film was deleted afterwards on its own."""
    j = journal
    her = j.films.create("Her", 2013, directors=["Spike Jonze"])
    v = j.viewings.log(her.id, "2014-01-24")
    j.viewings.log(her.id, "2020-05-01")
    j.reviews.create(her.id, "A lonely writer.", viewing_id=v.id)
    heat = j.films.create("Heat", 1995)
    alone = j.viewings.log(heat.id, "2014-03-03")
    alien = j.films.create("Alien", 1979)
    review = j.reviews.create(alien.id, "In space.", title="Nobody hears")
    groups = {"review": j.reviews.delete(review.id)}
    groups["alien"] = j.films.delete(alien.id)
    groups["viewing"] = j.viewings.delete(alone.id)
    groups["person"] = j.people.delete(j.people.get_or_create("Nobody Atall").id)
    groups["her"] = j.films.delete(her.id, with_reviews=True)
    return groups


def test_groups_list_what_was_deleted_together(journal, deleted):
    groups = journal.trash.groups()
    assert [g.group for g in groups][:1] == [deleted["her"]]  # newest first
    her = groups[0]
    assert her.label == "Her (2013)"
    assert her.summary() == "1 film, 1 review and 2 viewings"
    assert [i.label for i in her.items] == [
        "Her (2013)", "Review of Her (2013)", "Viewing of Her (2013), 1 May 2020",
        "Viewing of Her (2013), 24 January 2014"]
    by_group = {g.group: g for g in groups}
    assert by_group[deleted["review"]].items[0].label == "Review of Alien (1979): “Nobody hears”"
    assert by_group[deleted["person"]].summary() == "1 person"


def test_restoring_a_review_brings_back_the_film_it_needs(journal, deleted):
    restored = journal.trash.restore(deleted["review"])
    assert restored.films == ["Alien (1979)"]
    assert journal.reviews.get(restored.group.items[0].id).film.title == "Alien"
    # The film's own group held only the film: it has left the Trash with it.
    assert deleted["alien"] not in [g.group for g in journal.trash.groups()]
    assert journal.films.find_match("Alien", 1979)[0] is not None


def _window(journal, qtbot, tmp_path):
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.mainwindow import MainWindow

    signals = JournalSignals(journal)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    reported = []
    errors.shown.connect(lambda title, text: reported.append((title, text)))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal, signals, settings, errors, lambda parent: None)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window, reported


def test_trash_page_restores_a_group_and_empties_from_the_keyboard(journal, deleted, qtbot,
                                                                   tmp_path):
    window, reported = _window(journal, qtbot, tmp_path)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_8,
                   Qt.KeyboardModifier.ControlModifier)  # Go → Trash
    page = window.pages["trash"]
    assert window.stack.currentWidget() is page and window.current_page_key() == "trash"
    tree = page.tree
    assert tree.topLevelItemCount() == 5
    top = tree.topLevelItem(0)
    assert (top.text(0), top.text(1)) == ("Her (2013)", "1 film, 1 review and 2 viewings")
    assert top.childCount() == 4
    # The newest group is open at once; Left closes it, Down goes to the next group, Up and
    # Right come back into it: a record stands for its whole group.
    assert top.isExpanded() and tree.currentItem() is top
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Left)
    assert not top.isExpanded()
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem().text(0) == "Nobody Atall"
    qtbot.keyClick(tree, Qt.Key.Key_Up)
    qtbot.keyClick(tree, Qt.Key.Key_Right)  # expand
    qtbot.keyClick(tree, Qt.Key.Key_Down)   # its first record
    assert tree.currentItem().text(0) == "Her (2013)" and tree.currentItem().parent() is top
    qtbot.keyClick(tree, Qt.Key.Key_Return)  # restore
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 4)
    her = journal.films.find_match("Her", 2013)[0]
    assert her is not None and journal.films.get(her.id).title == "Her"
    assert len(journal.viewings.for_film(her.id)) == 2
    assert window.statusBar().currentMessage() == "Restored “Her (2013)”"
    # Alt+R restores the group under the cursor too.
    tree.setCurrentItem(tree.topLevelItem(0))
    label = tree.topLevelItem(0).text(0)
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 3)
    assert label not in [tree.topLevelItem(i).text(0) for i in range(3)]
    # Empty: Return at the question keeps everything (No is the default)…
    before = journal.trash.size()
    page.empty_button.setFocus()
    qtbot.keyClick(page.empty_button, Qt.Key.Key_Space)
    box = page.confirm_box
    assert box is not None and box.isVisible() and "cannot be undone" in box.text()
    box.activateWindow()
    qtbot.waitUntil(lambda: box.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.confirm_box is None)
    assert journal.trash.size() == before and tree.topLevelItemCount() == 3
    # …and "Delete for Good" (Alt+D) empties it.
    qtbot.keyClick(page.empty_button, Qt.Key.Key_Space)
    box = page.confirm_box
    box.activateWindow()  # what the window manager does with a new dialog
    qtbot.waitUntil(lambda: box.isAncestorOf(QApplication.focusWidget()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.confirm_box is None)
    assert journal.trash.size() == 0 and journal.trash.groups() == []
    assert page.empty_label.isVisible() and not tree.isVisible()
    assert not page.empty_button.isEnabled() and not page.restore_button.isEnabled()
    assert window.statusBar().currentMessage().startswith("Deleted ")
    assert reported == []


def test_a_delete_elsewhere_shows_up_in_the_trash(journal, qtbot, tmp_path):
    window, _ = _window(journal, qtbot, tmp_path)
    window.show_page("trash")
    page = window.pages["trash"]
    assert page.empty_label.isVisible()
    film = journal.films.create("Solaris", 1972)
    journal.films.delete(film.id)
    qtbot.waitUntil(lambda: page.tree.topLevelItemCount() == 1)
    assert page.tree.topLevelItem(0).text(0) == "Solaris (1972)"
