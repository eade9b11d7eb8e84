"""Hostile input (issue 15): peak memory of the cases that used to exhaust it, and render times of
pathological Markdown, each against a floor measured in the same run.

Memory is the child process's peak resident size (VmHWM) while it plans the import or previews
the restore; the floor is the same child planning a one-line Letterboxd CSV. Render times are
medians against the render of a 12 KB review, each with the renderer's block cache emptied
first (a warm cache would time a copy of blocks rendered before)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from pathlib import Path

from common import ROOT, median_ms, row

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
                print("planned:", plan_restore(journal, source, "empty").summary.message())
            else:
                from journal.core.importers.run import plan_import
                plan = plan_import(journal, kind, [Path(source)])
                print("planned:", sum(plan.counts.values()), "records")
                plan.discard()
    except EyelightsError as exc:
        print("refused:", exc.message[:70])
    status = open("/proc/self/status").read()
    print(int(status.split("VmHWM:")[1].split()[0]) / 1024)
""")
HEAD = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"


def _peak(folder: Path, kind: str, source: Path) -> tuple[float, str]:
    journal = folder / "peak.eyelights"
    for side in ("", "-wal", "-shm"):
        Path(str(journal) + side).unlink(missing_ok=True)
    done = subprocess.run([sys.executable, "-c", PEAK, kind, str(journal), str(source)],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = done.stdout.splitlines()
    return float(lines[-1]), lines[0]


def _row(n: int) -> str:
    return (f"2014-01-{n % 28 + 1:02d},Film number {n},{1950 + n % 70},https://boxd.it/{n:x},"
            f"4.5,,\"tag a, tag b\",2014-01-{n % 28 + 1:02d}\n")


def _inputs(folder: Path) -> dict[str, tuple[str, Path]]:
    tiny = folder / "tiny.csv"
    tiny.write_text(HEAD + _row(1))
    bomb = folder / "letterboxd-bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("diary.csv", "w", force_zip64=True) as member:
            member.write(HEAD.encode())
            chunk = (_row(0) * 10_000).encode()
            for _ in range(100_000_000 // len(chunk)):
                member.write(chunk)
    big = folder / "diary-54mb.csv"
    with big.open("w") as fh:
        fh.write(HEAD)
        n = 0
        while fh.tell() < 54_000_000:
            fh.writelines(_row(i) for i in range(n, n + 10_000))
            n += 10_000
    largest = folder / "largest-accepted.csv"  # 100,000 rows and ~32 M characters
    with largest.open("w") as fh:
        fh.write("Title,Year,WatchedDate,Rating10,Review\n")
        words = "the film is a quiet study of loneliness and grace with light and colour".split()
        for n in range(100_000):
            review = " ".join(words[(n + i) % len(words)] for i in range(60))[:290]
            fh.write(f"Film number {n},{1950 + n % 70},2014-01-{n % 28 + 1:02d},8,\"{review}\"\n")
    backup_bomb = folder / "backup-bomb.zip"  # 1.5 GB of JSON
    head = json.dumps({"format": "eyelights-backup", "format_version": 1, "schema_version": 1,
                       "posters": "none"})[:-1]
    with zipfile.ZipFile(backup_bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("eyelights-backup.json", "w", force_zip64=True) as member:
            member.write((head + ',"tables":{"film":{"columns":["id","title"],"rows":[[0,"a"]')
                         .encode())
            chunk = ((',[1,"' + "x" * 200 + '"]') * 5000).encode()
            for _ in range(1_500_000_000 // len(chunk)):
                member.write(chunk)
            member.write(b"]}}}")
    backup = folder / "backup-200k-films.json"
    columns = ["id", "title", "title_folded", "year", "kind", "synopsis", "created_at",
               "updated_at"]
    with backup.open("w") as fh:
        fh.write(head.replace('"schema_version": 1', '"schema_version": 5'))
        fh.write(',"tables":{"film":{"columns":' + json.dumps(columns) + ',"rows":[')
        for i in range(1, 200_001):
            fh.write(("," if i > 1 else "") + "\n" + json.dumps(
                [i, f"Film {i}", f"film {i}", 2000, "feature", "x" * 300,
                 "2026-01-01 00:00:00", "2026-01-01 00:00:00"]))
        fh.write("]}}}\n")
    laughs = folder / "laughs-utf16.xml"
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    laughs.write_bytes(("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE rss [<!ENTITY "
                        f"e0 \"lol\">{entities}]>\n<rss><channel><title>&e9;</title></channel>"
                        "</rss>").encode("utf-16"))
    return {"floor": ("letterboxd", tiny),
            "Letterboxd zip: 100 MB diary in 340 KB": ("letterboxd", bomb),
            "plain 54 MB Letterboxd CSV": ("letterboxd", big),
            "largest accepted: 100k rows, 32 M chars": ("letterboxd", largest),
            "backup zip: 1.5 GB of JSON": ("backup", backup_bomb),
            "backup of 200k films (72 MB JSON)": ("backup", backup),
            "UTF-16 WXR, billion laughs": ("wxr", laughs)}


PATHOLOGICAL = {
    "40 KB of [[": "[[" * 20_000,
    "list 300 deep": "".join("    " * i + "- item\n" for i in range(300)),
    "10,000 *": "a" + "*" * 10_000 + "b",
    "5,000 nested emphases": "*" * 5_000 + "x" + "*" * 5_000,
    "10,000 open emphases": "*a " * 5_000 + "b*" * 5_000,
    "quotes deepening on 1,000 lines": "".join(">" * i + " x\n" for i in range(1_000)),
    "brackets 2,000 deep": "[a " * 2_000 + "b]" * 2_000,
}


def run() -> list[dict[str, object]]:
    from journal.core.render import Renderer, RenderOptions
    from journal.core.synthetic import review_body

    rows = []
    with tempfile.TemporaryDirectory(prefix="eyelights-limits-") as tmp:
        folder = Path(tmp)
        inputs = _inputs(folder)
        floor, _said = _peak(folder, *inputs.pop("floor"))
        for name, (kind, source) in inputs.items():
            peak, said = _peak(folder, kind, source)
            rows.append({**row(f"peak memory: {name}", floor, peak, "<= 200 MB", said),
                         "unit": "MB"})
    renderer = Renderer()  # with its block cache, as the preview's: emptied before each render
    options = RenderOptions(standalone=False)
    base = review_body(seed=1, approx_bytes=12_000)

    def cold(text: str) -> object:
        assert renderer.blocks is not None
        renderer.blocks.clear()
        return renderer.render_body(text, options)

    floor_ms = median_ms(lambda: cold(base))
    for name, text in PATHOLOGICAL.items():
        value = median_ms(lambda text=text: cold(text), repeat=3)
        rows.append(row(f"render: {name}", floor_ms, value, "bounded, with a notice",
                        "floor: a 12 KB review, cold cache"))
    return rows


if __name__ == "__main__":
    from common import print_table

    print_table(run())
