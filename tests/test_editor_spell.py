"""Spell checking: the Qt-free wrapper, underlines in the editor, suggestions that replace."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor

from journal.core import spellcheck
from journal.errors import ValidationError
from journal.ui.editor.highlighter import is_misspelt_format


def test_misspelled_in_english_and_french():
    assert spellcheck.misspelled(["film", "misspeled", "Chaplin's", "USA"], "en") == \
        {"misspeled"}
    assert spellcheck.misspelled(["cinéma", "l'homme", "aujourd'hui", "cinemaa"], "fr") == \
        {"cinemaa"}


def test_suggestions_keep_the_case():
    assert "misspelled" in spellcheck.suggestions("misspeled", "en")
    assert spellcheck.suggestions("Helo", "en")[0][0] == "H"
    assert spellcheck.misspelled(["Johansson", "Scarlett's"], "en") == set()  # names


def test_unknown_language_is_a_validation_error():
    with pytest.raises(ValidationError):
        spellcheck.misspelled(["x"], "xx")


@pytest.fixture
def editor(qtbot):
    from journal.ui.editor.widget import MarkdownEditor

    spellcheck.load("en")
    editor = MarkdownEditor()
    qtbot.addWidget(editor)
    editor.resize(700, 400)
    editor.show()
    editor.set_text("A wonderfull film by [[Jean Vigo]], see `codee` and http://exampel.org")
    editor.highlighter.set_language("en")
    return editor


def underlined(editor) -> set[str]:
    block = editor.document().firstBlock()
    words = set()
    for r in block.layout().formats():
        if is_misspelt_format(r.format):
            words.add(block.text()[r.start:r.start + r.length])
    return words


def test_misspelt_word_is_underlined_code_links_urls_are_not(editor):
    assert underlined(editor) == {"wonderfull"}


def test_context_menu_suggestion_replaces_the_word(qtbot, editor):
    position = editor.toPlainText().index("wonderfull") + 3
    cursor = QTextCursor(editor.document())
    cursor.setPosition(position)
    point = editor.cursorRect(cursor).center()
    menu = editor.spelling_menu(point)
    suggestions = [a for a in menu.actions() if a.objectName() == "spellSuggestion"]
    assert suggestions and suggestions[0].text() == "wonderful"
    suggestions[0].trigger()
    assert editor.toPlainText().startswith("A wonderful film")
    assert underlined(editor) == set()
    menu.deleteLater()


def test_ignore_and_language_switch(qtbot, editor):
    editor.ignore_word("wonderfull")
    assert underlined(editor) == set()
    spellcheck.load("fr")
    editor.set_text("Un film magnifique et un cinémaa")
    editor.highlighter.set_language("fr")
    assert underlined(editor) == {"cinémaa"}
    editor.highlighter.set_language(None)
    assert underlined(editor) == set()
