"""The People list: its query in the core (no Qt) and the lazy model over it (pytest-qt)."""

from __future__ import annotations

import datetime as dt
import random

from journal.core import people_query as pq
from journal.core.synthetic import populate
from journal.core.values import fold

NAMES = ("Zbigniew Cybulski", "Émile Cohl", "emma Thompson", "Andrei Tarkovsky", "Ángela Molina",
         "Éric Rohmer", "Dziga Vertov", "Agnès Varda", "Ozu Yasujirō")


def _people(j, names=NAMES):
    return {name: j.people.get_or_create(name).id for name in names}


def _bulk_people(j, count, seed=7):
    """``count`` people (some accented, in no order) in one executemany; their names by id."""
    rng = random.Random(seed)
    first = ("Ada", "Émile", "zoe", "Ángel", "Bo", "Øystein", "Chloé", "dan")
    last = ("Varda", "Östlund", "Kiarostami", "Ünal", "Ray", "Ōshima", "Akerman")
    names = [f"{rng.choice(first)} {rng.choice(last)} {rng.randrange(10**6)}"
             for _ in range(count)]
    now = dt.datetime(2024, 1, 1)
    with j.write():
        j.store.db.connection().executemany(
            "INSERT INTO person (name, name_folded, created_at) VALUES (?, ?, ?)",
            [(n, fold(n), now) for n in names])
    rows = j.store.db.execute_sql("SELECT id, name FROM person").fetchall()
    return dict(rows)


def _display_order(names_by_id):
    return [i for i, _ in sorted(names_by_id.items(), key=lambda item: (fold(item[1]), item[0]))]


# ---------------------------------------------------------------------- core, no Qt
def test_ids_ordered_by_folded_name_with_accents(journal):
    m = journal.models
    ids = _people(journal)
    order = [name for name in sorted(ids, key=fold)]
    assert order[:3] == ["Agnès Varda", "Andrei Tarkovsky", "Ángela Molina"]
    assert pq.person_ids(journal) == [ids[name] for name in order]
    # Two people folding alike ("Emile Cohl" and "Émile Cohl") keep the order they came in.
    with journal.write():  # the service would find Émile Cohl: insert the namesake directly
        twin = m.Person.create(name="Emile Cohl!", name_folded=fold("Emile Cohl!")).id
    found = pq.person_ids(journal, "cohl")
    assert found == [ids["Émile Cohl"], twin]


def test_filter_matches_name_or_word_start(journal):
    ids = _people(journal)

    def names(text):
        by_id = {v: k for k, v in ids.items()}
        return [by_id[i] for i in pq.person_ids(journal, text)]

    assert names("tark") == ["Andrei Tarkovsky"]
    assert names("andrei TARK") == ["Andrei Tarkovsky"]
    assert names("kovsky") == []                      # inside a word: no
    assert names("e") == ["Émile Cohl", "emma Thompson", "Éric Rohmer"]
    assert names("EMI") == ["Émile Cohl"]
    assert names("ang") == ["Ángela Molina"]          # accent folded in the filter too
    assert names("yasujiro") == ["Ozu Yasujirō"]
    assert names("a") == ["Agnès Varda", "Andrei Tarkovsky", "Ángela Molina"]
    assert names("  ") == names("") and len(names("")) == len(NAMES)
    assert names("%") == names("") and names("_") == names("")  # fold drops them: no filter
    assert names("zzz") == []


def test_filter_same_matches_as_the_old_like(journal):
    """The instr test gives what the list's two LIKEs gave, on many generated names."""
    _bulk_people(journal, 3000)
    db = journal.store.db
    for text in ("a", "em", "émile v", "oshima", "ost", "zoe 1", "ray 99", "da", "unal"):
        key = fold(text)
        old = [r[0] for r in db.execute_sql(
            "SELECT id FROM person WHERE deleted_at IS NULL AND (name_folded LIKE ? OR "
            "name_folded LIKE ?) ORDER BY name_folded, id", [key + "%", "% " + key + "%"])]
        assert pq.person_ids(journal, text) == old, text
        assert old or text == "zoe 1"


def test_trashed_people_excluded_and_restored(journal):
    ids = _people(journal)
    group = journal.people.delete(ids["Andrei Tarkovsky"])
    assert ids["Andrei Tarkovsky"] not in pq.person_ids(journal)
    assert pq.person_ids(journal, "tark") == []
    assert len(pq.person_ids(journal)) == len(NAMES) - 1
    journal.trash.restore(group)
    assert pq.person_ids(journal, "tark") == [ids["Andrei Tarkovsky"]]


def test_ids_read_one_index_in_order(journal):
    """No sort and no table row: the list is one scan of person_name_folded."""
    _people(journal)
    for text in ("", "tark"):
        sql, params = pq.build_ids_sql(text)
        plan = " | ".join(row[3] for row in journal.store.db.execute_sql(
            f"EXPLAIN QUERY PLAN {sql}", params).fetchall())
        assert "SCAN person USING COVERING INDEX person_name_folded" in plan, plan
        assert "TEMP B-TREE" not in plan, plan


def test_rows_count_distinct_live_films(journal):
    j = journal
    stalker = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"]).id
    mirror = j.films.create("Mirror", 1975, directors=["Andrei Tarkovsky"]).id
    solaris = j.films.create("Solaris", 1972, directors=["Andrei Tarkovsky"]).id
    j.people.add_credit(stalker, "Andrei Tarkovsky", "writer")   # same film twice: one film
    j.people.add_credit(mirror, "Andrei Tarkovsky", "cast", character="Narrator")
    j.people.add_credit(stalker, "Alexander Kaidanovsky", "cast", character="Stalker")
    j.films.delete(solaris)                                       # in the Trash: not counted
    nobody = j.people.get_or_create("Nobody Yet").id
    tark = j.people.find("Andrei Tarkovsky").id
    kaid = j.people.find("Alexander Kaidanovsky").id
    rows = pq.person_rows(j, [tark, kaid, nobody, 999_999])
    assert rows == {tark: pq.PersonRow(tark, "Andrei Tarkovsky", 2),
                    kaid: pq.PersonRow(kaid, "Alexander Kaidanovsky", 1),
                    nobody: pq.PersonRow(nobody, "Nobody Yet", 0)}   # unknown id: absent
    assert pq.person_rows(j, []) == {}


def test_rows_in_chunks(journal):
    from journal.core.catalogue_query import IDS_PER_STATEMENT

    names = _bulk_people(journal, IDS_PER_STATEMENT * 2 + 7)
    ids = pq.person_ids(journal)
    rows = pq.person_rows(journal, ids)
    assert len(rows) == len(names) and {i: r.name for i, r in rows.items()} == names
    assert all(r.films == 0 for r in rows.values())


# ---------------------------------------------------------------------- the model (Qt)
def test_model_lists_twenty_thousand_people_in_windows(env, qtbot):
    from journal.ui.models.base import CACHE_LIMIT, WINDOW
    from journal.ui.models.people_model import PeopleModel, PersonIdRole

    j, _, _ = env
    names = _bulk_people(j, 20_000)
    expected = _display_order(names)
    model = PeopleModel(j)
    assert model.rowCount() == model.total == 20_000
    assert model.fetches == 0 and not model._cache       # ids only, no row read yet
    assert model.data(model.index(19_999, 0), PersonIdRole) == expected[-1]
    assert model.fetches == 0                            # the id needs no fetch either
    assert model.data(model.index(19_999, 0)) == names[expected[-1]]
    assert model.fetches == 1 and len(model._cache) <= WINDOW
    model.reload()
    qtbot.waitUntil(lambda: not model.busy)  # the query runs on a worker
    model.fetches = 0
    listed = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert listed == [names[i] for i in expected]        # everyone, in folded-name order
    step = WINDOW - WINDOW // 4                          # new rows per window when scrolling
    assert model.fetches <= 20_000 // step + 2
    assert len(model._cache) == CACHE_LIMIT              # bounded: the oldest rows went
    assert model.data(model.index(0, 1)) == "0"
    assert model.row_of(expected[12_345]) == 12_345 and model.row_of(-1) is None
    model.set_filter("émile")
    qtbot.waitUntil(lambda: not model.busy)
    assert model.total == sum(1 for n in names.values() if " emile" in " " + fold(n))
    assert 0 < model.total < 20_000
    # the old rows are gone; the new first screen was read with the ids, on the worker
    assert set(model._cache) == set(model._ids[:WINDOW])
    fetches = model.fetches
    assert model.data(model.index(5, 0)) and model.fetches == fetches


def test_people_page_loads_only_what_is_shown(env, qtbot):
    from journal.ui.models.base import WINDOW
    from journal.ui.pages.people import PeoplePage

    j, signals, errors = env
    names = _bulk_people(j, 20_000)
    expected = _display_order(names)
    page = PeoplePage(j, signals, errors)
    qtbot.addWidget(page)
    page.resize(900, 600)
    page.grab()
    assert page.model.rowCount() == 20_000
    assert 1 <= page.model.fetches <= 2 and len(page.model._cache) <= 2 * WINDOW
    last = expected[-1]
    page.show_person(last)                               # found past the old 5,000 cap
    assert page.table.currentIndex().row() == 19_999
    assert names[last] in page.panel.text.text()
    j.people.delete(last)                                # a change reloads the list
    qtbot.waitUntil(lambda: page.model.rowCount() == 19_999)


def test_people_model_passes_modeltester(env, qtmodeltester, qtbot):
    from journal.ui.models.people_model import PeopleModel

    j, _, _ = env
    populate(j, films=300, reviews=10, viewings=20, people=250, body_bytes=100, seed=4)
    _people(j)
    model = PeopleModel(j)
    assert model.rowCount() == 250 + len(NAMES)
    qtmodeltester.check(model, force_py=True)  # stays connected: rechecks after each reset
    for text, rows in (("a", None), ("no such name", 0), ("", 250 + len(NAMES))):
        with qtbot.waitSignal(model.settled):  # the query runs on a worker
            model.set_filter(text)
        assert model.rowCount() == rows if rows is not None else \
            0 < model.rowCount() < 250 + len(NAMES)
    j.people.delete(j.people.find("Agnès Varda").id)
    with qtbot.waitSignal(model.settled):
        model.reload()
    assert model.rowCount() == 250 + len(NAMES) - 1
