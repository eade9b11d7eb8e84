"""A small client for the WordPress REST API (``wp-json/wp/v2``), with the standard library.

Self-hosted WordPress (5.6 and later) is reached with the user's name and an application
password (HTTP Basic over the site's own address; ``/wp-json/`` or, on sites with plain
permalinks, ``/?rest_route=``). WordPress.com sites take an OAuth2 token on the same routes at
``https://public-api.wordpress.com/wp/v2/sites/<site>/`` (documented, not tested live).
Every failure becomes a :class:`PublishError` with a message for the user; answers are read up
to a bound (no unbounded memory for a hostile or broken server).
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from journal import __version__
from journal.core.publish.errors import (
    BlogAuthError,
    BlogUnreachable,
    PostGone,
    PublishError,
)

MAX_ANSWER = 32 * 1024 * 1024  # bytes read from one answer at most
WPCOM_API = "https://public-api.wordpress.com/wp/v2/sites/"


def normalise_site_url(url: str) -> str:
    """``example.org/blog/`` → ``https://example.org/blog``; refuses what is not a web address."""
    text = url.strip()
    if not text:
        raise PublishError("Give the blog's address, e.g. https://example.org.")
    if "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in parts.netloc:
        raise PublishError(f"“{url}” is not a web address (e.g. https://example.org).")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


@dataclass
class Answer:
    status: int
    data: Any
    headers: dict[str, str]


class WordPressClient:
    """One blog's REST API. ``kind`` is "wordpress" (user + application password) or
    "wordpress.com" (``secret`` is an OAuth2 access token; ``user`` is unused)."""

    def __init__(self, site_url: str, user: str, secret: str, *, kind: str = "wordpress",
                 timeout: float = 20.0, name: str = "") -> None:
        self.site_url = normalise_site_url(site_url)
        self.user, self.secret, self.kind = user, secret, kind
        self.timeout = timeout
        self.name = name or urllib.parse.urlsplit(self.site_url).netloc
        self._root: str | None = None
        self._pretty = True

    # ------------------------------------------------------------------ addresses
    def _auth_header(self) -> str:
        if self.kind == "wordpress.com":
            return f"Bearer {self.secret}"
        token = base64.b64encode(f"{self.user}:{self.secret}".encode()).decode("ascii")
        return f"Basic {token}"

    def root(self) -> str:
        """Where ``wp/v2`` routes start; found once (``/wp-json/`` or ``/?rest_route=/``)."""
        if self._root is not None:
            return self._root
        if self.kind == "wordpress.com":
            host = urllib.parse.urlsplit(self.site_url).netloc
            self._root, self._pretty = WPCOM_API + host + "/", True
            return self._root
        for pretty, url in ((True, self.site_url + "/wp-json/"),
                            (False, self.site_url + "/?rest_route=/")):
            try:
                answer = self._send("GET", url, None, {}, auth=False)
            except PublishError as exc:
                if isinstance(exc, BlogUnreachable):
                    raise
                continue
            if isinstance(answer.data, dict) and "namespaces" in answer.data:
                if "wp/v2" not in answer.data.get("namespaces", []):
                    raise PublishError(f"{self.site_url} answers, but its REST API has no wp/v2 "
                                       "routes (disabled by a plugin?).")
                self._root = url if pretty else self.site_url + "/?rest_route=/"
                self._pretty = pretty
                return self._root
        raise PublishError(f"{self.site_url} does not look like a WordPress site (no REST API "
                           "at /wp-json/ nor /?rest_route=/). Check the address.")

    def url(self, route: str, params: dict[str, Any] | None = None) -> str:
        root = self.root()
        route = route.lstrip("/")
        query = urllib.parse.urlencode({k: v for k, v in (params or {}).items() if v is not None},
                                       doseq=True)
        if self._pretty:
            return root + route + (f"?{query}" if query else "")
        return root + route + (f"&{query}" if query else "")

    # ------------------------------------------------------------------ requests
    def request(self, method: str, route: str, *, params: dict[str, Any] | None = None,
                payload: dict[str, Any] | None = None, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Answer:
        sent_headers = dict(headers or {})
        data = body
        if payload is not None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            sent_headers["Content-Type"] = "application/json; charset=utf-8"
        return self._send(method, self.url(route, params), data, sent_headers, auth=True)

    def get(self, route: str, **params: Any) -> Any:
        return self.request("GET", route, params=params).data

    def post(self, route: str, payload: dict[str, Any], **params: Any) -> Any:
        return self.request("POST", route, params=params, payload=payload).data

    def delete(self, route: str, **params: Any) -> Any:
        return self.request("DELETE", route, params=params).data

    def pages(self, route: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a paginated collection (100 a page)."""
        page = 1
        while True:
            answer = self.request("GET", route, params={**params, "per_page": 100, "page": page})
            items = answer.data if isinstance(answer.data, list) else []
            yield from items
            total = int(answer.headers.get("x-wp-totalpages", "1") or 1)
            if page >= total or not items:
                return
            page += 1

    def upload(self, data: bytes, filename: str, mime: str, **fields: Any) -> Any:
        """Upload a file to the media library; returns the new attachment."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename) or "poster"
        headers = {"Content-Type": mime, "Content-Disposition": f'attachment; filename="{safe}"'}
        media = self.request("POST", "wp/v2/media", body=data, headers=headers).data
        if fields:
            media = self.post(f"wp/v2/media/{int(media['id'])}", fields)
        return media

    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str],
              *, auth: bool) -> Answer:
        import urllib.error  # with http.client, ssl and email: ~25 ms, ~1 MB, when a blog is asked
        import urllib.request

        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", f"Eyelights/{__version__}")
        for key, value in headers.items():
            request.add_header(key, value)
        if auth:
            request.add_header("Authorization", self._auth_header())
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(MAX_ANSWER + 1)
                status, answer_headers = response.status, dict(response.headers.items())
        except urllib.error.HTTPError as exc:
            raw = exc.read(MAX_ANSWER + 1) if exc.fp is not None else b""
            self._refuse(exc.code, raw, method, url)
            raise AssertionError("unreachable") from None  # _refuse always raises
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BlogUnreachable(f"Cannot reach {self.name} ({self.site_url}): {reason}. "
                                  "Check the address and the connection; nothing was "
                                  "changed on the blog.") from None
        if len(raw) > MAX_ANSWER:
            raise PublishError(f"{self.name} sent an answer larger than "
                               f"{MAX_ANSWER // 2**20} MB; stopped reading it.")
        return Answer(status, _json(raw), {k.lower(): v for k, v in answer_headers.items()})

    def _refuse(self, status: int, raw: bytes, method: str, url: str) -> None:
        data = _json(raw)
        code = data.get("code", "") if isinstance(data, dict) else ""
        said = data.get("message", "") if isinstance(data, dict) else ""
        said = " ".join(str(said).split())[:300]
        if status == 401 or code in ("invalid_username", "incorrect_password",
                                     "rest_not_logged_in"):
            raise BlogAuthError(f"{self.name} refused the user name or application password "
                                f"({said or f'HTTP {status}'}). Create a new application "
                                "password in the blog's profile page and add the blog again.")
        if status == 403:
            raise BlogAuthError(f"{self.name} does not allow this user to do that "
                                f"({said or 'HTTP 403'}).")
        if status in (404, 410) and code in ("rest_post_invalid_id", "rest_comment_invalid_id"):
            raise PostGone(f"{self.name}: {said or 'not found'} (it was deleted on the blog?).")
        detail = said or (raw[:200].decode("utf-8", "replace").strip() if raw else "")
        raise PublishError(f"{self.name} answered HTTP {status} to {method} "
                           f"{urllib.parse.urlsplit(url).path or '/'}"
                           f"{f': {detail}' if detail else ''}.", str(code),
                           data.get("data") if isinstance(data, dict) else None)


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
