"""Reliability (issue 15, items 5, 6, 7, 10): hostile input is refused or defused with a clear
message, in bounded memory, never RecursionError or "internal error".

Memory is measured in a child process (its peak resident size, VmHWM), never by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from journal.cli import main
from journal.core.export import BackupFormatError
from journal.core.importers.errors import LetterboxdFormatError, WxrFormatError
from journal.core.importers.run import plan_import
from journal.core.render import Renderer, RenderOptions

ROOT = Path(__file__).resolve().parent.parent
PEAK_LIMIT_MB = 200
FRAGMENT = RenderOptions(standalone=False)

PEAK = textwrap.dedent("""
    import sys
    from pathlib import Path
    from journal.core.journal import Journal
    from journal.errors import EyelightsError
    kind, journal_path, source = sys.argv[1:4]
    try:
        with Journal.open(journal_path) as journal:
            if kind == "backup":
                from journal.core.importers.restore import plan_restore
                print("OK", plan_restore(journal, source, "empty").summary.message())
            else:
                from journal.core.importers.run import plan_import
                plan = plan_import(journal, kind, [Path(source)])
                print("OK", sum(plan.counts.values()))
                plan.discard()
    except EyelightsError as exc:
        print("REFUSED", exc.message)
    status = open("/proc/self/status").read()
    print("PEAK", int(status.split("VmHWM:")[1].split()[0]) // 1024)
""")


def _peak(tmp_path: Path, kind: str, source: Path) -> tuple[str, int]:
    """(what the child said, its peak resident memory in MB)."""
    done = subprocess.run([sys.executable, "-c", PEAK, kind, str(tmp_path / "peak.eyelights"),
                           str(source)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    return lines[0], int(lines[-1].split()[1])


DIARY_HEAD = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"


def _diary_row(n: int, same: bool = False) -> str:
    n = 0 if same else n
    return (f"2014-01-{n % 28 + 1:02d},Film number {n},{1950 + n % 70},https://boxd.it/{n:x},"
            f"4.5,,\"tag a, tag b\",2014-01-{n % 28 + 1:02d}\n")


# ------------------------------------------------------------------ 6. bombs and huge files


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_letterboxd_zip_bomb_is_refused_with_flat_memory(tmp_path):
    bomb = tmp_path / "letterboxd.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("diary.csv", "w", force_zip64=True) as member:
            member.write(DIARY_HEAD.encode())
            chunk = (_diary_row(0, same=True) * 10_000).encode()
            for _ in range(100_000_000 // len(chunk)):  # 100 MB of diary in ~300 KB
                member.write(chunk)
    assert bomb.stat().st_size < 1_000_000
    said, peak = _peak(tmp_path, "letterboxd", bomb)
    assert said.startswith("REFUSED") and "zip bomb" in said and "diary.csv" in said
    assert peak <= PEAK_LIMIT_MB, f"{peak} MB"  # was 2.5 GB


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_54_mb_csv_is_read_as_a_stream_and_refused_past_the_row_limit(tmp_path):
    big = tmp_path / "diary.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(DIARY_HEAD)
        n = 0
        while fh.tell() < 54_000_000:
            fh.writelines(_diary_row(i) for i in range(n, n + 10_000))
            n += 10_000
    said, peak = _peak(tmp_path, "letterboxd", big)
    assert said.startswith("REFUSED") and "more than 100,000 rows" in said
    assert "line 100002" in said  # says where it stopped
    assert peak <= PEAK_LIMIT_MB, f"{peak} MB"  # was 1.3 GB


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_backup_zip_bomb_is_refused_with_flat_memory(tmp_path):
    bomb = tmp_path / "backup.zip"
    head = json.dumps({"format": "eyelights-backup", "format_version": 1,
                       "schema_version": 1, "posters": "none"})[:-1]
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("eyelights-backup.json", "w", force_zip64=True) as member:
            member.write((head + ',"tables":{"film":{"columns":["id","title"],"rows":['
                          '[0,"a"]').encode())
            chunk = ((',[1,"' + "x" * 200 + '"]') * 5000).encode()
            for _ in range(150_000_000 // len(chunk)):
                member.write(chunk)
            member.write(b"]}}}")
    said, peak = _peak(tmp_path, "backup", bomb)
    assert said.startswith("REFUSED") and "zip bomb" in said
    assert peak <= PEAK_LIMIT_MB, f"{peak} MB"  # a 1.5 GB one was MemoryError


def _backup_json(path: Path, films: int) -> Path:
    columns = ["id", "title", "title_folded", "year", "kind", "synopsis", "created_at",
               "updated_at"]
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"format": "eyelights-backup", "format_version": 1,
                             "schema_version": 5, "posters": "none"})[:-1])
        fh.write(',\n"tables":{\n"film":{"columns":' + json.dumps(columns) + ',"rows":[')
        for i in range(1, films + 1):
            row = [i, f"Film {i}", f"film {i}", 2000, "feature", "x" * 300,
                   "2026-01-01 00:00:00", "2026-01-01 00:00:00"]
            fh.write(("," if i > 1 else "") + "\n" + json.dumps(row))
        fh.write("]}}}\n")
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's")
def test_a_backup_is_read_with_bounded_memory(tmp_path):
    """A 48 MB backup of 120,000 films: json.load held the document and every row (~270 MB);
    streamed, the peak is the interpreter plus SQLite's page caches (32 MB for the journal,
    8 MB for the staging database), whatever the size of the backup."""
    backup = _backup_json(tmp_path / "large.json", 120_000)
    said, peak = _peak(tmp_path, "backup", backup)
    assert "120,000 films" in said, said
    assert peak <= 110, f"{peak} MB"


def test_the_row_budget_is_for_the_whole_export(journal, tmp_path, monkeypatch):
    from journal.core.importers import safe_input

    monkeypatch.setattr(safe_input, "MAX_CSV_ROWS", 100)
    export = tmp_path / "export.zip"
    with zipfile.ZipFile(export, "w") as archive:
        for name in ("diary.csv", "reviews.csv"):
            head = DIARY_HEAD if name == "diary.csv" else DIARY_HEAD.replace("\n", ",Review\n")
            rows = "".join(_diary_row(i).replace("\n", ",x\n" if name == "reviews.csv" else "\n")
                           for i in range(60))
            archive.writestr(name, head + rows)
    with pytest.raises(LetterboxdFormatError, match="more than 100 rows together with") as info:
        plan_import(journal, "letterboxd", [export])
    assert "diary.csv" in info.value.message


# ------------------------------------------------------------------ 5. DTDs in any encoding


WXR_WITH_ENTITY = """<?xml version="1.0" encoding="UTF-16"?>
<!DOCTYPE rss [<!ENTITY film "Her 8.5">]>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>&film;</title><wp:post_id>1</wp:post_id><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><content:encoded>Text.</content:encoded></item>
</channel></rss>
"""


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff")])
def test_a_utf16_wxr_with_a_dtd_is_refused(journal, tmp_path, encoding, bom):
    path = tmp_path / "export.xml"
    path.write_bytes(bom + WXR_WITH_ENTITY.encode(encoding))
    with pytest.raises(WxrFormatError, match="document type declaration") as info:
        plan_import(journal, "wxr", [path])
    assert info.value.line == 2


# ------------------------------------------------------------------ 7. pathological text


PATHOLOGICAL = {
    "40 KB of [[": "[[" * 20_000,
    "a list 300 deep": "".join("    " * i + "- item\n" for i in range(300)),
    "10,000 stars": "a" + "*" * 10_000 + "b",
    "emphasis 5,000 deep": "*" * 5_000 + "x" + "*" * 5_000,
    "10,000 open emphases": "*a " * 5_000 + "b*" * 5_000,
    "quotes deepening each line": "".join(">" * i + " x\n" for i in range(1_000)),
    "brackets 2,000 deep": "[a " * 2_000 + "b]" * 2_000,
    "20,000 image openers": "![" * 20_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_text_renders_with_a_notice(name, monkeypatch):
    import markdown.inlinepatterns as patterns

    scans = []  # python-markdown's quadratic bracket scan: counted, never timed
    original = patterns.LinkInlineProcessor.getText

    def counted(self, data, index):  # type: ignore[no-untyped-def]
        scans.append(len(data) - index)
        assert sum(scans) < 200_000, "quadratic bracket scanning"  # fails fast, never hangs
        return original(self, data, index)

    monkeypatch.setattr(patterns.LinkInlineProcessor, "getText", counted)
    result = Renderer().render_body(PATHOLOGICAL[name], FRAGMENT)
    assert result.notice and result.html
    assert sum(scans) < 200_000, f"{len(scans)} scans over {sum(scans):,} characters"


def test_the_pre_pass_leaves_real_reviews_untouched(shared_testdata):
    from journal.core.render import guard
    from journal.core.synthetic import review_body

    for seed in range(20):
        body = review_body(seed=seed, approx_bytes=40_000)
        assert guard.defuse(body) == (body, False)
    text = "Rating: **** and *** and a [[Her (2013)]] link, `[[code]]` [x](http://e.org)"
    assert guard.defuse(text) == (text, False)


def test_text_beyond_every_limit_is_plain_text_with_a_reason(monkeypatch):
    from journal.core.render import guard

    monkeypatch.setattr(guard, "MAX_CHARS", 1_000)
    result = Renderer().render_body("*Long* <b>text</b>\n\n" * 100, FRAGMENT)
    assert "too long to be formatted" in result.notice
    assert "&lt;b&gt;text&lt;/b&gt;" in result.html and "<em>Long" not in result.html


def test_recursion_left_after_the_pre_pass_falls_back_to_plain_text(monkeypatch):
    from journal.core.render import guard

    monkeypatch.setattr(guard, "defuse", lambda text: (text, False))  # the pre-pass missed it
    result = Renderer().render_body(PATHOLOGICAL["emphasis 5,000 deep"], FRAGMENT)
    assert result.notice == guard.TOO_DEEP and "x" in result.html
    again = Renderer().render_body("*fine*", FRAGMENT)  # the renderer is still usable
    assert again.html == "<p><em>fine</em></p>" or "<em>fine</em>" in again.html


def test_a_wxr_post_with_400_unclosed_tags_is_imported_as_plain_text(journal, tmp_path):
    post = ("<item><title>Her 8.5</title><wp:post_id>1</wp:post_id><wp:status>publish"
            "</wp:status><wp:post_type>post</wp:post_type><content:encoded><![CDATA["
            + "<div>" * 400 + "Deep text]]></content:encoded></item>")
    path = tmp_path / "export.xml"
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                    'xmlns:wp="http://wordpress.org/export/1.2/" '
                    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                    f"<title>t</title><wp:wxr_version>1.2</wp:wxr_version>{post}"
                    "</channel></rss>", encoding="utf-8")
    plan = plan_import(journal, "wxr", [path])
    try:
        lines = "\n".join(plan.summary_lines())
        assert "nested too deeply" in lines and "plain text" in lines
        bodies = [r.body for r in plan.records() if hasattr(r, "body")]
        assert bodies == ["Deep text"]
    finally:
        plan.discard()


@pytest.mark.parametrize("where", ["row", "head"])
def test_deeply_nested_json_in_a_backup_is_refused_plainly(journal, tmp_path, where):
    deep = "[" * 100_000 + "]" * 100_000
    text = ('{"format":"eyelights-backup","format_version":1,"schema_version":5,'
            f'"tables":{{"film":{{"columns":["id"],"rows":[{deep}]}}}}}}' if where == "row"
            else f'{{"format":{deep}}}')
    path = tmp_path / "deep.json"
    path.write_text(text, encoding="utf-8")
    from journal.core.export.fullbackup import restore

    with pytest.raises(BackupFormatError, match="nested too deeply"):
        restore(journal, path)


# ------------------------------------------------------------------ 10. a folder with nothing


def test_a_letterboxd_folder_with_no_recognised_file_is_an_error(journal, tmp_path, capsys):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "profile.csv").write_text("Date Joined,Username\n2020-01-01,me\n")
    (folder / "notes.txt").write_text("hello")
    with pytest.raises(LetterboxdFormatError, match="contains no Letterboxd export files"):
        plan_import(journal, "letterboxd", [folder])
    code = main(["import", "letterboxd", str(folder), "--journal", str(journal.path),
                 "--dry-run", "--read-only"])
    assert code == 1 and "no Letterboxd export files" in capsys.readouterr().err


# ------------------------------------------------------------------ front matter and big files


LAUGHS = ("---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9)
                    + "]\n" for i in range(8))
          + "title: *i\n---\nBody\n")


@pytest.mark.parametrize("name, text, problem", [
    ("deep-yaml", "---\ntitle: " + "[" * 3000 + "]" * 3000 + "\n---\nBody\n", "nested too deeply"),
    ("deep-toml", "+++\ntitle = " + "[" * 3000 + "]" * 3000 + "\n+++\nBody\n",
     "nested too deeply"),
    ("yaml-laughs", LAUGHS, "more than 20 aliases"),
])
def test_hostile_front_matter_is_refused_plainly(journal, tmp_path, name, text, problem):
    from journal.core.importers.markdown_folder import MarkdownFormatError

    path = tmp_path / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MarkdownFormatError, match=problem):
        plan_import(journal, "markdown", [path])


def test_a_markdown_file_too_big_for_a_review_is_refused(journal, tmp_path):
    from journal.core.importers.safe_input import InputRefused

    path = tmp_path / "huge.md"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("# Her (2013)\n\n")
        fh.truncate(17 * 1024 * 1024)
    with pytest.raises(InputRefused, match="too big for a Markdown review"):
        plan_import(journal, "markdown", [path])
