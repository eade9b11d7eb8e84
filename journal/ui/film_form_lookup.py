"""The film dialog's "Look Up…": fills the form from Wikidata or TMDb, the rest after saving.

The fields the form has (title, original title, year, runtime, directors of a new film, ids,
synopsis) are filled in the form, where the user still sees and may change them before saving.
What the form has no field for (cast, genres, countries, the poster, the Wikidata and
Letterboxd ids; directors of an existing film) is applied right after the film is saved — the
poster on a worker, since it is downloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from journal.core.metadata import apply as applying
from journal.core.metadata.record import FilmRecord
from journal.ui import metadata_support as support
from journal.ui.bridge import CancelToken, Worker
from journal.ui.poster_image import scale_poster

if TYPE_CHECKING:
    from journal.ui.dialogs.film_dialog import FilmDialog


class FormLookup:
    def __init__(self, dialog: FilmDialog) -> None:
        self.dialog = dialog
        self.button = QPushButton("&Look Up…", dialog)
        self.button.setObjectName("filmLookUp")
        self.button.setAccessibleName("Look the film up on Wikidata or TMDb")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.open)
        self.pending: tuple[FilmRecord, str, list[str]] | None = None
        self.lookup_dialog: Any = None
        self.worker: Worker | None = None

    def _edits(self) -> dict[str, Any]:
        d = self.dialog
        edits = {"title": d.title, "original_title": d.original, "year": d.year,
                 "runtime_minutes": d.runtime, "imdb_id": d.imdb, "tmdb_id": d.tmdb,
                 "synopsis": d.synopsis}
        if d.film_id is None:
            edits["directors"] = d.directors
        return edits

    def current(self) -> dict[str, str]:
        d = self.dialog
        values = applying.current_values(d.journal, d.film_id) if d.film_id is not None else {}
        for name, edit in self._edits().items():
            text = edit.toPlainText() if name == "synopsis" else edit.text()
            values[name] = f"{text.strip()} min" if name == "runtime_minutes" and \
                text.strip() else text.strip()
        return values

    def open(self) -> None:
        from journal.ui.lookup_dialog import LookupDialog

        year = self.dialog.year.text().strip()
        self.lookup_dialog = LookupDialog(
            self.dialog.journal, self.dialog, title=self.dialog.title.text().strip(),
            year=int(year) if year.isdigit() else None, current=self.current())
        self.lookup_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.lookup_dialog.chosen.connect(self.take)
        self.lookup_dialog.open()

    def take(self, record: FilmRecord, fields: list[str]) -> None:
        """Put the ticked values in the form; keep the rest for after saving."""
        edits = self._edits()
        proposed = applying.proposed_values(record)
        for name in fields:
            edit = edits.get(name)
            if edit is None:
                continue
            value = str(record.runtime_minutes or "") if name == "runtime_minutes" \
                else proposed[name]
            if name == "synopsis":
                edit.setPlainText(value)
            else:
                edit.setText(value)
        rest = [f for f in fields if f not in edits]
        source = self.lookup_dialog.source_name() if self.lookup_dialog is not None else "lookup"
        self.pending = (record, source, rest) if rest else None

    def after_save(self, film_id: int) -> None:
        """Apply what the form could not hold (called once the film is saved)."""
        if self.pending is None:
            return
        record, source, rest = self.pending
        self.pending = None
        now = [f for f in rest if f != "poster"]
        if now:
            applying.apply_record(self.dialog.journal, film_id, record, now,
                                  state=f"{source}:matched")
        if "poster" not in rest:
            return
        journal = self.dialog.journal
        owner: QWidget = self.dialog.parentWidget() or self.dialog

        def work(token: CancelToken) -> None:
            src = support.open_source(source, cancel=token)
            try:
                poster, _why = applying.fetch_poster(src, record, scale_poster)
            finally:
                src.close()
            if poster is not None:
                applying.apply_record(journal, film_id, record, ["poster"], poster=poster)

        self.worker = Worker(work, owner)
        self.worker.failed.connect(lambda exc: self.dialog.errors.report(
            exc, "The poster could not be downloaded"))
        self.worker.start()
