"""``eyelights blogs``, ``publish`` and ``comments`` against a real WordPress."""

from __future__ import annotations

import io
import json
import os
import stat
import sys
from pathlib import Path

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.cli import main
from journal.core.journal import Journal


def run(capsys, monkeypatch, *argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def add(capsys, monkeypatch, path, site, *extra, password=None):
    return run(capsys, monkeypatch, "blogs", "add", "Film blog", "--url", site.url, "--user",
               site.user, "--password-stdin", "--category", "Film reviews", *extra,
               "--journal", path, stdin=(password or site.password) + "\n")


@pytest.mark.wordpress
def test_the_password_goes_to_the_keyring_never_to_the_journal(
        capsys, monkeypatch, journal_path, wordpress_site, memory_keyring):
    code, out, err = add(capsys, monkeypatch, journal_path, wordpress_site)
    assert (code, err) == (0, "")
    assert "its password is in the system keyring" in out
    assert list(memory_keyring.secrets.values()) == [wordpress_site.password]
    code, out, _ = run(capsys, monkeypatch, "blogs", "list", "--json", "--journal", journal_path)
    (blog,) = json.loads(out)
    assert (blog["name"], blog["url"], blog["secret"], blog["categories"]) == (
        "Film blog", wordpress_site.url, "keyring", ["Film reviews"])
    stored = b"".join(p.read_bytes() for p in journal_path.parent.glob(journal_path.name + "*"))
    assert wordpress_site.password.encode() not in stored

    code, out, _ = run(capsys, monkeypatch, "blogs", "remove", "Film blog", "--journal",
                       journal_path)
    assert code == 0 and memory_keyring.secrets == {}


@pytest.mark.wordpress
def test_a_wrong_password_is_one_line_and_nothing_is_kept(
        capsys, monkeypatch, journal_path, wordpress_site, memory_keyring):
    code, out, err = add(capsys, monkeypatch, journal_path, wordpress_site,
                         password="xxxx xxxx xxxx xxxx")
    assert code == 1 and out == ""
    assert err.startswith("eyelights: Film blog refused the user name or application password")
    assert err.count("\n") == 1
    assert memory_keyring.secrets == {}
    code, out, _ = run(capsys, monkeypatch, "blogs", "list", "--journal", journal_path)
    assert out.startswith("No blog yet")


@pytest.fixture
def no_keyring():
    """No usable system keyring (a bare server session): keyring's own "fail" backend."""
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def test_without_a_keyring_nothing_is_stored_unless_the_user_agrees(
        capsys, monkeypatch, journal_path, no_keyring):
    argv = ("blogs", "add", "Blog", "--url", "https://blog.example.org", "--user", "me",
            "--password-stdin", "--no-check", "--journal", journal_path)
    code, out, err = run(capsys, monkeypatch, *argv, stdin="s3cret pass word\n")
    assert code == 1
    assert err.startswith("eyelights: The password was not stored: no system keyring is "
                          "available")
    assert "--plain-text-password" in err and "tick" not in err  # the CLI's words, not the window's
    code, out, _ = run(capsys, monkeypatch, "blogs", "list", "--journal", journal_path)
    assert "Blog" not in out
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "Eyelights"
    assert not (config / "blog-secrets.json").exists()

    code, out, err = run(capsys, monkeypatch, *argv, "--plain-text-password",
                         stdin="s3cret pass word\n")
    assert code == 0, err
    assert "a plain-text file readable only by you" in out
    secrets = config / "blog-secrets.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert "s3cret pass word" in secrets.read_text()
    stored = b"".join(p.read_bytes() for p in journal_path.parent.glob(journal_path.name + "*"))
    assert b"s3cret" not in stored
    code, out, _ = run(capsys, monkeypatch, "blogs", "remove", "Blog", "--journal", journal_path)
    assert code == 0 and "s3cret" not in secrets.read_text()


def test_bad_input_is_refused_with_exit_2(capsys, monkeypatch, journal_path, memory_keyring):
    code, _, err = run(capsys, monkeypatch, "blogs", "add", "X", "--url", "not a url", "--user",
                       "u", "--password-stdin", "--journal", journal_path, stdin="p\n")
    assert code == 2 and "is not a web address" in err
    code, _, err = run(capsys, monkeypatch, "blogs", "add", "X", "--url", "example.org",
                       "--user", "u", "--score-line", "{film} {rating}", "--password-stdin",
                       "--journal", journal_path, stdin="p\n")
    assert code == 2 and "may use {film}, {year} and {score}, not {rating}" in err
    with Journal.open(journal_path) as j:
        review_id = ph.write_review(j)
    code, _, err = run(capsys, monkeypatch, "publish", review_id, "--journal", journal_path)
    assert code == 2 and "No blog yet" in err
    code, _, err = run(capsys, monkeypatch, "publish", review_id, "--blog", "Nope", "--journal",
                       journal_path)
    assert code == 2 and "There is no blog called “Nope”" in err


@pytest.mark.wordpress
def test_publish_dry_run_then_publish_then_a_conflict_then_overwrite(
        capsys, monkeypatch, journal_path, wordpress_site, memory_keyring):
    site = wordpress_site
    add(capsys, monkeypatch, journal_path, site)
    with Journal.open(journal_path) as j:
        review_id = ph.write_review(j, "Her, from the command line", poster=ph.png(rgb=(5, 6, 7)))
    posts = len(site.rest("GET", "wp/v2/posts&status=any&per_page=100"))
    media = len(site.rest("GET", "wp/v2/media&per_page=100"))
    before = journal_path.read_bytes()

    code, out, err = run(capsys, monkeypatch, "publish", review_id, "--status", "publish",
                         "--dry-run", "--json", "--journal", journal_path)
    assert (code, err) == (0, "")
    plan = json.loads(out)
    assert plan["request"] == "POST wp/v2/posts"
    assert plan["body"]["content"] == ph.EXPECTED_POST.format(film="Her, from the command line")
    assert plan["body"]["status"] == "publish"
    assert plan["body"]["featured_media"] == "(upload) her-from-the-command-line-poster.png"
    assert plan["tags"] == ["Romance (new)", "Science fiction (new)"] or all(
        t in ("Romance", "Science fiction") for t in plan["tags"])
    assert len(site.rest("GET", "wp/v2/posts&status=any&per_page=100")) == posts
    assert len(site.rest("GET", "wp/v2/media&per_page=100")) == media
    assert journal_path.read_bytes() == before

    code, out, err = run(capsys, monkeypatch, "publish", "Her, from the command line",
                         "--status", "publish", "--json", "--journal", journal_path)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["published"] and result["created"] and result["status"] == "publish"
    post_id = result["post"]
    assert site.post(post_id)["content"]["raw"] == plan["body"]["content"]

    site.rest("POST", f"wp/v2/posts/{post_id}", {"title": "Her — retitled on the blog"})
    code, out, err = run(capsys, monkeypatch, "publish", review_id, "--journal", journal_path)
    assert code == 1
    assert err.startswith("eyelights: Not published: the post was changed on the blog since it "
                          "was last published")
    assert "+Title: Her — retitled on the blog" in out  # the difference is shown
    assert site.post(post_id)["title"]["raw"] == "Her — retitled on the blog"

    code, out, err = run(capsys, monkeypatch, "publish", review_id, "--overwrite",
                         "--journal", journal_path)
    assert code == 0 and out.startswith(f"Updated post #{post_id} on Film blog (publish)")
    assert site.post(post_id)["title"]["raw"] == "Her, from the command line"


@pytest.mark.wordpress
def test_comments_sync_from_the_command_line(capsys, monkeypatch, journal_path, wordpress_site,
                                             memory_keyring):
    site = wordpress_site
    add(capsys, monkeypatch, journal_path, site)
    with Journal.open(journal_path) as j:
        review_id = ph.write_review(j, "Her, commented on the command line")
    code, out, _ = run(capsys, monkeypatch, "publish", review_id, "--status", "publish",
                       "--json", "--journal", journal_path)
    post_id = json.loads(out)["post"]
    first = site.reader_comment(post_id, "Ana", "¡Qué película!")
    site.reader_comment(post_id, "Ben", "Indeed.", parent=first)

    code, out, err = run(capsys, monkeypatch, "comments", "sync", "--json", "--journal",
                         journal_path)
    assert (code, err) == (0, "")
    (result,) = json.loads(out)
    assert (result["new"], result["new_by_review"]) == (2, {str(review_id): 2})
    code, out, _ = run(capsys, monkeypatch, "comments", "sync", "--journal", journal_path)
    assert out == "Film blog: 0 new comments (1 post checked, 2 already here)\n"
    with Journal.open(journal_path) as j:
        ana = j.models.Comment.get(j.models.Comment.author == "Ana").id
    code, out, err = run(capsys, monkeypatch, "comments", "reply", ana, "Gracias, Ana.",
                         "--journal", journal_path)
    assert code == 0, err
    replies = [c for c in site.rest("GET", f"wp/v2/comments&post={post_id}")
               if c["parent"] == first and c["author_name"] == "editor"]
    assert len(replies) == 1


def test_the_journal_named_before_the_command_is_the_one_used(capsys, monkeypatch, tmp_path,
                                                               memory_keyring):
    """``eyelights --journal X blogs add …`` adds the blog to X — not, silently, to the default
    journal (argparse let the subcommand's own --journal default override it)."""
    mine, default = tmp_path / "mine.eyelights", tmp_path / "default.eyelights"
    monkeypatch.setenv("EYELIGHTS_JOURNAL", str(default))
    code, out, err = run(capsys, monkeypatch, "--journal", mine, "blogs", "add", "Blog",
                         "--url", "https://blog.example.org", "--user", "me",
                         "--password-stdin", "--no-check", stdin="p\n")
    assert code == 0, err
    code, out, _ = run(capsys, monkeypatch, "--journal", mine, "blogs", "list", "--json")
    assert [b["name"] for b in json.loads(out)] == ["Blog"]
    code, out, err = run(capsys, monkeypatch, "--journal", mine, "--read-only", "comments",
                         "sync", "--blog", "Nope")
    assert code == 2 and "--read-only: fetching comments" in err  # read, then refused
    assert not default.exists()
    with Journal.open(mine) as j:
        j.films.create("Only in mine", 2001)
    code, out, _ = run(capsys, monkeypatch, "--journal", mine, "list", "films")
    assert "Only in mine" in out
