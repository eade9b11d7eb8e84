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
                              capture_output=True, text=True, timeout=120)
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

    def export(self, out: Path) -> Path:
        """The blog's own WXR export (WordPress's export_wp() through php-cli)."""
        subprocess.run(["sh", str(SCRIPT), "export", str(self.folder), str(out)], check=True,
                       capture_output=True, timeout=120)
        return out


def start_site(folder: Path) -> WordPressSite:
    return WordPressSite(folder, free_port()).start()
