"""Publishing reviews to blogs (WordPress REST API) and bringing readers' comments back.

Qt-free: the window and the CLI both call these. ``BlogService`` keeps the blogs (secrets in
the system keyring), ``compose`` makes the post a review becomes (the preview), ``Publisher``
asks the blog what it must (plan) and publishes safely, ``comments`` syncs and replies.

``WordPressClient`` (with the HTTP stack: http.client, ssl, email) loads when first used: the
review editor's comments panel, built with the window, lists a review's comments without it.
"""

from typing import Any

from journal.core.publish.blogs import BlogService, BlogSettings
from journal.core.publish.comments import (
    CommentNode,
    SyncResult,
    mark_read,
    reply,
    sync,
    thread,
    unread_count,
)
from journal.core.publish.compose import PostDraft, compose
from journal.core.publish.errors import (
    BlogAuthError,
    BlogUnreachable,
    PostGone,
    PublishConflict,
    PublishError,
    SecretUnavailable,
)
from journal.core.publish.publisher import Publisher, PublishPlan, PublishResult

__all__ = [
    "BlogAuthError", "BlogService", "BlogSettings", "BlogUnreachable", "CommentNode",
    "PostDraft", "PostGone", "PublishConflict", "PublishError", "PublishPlan", "PublishResult",
    "Publisher", "SecretUnavailable", "SyncResult", "WordPressClient", "compose", "mark_read",
    "reply", "sync", "thread", "unread_count",
]


def __getattr__(name: str) -> Any:
    if name == "WordPressClient":
        from journal.core.publish.wordpress import WordPressClient

        return WordPressClient
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
