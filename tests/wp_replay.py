"""A WordPress REST API served on 127.0.0.1 by the test itself, for the tests that must run where
no real WordPress can (mutation testing: ``make mutation`` forks a process per mutant and runs
only Qt-free, non-``wordpress`` tests; docs/testing.md).

It answers as WordPress 6.x documents its REST API (developer.wordpress.org/rest-api): the index
at ``/wp-json/`` with its ``namespaces``; HTTP Basic with an application password, else 401
``rest_not_logged_in`` or ``incorrect_password``; ``context`` checked against view/embed/edit
(400 ``rest_invalid_param``) and ``context=edit`` refused without credentials; objects in the
edit context with ``raw`` and ``rendered`` fields; 201 for what a POST creates; collections of
at most 100 a page with ``X-WP-Total`` and ``X-WP-TotalPages`` (400
``rest_post_invalid_page_number`` past the last page); 404 ``rest_post_invalid_id`` (posts,
media), ``rest_comment_invalid_id``, ``rest_term_invalid``; 400 ``term_exists`` with the
existing ``term_id``; terms deleted only with ``force=true`` (else 501
``rest_trash_not_supported``); a post deleted without it goes to the trash; ``_fields``,
``search``, ``include``, ``status`` (comma-separated), ``orderby=id`` and ``order``.
``rendered`` is the raw text: WordPress's filters (wpautop, texturize) are the real
WordPress's business (``tests/test_publish_wordpress.py``), not this one's.

What it cannot reproduce by itself, a failing plugin or a lost answer, is asked for with
:meth:`ReplayedWordPress.fail`, in WordPress's own error format.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CONTEXTS = ("view", "embed", "edit")


def _error(status: int, code: str, message: str, **data: Any) -> tuple[int, Any]:
    return status, {"code": code, "message": message, "data": {"status": status, **data}}


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


@dataclass
class Fault:
    method: str
    route: re.Pattern[str]
    status: int
    code: str
    message: str
    after: bool  # the blog did it, then failed (a plugin's fatal error after saving)
    times: int


@dataclass
class Request:
    method: str
    route: str
    params: dict[str, str]
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class ReplayedWordPress:
    """One blog: ``url``, ``user`` and ``password`` as ``publish_helpers.add_blog`` takes
    them; ``posts``, ``terms``, ``media``, ``comments`` what it holds; ``requests`` what it
    was asked."""

    def __init__(self) -> None:
        self.user, self.password = "editor", "abcd EFGH 1234 ijkl MNOP 6789"
        self.posts: dict[int, dict[str, Any]] = {}
        self.terms: dict[str, dict[int, dict[str, Any]]] = {"tags": {}, "categories": {}}
        self.media: dict[int, dict[str, Any]] = {}
        self.comments: dict[int, dict[str, Any]] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._next = 100
        self._lock = threading.Lock()
        self.add_term("categories", "Uncategorized")
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with site._lock:
                    status, data, headers = site.answer(self.command, self.path, raw,
                                                        dict(self.headers.items()))
                out = json.dumps(data).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(out)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(out)

            do_GET = do_POST = do_DELETE = do_PUT = _any

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # ------------------------------------------------------------------ set-up by the test
    def ident(self) -> int:
        self._next += 1
        return self._next

    def add_term(self, taxonomy: str, name: str) -> int:
        ident = self.ident()
        self.terms[taxonomy][ident] = {"id": ident, "name": html.escape(name, quote=False),
                                       "slug": re.sub(r"\W+", "-", name.casefold()).strip("-"),
                                       "taxonomy": "post_tag" if taxonomy == "tags"
                                       else "category", "count": 0}
        return ident

    def add_comment(self, post: int, text: str, author: str = "A reader",
                    parent: int = 0) -> int:
        ident = self.ident()
        self.comments[ident] = {"id": ident, "post": post, "parent": parent, "author": 0,
                                "author_name": author, "author_url": "", "date": _now(),
                                "date_gmt": _now(), "status": "approved", "type": "comment",
                                "content": {"raw": text, "rendered": f"<p>{text}</p>\n"},
                                "link": f"{self.url}/?p={post}#comment-{ident}"}
        return ident

    def fail(self, method: str, route: str, *, status: int = 500,
             code: str = "internal_server_error",
             message: str = "<p>There has been a critical error on this website.</p>",
             after: bool = False, times: int = 1) -> None:
        """The next ``times`` requests ``method`` to a route matching ``route`` (a regular
        expression, whole) fail so; ``after``: once the blog has done what was asked."""
        self.faults.append(Fault(method, re.compile(route), status, code, message, after, times))

    # ------------------------------------------------------------------ answering
    def answer(self, method: str, path: str, raw: bytes,
               headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        parts = urllib.parse.urlsplit(path)
        params = dict(urllib.parse.parse_qsl(parts.query))
        route = params.pop("rest_route", None) or parts.path
        if route.startswith("/wp-json"):
            route = route[len("/wp-json"):]
        route = route.strip("/")
        ctype = headers.get("Content-Type", "")
        body: Any = raw
        if ctype.startswith("application/json"):
            try:
                body = json.loads(raw.decode("utf-8")) if raw else {}
            except ValueError:
                return (*_error(400, "rest_invalid_json", "Invalid JSON body passed."), {})
        self.requests.append(Request(method, route, params, body, headers))
        if route == "":
            return 200, {"name": "A film blog", "url": self.url, "home": self.url,
                         "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
                         "authentication": {"application-passwords": {}}}, {}
        if params.get("context", "view") not in CONTEXTS:
            return (*_error(400, "rest_invalid_param", "Invalid parameter(s): context",
                            params={"context": "context is not one of view, embed, and edit."}),
                    {})
        auth = headers.get("Authorization", "")
        if auth:
            expected = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            if auth != f"Basic {expected}":
                return (*_error(401, "incorrect_password",
                                "The provided password is an invalid application password."), {})
        elif method != "GET" or params.get("context") == "edit":
            return (*_error(401, "rest_not_logged_in", "You are not currently logged in."), {})
        fault = next((f for f in self.faults if f.method == method and f.times > 0
                      and f.route.fullmatch(route)), None)
        if fault is not None:
            fault.times -= 1
            if fault.after:
                self._route(method, route, params, body, headers)
            return (*_error(fault.status, fault.code, fault.message), {})
        return self._route(method, route, params, body, headers)

    def _route(self, method: str, route: str, params: dict[str, str], body: Any,
               headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if route == "wp/v2/users/me":
            return 200, {"id": 1, "name": self.user, "slug": self.user,
                         "capabilities": {"publish_posts": True, "edit_posts": True}}, {}
        m = re.fullmatch(r"wp/v2/(posts|tags|categories|media|comments)(?:/(\d+))?", route)
        if m is None:
            return (*_error(404, "rest_no_route",
                            "No route was found matching the URL and request method."), {})
        kind, ident = m.group(1), int(m.group(2)) if m.group(2) else None
        store = (self.posts if kind == "posts" else self.media if kind == "media"
                 else self.comments if kind == "comments" else self.terms[kind])
        if ident is None and method == "GET":
            return self._collection(kind, store, params)
        if ident is None and method == "POST":
            return self._create(kind, store, body, headers)
        if ident is None:
            return (*_error(404, "rest_no_route",
                            "No route was found matching the URL and request method."), {})
        item = store.get(ident)
        if item is None:
            code, said = {"comments": ("rest_comment_invalid_id", "Invalid comment ID."),
                          "tags": ("rest_term_invalid", "Term does not exist."),
                          "categories": ("rest_term_invalid", "Term does not exist.")}.get(
                kind, ("rest_post_invalid_id", "Invalid post ID."))
            return (*_error(404, code, said), {})
        if method == "GET":
            return 200, self._fields(item, params), {}
        if method == "DELETE":
            if params.get("force") == "true":
                del store[ident]
                return 200, {"deleted": True, "previous": item}, {}
            if kind in ("tags", "categories", "media"):
                return (*_error(501, "rest_trash_not_supported",
                                "Terms do not support trashing. Set 'force' to true to delete."
                                if kind != "media" else "The post does not support trashing. "
                                "Set 'force' to true to delete."), {})
            item["status"] = "trash"
            return 200, item, {}
        self._update(kind, item, body)
        return 200, item, {}

    def _collection(self, kind: str, store: dict[int, dict[str, Any]],
                    params: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        items = list(store.values())
        if kind == "posts":
            wanted = params.get("status", "publish").split(",")
            items = [p for p in items if p["status"] in wanted or "any" in wanted
                     and p["status"] != "trash"]
        if kind == "comments":
            wanted = params.get("status", "approve")
            items = [c for c in items if wanted in ("approve", "approved", "all")
                     and c["status"] == "approved"]
            if "post" in params:
                items = [c for c in items if c["post"] == int(params["post"])]
        if "include" in params:
            include = {int(i) for i in params["include"].split(",") if i}
            items = [i for i in items if i["id"] in include]
        if "search" in params:
            items = [i for i in items if params["search"].casefold()
                     in str(i.get("name", "")).casefold()]
        items.sort(key=lambda i: i["id"], reverse=params.get("order", "desc" if kind in (
            "posts", "media", "comments") else "asc") == "desc")
        per_page, page = int(params.get("per_page", 10)), int(params.get("page", 1))
        if not 1 <= per_page <= 100:
            return (*_error(400, "rest_invalid_param", "Invalid parameter(s): per_page",
                            params={"per_page": "per_page must be between 1 (inclusive) and 100 "
                                                "(inclusive)"}), {})
        pages = max(1, -(-len(items) // per_page))
        if page > pages and items:
            return (*_error(400, "rest_post_invalid_page_number",
                            "The page number requested is larger than the number of pages "
                            "available."), {})
        shown = [self._fields(i, params) for i in items[(page - 1) * per_page:page * per_page]]
        return 200, shown, {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}

    @staticmethod
    def _fields(item: dict[str, Any], params: dict[str, str]) -> dict[str, Any]:
        if "_fields" not in params:
            return item
        keep = params["_fields"].split(",")
        return {k: v for k, v in item.items() if k in keep}

    def _create(self, kind: str, store: dict[int, dict[str, Any]], body: Any,
                headers: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        ident = self.ident()
        if kind in ("tags", "categories"):
            name = html.escape(str(body.get("name", "")), quote=False)
            if not name:
                return (*_error(400, "rest_missing_callback_param",
                                "Missing parameter(s): name", params=["name"]), {})
            same = next((t for t in store.values() if t["name"].casefold() == name.casefold()),
                        None)
            if same is not None:
                return (*_error(400, "term_exists", "A term with the name provided already "
                                "exists in this taxonomy.", term_id=same["id"]), {})
            self._next -= 1
            ident = self.add_term(kind, str(body["name"]))
            return 201, store[ident], {"Location": f"{self.url}/wp-json/wp/v2/{kind}/{ident}"}
        if kind == "media":
            disposition = headers.get("Content-Disposition", "")
            found = re.search(r'filename="([^"]+)"', disposition)
            if not isinstance(body, bytes) or not body or found is None:
                return (*_error(400, "rest_upload_no_data", "No data supplied."), {})
            store[ident] = {"id": ident, "source_url":
                            f"{self.url}/wp-content/uploads/{found.group(1)}",
                            "mime_type": headers.get("Content-Type", ""), "alt_text": "",
                            "media_type": "image", "data": base64.b64encode(body).decode()}
            return 201, store[ident], {}
        if not isinstance(body, dict):
            return (*_error(400, "rest_invalid_json", "Invalid JSON body passed."), {})
        if kind == "comments":
            post = self.posts.get(int(body.get("post") or 0))
            if post is None:
                return (*_error(403, "rest_comment_invalid_post_id",
                                "Sorry, you are not allowed to create this comment without a "
                                "post."), {})
            store[ident] = {"id": ident, "post": post["id"], "parent": int(body.get("parent")
                                                                           or 0),
                            "author": 1, "author_name": self.user, "author_url": "",
                            "date": _now(), "date_gmt": _now(), "status": "approved",
                            "type": "comment", "content": {"raw": str(body.get("content", "")),
                                                           "rendered": ""}}
            return 201, store[ident], {}
        store[ident] = {"id": ident, "type": "post", "status": "draft", "title": {"raw": ""},
                        "content": {"raw": "", "protected": False}, "tags": [],
                        "categories": [], "featured_media": 0, "date_gmt": _now(),
                        "link": f"{self.url}/?p={ident}"}
        self._update(kind, store[ident], body)
        return 201, store[ident], {"Location": f"{self.url}/wp-json/wp/v2/posts/{ident}"}

    def _update(self, kind: str, item: dict[str, Any], body: Any) -> None:
        for key, value in (body if isinstance(body, dict) else {}).items():
            if key in ("title", "content") and kind == "posts":
                item[key] = {**item[key], "raw": value, "rendered": value}
            elif key in ("status", "tags", "categories", "featured_media", "date_gmt",
                         "alt_text") and key in item:
                item[key] = value
        item["modified_gmt"] = _now()
