"""The query parser: what becomes words, phrases, exclusions, OR groups and filters; and no
input, however hostile, makes parsing or searching raise."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.search import FILTERS, HELP_MARKDOWN, SearchEngine, parse
from journal.core.search.query import Filter


def test_words_phrases_exclusions_and_or():
    q = parse('rain "slow corridors" -smoke noir OR neo-noir', prefix_last=False)
    assert q.full_expression() == ('("rain" AND "slow corridors" AND ("noir" OR "neo-noir")) '
                                   'NOT ("smoke")')
    assert q.terms() == ["rain", "slow corridors", "noir", "neo-noir"]


def test_the_last_word_becomes_a_prefix_unless_a_space_follows():
    assert parse("tarko").match_expression() == '"tarko"*'
    assert parse("tarko ").match_expression() == '"tarko"'
    assert parse("t").match_expression() == '"t"'  # one letter would match half the journal


def test_filters_parse_to_typed_values():
    q = parse('score:7..8.5 year:>=1990 director:"Spike Jonze" -tag:Noir viewed:2014-01 '
              "medium:Blu-ray status:draft spoilers:no rewatch:yes")
    assert q.messages == [] and q.groups == []
    assert q.filters == [
        Filter("score", ("between", Decimal("7.0"), Decimal("8.5"))),
        Filter("year", (">=", 1990)),
        Filter("director", ("spike jonze",)),
        Filter("tag", ("noir",), negated=True),
        Filter("viewed", ("2014-01", "2014-01~")),
        Filter("medium", ("bluray",)),
        Filter("status", ("draft",)),
        Filter("spoilers", (False,)),
        Filter("rewatch", (True,)),
    ]


def test_unknown_fields_and_stray_colons_are_words():
    q = parse("re:view 12:30 :", prefix_last=False)
    assert q.filters == [] and q.messages == []
    assert q.match_expression() == '"re:view" AND "12:30"'


@pytest.mark.parametrize("text", ['"unbalanced', 'NEAR(a b', "a AND OR NOT b", "*", "-", "OR",
                                  '""', "—", "🎬", "a*b*", "col: x", "{title}:x", "^x", "x + y"])
def test_operator_characters_never_reach_fts(text):
    expr = parse(text).full_expression()
    if expr is not None:
        stripped = expr.replace('" AND "', "").replace('" OR "', "").replace('" NOT "', "")
        assert " NEAR(" not in stripped


def test_help_and_docs_cover_every_filter():
    from pathlib import Path

    docs = (Path(__file__).resolve().parent.parent / "docs" / "search.md").read_text("utf-8")
    for name in FILTERS:
        assert f"{name}:" in HELP_MARKDOWN and f"{name}:" in docs


PIECES = list('abé -"*():^{}+.\\\'`,;NEAROTDscore:<>=0123') + [
    "OR", "NOT", "AND", "NEAR(", "score:", "viewed:", "tag:", "year:", 'director:"', "..",
    "\x00", "🎬", "Ω", "\u0301", "%", "_", "rewatch:", "medium:", "-tag:"]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=25).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=HOSTILE)
def test_parsing_hostile_input_never_raises(text):
    q = parse(text)
    q.full_expression()
    q.exclusion_expression()


@pytest.fixture(scope="module")
def sample_journal(tmp_path_factory):
    from journal.core.journal import Journal
    from journal.core.sample import load_sample

    j = Journal.open(tmp_path_factory.mktemp("hostile") / "j.eyelights")
    load_sample(j)
    yield j
    j.close()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=HOSTILE | st.text(max_size=30))
def test_searching_hostile_input_never_raises_nor_fails(sample_journal, text):
    engine = SearchEngine(sample_journal)
    result = engine.search(text)
    assert not [m for m in result.messages if m.startswith("Search failed")]
    engine.count(text)
