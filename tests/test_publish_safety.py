"""Where the blog's password may go, and what a broken or hostile server cannot do: the client
against small servers on 127.0.0.x started here that misbehave on purpose (redirects to another
host, answers that are not JSON, endless or dripping answers, cut connections), and keyrings
that refuse. No WordPress needed: these run everywhere."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import keyring
import keyring.backend
import pytest
from keyring.errors import KeyringLocked

from journal.core.publish import (
    BlogService,
    BlogSettings,
    BlogUnreachable,
    PublishError,
    SecretUnavailable,
    WordPressClient,
    wordpress,
)
from journal.core.publish import secrets as secret_store
from journal.errors import ValidationError

INDEX = json.dumps({"name": "A blog", "namespaces": ["oembed/1.0", "wp/v2"]}).encode()
SECRET = "abcd EFGH ijkl MNOP"

Reply = tuple[int, dict[str, str], bytes | Iterable[bytes]]


class Server:
    """An HTTP server on ``host`` whose answers come from ``answer(method, path, body)``; it
    keeps every request it gets (method, path, headers)."""

    def __init__(self, answer: Callable[[str, str, bytes], Reply], host: str = "127.0.0.1"):
        self.answer = answer
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, *_args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.requests.append((self.command, self.path, dict(self.headers.items())))
                status, headers, data = server.answer(self.command, self.path, body)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                try:
                    for chunk in [data] if isinstance(data, bytes) else data:
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client stopped reading: that is what some tests want

            do_GET = do_POST = do_DELETE = _any  # noqa: N815

        try:
            self.httpd = ThreadingHTTPServer((host, 0), Handler)
        except OSError as exc:
            pytest.skip(f"cannot listen on {host}: {exc}")
        self.httpd.daemon_threads = True
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def servers():
    made: list[Server] = []

    def make(answer: Callable[[str, str, bytes], Reply], host: str = "127.0.0.1") -> Server:
        made.append(Server(answer, host))
        return made[-1]

    yield make
    for server in made:
        server.close()


def wordpress_index(route: Callable[[str, str, bytes], Reply]) -> Callable[[str, str, bytes],
                                                                             Reply]:
    """A server that answers the REST index like WordPress, and ``route`` for the rest."""
    def answer(method: str, path: str, body: bytes) -> Reply:
        if path == "/wp-json/":
            return 200, {"Content-Type": "application/json"}, INDEX
        return route(method, path, body)
    return answer


def json_reply(data: Any, **headers: str) -> Reply:
    return 200, {"Content-Type": "application/json", **headers}, json.dumps(data).encode()


def authorised(server: Server) -> list[str]:
    return [path for _m, path, headers in server.requests
            if any(k.lower() == "authorization" for k in headers)]


# ---------------------------------------------------------------------- where the password goes
def test_the_password_never_follows_a_redirect_to_another_host(servers):
    elsewhere = servers(lambda m, p, b: json_reply({"id": 1, "name": "caught"}), "127.0.0.2")

    def moved(method: str, path: str, body: bytes) -> Reply:
        code = 307 if method == "POST" else 302
        return code, {"Location": elsewhere.url + path}, b""

    blog = servers(wordpress_index(moved))
    client = WordPressClient(blog.url, "editor", SECRET, name="My blog")
    with pytest.raises(PublishError) as refused:
        client.get("wp/v2/users/me", context="edit")
    assert refused.value.code == "redirect"
    assert f"sent the request to another address ({elsewhere.url}/wp-json/wp/v2/users/me)" \
        in refused.value.message
    with pytest.raises(PublishError, match="does not follow it with your password"):
        client.post("wp/v2/posts", {"title": "x", "status": "publish"})
    assert elsewhere.requests == []  # neither the password nor the post went there
    assert [m for m, _p, _h in blog.requests] == ["GET", "GET", "POST"]  # no POST became a GET


def test_a_post_is_never_turned_into_a_get_by_a_redirect(servers):
    def moved(method: str, path: str, body: bytes) -> Reply:
        if method == "POST":
            return 301, {"Location": path + "&moved=1"}, b""
        return json_reply([{"id": 7}])

    blog = servers(wordpress_index(moved))
    with pytest.raises(PublishError, match="another address"):
        WordPressClient(blog.url, "editor", SECRET).post("wp/v2/tags", {"name": "Noir"})
    assert [(m, p) for m, p, _h in blog.requests][1:] == [("POST", "/wp-json/wp/v2/tags")]


def test_finding_the_api_follows_a_move_on_the_same_host_only(servers):
    def answer(method: str, path: str, body: bytes) -> Reply:
        if path == "/wp-json/":
            return 301, {"Location": "/blog/wp-json/"}, b""
        if path == "/blog/wp-json/":
            return 200, {"Content-Type": "application/json"}, INDEX
        if path.startswith("/blog/wp-json/wp/v2/users/me"):
            return json_reply({"id": 1, "name": "editor"})
        return 404, {}, b""

    blog = servers(answer)
    client = WordPressClient(blog.url, "editor", SECRET)
    assert client.get("wp/v2/users/me")["name"] == "editor"
    assert authorised(blog) == ["/blog/wp-json/wp/v2/users/me"]  # straight to the new place

    elsewhere = servers(lambda m, p, b: (200, {"Content-Type": "application/json"}, INDEX),
                        "127.0.0.2")
    moved = servers(lambda m, p, b: (301, {"Location": elsewhere.url + p}, b""))
    with pytest.raises(PublishError, match=r"another address .* add it again with its new "
                                           "address"):
        WordPressClient(moved.url, "editor", SECRET).get("wp/v2/users/me")
    assert elsewhere.requests == []


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to look up or reach a host fails the test."""
    def refuse(*args, **_kwargs):
        raise AssertionError(f"the network was used: {args[:2]}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_plain_http_to_another_computer_is_refused_before_anything_is_sent(
        journal, no_network, memory_keyring):
    with pytest.raises(ValidationError, match="plain http.*Use the blog's https address"):
        BlogService(journal).add(BlogSettings("Blog", "http://blog.example.org", "me"), SECRET,
                                 check=False)
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}
    client = WordPressClient("http://blog.example.org", "me", SECRET, name="Blog")
    with pytest.raises(PublishError) as refused:
        client.get("wp/v2/users/me")
    assert refused.value.code == "insecure"
    for local in ("http://127.0.0.1:8080", "http://localhost/blog", "http://[::1]:8080",
                  "https://blog.example.org"):
        assert BlogSettings("Blog", local, "me").cleaned().site_url == local


def test_an_address_with_a_password_in_it_is_refused(journal, journal_path, memory_keyring):
    with pytest.raises(ValidationError, match="without a user name or password in it"):
        BlogService(journal).add(BlogSettings("Blog", "https://me:hunter22@blog.example.org",
                                              "me"), SECRET, check=False)
    journal.close()
    stored = b"".join(p.read_bytes() for p in journal_path.parent.glob(journal_path.name + "*"))
    assert b"hunter22" not in stored


# ---------------------------------------------------------------------- broken or hostile answers
def test_an_answer_that_is_not_json_is_a_clear_error(servers):
    notice = b"<br />\n<b>Notice</b>:  Undefined index: x in noisy.php<br />\n{\"id\": 5}"

    def answer(method: str, path: str, body: bytes) -> Reply:
        if "media" in path:
            return json_reply(["not", "an", "image"])
        return 201, {"Content-Type": "application/json"}, notice

    client = WordPressClient(servers(wordpress_index(answer)).url, "editor", SECRET,
                             name="My blog")
    with pytest.raises(PublishError) as failed:
        client.post("wp/v2/tags", {"name": "Noir"})
    assert failed.value.code == "not_json"
    assert "not JSON (a plugin or PHP printing warnings?): “<br /> <b>Notice</b>" \
        in failed.value.message
    assert "the blog may or may not have done it" in failed.value.message
    with pytest.raises(PublishError, match="did not answer with the uploaded image"):
        client.upload(b"\x89PNG", "poster.png", "image/png")


def test_a_server_that_does_not_say_who_the_user_is_is_not_added(journal, servers,
                                                                 memory_keyring):
    blog = servers(wordpress_index(lambda m, p, b: json_reply([])))
    with pytest.raises(PublishError, match="did not say who the user is"):
        BlogService(journal).add(BlogSettings("Blog", blog.url, "editor"), SECRET)
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}


def test_a_dripping_answer_is_cut_at_the_deadline(servers):
    def drip(method: str, path: str, body: bytes) -> Reply:
        def chunks():
            yield b"["
            end = time.monotonic() + 6
            while time.monotonic() < end:
                yield b" "
                time.sleep(0.05)
            yield b"]"
        return 200, {"Content-Type": "application/json"}, chunks()

    client = WordPressClient(servers(wordpress_index(drip)).url, "editor", SECRET, timeout=5,
                             name="My blog")
    client.deadline = 1.0
    started = time.monotonic()
    with pytest.raises(BlogUnreachable, match="My blog is too slow"):
        client.get("wp/v2/posts")
    assert time.monotonic() - started < 4


def test_a_huge_answer_is_refused(servers):
    big = b'["' + b"x" * (wordpress.MAX_ANSWER + 10) + b'"]'
    client = WordPressClient(servers(wordpress_index(lambda m, p, b: (200, {}, big))).url,
                             "editor", SECRET, name="My blog")
    with pytest.raises(PublishError, match="larger than 8 MB; stopped reading it"):
        client.get("wp/v2/posts")


def test_a_collection_that_never_ends_is_cut(servers, monkeypatch):
    monkeypatch.setattr(wordpress, "MAX_PAGES", 5, raising=False)
    pages: list[str] = []

    def endless(method: str, path: str, body: bytes) -> Reply:
        pages.append(path)
        items = [{"id": n, "name": f"tag {n}"} for n in range(100)] if len(pages) < 30 else []
        return json_reply(items, **{"X-WP-TotalPages": "999999999"})

    client = WordPressClient(servers(wordpress_index(endless)).url, "editor", SECRET)
    with pytest.raises(PublishError, match="more than 500 items"):
        list(client.pages("wp/v2/tags"))
    assert len(pages) == 5


@pytest.mark.parametrize("garbage", [
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[1, 2",
    b"HELLO THERE\r\n\r\n",
])
def test_a_connection_cut_or_garbled_is_one_clear_error(garbage):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def serve() -> None:
        for _ in range(2):
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            data = conn.recv(65536)
            conn.sendall(INDEX_ANSWER if b"GET /wp-json/ " in data else garbage)
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    try:
        client = WordPressClient(f"http://127.0.0.1:{port}", "editor", SECRET, timeout=5,
                                 name="My blog")
        with pytest.raises(BlogUnreachable, match="Cannot reach My blog"):
            client.post("wp/v2/posts", {"title": "x"})
    finally:
        listener.close()


INDEX_ANSWER = (b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + str(len(INDEX)).encode() + b"\r\n\r\n" + INDEX)


# ---------------------------------------------------------------------- keyrings that refuse
class RefusingKeyring(keyring.backend.KeyringBackend):
    """A real backend in every way, but locked (KeyringLocked) or broken (any other error, as
    D-Bus or a dismissed unlock prompt raise)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.mark.parametrize("error", [
    KeyringLocked("Failed to unlock the collection!"),
    RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown"),
    ValueError(f"cannot store {SECRET}"),  # an error that repeats the secret
])
def test_a_keyring_that_is_locked_or_broken_stores_nothing_and_says_so(journal, journal_path,
                                                                       error):
    before = keyring.get_keyring()
    keyring.set_keyring(RefusingKeyring(error))
    try:
        with pytest.raises(SecretUnavailable) as refused:
            BlogService(journal).add(BlogSettings("Blog", "https://blog.example.org", "me"),
                                     SECRET, check=False)
        assert refused.value.message.startswith("The system keyring refused to store the "
                                                "password (")
        assert SECRET not in refused.value.message
        assert BlogService(journal).list() == []
        with pytest.raises(SecretUnavailable, match="could not be read .*unlock it"):
            secret_store.load("wordpress", "https://blog.example.org", "me", "keyring", "Blog")
        secret_store.forget("wordpress", "https://blog.example.org", "me", "keyring")  # quiet
    finally:
        keyring.set_keyring(before)
    journal.close()
    stored = b"".join(p.read_bytes() for p in journal_path.parent.glob(journal_path.name + "*"))
    assert SECRET.encode() not in stored


def test_the_plain_text_file_is_made_private_again(tmp_path):
    secret_store.store("wordpress", "https://blog.example.org", "me", SECRET, "file")
    path = secret_store.secrets_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)  # restored from a backup, copied with another tool…
    assert secret_store.load("wordpress", "https://blog.example.org", "me", "file",
                             "Blog") == SECRET
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_window_offers_the_file_when_the_keyring_refuses(qtbot, journal, servers):
    """The keyring looked usable (the box was hidden) but refused at Save: the box appears."""
    from PySide6.QtCore import Qt

    from journal.ui.blog_settings import BlogDialog
    from journal.ui.errors import ErrorReporter

    def answer(method: str, path: str, body: bytes) -> Reply:
        return json_reply({"id": 1, "name": "editor", "capabilities": {"publish_posts": True}})

    blog = servers(wordpress_index(answer))
    before = keyring.get_keyring()
    keyring.set_keyring(RefusingKeyring(KeyringLocked("Failed to unlock the collection!")))
    try:
        errors = ErrorReporter()
        errors.dialogs_enabled = False
        dialog = BlogDialog(journal, errors)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not dialog.plain.isVisible()
        dialog.name.setText("Blog")
        dialog.url.setText(blog.url)
        dialog.user.setText("editor")
        dialog.password.setText(SECRET)
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "refused to store" in dialog.message.text(), timeout=10000)
        assert dialog.plain.isVisible() and dialog.isVisible()
        assert BlogService(journal).list() == []
    finally:
        keyring.set_keyring(before)
