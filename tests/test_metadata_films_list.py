"""While Complete the Catalogue fills films in, the Films list follows without starting over
(issue 17: the window never stalls while it runs): a change that keeps the list's films and
order repaints only what changed — no model reset, the selection and the scroll position stay —
and the window's run looks films up in a child process."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtCore import Qt

from journal.core.metadata import apply as applying
from journal.core.metadata.record import FilmRecord


@pytest.fixture
def page(env, qtbot):
    from journal.ui.pages.films import FilmsPage

    journal = env[0]
    with journal.events.batch():
        for n in range(100):
            journal.films.create(f"Film {n:03d}", 1950 + n % 60)
    page = FilmsPage(*env)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def _cell(page, film_id, column):
    from journal.ui.models.films_model import COL_DIRECTOR

    row = page.model.row_of(film_id)
    return page.model.data(page.model.index(row, column or COL_DIRECTOR))


def test_credits_filled_in_repaint_the_row_without_a_reset(env, page, qtbot):
    from journal.ui.models.films_model import COL_DIRECTOR, COL_YEAR

    journal = env[0]
    resets = []
    page.model.modelReset.connect(lambda: resets.append(1))
    page.table.selectRow(60)
    page.table.scrollTo(page.model.index(60, 0))
    chosen, scrolled = page.selected_film_id(), page.table.verticalScrollBar().value()
    assert scrolled > 0
    film_id = page.model.film_id(61)
    record = FilmRecord("tmdb", "1", "Film 061", directors=["Agnès Varda"], year=1962,
                        runtime_minutes=90)
    applying.apply_record(journal, film_id, record, ["directors", "runtime_minutes"])
    qtbot.waitUntil(lambda: _cell(page, film_id, COL_DIRECTOR) == "Agnès Varda", timeout=3000)
    journal.people.rename(journal.people.find("Agnès Varda").id, "Agnes Varda")
    qtbot.waitUntil(lambda: _cell(page, film_id, COL_DIRECTOR) == "Agnes Varda", timeout=3000)
    assert resets == []
    assert page.selected_film_id() == chosen
    assert page.table.verticalScrollBar().value() == scrolled
    assert _cell(page, film_id, COL_YEAR) == str(1950 + 61 % 60)


def test_a_change_of_order_or_of_films_starts_the_list_over(env, page, qtbot):
    journal = env[0]
    resets = []
    page.model.modelReset.connect(lambda: resets.append(1))
    last = page.model.film_id(99)
    journal.films.update(last, title="A film first")
    qtbot.waitUntil(lambda: page.model.film_id(0) == last, timeout=3000)
    journal.films.delete(page.model.film_id(5))
    qtbot.waitUntil(lambda: page.model.rowCount() == 99, timeout=3000)
    assert len(resets) == 2 and page.count.text() == "99 films"


def test_the_window_looks_films_up_in_a_child_process(metadata_server, env, qtbot,
                                                      monkeypatch):
    from journal.core.metadata import lookup_process
    from journal.ui.complete_catalogue import CompleteCatalogueDialog

    journal = env[0]
    journal.films.create("Her", 2013)
    commands = []
    real = lookup_process.subprocess.Popen
    monkeypatch.setattr(lookup_process.subprocess, "Popen",
                        lambda command, **kw: commands.append(command) or real(command, **kw))
    window = CompleteCatalogueDialog(journal)
    qtbot.addWidget(window)
    window.show()
    interval = sys.getswitchinterval()
    during = []
    qtbot.mouseClick(window.start_button, Qt.MouseButton.LeftButton)
    during.append((gc.get_freeze_count() > 0, sys.getswitchinterval()))
    with qtbot.waitSignal(window.finished_run, timeout=20000):
        pass
    assert commands == [lookup_process.child_command()]
    assert window.status.text() == "1 film completed from Wikidata (1 of 1 looked up)."
    assert during == [(True, 0.001)]          # while it runs (see complete_catalogue.py)
    assert (gc.get_freeze_count(), sys.getswitchinterval()) == (0, interval)   # given back
