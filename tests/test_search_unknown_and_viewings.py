"""Search says when a filter name is not one (and which it probably was), in the window and on
the command line; the viewing filters also find films logged without a review."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from journal.cli import main
from journal.core.search import SearchEngine, parse


# ---------------------------------------------------------------------- the query language
@pytest.mark.parametrize("text, meant", [("rating:>8", "score:>8"), ("directer:jonze",
                                          "director:jonze"), ("-genre:noir", "-tag:noir"),
                                         ("yaer:2013", "year:2013"), ("watched:2014",
                                                                       "viewed:2014")])
def test_an_unknown_filter_is_said_with_the_nearest_and_left_out(text, meant):
    q = parse(f"her {text}", prefix_last=False)
    assert q.match_expression() == '"her"' and q.filters == [] and q.messages == []
    (note,) = q.notes
    assert note.startswith(f"{text} was left out") and note.endswith(f"Did you mean {meant}?")


def test_a_filter_like_value_with_no_near_name_lists_the_filters():
    (note,) = parse("foo:>3", prefix_last=False).notes
    assert "“foo:” is not a filter" in note and "score" in note and "viewed" in note


def test_words_with_colons_stay_words():
    q = parse("re:view 12:30 note: http://example.org", prefix_last=False)
    assert q.notes == [] and q.messages == []
    assert q.match_expression() == '"re:view" AND "12:30" AND "note:" AND "http://example.org"'


# ---------------------------------------------------------------------- viewings, no review
@pytest.fixture
def diary(journal):
    """Her: reviewed (linked to the 2014 viewing), rewatched 2020 on streaming without a review.
    Heat: seen at the cinema in 2014, never reviewed. Alien: a viewing in the Trash."""
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    heat = journal.films.create("Heat", 1995, directors=["Michael Mann"])
    alien = journal.films.create("Alien", 1979)
    first = journal.viewings.log(her.id, "2014-01-24", medium="bluray")
    journal.reviews.create(her.id, "A lonely writer.", viewing_id=first.id)
    journal.viewings.log(her.id, "2020-05-01", medium="streaming")
    journal.viewings.log(heat.id, "2014-03-03", medium="cinema", venue="Rex")
    gone = journal.viewings.log(alien.id, "2014-06-06", medium="cinema")
    journal.viewings.delete(gone.id)
    return {"her": her.id, "heat": heat.id, "alien": alien.id}


def _found(journal, text):
    result = SearchEngine(journal).search(text, prefix_last=False)
    return [(h.kind, h.title, h.viewing_date) for h in result.hits]


def test_viewing_filters_find_films_logged_without_a_review(journal, diary):
    assert _found(journal, "viewed:2014") == [("review", "Her", "2014-01-24"),
                                             ("viewing", "Heat", "2014-03-03")]
    assert _found(journal, "rewatch:yes") == [("viewing", "Her", "2020-05-01")]
    assert _found(journal, "medium:cinema") == [("viewing", "Heat", "2014-03-03")]
    assert _found(journal, "medium:bluray") == [("review", "Her", "2014-01-24")]  # not twice
    assert _found(journal, "medium:cinema mann") == [("viewing", "Heat", "2014-03-03")]
    assert _found(journal, "viewed:2014 -heat") == [("review", "Her", "2014-01-24")]
    # Without a viewing filter, viewings are not hits of their own (the film is).
    assert [k for k, *_ in _found(journal, "year:1995")] == ["film"]
    assert SearchEngine(journal).count("viewed:2014") == 2
    hit = SearchEngine(journal).search("medium:cinema").hits[0]
    assert hit.film_id == diary["heat"] and hit.label == "Cinema"
    assert hit.snippet == "Cinema · Rex — no review of this viewing"


# ---------------------------------------------------------------------- command line
@pytest.fixture
def diary_path(journal, diary):
    path = str(journal.path)
    journal.close()
    return path


def test_cli_warns_of_the_unknown_filter_and_prints_the_rest(diary_path, capsys):
    assert main(["search", "--journal", diary_path, "rating:>8", "her"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ("eyelights: rating:>8 was left out: “rating:” is not a filter. "
                            "Did you mean score:>8?\n")
    assert "Her (2013)" in captured.out
    # Nothing else asked: nothing to search for, said once, exit 2.
    assert main(["search", "--journal", diary_path, "rating:>8"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "score:>8" in captured.err


def test_cli_lists_a_viewing_without_a_review_as_such(diary_path, capsys):
    assert main(["search", "--journal", diary_path, "rewatch:yes"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("viewing") and "no review of this viewing" in out
    assert "1 May 2020" in out and "Streaming" in out


# ---------------------------------------------------------------------- the window
@pytest.fixture
def page(env, diary, qtbot):
    from journal.ui.pages.search import SearchPage

    journal, signals, errors = env
    page = SearchPage(journal, signals, errors)
    qtbot.addWidget(page)
    qtbot.addWidget(page.saved_panel)
    page.resize(800, 600)
    page.show()
    qtbot.waitExposed(page)
    yield page
    qtbot.waitUntil(lambda: not page.busy, timeout=3000)


def _type(qtbot, widget, text):
    for ch in text:
        qtbot.keyClick(widget, ch)


def test_the_page_says_an_unknown_filter_is_not_one(page, qtbot):
    page.focus_field()
    _type(qtbot, page.field, "rating:>8 her")
    qtbot.waitUntil(lambda: not page.busy and page.result is not None and page.result.ranked,
                    timeout=5000)
    assert page.message.isVisible()
    assert page.message.text() == ("rating:>8 was left out: “rating:” is not a filter. "
                                   "Did you mean score:>8?")
    assert page.model.hit_count() >= 1  # the rest of the query ran


def test_typing_a_viewing_filter_lists_viewings_without_a_review_and_enter_opens_the_film(
        page, diary, qtbot):
    page.focus_field()
    _type(qtbot, page.field, "medium:cinema")
    qtbot.waitUntil(lambda: not page.busy and page.result is not None and page.result.ranked,
                    timeout=5000)
    model = page.model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Viewings without a review (1)"]
    text = model.index(0, 0, model.index(0, 0)).data()
    assert text == "Heat (1995) · seen 3 March 2014 — Cinema · Rex — no review of this viewing"
    with qtbot.waitSignal(page.open_film, timeout=3000) as opened:
        qtbot.keyClick(page.field, Qt.Key.Key_Return)
    assert opened.args == [diary["heat"]]
