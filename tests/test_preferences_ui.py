"""The Preferences dialog and action, the template of new reviews, options dialogs' defaults."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from journal.core import preferences as prefs
from journal.core.preferences import PrintPreferences
from journal.core.render import DEFAULT_REVIEW_TEMPLATE
from journal.ui.errors import ErrorReporter
from journal.ui.preferences import PreferencesDialog, preferences_action

TEMPLATE = "> “Quote.”\n\n## Ce qui brille\n\nÀ écrire… 🎬\n\n::: spoiler Fin\n:::\n"


@pytest.fixture
def settings(tmp_path):
    store = QSettings(str(tmp_path / "eyelights.ini"), QSettings.Format.IniFormat)
    yield store
    store.sync()


@pytest.fixture
def dialog(qtbot, settings):
    dlg = PreferencesDialog(settings)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _ok(dlg: PreferencesDialog) -> QPushButton:
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_dialog_starts_from_the_defaults_and_every_control_is_named(dialog):
    assert dialog.template_edit.toPlainText() == DEFAULT_REVIEW_TEMPLATE
    assert dialog.language.currentData() == "en"
    assert [e.text() for e in dialog.print_options.margins.values()] == ["20", "18", "20", "18"]
    controls = dialog.findChildren(QLineEdit) + dialog.findChildren(QCheckBox) + \
        dialog.findChildren(QComboBox) + dialog.findChildren(QPlainTextEdit)
    assert len(controls) >= 11
    for widget in controls + [dialog.restore_button]:
        if isinstance(widget.parent(), QComboBox):
            continue  # a combo box's own line edit
        assert widget.objectName() and widget.accessibleName(), widget
        assert widget.focusPolicy() != Qt.FocusPolicy.NoFocus, widget.objectName()


def test_saved_preferences_survive_a_new_settings_object(dialog, settings, tmp_path):
    dialog.template_edit.setPlainText(TEMPLATE)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    box = dialog.print_options
    box.page.setCurrentText("Letter")
    box.margins["top"].setText("30")
    box.header.setChecked(False)
    box.spoilers.setChecked(False)
    saved = []
    dialog.saved.connect(saved.append)
    dialog.accept()
    assert saved and not dialog.isVisible()
    again = QSettings(str(tmp_path / "eyelights.ini"), QSettings.Format.IniFormat)
    loaded = prefs.load(again)
    assert loaded == saved[0]
    assert loaded.template == TEMPLATE and loaded.spell_language == "fr"
    assert loaded.printing == PrintPreferences("Letter", (20, 30, 20, 18), header=False,
                                               spoilers=False)


def test_invalid_margins_are_refused_inline(qtbot, dialog, settings):
    left = dialog.print_options.margins["left"]
    left.clear()
    qtbot.keyClicks(left, "4")
    error = dialog.print_options.margin_error
    assert not error.isHidden() and "left margin" in error.text() and "5 to 50" in error.text()
    assert not _ok(dialog).isEnabled()
    dialog.accept()  # even forced, nothing is stored and the dialog stays open
    assert dialog.isVisible() and settings.value(prefs.KEY_MARGINS["left"]) is None
    qtbot.keyClicks(left, "5")  # "45"
    assert error.isHidden() and _ok(dialog).isEnabled()
    right = dialog.print_options.margins["right"]
    right.setText("abc")
    assert "right margin" in error.text() and not _ok(dialog).isEnabled()
    right.setText("12,5")
    dialog.accept()
    assert prefs.load_print(settings).margins_mm == (45.0, 18.0, 12.5, 18.0)


def test_restore_default_template(dialog, settings):
    settings.setValue(prefs.KEY_TEMPLATE, "mine")
    dialog.set_preferences(prefs.load(settings))
    assert dialog.template_edit.toPlainText() == "mine"
    dialog.restore_button.click()
    assert dialog.template_edit.toPlainText() == DEFAULT_REVIEW_TEMPLATE
    dialog.template_edit.undo()  # the restore can be undone
    assert dialog.template_edit.toPlainText() == "mine"
    dialog.restore_button.click()
    dialog.accept()
    assert settings.value(prefs.KEY_TEMPLATE) is None


def test_the_template_set_in_the_dialog_is_what_a_new_review_starts_with(qtbot, journal,
                                                                         dialog, settings):
    from journal.ui.editor.view import ReviewEditorView

    dialog.template_edit.setPlainText(TEMPLATE)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    film = journal.films.create("Le Samouraï", 1967)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    view = ReviewEditorView(journal, errors)
    qtbot.addWidget(view)
    view.new_review()
    assert view.editor.toPlainText() == DEFAULT_REVIEW_TEMPLATE  # not wired: built-in text
    view.preferences = settings
    view.new_review(film.id)
    assert view.editor.toPlainText() == TEMPLATE and view.form.language() == "fr"
    stored = journal.reviews.get(view.review_id)
    assert stored.body == TEMPLATE and stored.language == "fr"
    settings.setValue(prefs.KEY_TEMPLATE, "Changed later.")  # read again for each new review
    view.new_review()
    assert view.editor.toPlainText() == "Changed later."
    view.flush()


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_preferences_action_opens_the_dialog_and_reports_the_change(qtbot, settings):
    window = QWidget()
    qtbot.addWidget(window)
    changed = []
    action = preferences_action(window, settings, changed.append)
    assert action.objectName() == "actionPreferences" and action.text().endswith("…")
    platform = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
    assert action.shortcuts() == (platform or [QKeySequence("Ctrl+,")])
    action.trigger()
    dialog = action.dialog
    assert dialog is not None and dialog.isVisible()
    action.trigger()
    assert action.dialog is dialog  # one at a time
    dialog.print_options.footer.setChecked(False)
    dialog.accept()
    assert len(changed) == 1 and changed[0].printing.footer is False
    assert prefs.load_print(settings).footer is False
    action.trigger()
    assert action.dialog is not dialog and not action.dialog.print_options.footer.isChecked()
    action.dialog.reject()
    assert len(changed) == 1


def test_export_options_start_from_preferences_and_can_become_them(qtbot, journal, settings):
    from journal.ui.export_actions import ExportActions

    prefs.save_print(settings, PrintPreferences("Letter", (30, 30, 30, 30), footer=False,
                                                comments=True))
    window = QWidget()
    qtbot.addWidget(window)
    errors = ErrorReporter(window)
    errors.dialogs_enabled = False
    acts = ExportActions(journal, errors, lambda: None, window, settings)
    dialog = acts.options_dialog()
    qtbot.addWidget(dialog)
    assert dialog.page.currentText() == "Letter" and dialog.comments.isChecked()
    assert dialog.options.margins["bottom"].text() == "30"
    assert not dialog.options.footer.isChecked() and not dialog.remember.isHidden()
    chosen = dialog.settings()
    assert (chosen.page_size, chosen.margins_mm, chosen.footer) == \
        ("Letter", (30.0,) * 4, False)
    dialog.page.setCurrentText("A4")
    dialog.accept()  # not remembered: the preferences stay
    assert prefs.load_print(settings).page_size == "Letter"
    html_dialog = acts.options_dialog(with_page=False)
    qtbot.addWidget(html_dialog)
    html_dialog.spoilers.setChecked(False)
    html_dialog.remember.setChecked(True)
    html_dialog.accept()
    kept = prefs.load_print(settings)
    assert kept.spoilers is False and kept.page_size == "Letter" and kept.margins_mm[0] == 30
