"""The importers sweep without mutmut, continued (docs/testing.md, "A sweep without mutmut"):
``wxr.py``'s post-size refusals and ``safe_input.py``'s archive totals, read against the tests;
the messages no test asserted whole, and the limits no test took to the edge, asserted here.
The WXR limit (``wxr.MAX_ITEM_MEMORY``, 64 MB) is lowered to 4 MB, measured from 64 KB, as in
``test_import_wxr_limits.py``, so that the files stay small."""

from __future__ import annotations

import re
import zipfile

import pytest

from journal.core.importers import safe_input, wxr
from journal.core.importers.errors import WxrFormatError
from journal.core.importers.safe_input import InputRefused, check_archive, open_zip
from journal.core.importers.synthetic import generate_wxr
from journal.core.importers.wxr import iter_wxr

LIMIT = 4_000_000
LINE = "<p>All work and no play makes Jack a dull boy — ✨ “quoted”.</p>\n"


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(wxr, "MAX_ITEM_MEMORY", LIMIT)
    monkeypatch.setattr(wxr, "MEASURE_FROM", 64_000)


def _blow_up(text: str, post: int, megabytes: int) -> str:
    """``text`` (a WXR file) with the content of its ``post``-th item ``megabytes`` long."""
    items = [m.start() for m in re.finditer("<item>", text)]
    start = text.index("<content:encoded>", items[post - 1]) + len("<content:encoded>")
    end = text.index("</content:encoded>", start)
    body = LINE * (megabytes * 1_000_000 // len(LINE.encode()) + 1)
    return text[:start] + f"<![CDATA[{body}]]>" + text[end:]


def test_a_utf16_export_with_a_post_too_large_is_refused_whole(tmp_path, small_limit):
    # a UTF-16 file cannot be resumed after the post (its bytes are not searched for </item>)
    path = tmp_path / "blog.xml"
    generate_wxr(path, 3)
    text = _blow_up(path.read_text(encoding="utf-8"), 2, 3)
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"', 1)
    path.write_bytes(text.encode("utf-16"))  # with its byte-order mark
    with pytest.raises(WxrFormatError) as refused:
        list(iter_wxr(path))
    assert str(refused.value) == ("blog.xml: a post would take over 4 MB of memory to read (a "
                                  "damaged or hostile file)")
    assert refused.value.line is None


def test_text_too_large_outside_any_post_and_a_cut_post_are_refused_whole(tmp_path,
                                                                          small_limit):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 3)
    data = path.read_text(encoding="utf-8")
    cut = data.index("<item>")
    path.write_text(data[:cut] + "x" * LIMIT + data[cut:], encoding="utf-8")
    with pytest.raises(WxrFormatError) as refused:
        list(iter_wxr(path))
    assert str(refused.value) == ("blog.xml: does not appear to be a WordPress export: text "
                                  "outside any post would take over 4 MB of memory to read (a "
                                  "damaged or hostile file)")
    cut_short = tmp_path / "cut.xml"
    blown = _blow_up(data, 2, 3).encode()
    cut_short.write_bytes(blown[:blown.index(b"]]></content:encoded>", 2_000_000)])
    with pytest.raises(WxrFormatError) as refused:
        list(iter_wxr(cut_short))
    assert str(refused.value) == ("cut.xml: the file ends inside a post too large to read (it "
                                  "was probably cut short)")


def _archive(path, *sizes: int) -> zipfile.ZipFile:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for number, size in enumerate(sizes):
            archive.writestr(f"part{number}.csv", b"x" * size)
    return zipfile.ZipFile(path)


def test_an_archive_whose_members_add_up_past_the_total_is_refused_whole(tmp_path):
    with _archive(tmp_path / "export.zip", 60_000, 40_000) as archive:
        check_archive(archive, "export.zip", max_member=60_000, max_total=100_000)  # at it
        with pytest.raises(InputRefused) as refused:
            check_archive(archive, "export.zip", max_member=60_000, max_total=99_999)
    # the sizes: 100,000 bytes and up in MB to a tenth, under it in KB
    assert str(refused.value) == ("export.zip would unpack to more than 100 KB; Eyelights "
                                  "refuses archives that large.")
    with _archive(tmp_path / "bigger.zip", 60_000, 41_000) as archive:
        with pytest.raises(InputRefused) as refused:
            check_archive(archive, "bigger.zip", max_member=60_000, max_total=100_000)
    assert str(refused.value) == ("bigger.zip would unpack to more than 0.1 MB; Eyelights "
                                  "refuses archives that large.")


def test_the_archive_total_is_never_under_the_member_limit(tmp_path, monkeypatch):
    # with no total given, the total is the larger of the two limits: one member at the member
    # limit is read even when the archive limit is set lower
    monkeypatch.setattr(safe_input, "MAX_ARCHIVE_BYTES", 1_000)
    with _archive(tmp_path / "export.zip", 5_000) as archive:
        check_archive(archive, "export.zip", max_member=5_000)
    with _archive(tmp_path / "two.zip", 5_000, 1) as archive:
        with pytest.raises(InputRefused) as refused:
            check_archive(archive, "two.zip", max_member=5_000)
    assert str(refused.value) == ("two.zip would unpack to more than 5 KB; Eyelights refuses "
                                  "archives that large.")


def test_a_member_past_the_member_limit_is_refused_whole_through_open_zip(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_input, "MAX_MEMBER_BYTES", 150_000)
    path = tmp_path / "letterboxd.zip"
    _archive(path, 150_000).close()
    open_zip(path, ValueError).close()  # at the limit: read
    _archive(path, 150_001).close()
    with pytest.raises(InputRefused) as refused:
        open_zip(path, ValueError)
    assert str(refused.value) == ("part0.csv in letterboxd.zip would unpack to 0.2 MB; Eyelights "
                                  "reads files of up to 0.1 MB from an archive.")


# --- safe_input: CSV lines and rows, front matter -----------------------------------------


def _csv(data: bytes, budget=None, name="diary.csv"):
    import io

    from journal.core.importers.safe_input import CsvRows

    def error(problem, line):
        return ValueError(f"{problem} (line {line})")

    return list(CsvRows(lambda: io.BytesIO(data), name, error, budget))


def test_a_csv_line_at_the_line_limit_is_read_and_one_character_more_is_refused(monkeypatch):
    monkeypatch.setattr(safe_input, "MAX_LINE_CHARS", 100)
    head = b"Name,Year\n"
    at_limit = b"H" * 94 + b",2013\n"  # 100 characters with its newline
    assert _csv(head + at_limit) == [(1, ["Name", "Year"]), (2, ["H" * 94, "2013"])]
    with pytest.raises(ValueError) as refused:
        _csv(head + b"H" + at_limit)
    assert str(refused.value) == ("has a line longer than 100 characters: it is not a "
                                  "Letterboxd export file (line 2)")


def test_the_row_budget_is_read_at_its_limit_and_refused_one_row_past(monkeypatch):
    from journal.core.importers.safe_input import CsvBudget

    rows = b"Name,Year\n" + b"Her,2013\n" * 3
    assert len(_csv(rows, CsvBudget(rows=3))) == 4  # the header is not counted
    with pytest.raises(ValueError) as refused:
        _csv(rows + b"Alien,1979\n", CsvBudget(rows=3))
    assert str(refused.value) == ("has more than 3 rows; Eyelights reads at most 3 rows from one "
                                  "export (a lifetime of films is about 20,000) (line 5)")
    monkeypatch.setattr(safe_input, "MAX_CSV_ROWS", 1_000)  # thousands are written with commas
    with pytest.raises(ValueError) as refused:
        _csv(b"Name,Year\n" + b"Her,2013\n" * 1_001)
    assert str(refused.value) == ("has more than 1,000 rows; Eyelights reads at most 1,000 rows "
                                  "from one export (a lifetime of films is about 20,000) "
                                  "(line 1002)")


def test_a_csv_the_csv_module_cannot_read_is_said_whole():
    # a field past the csv module's own limit (131,072 characters), on a line under Eyelights'
    with pytest.raises(ValueError) as refused:
        _csv(b"Name,Review\nHer," + b"x" * 140_000 + b"\n")
    assert str(refused.value) == ("is not a readable CSV file (field larger than field limit "
                                  "(131072)) (line 2)")


def _aliases(count: int) -> str:
    return "a: &a x\n" + "".join(f"k{n}: *a\n" for n in range(count))


def test_front_matter_with_the_most_aliases_is_read_and_one_more_is_refused_whole(journal,
                                                                                  tmp_path):
    from journal.core.importers.markdown_folder import MarkdownFormatError
    from journal.core.importers.run import plan_import
    from journal.core.importers.safe_input import FrontMatterRefused, load_yaml

    assert load_yaml(_aliases(20))["k19"] == "x"
    with pytest.raises(FrontMatterRefused):
        load_yaml(_aliases(21))
    path = tmp_path / "laughs.md"
    path.write_text("---\ntitle: Her\n" + _aliases(21) + "---\nBody\n", encoding="utf-8")
    with pytest.raises(MarkdownFormatError) as refused:
        plan_import(journal, "markdown", [path])
    assert str(refused.value) == ("laughs.md: front matter is not valid YAML (more than 20 "
                                  "aliases (*name))")


def test_front_matter_at_the_size_limit_is_read_and_one_character_more_is_refused(
        journal, tmp_path, monkeypatch):
    import tomllib

    from journal.core.importers.markdown_folder import MarkdownFormatError
    from journal.core.importers.run import plan_import
    from journal.core.importers.safe_input import FrontMatterRefused, load_toml, load_yaml

    size = 50 * 1024  # 51,200: 50 KB, not 51 (kibibytes)
    monkeypatch.setattr(safe_input, "MAX_FRONT_MATTER_CHARS", size)
    yaml_text = "title: Her\nnote: " + "x" * (size - 18) + "\n"
    toml_text = 'title = "Her"\nnote = "' + "x" * (size - 24) + '"\n'
    assert len(yaml_text) == len(toml_text) == size
    assert load_yaml(yaml_text)["title"] == load_toml(toml_text)["title"] == "Her"
    with pytest.raises(FrontMatterRefused):
        load_yaml(yaml_text + " ")
    with pytest.raises(tomllib.TOMLDecodeError):
        load_toml(toml_text + " ")
    for name, fence, text in (("long.md", "---", yaml_text), ("long-toml.md", "+++", toml_text)):
        (tmp_path / name).write_text(f"{fence}\n{text}x\n{fence}\nBody\n", encoding="utf-8")
    with pytest.raises(MarkdownFormatError) as refused:
        plan_import(journal, "markdown", [tmp_path / "long.md"])
    assert str(refused.value) == "long.md: front matter is not valid YAML (longer than 50 KB)"
    with pytest.raises(MarkdownFormatError) as refused:
        plan_import(journal, "markdown", [tmp_path / "long-toml.md"])
    assert str(refused.value) == ("long-toml.md: front matter is not valid TOML (longer than "
                                  "50 KB)")
