"""A real WordPress on 127.0.0.1 for the publishing tests (``tools/wordpress-test-server.sh``),
and a keyring backend the tests control."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import keyring.backend

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "wordpress-test-server.sh"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring the tests own: secrets in a dict (and nowhere on disk)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def free_port() -> int:
    wanted = os.environ.get("EYELIGHTS_WP_PORT")
    if wanted:
        return int(wanted)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Unavailable(Exception):
    """WordPress cannot be installed here (the reason is the message)."""


class WordPressSite:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"http://127.0.0.1:{port}"
        self.user = self.password = ""

    # ------------------------------------------------------------------ life
    def start(self) -> WordPressSite:
        done = subprocess.run(["sh", str(SCRIPT), "install"], capture_output=True, text=True,
                              timeout=600)
        if done.returncode == 3:
            raise Unavailable(" ".join(done.stdout.split()))
        if done.returncode != 0:
            raise Unavailable(f"installing WordPress failed: {done.stderr.strip()[-300:]}")
        done = subprocess.run(["sh", str(SCRIPT), "start", str(self.folder), str(self.port)],
                              capture_output=True, text=True, timeout=120,
                              env={**os.environ, "EYELIGHTS_WP_OWNER": str(os.getpid())})
        if done.returncode != 0:
            raise RuntimeError(f"WordPress did not start: {done.stderr.strip()}")
        info = json.loads((self.folder / "site.json").read_text())
        self.url, self.user, self.password = info["url"], info["user"], info["password"]
        return self

    def stop(self) -> None:
        subprocess.run(["sh", str(SCRIPT), "stop", str(self.folder)], capture_output=True,
                       timeout=60)

    def is_running(self) -> bool:
        try:
            urllib.request.urlopen(self.url + "/?rest_route=/", timeout=5).close()
            return True
        except OSError:
            return False

    # ------------------------------------------------------------------ the blog's own side
    def rest(self, method: str, route: str, payload: dict[str, Any] | None = None,
             auth: bool = True) -> Any:
        """A request as another client of the blog (the user in the browser, a reader)."""
        data = json.dumps(payload).encode() if payload is not None else None
        req = urllib.request.Request(f"{self.url}/?rest_route=/{route.lstrip('/')}", data=data,
                                     method=method)
        req.add_header("Content-Type", "application/json")
        if auth:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            req.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(req, timeout=20) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {route}: {exc.code} {exc.read()[:300]!r}") from None

    def post(self, post_id: int) -> dict[str, Any]:
        return self.rest("GET", f"wp/v2/posts/{post_id}&context=edit")

    def reader_comment(self, post_id: int, author: str, text: str, parent: int = 0,
                       email: str = "reader@example.org") -> int:
        """A reader's comment, posted anonymously as through the blog's comment form."""
        made = self.rest("POST", "wp/v2/comments", {"post": post_id, "parent": parent,
                                                     "author_name": author,
                                                     "author_email": email, "content": text},
                         auth=False)
        return int(made["id"])

    def php(self, script: Path) -> subprocess.CompletedProcess:
        """Run a PHP file with WordPress loaded (its first argument is wp-load.php)."""
        return subprocess.run(["sh", str(SCRIPT), "php", str(self.folder), str(script)],
                              capture_output=True, text=True, timeout=60, check=True)

    def export(self, out: Path) -> Path:
        """The blog's own WXR export (WordPress's export_wp() through php-cli)."""
        subprocess.run(["sh", str(SCRIPT), "export", str(self.folder), str(out)], check=True,
                       capture_output=True, timeout=120)
        return out


def start_site(folder: Path) -> WordPressSite:
    return WordPressSite(folder, free_port()).start()


class FaultyProxy:
    """An HTTP proxy on 127.0.0.1 in front of the test WordPress that fails on request: the
    blog is added with ``proxy.url`` and ``proxy.fail(method, path_part, how)`` makes the next
    matching request (and, for "down", every later one) fail:

    * ``"lost"``: forwarded to WordPress (which does it), then the connection is cut without
      an answer, as when a connection drops or times out;
    * ``"down"``: not forwarded; from then on the proxy refuses connections (the site is down).
    """

    def __init__(self, target: str) -> None:
        import http.server
        import threading
        import urllib.parse

        self.target = urllib.parse.urlsplit(target)
        self.rules: list[tuple[str, str, str]] = []
        self.seen: list[tuple[str, str]] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_args: Any) -> None:
                pass

            def _any(self) -> None:
                proxy.forward(self)

            do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = _any  # noqa: N815

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def fail(self, method: str, path_part: str, how: str) -> None:
        self.rules.append((method, path_part, how))

    def forward(self, handler: Any) -> None:
        import http.client

        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else None
        self.seen.append((handler.command, handler.path))
        how = ""
        for rule in self.rules:
            if rule[0] == handler.command and rule[1] in handler.path:
                self.rules.remove(rule)
                how = rule[2]
                break
        if how == "down":  # no answer, and later connections are refused
            handler.close_connection = True
            self.server.shutdown()
            self.server.server_close()
            return
        conn = http.client.HTTPConnection(self.target.hostname, self.target.port, timeout=30)
        headers = {k: v for k, v in handler.headers.items() if k.lower() != "host"}
        headers["Host"] = self.target.netloc
        conn.request(handler.command, handler.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        if how == "lost":
            handler.close_connection = True
            return
        handler.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
