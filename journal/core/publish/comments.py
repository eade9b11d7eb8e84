"""Readers' comments: fetched from the blog for every review published there (or imported
from its export), threaded, idempotent by comment id; new ones are unread. Replies from the app
are posted as the user and join the thread at once.

A comment's ``source_key`` is the one the WordPress importer gives it
(``wxr:<site>:<post id>:c<comment id>``), so importing the blog's export after a sync (or the
other way round) never duplicates a comment.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.events import Changes
from journal.core.publish.blogs import BlogService, site_key
from journal.core.publish.errors import BlogAuthError, PostGone, PublishError
from journal.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from journal.core.journal import Journal
    from journal.core.publish.wordpress import WordPressClient
    from journal.store.models import Blog

Progress = Callable[[int, int, str], None]


@dataclass
class SyncResult:
    blog: str
    posts: int = 0
    new: int = 0
    known: int = 0
    by_review: dict[int, int] = field(default_factory=dict)  # review id → new comments
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"blog": self.blog, "posts": self.posts, "new": self.new, "known": self.known,
                "new_by_review": {str(k): v for k, v in self.by_review.items()},
                "problems": self.problems}


@dataclass
class CommentNode:
    """One comment as the window shows it (Qt-free)."""

    id: int
    author: str
    author_url: str | None
    posted_at: dt.datetime | None
    text: str
    unread: bool
    can_reply: bool  # it lives on a blog (a reply can be posted there)
    blog_id: int | None
    replies: list[CommentNode] = field(default_factory=list)


def comment_key(blog: Blog, post_id: int, comment_id: int) -> str:
    return f"wxr:{site_key(blog.site_url)}:{post_id}:c{comment_id}"


def published_posts(journal: Journal, blog: Blog) -> list[tuple[int, int]]:
    """(review id, post id) of every live review on ``blog``: published from here, or imported
    from the blog's export."""
    m = journal.models
    linked: Any = (m.PostLink.select(m.PostLink.review, m.PostLink.post_id)
                   .join(m.Review, on=(m.PostLink.review == m.Review.id))
                   .where(m.PostLink.blog == blog.id, m.Review.deleted_at.is_null()).tuples())
    pairs = {int(r): int(p) for r, p in linked}
    prefix = f"wxr:{site_key(blog.site_url)}:"
    for review in (m.Review.select(m.Review.id, m.Review.source_key)
                   .where(m.Review.source_key.startswith(prefix),
                          m.Review.deleted_at.is_null())):
        from journal.core.publish.compose import imported_post_id  # the renderer: lazily

        post = imported_post_id(journal, blog, review)
        if post is not None and review.id not in pairs and post not in pairs.values():
            pairs[int(review.id)] = post
    return sorted(pairs.items())


def _date(comment: dict[str, Any]) -> dt.datetime | None:
    for key, aware in (("date_gmt", True), ("date", False)):
        value = comment.get(key)
        if value:
            try:
                parsed = dt.datetime.fromisoformat(str(value))
            except ValueError:
                continue
            from journal.core.importers.context import local_naive

            return local_naive(parsed.replace(tzinfo=dt.UTC)) if aware else parsed
    return None


def _content(comment: dict[str, Any]) -> str:
    content = comment.get("content")
    raw = content.get("raw") if isinstance(content, dict) else None
    text = raw if raw is not None else (content.get("rendered", "") if isinstance(content, dict)
                                        else "")
    from journal.core.importers.wp_html import html_to_markdown  # only when comments come in

    return html_to_markdown(str(text))


def _fetch(client: WordPressClient, post_id: int) -> list[dict[str, Any]]:
    try:
        items = list(client.pages("wp/v2/comments", post=post_id, status="approve",
                                  context="edit", orderby="id", order="asc"))
    except BlogAuthError:  # a user who may not edit comments still reads them as anyone does
        items = list(client.pages("wp/v2/comments", post=post_id, orderby="id", order="asc"))
    return [c for c in items if c.get("type", "comment") in ("comment", "")
            and c.get("status", "approved") in ("approved", "approve")
            and isinstance(c.get("id"), int) and not isinstance(c.get("id"), bool)]


def _existing(client: WordPressClient, post_ids: list[int]) -> set[int]:
    """Which of these posts are still on the blog (WordPress answers an empty list, not an
    error, for the comments of a deleted post; a trashed post is gone for readers too)."""
    found: set[int] = set()
    for start in range(0, len(post_ids), 100):
        chunk = post_ids[start:start + 100]
        for post in client.pages("wp/v2/posts", include=",".join(map(str, chunk)),
                                 status="publish,future,draft,pending,private",
                                 context="edit", _fields="id"):
            if isinstance(post.get("id"), int):
                found.add(post["id"])
    return found


def sync(journal: Journal, blog: Blog, client: WordPressClient | None = None,
         progress: Progress | None = None) -> SyncResult:
    """Fetch the approved comments of every review on ``blog``; add the new ones (unread).
    Everything is fetched first, then written in one transaction."""
    client = client or BlogService(journal).client(blog)
    result = SyncResult(blog.name)
    posts = published_posts(journal, blog)
    fetched: list[tuple[int, int, list[dict[str, Any]]]] = []
    alive = _existing(client, [post for _review, post in posts])
    for n, (review_id, post_id) in enumerate(posts):
        if progress is not None:
            progress(n, len(posts), f"Comments of post #{post_id}…")
        try:
            if post_id not in alive:
                raise PostGone("")
            fetched.append((review_id, post_id, _fetch(client, post_id)))
        except PostGone:
            result.problems.append(f"post #{post_id} (review #{review_id}) is no longer on the "
                                   "blog")
    result.posts = len(fetched)
    m = journal.models
    with journal.write():
        for review_id, post_id, items in fetched:
            local: dict[int, int] = {}  # remote id → local id
            for c in items:
                remote_id = int(c["id"])
                key = comment_key(blog, post_id, remote_id)
                existing = m.Comment.get_or_none(
                    ((m.Comment.blog_id == blog.id) & (m.Comment.remote_id == remote_id))
                    | (m.Comment.source_key == key))
                if existing is not None:
                    local[remote_id] = int(existing.id)
                    if existing.remote_id is None:  # imported before: now it knows its blog
                        m.Comment.update(blog_id=blog.id, remote_id=remote_id).where(
                            m.Comment.id == existing.id).execute()
                    result.known += 1
                    continue
                parent = local.get(int(c.get("parent") or 0))
                new_id = m.Comment.insert(
                    review=review_id, parent=parent, author=str(c.get("author_name", "")),
                    author_url=str(c.get("author_url") or "") or None, posted_at=_date(c),
                    text=_content(c), source_key=key, blog_id=blog.id, remote_id=remote_id,
                    unread=True).execute()
                local[remote_id] = int(new_id)
                result.new += 1
                result.by_review[review_id] = result.by_review.get(review_id, 0) + 1
    if result.new:
        journal.events.emit(Changes.of(comments=True))  # the threads of result.by_review
    return result


def reply(journal: Journal, comment_id: int, text: str,
          client: WordPressClient | None = None) -> int:
    """Post ``text`` on the blog as the user, in reply to a comment; returns the new local
    comment's id (it joins the thread, read)."""
    m = journal.models
    text = text.strip()
    if not text:
        raise ValidationError("Write the reply first.", "text")
    parent = m.Comment.get_or_none((m.Comment.id == comment_id) & m.Comment.deleted_at.is_null())
    if parent is None:
        raise NotFound(f"There is no comment #{comment_id}.")
    if parent.blog_id is None or parent.remote_id is None:
        raise ValidationError("This comment is not on a blog: a reply can only be posted to a "
                              "comment fetched from one (sync the comments first).")
    blog = BlogService(journal).get(int(parent.blog_id))
    post_id = _post_of(journal, blog, parent.review_id)
    client = client or BlogService(journal).client(blog)
    content = "\n\n".join(html.escape(p.strip(), quote=False)
                          for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())
    made = client.post("wp/v2/comments", {"post": post_id, "parent": parent.remote_id,
                                          "content": content})
    if not isinstance(made, dict) or "id" not in made:
        raise PublishError(f"{blog.name} did not answer with the reply it saved.")
    remote_id = int(made["id"])
    with journal.write():
        new_id = m.Comment.insert(
            review=parent.review_id, parent=parent.id, author=str(made.get("author_name", "")),
            author_url=str(made.get("author_url") or "") or None,
            posted_at=_date(made) or dt.datetime.now(), text=text,
            source_key=comment_key(blog, post_id, remote_id), blog_id=blog.id,
            remote_id=remote_id, unread=False).execute()
        m.Comment.update(unread=False).where(m.Comment.id == parent.id).execute()
    journal.events.emit(Changes.of(comments=[int(new_id)]))
    return int(new_id)


def _post_of(journal: Journal, blog: Blog, review_id: int) -> int:
    for review, post in published_posts(journal, blog):
        if review == review_id:
            return post
    raise ValidationError(f"The review is not published on {blog.name}.")


def thread(journal: Journal, review_id: int) -> list[CommentNode]:
    """The review's live comments, threaded (a reply whose parent is gone is top-level),
    oldest first."""
    m = journal.models
    rows = list(m.Comment.select().where(m.Comment.review == review_id,
                                         m.Comment.deleted_at.is_null())
                .order_by(m.Comment.posted_at, m.Comment.id))
    nodes = {c.id: CommentNode(c.id, c.author or "Anonymous", c.author_url, c.posted_at, c.text,
                               bool(c.unread), c.remote_id is not None and c.blog_id is not None,
                               c.blog_id) for c in rows}
    top: list[CommentNode] = []
    for c in rows:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        (parent.replies if parent is not None else top).append(nodes[c.id])
    return top


def unread_count(journal: Journal, review_id: int | None = None) -> int:
    m = journal.models
    query = m.Comment.select().where(m.Comment.unread == True,  # noqa: E712 (peewee)
                                     m.Comment.deleted_at.is_null())
    if review_id is not None:
        query = query.where(m.Comment.review == review_id)
    return int(query.count())


def mark_read(journal: Journal, review_id: int, comment_ids: list[int] | None = None) -> int:
    """Mark a review's comments (or just ``comment_ids``) as read; returns how many changed."""
    m = journal.models
    query = m.Comment.update(unread=False).where(m.Comment.review == review_id,
                                                 m.Comment.unread == True)  # noqa: E712
    if comment_ids is not None:
        query = query.where(m.Comment.id.in_(comment_ids))
    with journal.write():
        changed = int(query.execute())
    if changed:
        journal.events.emit(Changes.of(comments=True))
    return changed
