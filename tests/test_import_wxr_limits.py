"""A hostile or damaged WordPress export: one post of hundreds of megabytes must not be read into
memory whole. Generated files (``importers.synthetic``) with one post blown up; the limit
(``wxr.MAX_ITEM_MEMORY``, 64 MB, estimated past ``wxr.MEASURE_FROM`` bytes of an item) is
lowered to 4 MB, measured from 64 KB, so that the files stay small."""

from __future__ import annotations

import io
import re
import tracemalloc

import pytest

from journal.core.importers import wxr
from journal.core.importers.apply import apply
from journal.core.importers.errors import WxrFormatError
from journal.core.importers.run import plan_import
from journal.core.importers.synthetic import generate_wxr
from journal.core.importers.wxr import WxrReader, iter_wxr

LIMIT = 4_000_000
MEASURE_FROM = 64_000
LINE = "<p>All work and no play makes Jack a dull boy — ✨ “quoted”.</p>\n"


@pytest.fixture(autouse=True)
def _small_limit(monkeypatch):
    monkeypatch.setattr(wxr, "MAX_ITEM_MEMORY", LIMIT)
    monkeypatch.setattr(wxr, "MEASURE_FROM", MEASURE_FROM)
    monkeypatch.setenv("EYELIGHTS_IMPORT_WORKERS", "0")  # converted here: memory traced here


def _blow_up(path, post: int, megabytes: int, *, cdata: bool = True, line: str = LINE) -> str:
    """Make the content of the ``post``-th item ``megabytes`` long, of ``line`` over and over;
    its title."""
    data = path.read_text(encoding="utf-8")
    items = [m.start() for m in re.finditer("<item>", data)]
    start = data.index("<content:encoded>", items[post - 1]) + len("<content:encoded>")
    end = data.index("</content:encoded>", start)
    title = re.search(r"<title><!\[CDATA\[(.*?)\]\]></title>", data[items[post - 1]:]).group(1)
    line = line if cdata else line.replace("<", "&lt;").replace(">", "&gt;")
    body = line * (megabytes * 1_000_000 // len(line.encode()) + 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(data[:start])
        fh.write(f"<![CDATA[{body}]]>" if cdata else body)
        fh.write(data[end:])
    return title


@pytest.mark.parametrize(("cdata", "line"), [(True, LINE), (False, LINE), (True, "ab\n")],
                         ids=["cdata", "escaped", "two-letter lines"])
def test_a_post_too_large_is_skipped_said_in_the_preview_and_never_held(
        tmp_path, journal, cdata, line):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 12)
    baseline = _plan_peak(journal, path)[1]  # the same posts but the second of normal size
    title = _blow_up(path, 2, 8, cdata=cdata, line=line)
    plan, peak = _plan_peak(journal, path)
    # what was held of the 8 MB post: at most the limit, and what the item's first bytes,
    # not measured, may take (~23 bytes a byte: two-letter lines held whole took ~185 MB)
    assert peak - baseline < LIMIT + 25 * MEASURE_FROM, (peak, baseline)
    assert plan.counts["reviews"] == 11
    preview = "\n".join(plan.summary_lines())
    assert (f"1 × posts too large to read (each would take over 4 MB of memory: a damaged or "
            f"hostile export; nothing of them is imported) (e.g. “{title}”)") in preview
    # the posts after it are read as ever (the file is read on after the skipped one)
    result = apply(journal, plan)
    assert result.counts["reviews"] == 11
    titles = {r.title for r in journal.models.Review.select()}
    assert title not in titles and len(titles) == 11
    items = list(iter_wxr(path))
    assert [i.too_large for i in items] == [False, True] + [False] * 10
    assert [len(i.comments) for i in items[2:]] == [
        len(i.comments) for i in _unchanged(tmp_path)[2:]]


def _plan_peak(journal, path):
    tracemalloc.start()
    try:
        plan = plan_import(journal, "wxr", [path])
        return plan, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _unchanged(tmp_path):
    again = tmp_path / "again.xml"
    generate_wxr(again, 12)
    return list(iter_wxr(again))


def test_text_too_large_outside_any_post_is_refused(tmp_path):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 3)
    data = path.read_text(encoding="utf-8")
    cut = data.index("<item>")
    path.write_text(data[:cut] + "x" * LIMIT + data[cut:], encoding="utf-8")
    with pytest.raises(WxrFormatError, match="text outside any post would take over 4 MB of "
                                             "memory to read"):
        list(iter_wxr(path))


def test_a_file_cut_inside_a_post_too_large_is_refused(tmp_path):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 3)
    _blow_up(path, 2, 3)
    data = path.read_bytes()
    path.write_bytes(data[:data.index(b"]]></content:encoded>", 2_000_000)])
    with pytest.raises(WxrFormatError, match="the file ends inside a post too large"):
        list(iter_wxr(path))


def test_the_end_of_a_skipped_post_is_found_across_two_reads(tmp_path):
    reader = WxrReader(tmp_path / "unused.xml")
    reader.bytes_read = 0
    assert reader._skip_item(io.BytesIO(b"em><item>next"), b"t</it") == b"<item>next"
    assert reader._skip_item(io.BytesIO(b""), b"</item") is None
