"""No two shortcuts of the window answer the same keys where both can be live (issue 13, item 4).

Qt's shortcut map finds every enabled shortcut whose context matches the focus; two matches make
an "Ambiguous shortcut overload" and *neither* fires (Ctrl+K was both Quick Open, application
wide, and the editor's Link). The walk below builds every page, opens a review in the editor,
collects every QAction and QShortcut of the window with a key, and reports each pair that shares
a key sequence in contexts that overlap. Then the keys themselves are pressed on the focused
editor, as the user does.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import pytest
import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QMenuBar, QStackedWidget, QWidget

from journal.core.sample import load_sample
from journal.ui.mainwindow import PAGES

Ctx = Qt.ShortcutContext


@pytest.fixture
def window(journal, qtbot, open_window):
    load_sample(journal)
    win = open_window(journal, (1200, 800))
    for spec in PAGES:  # every page built (most are built on first showing)
        win.show_page(spec.key)
    win.navigate("film", journal.films.live().first().id)  # the film page too
    win.navigate("review", journal.reviews.rows()[0].id)  # and the editor, open
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    yield win
    win.reviews_page.flush()


@dataclass(frozen=True)
class Binding:
    owner: QObject            # the QAction or QShortcut
    keys: str                 # one key sequence, portable text
    context: Qt.ShortcutContext
    widget: QWidget           # a widget the shortcut is attached to

    def describe(self) -> str:
        name = self.owner.objectName() or type(self.owner).__name__
        text = self.owner.text() if isinstance(self.owner, QAction) else ""
        where = self.widget.objectName() or type(self.widget).__name__
        return f"{name} “{text}” [{self.context.name} on {where}]"


def _hosts(action: QAction) -> list[QWidget]:
    """The widgets an action's shortcut lives on; a menu's actions live where the menu does."""
    hosts: list[QWidget] = []
    for obj in action.associatedObjects():
        if isinstance(obj, QMenu):
            hosts += [h for a in [obj.menuAction()] for h in _hosts(a)]
        elif isinstance(obj, QMenuBar):
            hosts.append(obj.window())
        elif isinstance(obj, QWidget):
            hosts.append(obj)
    return hosts


def bindings(window: QWidget) -> list[Binding]:
    found: list[Binding] = []
    for action in window.findChildren(QAction):
        if not shiboken6.isValid(action):  # a wrapper outliving its object (widgets' own)
            continue
        for sequence in action.shortcuts():
            for host in _hosts(action):
                found.append(Binding(action, sequence.toString(
                    QKeySequence.SequenceFormat.PortableText), action.shortcutContext(), host))
    for shortcut in window.findChildren(QShortcut):
        for sequence in shortcut.keys():
            found.append(Binding(shortcut, sequence.toString(
                QKeySequence.SequenceFormat.PortableText), shortcut.context(),
                shortcut.parentWidget()))
    return found


def _ancestors(widget: QWidget) -> list[QWidget]:
    chain = []
    while widget is not None:
        chain.append(widget)
        widget = widget.parentWidget()
    return chain


def never_shown_together(a: QWidget, b: QWidget) -> bool:
    """Two widgets on different pages of one QStackedWidget are never visible at once."""
    pages_a = {id(s): p for p, s in zip(_ancestors(a), _ancestors(a)[1:], strict=False)
               if isinstance(s, QStackedWidget)}
    for p, s in zip(_ancestors(b), _ancestors(b)[1:], strict=False):
        if isinstance(s, QStackedWidget) and id(s) in pages_a and pages_a[id(s)] is not p:
            return True
    return False


def _scope(binding: Binding) -> tuple[str, QWidget]:
    """Where the focus may be for the shortcut to be live: ("all"|"window"|"tree"|"widget", w)."""
    if binding.context == Ctx.ApplicationShortcut:
        return "all", binding.widget
    if binding.context == Ctx.WindowShortcut:
        return "window", binding.widget.window()
    if binding.context == Ctx.WidgetWithChildrenShortcut:
        return "tree", binding.widget
    return "widget", binding.widget


def _inside(widget: QWidget, scope: tuple[str, QWidget]) -> bool:
    kind, root = scope
    if kind == "all":
        return True
    if kind == "window":
        return widget.window() is root
    if kind == "tree":
        return root in _ancestors(widget)
    return widget is root


def overlap(a: Binding, b: Binding) -> bool:
    """Some focus makes both live: one scope's root lies inside the other's scope."""
    if never_shown_together(a.widget, b.widget):
        return False
    sa, sb = _scope(a), _scope(b)
    if "all" in (sa[0], sb[0]):
        return True
    return _inside(sb[1], sa) or _inside(sa[1], sb)


def clashes(window) -> list[str]:
    """One line per pair of shortcuts (QAction or QShortcut) that share keys where both live."""
    found = set()
    for a, b in combinations(bindings(window), 2):
        if a.owner is not b.owner and a.keys == b.keys and overlap(a, b):
            first, second = sorted((a, b), key=lambda x: x.owner.objectName())
            found.add(f"{a.keys}: {first.owner.objectName()} and {second.owner.objectName()} "
                      f"(e.g. {first.describe()} / {second.describe()})")
    lines: dict[str, str] = {}
    for line in sorted(found):
        lines.setdefault(line.split(" (e.g.")[0], line)
    return sorted(lines.values())


def test_the_walk_sees_the_menus_the_pages_and_the_editor(window):
    """The walk is worth something only if it reaches all three kinds of shortcut."""
    names = {b.owner.objectName() for b in bindings(window)}
    assert {"actionQuickOpen", "actionNewFilm", "actionGoStatistics",  # window and menus
            "actionNewReview", "actionFind",                            # the Reviews page
            "actionLink", "actionBold", "actionFilmLink",               # the editor
            "actionLogViewing", "actionUndoViewing"} <= names


def test_no_two_shortcuts_clash(window):
    assert clashes(window) == []


def test_the_clash_finder_finds_a_clash(window):
    """Guard for the test above: a second, application-wide Ctrl+B is reported."""
    extra = QAction("Bogus", window)
    extra.setObjectName("actionBogus")
    extra.setShortcut(QKeySequence("Ctrl+B"))
    extra.setShortcutContext(Ctx.ApplicationShortcut)
    window.addAction(extra)
    assert any("actionBogus" in line and "actionBold" in line for line in clashes(window))


# ---------------------------------------------------------------------- the keys, pressed
def _editor(window, qtbot):
    editor = window.reviews_page.editor_view.editor
    editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor)
    return editor


def test_ctrl_k_in_the_editor_inserts_a_link(window, qtbot):
    editor = _editor(window, qtbot)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText().endswith("[link text](https://)")
    assert editor.textCursor().selectedText() == "https://"
    assert not window.palette.isVisible()


def test_ctrl_e_opens_quick_open_from_the_editor_and_from_a_page(window, qtbot):
    editor = _editor(window, qtbot)
    qtbot.keyClick(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.palette.field)
    qtbot.keyClick(window.palette.field, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.palette.isVisible())
    window.show_page("diary")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.palette.isVisible)
    qtbot.keyClick(window.palette.field, Qt.Key.Key_Escape)


EDITOR_ACTIONS = ("actionBold", "actionItalic", "actionHeading", "actionQuote", "actionLink",
                  "actionSpoilerSection", "actionFilmLink")


def test_every_editor_shortcut_fires_on_the_focused_editor(window, qtbot):
    view = window.reviews_page.editor_view
    fired: list[str] = []
    for name in EDITOR_ACTIONS:
        action = view.findChild(QAction, name)
        action.triggered.connect(lambda *_, n=name: fired.append(n))
        editor = _editor(window, qtbot)
        combo = action.shortcut()[0]
        qtbot.keyClick(editor, combo.key(), combo.keyboardModifiers())
        assert fired[-1:] == [name], f"{action.shortcut().toString()} did not reach {name}"
