"""Merge a full backup into a journal that already holds records.

Records are matched to what the journal holds (films by IMDb/TMDb id, import key or folded title
and year; people by folded name; tags by name; posters by content; viewings, reviews and comments
by import key or by their own content and time) and only the new ones are added, with new ids;
references are mapped to the ids in this journal. Revisions and film links come with new reviews.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING, Any

from journal.core.export.fullbackup import RestoreSummary, insert_row, table_of, table_rows
from journal.store.models import (
    Blog,
    BlogMedia,
    Comment,
    Credit,
    Film,
    FilmLink,
    Person,
    Poster,
    PostLink,
    Review,
    ReviewTag,
    Revision,
    Tag,
    Viewing,
    WatchlistEntry,
)

if TYPE_CHECKING:
    from journal.core.journal import Journal
    from journal.store.models import BaseModel


class _Merger:
    def __init__(self, journal: Journal, document: dict[str, Any],
                 archive: zipfile.ZipFile | None, summary: RestoreSummary) -> None:
        self.j, self.doc, self.archive, self.summary = journal, document, archive, summary
        self.ids: dict[str, dict[int, int]] = {}
        self.new_reviews: set[int] = set()

    # -------------------------------------------------------------- helpers
    def rows(self, model: type[BaseModel]) -> list[dict[str, Any]]:
        return table_rows(self.doc, model, self.archive, self.summary.warnings)

    def find(self, sql: str, *params: Any) -> int | None:
        hit = self.j.store.db.execute_sql(sql, params).fetchone()
        return int(hit[0]) if hit else None

    def map(self, table: str, old: Any) -> int | None:
        return None if old is None else self.ids.get(table, {}).get(int(old))

    def keep(self, model: type[BaseModel], row: dict[str, Any], existing: int | None) -> int:
        """Record the id ``row`` maps to: the existing match, or a freshly inserted row."""
        table = table_of(model)
        count = self.summary.matched if existing is not None else self.summary.added
        count[table] = count.get(table, 0) + 1
        if existing is None:
            old = row.pop("id", None)
            existing = insert_row(self.j, model, row)
            if old is not None:
                row["id"] = old
        if "id" in row:
            self.ids.setdefault(table, {})[int(row["id"])] = existing
        return existing

    def by_key(self, table: str, row: dict[str, Any]) -> int | None:
        key = row.get("source_key")
        return self.find(f'SELECT id FROM "{table}" WHERE source_key = ?', key) if key else None

    # -------------------------------------------------------------- tables
    def posters(self) -> None:
        for row in self.rows(Poster):
            self.keep(Poster, row, self.find("SELECT id FROM poster WHERE sha256 = ?",
                                             row["sha256"]))

    def films(self) -> None:
        for row in self.rows(Film):
            hit = None
            for column in ("imdb_id", "tmdb_id", "source_key"):
                if hit is None and row.get(column):
                    hit = self.find(f"SELECT id FROM film WHERE {column} = ?", row[column])
            if hit is None:
                hit = self.find("SELECT id FROM film WHERE title_folded = ? AND year IS ? "
                                "AND deleted_at IS NULL ORDER BY id", row["title_folded"],
                                row.get("year"))
            row["poster_id"] = self.map("poster", row.get("poster_id"))
            self.keep(Film, row, hit)

    def people(self) -> None:
        for row in self.rows(Person):
            self.keep(Person, row, self.find("SELECT id FROM person WHERE name_folded = ? "
                                             "AND deleted_at IS NULL ORDER BY id",
                                             row["name_folded"]))

    def credits(self) -> None:
        for row in self.rows(Credit):
            row["film_id"] = self.map("film", row["film_id"])
            row["person_id"] = self.map("person", row["person_id"])
            hit = self.find("SELECT id FROM credit WHERE film_id = ? AND person_id = ? AND "
                            "role = ? AND character IS ?", row["film_id"], row["person_id"],
                            row["role"], row.get("character"))
            self.keep(Credit, row, hit)

    def viewings(self) -> None:
        for row in self.rows(Viewing):
            row["film_id"] = self.map("film", row["film_id"])
            hit = self.by_key("viewing", row) or self.find(
                "SELECT id FROM viewing WHERE film_id = ? AND watched_on IS ? AND created_at = ?",
                row["film_id"], row.get("watched_on"), row["created_at"])
            self.keep(Viewing, row, hit)

    def reviews(self) -> None:
        for row in self.rows(Review):
            row["film_id"] = self.map("film", row["film_id"])
            row["viewing_id"] = self.map("viewing", row.get("viewing_id"))
            hit = self.by_key("review", row) or self.find(
                "SELECT id FROM review WHERE film_id = ? AND created_at = ? AND body = ?",
                row["film_id"], row["created_at"], row["body"])
            new_id = self.keep(Review, row, hit)
            if hit is None:
                self.new_reviews.add(new_id)

    def tags(self) -> None:
        for row in self.rows(Tag):
            self.keep(Tag, row, self.find("SELECT id FROM tag WHERE name = ? COLLATE NOCASE",
                                          row["name"]))
        for row in self.rows(ReviewTag):
            review, tag = self.map("review", row["review_id"]), self.map("tag", row["tag_id"])
            hit = self.find("SELECT review_id FROM review_tag WHERE review_id = ? AND tag_id = ?",
                            review, tag)
            self.keep(ReviewTag, {"review_id": review, "tag_id": tag}, hit)

    def blogs(self) -> None:
        """Blogs by name; their posts' links come with new reviews, their media with them."""
        for row in self.rows(Blog):
            self.keep(Blog, row, self.find("SELECT id FROM blog WHERE name = ? COLLATE NOCASE",
                                           row["name"]))
        for row in self.rows(PostLink):
            row["review_id"] = self.map("review", row["review_id"])
            row["blog_id"] = self.map("blog", row["blog_id"])
            taken = self.find("SELECT id FROM post_link WHERE (review_id = ? AND blog_id = ?) "
                              "OR (blog_id = ? AND post_id = ?)", row["review_id"],
                              row["blog_id"], row["blog_id"], row["post_id"])
            if row["review_id"] in self.new_reviews and taken is None:
                self.keep(PostLink, row, None)
        for row in self.rows(BlogMedia):
            row["blog_id"] = self.map("blog", row["blog_id"])
            self.keep(BlogMedia, row, self.find(
                "SELECT id FROM blog_media WHERE blog_id = ? AND sha256 = ?", row["blog_id"],
                row["sha256"]))

    def comments(self) -> None:
        for row in self.rows(Comment):
            row["review_id"] = self.map("review", row["review_id"])
            if row.get("blog_id") is not None:
                row["blog_id"] = self.map("blog", row["blog_id"])
            row["parent_id"] = self.map("comment", row.get("parent_id"))
            hit = self.by_key("comment", row) or self.find(
                "SELECT id FROM comment WHERE review_id = ? AND posted_at IS ? AND author = ? "
                "AND text = ?", row["review_id"], row.get("posted_at"), row["author"],
                row["text"])
            self.keep(Comment, row, hit)

    def watchlist(self) -> None:
        for row in self.rows(WatchlistEntry):
            row["film_id"] = self.map("film", row["film_id"])
            hit = self.find("SELECT id FROM watchlist_entry WHERE film_id = ?", row["film_id"])
            if hit is None and row.get("source_key"):
                hit = self.by_key("watchlist_entry", row)
            self.keep(WatchlistEntry, row, hit)

    def review_children(self) -> None:
        """Revisions and film links belong to a review: they come only with new reviews."""
        for model in (Revision, FilmLink):
            for row in self.rows(model):
                row["review_id"] = self.map("review", row["review_id"])
                if row["review_id"] not in self.new_reviews:
                    continue
                if "film_id" in row:
                    row["film_id"] = self.map("film", row.get("film_id"))
                self.keep(model, row, None)

    def run(self) -> None:
        self.j.store.db.execute_sql("PRAGMA defer_foreign_keys = ON")
        self.posters()
        self.films()
        self.people()
        self.credits()
        self.viewings()
        self.reviews()
        self.tags()
        self.blogs()
        self.comments()
        self.watchlist()
        self.review_children()


def merge_into(journal: Journal, document: dict[str, Any], archive: zipfile.ZipFile | None,
               summary: RestoreSummary) -> None:
    """Inside the caller's write transaction: add what the backup holds and the journal lacks."""
    _Merger(journal, document, archive, summary).run()
