"""The blogs a journal publishes to: add (credentials checked first), list, change, remove."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journal.core.events import Changes
from journal.core.publish import secrets
from journal.core.publish.errors import PublishError
from journal.core.render.blog import BlogStyle
from journal.core.render.types import RenderError
from journal.errors import NotFound, ValidationError
from journal.store.models import BLOG_KINDS, SECRET_STORES

if TYPE_CHECKING:
    from journal.core.journal import Journal
    from journal.core.publish.wordpress import WordPressClient
    from journal.store.models import Blog

STATUSES = ("draft", "publish")


@dataclass
class BlogSettings:
    """What the user sets for a blog (everything but its secret)."""

    name: str
    site_url: str
    username: str = ""
    kind: str = "wordpress"
    style: BlogStyle = field(default_factory=BlogStyle)
    categories: list[str] = field(default_factory=list)
    default_status: str = "draft"
    featured_image: bool = True

    def cleaned(self) -> BlogSettings:
        name = " ".join(self.name.split())
        if not name:
            raise ValidationError("Give the blog a name (e.g. “My film blog”).", "name")
        if self.kind not in BLOG_KINDS:
            raise ValidationError("A blog is a self-hosted WordPress (wordpress) or a "
                                  "WordPress.com site (wordpress.com).", "kind")
        try:
            from journal.core.publish.wordpress import normalise_site_url, refuse_plain_http

            url = normalise_site_url(self.site_url)
            if self.kind == "wordpress":
                refuse_plain_http(url, name)
        except PublishError as exc:
            raise ValidationError(exc.message, "site_url") from None
        user = self.username.strip()
        if self.kind == "wordpress" and not user:
            raise ValidationError("Give the WordPress user name the application password "
                                  "belongs to.", "username")
        if self.default_status not in STATUSES:
            raise ValidationError("The default status is draft or publish.", "default_status")
        try:
            self.style.validate()
        except RenderError as exc:
            raise ValidationError(str(exc), "style") from None
        categories: list[str] = []
        for c in self.categories:
            c = " ".join(str(c).split())
            if c and c.casefold() not in {x.casefold() for x in categories}:
                categories.append(c)
        return BlogSettings(name, url, user, self.kind, self.style, categories,
                            self.default_status, bool(self.featured_image))


def site_key(site_url: str) -> str:
    """The blog's address as the WordPress importer keys its posts (``example.org/blog``)."""
    parts = urllib.parse.urlsplit(site_url)
    return (parts.netloc + parts.path).rstrip("/").casefold()


class BlogService:
    def __init__(self, journal: Journal) -> None:
        self.j = journal

    # ------------------------------------------------------------------ reading
    def list(self) -> list[Blog]:
        m = self.j.models
        return list(m.Blog.select().order_by(m.Blog.name))

    def get(self, name: str | int) -> Blog:
        m = self.j.models
        if isinstance(name, int):
            blog = m.Blog.get_or_none(m.Blog.id == name)
        else:
            blog = m.Blog.get_or_none(m.Blog.name == " ".join(name.split()))
        if blog is None:
            known = ", ".join(f"“{b.name}”" for b in self.list()) or "none yet"
            raise NotFound(f"There is no blog called “{name}” (blogs: {known}).")
        return blog

    def post_count(self, blog: Blog) -> int:
        """How many reviews are linked to a post on ``blog``."""
        m = self.j.models
        return int(m.PostLink.select().where(m.PostLink.blog == blog.id).count())

    @staticmethod
    def settings(blog: Blog) -> BlogSettings:
        return BlogSettings(blog.name, blog.site_url, blog.username, blog.kind,
                            BlogStyle.from_dict(json.loads(blog.style or "{}")),
                            list(json.loads(blog.categories or "[]")), blog.default_status,
                            bool(blog.featured_image))

    def client(self, blog: Blog, timeout: float = 20.0) -> WordPressClient:
        secret = secrets.load(blog.kind, blog.site_url, blog.username, blog.secret_store,
                              blog.name)
        from journal.core.publish.wordpress import WordPressClient  # the HTTP stack: when used

        return WordPressClient(blog.site_url, blog.username, secret, kind=blog.kind,
                               timeout=timeout, name=blog.name)

    # ------------------------------------------------------------------ writing
    def add(self, settings: BlogSettings, secret: str, *, plain_text: bool = False,
            check: bool = True, replace: bool = False) -> Blog:
        """Add a blog (or, with ``replace``, change one of that name and its secret).

        With ``check`` the blog is asked who the credentials belong to first: nothing is
        stored when it refuses. The secret goes to the keyring, or with ``plain_text`` (the
        user agreed) to the private file; never to the journal."""
        clean = settings.cleaned()
        secret = self.require_secret(secret)
        m = self.j.models
        existing = m.Blog.get_or_none(m.Blog.name == clean.name)
        if existing is not None and not replace:
            raise ValidationError(f"There is already a blog called “{clean.name}”.", "name")
        if check:
            self.check(clean, secret)
        where = SECRET_STORES[1] if plain_text else SECRET_STORES[0]
        secrets.store(clean.kind, clean.site_url, clean.username, secret, where)
        try:
            with self.j.write():
                values = self._values(clean)
                values["secret_store"] = where
                if existing is not None:
                    m.Blog.update(**values).where(m.Blog.id == existing.id).execute()
                    blog_id = existing.id
                else:
                    blog_id = m.Blog.insert(**values).execute()
        except BaseException:
            if existing is None or (existing.site_url, existing.username) != (
                    clean.site_url, clean.username):
                secrets.forget(clean.kind, clean.site_url, clean.username, where)
            raise
        if existing is not None and (existing.kind, existing.site_url, existing.username,
                                     existing.secret_store) != (clean.kind, clean.site_url,
                                                                clean.username, where):
            secrets.forget(existing.kind, existing.site_url, existing.username,
                           existing.secret_store)
        self.j.events.emit(Changes.of(blogs=[blog_id]))
        return self.get(int(blog_id))

    @staticmethod
    def require_secret(secret: str) -> str:
        """The password or token as stored (raises when there is none)."""
        if not secret.strip():
            raise ValidationError("Give the application password (or, for WordPress.com, the "
                                  "access token).", "secret")
        return secret.strip()

    def check(self, settings: BlogSettings, secret: str) -> dict[str, Any]:
        """Ask the blog who these credentials are; raises a PublishError when it refuses."""
        from journal.core.publish.wordpress import WordPressClient

        client = WordPressClient(settings.site_url, settings.username, secret,
                                 kind=settings.kind, name=settings.name)
        me = client.get("wp/v2/users/me", context="edit")
        if not isinstance(me, dict) or not isinstance(me.get("id"), int) or me["id"] <= 0:
            raise PublishError(f"{settings.name} did not say who the user is: it does not "
                               "answer as WordPress does. Check the address.")
        caps = me.get("capabilities")
        if isinstance(caps, dict) and caps and not caps.get("publish_posts"):
            raise PublishError(f"{settings.name}: the user “{me.get('name', '')}” may not "
                               "publish posts on this blog.")
        return me

    def update(self, name: str | int, settings: BlogSettings) -> Blog:
        """Change a blog's settings (its secret stays where it is; the account must not change:
        use :meth:`add` with ``replace`` for a new address or user)."""
        blog = self.get(name)
        clean = settings.cleaned()
        if (clean.kind, clean.site_url, clean.username) != (blog.kind, blog.site_url,
                                                            blog.username):
            raise ValidationError("A new address or user needs its password again: add the "
                                  "blog again with it.", "site_url")
        m = self.j.models
        if clean.name.casefold() != blog.name.casefold() and m.Blog.get_or_none(
                m.Blog.name == clean.name) is not None:
            raise ValidationError(f"There is already a blog called “{clean.name}”.", "name")
        with self.j.write():
            m.Blog.update(**self._values(clean)).where(m.Blog.id == blog.id).execute()
        self.j.events.emit(Changes.of(blogs=[blog.id]))
        return self.get(int(blog.id))

    def remove(self, name: str | int) -> int:
        """Forget a blog and its secret; returns how many published reviews forget their post
        (the posts stay on the blog; comments stay in the journal)."""
        blog = self.get(name)
        m = self.j.models
        links = self.post_count(blog)
        with self.j.write():
            m.Comment.update(blog_id=None).where(m.Comment.blog_id == blog.id).execute()
            m.Blog.delete().where(m.Blog.id == blog.id).execute()
        secrets.forget(blog.kind, blog.site_url, blog.username, blog.secret_store)
        self.j.events.emit(Changes.of(blogs=[blog.id]))
        return int(links)

    @staticmethod
    def _values(clean: BlogSettings) -> dict[str, Any]:
        return {"name": clean.name, "kind": clean.kind, "site_url": clean.site_url,
                "username": clean.username,
                "style": json.dumps(clean.style.to_dict(), ensure_ascii=False),
                "categories": json.dumps(clean.categories, ensure_ascii=False),
                "default_status": clean.default_status,
                "featured_image": clean.featured_image}
