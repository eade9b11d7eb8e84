"""The sample journal: a few public-domain silent films with short reviews written for Eyelights.

Offered by an empty journal so that a newcomer sees the app at work at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journal.core.journal import Journal

SAMPLE_SOURCE = "sample:"

FILMS: list[dict[str, Any]] = [
    {
        "key": "nosferatu", "title": "Nosferatu", "year": 1922, "runtime_minutes": 94,
        "original_title": "Nosferatu – Eine Symphonie des Grauens",
        "directors": ["F. W. Murnau"], "cast": [("Max Schreck", "Count Orlok"),
                                               ("Gustav von Wangenheim", "Hutter")],
        "viewing": ("2023-10-31", "cinema", "Cinémathèque, with a live organ"),
        "score": "9.0", "tags": ["horror", "silent", "expressionism"],
        "eyelights": "Schreck’s rat-like Orlok; daylight as a weapon; the shadow on the stairs.",
        "eyesores": "The Van Helsing detour drags — Venus flytraps, really?",
        "body": """> “Is this your wife? What a lovely throat.”

## A century of shadows

A hundred years on, *Nosferatu* still does the one thing most horror films forget: it lets the
**dark** do the work. Murnau shoots real streets, real ships and real mountains, and that makes
Orlok — a thing of angles and claws — look all the more wrong in them.

Seen on a big screen with a live organ, the film breathes. The ship sequence is pure dread: a
crew dying one by one, the hold full of earth and rats. Compare it with the talkie glamour of
[[Dracula (1931)]]: Lugosi seduces, Schreck *infests*.

## The famous shadow

The shadow climbing the stairs is the image everyone knows, and it still lands. 🦇

*MAJOR spoiler alert*

Ellen gives herself to the count so that he forgets the dawn; the first light of day turns him to
smoke. The victory is hers, and so is the sacrifice — a surprisingly modern ending.

*MAJOR spoiler alert*

> “And at that moment, as if by a miracle, the sick stopped dying…”
""",
        "comments": [("Léa", "That organ screening sounds wonderful. Did they improvise?",
                      [("Eyelights sample", "Entirely improvised — and better for it.")])],
    },
    {
        "key": "general", "title": "The General", "year": 1926, "runtime_minutes": 78,
        "directors": ["Buster Keaton", "Clyde Bruckman"],
        "cast": [("Buster Keaton", "Johnnie Gray"), ("Marion Mack", "Annabelle Lee")],
        "viewing": ("2024-02-11", "bluray", "Home"), "score": "9.5",
        "tags": ["comedy", "silent", "trains"],
        "eyelights": "Every stunt is real and every gag is engineered like a locomotive.",
        "eyesores": "Its sympathies lie with the wrong side of the war.",
        "body": """> “If you lose this war don’t blame me.”

## A comedy built like a machine

Keaton plays a train driver who loves two things, and the film is a chase in both directions
down one railway line. What astonishes is the *precision*: gags set up in the first half pay off,
mirrored, in the second.

Next to [[Sherlock Jr. (1924)]], it is less playful and more monumental — the bridge collapse
is one of the most expensive shots of the silent era, and it is earned.

::: spoiler The bridge
The real locomotive really falls through the real burning bridge into the river. No model, no
trick: one take.
:::

> “He didn’t like the idea of losing his engine.”
""",
        "comments": [],
    },
    {
        "key": "sherlock", "title": "Sherlock Jr.", "year": 1924, "runtime_minutes": 45,
        "directors": ["Buster Keaton"], "cast": [("Buster Keaton", "Projectionist")],
        "viewing": ("2019-06", "streaming", ""), "earlier": [("2008", "other", "Film class")],
        "score": "8.5",
        "tags": ["comedy", "silent", "cinema about cinema"],
        "eyelights": "The projectionist walking into the screen — cinema discovering itself.",
        "eyesores": "Forty-five minutes is not enough; I wanted an hour more.",
        "body": """> “Don’t try to do two things at once and expect to do justice to both.”

## Dreaming in cuts

A projectionist falls asleep and walks into the film he is showing, and the film keeps
*cutting* around him: a garden, a street, a cliff edge, a lion. It is the first great joke about
editing, and it is still funny.

I first saw it in a film-studies class and rewatched it at home; it plays even better the
second time, when you can watch Keaton’s feet instead of the gag.
""",
        "comments": [],
    },
    {
        "key": "caligari", "title": "The Cabinet of Dr. Caligari", "year": 1920,
        "original_title": "Das Cabinet des Dr. Caligari", "runtime_minutes": 76,
        "directors": ["Robert Wiene"], "cast": [("Werner Krauss", "Dr. Caligari"),
                                                ("Conrad Veidt", "Cesare")],
        "viewing": ("2021", None, ""), "score": "8.0", "tags": ["horror", "expressionism"],
        "eyelights": "Painted sets where every shadow is a knife.",
        "eyesores": "The intertitles are a slog; the frame story is over-explained.",
        "body": """> “You must become Caligari!”

## Painted madness

The sets are painted flats, crooked windows and streets that slope into nowhere. The effect is
of a world drawn by someone who is not well — which turns out to be the point. Conrad Veidt’s
sleepwalker is the ancestor of every pale, lanky monster since, Orlok in [[Nosferatu]] included.

*Spoiler alert*

The narrator is an inmate and Caligari his doctor — or is he? The final shot keeps both readings
open, and a century of twist endings start here.

*Spoiler alert*
""",
        "comments": [],
    },
    {
        "key": "moon", "title": "A Trip to the Moon", "year": 1902,
        "original_title": "Le Voyage dans la Lune", "kind": "short", "runtime_minutes": 13,
        "directors": ["Georges Méliès"], "cast": [("Georges Méliès", "Professor Barbenfouillis")],
        "viewing": (None, "other", "A museum installation"), "score": None,
        "tags": ["science fiction", "short", "féerie"],
        "eyelights": "The rocket in the Moon’s eye: the first image cinema gave the world to keep.",
        "eyesores": "",
        "body": """> “Méliès, magician!”

Not really a review — a note to come back to this one with a proper score. Seen as a loop in a
museum, hand-coloured, between a magic lantern and a zoetrope. Thirteen minutes of invention ✨
""",
        "comments": [],
    },
]

WATCHLIST: list[dict[str, Any]] = [
    {"title": "Metropolis", "year": 1927, "directors": ["Fritz Lang"], "priority": 2,
     "note": "The restored version, with the found Buenos Aires footage.",
     "recommended_by": "Léa"},
    {"title": "Battleship Potemkin", "year": 1925, "directors": ["Sergei Eisenstein"],
     "priority": 1, "note": "The Odessa steps, at last.", "recommended_by": ""},
]


def load_sample(journal: Journal) -> dict[str, int]:
    """Add the sample films, viewings, reviews and watchlist in one transaction."""
    counts = {"films": 0, "reviews": 0}
    with journal.events.batch(), journal.write():
        for spec in FILMS:
            key = SAMPLE_SOURCE + spec["key"]
            if journal.films.live().where(journal.films.live().model.source_key == key).exists():
                continue
            film = journal.films.create(
                spec["title"], spec["year"], directors=spec["directors"], source_key=key,
                original_title=spec.get("original_title"), kind=spec.get("kind", "feature"),
                runtime_minutes=spec.get("runtime_minutes"), allow_duplicate=True)
            for order, (name, character) in enumerate(spec["cast"]):
                journal.people.add_credit(film.id, name, "cast", character=character, order=order)
            for date, medium, venue in spec.get("earlier", []):
                journal.viewings.log(film.id, date, medium=medium, venue=venue)
            date, medium, venue = spec["viewing"]
            viewing = journal.viewings.log(film.id, date, medium=medium, venue=venue)
            review = journal.reviews.create(
                film.id, spec["body"], viewing_id=viewing.id, score=spec["score"],
                eyelights=spec["eyelights"], eyesores=spec["eyesores"], tags=spec["tags"],
                status="published" if spec["score"] else "draft",
                created_at=dt.datetime(2024, 1, 1, 12, 0) + dt.timedelta(days=counts["films"]))
            for author, text, replies in spec["comments"]:
                comment = journal.reviews.add_comment(review.id, text, author=author)
                for reply_author, reply in replies:
                    journal.reviews.add_comment(review.id, reply, author=reply_author,
                                                parent_id=comment.id)
            counts["films"] += 1
            counts["reviews"] += 1
        for spec in WATCHLIST:
            existing, _ = journal.films.find_match(spec["title"], spec["year"])
            film = existing or journal.films.create(spec["title"], spec["year"],
                                                    directors=spec["directors"])
            journal.watchlist.add(film.id, note=spec["note"], priority=spec["priority"],
                                  recommended_by=spec["recommended_by"])
    return counts
