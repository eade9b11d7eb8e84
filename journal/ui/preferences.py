"""Preferences: the new-review template, the spelling language of new reviews, print defaults,
and the colour theme (system, light or dark: applied at once, and at every start).

Values are stored in the app's QSettings under the keys of ``journal.core.preferences`` (which
also validates them, for the window and the command line alike). ``PrintOptionsBox`` is the
group of print options shared with the Print/Export options dialog.

The lead puts ``preferences_action(window, settings, on_changed)`` in the Edit menu.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from journal.core import preferences as prefs
from journal.core.preferences import Preferences, PrintPreferences
from journal.core.spellcheck import LANGUAGES
from journal.errors import ValidationError
from journal.ui import theme
from journal.ui.icons import themed_icon
from journal.ui.widgets import accept_buttons

if TYPE_CHECKING:
    from journal.core.journal import Journal

FALLBACK_SHORTCUT = "Ctrl+,"
_SIDE_LABELS = {"left": "&Left", "top": "&Top", "right": "&Right", "bottom": "&Bottom"}


def _named(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


class PrintOptionsBox(QWidget):
    """Keep spoilers, comments, theme and (``with_page``) page size, margins, header, footer.

    Object names start with ``prefix`` ("exportSpoilers", "printMarginLeft", …). Margins are
    checked as they are typed; a bad one is refused with a message under the fields and
    ``validity_changed(False)`` (dialogs disable their OK button).
    """

    validity_changed = Signal(bool)

    def __init__(self, prefix: str, *, with_page: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}Options")
        self.with_page = with_page
        self._valid = True
        self.spoilers = QCheckBox("&Keep spoiler sections", self)
        _named(self.spoilers, f"{prefix}Spoilers", "Keep spoiler sections")
        self.spoilers.setToolTip("Off: each spoiler section becomes a short “spoilers hidden” "
                                 "note")
        self.comments = QCheckBox("Include readers’ co&mments", self)
        _named(self.comments, f"{prefix}Comments", "Include readers’ comments")
        self.theme = QComboBox(self)
        _named(self.theme, f"{prefix}Theme", "Theme")
        self.theme.addItem("Print (black on white)", "print")
        self.theme.addItem("Light", "light")
        self.page = QComboBox(self)
        _named(self.page, f"{prefix}PageSize", "Page size")
        self.page.addItems(list(prefs.PAGE_SIZES))
        self.margins = {side: self._margin_edit(prefix, side) for side in prefs.SIDES}
        self.margin_error = QLabel(self)
        _named(self.margin_error, f"{prefix}MarginError", "Margin error")
        self.margin_error.setStyleSheet("color: #c62828;")
        self.margin_error.setWordWrap(True)
        self.margin_error.hide()
        self.header = QCheckBox("&Header with the film title", self)
        _named(self.header, f"{prefix}Header", "Header with the film title")
        self.footer = QCheckBox("&Footer with page numbers", self)
        _named(self.footer, f"{prefix}Footer", "Footer with page numbers")
        self._layout(with_page)
        self.set_values(PrintPreferences())

    def _margin_edit(self, prefix: str, side: str) -> QLineEdit:
        edit = QLineEdit(self)
        _named(edit, f"{prefix}Margin{side.capitalize()}", f"{side.capitalize()} margin (mm)")
        edit.setMaximumWidth(60)
        edit.setToolTip(f"{prefs.MARGIN_MIN_MM:g} to {prefs.MARGIN_MAX_MM:g} millimetres")
        edit.textChanged.connect(self._check)
        return edit

    def _layout(self, with_page: bool) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.spoilers)
        form.addRow(self.comments)
        form.addRow("Th&eme:", self.theme)
        if not with_page:
            for widget in (self.page, self.margin_error, self.header, self.footer,
                           *self.margins.values()):
                widget.hide()
            return
        form.addRow("P&age size:", self.page)
        row = QHBoxLayout()
        for side, edit in self.margins.items():
            label = QLabel(_SIDE_LABELS[side], self)
            label.setBuddy(edit)
            row.addWidget(label)
            row.addWidget(edit)
        row.addWidget(QLabel("mm", self))
        row.addStretch(1)
        form.addRow("Margins:", row)
        form.addRow(self.margin_error)
        form.addRow(self.header)
        form.addRow(self.footer)

    # ------------------------------------------------------------------ values
    def set_values(self, values: PrintPreferences) -> None:
        self.spoilers.setChecked(values.spoilers)
        self.comments.setChecked(values.comments)
        self.theme.setCurrentIndex(max(0, self.theme.findData(values.theme)))
        self.page.setCurrentText(values.page_size)
        for side, mm in zip(prefs.SIDES, values.margins_mm, strict=True):
            self.margins[side].setText(f"{mm:g}")
        self.header.setChecked(values.header)
        self.footer.setChecked(values.footer)

    def values(self) -> PrintPreferences:
        """The options shown, validated; raises ValidationError (and shows it) when refused."""
        try:
            margins = prefs.validate_margins([e.text() for e in self.margins.values()])
        except ValidationError as exc:
            self._show_error(exc.message)
            raise
        return PrintPreferences(page_size=self.page.currentText(), margins_mm=margins,
                                header=self.header.isChecked(), footer=self.footer.isChecked(),
                                spoilers=self.spoilers.isChecked(),
                                comments=self.comments.isChecked(),
                                theme=str(self.theme.currentData()))

    def is_valid(self) -> bool:
        return self._valid

    def _check(self) -> None:
        messages = []
        for side, edit in self.margins.items():
            try:
                prefs.validate_margin(edit.text(), side)
                edit.setStyleSheet("")
            except ValidationError as exc:
                edit.setStyleSheet("border: 1px solid #c62828;")
                messages.append(exc.message)
        self._show_error(messages[0] if messages else "")

    def _show_error(self, message: str) -> None:
        self.margin_error.setText(message)
        self.margin_error.setVisible(bool(message) and self.with_page)
        valid = not message
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)


class PreferencesDialog(QDialog):
    """Edit → Preferences…: "Writing" (template, spelling), "Printing" and "Appearance"
    (the colour theme) tabs."""

    saved = Signal(object)  # the Preferences just stored

    def __init__(self, settings: QSettings, parent: QWidget | None = None,
                 journal: Journal | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.tabs = QTabWidget(self)
        _named(self.tabs, "preferencesTabs", "Preference sections")
        self.tabs.addTab(self._writing_tab(), "&Writing")
        self.print_options = PrintOptionsBox("print", parent=self)
        printing = QWidget(self)
        printing.setObjectName("printingTab")
        box = QVBoxLayout(printing)
        box.addWidget(QLabel("Defaults for Print…, Export as PDF and Booklet (each can still "
                             "be changed before printing).", printing, wordWrap=True))
        box.addWidget(self.print_options)
        box.addStretch(1)
        self.tabs.addTab(printing, "&Printing")
        self.tabs.addTab(self._appearance_tab(), "&Appearance")
        if journal is not None:  # blogs belong to the journal (docs/publishing.md)
            from journal.ui.blog_settings import BlogsTab
            from journal.ui.errors import ErrorReporter

            self.blogs_tab = BlogsTab(journal, ErrorReporter(), self)
            self.tabs.addTab(self.blogs_tab, "&Blogs")
        from journal.ui.catalogue_prefs import CatalogueTab  # language, source, TMDb key

        self.catalogue_tab = CatalogueTab(settings, self)
        self.tabs.addTab(self.catalogue_tab, "&Catalogue")
        self.buttons = accept_buttons(self)
        self.buttons.setObjectName("preferencesButtons")
        self.print_options.validity_changed.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self.set_preferences(prefs.load(settings))

    def _writing_tab(self) -> QWidget:
        tab = QWidget(self)
        tab.setObjectName("writingTab")
        self.template_edit = QPlainTextEdit(tab)
        _named(self.template_edit, "templateEdit", "New review template")
        self.template_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.template_edit.setTabChangesFocus(True)
        self.template_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        label = QLabel("A &new review starts with this text (Markdown):", tab)
        label.setBuddy(self.template_edit)
        self.restore_button = QPushButton("Restore &Default", tab)
        _named(self.restore_button, "restoreTemplateButton", "Restore the default template")
        self.restore_button.clicked.connect(self.restore_default_template)
        self.language = QComboBox(tab)
        _named(self.language, "spellLanguagePicker", "Spelling language of new reviews")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        language_label = QLabel("&Spelling language of new reviews:", tab)
        language_label.setBuddy(self.language)
        row = QHBoxLayout()
        row.addWidget(language_label)
        row.addWidget(self.language)
        row.addStretch(1)
        row.addWidget(self.restore_button)
        layout = QVBoxLayout(tab)
        layout.addWidget(label)
        layout.addWidget(self.template_edit, 1)
        layout.addLayout(row)
        return tab

    def _appearance_tab(self) -> QWidget:
        tab = QWidget(self)
        tab.setObjectName("appearanceTab")
        self.theme_picker = QComboBox(tab)
        _named(self.theme_picker, "themePicker", "Colour theme")
        for key, label in theme.CHOICES.items():
            self.theme_picker.addItem(label, key)
        chosen = str(self.settings.value(theme.KEY, "system") or "system")
        self.theme_picker.setCurrentIndex(max(0, self.theme_picker.findData(chosen)))
        form = QFormLayout(tab)
        form.addRow("&Colour theme:", self.theme_picker)
        note = QLabel("“Same as the system” follows your desktop's light or dark setting. "
                      "Reviews are printed and exported with their own print theme "
                      "(Printing tab).", tab)
        note.setWordWrap(True)
        form.addRow(note)
        return tab

    # ------------------------------------------------------------------ values
    def set_preferences(self, values: Preferences) -> None:
        self.template_edit.setPlainText(values.template)
        self.language.setCurrentIndex(max(0, self.language.findData(values.spell_language)))
        self.print_options.set_values(values.printing)

    def preferences(self) -> Preferences:
        """What the dialog shows; raises ValidationError (shown inline) when a value is refused."""
        return Preferences(template=self.template_edit.toPlainText(),
                           spell_language=str(self.language.currentData()),
                           printing=self.print_options.values()).validated()

    def restore_default_template(self) -> None:
        """Put the built-in template back in the editor (undoable; stored on OK)."""
        cursor = self.template_edit.textCursor()
        cursor.select(cursor.SelectionType.Document)
        cursor.insertText(prefs.DEFAULT_REVIEW_TEMPLATE)
        self.template_edit.moveCursor(self.template_edit.textCursor().MoveOperation.Start)

    def accept(self) -> None:
        if not self.catalogue_tab.save():  # the message is shown in the tab
            self.tabs.setCurrentWidget(self.catalogue_tab)
            return
        try:
            values = prefs.save(self.settings, self.preferences())
        except ValidationError as exc:
            if exc.field and exc.field.startswith("margin"):
                self.tabs.setCurrentIndex(1)
            return  # the message is shown next to the field; the dialog stays open
        chosen = str(self.theme_picker.currentData())
        self.settings.setValue(theme.KEY, chosen)
        self.settings.sync()
        if chosen != theme.choice():
            theme.apply_theme(chosen)
        self.saved.emit(values)
        super().accept()


class PreferencesAction(QAction):
    """"Preferences…" (Edit menu): opens one PreferencesDialog at a time (``self.dialog``)."""

    def __init__(self, parent: QWidget, settings: QSettings,
                 on_changed: Callable[[Preferences], object] | None = None,
                 journal: Journal | None = None) -> None:
        super().__init__(themed_icon("preferences-system"), "Pre&ferences…", parent)
        self.journal = journal
        self.setObjectName("actionPreferences")
        # the platform's own key (none on many Linux desktops: then Ctrl+, as GNOME apps use)
        self.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
                          or [QKeySequence(FALLBACK_SHORTCUT)])
        self.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.setToolTip("Template of new reviews, spelling language, print settings")
        self.owner, self.settings, self.on_changed = parent, settings, on_changed
        self.dialog: PreferencesDialog | None = None
        self.triggered.connect(lambda _checked=False: self.open_dialog())

    def open_dialog(self) -> PreferencesDialog:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = PreferencesDialog(self.settings, self.owner, self.journal)
        if self.on_changed is not None:
            self.dialog.saved.connect(self.on_changed)
        self.dialog.open()
        return self.dialog


def preferences_action(parent: QWidget, settings: QSettings,
                       on_changed: Callable[[Preferences], object] | None = None,
                       journal: Journal | None = None) -> QAction:
    """The Edit menu's "Preferences…" action; ``on_changed(prefs)`` runs after a save; with
    ``journal``, a Blogs tab."""
    return PreferencesAction(parent, settings, on_changed, journal)
