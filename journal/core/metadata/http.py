"""The HTTP client every metadata source uses: timeouts, retries, back-off, Retry-After, a
User-Agent that names the app, and the response cache.

* **Timeouts**: 5 s to connect, 20 s to read (a TMDb or Wikidata answer takes well under 1 s).
* **Retries**: a timeout, a dropped connection or an HTTP 5xx is tried again after 1, 2, 4 s
  (``backoff`` doubles, with a little jitter), then reported. No network at all (the name does
  not resolve, the connection is refused) is tried once more at once, then reported: being
  offline should say so in a second, not in a minute.
* **Rate limits**: HTTP 429 (or 503) with ``Retry-After`` — seconds or an HTTP date — waits that
  long and asks again, up to ``max_wait`` seconds per wait; a longer wait is reported instead
  ("TMDb asks to wait 10 minutes"), never slept through. ``busy`` lets a source turn an API's
  own "slow down" answer (Wikidata's ``maxlag`` error) into the same treatment.
* **Cancel**: every wait watches ``cancelled`` and stops within 0.1 s.
* **Cache**: GET answers are kept by URL (API keys removed from the key) in ``ResponseCache``.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from journal import APP_NAME, __version__
from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import (
    BadResponse,
    KeyRefused,
    LookupCancelled,
    RateLimited,
    ServiceFailed,
    ServiceTimeout,
    ServiceUnreachable,
)

log = logging.getLogger(__name__)
# httpx logs every request's URL at INFO and httpcore its steps at DEBUG: with TMDb's v3 key in
# the query string, a log set to INFO (a debug session, a test run) would keep the key.
for _name in ("httpx", "httpcore"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.WARNING)

HOMEPAGE = "https://github.com/eyelights/eyelights"
USER_AGENT = f"{APP_NAME}/{__version__} ({HOMEPAGE}) httpx/{httpx.__version__}"
#: Query parameters that are secrets: never part of a cache key, a log line or a message.
SECRET_PARAMS = frozenset({"api_key"})
MAX_BODY = 40 * 1024 * 1024


class Cancel:
    """Something with a ``cancelled`` property (``ui.bridge.CancelToken`` fits)."""

    cancelled: bool


def describe_wait(seconds: float) -> str:
    if seconds < 90:
        return f"{round(seconds)} seconds"
    if seconds < 5400:
        return f"{round(seconds / 60)} minutes"
    return f"{round(seconds / 3600)} hours"


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    low = text.lower()
    if "name resolution" in low or "name or service not known" in low or "nodename" in low \
            or "getaddrinfo" in low:
        return "its address cannot be looked up (no network connection?)"
    if "refused" in low:
        return "the connection was refused (no network, or the service is down)"
    if "unreachable" in low:
        return "the network is unreachable (no network connection?)"
    return text


class HttpClient:
    """GETs for one service (``service`` names it in every message)."""

    def __init__(self, service: str, *, cache: ResponseCache | None = None,
                 headers: Mapping[str, str] | None = None, connect_timeout: float = 5.0,
                 read_timeout: float = 20.0, retries: int = 3, backoff: float = 1.0,
                 max_wait: float = 60.0, cancel: Cancel | None = None,
                 busy: Callable[[Any], bool] | None = None) -> None:
        self.service, self.cache = service, cache
        self.retries, self.backoff, self.max_wait = retries, backoff, max_wait
        self.cancel, self.busy = cancel, busy
        self.timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            timeout=self.timeout, follow_redirects=True,
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=2))
        self._lock = threading.Lock()
        #: Requests really sent (not answered from the cache), for the summary and the benches.
        self.sent = 0

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ public
    def get_json(self, url: str, params: Mapping[str, Any] | None = None, *,
                 cache: bool = True, allow_404: bool = False) -> Any:
        """The decoded JSON answer (None for a 404 when ``allow_404``)."""
        mime, body = self._get(url, params, cache=cache, allow_404=allow_404, want_json=True)
        if body is None:
            return None
        return json.loads(body)  # checked in _get before it was cached

    def get_bytes(self, url: str, params: Mapping[str, Any] | None = None, *,
                  cache: bool = True, max_bytes: int = MAX_BODY) -> tuple[str, bytes]:
        mime, body = self._get(url, params, cache=cache, allow_404=False, want_json=False,
                               max_bytes=max_bytes)
        assert body is not None
        return mime, body

    @staticmethod
    def cache_key(url: str, params: Mapping[str, Any] | None) -> str:
        clean = sorted((k, str(v)) for k, v in (params or {}).items() if k not in SECRET_PARAMS)
        return "GET " + url + ("?" + urlencode(clean) if clean else "")

    # ------------------------------------------------------------------ the loop
    def _check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.cancelled:
            raise LookupCancelled()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            self._check_cancel()
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(0.1, left))

    def _backoff(self, attempt: int) -> float:
        return self.backoff * (2 ** attempt) * (1 + random.random() * 0.1)

    def _get(self, url: str, params: Mapping[str, Any] | None, *, cache: bool, allow_404: bool,
             want_json: bool, max_bytes: int = MAX_BODY) -> tuple[str, bytes | None]:
        key = self.cache_key(url, params)
        if cache and self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                return hit
        host = urlsplit(url).netloc
        attempt, unreachable_tries = 0, 0
        while True:
            self._check_cancel()
            try:
                status, headers, mime, body = self._send(url, params, max_bytes)
            except httpx.TimeoutException:
                if attempt < self.retries:
                    self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise ServiceTimeout(self.service, (
                    f"{self.service} did not answer in time ({host}, {attempt + 1} tries of "
                    f"{self.timeout.read:g} s); try again later.")) from None
            except (httpx.ConnectError, httpx.UnsupportedProtocol) as exc:
                if unreachable_tries < 1:
                    unreachable_tries += 1
                    self._sleep(0.2)
                    continue
                raise ServiceUnreachable(self.service, (
                    f"{self.service} cannot be reached ({host}): {_reason(exc)}.")) from None
            except httpx.HTTPError as exc:  # dropped connection, protocol error: transient
                if attempt < self.retries:
                    self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise ServiceFailed(self.service, (
                    f"{self.service} broke off the connection ({host}: {_reason(exc)}) "
                    f"{attempt + 1} times; try again later.")) from None
            wait = self._rate_limit_wait(status, headers, body, want_json)
            if wait is not None:
                if wait > self.max_wait:
                    raise RateLimited(self.service, (
                        f"{self.service} is rate-limiting requests and asks to wait "
                        f"{describe_wait(wait)}; try again later."), wait)
                if attempt >= self.retries:
                    raise RateLimited(self.service, (
                        f"{self.service} is still rate-limiting requests after {attempt + 1} "
                        "tries; try again later."), wait)
                log.info("%s: rate limited, waiting %.1f s", self.service, wait)
                self._sleep(wait)
                attempt += 1
                continue
            if status >= 500:
                if attempt < self.retries:
                    self._sleep(self._backoff(attempt))
                    attempt += 1
                    continue
                raise ServiceFailed(self.service, (
                    f"{self.service} is failing (HTTP {status} {_phrase(status)}, "
                    f"{attempt + 1} tries); try again later."))
            if status == 404 and allow_404:
                return mime, None
            if status == 401:
                raise KeyRefused(self.service, (
                    f"{self.service} refused the API key (HTTP 401{_api_message(body)}); "
                    "check it in Preferences → Catalogue."))
            if status >= 400:
                error = ServiceFailed(self.service, (
                    f"{self.service} refused the request (HTTP {status} {_phrase(status)}"
                    f"{_api_message(body)})."))
                error.transient = False
                raise error
            if want_json:
                try:
                    json.loads(body)
                except ValueError:
                    raise BadResponse(self.service, (
                        f"{self.service} sent an answer that is not valid JSON ({host}, "
                        f"{len(body):,} bytes); try again later.")) from None
            if cache and self.cache is not None:
                self.cache.put(key, mime, body)
            return mime, body

    def _rate_limit_wait(self, status: int, headers: httpx.Headers, body: bytes,
                         want_json: bool) -> float | None:
        after = parse_retry_after(headers.get("retry-after"))
        if status == 429 or (status == 503 and after is not None):
            return after if after is not None else self.backoff * 4
        if status == 200 and want_json and self.busy is not None:
            try:
                data = json.loads(body)
            except ValueError:
                return None
            if self.busy(data):
                return after if after is not None else 5.0
        return None

    def _send(self, url: str, params: Mapping[str, Any] | None,
              max_bytes: int) -> tuple[int, httpx.Headers, str, bytes]:
        with self._client.stream("GET", url, params=params) as response:
            self.sent += 1
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise BadResponse(self.service, (
                        f"{self.service} sent more than {max_bytes // 1_048_576} MB for one "
                        "answer; it was not kept."))
                chunks.append(chunk)
            mime = response.headers.get("content-type", "").split(";")[0].strip()
            return response.status_code, response.headers, mime, b"".join(chunks)


def _phrase(status: int) -> str:
    try:
        return httpx.codes.get_reason_phrase(status)
    except Exception:  # pragma: no cover - unknown code
        return ""


def _api_message(body: bytes) -> str:
    """TMDb's ``status_message`` or Wikidata's ``error.info``, when the body has one."""
    try:
        data = json.loads(body[:65536])
    except ValueError:
        return ""
    if not isinstance(data, dict):
        return ""
    text = data.get("status_message")
    if not text and isinstance(data.get("error"), dict):
        text = data["error"].get("info")
    return f": {str(text)[:200]}" if text else ""
