"""Recognising the film blogger's conventions in a post."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.importers import conventions
from journal.core.importers.conventions import parse_partial_date, recognise

POST = """*“The past is just a story we tell ourselves.”*

**Eyelights:** its tender, *aching* performances.
*Eyesores: its smug — “cold” — production design.*

Some opening text. A score of 8.5 is mentioned mid-sentence.

## Thoughts

*MAJOR spoiler alert*

The ending… 😢

*MAJOR spoiler alert*

More text.

**Rating: 8.5/10**

Date of viewing: January 24, 2014
"""


def test_full_post():
    r = recognise("Her (2013) – 8.5/10", POST, ["Films of 2013", "Reviews"])
    assert (r.film_title, r.film_year, r.score) == ("Her", 2013, Decimal("8.5"))
    assert r.eyelights == "its tender, aching performances."
    assert r.eyesores == "its smug — “cold” — production design."
    assert r.viewing_date == "2014-01-24"
    assert r.body == (
        "*“The past is just a story we tell ourselves.”*\n\n"
        "Some opening text. A score of 8.5 is mentioned mid-sentence.\n\n## Thoughts\n\n"
        "::: spoiler\n\nThe ending… 😢\n\n:::\n\nMore text.")
    fields = [m.field for m in r.matches]
    assert fields.count("spoiler") == 2
    assert {"score", "film_year", "film_title", "eyelights", "eyesores", "viewing_date"} <= set(
        fields)
    assert any(m.source == "**Rating: 8.5/10**" for m in r.matches)
    assert r.notes == []


@pytest.mark.parametrize(("title", "film", "year", "score"), [
    ("Her 8.5", "Her", None, Decimal("8.5")),
    ("Her (2013) – 8.5/10", "Her", 2013, Decimal("8.5")),
    ("Her (2013) - 9/10", "Her", 2013, Decimal("9.0")),
    ("Her, 2013", "Her", 2013, None),
    ("*Her* (2013)", "Her", 2013, None),
    ("Ocean’s 11 7.5", "Ocean’s 11", None, Decimal("7.5")),
    ("Blade Runner 2049", "Blade Runner 2049", None, None),
    ("Apollo 13", "Apollo 13", None, None),
    ("Her 18.5", "Her 18.5", None, None),
    ("Paris, Texas", "Paris, Texas", None, None),
])
def test_title_forms(title, film, year, score):
    r = recognise(title, "", [])
    assert (r.film_title, r.film_year, r.score) == (film, year, score)


def test_year_from_categories():
    assert recognise("Her", "", ["Drama", "2013"]).film_year == 2013
    assert recognise("Her", "", ["Films of 2013"]).film_year == 2013
    several = recognise("Her", "", ["2013", "2014"])
    assert several.film_year is None and several.notes


@pytest.mark.parametrize(("text", "expected"), [
    ("January 24, 2014", "2014-01-24"), ("24 January 2014", "2014-01-24"),
    ("2014-01-24", "2014-01-24"), ("Jan 2014", "2014-01"), ("2014", "2014"),
    ("Jan. 24th, 2014", "2014-01-24"), ("February 30, 2014", None), ("last week", None),
])
def test_partial_dates(text, expected):
    assert parse_partial_date(text) == expected


@pytest.mark.parametrize("line", ["Score: 8.5", "8.5/10", "**8,5 / 10**", "Rating: 8.5 out of 10"])
def test_score_lines(line):
    r = recognise("Her", f"Text.\n\n{line}\n", [])
    assert r.score == Decimal("8.5") and r.body == "Text."


def test_ambiguous_text_is_left_alone():
    body = ("Rating: 8.5/10\n\nRating: 7/10\n\nEyelights: one\n\nEyelights: two\n\n"
            "Date of viewing: sometime in spring\n\nScore: 8.75\n\nSpoilers are for cowards.")
    r = recognise("Her", body, [])
    assert (r.score, r.eyelights, r.viewing_date) == (None, None, None)
    assert r.body == body
    assert len(r.notes) >= 4  # score, eyelights, date and the 8.75 are each explained


def test_body_score_conflicting_with_title_is_not_guessed():
    r = recognise("Her 8.5", "Rating: 7.0/10", [])
    assert r.score is None and r.body == "Rating: 7.0/10" and r.notes


def test_unpaired_spoiler_runs_to_the_end_and_code_is_ignored():
    body = "Intro\n\n**Spoiler alert!**\n\nSecret\n\n```\nScore: 9\n```"
    r = recognise("Her", body, [])
    assert r.body == "Intro\n\n::: spoiler\n\nSecret\n\n```\nScore: 9\n```\n\n:::"
    assert r.score is None


# Lines the conventions read, with the markup, marks and letters around them (including the
# non-ASCII letters IGNORECASE matches to ASCII ones: ſ, K, İ, ı), and random mixes of the pieces.
_AROUND = ["", " ", "  ", "\t", "\u00a0", "*", "**", "_", "__", "#", "## ", "###### ", "> ", ">",
           "!", ".", ":", "…", "-", "–", "—", "(", ")", "[", "]", "/"]
_LABELS = ["Rating", "rating", "RATING", "Score", "My rating", "my score", "ſcore", "Eyelights",
           "eyelight", "eyesore", "EYESORES", "Date of viewing", "Dates of viewing",
           "Viewing date", "date viewed", "Seen on", "Seen", "Date", "Rating ", "Voice",
           "Synopsis", "Watched on", "Date watched", "Verdict", "Grade", "Final score",
           "Our rating", "Overall rating", "MPAA rating", "IMDb", "Rated", "Metacritic"]
_SEPARATORS = [":", "：", " :", ": ", ":**", "**:", "*: ", "_:_ ", " ", ""]
_VALUES = ["8.5", "8,5", "10", "8.5/10", "7 out of 10", "8.75", "12", "January 24, 2014", "2014",
           "Jan 2014", "the score", "its *light*", "", "İ", "ı", "★★★½", "4.5 stars", "(5/10)",
           "4/5", "R", "PG-13", "85%", "★★ (5/10)", "☆", "⭐⭐⭐"]
_SPOILERS = st.tuples(
    st.sampled_from(["", "MAJOR ", "minor ", "mild ", "huge ", "big ", "massive ", "some ",
                     "serious ", "heavy ", "light ", "End of ", "end ", "/", "spoilers ", "K "]),
    st.sampled_from(["spoiler", "Spoilers", "SPOILER", "ſpoiler", "spoİler"]),
    st.sampled_from(["", " alert", " warning", " ahead", " below", " follow", " end", "s",
                     " alerts"])).map("".join)
_CORES = st.one_of(
    st.tuples(st.sampled_from(_LABELS), st.sampled_from(_SEPARATORS),
              st.sampled_from(_VALUES)).map("".join),
    st.sampled_from(["8.5/10", "7 out of 10", "10/10", "8,5 / 10", "9 /10", "11/10", "★★★½",
                     "(5/10)", "4.5 stars", "4/5", "3 out of 4 stars", "⭐⭐⭐⭐", "½ star",
                     "\\*MAJOR spoiler alert\\*"]),
    _SPOILERS,
    st.lists(st.sampled_from(_LABELS + _SEPARATORS + _VALUES + _AROUND), max_size=6).map("".join))
_LINES = st.tuples(st.lists(st.sampled_from(_AROUND), max_size=3).map("".join), _CORES,
                   st.lists(st.sampled_from(_AROUND), max_size=3).map("".join)).map("".join)


def _worth_classifying(line: str, titles: tuple[str, ...] = ()) -> bool:
    """Whether the quick test keeps ``line`` (a text of one line) for ``_classify``."""
    return conventions._lines_to_classify(line, titles) == [0]


@settings(max_examples=1500, deadline=None)
@given(_LINES)
def test_the_quick_line_test_never_skips_a_line_the_conventions_read(line):
    if conventions._classify(line, 0) is not None:
        assert _worth_classifying(line)


_TITLES = ["Her", "Amélie", "Blade Runner 2049", "M", "8½", "Ocean’s 11", "The Thing",
           "(500) Days of Summer", "#Alive", "[REC]", "...And Justice for All", "*batteries "
           "not included"]


@settings(max_examples=800, deadline=None)
@given(st.sampled_from(_TITLES), st.lists(st.sampled_from(_AROUND), max_size=3).map("".join),
       st.sampled_from(["", " (2013)", "(1982)", " 2013"]),
       st.sampled_from([" ", " – ", ": ", "|", ""]),
       st.sampled_from(["8.5", "8,5/10", "★★★½", "4.5 stars", "7", "(5/10)", "10", "x"]),
       st.lists(st.sampled_from(_AROUND), max_size=3).map("".join))
def test_the_quick_test_never_skips_the_blogs_score_line(title, before, year, sep, score, after):
    from journal.core.values import fold

    line = f"{before}{title}{year}{sep}{score}{after}"
    titles = (fold(title),)
    if conventions._classify(line, 0, titles) is not None:
        assert _worth_classifying(line, titles)


@pytest.mark.parametrize("line", ["The score: 8", "the rating: 7/10", "The verdict: 8.5/10",
                                  "**The grade:** 9/10", "> the score:Rating"])
def test_a_score_labelled_with_the_is_not_skipped(line):
    """``scores`` reads "The score: 8" (``_OWN_LABEL``); the quick test skipped such lines (a
    hypothesis example found it: ``the score:Rating``)."""
    assert conventions._classify(line, 0) is not None
    assert _worth_classifying(line)


@pytest.mark.parametrize("line", ["Voice frame shadow music", "Love story", "Dream on", "Music",
                                  "— dash then words", "Here we go", "Best of 2014"])
def test_most_prose_lines_skip_the_conventions(line):
    assert not _worth_classifying(line)


@pytest.mark.parametrize(("body", "note"), [
    ("Date of viewing: sometime in spring", "date of viewing 'sometime in spring' could not be read"),
    ("IMDb: 7.7/10", "“IMDb: 7.7/10” is someone else's score (IMDb), not yours: left in the text"),
    ("Score: 8.75", "score line “Score: 8.75” left in the text: 8.75 out of 10 has more than one "
                    "decimal"),
])
def test_a_line_left_alone_alone_is_said(body, note):
    """Each kind of line left in the text is said, when it is the only thing found."""
    r = recognise("Her", f"Intro.\n\n{body}", [])
    assert r.notes == [note] and r.body == f"Intro.\n\n{body}"
