"""WXR reader against the real WordPress exports and the official importer's fixtures."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.importers import wxr
from journal.core.importers.errors import ImportFormatError, WxrFormatError
from journal.core.importers.wxr import iter_wxr, read_wxr, read_wxr_summary

pytestmark = pytest.mark.shared

PHPUNIT = Path("wxr/wordpress-importer/phpunit-data")
REFUSED = {
    "malformed.xml": r"malformed\.xml, line 90: not well-formed XML \(mismatched tag",
    "malformed-simple.xml": r"malformed-simple\.xml, line 14: the file ends too early",
    "missing-version-tag.xml": r"does not appear to be a WordPress export: missing WXR version",
    "invalid-version-tag.xml": r"does not appear to be a WordPress export: invalid WXR version "
                               r"'abc'",
    "crazy-cdata.xml": r"crazy-cdata\.xml, line 18: not well-formed XML \(invalid token",
}


def _post(testdata: Path, name: str):
    (item,) = read_wxr(testdata / PHPUNIT / name).items
    return item


def _all_xml(testdata: Path) -> list[Path]:
    return sorted((testdata / "wxr").rglob("*.xml"))


def test_every_file_parses_or_is_refused_clearly(shared_testdata):
    files = _all_xml(shared_testdata)
    assert len(files) == 31
    for path in files:
        if path.name in REFUSED:
            with pytest.raises(WxrFormatError, match=REFUSED[path.name]):
                read_wxr(path)
        else:
            parsed = read_wxr(path)
            assert re.fullmatch(r"\d+\.\d+", parsed.channel.version), path.name


def test_theme_unit_test_counts(shared_testdata):
    summary = read_wxr_summary(shared_testdata / "wxr/themeunittestdata.wordpress.xml")
    assert summary.channel.version == "1.2"  # https namespace, matched on its path
    assert sum(summary.items_by_type.values()) == 186
    assert summary.items_by_type["post"] == 58
    assert summary.items_by_type["page"] == 21
    assert summary.items_by_type["attachment"] == 37
    assert summary.posts_by_status == {"publish": 56, "draft": 1, "future": 1}
    assert len(summary.channel.authors) == 2
    assert summary.comments + summary.dropped_comments == 33


def test_theme_unit_test_comments_match_an_independent_count(shared_testdata):
    path = shared_testdata / "wxr/themeunittestdata.wordpress.xml"
    wp = "{https://wordpress.org/export/1.2/}"
    expected = 0
    for comment in ET.parse(path).getroot().iter(f"{wp}comment"):
        approved = (comment.findtext(f"{wp}comment_approved") or "").strip()
        kind = (comment.findtext(f"{wp}comment_type") or "").strip()
        expected += approved in ("", "1") and kind not in ("pingback", "trackback")
    items = read_wxr(path).items
    kept = [c for item in items for c in item.comments]
    assert len(kept) == expected
    assert sum(1 for c in kept if c.parent_id) >= 1  # threaded replies keep their parent
    ids = {c.comment_id for c in kept}
    assert all(c.parent_id in ids or c.parent_id is None for c in kept if c.approved == "1")


def test_theme_unit_test_item_details(shared_testdata):
    posts = [i for i in iter_wxr(shared_testdata / "wxr/themeunittestdata.wordpress.xml")
             if i.post_type == "post"]
    assert sum(p.password_protected for p in posts) == 1
    assert sum(p.sticky for p in posts) == 1
    assert max(len(p.categories) for p in posts) == 63
    assert max(len(p.tags) for p in posts) == 45
    assert sum(p.title == "" for p in posts) == 1
    future = next(p for p in posts if p.status == "future")
    assert future.date is not None and future.date.year == 2030
    assert all(p.date is not None for p in posts if p.status == "publish")
    assert sum("<!--more-->" in p.content for p in posts) == 4


def test_block_export_keeps_entities_and_post_types(shared_testdata):
    items = read_wxr(shared_testdata / "wxr/64-block-test-data.xml").items
    assert sum(i.post_type == "post" for i in items) == 61
    assert any(i.post_type == "wp_navigation" for i in items)
    media = next(i for i in items if i.title == "Media &amp; Text")  # CDATA keeps the entity
    assert media.title_text == "Media & Text"


def test_item_counts_of_older_versions(shared_testdata):
    assert len(read_wxr(shared_testdata / PHPUNIT / "valid-wxr-1.0.xml").items) == 6
    v11 = read_wxr(shared_testdata / PHPUNIT / "valid-wxr-1.1.xml")
    assert (v11.channel.version, len(v11.items)) == ("1.1", 2)
    assert v11.channel.base_site_url == "http://localhost/"
    assert len(read_wxr(shared_testdata / PHPUNIT / "a11y-unit-test-data.xml").items) == 154


def test_utf8_challenges_preserved_exactly(shared_testdata):
    path = shared_testdata / PHPUNIT / "wxr-utf-8-challenges.xml"
    item = _post(shared_testdata, "wxr-utf-8-challenges.xml")
    raw = path.read_text(encoding="utf-8")
    content = re.search(r"<content:encoded><!\[CDATA\[(.*?)\]\]></content:encoded>", raw, re.S)
    assert content is not None and item.content == content.group(1)
    title = re.search(r"<title><!\[CDATA\[(.*?)\]\]></title>", raw)
    assert title is not None and item.title == title.group(1)
    assert "\u202e" in item.title and item.title.endswith("🌲\u202c")  # RTL overrides kept
    assert "السلام عليكم وﷲ" in item.content
    slug = re.search(r"<wp:post_name><!\[CDATA\[(.*?)\]\]></wp:post_name>", raw)
    assert slug is not None and item.slug == slug.group(1) and "💫" in item.slug
    assert item.categories[0].nicename == "uncat\u202eegorized\u202c"  # RTL override kept


def test_cdata_edge_cases(shared_testdata):
    assert _post(shared_testdata, "multiple-cdata.xml").content.strip() == (
        "line oneline twoline three")
    assert _post(shared_testdata, "cdata-edge.xml").content.endswith("]] >")
    escaped = _post(shared_testdata, "crazy-cdata-escaped.xml")
    assert escaped.content == "Content with nested <![CDATA[ tags ]]> :)"


def test_blank_lines_and_backslashes_preserved(shared_testdata):
    assert "\n\n" in _post(shared_testdata, "blank-lines.xml").content
    assert _post(shared_testdata, "post-content-blank-lines.xml").content.count("\n") == 3
    assert "C:\\xampp\\htdocs" in _post(shared_testdata, "backslashes.xml").content
    slashes = _post(shared_testdata, "slashes.xml")
    assert slashes.content == 'Slashes aren\\\'t \\"cool\\"'
    assert slashes.comments[0].content == "\\o/ ¯\\_(ツ)_/¯"


def test_authors_files(shared_testdata):
    multi = read_wxr(shared_testdata / PHPUNIT / "authors-multiline.xml").channel.authors
    assert sorted(a.login for a in multi) == ["alice", "bob", "carol"]
    assert len(read_wxr(shared_testdata / PHPUNIT / "large-authors.xml").channel.authors) == 300


def test_namespaces_are_matched_by_path(shared_testdata):
    parsed = read_wxr(shared_testdata / PHPUNIT / "namespace-edge-cases.xml")
    assert len(parsed.items) == 6
    assert len(parsed.channel.authors) == 2
    assert len(parsed.channel.terms) == 2
    assert parsed.items[0].post_id == "1"  # the first wp:post_id wins over a re-mapped one


# --- derived files written to tmp_path ------------------------------------------------------

MINIMAL = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Her 8.5</title><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[BODY]]></content:encoded></item>
</channel></rss>
"""


def test_control_character_is_refused_with_its_line(tmp_path):
    path = tmp_path / "themeexport.xml"
    path.write_text(MINIMAL.replace("<title>Her", "<title>\x0bHer"), encoding="utf-8")
    with pytest.raises(WxrFormatError, match=r"^themeexport\.xml, line 5: not well-formed XML"):
        read_wxr(path)


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"  \n ", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00junk", "it is not an XML file"),
    (b"<html><body>hello</body></html>", "root element is <html>, not <rss>"),
])
def test_not_wxr_inputs(tmp_path, data, message):
    path = tmp_path / "export.xml"
    path.write_bytes(data)
    with pytest.raises(ImportFormatError, match=re.escape(message)):
        read_wxr(path)


def test_entity_bomb_is_refused_before_parsing(tmp_path):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n' + MINIMAL.split("\n", 1)[1]
            .replace("BODY", "&b;"))
    path = tmp_path / "bomb.xml"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(WxrFormatError, match=r"bomb\.xml, line 2: .*document type declaration"):
        read_wxr(path)


def test_http_and_https_namespaces_read_alike(tmp_path):
    plain, secure = tmp_path / "a.xml", tmp_path / "b.xml"
    plain.write_text(MINIMAL, encoding="utf-8")
    secure.write_text(MINIMAL.replace("http://wordpress.org", "https://wordpress.org"), "utf-8")
    assert read_wxr(plain).items == read_wxr(secure).items
    assert read_wxr(plain).items[0].content == "BODY"


def test_stream_clears_items(tmp_path):
    item = MINIMAL.split("<item>")[1].split("</item>")[0]
    many = MINIMAL.replace(f"<item>{item}</item>", f"<item>{item}</item>" * 2000)
    path = tmp_path / "many.xml"
    path.write_text(many, encoding="utf-8")
    count = 0
    for parsed in iter_wxr(path):
        count += 1
        assert parsed.title == "Her 8.5"
    assert count == 2000


def _two_digits(top: int) -> st.SearchStrategy[str]:
    return st.integers(0, top).map(lambda n: f"{n:02d}")


def _as_strptime(value: str) -> datetime | None:
    if value.strip().startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _check_date(value: str) -> None:
    expected = _as_strptime(value)
    assert wxr._parse_date(value, gmt=False) == expected
    aware = wxr._parse_date(value, gmt=True)
    assert aware == (expected.replace(tzinfo=UTC) if expected else None)


@settings(max_examples=1500, deadline=None)
@given(st.tuples(st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"),
                           st.sampled_from(["2016", "2000", "1900", "0000", "0001"])),
                 _two_digits(13), _two_digits(32), _two_digits(25), _two_digits(61),
                 _two_digits(62), st.sampled_from(["", " ", "\n"])))
def test_dates_read_as_strptime_reads_them(parts):
    """The fast path for WordPress's own date form gives strptime's datetime (or None)."""
    year, month, day, hour, minute, second, around = parts
    _check_date(f"{around}{year}-{month}-{day} {hour}:{minute}:{second}{around}")


@pytest.mark.parametrize("value", [
    "2016-1-2 3:04:05", "2016-01-02T03:04:05", "2016-01-02  03:04:05", "2016-02-30 10:00:00",
    "2016-02-29 23:59:59", "2016-01-02 10:00:60", "0000-00-00 00:00:00", "", "  ",
    "2016-01-02 10:00", "16-01-02 10:00:00", "2016-01-02 10:00:00.5", "２０１６-01-02 10:00:00"])
def test_other_date_forms_read_as_strptime_reads_them(value):
    _check_date(value)
