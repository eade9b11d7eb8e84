"""Builders shared by the export tests (loaded by path: test modules are not a package)."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from typing import Any

BODY = """> “The first fiction is the office of the film.”

## First impressions

Officially the finest afternoon — a café, naïveté, 🎬 and [[Her (2013)]].

## The story

Sherlock-like logic; see [the notes](https://example.com/notes) for the final cut.

::: spoiler The ending
The butler flies to Zanzibar in the last reel.
:::

## Verdict

Would watch again.
"""


def tiny_png(width: int = 4, height: int = 6) -> bytes:
    """A valid RGB PNG without any imaging library."""
    raw = b"".join(b"\x00" + b"\xc0\x30\x30" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def rich_journal(journal: Any) -> dict[str, int]:
    """A film with a poster, director, viewing, a review with spoilers, tags and comments."""
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"], imdb_id="tt1798709")
    film = journal.films.create("Amélie", 2001, directors=["Jean-Pierre Jeunet"],
                                tmdb_id="194")
    journal.films.set_poster(film.id, tiny_png(), "image/png", 4, 6)
    first = journal.viewings.log(film.id, "2013-05-01", medium="dvd")
    viewing = journal.viewings.log(film.id, "2014-01-24", medium="cinema", venue="Le Champo")
    review = journal.reviews.create(
        film.id, BODY, viewing_id=viewing.id, score="8.5", title="A fabulous destiny",
        eyelights="Audrey Tautou’s finesse", eyesores="the saturated filters",
        tags=["romance", "paris"], status="published",
        published_url="https://blog.example/amelie")
    comment = journal.reviews.add_comment(review.id, "Lovely — merci!", author="Zoé",
                                          posted_at=dt.datetime(2014, 2, 1, 9, 30))
    journal.reviews.add_comment(review.id, "Thanks!", author="Me", parent_id=comment.id,
                                posted_at=dt.datetime(2014, 2, 2, 10, 0))
    plain = journal.reviews.create(her.id, "Short and sweet.", score="7")
    journal.watchlist.add(her.id, note="again")
    return {"film": film.id, "review": review.id, "viewing": viewing.id, "first": first.id,
            "plain": plain.id, "her": her.id}


def journal_with_bad_rows(path: Any) -> Any:
    """A rich journal at ``path`` holding two values stored before restores were checked: a
    viewing dated ``not-a-date`` and a review scored ``abc`` (issue 15, item 9)."""
    import sqlite3

    from journal.core.journal import Journal

    with Journal.open(path) as journal:
        rich_journal(journal)
    con = sqlite3.connect(path)
    con.execute("PRAGMA ignore_check_constraints = ON")  # as a restore before checks could
    con.execute("UPDATE viewing SET watched_on = 'not-a-date' WHERE id = "
                "(SELECT max(id) FROM viewing)")
    con.execute("UPDATE review SET score_tenths = 'abc' WHERE id = (SELECT min(id) FROM review)")
    con.commit()
    con.close()
    return path
