"""WordPress imports written into real journals: every shared file, a film-blog post, re-import,
dry run, cancel and stale plans."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import import_apply_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal.core.importers.apply import apply
from journal.core.importers.errors import ImportFormatError
from journal.core.importers.plan import ImportCancelled, ImportOptions, StalePlan
from journal.core.importers.run import plan_import
from journal.core.journal import Journal
from journal.store.backup import list_backups

CancelAfter, counts, data_digest = helpers.CancelAfter, helpers.counts, helpers.data_digest
SHARED_WXR = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata" / "wxr"

REFUSED = {"malformed.xml", "malformed-simple.xml", "missing-version-tag.xml",
           "invalid-version-tag.xml", "crazy-cdata.xml"}


def _local(tag: str) -> tuple[str, str]:
    if not tag.startswith("{"):
        return "", tag
    uri, _, local = tag[1:].partition("}")
    return ("wp" if re.search(r"/export/\d+\.\d+/?$", uri) else "other"), local


def _expected(path: Path) -> tuple[int, int]:
    """Posts kept and their comments kept, counted independently with a full DOM parse."""
    root = ET.parse(path).getroot()
    reviews = comments = 0
    for item in root.iter("item"):
        first: dict[tuple[str, str], str] = {}
        for child in item:
            first.setdefault(_local(child.tag), "".join(child.itertext()).strip())
        title = html.unescape(re.sub(r"<[^>]*>", "", first.get(("", "title"), ""))).strip()
        if (first.get(("wp", "post_type")) or "post") != "post" or not title:
            continue
        if (first.get(("wp", "status")) or "publish") != "publish":
            continue
        reviews += 1
        for child in item:
            if _local(child.tag) != ("wp", "comment"):
                continue
            fields = {_local(c.tag)[1]: "".join(c.itertext()).strip() for c in child}
            comments += (fields.get("comment_approved", "") in ("", "1")
                         and fields.get("comment_type", "").lower() not in ("pingback",
                                                                             "trackback"))
    return reviews, comments


def _wxr_files() -> list[Path]:
    return sorted(SHARED_WXR.rglob("*.xml")) or [SHARED_WXR / "absent.xml"]


@pytest.mark.shared
@pytest.mark.parametrize("path", _wxr_files(), ids=lambda p: p.name)
def test_every_shared_wxr_imports_or_is_refused(shared_testdata, tmp_path, path):
    journal_file = tmp_path / "j.eyelights"
    with Journal.open(journal_file) as journal:
        journal.films.create("Already here", 2001)
    before, digest = counts(journal_file), data_digest(journal_file)
    with Journal.open(journal_file) as journal:
        if path.name in REFUSED:
            with pytest.raises(ImportFormatError, match=re.escape(path.name)):
                plan_import(journal, "wxr", [path])
        else:
            plan = plan_import(journal, "wxr", [path])
            apply(journal, plan)
            m = journal.models
            reviews, comments = _expected(path)
            assert m.Review.select().count() == reviews
            assert m.Comment.select().count() == comments
            again = plan_import(journal, "wxr", [path])
            assert not again.writes_anything and again.counts["already"] == reviews
            again.discard()
            ok, message = journal.check()
            assert ok, message
    if path.name in REFUSED:
        assert counts(journal_file) == before and data_digest(journal_file) == digest


FILM_BLOG = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://eyelights.example.org</wp:base_blog_url>
<item><title>Her (2013) – 8.5/10</title><wp:post_id>7</wp:post_id>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>
<wp:post_date_gmt>2014-02-01 10:00:00</wp:post_date_gmt>
<category domain="category" nicename="drama"><![CDATA[Drama]]></category>
<category domain="post_tag" nicename="ai"><![CDATA[Artificial intelligence]]></category>
<content:encoded><![CDATA[<p>“The past is just a story we tell ourselves.”</p>
<p><strong>Eyelights:</strong> Joaquin Phoenix’s tenderness. Scarlett’s voice.</p>
<p><strong>Eyesores:</strong> a touch too long.</p>
<h2>The story</h2>
<p>Theodore falls for an OS — and it works. See [[Lost in Translation (2003)]].</p>
<p><em>MAJOR spoiler alert</em></p>
<p>She leaves.</p>
<p><em>End of spoilers</em></p>
<p>Date of viewing: January 24, 2014</p>]]></content:encoded>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_date_gmt>2014-02-02 08:00:00</wp:comment_date_gmt>
<wp:comment_content>Lovely review!</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Me</wp:comment_author>
<wp:comment_content>Thanks, Ann.</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>1</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>3</wp:comment_id><wp:comment_content>Buy pills</wp:comment_content>
<wp:comment_approved>spam</wp:comment_approved></wp:comment>
EXTRA_COMMENT</item>
<item><title>About me</title><wp:post_id>8</wp:post_id><wp:post_type>page</wp:post_type>
<content:encoded><![CDATA[Hi]]></content:encoded></item>
<item><title>Amelie 9</title><wp:post_id>9</wp:post_id><wp:post_type>post</wp:post_type>
<wp:status>draft</wp:status><content:encoded><![CDATA[Score: 9.0/10]]></content:encoded></item>
</channel></rss>
"""


@pytest.fixture
def film_blog(tmp_path) -> Path:
    path = tmp_path / "blog.xml"
    path.write_text(FILM_BLOG.replace("EXTRA_COMMENT", ""), encoding="utf-8")
    return path


def test_film_blog_post_fills_the_structure(journal, film_blog):
    plan = plan_import(journal, "wxr", [film_blog])
    text = "\n".join(plan.summary_lines())
    assert "score 8.5 from “Her (2013) – 8.5/10”" in text
    assert "viewing date 2014-01-24 from “Date of viewing: January 24, 2014”" in text
    assert "1 × pages: not blog posts" in text and "drafts (include them" in text
    assert (plan.counts["reviews"], plan.counts["comments"], plan.counts["viewings"]) == (1, 2, 1)
    apply(journal, plan)
    (review,) = journal.reviews.live()
    assert (review.film.title, review.film.year, review.score) == ("Her", 2013, Decimal("8.5"))
    assert review.eyelights == "Joaquin Phoenix’s tenderness. Scarlett’s voice."
    assert review.eyesores == "a touch too long."
    assert review.viewing.watched_on == "2014-01-24" and review.has_spoilers
    assert "::: spoiler\n\nShe leaves.\n\n:::" in review.body
    assert "Eyelights" not in review.body and "Date of viewing" not in review.body
    assert review.status == "published" and review.source_key == "wxr:eyelights.example.org:7"
    assert journal.reviews.tags(review.id) == ["Artificial intelligence", "Drama"]
    by_author = {c.author: c for c in journal.reviews.comments(review.id)}
    first, reply = by_author["Ann"], by_author["Me"]
    assert (first.text, first.parent_id, reply.parent_id) == ("Lovely review!", None, first.id)
    assert [link.target_title for link in review.film_links] == ["Lost in Translation"]


def test_drafts_option_imports_drafts_as_drafts(journal, film_blog):
    m = journal.models
    plan = plan_import(journal, "wxr", [film_blog], ImportOptions(drafts=True))
    apply(journal, plan)
    draft = m.Review.get(m.Review.source_key == "wxr:eyelights.example.org:9")
    assert draft.status == "draft" and draft.score == Decimal("9.0")


def test_reimport_adds_only_new_comments(journal, film_blog):
    m = journal.models
    apply(journal, plan_import(journal, "wxr", [film_blog]))
    film_blog.write_text(FILM_BLOG.replace("EXTRA_COMMENT", (
        "<wp:comment><wp:comment_id>4</wp:comment_id><wp:comment_author>Bo</wp:comment_author>"
        "<wp:comment_content>Late to this — great.</wp:comment_content>"
        "<wp:comment_parent>2</wp:comment_parent></wp:comment>")), encoding="utf-8")
    plan = plan_import(journal, "wxr", [film_blog])
    assert (plan.counts["reviews"], plan.counts["comments"], plan.counts["already"]) == (0, 1, 1)
    result = apply(journal, plan)
    assert result.counts["comments"] == 1 and result.counts["reviews"] == 0
    late = m.Comment.get(m.Comment.author == "Bo")
    assert late.parent.author == "Me"
    assert m.Review.select().count() == 1 and m.Film.select().count() == 1


def test_existing_film_is_matched_folded(journal, film_blog):
    m = journal.models
    her = journal.films.create("HER", 2013)
    plan = plan_import(journal, "wxr", [film_blog])
    assert (plan.counts["films_new"], plan.counts["films_matched"]) == (0, 1)
    apply(journal, plan)
    assert m.Film.select().count() == 1 and m.Review.get().film_id == her.id


def test_existing_viewing_on_the_same_day_is_joined(journal, film_blog):
    m = journal.models
    her = journal.films.create("Her", 2013)
    mine = journal.viewings.log(her.id, "2014-01-24", medium="cinema")
    plan = plan_import(journal, "wxr", [film_blog])
    assert plan.counts["viewings"] == 0
    apply(journal, plan)
    assert m.Viewing.select().count() == 1 and m.Review.get().viewing_id == mine.id


def test_dry_run_writes_nothing(journal, journal_path, film_blog):
    before, digest = counts(journal_path), data_digest(journal_path)
    plan = plan_import(journal, "wxr", [film_blog])
    plan.discard()
    assert counts(journal_path) == before and data_digest(journal_path) == digest
    assert list_backups(journal.path) == []


def test_cancel_rolls_back_everything(journal, journal_path, tmp_path):
    from journal.core.importers.synthetic import generate_wxr

    path = tmp_path / "big.xml"
    generate_wxr(path, 120, body_bytes=300)
    journal.films.create("Kept", 1999)
    before, digest = counts(journal_path), data_digest(journal_path)
    plan = plan_import(journal, "wxr", [path])
    token = CancelAfter(3)
    with pytest.raises(ImportCancelled, match="nothing was changed"):
        apply(journal, plan, token)
    assert counts(journal_path) == before and data_digest(journal_path) == digest
    assert len(list_backups(journal.path)) == 1  # the verified backup came first
    ok, _ = journal.check()
    assert ok


def test_an_error_midway_rolls_back(journal, journal_path, film_blog, monkeypatch):
    from journal.core.importers import apply as apply_module

    before = counts(journal_path)
    plan = plan_import(journal, "wxr", [film_blog])

    def boom(self, review_id, comments):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(apply_module._Writer, "_comments", boom)
    with pytest.raises(RuntimeError):
        apply(journal, plan)
    assert counts(journal_path) == before


def test_plan_is_stale_when_the_file_changes(journal, film_blog):
    plan = plan_import(journal, "wxr", [film_blog])
    film_blog.write_text(FILM_BLOG.replace("EXTRA_COMMENT", "<!-- x -->"), encoding="utf-8")
    with pytest.raises(StalePlan, match="changed after the preview"):
        apply(journal, plan)
    plan = plan_import(journal, "wxr", [film_blog])
    apply(journal, plan)
    with pytest.raises(StalePlan, match="already done"):
        apply(journal, plan)


def test_control_character_file_is_refused_naming_the_line(journal, journal_path, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text(FILM_BLOG.replace("Lovely review!", "Lovely\x0b review!"), encoding="utf-8")
    before = counts(journal_path)
    with pytest.raises(ImportFormatError, match=r"^export\.xml, line 2\d: not well-formed XML"):
        plan_import(journal, "wxr", [path])
    assert counts(journal_path) == before
