"""Plan a WordPress (WXR) import: posts become reviews; nothing is written here.

Posts only (pages, attachments, menus and other types are skipped, with the reason); drafts,
private, pending and scheduled posts only with ``ImportOptions(drafts=True)``, as drafts. Each
post: title, date, HTML → Markdown, the blogger's conventions (score, eyelights, eyesores, date
of viewing, spoilers), categories and tags as tags, approved comments as threaded comments.
"""

from __future__ import annotations

import hashlib
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from journal.core.importers import wxr
from journal.core.importers.context import PlanContext, local_naive
from journal.core.importers.convert_pool import (
    Job,
    PostJob,
    Results,
    converted,
    recognised_of,
    workers_for,
)
from journal.core.importers.plan import (
    CommentRec,
    ImportOptions,
    ImportPlan,
    Token,
)
from journal.core.importers.wp_html import html_to_markdown
from journal.core.importers.wxr import WxrChannel, WxrItem, WxrReader

if TYPE_CHECKING:
    from journal.core.journal import Journal

_TYPE_REASONS = {
    "page": "pages: not blog posts",
    "attachment": "attachments (media files): not blog posts",
    "nav_menu_item": "menu items: not blog posts",
}
_NEVER = {"trash", "auto-draft", "inherit"}


def too_large_reason() -> str:
    """The preview's line for items skipped because they passed ``wxr.MAX_ITEM_MEMORY``."""
    return (f"posts too large to read (each would take over {wxr.MAX_ITEM_MEMORY / 1e6:g} MB "
            "of memory: a damaged or hostile export; nothing of them is imported)")
_STATUS_LABELS = {"draft": "drafts", "private": "private posts", "pending": "posts pending review",
                  "future": "scheduled posts"}


def site_key(channel: WxrChannel, path: Path) -> str:
    """The blog's address without scheme (``example.com/blog``), else the file name."""
    for url in (channel.base_blog_url, channel.base_site_url, channel.link):
        parts = urlsplit(url.strip())
        if parts.netloc:
            return (parts.netloc + parts.path).rstrip("/").casefold()
    return f"file:{path.name}"


def post_key(site: str, item: WxrItem) -> str:
    if item.post_id:
        return f"wxr:{site}:{item.post_id}"
    digest = hashlib.sha1(f"{item.slug}|{item.title}|{item.date}".encode()).hexdigest()[:16]
    return f"wxr:{site}:h{digest}"


def _comments(key: str, item: WxrItem, *, convert: bool) -> list[CommentRec]:
    """The item's comments; their texts converted here (``convert``), else left empty: a pool
    process converted them into the review's ``texts``, in this order."""
    kept = {c.comment_id for c in item.comments}
    out = []
    for c in item.comments:
        parent = f"{key}:c{c.parent_id}" if c.parent_id and c.parent_id in kept else None
        out.append(CommentRec(key=f"{key}:c{c.comment_id}", parent=parent, author=c.author,
                              author_url=c.author_url or None, posted_at=local_naive(c.date),
                              text=html_to_markdown(c.content) if convert else ""))
    return out


def _post_job(item: WxrItem) -> PostJob:
    """A post's HTML, title and categories (what ``conventions.recognise`` reads) and its
    comments' HTML."""
    return (item.content, item.title_text, tuple(t.label for t in item.categories),
            tuple(c.content for c in item.comments))


class _WxrPlanner:
    def __init__(self, ctx: PlanContext, options: ImportOptions) -> None:
        self.ctx = ctx
        self.plan = ctx.plan
        self.options = options

    def _hand_over(self, item: WxrItem) -> list[Job]:
        """What ``item`` will need done in the pool: its post converted and read for the
        conventions, its comments converted (only posts that are imported; the others are
        skipped before their text is looked at). The item gives up its post's HTML, which it
        no longer needs (the results come back with it): only the pool's batch holds it in
        flight. (Its comments keep theirs: counted in the bytes in flight, and dropping them
        cost more time, a frozen record rebuilt per comment, than the memory was worth.)"""
        if item.post_type != "post" or item.status in _NEVER or not item.title_text or (
                item.status != "publish" and not self.options.drafts) or item.too_large:
            return []
        job = _post_job(item)
        item.content = ""
        return [job]

    def item(self, item: WxrItem, site: str, done: Results = None) -> None:
        """Plan one item; ``done``: its post already converted and read
        (``convert_pool.converted``: one result, for its :data:`PostJob`)."""
        plan = self.plan
        if item.post_type != "post":
            reason = _TYPE_REASONS.get(item.post_type, f"“{item.post_type}” items: not blog posts")
            plan.skip(reason, item.title_text)
            return
        title_text = item.title_text
        label = f"“{title_text}”" if title_text else f"post {item.post_id or '?'}"
        if item.too_large:
            plan.skip(too_large_reason(), label)
            return
        if item.status in _NEVER:
            plan.skip("posts in the WordPress trash, auto-drafts and revisions", label)
            return
        status = "published"
        if item.status != "publish":
            if not self.options.drafts:
                what = _STATUS_LABELS.get(item.status, f"“{item.status}” posts")
                plan.skip(f"{what} (include them with the drafts option)", label)
                return
            status = "draft"
        if not title_text:
            plan.skip("posts without a title (no film to attach them to)", label)
            return
        key = post_key(site, item)
        plain_text = (f"{label}: its HTML is nested too deeply to convert; imported as plain "
                      "text")
        # (the job is built only to be converted here: the pool's result needs none)
        found = recognised_of(done[0] if done else None, None if done else _post_job(item),
                              on_plain_text=lambda: plan.left_in_body.add(plain_text))
        tags = [t.label for t in item.categories] + [t.label for t in item.tags]
        if item.dropped_comments:
            plan.skip("comments not approved, spam, pingbacks and trackbacks", label,
                      n=item.dropped_comments)
        self.ctx.add_review(key, label, found, status=status, created_at=local_naive(item.date),
                            tags=tags, comments=_comments(key, item, convert=found.texts is None),
                            url=item.link or None,
                            title=title_text)

    def file(self, path: Path) -> None:
        reader = WxrReader(path)
        size = max(path.stat().st_size, 1)
        channel = reader.channel
        urls: tuple[str, str, str] | None = None
        site = ""
        # the posts' HTML converted in other processes while the file is read (large files)
        items = converted(reader, self._hand_over, workers_for(size))
        # closed here, cancelled or not: a cancel's exception, kept by whoever reports it,
        # would otherwise keep this frame, the generator and its pool's processes alive
        with closing(items):
            for n, (item, done) in enumerate(items):
                if n % 25 == 0:
                    self.ctx.check_cancel(reader.bytes_read, size, f"Reading {path.name}…")
                now = (channel.base_blog_url, channel.base_site_url, channel.link)
                if now != urls:  # a channel element may come after the first items
                    urls, site = now, site_key(channel, path)
                self.item(item, site, done)


def plan_wxr(journal: Journal, paths: list[Path] | Path, options: ImportOptions | None = None,
             token: Token | None = None) -> ImportPlan:
    """Read WXR files and the journal; return the plan (raises ``WxrFormatError`` on a bad
    file, before anything could be written)."""
    paths = [Path(p) for p in (paths if isinstance(paths, list) else [paths])]
    options = options or ImportOptions()
    plan = ImportPlan(source="wxr", paths=paths, options=options)
    with plan.filling():
        planner = _WxrPlanner(PlanContext(journal, plan, "wxr:", token), options)
        for path in paths:
            planner.file(path)
    return plan
