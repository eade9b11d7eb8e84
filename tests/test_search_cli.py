"""``eyelights search``: text and JSON output, --limit, --rebuild, and exit 2 on a bad query."""

from __future__ import annotations

import json

import pytest

from journal.cli import main


@pytest.fixture
def sample_path(journal_path):
    from journal.core.journal import Journal
    from journal.core.sample import load_sample

    with Journal.open(journal_path) as j:
        load_sample(j)
    return str(journal_path)


def test_text_output_is_one_hit_a_line(sample_path, capsys):
    assert main(["search", "--journal", sample_path, "keaton", "score:>=9"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    kind, rest = lines[0].split(None, 1)
    assert kind == "review"
    assert "The General (1926)" in rest and "11 February 2024" in rest and "9.5" in rest
    assert "[Keaton]" in rest


def test_json_output_has_ids_and_fields(sample_path, capsys):
    assert main(["search", "--journal", sample_path, "--json", "melies"]) == 0
    hits = json.loads(capsys.readouterr().out)
    kinds = {h["kind"] for h in hits}
    assert {"review", "film", "person"} <= kinds
    review = next(h for h in hits if h["kind"] == "review")
    assert review["title"] == "A Trip to the Moon" and review["year"] == 1902
    assert isinstance(review["id"], int) and review["review_id"] == review["id"]
    assert "Méliès" in review["snippet"] and set(review) >= {
        "viewing_date", "score", "film_id", "snippet", "rank"}


def test_limit_applies_per_kind(sample_path, capsys):
    assert main(["search", "--journal", sample_path, "--json", "--limit", "1", "--", "-zzzz"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len([h for h in hits if h["kind"] == "review"]) == 1


@pytest.mark.parametrize("argv", [["viewed:2014-13"], ["score:abc"], []])
def test_a_query_error_is_one_line_on_stderr_and_exit_2(sample_path, capsys, argv):
    assert main(["search", "--journal", sample_path, *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("eyelights: ")


def test_an_ignored_filter_is_said_and_the_rest_of_the_query_still_answers(sample_path, capsys):
    """(issue 15, item 10: it used to exit 2 and print nothing)"""
    assert main(["search", "--journal", sample_path, "score:abc", "keaton"]) == 0
    captured = capsys.readouterr()
    assert "Sherlock Jr." in captured.out or "The General" in captured.out
    assert captured.err.startswith("eyelights: score:abc was ignored")


@pytest.mark.parametrize("limit", ["99999999999999999999", "9223372036854775808", "0", "-3",
                                   "1e3", "10001"])
def test_an_out_of_range_limit_is_one_line_and_exit_2(sample_path, capsys, limit):
    with pytest.raises(SystemExit) as info:
        main(["search", "--journal", sample_path, "keaton", "--limit", limit])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--limit" in err and "internal error" not in err


def test_an_id_beyond_sqlite_s_range_is_a_clear_error(sample_path, capsys, tmp_path):
    code = main(["export", "99999999999999999999", "-o", str(tmp_path / "x.html"),
                 "--journal", sample_path])
    err = capsys.readouterr().err
    assert code == 2 and "out of range" in err and "internal error" not in err


def test_rebuild_reports_and_searches(sample_path, capsys):
    assert main(["search", "--journal", sample_path, "--rebuild"]) == 0
    assert "5 reviews" in capsys.readouterr().out
    assert main(["search", "--journal", sample_path, "--rebuild", "nosferatu"]) == 0
    assert "Nosferatu" in capsys.readouterr().out
