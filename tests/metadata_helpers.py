"""A local stand-in for Wikidata, Wikimedia Commons and TMDb, on 127.0.0.1, for tests and benches.

It answers the requests Eyelights makes with the response files in ``tests/data/metadata`` —
written for the tests in the formats the services document (Wikibase JSON for ``wbsearchentities``
/ ``wbgetentities`` / ``list=search``; TMDb's ``/search/movie``, ``/movie/{id}`` with ``credits``
and ``external_ids`` appended, ``/find/{id}``, ``/configuration``) — or, for the benches, with
films made up from the title asked for (``SyntheticTmdb``). ``faults`` inject what the real
services do on a bad day: 429 with Retry-After, 500s, slow answers, malformed JSON.

Nothing here reaches the internet: the real clients are pointed at this server through
``EYELIGHTS_WIKIDATA_API``, ``EYELIGHTS_TMDB_API``, ``EYELIGHTS_TMDB_IMAGES`` and
``EYELIGHTS_COMMONS_FILES``.
"""

from __future__ import annotations

import json
import re
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DATA = Path(__file__).resolve().parent / "data" / "metadata"
PORTS = range(18600, 18700)
TMDB_KEY = "test-key-0123456789abcdef"
COMMONS_FILES = {"Mirror poster.jpg": "mirror-commons.jpg",
                 "Nosferatu 1922 poster.png": "tall-commons.png"}
TMDB_ERRORS = {
    401: {"status_code": 7, "status_message": "Invalid API key: You must be granted a valid key.",
          "success": False},
    404: {"success": False, "status_code": 34,
          "status_message": "The resource you requested could not be found."},
    429: {"success": False, "status_code": 25,
          "status_message": "Your request count (#) is over the allowed limit of (40)."},
}


def slug(text: str) -> str:
    from journal.core.values import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-")


@dataclass
class Fault:
    """Answer requests whose path+query contains ``where`` this way, ``times`` times."""

    where: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay: float = 0.0
    times: int = 1
    hits: int = 0


@dataclass
class Request:
    at: float
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class FixtureData:
    """The response files of tests/data/metadata."""

    def __init__(self, root: Path = DATA) -> None:
        self.root = root
        self.entities = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                         for p in (root / "wikidata" / "entities").glob("*.json")}
        self.movies = {p.stem: json.loads(p.read_text(encoding="utf-8"))
                       for p in (root / "tmdb" / "movie").glob("*.json")}

    # wikidata
    def wb_search(self, term: str) -> dict[str, Any]:
        path = self.root / "wikidata" / "search" / f"{slug(term)}.json"
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        return {"searchinfo": {"search": term}, "search": [], "success": 1}

    def wb_entity(self, qid: str) -> dict[str, Any] | None:
        return self.entities.get(qid)

    def wb_statement(self, prop: str, value: str) -> list[str]:
        out = []
        for qid, entity in sorted(self.entities.items()):
            for statement in entity.get("claims", {}).get(prop, []):
                if statement["mainsnak"].get("datavalue", {}).get("value") == value:
                    out.append(qid)
        return out

    # tmdb
    def tmdb_search(self, query: str, year: str | None) -> dict[str, Any]:
        path = self.root / "tmdb" / "search" / f"{slug(query)}.json"
        data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {
            "page": 1, "results": [], "total_pages": 0, "total_results": 0}
        if year:
            data["results"] = [r for r in data["results"]
                               if str(r.get("release_date", "")).startswith(year)]
            data["total_results"] = len(data["results"])
        return data

    def tmdb_movie(self, movie_id: str, language: str) -> dict[str, Any] | None:
        lang = language.split("-")[0]
        return self.movies.get(f"{movie_id}.{lang}") or self.movies.get(movie_id)

    def tmdb_find(self, value: str, source: str) -> list[dict[str, Any]]:
        out = []
        for key, movie in sorted(self.movies.items()):
            if "." in key:
                continue
            ids = {"imdb_id": movie.get("imdb_id"),
                   "wikidata_id": movie.get("external_ids", {}).get("wikidata_id")}
            if ids.get(source) == value:
                out.append({k: movie[k] for k in ("id", "title", "original_title",
                                                  "release_date", "poster_path", "overview")})
        return out

    def image(self, name: str) -> bytes | None:
        path = self.root / "images" / name
        return path.read_bytes() if path.is_file() else None


def tiny_png(seed: int, width: int = 100, height: int = 150) -> bytes:
    """A small PNG of one colour made from ``seed`` (distinct bytes per film, no Qt needed)."""
    r, g, b = (seed * 67) % 256, (seed * 131) % 256, (seed * 197) % 256
    row = b"\x00" + bytes((r, g, b)) * width
    raw = zlib.compress(row * height, 6)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + str(seed).encode())  # distinct bytes per seed
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


class SyntheticTmdb(FixtureData):
    """Every title searched is one film (the year asked, a director, three actors, a poster)."""

    def __init__(self) -> None:
        super().__init__()
        self._by_id: dict[str, tuple[str, str | None]] = {}
        self._lock = threading.Lock()

    def tmdb_search(self, query: str, year: str | None) -> dict[str, Any]:
        movie_id = str(100000 + (zlib.crc32(f"{query}|{year}".encode()) % 8_000_000))
        with self._lock:
            self._by_id[movie_id] = (query, year)
        date = f"{year or 1990}-06-01"
        hit = {"adult": False, "backdrop_path": None, "genre_ids": [18], "id": int(movie_id),
               "original_language": "en", "original_title": query, "overview": f"About {query}.",
               "popularity": 1.0, "poster_path": f"/{movie_id}.png", "release_date": date,
               "title": query, "video": False, "vote_average": 7.0, "vote_count": 10}
        return {"page": 1, "results": [hit], "total_pages": 1, "total_results": 1}

    def tmdb_movie(self, movie_id: str, language: str) -> dict[str, Any] | None:
        with self._lock:
            known = self._by_id.get(movie_id)
        if known is None:
            return None
        title, year = known
        n = int(movie_id)
        people = [f"Person {n % 997} {k}" for k in range(4)]
        return {"adult": False, "genres": [{"id": 18, "name": "Drama"}], "id": n,
                "imdb_id": f"tt{n:08d}", "original_language": "en", "original_title": title,
                "overview": f"A synopsis of {title}, a film of {year or 'some year'}.",
                "poster_path": f"/{movie_id}.png", "release_date": f"{year or 1990}-06-01",
                "runtime": 80 + n % 60, "title": title,
                "production_countries": [{"iso_3166_1": "FR", "name": "France"}],
                "credits": {"cast": [{"name": p, "character": f"Role {i}", "order": i}
                                     for i, p in enumerate(people[1:])],
                            "crew": [{"name": people[0], "job": "Director",
                                      "department": "Directing"}]},
                "external_ids": {"imdb_id": f"tt{n:08d}", "wikidata_id": None}}

    def image(self, name: str) -> bytes | None:
        stem = name.split(".")[0]
        return tiny_png(int(stem)) if stem.isdigit() else super().image(name)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: MetadataServer

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold every answer for ~40 ms
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.server.record(Request(time.monotonic(), parts.path, query, dict(self.headers)))
        fault = self.server.fault_for(self.path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.body is not None or fault.status != 200:
                body = fault.body if fault.body is not None else json.dumps(
                    TMDB_ERRORS.get(fault.status, {"error": "injected"})).encode()
                return self._send(fault.status, body, headers=fault.headers)
        try:
            status, body, mime = self.server.answer(parts.path, query, dict(self.headers))
        except Exception as exc:  # a bug in the stand-in: make it loud
            status, body, mime = 599, str(exc).encode(), "text/plain"
        self._send(status, body, mime)

    def _send(self, status: int, body: bytes, mime: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", mime + ("; charset=utf-8" if "json" in mime else ""))
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class MetadataServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, data: FixtureData | None = None) -> None:
        self.data = data or FixtureData()
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        last: OSError | None = None
        for port in PORTS:
            try:
                super().__init__(("127.0.0.1", port), _Handler)
                break
            except OSError as exc:
                last = exc
        else:  # pragma: no cover
            raise RuntimeError(f"no free port in {PORTS}: {last}")
        self.port = self.server_address[1]
        # polled every 50 ms, not 0.5 s: stopping it (every test that uses it) waits that long
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> MetadataServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environ(self) -> dict[str, str]:
        return {"EYELIGHTS_WIKIDATA_API": f"{self.base}/w/api.php",
                "EYELIGHTS_TMDB_API": f"{self.base}/3",
                "EYELIGHTS_TMDB_IMAGES": f"{self.base}/t/p/",
                "EYELIGHTS_COMMONS_FILES": f"{self.base}/wiki/Special:FilePath/"}

    # ------------------------------------------------------------------ bookkeeping
    def record(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def fault_for(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.where in unquote(path) and fault.hits < fault.times:
                    fault.hits += 1
                    return fault
        return None

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.faults.clear()

    # ------------------------------------------------------------------ answers
    def answer(self, path: str, query: dict[str, str],
               headers: dict[str, str]) -> tuple[int, bytes, str]:
        if path == "/w/api.php":
            return self._wikidata(query)
        if path.startswith("/wiki/Special:FilePath/"):
            name = COMMONS_FILES.get(unquote(path.rsplit("/", 1)[1]).replace("_", " "))
            data = self.data.image(name) if name else None
            if data is None:
                return 404, b"Not found", "text/html"
            return 200, data, "image/png" if name.endswith(".png") else "image/jpeg"
        if path.startswith("/t/p/"):
            data = self.data.image(path.rsplit("/", 1)[1])
            if data is None:
                return 404, b"Not found", "text/html"
            return 200, data, "image/png" if path.endswith(".png") else "image/jpeg"
        if path.startswith("/3/"):
            return self._tmdb(path[2:], query, headers)
        return 404, b'{"error": "no such path"}', "application/json"

    @staticmethod
    def _json(data: Any, status: int = 200) -> tuple[int, bytes, str]:
        return status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json"

    def _wikidata(self, q: dict[str, str]) -> tuple[int, bytes, str]:
        action = q.get("action")
        if action == "wbsearchentities":
            return self._json(self.data.wb_search(q.get("search", "")))
        if action == "wbgetentities":
            props = q.get("props", "").split("|")
            langs = set(q.get("languages", "en").split("|"))
            out = {}
            for qid in q.get("ids", "").split("|"):
                entity = self.data.wb_entity(qid)
                if entity is None:
                    out[qid] = {"id": qid, "missing": ""}
                    continue
                kept = {k: v for k, v in entity.items()
                        if k not in ("labels", "descriptions", "aliases", "claims", "sitelinks")}
                for prop in ("labels", "descriptions", "aliases"):
                    if prop in props:
                        kept[prop] = {k: v for k, v in entity.get(prop, {}).items() if k in langs}
                if "claims" in props:
                    kept["claims"] = entity.get("claims", {})
                out[qid] = kept
            return self._json({"entities": out, "success": 1})
        if action == "query" and q.get("list") == "search":
            match = re.match(r"haswbstatement:(P\d+)=(.+)$", q.get("srsearch", ""))
            qids = self.data.wb_statement(match.group(1), match.group(2)) if match else []
            return self._json({"batchcomplete": "", "query": {
                "searchinfo": {"totalhits": len(qids)},
                "search": [{"ns": 0, "title": qid, "pageid": 1000000 + int(qid[1:]), "size": 50000,
                            "wordcount": 0, "snippet": "", "timestamp": "2025-11-02T10:15:00Z"}
                           for qid in qids]}})
        return self._json({"error": {"code": "badvalue", "info": f"Unrecognized value for "
                                                                 f"parameter \"action\": {action}."}})

    def _tmdb(self, path: str, q: dict[str, str],
              headers: dict[str, str]) -> tuple[int, bytes, str]:
        auth = {k.lower(): v for k, v in headers.items()}.get("authorization", "")
        if q.get("api_key") != TMDB_KEY and auth != f"Bearer {TMDB_KEY}":
            return self._json(TMDB_ERRORS[401], 401)
        language = q.get("language", "en-US")
        if path == "/configuration":
            return self._json(json.loads((DATA / "tmdb" / "configuration.json").read_text()))
        if path == "/search/movie":
            return self._json(self.data.tmdb_search(q.get("query", ""), q.get("year")))
        match = re.match(r"^/movie/(\d+)$", path)
        if match:
            movie = self.data.tmdb_movie(match.group(1), language)
            return self._json(movie) if movie else self._json(TMDB_ERRORS[404], 404)
        match = re.match(r"^/find/(.+)$", path)
        if match:
            found = self.data.tmdb_find(unquote(match.group(1)), q.get("external_source", ""))
            return self._json({"movie_results": found, "person_results": [], "tv_results": [],
                               "tv_episode_results": [], "tv_season_results": []})
        return self._json(TMDB_ERRORS[404], 404)


def main() -> None:
    """``python tests/metadata_helpers.py [--synthetic]``: serve until killed (benches run the
    stand-in in its own process, so its work never competes with the app's threads)."""
    import sys

    server = MetadataServer(SyntheticTmdb() if "--synthetic" in sys.argv else None)
    print(json.dumps(server.environ()), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
