"""Deterministic generated exports for benches and volume tests: a WordPress film blog (WXR)
and a Letterboxd diary. Written in a stream, so a 100 MB file costs no memory."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from journal.core.synthetic import review_body

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>A generated film blog</title>
<link>https://films.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://films.example.org</wp:base_site_url>
<wp:base_blog_url>https://films.example.org</wp:base_blog_url>
"""
_TAIL = "</channel>\n</rss>\n"


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _html(markdown_text: str) -> str:
    """A cheap Markdown-ish → classic-editor HTML: paragraphs separated by blank lines."""
    out = []
    for block in markdown_text.split("\n\n"):
        block = block.strip()
        if block.startswith("## "):
            out.append(f"<h2>{block[3:]}</h2>")
        elif block:
            out.append(block.replace("*", ""))
    return "\n\n".join(out)


def _post(rng: random.Random, i: int, body_bytes: int) -> str:
    year = rng.randint(1920, 2020)
    score = f"{rng.randint(10, 100) / 10:.1f}"
    title = f"Film number {i} ({year}) – {score}/10"
    body = (f"<p><strong>Eyelights:</strong> the {rng.choice(('light', 'score', 'cast'))}.</p>\n"
            f"<p><strong>Eyesores:</strong> the {rng.choice(('length', 'pacing'))}.</p>\n\n"
            + _html(review_body(i, body_bytes))
            + f"\n\n<p>Date of viewing: January {rng.randint(1, 28)}, {rng.randint(2000, 2020)}"
              "</p>")
    comments = "".join(
        f"<wp:comment><wp:comment_id>{i * 10 + c}</wp:comment_id>"
        f"<wp:comment_author>{_cdata('Reader ' + str(c))}</wp:comment_author>"
        f"<wp:comment_date_gmt>2015-01-0{c + 1} 10:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>{_cdata('Nice review — merci ✨')}</wp:comment_content>"
        f"<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_parent>{i * 10 if c else 0}</wp:comment_parent></wp:comment>"
        for c in range(rng.randint(0, 2)))
    return (f"<item><title>{_cdata(title)}</title>"
            f"<link>https://films.example.org/{i}</link>"
            f"<dc:creator>{_cdata('me')}</dc:creator>"
            f"<content:encoded>{_cdata(body)}</content:encoded>"
            f"<wp:post_id>{i}</wp:post_id><wp:post_date_gmt>2015-01-01 10:00:00"
            f"</wp:post_date_gmt><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            f'<category domain="category" nicename="reviews">{_cdata("Reviews")}</category>'
            f'<category domain="post_tag" nicename="t{i % 50}">{_cdata(f"tag {i % 50}")}'
            f"</category>{comments}</item>\n")


def generate_wxr(path: Path, posts: int | None = None, *, target_bytes: int | None = None,
                 body_bytes: int = 1_500, seed: int = 1) -> int:
    """Write a WXR file of ``posts`` posts (or until ``target_bytes``); return the post count."""
    rng = random.Random(seed)
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write(_HEAD)
        size = len(_HEAD)
        while (posts is not None and written < posts) or (
                posts is None and target_bytes is not None and size < target_bytes):
            written += 1
            chunk = _post(rng, written, body_bytes)
            fh.write(chunk)
            size += len(chunk.encode())
        fh.write(_TAIL)
    return written


def generate_letterboxd_diary(path: Path, rows: int, seed: int = 1) -> None:
    """A ``diary.csv`` in the 2022+ export format, with rewatches, tags and half stars."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags",
                         "Watched Date"])
        for i in range(rows):
            film = rng.randint(1, rows // 2 + 1)
            day = f"20{rng.randint(10, 23)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            writer.writerow([day, f"Film, “number” {film}", 1950 + film % 70,
                             f"https://boxd.it/g{i}", rng.choice(["", "3.5", "4", "4.5", "5"]),
                             rng.choice(["", "", "Yes"]), rng.choice(["", "cinema, friends"]),
                             day])
