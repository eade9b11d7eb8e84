"""Deterministic synthetic journals for benches and volume tests.

``review_body(seed, approx_bytes)`` writes a review in the shape of the real ones (opening quote,
headings, paragraphs with curly quotes and accents, a spoiler section, film links, a closing
quote); ``populate(journal, ...)`` fills a journal with films, people, viewings and reviews.
The same seed always gives the same journal.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from journal.core.values import fold

WORDS = ("light shadow frame silence camera actor score scene dream city night river memory "
         "house train window mirror voice face rain road winter summer music heart fear love "
         "garden street letter ghost sea glass fire smoke film story time colour montage close-up "
         "rhythm décor mise-en-scène naïveté café dénouement").split()
ADJ = ("quiet bright strange tender brutal luminous patient restless fragile bold lonely warm "
       "cold fierce gentle haunting playful").split()
FIRST = ("Agnès Akira Béla Chantal Claire Federico Ingmar Jean Kar-Wai Krzysztof Lucrecia Maya "
         "Michael Satyajit Sofia Wong Yasujirō Zoé Jacques Andrei").split()
LAST = ("Varda Kurosawa Tarr Akerman Denis Fellini Bergman Renoir Wong Kieślowski Martel Deren "
        "Haneke Ray Coppola Demy Tarkovsky Ozu Dupont Müller").split()
EMOJI = ("🎬", "✨", "🍿", "💔", "🌧️")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), f"“{rng.choice(ADJ)} {rng.choice(WORDS)}”")
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), "—")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice((".", ".", ".", "!", "?", "…"))


def _paragraph(rng: random.Random, titles: list[str]) -> str:
    parts = [_sentence(rng) for _ in range(rng.randint(3, 7))]
    if titles and rng.random() < 0.25:
        parts.insert(rng.randrange(len(parts)), f"Think of [[{rng.choice(titles)}]].")
    if rng.random() < 0.15:
        parts.append(rng.choice(EMOJI))
    if rng.random() < 0.3:
        parts[0] = f"*{parts[0]}*"
    return " ".join(parts)


def review_body(seed: int, approx_bytes: int = 12_000, titles: list[str] | None = None) -> str:
    """A Markdown review body of about ``approx_bytes`` UTF-8 bytes."""
    rng = random.Random(seed)
    titles = titles or []
    out = [f"> “{_sentence(rng)}”", ""]
    spoiler_done = False
    section = 0
    while sum(len(p.encode()) + 1 for p in out) < approx_bytes:
        section += 1
        out += [f"## {rng.choice(ADJ).capitalize()} {rng.choice(WORDS)}", ""]
        for _ in range(rng.randint(2, 4)):
            out += [_paragraph(rng, titles), ""]
        if not spoiler_done and section >= 2:
            out += ["*MAJOR spoiler alert*", "", _paragraph(rng, titles), "",
                    "*MAJOR spoiler alert*", ""]
            spoiler_done = True
        if rng.random() < 0.3:
            out += [f"- {_sentence(rng)}" for _ in range(3)] + [""]
    out += [f"> “{_sentence(rng)}”", ""]
    return "\n".join(out)


def film_title(rng: random.Random, i: int) -> str:
    return f"The {rng.choice(ADJ).capitalize()} {rng.choice(WORDS).capitalize()} {i}"


def populate(journal: Any, *, films: int = 100, reviews: int = 100, viewings: int | None = None,
             people: int | None = None, body_bytes: int = 12_000, seed: int = 1,
             batch: int = 500) -> dict[str, int]:
    """Fill ``journal`` quickly (bulk inserts inside the journal's single writer)."""
    rng = random.Random(seed)
    viewings = reviews if viewings is None else viewings
    people = people if people is not None else max(1, films // 2)
    start = dt.datetime(2010, 1, 1)
    m = journal.models
    with journal.write():
        person_rows: list[dict[str, Any]] = [{"name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
                        "name_folded": "", "created_at": start} for i in range(people)]
        for row in person_rows:
            row["name_folded"] = fold(str(row["name"]))
        _insert(m.Person, person_rows, batch)
        film_rows: list[dict[str, Any]] = []
        for i in range(films):
            title = film_title(rng, i)
            film_rows.append({"title": title, "title_folded": fold(title),
                              "year": rng.randint(1920, 2024), "kind": "feature",
                              "runtime_minutes": rng.randint(70, 200), "synopsis": _sentence(rng),
                              "created_at": start, "updated_at": start})
        _insert(m.Film, film_rows, batch)
        first_person = m.Person.select().order_by(m.Person.id).first().id
        first_film = m.Film.select().order_by(m.Film.id).first().id
        _insert(m.Credit, [{"film": first_film + i, "person": first_person + rng.randrange(people),
                          "role": "director", "order": 0} for i in range(films)], batch)
        viewing_rows = []
        for i in range(viewings):
            day = start + dt.timedelta(days=rng.randrange(5000))
            viewing_rows.append({"film": first_film + (i % films), "watched_on": day.date().isoformat(),
                                 "medium": rng.choice(("cinema", "bluray", "streaming", "dvd")),
                                 "venue": "", "companions": "", "note": "",
                                 "rewatch_flag": False, "created_at": day})
        _insert(m.Viewing, viewing_rows, batch)
        first_viewing = m.Viewing.select().order_by(m.Viewing.id).first()
        titles = [str(r["title"]) for r in film_rows[:200]]
        review_rows = []
        for i in range(reviews):
            stamp = start + dt.timedelta(hours=i)
            review_rows.append({
                "film": first_film + (i % films),
                "viewing": (first_viewing.id + i) if first_viewing and i < viewings else None,
                "title": "", "body": review_body(seed * 1_000_003 + i, body_bytes, titles),
                "score": rng.randint(20, 100) / 10, "eyelights": _sentence(rng),
                "eyesores": _sentence(rng), "status": rng.choice(("draft", "published")),
                "has_spoilers": True, "created_at": stamp, "updated_at": stamp})
            if len(review_rows) >= batch:
                _insert(m.Review, review_rows, batch)
                review_rows = []
        _insert(m.Review, review_rows, batch)
    journal.events.emit("journal")
    return {"films": films, "reviews": reviews, "viewings": viewings, "people": people}


def _insert(model: Any, rows: list[dict[str, Any]], batch: int) -> None:
    for i in range(0, len(rows), batch):
        model.insert_many(rows[i:i + batch]).execute()
