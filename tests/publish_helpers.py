"""A review written the way the blog this app is for writes them, and a blog to publish it to."""

from __future__ import annotations

import struct
import zlib

from journal.core.publish import BlogService, BlogSettings

BODY = """\
> “The past is just a story we tell ourselves.”
> — Amy

Theodore writes other people’s letters — and falls for the voice in his computer. 🎬

## The craft

Jonze films Los Angeles as a warm, hazy future; compare [[Lost in Translation (2003)]].

::: spoiler
Samantha leaves, with all the others: “I’m yours and I’m not yours.”
:::

> “We’re only here briefly, and in this moment I want to allow myself joy.”
"""

EXPECTED_POST = """\
<p>{film} 8.5</p>
<p><strong>eyelights:</strong> Joaquin Phoenix. Scarlett Johansson’s voice.<br />
<strong>eyesores:</strong> its slightly long last act.</p>
<blockquote>
<p>“The past is just a story we tell ourselves.” — Amy</p>
</blockquote>
<p>Theodore writes other people’s letters — and falls for the voice in his computer. 🎬</p>
<h2 id="the-craft">The craft</h2>
<p>Jonze films Los Angeles as a warm, hazy future; compare Lost in Translation (2003).</p>
<p><em>MAJOR spoiler alert</em></p>
<p>Samantha leaves, with all the others: “I’m yours and I’m not yours.”</p>
<p><em>MAJOR spoiler alert</em></p>
<blockquote>
<p>“We’re only here briefly, and in this moment I want to allow myself joy.”</p>
</blockquote>
<p>Date of viewing: January 24, 2014</p>
"""


def png(width: int = 4, height: int = 6, rgb: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A small real PNG image."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def write_review(journal, film_title: str = "Her", *, tags=("Romance", "Science fiction"),
                 poster: bytes | None = None, body: str = BODY, score="8.5") -> int:
    film = journal.films.create(film_title, 2013, directors=["Spike Jonze"],
                                allow_duplicate=True)
    if poster is not None:
        journal.films.set_poster(film.id, poster, "image/png", 4, 6)
    viewing = journal.viewings.log(film.id, "2014-01-24")
    review = journal.reviews.create(
        film.id, body, tags=list(tags), viewing_id=viewing.id, score=score,
        eyelights="Joaquin Phoenix. Scarlett Johansson’s voice.",
        eyesores="its slightly long last act.")
    return int(review.id)


def add_blog(journal, site, name: str = "My film blog", **settings):
    values = {"categories": ["Film reviews"], **settings}
    return BlogService(journal).add(BlogSettings(name, site.url, site.user, **values),
                                    site.password)
