"""``~~struck~~`` → ``<del>``, ``==marked==`` → ``<mark>``.

python-markdown's own inline processors, in place of pymdownx's tilde and mark extensions:
those import ``pymdownx.util``, which imports ``urllib.request`` (and with it ``http.client``,
``ssl``, ``email``: ~25 ms and ~1 MB on the preview's first render) for image-path helpers this
dialect never uses. The rules are theirs for everything a review writes: the markers hug the
text (``~~ x ~~`` stays as typed), may hold other inline Markdown (``~~a *b*~~``), and ``\\~``
and ``\\=`` escape them.
"""

from __future__ import annotations

from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import SimpleTagInlineProcessor

DEL_RE = r"(?<!~)(~{2})(?![\s~])(.+?)(?<!\s)\1"
MARK_RE = r"(?<!=)(={2})(?![\s=])(.+?)(?<!\s)\1"


class StrikeMarkExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (python-markdown API)
        for char in "~=":
            if char not in md.ESCAPED_CHARS:
                md.ESCAPED_CHARS.append(char)
        md.inlinePatterns.register(SimpleTagInlineProcessor(DEL_RE, "del"), "eyelights_del", 65)
        md.inlinePatterns.register(SimpleTagInlineProcessor(MARK_RE, "mark"), "eyelights_mark",
                                   64)
