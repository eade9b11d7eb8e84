"""Publishing reviews to blogs (WordPress REST API) and bringing readers' comments back.

Qt-free: the window and the CLI both call these. ``BlogService`` keeps the blogs (secrets in
the system keyring), ``compose`` makes the post a review becomes (the preview), ``Publisher``
asks the blog what it must (plan) and publishes safely, ``comments`` syncs and replies.
"""

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
from journal.core.publish.wordpress import WordPressClient

__all__ = [
    "BlogAuthError", "BlogService", "BlogSettings", "BlogUnreachable", "CommentNode",
    "PostDraft", "PostGone", "PublishConflict", "PublishError", "PublishPlan", "PublishResult",
    "Publisher", "SecretUnavailable", "SyncResult", "WordPressClient", "compose", "mark_read",
    "reply", "sync", "thread", "unread_count",
]
