"""Qt-free catalogue: the quick filter's terms, sorting, rows, statistics and posters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from journal.core import catalogue_query as cq
from journal.core import posters, stats
from journal.errors import ValidationError

TODAY = dt.date(2025, 6, 15)


@pytest.fixture
def films(journal):
    """A small hand-built journal whose every figure is known."""
    j = journal
    f = {}
    f["stalker"] = j.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"],
                                  runtime_minutes=162)
    j.people.add_credit(f["stalker"].id, "Alexander Kaidanovsky", "cast", character="Stalker")
    f["solaris"] = j.films.create("Solaris", 1972, directors=["Andrei Tarkovsky"],
                                  runtime_minutes=167)
    f["alien"] = j.films.create("Alien", 1979, directors=["Ridley Scott"], runtime_minutes=117)
    j.people.add_credit(f["alien"].id, "Sigourney Weaver", "cast", character="Ripley")
    f["amelie"] = j.films.create("Amélie", 2001, directors=["Jean-Pierre Jeunet"],
                                 original_title="Le Fabuleux Destin d’Amélie Poulain")
    f["jetee"] = j.films.create("La Jetée", 1962, directors=["Chris Marker"], kind="short",
                                runtime_minutes=28)
    gone = j.films.create("Trashed Film", 1979, directors=["Andrei Tarkovsky"])
    j.films.delete(gone.id)
    v = j.viewings
    v.log(f["stalker"].id, "2024-03-01", today=TODAY)
    v.log(f["stalker"].id, "2025-02-10", today=TODAY)
    v.log(f["solaris"].id, "2025-02", today=TODAY)
    v.log(f["alien"].id, None)
    v.log(f["alien"].id, "2024", today=TODAY)
    v.log(f["jetee"].id, "2025-05-05", rewatch=True, today=TODAY)
    r = j.reviews
    r.create(f["stalker"].id, "first", score="9.5", created_at=dt.datetime(2024, 3, 2))
    r.create(f["stalker"].id, "second", score="8.0", created_at=dt.datetime(2025, 2, 11))
    r.create(f["alien"].id, "x", score="7.0", created_at=dt.datetime(2024, 12, 1))
    r.create(f["amelie"].id, "y", score="6.5", created_at=dt.datetime(2025, 1, 1))
    r.create(f["solaris"].id, "unscored", created_at=dt.datetime(2025, 3, 1))
    return {k: film.id for k, film in f.items()}


def titles(journal, text, sort="title", descending=False):
    ids = cq.film_ids(journal, text, sort, descending)
    rows = cq.film_rows(journal, ids)
    return [rows[i].title for i in ids]


# ---------------------------------------------------------------------- parsing
def test_parse_terms_words_and_unknown_fields():
    q = cq.parse_query('year>=1970 director="andrei tark" Amélie foo=bar year=')
    assert q.terms == [cq.Term("year", ">=", "1970"), cq.Term("director", "=", "andrei tark")]
    assert q.words == ["amelie", "foo", "bar"]
    assert q.unknown == ["foo"]
    assert cq.parse_query("   ").empty


# ---------------------------------------------------------------------- filtering
@pytest.mark.parametrize(("text", "expected"), [
    ("", ["Alien", "Amélie", "La Jetée", "Solaris", "Stalker"]),
    ("year=1979", ["Alien", "Stalker"]),
    ("director=tarkovsky", ["Solaris", "Stalker"]),
    ("director=TARKOVSKY year=1979", ["Stalker"]),
    ("year>=1979", ["Alien", "Amélie", "Stalker"]),
    ("year<1970", ["La Jetée"]),
    ("year=1960..1975", ["La Jetée", "Solaris"]),
    ("kind=short", ["La Jetée"]),
    ("score>=8", ["Stalker"]),          # the latest score (8.0), not the first (9.5)
    ("score>=9", []),
    ("score<7", ["Amélie"]),
    ("viewings>=2", ["Alien", "Stalker"]),
    ("viewings=0", ["Amélie"]),
    ("watched=2025", ["La Jetée", "Solaris", "Stalker"]),
    ("watched=2025-02", ["Solaris", "Stalker"]),
    ("actor=weaver", ["Alien"]),
    ("person=kaidanovsky", ["Stalker"]),
    ("title=jetee", ["La Jetée"]),
    ("original=destin", ["Amélie"]),
    ("title!=alien", ["Amélie", "La Jetée", "Solaris", "Stalker"]),
    ("amelie", ["Amélie"]),             # accents folded
    ("poulain", ["Amélie"]),            # the original title
    ("marker", ["La Jetée"]),           # a director's name
    ("tarkovsky 1979", []),             # plain words are not years
    ("st", ["Amélie", "Stalker"]),   # Amélie by “Destin”
    ("100%", []),                       # LIKE wildcards are escaped
])
def test_quick_filter_terms(journal, films, text, expected):
    assert titles(journal, text) == expected


def test_bad_number_is_a_validation_error(journal, films):
    with pytest.raises(ValidationError) as err:
        cq.film_ids(journal, "year=nineteen")
    assert "year" in err.value.message
    with pytest.raises(ValidationError):
        cq.film_ids(journal, "director>=x")


# ---------------------------------------------------------------------- sorting and rows
def test_sorting_keys_nulls_last(journal, films):
    assert titles(journal, "", "year") == ["La Jetée", "Solaris", "Alien", "Stalker", "Amélie"]
    assert titles(journal, "", "year", True)[0] == "Amélie"
    assert titles(journal, "", "score", True) == ["Stalker", "Alien", "Amélie", "La Jetée",
                                                  "Solaris"]
    assert titles(journal, "", "viewings", True)[:2] == ["Alien", "Stalker"]
    assert titles(journal, "", "director") == ["Solaris", "Stalker", "La Jetée", "Amélie",
                                               "Alien"]
    assert titles(journal, "", "last_viewed", True)[0] == "La Jetée"
    with pytest.raises(ValidationError):
        cq.film_ids(journal, "", "budget")


def test_rows_carry_list_columns(journal, films):
    rows = cq.film_rows(journal, [films["stalker"], films["amelie"], films["alien"]])
    stalker = rows[films["stalker"]]
    assert stalker.directors == "Andrei Tarkovsky"
    assert stalker.score == Decimal("8.0")
    assert (stalker.viewings, stalker.last_viewed) == (2, "2025-02-10")
    assert rows[films["amelie"]].original_title.startswith("Le Fabuleux")
    assert rows[films["amelie"]].score == Decimal("6.5")
    assert rows[films["alien"]].last_viewed == "2024"


# ---------------------------------------------------------------------- statistics
def test_statistics_against_hand_counts(journal, films):
    s = stats.compute(journal, today=TODAY)
    assert (s.total_viewings, s.undated_viewings) == (6, 1)
    assert s.per_year == [(2024, 2), (2025, 3)]
    assert s.per_month[2025] == [0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert s.per_month[2024] == [0, 0, 1] + [0] * 9      # "2024" alone is in no month
    # Stalker's second viewing, Alien's after the undated one, La Jetée's flag.
    assert s.rewatches == 3
    assert s.rewatch_share == pytest.approx(0.5)
    assert s.score_histogram == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0]
    assert s.decades == [(1970, Decimal("8.2"), 3), (2000, Decimal("6.5"), 1)]
    assert s.top_directors[0][1:] == ("Andrei Tarkovsky", 3)   # trashed film not counted
    assert [d[1:] for d in s.top_directors[1:]] == [("Ridley Scott", 2), ("Chris Marker", 1)]
    assert [a[1:] for a in s.top_actors] == [("Alexander Kaidanovsky", 2),  # ties by name
                                             ("Sigourney Weaver", 2)]
    cur, prev = s.current, s.previous
    assert (cur.year, cur.viewings, cur.films, cur.rewatches, cur.first_time) == (
        2025, 3, 3, 2, 1)
    assert cur.minutes == 162 + 167 + 28
    assert (cur.reviews, cur.average_score) == (3, Decimal("7.3"))   # (8.0 + 6.5) / 2 = 7.25
    assert (prev.year, prev.viewings, prev.films, prev.rewatches) == (2024, 2, 2, 1)
    assert (prev.reviews, prev.average_score) == (2, Decimal("8.3"))


def test_statistics_of_an_empty_journal(journal):
    s = stats.compute(journal, today=TODAY)
    assert s.total_viewings == 0 and s.rewatch_share == 0.0
    assert s.per_year == [] and s.decades == [] and sum(s.score_histogram) == 0


# ---------------------------------------------------------------------- posters
PNG_1PX = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_poster_sniff_hash_and_sizes(tmp_path):
    assert posters.sniff_mime(PNG_1PX) == "image/png"
    assert posters.sniff_mime(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert posters.sniff_mime(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    with pytest.raises(posters.PosterError):
        posters.sniff_mime(b"%PDF-1.7")
    assert posters.content_hash(PNG_1PX) == posters.content_hash(bytes(PNG_1PX))
    assert posters.scaled_size(600, 900) == (600, 900)
    assert posters.scaled_size(2000, 3000) == (667, 1000)
    with pytest.raises(posters.PosterError):
        posters.scaled_size(0, 10)


def test_thumbnail_cache_roundtrip(tmp_path):
    cache = posters.ThumbnailCache(tmp_path / "thumbs")
    digest = posters.content_hash(PNG_1PX)
    assert cache.get(digest) is None
    path = cache.put(digest, PNG_1PX)
    assert path is not None and path.name == f"{digest}-{posters.THUMBNAIL_HEIGHT}.png"
    assert cache.get(digest) == PNG_1PX
    assert cache.get(digest, 64) is None
    blocked = posters.ThumbnailCache(path)  # a file where the folder should be
    assert blocked.put(digest, PNG_1PX) is None


def test_a_person_cannot_be_given_an_empty_name(journal):
    person = journal.people.get_or_create("Andrei  Tarkovsky")
    assert person.name == "Andrei Tarkovsky"
    for blank in ("", "   ", "\t\n"):
        with pytest.raises(ValidationError, match=r"^A person needs a name\.$") as raised:
            journal.people.rename(person.id, blank)
        assert raised.value.field == "name"
        with pytest.raises(ValidationError, match=r"^A person needs a name\.$"):
            journal.people.get_or_create(blank)
    assert journal.people.rename(person.id, " Andrei   Tarkovsky ").name == "Andrei Tarkovsky"
    assert journal.people.get(person.id).name == "Andrei Tarkovsky"
