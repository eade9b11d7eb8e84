"""Publish a review to a blog: plan (read-only questions to the blog), then publish.

Never overwrite silently: an update first fetches the post; if it changed on the blog since the
last publish from here (or was never published from here: a post that came in with a WordPress
export), the plan holds the difference and publishing refuses unless told to overwrite.
A failure half-way undoes what was done on the blog (new terms, an uploaded poster, a new post;
an updated post gets its previous text back) and leaves the journal unchanged; the journal is
written only once the blog has the post, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.events import Changes
from journal.core.publish.blogs import BlogService
from journal.core.publish.compose import PostDraft
from journal.core.publish.errors import (
    AS_NEW,
    OVERWRITE,
    PostGone,
    PublishCancelled,
    PublishConflict,
    PublishError,
)
from journal.errors import EyelightsError

if TYPE_CHECKING:
    from typing import Protocol

    from journal.core.journal import Journal
    from journal.core.publish.wordpress import WordPressClient
    from journal.store.models import Blog


def item_id(answer: Any, message: str) -> int:
    """``wordpress.item_id`` (the HTTP stack loads with the first publishing, not before)."""
    from journal.core.publish.wordpress import item_id as found

    return found(answer, message)


log = logging.getLogger(__name__)

if TYPE_CHECKING:
    class Token(Protocol):
        """What a publish is given to be stopped and to say how far it is
        (``ui.bridge.CancelToken`` fits)."""

        @property
        def cancelled(self) -> bool: ...

        def progress(self, done: int, total: int, message: str) -> None: ...


@dataclass
class Term:
    name: str
    taxonomy: str  # "tags" or "categories"
    id: int | None = None  # None: created on the blog when publishing

    def shown(self) -> str:
        return self.name if self.id is not None else f"{self.name} (new)"


@dataclass
class PublishPlan:
    draft: PostDraft
    blog_name: str
    terms: list[Term] = field(default_factory=list)
    media_id: int | None = None  # the poster already on the blog
    upload: bool = False  # the poster is uploaded when publishing
    remote: dict[str, Any] | None = None  # the post on the blog now (context=edit)
    blog_changes: str = ""  # what changed on the blog since the last publish (unified diff)
    update_diff: str = ""  # the blog's text now → what will be sent (unified diff)
    confirm: str = ""  # why publishing must be confirmed ("" = no need)

    @property
    def tags(self) -> list[Term]:
        return [t for t in self.terms if t.taxonomy == "tags"]

    @property
    def categories(self) -> list[Term]:
        return [t for t in self.terms if t.taxonomy == "categories"]

    def payload(self) -> dict[str, Any]:
        """The body sent to the blog (terms and media to be created shown by name)."""
        d = self.draft
        body: dict[str, Any] = {"title": d.title, "content": d.content, "status": d.status,
                                "tags": [t.id if t.id is not None else f"(new) {t.name}"
                                         for t in self.tags],
                                "categories": [t.id if t.id is not None else f"(new) {t.name}"
                                               for t in self.categories]}
        if d.date_gmt:
            body["date_gmt"] = d.date_gmt
        if d.poster is not None:
            body["featured_media"] = (self.media_id if self.media_id is not None
                                      else f"(upload) {d.poster.filename}")
        return body

    def request_line(self) -> str:
        route = f"wp/v2/posts/{self.draft.post_id}" if self.draft.post_id else "wp/v2/posts"
        return f"POST {route}"

    def to_dict(self) -> dict[str, Any]:
        return {"blog": self.blog_name, "request": self.request_line(), "body": self.payload(),
                "target": self.draft.target, "post": self.draft.post_id,
                "tags": [t.shown() for t in self.tags],
                "categories": [t.shown() for t in self.categories],
                "featured_image": (None if self.draft.poster is None else
                                   {"file": self.draft.poster.filename, "upload": self.upload,
                                    "media": self.media_id}),
                "blog_changes": self.blog_changes, "update_diff": self.update_diff,
                "confirm": self.confirm, "notes": self.draft.notes}

    def preview(self) -> str:
        """A plain-text account of exactly what will be sent."""
        d = self.draft
        where = (f"update post #{d.post_id}" if d.post_id else "a new post")
        lines = [f"Blog: {self.blog_name} — {where} ({self.request_line()})",
                 f"Title: {d.title}",
                 f"Status: {d.status}" + (f" at {d.date_gmt} UTC" if d.date_gmt else ""),
                 "Tags: " + (", ".join(t.shown() for t in self.tags) or "none"),
                 "Categories: " + (", ".join(t.shown() for t in self.categories) or "none")]
        if d.poster is not None:
            lines.append("Featured image: " + (f"{d.poster.filename} (uploaded now, "
                                               f"{len(d.poster.data) // 1024 or 1} KB)"
                                               if self.upload else
                                               f"{d.poster.filename} (already on the blog, "
                                               f"media #{self.media_id})"))
        for note in d.notes:
            lines.append(f"Note: {note}")
        if self.confirm:
            lines.append(f"Attention: {self.confirm}")
        if self.blog_changes:
            lines += ["", "Changed on the blog since the last publish:", self.blog_changes]
        lines += ["", "Content:", d.content]
        return "\n".join(lines)


@dataclass
class PublishResult:
    post_id: int
    url: str
    status: str
    created: bool
    uploaded: bool = False
    new_terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"post": self.post_id, "url": self.url, "status": self.status,
                "created": self.created, "uploaded_poster": self.uploaded,
                "new_terms": self.new_terms}


def text_diff(before: str, after: str, before_label: str, after_label: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), before_label,
                                 after_label, lineterm="", n=2)
    return "\n".join(lines)


def _raw(post: dict[str, Any], key: str) -> str:
    value = post.get(key)
    if isinstance(value, dict):
        return str(value.get("raw", value.get("rendered", "")))
    return str(value or "")


def _as_text(title: str, content: str) -> str:
    return f"Title: {title}\n{content}"


class Publisher:
    def __init__(self, journal: Journal, blog: Blog, client: WordPressClient | None = None) -> None:
        self.j, self.blog = journal, blog
        self.client = client or BlogService(journal).client(blog)

    # ------------------------------------------------------------------ plan
    def plan(self, draft: PostDraft) -> PublishPlan:
        plan = PublishPlan(draft, self.blog.name)
        if draft.post_id is not None:
            plan.remote = self._fetch(draft.post_id)
            self._settle(plan)
        self._plan_terms(plan)
        self._plan_media(plan)
        return plan

    def restate(self, plan: PublishPlan, draft: PostDraft) -> PublishPlan:
        """The plan for ``draft`` — the same review, post and terms with another status or
        time — from what the blog said for ``plan``, without asking it again."""
        if (draft.review_id, draft.post_id, draft.target, draft.tags, draft.categories) != (
                plan.draft.review_id, plan.draft.post_id, plan.draft.target,
                plan.draft.tags, plan.draft.categories):
            raise ValueError("restate is for the same post with another status or time")
        again = PublishPlan(draft, plan.blog_name, [Term(t.name, t.taxonomy, t.id)
                                                    for t in plan.terms],
                            plan.media_id, plan.upload, plan.remote)
        if draft.post_id is not None:
            self._settle(again)
        return again

    def _settle(self, plan: PublishPlan) -> None:
        """What the post on the blog decides: the status an update keeps, the difference."""
        draft, remote = plan.draft, plan.remote or {}
        remote_status = str(remote.get("status", ""))
        if not draft.status_given and remote_status in ("publish", "future", "draft",
                                                        "private", "pending"):
            draft.status = remote_status  # an update keeps the post's status
        self._compare(plan)

    def _fetch(self, post_id: int) -> dict[str, Any]:
        try:
            post = self.client.get(f"wp/v2/posts/{post_id}", context="edit")
        except PostGone:
            raise PostGone.naming(f"Post #{post_id} is no longer on {self.blog.name} (deleted "
                                  "there?). Publish it as a new post instead ({way}).",
                                  AS_NEW) from None
        if not isinstance(post, dict) or "id" not in post:
            raise PublishError(f"{self.blog.name} sent something that is not a post for "
                               f"#{post_id}.")
        if post.get("status") == "trash":
            raise PostGone.naming(f"Post #{post_id} is in the trash of {self.blog.name}: "
                                  "restore it there, or publish the review as a new post "
                                  "({way}).", AS_NEW)
        return post

    def _compare(self, plan: PublishPlan) -> None:
        remote = plan.remote or {}
        d = plan.draft
        now_title, now_content = _raw(remote, "title"), _raw(remote, "content")
        plan.update_diff = text_diff(_as_text(now_title, now_content),
                                     _as_text(d.title, d.content), "on the blog now",
                                     "sent from Eyelights")
        m = self.j.models
        link = m.PostLink.get_or_none((m.PostLink.review == d.review_id)
                                      & (m.PostLink.blog == self.blog.id))
        if link is not None and d.target == "link":
            if (link.remote_title, link.remote_content) != (now_title, now_content):
                plan.blog_changes = text_diff(
                    _as_text(link.remote_title, link.remote_content),
                    _as_text(now_title, now_content),
                    f"published from Eyelights {link.published_at:%Y-%m-%d %H:%M}",
                    "on the blog now")
                plan.confirm = ("the post was changed on the blog since it was last published "
                                "from Eyelights; publishing replaces those changes")
        elif d.target == "import":
            if (now_title, now_content) != (d.title, d.content):
                plan.confirm = ("this post came from the blog's export and was never published "
                                "from Eyelights; publishing replaces its text on the blog")
                plan.blog_changes = ""

    def _plan_terms(self, plan: PublishPlan) -> None:
        categories = {html.unescape(str(c.get("name", ""))).casefold(): c["id"]
                      for c in self.client.pages("wp/v2/categories", context="view",
                                                 _fields="id,name")
                      if isinstance(c.get("id"), int)}
        wanted: dict[str, Term] = {}
        for name in plan.draft.categories:
            wanted.setdefault(name.casefold(), Term(name, "categories",
                                                    categories.get(name.casefold())))
        for name in plan.draft.tags:
            key = name.casefold()
            if key in wanted:
                continue
            if key in categories:  # a tag that names one of the blog's categories
                wanted[key] = Term(name, "categories", categories[key])
            else:
                wanted[key] = Term(name, "tags", self._find_tag(name))
        plan.terms = list(wanted.values())

    def _find_tag(self, name: str) -> int | None:
        # WordPress keeps "&" as "&amp;" in term names, and its search compares those
        # every page: a short name ("TV") is part of many others' names
        searches = dict.fromkeys([name, html.escape(name, quote=False)])
        for search in searches:
            for tag in self.client.pages("wp/v2/tags", search=search, _fields="id,name"):
                ident = tag.get("id")
                if (isinstance(ident, int) and html.unescape(str(tag.get("name", ""))).casefold()
                        == name.casefold()):
                    return ident
        return None

    def _plan_media(self, plan: PublishPlan) -> None:
        poster = plan.draft.poster
        if poster is None:
            return
        m = self.j.models
        row = m.BlogMedia.get_or_none((m.BlogMedia.blog == self.blog.id)
                                      & (m.BlogMedia.sha256 == poster.sha256))
        if row is not None:
            try:
                self.client.get(f"wp/v2/media/{row.media_id}", _fields="id")
                plan.media_id = int(row.media_id)
                return
            except PostGone:  # deleted from the media library: upload it again
                pass
        plan.upload = True

    # ------------------------------------------------------------------ publish
    def publish(self, plan: PublishPlan, *, overwrite: bool = False,
                token: Token | None = None) -> PublishResult:
        """Send ``plan`` to the blog. ``token`` (optional) is told each step, and stops the
        publish between two requests when cancelled: what was done is taken back."""
        d = plan.draft
        self._token = token
        self._steps = (int(d.post_id is not None) + sum(t.id is None for t in plan.terms)
                       + int(d.poster is not None and plan.upload) + 1
                       + int(d.post_id is None and d.status != "draft"))
        self._done = 0
        if d.post_id is not None:
            self._step(f"Looking at post #{d.post_id} on {self.blog.name}…")
            now = self._fetch(d.post_id)
            seen = plan.remote or {}
            if (_raw(now, "title"), _raw(now, "content"), now.get("modified_gmt")) != (
                    _raw(seen, "title"), _raw(seen, "content"), seen.get("modified_gmt")):
                plan.remote = now
                self._compare(plan)
                plan.confirm = plan.confirm or "the post changed on the blog during the preview"
                overwrite = False
            if plan.confirm and not overwrite:
                cli, window = OVERWRITE.said(f"Not published: {plan.confirm}. Look at the "
                                             "difference, then publish again to overwrite "
                                             "({way}).")
                raise PublishConflict(cli, plan.blog_changes or plan.update_diff,
                                      _raw(now, "title"), _raw(now, "content"),
                                      window_message=window)
        self._uploaded: tuple[str, int, str] | None = None
        self._saved: dict[str, Any] = {}
        self._changed = False  # something was done on the blog (then taken back) before failing
        undo: list[tuple[str, int]] = []  # what to delete from the blog if a later step fails
        before = ([t.id for t in plan.terms], plan.media_id, plan.upload)
        try:
            result = self._send(plan, undo)
        except BaseException as exc:
            self._changed = self._changed or bool(undo)
            self._taken_back(plan, exc, self._undo(undo), before)
            raise
        try:
            self._record(plan, result)
        except BaseException as exc:
            log.warning("the journal could not record the publish of review %s; undoing it on "
                        "the blog", d.review_id)
            left: list[str] = []  # a new post is deleted with the rest; an update put back
            self._changed = True
            if not result.created and not self._restore(plan):
                left.append(f"post #{d.post_id} (it holds the new text)")
            self._taken_back(plan, exc, left + self._undo(undo), before)
            raise
        self.j.events.emit(Changes.of(reviews=[d.review_id]))
        return result

    def _taken_back(self, plan: PublishPlan, exc: BaseException, left: list[str],
                    before: tuple[list[int | None], int | None, bool]) -> None:
        """After a failure: the plan as it was (a retry starts afresh); and when the blog could
        not be put back as it was, a message that says what is left there."""
        for term, ident in zip(plan.terms, before[0], strict=True):
            term.id = ident
        plan.media_id, plan.upload = before[1], before[2]
        if left:
            what = exc.message if isinstance(exc, EyelightsError) else "Publishing failed."
            raise PublishError(f"{what} It could not all be taken back on {self.blog.name}; "
                               f"left there: {', '.join(left)}.") from exc
        if self._changed and isinstance(exc, PublishError):
            exc.add(f"What this publish had done on {self.blog.name} was taken back.")
        elif self._changed and isinstance(exc, EyelightsError):
            exc.message = (f"{exc.message} What this publish had done on {self.blog.name} was "
                           "taken back.")
            exc.args = (exc.message,)

    def _step(self, message: str) -> None:
        """Stop here when the user asked to; else say what comes next."""
        token = getattr(self, "_token", None)
        if token is None:
            return
        if token.cancelled:
            raise PublishCancelled("Not published: stopped on request.", "cancelled")
        token.progress(self._done, self._steps, message)
        self._done += 1

    def _send(self, plan: PublishPlan, undo: list[tuple[str, int]]) -> PublishResult:
        d = plan.draft
        new_terms = []
        for term in plan.terms:
            if term.id is None:
                kind = "tag" if term.taxonomy == "tags" else "category"
                self._step(f"Creating the {kind} “{term.name}”…")
                term.id, created = self._create_term(term)
                if created:
                    undo.append((f"wp/v2/{term.taxonomy}", term.id))
                    new_terms.append(term.name)
        uploaded = False
        if d.poster is not None and plan.upload:
            self._step(f"Uploading the poster ({len(d.poster.data) // 1024 or 1} KB)…")
            media = self.client.upload(d.poster.data, d.poster.filename, d.poster.mime,
                                       alt_text=f"Poster of {d.title}")
            media_id = item_id(media, f"{self.blog.name} did not answer with the poster.")
            undo.append(("wp/v2/media", media_id))
            plan.media_id, plan.upload, uploaded = media_id, False, True
            self._uploaded = (d.poster.sha256, media_id, str(media.get("source_url", "")))
        body = plan.payload()
        if d.post_id is None:
            self._step("Sending the post (as a draft first)…")
            post = self._create(plan, body, undo)
        else:
            self._step(f"Sending the post (updating #{d.post_id})…")
            try:
                post = self.client.post(f"wp/v2/posts/{d.post_id}", body)
            except PublishError as exc:
                # the blog may have saved the update before failing: put the post back
                if not exc.refused:
                    if not self._restore(plan):
                        raise PublishError(f"{exc.message} Post #{d.post_id} may hold the new "
                                           "text on the blog; it could not be put back.") from exc
                    self._changed = True
                raise
        item_id(post, f"{self.blog.name} did not answer with the post it saved.")
        self._saved = post
        return PublishResult(int(post["id"]), str(post.get("link", "")),
                             str(post.get("status", d.status)), d.post_id is None, uploaded,
                             new_terms)

    def _create(self, plan: PublishPlan, body: dict[str, Any],
                undo: list[tuple[str, int]]) -> dict[str, Any]:
        """A new post, made a draft first: should anything fail after, it is deleted again,
        and what may be left on the blog is a draft, never a public post."""
        d = plan.draft
        try:
            post = self.client.post("wp/v2/posts", {**body, "status": "draft"})
        except PublishError as exc:
            # the blog may have made the post before failing: look for it
            if not exc.refused and not self._delete_strays(plan):
                raise PublishError(f"{exc.message} If the blog made the post before failing, it "
                                   f"is a draft there: look for “{d.title}” among its drafts."
                                   ) from exc
            raise
        ident = item_id(post, f"{self.blog.name} did not answer with the post it saved.")
        undo.append(("wp/v2/posts", ident))
        if body["status"] == "draft":
            return post
        self._step("Scheduling the post…" if body["status"] == "future" else
                   "Publishing the post…")
        update: dict[str, Any] = {"status": body["status"]}
        if d.date_gmt:
            update["date_gmt"] = d.date_gmt
        saved = self.client.post(f"wp/v2/posts/{ident}", update)
        return saved if isinstance(saved, dict) else post

    def _delete_strays(self, plan: PublishPlan) -> bool:
        """Delete drafts of exactly this post made by a create that failed (best effort);
        whether the blog could be asked."""
        d, m = plan.draft, self.j.models
        try:
            recent = self.client.get("wp/v2/posts", status="draft", context="edit",
                                     orderby="id", order="desc", per_page=20)
            for post in recent if isinstance(recent, list) else []:
                ident = post.get("id") if isinstance(post, dict) else None
                if (isinstance(ident, int) and (_raw(post, "title"), _raw(post, "content"))
                        == (d.title, d.content) and m.PostLink.get_or_none(
                            (m.PostLink.blog == self.blog.id)
                            & (m.PostLink.post_id == ident)) is None):
                    self.client.delete(f"wp/v2/posts/{ident}", force="true")
        except PublishError as exc:
            log.warning("could not look for a half-made post on the blog: %s", exc)
            return False
        return True

    def _create_term(self, term: Term) -> tuple[int, bool]:
        """The term's id on the blog, and whether it was created now."""
        try:
            made = self.client.post(f"wp/v2/{term.taxonomy}", {"name": term.name})
            return item_id(made, f"{self.blog.name} did not answer with the new "
                                 f"{term.taxonomy[:-1].replace('ie', 'y')}."), True
        except PublishError as exc:
            # "term_exists": created meanwhile (or a name that differs only by case/accents)
            existing = exc.data.get("term_id") if isinstance(exc.data, dict) else None
            if exc.code == "term_exists" and isinstance(existing, int) and existing > 0:
                return existing, False
            found = self._find_tag(term.name) if term.taxonomy == "tags" else None
            if found is None:
                raise
            return found, False

    def _undo(self, undo: list[tuple[str, int]]) -> list[str]:
        """Delete what this publish made on the blog; returns what could not be deleted."""
        left: list[str] = []
        for route, ident in reversed(undo):
            try:
                self.client.delete(f"{route}/{ident}", force="true")
            except PostGone:
                pass
            except PublishError as exc:
                log.warning("could not undo %s/%s on the blog: %s", route, ident, exc)
                kind = route.rsplit("/", 1)[-1]
                left.append({"posts": f"post #{ident} (a draft)", "media": f"image #{ident}",
                             "tags": f"tag #{ident}", "categories": f"category #{ident}"}
                            .get(kind, f"{kind} #{ident}"))
        return left

    def _restore(self, plan: PublishPlan) -> bool:
        """Put the post back as it was before this update (best effort, logged)."""
        remote = plan.remote or {}
        before = {"title": _raw(remote, "title"), "content": _raw(remote, "content"),
                  "status": remote.get("status", "draft"), "tags": remote.get("tags", []),
                  "categories": remote.get("categories", []),
                  "featured_media": remote.get("featured_media", 0)}
        try:
            self.client.post(f"wp/v2/posts/{plan.draft.post_id}", before)
            return True
        except PublishError as exc:
            log.warning("could not restore post %s on the blog: %s", plan.draft.post_id, exc)
            return False

    def _record(self, plan: PublishPlan, result: PublishResult) -> None:
        d, post, m = plan.draft, self._saved, self.j.models
        now = dt.datetime.now()
        values = {"post_id": result.post_id, "url": result.url, "status": result.status,
                  "published_at": now, "remote_title": _raw(post, "title"),
                  "remote_content": _raw(post, "content"),
                  "remote_modified": str(post.get("modified_gmt", "")),
                  "featured_media": plan.media_id}
        with self.j.write():
            review = m.Review.get_by_id(d.review_id)
            m.Revision.create(review=review.id, reason=f"published to {self.blog.name}",
                              title=review.title, body=review.body, eyelights=review.eyelights,
                              eyesores=review.eyesores, score=review.score, created_at=now)
            link = m.PostLink.get_or_none((m.PostLink.review == review.id)
                                          & (m.PostLink.blog == self.blog.id))
            if link is not None:
                m.PostLink.update(**values).where(m.PostLink.id == link.id).execute()
            else:
                m.PostLink.delete().where((m.PostLink.blog == self.blog.id)
                                          & (m.PostLink.post_id == result.post_id)).execute()
                m.PostLink.insert(review=review.id, blog=self.blog.id, **values).execute()
            uploaded = self._uploaded
            if uploaded is not None:
                sha, media_id, url = uploaded
                m.BlogMedia.delete().where((m.BlogMedia.blog == self.blog.id)
                                           & (m.BlogMedia.sha256 == sha)).execute()
                m.BlogMedia.insert(blog=self.blog.id, sha256=sha, media_id=media_id,
                                   url=url).execute()
            if result.status == "publish":
                changes: dict[str, Any] = {"status": "published", "published_url": result.url}
                if review.published_at is None:
                    changes["published_at"] = now
                m.Review.update(**changes).where(m.Review.id == review.id).execute()
