"""Catalogue pages, models and dialogs (pytest-qt, offscreen)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from journal.core.synthetic import populate


def _films(j):
    stalker = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"], imdb_id="tt0079944")
    alien = j.films.create("Alien", 1979, directors=["Ridley Scott"])
    return stalker.id, alien.id


# ---------------------------------------------------------------------- models
def test_films_model_is_lazy_and_sound(env, qtmodeltester, qtbot):
    from journal.ui.models.films_model import COL_TITLE, FilmsModel

    j, _, _ = env
    populate(j, films=2000, reviews=50, viewings=3000, body_bytes=200, seed=5)
    model = FilmsModel(j)
    qtmodeltester.check(model)
    assert model.rowCount() == 2000
    model.fetches = 0
    last = model.data(model.index(1999, COL_TITLE))
    assert last and model.fetches == 1 and len(model._cache) <= 200
    with qtbot.waitSignal(model.settled):  # in SQL, on a worker
        model.sort(2, Qt.SortOrder.DescendingOrder)   # year, newest first
    years = [int(model.data(model.index(r, 2))) for r in range(50)]
    assert years == sorted(years, reverse=True)
    qtmodeltester.check(model)


def test_other_models_pass_modeltester(env, qtmodeltester):
    from journal.ui.models.diary_model import DiaryModel
    from journal.ui.models.people_model import PeopleModel
    from journal.ui.models.watchlist_model import WatchlistModel

    j, _, _ = env
    stalker, alien = _films(j)
    j.viewings.log(stalker, "2024-03-05")
    j.viewings.log(alien, None)
    j.watchlist.add(alien, note="again", priority=3)
    diary = DiaryModel(j)
    diary.fetchMore(diary.index(0, 0))
    diary.fetchMore(diary.index(0, 0, diary.index(0, 0)))
    for model in (diary, WatchlistModel(j), PeopleModel(j)):
        qtmodeltester.check(model)


# ---------------------------------------------------------------------- films page
def test_films_page_quick_filter(env, qtbot):
    from journal.ui.pages.films import FilmsPage

    j, signals, errors = env
    _films(j)
    page = FilmsPage(j, signals, errors)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.model.settled):  # at once, on a worker: no pause in typing
        page.filter.setText("director=tarkovsky year=1979")
    assert page.model.rowCount() == 1 and page.count.text() == "1 film"
    page.filter.setText("year=soon")
    assert not page.model.busy  # refused at once: the rows stay
    assert page.model.rowCount() == 1 and "number" in page.hint.text()
    with qtbot.waitSignal(page.model.settled):
        page.filter.setText("genre=horror")
    assert "genre" in page.hint.text()
    with qtbot.waitSignal(page.model.settled):
        page.filter.setText("")
    assert page.model.rowCount() == 2
    j.films.create("Solaris", 1972)          # a change elsewhere refreshes the list
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    with qtbot.waitSignal(page.open_film) as blocker:
        page.table.activated.emit(page.model.index(0, 0))
    assert blocker.args == [page.model.film_id(0)]


# ---------------------------------------------------------------------- film dialog
def test_film_dialog_duplicates(env, qtbot):
    from journal.ui.dialogs.film_dialog import FilmDialog

    j, _, errors = env
    stalker, _ = _films(j)
    dialog = FilmDialog(j, errors)
    qtbot.addWidget(dialog)
    dialog.title.setText("Another title")
    dialog.imdb.setText("tt0079944")               # same id: it is the same film
    assert dialog.save() is None and dialog.duplicate_of == stalker
    asked = []
    dialog.confirm_duplicate = lambda film: asked.append(film.id) or False
    dialog.imdb.clear()
    dialog.title.setText("STALKER")
    dialog.year.setText("1979")
    assert dialog.save() is None and asked == [stalker]
    assert j.films.count() == 2
    dialog.confirm_duplicate = lambda film: True
    new_id = dialog.save()
    assert new_id and new_id != stalker and j.films.count() == 3
    for bad, field in (("", "title"), ("year:1700", "year"), ("runtime:-5", "runtime")):
        other = FilmDialog(j, errors)
        qtbot.addWidget(other)
        other.title.setText("Fine" if bad else "")
        if bad.startswith("year"):
            other.year.setText(bad.split(":")[1])
        if bad.startswith("runtime"):
            other.runtime.setText(bad.split(":")[1])
        assert other.save() is None and other.message.text(), field


def test_merge_keeps_every_viewing_and_review(env, qtbot):
    from journal.ui.pages.film_detail import FilmPage

    j, signals, errors = env
    m = j.models
    keep = j.films.create("Stalker", 1979).id
    other = j.films.create("Сталкер", 1979, directors=["Andrei Tarkovsky"]).id
    ids = [j.viewings.log(f, d).id for f, d in ((keep, "2020"), (other, "2021-05"),
                                                 (other, "2022-01-02"))]
    reviews = [j.reviews.create(f, "text", score="8").id for f in (keep, other)]
    page = FilmPage(j, signals, errors)
    qtbot.addWidget(page)
    page.show_film(keep)
    page.merge_into_this(other)
    assert {v.film_id for v in m.Viewing.select().where(m.Viewing.id.in_(ids))} == {keep}
    assert {r.film_id for r in m.Review.select().where(m.Review.id.in_(reviews))} == {keep}
    assert j.films.directors(keep) == ["Andrei Tarkovsky"]
    assert j.films.count() == 1
    qtbot.waitUntil(lambda: "Viewings (3)" in page.lists.text())


# ---------------------------------------------------------------------- posters
def test_poster_stored_once_and_scaled(env, qtbot, tmp_path):
    from journal.core.posters import ThumbnailCache
    from journal.ui.pages.film_detail import FilmPage, store_poster_file

    j, signals, errors = env
    m = j.models
    a, b = _films(j)
    image = QImage(300, 450, QImage.Format.Format_RGB32)
    image.fill(QColor("darkred"))
    small = tmp_path / "poster.png"
    image.save(str(small))
    store_poster_file(j, a, small)
    copy = tmp_path / "same-poster-copy.png"
    copy.write_bytes(small.read_bytes())
    store_poster_file(j, b, copy)
    assert m.Poster.select().count() == 1
    assert j.films.get(a).poster_id == j.films.get(b).poster_id
    big = tmp_path / "big.png"
    QImage(1600, 2400, QImage.Format.Format_RGB32).save(str(big))
    poster = store_poster_file(j, a, big)
    assert (poster.width, poster.height) == (667, 1000)
    page = FilmPage(j, signals, errors, cache=ThumbnailCache(tmp_path / "thumbs"))
    qtbot.addWidget(page)
    page.show_film(a)
    assert page.poster.pixmap() is not None and not page.poster.pixmap().isNull()
    assert list((tmp_path / "thumbs").rglob("*.png"))
    bad = tmp_path / "notes.txt"
    bad.write_text("not an image")
    assert page.set_poster_from(bad) is False and "not an image" in page.message.text()


# ---------------------------------------------------------------------- diary
def test_diary_partial_dates_sort_and_display(env):
    from journal.ui.models.diary_model import DiaryModel, ViewingIdRole

    j, _, _ = env
    stalker, alien = _films(j)
    for date in ("2024-03", "2024-03-05", "2024", None, "2023-12-31"):
        j.viewings.log(alien, date)
    first = j.viewings.log(stalker, "2024-03-01")
    model = DiaryModel(j)
    years = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert years == ["2024 (4)", "2023 (1)", "Undated (1)"]
    y2024 = model.index(0, 0)
    model.fetchMore(y2024)
    months = [model.data(model.index(r, 0, y2024)) for r in range(model.rowCount(y2024))]
    assert months == ["March 2024 (3)", "2024, month unknown (1)"]
    march = model.index(0, 0, y2024)
    model.fetchMore(march)
    rows = [(model.data(model.index(r, 0, march)), model.data(model.index(r, 1, march)),
             model.data(model.index(r, 4, march))) for r in range(3)]
    # Newest first; "March 2024" (day unknown) after the known days of March. Alien's
    # undated, 2023-12-31 and "2024" viewings came before: both March ones are rewatches.
    assert rows == [("Alien (1979)", "5 March 2024", "↻ Rewatch"),
                    ("Stalker (1979)", "1 March 2024", ""),
                    ("Alien (1979)", "March 2024", "↻ Rewatch")]
    assert model.data(model.index(1, 0, march), ViewingIdRole) == first.id
    j.viewings.log(stalker, "2024-03-20", rewatch=False)
    model.reload()
    model.fetchMore(model.index(0, 0))
    march = model.index(0, 0, model.index(0, 0))
    model.fetchMore(march)
    assert model.data(model.index(0, 4, march)) == "↻ Rewatch"   # earlier viewing exists


def test_viewing_dialog_dates_and_undo(env, qtbot):
    from journal.ui.dialogs.viewing_dialog import UndoLog, ViewingDialog, log_viewing_action
    from journal.ui.pages.diary import DiaryPage

    j, signals, errors = env
    m = j.models
    stalker, _ = _films(j)
    undo = UndoLog()
    today = dt.date(2025, 6, 15)
    dialog = ViewingDialog(j, errors, undo=undo, film_id=stalker, today=today)
    qtbot.addWidget(dialog)
    assert dialog.date.text() == "2025-06-15" and "15 June 2025" in dialog.date_message.text()
    for text, words in (("2025-07-01", "future"), ("1850", "first film"),
                        ("2023-02-30", "no day 30"), ("yesterday", "not a date")):
        dialog.date.setText(text)
        assert words in dialog.date_message.text()
        assert dialog.save() is None
    dialog.date.setText("2014")
    viewing_id = dialog.save()
    assert j.viewings.get(viewing_id).watched_on == "2014"
    new = ViewingDialog(j, errors, undo=undo, today=today)
    qtbot.addWidget(new)
    new.film.setText("Mirror (1975)")            # not in the catalogue: created
    new.date.setText("2025-01")
    assert new.save() is not None and j.films.by_title("Mirror", 1975)
    again = ViewingDialog(j, errors, undo=undo, film_id=stalker, today=today)
    qtbot.addWidget(again)
    assert "Rewatch" in again.rewatch_info.text()
    edit = ViewingDialog(j, errors, viewing_id=viewing_id, undo=undo, today=today)
    qtbot.addWidget(edit)
    edit.venue.setText("Cinémathèque")
    edit.save()
    assert j.viewings.get(viewing_id).venue == "Cinémathèque"
    undo.undo()
    assert j.viewings.get(viewing_id).venue == ""
    page = DiaryPage(j, signals, errors, undo=undo)
    qtbot.addWidget(page)
    page.expand_latest()
    month = page.model.index(0, 0, page.model.index(0, 0))
    page.tree.setCurrentIndex(page.model.index(0, 0, month))
    deleted_id = page.selected_viewing_id()
    page.delete_selected()
    assert not j.viewings.live().where(m.Viewing.id == deleted_id).exists()
    assert page.undo_button.text() == "Undo Delete Viewing"
    page.undo_button.click()
    assert j.viewings.get(deleted_id)
    action = log_viewing_action(page, j, errors)
    assert action.shortcut().toString() == "Ctrl+L"


# ---------------------------------------------------------------------- watchlist
def test_watchlist_watched_it(env, qtbot):
    from journal.ui.pages.watchlist import AddToWatchlistDialog, WatchlistPage

    j, signals, errors = env
    m = j.models
    stalker, alien = _films(j)
    add = AddToWatchlistDialog(j, errors, film_id=alien)
    qtbot.addWidget(add)
    add.note.setText("the director’s cut")
    add.recommended.setText("Léa")
    add.priority.setValue(2)
    assert add.save()
    j.watchlist.add(stalker, priority=5)
    page = WatchlistPage(j, signals, errors)
    qtbot.addWidget(page)
    assert page.model.data(page.model.index(0, 0)) == "Stalker"
    page.order.setCurrentIndex(1)                 # date added, newest first
    assert page.model.data(page.model.index(0, 0)) == "Stalker"
    page.order.setCurrentIndex(0)
    page.select_row(1)
    viewing_id = page.watched_selected()
    viewing = j.viewings.get(viewing_id)
    assert (viewing.film_id, viewing.watched_on) == (alien, dt.date.today().isoformat())
    assert not m.WatchlistEntry.select().where(m.WatchlistEntry.film == alien).exists()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    page.select_row(0)
    page.watched_date.setText("2031-01-01")
    assert page.watched_selected() is None and "future" in page.message.text()


# ---------------------------------------------------------------------- people
# (the Statistics page is tested in test_catalogue_statistics.py)
def test_people_page_filmography(env, qtbot):
    from journal.ui.pages.people import PeoplePage

    j, signals, errors = env
    stalker, alien = _films(j)
    j.people.add_credit(alien, "Andrei Tarkovsky", "writer")
    j.reviews.create(stalker, "x", score="9.0")
    j.reviews.create(alien, "y", score="7.0")
    j.viewings.log(stalker, "2020")
    page = PeoplePage(j, signals, errors)
    qtbot.addWidget(page)
    page.filter.setText("tark")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    person = j.people.find("Andrei Tarkovsky")
    page.show_person(person.id)
    text = page.panel.text.text()
    assert "<b>8.0</b>" in text and "1 viewing" in text
    assert text.index("Director") < text.index("Writer")



def test_people_list_gives_names_the_width_in_a_narrow_window(env, qtbot):
    """The count column is sized for a few digits; the names take the rest, and the list keeps
    room for a name even when the window is narrow."""
    from journal.ui.pages.people import PeoplePage

    j, signals, errors = env
    j.people.add_credit(_films(j)[0], "Apichatpong Weerasethakul", "director")
    page = PeoplePage(j, signals, errors)
    qtbot.addWidget(page)
    page.resize(620, 400)
    page.show()
    qtbot.waitExposed(page)
    header = page.table.horizontalHeader()
    assert header.sectionSize(1) < 100
    name = page.table.fontMetrics().horizontalAdvance("Apichatpong Weerasethakul")
    assert header.sectionSize(0) >= name


def test_the_add_to_watchlist_dialog_shows_its_film_hint_whole(env, qtbot):
    """The Film field's hint (“Film title, e.g. Stalker (1979)”) was cut off: the field is as
    wide as the hint and some."""
    from journal.ui.pages.watchlist import AddToWatchlistDialog

    journal, _signals, errors = env
    dialog = AddToWatchlistDialog(journal, errors)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    field = dialog.film
    margins = field.textMargins().left() + field.textMargins().right() + 8
    needed = field.fontMetrics().horizontalAdvance(field.placeholderText()) + margins
    assert field.width() >= needed, (field.width(), needed)
