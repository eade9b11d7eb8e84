"""What real film blogs write, read by the recognisers: scores, titles, clean values, the
blog's own score line, synopsis, shortcodes and Letterboxd's broken review HTML."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import markdown
import pytest

from journal.core.importers.conventions import recognise
from journal.core.importers.scores import NotAScore, Score, Unreadable, read_score_line
from journal.core.importers.textclean import clean_value
from journal.core.importers.titles import film_from_post_title, looks_like_name
from journal.core.importers.wp_html import (
    close_repeated_openings,
    html_to_markdown,
    replace_shortcodes,
)

# --- scores ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "tenths"), [
    ("8.5/10", "8.5"), ("(5/10)", "5.0"), ("★★★½", "7.0"), ("Rating: ★★ (5/10)", "5.0"),
    ("Rating: 4/5", "8.0"), ("4.5 stars", "9.0"), ("Rating: 8.5 out of 10", "8.5"),
    ("8,5 / 10", "8.5"), ("Score: 8.5", "8.5"), ("★★★☆☆", "6.0"), ("⭐⭐⭐⭐", "8.0"),
    ("Rating: 3 out of 4 stars", "7.5"), ("My rating: ★★★★", "8.0"), ("Rating: 3½ stars", "7.0"),
    ("Rating: ★★★★½ (9/10)", "9.0"), ("Final score: 7", "7.0"), ("Verdict: 9/10", "9.0"),
    ("Rating - 8/10", "8.0"), ("Rating: 85%", "8.5"), ("Rating: 4 (8/10)", "8.0"),
])
def test_scores_in_the_wild(line, tenths):
    assert read_score_line(line) == Score(Decimal(tenths), read_score_line(line).how)


@pytest.mark.parametrize("line", ["Rating: R", "Rating: PG-13", "MPAA rating: NC-17",
                                  "Rated: R", "Rating: 15", "Rating: TV-MA"])
def test_age_ratings_are_not_scores(line):
    reading = read_score_line(line)
    assert isinstance(reading, NotAScore) and "age rating" in reading.reason


@pytest.mark.parametrize("line", ["imdb: 7.7/10", "IMDb rating: 7.7", "Rotten Tomatoes: 91%",
                                  "Metacritic: 70", "TMDb: 7.9", "Tomatometer: 85%"])
def test_third_party_scores_are_never_the_users(line):
    reading = read_score_line(line)
    assert isinstance(reading, NotAScore) and "not yours" in reading.reason


@pytest.mark.parametrize("line", ["Rating: two thumbs up", "Score: 8.75", "Rating: 11/10",
                                  "Rating: 4/5 (9/10)", "11/10", "Rating: ★★★★★★★"])
def test_rating_lines_that_cannot_be_read(line):
    assert isinstance(read_score_line(line), Unreadable)


@pytest.mark.parametrize("line", ["Verdict: a triumph", "Note: this was a rerelease", "85%",
                                  "Her 8.5", "It was 8/10 for me, maybe less", "score 7",
                                  "I paid 10/5 for parking"])
def test_prose_is_not_a_score_line(line):
    assert read_score_line(line) is None


# --- titles ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "film", "year", "score", "director"), [
    ("Movie Review: Her", "Her", None, None, None),
    ("Review: Her", "Her", None, None, None),
    ("Film review – Her (2013)", "Her", 2013, None, None),
    ("Her - Review", "Her", None, None, None),
    ("Her – A cinegoer’s review", "Her", None, None, None),
    ("Her (2013) review", "Her", 2013, None, None),
    ("Her Movie Review", "Her", None, None, None),
    ("Her by Spike Jonze", "Her", None, None, "Spike Jonze"),
    ("Her (2013) by Spike Jonze", "Her", 2013, None, "Spike Jonze"),
    ("Nosferatu by F. W. Murnau", "Nosferatu", None, None, "F. W. Murnau"),
    ("Her 8.5", "Her", None, Decimal("8.5"), None),
    ("Her (2013) – 8.5/10", "Her", 2013, Decimal("8.5"), None),
    ("Her ★★★★", "Her", None, Decimal("8.0"), None),
    ("Stand by Me", "Stand by Me", None, None, None),
    ("Murder by Death", "Murder by Death", None, None, None),
    ("Shot by Both Sides", "Shot by Both Sides", None, None, None),
    ("Drive by Night", "Drive by Night", None, None, None),
    ("The Review", "The Review", None, None, None),
    ("Blade Runner 2049", "Blade Runner 2049", None, None, None),
    ("Markup: Title With Special Characters", "Markup: Title With Special Characters", None,
     None, None),
])
def test_clean_film_titles(title, film, year, score, director):
    reading = film_from_post_title(title)
    assert (reading.film, reading.year, reading.score, reading.director) == (
        film, year, score, director)


def test_a_name_is_capitalised_words_none_common():
    assert looks_like_name("Agnès Varda") and looks_like_name("Jean-Pierre Jeunet")
    assert looks_like_name("Guillermo del Toro") and not looks_like_name("Me")
    assert not looks_like_name("the Bell") and not looks_like_name("Both Sides")


def test_the_post_title_stays_the_reviews_title_and_the_director_is_credited():
    r = recognise("Paterson by Jim Jarmusch", "A week of poems.", [])
    assert (r.film_title, r.directors) == ("Paterson", ["Jim Jarmusch"])
    assert [m.value for m in r.matches if m.field == "director"] == ["Jim Jarmusch"]


# --- clean values ---------------------------------------------------------------------------

_md = markdown.Markdown(extensions=["extra", "smarty"])


def _as_rendered(text: str) -> str:
    """What the body's renderer shows for the text: smarty typography, no markup."""
    _md.reset()
    out = re.sub(r"</?[a-z][^>]*>", "", _md.convert(text))
    return " ".join(html.unescape(out).split())


@pytest.mark.parametrize("value", [
    "Scarlett Johansson.", "its tender, *aching* performances.",
    "the \"quotes\" and 'single' ones", "rock 'n' roll in the '80s",
    "He said, \"it's over\"...", "**bold** and __strong__ -- dash --- em",
    "\"Quoted start\" then", "it's 'quoted.'", "(\"parens\")", "don't \\*escape\\*",
    "Phoenix's best—\"really\"", "a [link](https://example.org/x) here", "'Tis the season",
    "\"Hello,\" she said.", "Am&eacute;lie &amp; Nino",
])
def test_clean_values_read_like_the_rendered_body(value):
    assert clean_value(value) == _as_rendered(value)


def test_a_wordpress_line_break_leaves_no_backslash():
    body = ("**Eyelights:** Joaquin Phoenix. Scarlett Johansson.\\\n"
            "**Eyesores:** the *pastel* palette -- at times.\\\nMore text.")
    r = recognise("Her", body, [])
    assert r.eyelights == "Joaquin Phoenix. Scarlett Johansson."
    assert r.eyesores == "the pastel palette – at times."
    assert r.body == "More text."


# --- the blog's own lines -------------------------------------------------------------------

@pytest.mark.parametrize(("line", "year"), [("Her 8.5", None), ("**Her 8.5**", None),
                                            ("Her (2013) 8.5", 2013), ("HER – 8.5", None),
                                            ("Her 8,5/10", None), ("### Her ★★★★½", None)])
def test_the_blogs_score_line_sets_the_score_and_leaves_the_body(line, year):
    r = recognise("Her", f"Opening.\n\n{line}\n\nClosing.", [])
    assert r.score == (Decimal("9.0") if "★" in line else Decimal("8.5"))
    assert r.film_year == year and r.body == "Opening.\n\nClosing."


def test_the_score_line_needs_the_films_own_title():
    r = recognise("Her", "Opening.\n\nDrive 8.5\n\nHer 2 cents, if you like.", [])
    assert r.score is None and "Drive 8.5" in r.body and "Her 2 cents" in r.body


def test_the_score_line_of_an_accented_title():
    r = recognise("Amélie", "Text.\n\n**Amélie (2001) 9**\n", [])
    assert (r.score, r.film_year, r.body) == (Decimal("9.0"), 2001, "Text.")


def test_a_synopsis_fills_the_film_and_stays_in_the_review():
    body = "Synopsis: A *lonely* writer falls for his computer.\n\nMy words."
    r = recognise("Her", body, [])
    assert r.synopsis == "A lonely writer falls for his computer."
    assert r.body == body


def test_age_rating_third_party_and_unreadable_lines_stay_and_are_said():
    body = "Rating: R\n\nIMDb: 7.7/10\n\nRating: a solid maybe\n\nText."
    r = recognise("Her", body, [])
    assert r.score is None and r.body == body
    assert len(r.notes) == 3
    assert any("age rating" in n for n in r.notes) and any("not yours" in n for n in r.notes)
    assert any("a solid maybe" in n and "left in the text" in n for n in r.notes)


def test_escaped_spoiler_markers_of_a_classic_editor_post():
    body = "Before.\n\n\\*MAJOR spoiler alert\\*\n\nSecret.\n\n\\*MAJOR spoiler alert\\*\n\nAfter."
    r = recognise("Her", body, [])
    assert r.body == "Before.\n\n::: spoiler\n\nSecret.\n\n:::\n\nAfter."


# --- WordPress shortcodes -------------------------------------------------------------------

@pytest.mark.parametrize("aside", ["[Note this was early 20th century]",
                                   "[Box office was huge]", "[box office was huge]",
                                   "[gallery of horrors]", "[Quote from memory]",
                                   "[video games, mostly]", "[embed this in your mind]"])
def test_bracketed_asides_stay(aside):
    text = f"Before {aside} after."
    assert replace_shortcodes(text) == text
    assert aside.lstrip("[").rstrip("]") in html_to_markdown(f"<p>{text}</p>")


@pytest.mark.parametrize(("code", "expected"), [
    ('[caption id="a1" align="alignnone" width="300"]<img src="x.jpg" alt=""> Caption[/caption]',
     '<figure><img src="x.jpg" alt=""><figcaption>Caption</figcaption></figure>'),
    ('[gallery ids="1,2" columns="3"]', ""), ("[gallery]", ""),
    ("[gallery columns=2 ids=\"7,8\"]", ""),
    ("[embed]https://v.example/x[/embed]", '<p><a href="https://v.example/x">'
                                           "https://v.example/x</a></p>"),
    ('[audio mp3="https://a.example/a.mp3"][/audio]', '<p><a href="https://a.example/a.mp3">'
                                                     "https://a.example/a.mp3</a></p>"),
    ('[video src="https://v.example/x.mp4" /]', '<p><a href="https://v.example/x.mp4">'
                                                "https://v.example/x.mp4</a></p>"),
    ("[code]x = [1][/code]", "<pre><code>x = [1]</code></pre>"),
    ("[note]kept words[/note]", "kept words"),
])
def test_real_shortcodes_are_unwrapped_or_dropped(code, expected):
    assert replace_shortcodes(code) == expected


# --- Letterboxd review HTML -----------------------------------------------------------------

@pytest.mark.parametrize(("raw", "markdown_text"), [
    ("<blockquote>What a line.<blockquote>My own words.", "> What a line.\n\nMy own words."),
    ("<i>Nope<i> and more", "*Nope* and more"),
    ("<b>Essential.<b> And <i>shade</i>.", "**Essential.** And *shade*."),
    ("<blockquote>He said<blockquote>inner</blockquote></blockquote>", "> He said\n> > inner"),
    ("<3 u, Val.", "<3 u, Val."),
])
def test_a_repeated_opening_tag_closes_it(raw, markdown_text):
    assert html_to_markdown(close_repeated_openings(raw)) == markdown_text


def test_balanced_html_is_left_alone():
    text = "<i>a</i> <b>b <i>c</i></b> <blockquote>q</blockquote>"
    assert close_repeated_openings(text) is text
