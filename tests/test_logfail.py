"""The log-fail fixture of tests/conftest.py (issue 16, after qutebrowser's logfail): a WARNING
logged or an error shown to the user fails the test that did not declare it, and a declared
one that never comes fails it too. Run on small test files in a pytester folder that uses the
project's own conftest."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

TESTS = '''
import logging

import pytest


def test_quiet():
    logging.getLogger("journal.x").info("only information")


def test_warns():
    logging.getLogger("journal.x").warning("the disk is nearly full")


def test_errs():
    try:
        1 / 0
    except ZeroDivisionError:
        logging.getLogger("journal.x").exception("a bug in a slot")


@pytest.mark.expect_log("nearly full")
def test_warns_as_declared():
    logging.getLogger("journal.x").warning("the disk is nearly full")


def test_declares_with_the_fixture(expect_log):
    expect_log("nearly full")
    logging.getLogger("journal.x").warning("the disk is nearly full")


@pytest.mark.expect_log("never said")
def test_declared_but_never_logged():
    pass


@pytest.mark.expect_log("nearly full")
def test_declared_one_and_another_came():
    logging.getLogger("journal.x").warning("the disk is nearly full")
    logging.getLogger("journal.y").warning("and something else")
'''


@pytest.fixture
def results(pytester):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_sample=TESTS)
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-rA")


def test_warnings_and_errors_fail_unless_declared(results):
    run = results
    run.assert_outcomes(passed=7, errors=4)  # the calls pass; the fixture fails in teardown
    errors = {line.split("::")[1].split(" ")[0] for line in run.outlines
              if line.startswith("ERROR ") and "::" in line}
    assert errors == {"test_warns", "test_errs", "test_declared_but_never_logged",
                      "test_declared_one_and_another_came"}
    text = run.stdout.str()
    assert "unexpected: WARNING journal.x: the disk is nearly full" in text
    assert ("unexpected: ERROR journal.x: a bug in a slot (ZeroDivisionError: division by zero)"
            in text)
    assert "expected but never logged: never said" in text
    assert "unexpected: WARNING journal.y: and something else" in text
