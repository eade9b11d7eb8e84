"""Spell checking through Hunspell (Enchant): morphology, variants, the user's own words, and a
plain message when a language has no dictionary on this system."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from journal.core import spellcheck
from journal.paths import data_dir
from journal.ui.editor.highlighter import is_misspelt_format


@pytest.fixture(autouse=True)
def _fresh_dictionaries():
    """Each test's user data folder is its own: its word lists must be the ones loaded."""
    spellcheck.forget()
    yield
    spellcheck.forget()


def test_french_elision_and_compounds_are_words():
    words = ["l’amour", "qu’il", "jusqu'à", "aujourd’hui", "chef-d’œuvre", "peut-être",
             "cinéma", "cinémaa", "lamour"]
    assert spellcheck.misspelled(words, "fr") == {"cinémaa", "lamour"}


def test_english_variants_differ_and_bare_english_is_british():
    assert spellcheck.misspelled(["colour", "behaviour", "color"], "en_GB") == {"color"}
    assert spellcheck.misspelled(["colour", "behaviour", "color"], "en_US") == \
        {"colour", "behaviour"}
    assert spellcheck.load("en") == "en_GB"  # the existing reviews' "en"
    assert spellcheck.misspelled(["isn’t", "Chaplin's", "jump-cut", "well-crafted"], "en") == set()


def test_added_word_is_kept_in_a_file_for_every_variant():
    assert spellcheck.misspelled(["mumblecore"], "en_GB") == {"mumblecore"}
    spellcheck.load("en_US")
    spellcheck.add_word("mumblecore", "en_GB")
    assert spellcheck.misspelled(["mumblecore"], "en_GB") == set()
    assert spellcheck.misspelled(["mumblecore"], "en_US") == set()  # loaded before the add
    words = data_dir() / "spelling" / "en.txt"
    assert words.read_text(encoding="utf-8").split() == ["mumblecore"]
    spellcheck.forget()  # as a later session
    assert spellcheck.misspelled(["mumblecore"], "en_CA") == set()
    assert spellcheck.misspelled(["mumblecore"], "fr") == {"mumblecore"}


def test_a_language_without_a_dictionary_says_what_to_install():
    if spellcheck.resolve("lv") is not None:
        pytest.skip("a Latvian dictionary is installed here")
    with pytest.raises(spellcheck.NoDictionary) as caught:
        spellcheck.load("lv")
    assert "No Latvian spelling dictionary" in caught.value.message
    assert "hunspell-lv" in caught.value.message


def test_without_enchant_the_message_names_the_library(tmp_path):
    """pyenchant raises ImportError when libenchant is missing: a sentence, not a traceback."""
    code = ("import sys; sys.modules['enchant'] = None\n"
            "from journal.core import spellcheck\n"
            "print(spellcheck.installed())\n"
            "try:\n    spellcheck.load('en')\n"
            "except spellcheck.NoDictionary as exc:\n    print(exc.message)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "[]"
    assert "needs the Enchant library" in lines[1] and "libenchant-2-2" in lines[1]


def test_the_spell_checker_holds_no_word_list_in_python():
    """The dictionaries live in C: loading English and French adds few Python objects."""
    code = ("import gc, tracemalloc\n"
            "from journal.core import spellcheck\n"
            "spellcheck.installed()\n"
            "tracemalloc.start()\n"
            "spellcheck.load('en'); spellcheck.load('fr')\n"
            "print(tracemalloc.get_traced_memory()[1])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert int(done.stdout) < 1_000_000  # pyspellchecker's word lists: ~50 MB of objects


# ---------------------------------------------------------------------------- in the editor
def underlined(editor) -> set[str]:
    words = set()
    block = editor.document().firstBlock()
    while block.isValid():
        for r in block.layout().formats():
            if is_misspelt_format(r.format):
                words.add(block.text()[r.start:r.start + r.length])
        block = block.next()
    return words


def test_review_in_a_language_without_dictionary_is_said_beside_the_count(qtbot, journal,
                                                                            reviews_page):
    if spellcheck.resolve("lv") is not None:
        pytest.skip("a Latvian dictionary is installed here")
    film = journal.films.create("Ilga", 2014)
    review = journal.reviews.create(film.id, "Tas ir brīnišķīgs filmz", language="lv")
    page = reviews_page()
    shown = []
    page.editor_view.errors.shown.connect(lambda *a: shown.append(a))
    page.open_review(review.id)
    label = page.editor_view.spell_label
    qtbot.waitUntil(label.isVisible)
    assert "No Latvian spelling dictionary" in label.text() and "hunspell-lv" in label.text()
    assert page.editor_view.editor.highlighter.language is None
    assert underlined(page.editor_view.editor) == set() and shown == []
    english = journal.reviews.create(film.id, "A wonderfull film")
    page.open_review(english.id)
    qtbot.waitUntil(lambda: not label.isVisible())
    qtbot.waitUntil(lambda: underlined(page.editor_view.editor) == {"wonderfull"})


# a popup on the offscreen platform (what a real display does without a word)
@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")
def test_add_to_dictionary_from_the_context_menu(qtbot):
    from journal.ui.editor.widget import MarkdownEditor

    spellcheck.load("en_GB")
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(600, 300)
    editor.show()
    editor.set_text("A slow cinema of mumblecore and colours")
    editor.highlighter.set_language("en_GB")
    assert underlined(editor) == {"mumblecore"}
    cursor = QTextCursor(editor.document())
    cursor.setPosition(editor.toPlainText().index("mumblecore") + 2)
    editor.setTextCursor(cursor)
    editor.activateWindow()
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    # the menu key: Qt turns it into this event at the caret (QTest's key goes round it)
    point = editor.cursorRect().center()
    QApplication.sendEvent(editor, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, point,
                                                     editor.viewport().mapToGlobal(point)))
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    menu = QApplication.activePopupWidget()
    add = next(a for a in menu.actions() if a.objectName() == "spellAdd")
    assert add.text() == "Add “mumblecore” to the dictionary"
    while menu.activeAction() is not add:
        qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert underlined(editor) == set()
    assert (data_dir() / "spelling" / "en.txt").read_text(encoding="utf-8") == "mumblecore\n"
