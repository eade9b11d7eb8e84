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
import html
import http.client
import ipaddress
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
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

MAX_ANSWER = 8 * 1024 * 1024  # bytes read from one answer at most
MAX_PAGES = 200  # pages of 100 items read from one collection at most
MAX_HOPS = 5  # redirects followed when finding the API
_TAG_RE = re.compile(r"<[^>]*>")
WPCOM_API = "https://public-api.wordpress.com/wp/v2/sites/"


def normalise_site_url(url: str) -> str:
    """``example.org/blog/`` → ``https://example.org/blog``; refuses what is not a web address."""
    text = url.strip()
    if not text:
        raise PublishError("Give the blog's address, e.g. https://example.org.")
    if "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in parts.netloc:
        raise PublishError(f"“{url}” is not a web address (e.g. https://example.org).")
    if "@" in parts.netloc:  # user:password@host would put a secret in the journal
        raise PublishError("Give the blog's address without a user name or password in it; "
                           "they have their own fields.")
    try:
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError:
        raise PublishError(f"“{url}” is not a web address (its port is not a number).") from None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def is_local(url: str) -> bool:
    """Whether ``url`` names this computer (loopback), where plain http is private."""
    host = (urllib.parse.urlsplit(url).hostname or "").rstrip(".").casefold()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def refuse_plain_http(url: str, name: str) -> None:
    """A PublishError for an ``http`` address of another computer (the password would cross
    the network unencrypted)."""
    if urllib.parse.urlsplit(url).scheme != "https" and not is_local(url):
        raise PublishError(f"{name} is reached over plain http: Eyelights does not send your "
                           "password unencrypted over the network. Use the blog's https address "
                           "(WordPress accepts application passwords only over https).",
                           "insecure")


def _origin(url: str) -> tuple[str, str, int]:
    parts = urllib.parse.urlsplit(url)
    return (parts.scheme, (parts.hostname or "").casefold(),
            parts.port or (443 if parts.scheme == "https" else 80))


def same_site(before: str, after: str) -> bool:
    """A redirect that stays on the blog: the same origin, or the same host moved to https."""
    old, new = _origin(before), _origin(after)
    return old == new or (old[1] == new[1] and old[0] == "http" and new[0] == "https"
                          and new[2] == 443 and old[2] == 80)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answered, never followed by urllib (which would send the Authorization
    header to any host and turn a POST into a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    status: int
    data: Any
    headers: dict[str, str]
    url: str = ""


class WordPressClient:
    """One blog's REST API. ``kind`` is "wordpress" (user + application password) or
    "wordpress.com" (``secret`` is an OAuth2 access token; ``user`` is unused)."""

    def __init__(self, site_url: str, user: str, secret: str, *, kind: str = "wordpress",
                 timeout: float = 20.0, name: str = "") -> None:
        self.site_url = normalise_site_url(site_url)
        self.user, self.secret, self.kind = user, secret, kind
        self.timeout = timeout  # seconds without a byte from the blog
        self.deadline = max(120.0, 4 * timeout)  # seconds for a whole answer
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
        refuse_plain_http(self.site_url, self.name)
        for pretty, url in ((True, self.site_url + "/wp-json/"),
                            (False, self.site_url + "/?rest_route=/")):
            try:
                answer = self._find(url)
            except PublishError as exc:
                if isinstance(exc, BlogUnreachable) or exc.code == "redirect":
                    raise
                continue
            if isinstance(answer.data, dict) and "namespaces" in answer.data:
                if "wp/v2" not in answer.data.get("namespaces", []):
                    raise PublishError(f"{self.site_url} answers, but its REST API has no wp/v2 "
                                       "routes (disabled by a plugin?).")
                self._root, self._pretty = self._root_at(answer.url or url, pretty), pretty
                return self._root
        raise PublishError(f"{self.site_url} does not look like a WordPress site (no REST API "
                           "at /wp-json/ nor /?rest_route=/). Check the address.")

    def _find(self, url: str) -> Answer:
        """GET ``url`` without credentials, following redirects that stay on the blog."""
        for _hop in range(MAX_HOPS + 1):
            try:
                return self._send("GET", url, None, {}, auth=False)
            except PublishError as exc:
                target = exc.data if exc.code == "redirect" else None
                if not isinstance(target, str) or not same_site(url, target):
                    raise
                url = target
        raise PublishError(f"{self.site_url} redirects too many times; check the address.")

    @staticmethod
    def _root_at(url: str, pretty: bool) -> str:
        """The API root from the address that answered (after redirects)."""
        parts = urllib.parse.urlsplit(url)
        if pretty:
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/",
                                        "rest_route=/", ""))

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
        for page in range(1, MAX_PAGES + 1):
            answer = self.request("GET", route, params={**params, "per_page": 100, "page": page})
            if not isinstance(answer.data, list):
                raise PublishError(f"{self.name} sent something that is not a list for {route}.",
                                   "not_list")
            yield from (item for item in answer.data if isinstance(item, dict))
            try:
                total = int(answer.headers.get("x-wp-totalpages", "1") or 1)
            except ValueError:
                total = 1
            if page >= total or not answer.data:
                return
        raise PublishError(f"{self.name} has more than {MAX_PAGES * 100} items in {route}; "
                           "stopped reading.", "too_many")

    def upload(self, data: bytes, filename: str, mime: str, **fields: Any) -> Any:
        """Upload a file to the media library; returns the new attachment."""
        safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in filename) or "poster"
        headers = {"Content-Type": mime, "Content-Disposition": f'attachment; filename="{safe}"'}
        media = self.request("POST", "wp/v2/media", body=data, headers=headers).data
        ident = item_id(media, f"{self.name} did not answer with the uploaded image.")
        if fields:
            try:
                self.post(f"wp/v2/media/{ident}", fields)
            except PublishError:
                self.delete(f"wp/v2/media/{ident}", force="true")  # not left half-made
                raise
        return media


    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str],
              *, auth: bool) -> Answer:
        if auth:
            refuse_plain_http(url, self.name)
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", f"Eyelights/{__version__}")
        for key, value in headers.items():
            request.add_header(key, value)
        if auth:
            request.add_header("Authorization", self._auth_header())
        deadline = time.monotonic() + self.deadline
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                raw = self._read(response, deadline)
                status, answer_headers = response.status, dict(response.headers.items())
                final = response.url or url
        except urllib.error.HTTPError as exc:
            if 300 <= exc.code < 400:
                self._redirected(exc, method, url)
            try:
                raw = self._read(exc, deadline) if exc.fp is not None else b""
            except (http.client.HTTPException, OSError):
                raw = b""  # the status says enough
            self._refuse(exc.code, raw, method, url)
            raise AssertionError("unreachable") from None  # _refuse always raises
        except (urllib.error.URLError, http.client.HTTPException, OSError, UnicodeError) as exc:
            reason = _reason(exc)
            raise BlogUnreachable(f"Cannot reach {self.name} ({self.site_url}): {reason}. "
                                  f"Check the address and the connection; "
                                  f"{self._aftermath(method)}.", "unreachable") from None
        data_out = _json(raw)
        if data_out is None and raw.strip():
            start = " ".join(raw[:120].decode("utf-8", "replace").split())
            raise PublishError(f"{self.name} answered {method} "
                               f"{urllib.parse.urlsplit(url).path or '/'} with something that is "
                               f"not JSON (a plugin or PHP printing warnings?): “{start}”; "
                               f"{self._aftermath(method)}.", "not_json", status=status)
        return Answer(status, data_out, {k.lower(): v for k, v in answer_headers.items()}, final)

    @staticmethod
    def _aftermath(method: str) -> str:
        if method in ("GET", "HEAD"):
            return "nothing was changed on the blog"
        return "the blog may or may not have done it"

    def _read(self, response: Any, deadline: float) -> bytes:
        """The answer's body, at most MAX_ANSWER bytes, within the deadline."""
        chunks: list[bytes] = []
        size = 0
        read = getattr(response, "read1", None) or response.read  # what has come, not 64 KB
        while True:
            chunk = read(64 * 1024)
            if not chunk:
                if _missing(response):  # fewer bytes than announced: the connection broke
                    raise http.client.IncompleteRead(b"".join(chunks))
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_ANSWER:
                raise PublishError(f"{self.name} sent an answer larger than "
                                   f"{MAX_ANSWER // 2**20} MB; stopped reading it.", "too_large")
            if time.monotonic() > deadline:
                raise BlogUnreachable(f"{self.name} is too slow: its answer took more than "
                                      f"{self.deadline:.0f} seconds; stopped waiting.",
                                      "unreachable")

    def _redirected(self, exc: urllib.error.HTTPError, method: str, url: str) -> None:
        location = exc.headers.get("Location", "") if exc.headers is not None else ""
        target = urllib.parse.urljoin(url, location) if location else ""
        shown = urllib.parse.urlunsplit(urllib.parse.urlsplit(target)[:3] + ("", "")) or "?"
        raise PublishError(f"{self.name} sent the request to another address ({shown}). "
                           "Eyelights does not follow it with your password: if the blog has "
                           "moved, add it again with its new address.", "redirect",
                           target or None, status=exc.code)

    def _refuse(self, status: int, raw: bytes, method: str, url: str) -> None:
        data = _json(raw)
        code = data.get("code", "") if isinstance(data, dict) else ""
        said = data.get("message", "") if isinstance(data, dict) else ""
        said = _plain(str(said))[:300]
        if status == 401 or code in ("invalid_username", "incorrect_password",
                                     "rest_not_logged_in"):
            raise BlogAuthError(f"{self.name} refused the user name or application password "
                                f"({said or f'HTTP {status}'}). Create a new application "
                                "password in the blog's profile page and add the blog again.",
                                str(code), status=status)
        if status == 403:
            raise BlogAuthError(f"{self.name} does not allow this user to do that "
                                f"({said or 'HTTP 403'}).", str(code), status=status)
        if status in (404, 410) and code in ("rest_post_invalid_id", "rest_comment_invalid_id"):
            raise PostGone(f"{self.name}: {said or 'not found'} (it was deleted on the blog?).",
                           str(code), status=status)
        detail = said or (_plain(raw[:300].decode("utf-8", "replace"))[:200] if raw else "")
        detail = detail.rstrip(" .")
        raise PublishError(f"{self.name} answered HTTP {status} to {method} "
                           f"{urllib.parse.urlsplit(url).path or '/'}"
                           f"{f': {detail}' if detail else ''}.", str(code),
                           data.get("data") if isinstance(data, dict) else None, status=status)


def _plain(text: str) -> str:
    """WordPress's message as one line of text (its fatal-error message is HTML)."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", text)).split())


def _reason(exc: BaseException) -> str:
    """Why a connection failed, in words."""
    if isinstance(exc, http.client.IncompleteRead):
        return "the connection broke in the middle of the answer"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "it closed the connection without answering"
    if isinstance(exc, http.client.BadStatusLine):
        return "it did not answer as a web server does"
    if isinstance(exc, TimeoutError):
        return "no answer in time"
    reason = getattr(exc, "reason", None) or exc
    return str(reason) or type(reason).__name__


def _missing(response: Any) -> bool:
    """Whether an answer ended before the length it announced."""
    inner = response if isinstance(response, http.client.HTTPResponse) else getattr(
        response, "fp", None)
    return bool(getattr(inner, "length", None))


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def item_id(item: Any, complaint: str) -> int:
    """The ``id`` of an object the blog answered with; a PublishError when it is not one."""
    ident = item.get("id") if isinstance(item, dict) else None
    if isinstance(ident, bool) or not isinstance(ident, int) or ident <= 0:
        raise PublishError(complaint, "not_an_item")
    return ident
