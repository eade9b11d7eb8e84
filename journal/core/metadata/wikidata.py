"""Wikidata through its Action API (``w/api.php``): no account, no key.

* ``wbsearchentities`` finds items whose label or alias matches a title;
* ``wbgetentities`` reads them (labels, descriptions, claims) — the hits that are not films are
  dropped — and, in batches of 50, the labels of the people, genres and countries they name;
* ``list=search`` with ``haswbstatement:P345=tt…`` finds the item that carries an IMDb, TMDb
  (P4947) or Letterboxd (P6127) id.

Claims read: P31 instance of (film or not, short, series), P1476 title (the original title),
P577 publication date (the year: the earliest), P57 director, P161 cast member (qualifiers P453
character / P4633 character name, P1545 order), P136 genre, P495 country of origin, P2047
duration, P345 IMDb, P4947 TMDb movie, P6127 Letterboxd film, P3383 film poster / P18 image
(files on Wikimedia Commons, fetched through ``Special:FilePath`` at a bounded width).

Wikidata has no synopses, and posters only for films whose poster is a free file (mostly old
films): TMDb has both (docs/catalogue.md).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import BadResponse, ServiceFailed
from journal.core.metadata.http import Cancel, HttpClient
from journal.core.metadata.record import TOP_CAST, Candidate, CastMember, FilmRecord

DEFAULT_API = "https://www.wikidata.org/w/api.php"
DEFAULT_COMMONS_FILES = "https://commons.wikimedia.org/wiki/Special:FilePath/"
SERVICE = "Wikidata"

#: Classes whose instances are films (P31). Items with a director and a date count too.
FILM_CLASSES = frozenset({
    "Q11424", "Q24862", "Q506240", "Q202866", "Q226730", "Q93204", "Q24869", "Q229390",
    "Q20650540", "Q17123180", "Q118189123", "Q1259759", "Q5398426", "Q130232", "Q645928",
    "Q21191270", "Q431289", "Q1054574", "Q2484376", "Q20667187", "Q17517379", "Q29168811",
})
SHORT_CLASSES = frozenset({"Q24862"})
SERIES_CLASSES = frozenset({"Q5398426", "Q1259759", "Q21191270"})
MINUTE, SECOND, HOUR = "Q7727", "Q11574", "Q25235"
LABEL_BATCH = 50
POSTER_WIDTH = 500
THUMB_WIDTH = 92
_QID = re.compile(r"^Q[1-9][0-9]*$")
_LETTERBOXD_SLUG = re.compile(r"letterboxd\.com/film/([^/?#]+)", re.IGNORECASE)


def letterboxd_slug(uri: str | None) -> str | None:
    """``her`` from ``https://letterboxd.com/film/her/``; None for a ``boxd.it`` short link."""
    match = _LETTERBOXD_SLUG.search(uri or "")
    return match.group(1) if match else None


def _value(snak: Any) -> Any:
    """A snak's (or qualifier's) value; None when it has none or is not what Wikibase says."""
    datavalue = snak.get("datavalue") if isinstance(snak, dict) else None
    return datavalue.get("value") if isinstance(datavalue, dict) else None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _statements(claims: dict[str, Any], prop: str) -> list[dict[str, Any]]:
    """A property's statements with a value (deprecated ones left out)."""
    return [s for s in _list(claims.get(prop)) if isinstance(s, dict)
            and s.get("rank") != "deprecated"
            and _dict(s.get("mainsnak")).get("snaktype") == "value"]


def _values(claims: dict[str, Any], prop: str) -> list[Any]:
    """The values of a property's statements (deprecated ones left out; preferred first)."""
    statements = sorted(_statements(claims, prop),
                        key=lambda s: 0 if s.get("rank") == "preferred" else 1)
    return [_value(s["mainsnak"]) for s in statements]


def _qualifiers(statement: dict[str, Any], prop: str) -> list[Any]:
    return [_value(q) for q in _list(_dict(statement.get("qualifiers")).get(prop))]


def _item_id(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    if isinstance(value, dict) and "numeric-id" in value:
        return f"Q{value['numeric-id']}"
    return None


def _year(value: Any) -> int | None:
    if not isinstance(value, dict) or int(value.get("precision", 0)) < 9:
        return None
    match = re.match(r"^([+-])(\d+)-", str(value.get("time", "")))
    if not match or match.group(1) == "-":
        return None
    year = int(match.group(2))
    return year if 1850 <= year <= 2200 else None


def _minutes(value: Any) -> int | None:
    if not isinstance(value, dict):
        return None
    try:
        amount = float(str(value.get("amount", "")).lstrip("+"))
    except ValueError:
        return None
    unit = str(value.get("unit", "")).rsplit("/", 1)[-1]
    factor = {MINUTE: 1.0, SECOND: 1 / 60, HOUR: 60.0}.get(unit)
    if factor is None or amount <= 0:
        return None
    return max(1, round(amount * factor))


class WikidataSource:
    name = "wikidata"
    label = SERVICE

    def __init__(self, *, language: str = "en", cache: ResponseCache | None = None,
                 cancel: Cancel | None = None, polite: bool = False,
                 api: str | None = None, commons: str | None = None,
                 **http_options: Any) -> None:
        self.api = api or os.environ.get("EYELIGHTS_WIKIDATA_API") or DEFAULT_API
        self.commons = (commons or os.environ.get("EYELIGHTS_COMMONS_FILES")
                        or DEFAULT_COMMONS_FILES)
        self.language = (language or "en").split("-")[0].split("_")[0].lower() or "en"
        self.languages = list(dict.fromkeys([self.language, "en", "mul"]))
        self.cache = cache
        #: Bulk runs ask with ``maxlag=5``: Wikidata then says when its servers lag, and we wait.
        self.polite = polite
        self.http = HttpClient(SERVICE, cache=cache, cancel=cancel, busy=self._lagging,
                               **http_options)
        self._labels: dict[str, str] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ requests
    @staticmethod
    def _lagging(data: Any) -> bool:
        return isinstance(data, dict) and isinstance(data.get("error"), dict) \
            and data["error"].get("code") == "maxlag"

    def _call(self, **params: Any) -> dict[str, Any]:
        params = {"format": "json", **params}
        if self.polite:
            params["maxlag"] = 5
        data = self.http.get_json(self.api, params)
        if not isinstance(data, dict):
            raise BadResponse(SERVICE, "Wikidata sent an answer its API does not document "
                                       "(not a JSON object); try again later.")
        if isinstance(data.get("error"), dict):
            error = data["error"]
            said = str(error.get("info") or error.get("code")).rstrip(". ")  # info ends in "."
            raise ServiceFailed(SERVICE, f"Wikidata refused the request: {said}.")
        return data

    def _entities(self, ids: list[str], props: str) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for start in range(0, len(ids), LABEL_BATCH):
            batch = ids[start:start + LABEL_BATCH]
            data = self._call(action="wbgetentities", ids="|".join(batch), props=props,
                              languages="|".join(self.languages))
            entities = data.get("entities")
            if not isinstance(entities, dict):
                raise BadResponse(SERVICE, "Wikidata's wbgetentities answer has no entities.")
            for entity in entities.values():
                if isinstance(entity, dict) and "missing" not in entity and entity.get("id"):
                    found[entity["id"]] = entity
                    redirect = entity.get("redirects")
                    if isinstance(redirect, dict) and isinstance(redirect.get("from"), str):
                        found[redirect["from"]] = entity
        return found

    def _pick_label(self, entity: dict[str, Any]) -> str | None:
        labels = _dict(entity.get("labels"))
        for lang in self.languages:
            value = labels.get(lang, {}).get("value") if isinstance(labels.get(lang), dict) \
                else None
            if value:
                return str(value)
        for label in labels.values():
            if isinstance(label, dict) and label.get("value"):
                return str(label["value"])
        return None

    def labels(self, qids: Iterable[str]) -> dict[str, str]:
        """Labels of items, each asked for once (kept in memory and in the response cache)."""
        wanted = [q for q in dict.fromkeys(qids) if q and _QID.match(q)]
        out: dict[str, str] = {}
        missing = []
        for qid in wanted:
            with self._lock:
                known = self._labels.get(qid)
            if known is None and self.cache is not None:
                hit = self.cache.get(f"wikidata-label:{self.language}:{qid}")
                known = hit[1].decode("utf-8") if hit else None
            if known is None:
                missing.append(qid)
            else:
                out[qid] = known
        if missing:
            entities = self._entities(missing, "labels")
            for qid in missing:
                entity = entities.get(qid)
                label = self._pick_label(entity) if entity else None
                if label is None:
                    continue
                out[qid] = label
                with self._lock:
                    self._labels[qid] = label
                if self.cache is not None:
                    self.cache.put(f"wikidata-label:{self.language}:{qid}", "text/plain",
                                   label.encode("utf-8"))
        return out

    # ------------------------------------------------------------------ records
    @staticmethod
    def is_film(entity: dict[str, Any]) -> bool:
        claims = _dict(entity.get("claims"))
        classes = {_item_id(v) for v in _values(claims, "P31")}
        if classes & FILM_CLASSES:
            return True
        return bool(_values(claims, "P57")) and bool(_values(claims, "P577") or
                                                      _values(claims, "P345"))

    @staticmethod
    def _referenced(entity: dict[str, Any]) -> list[str]:
        claims = _dict(entity.get("claims"))
        ids = [_item_id(v) for prop in ("P57", "P136", "P495") for v in _values(claims, prop)]
        for statement in _statements(claims, "P161")[:TOP_CAST]:
            ids.append(_item_id(_value(statement["mainsnak"])))
            ids += [_item_id(value) for value in _qualifiers(statement, "P453")]
        return [i for i in ids if i]

    def _file_url(self, name: str, width: int) -> str:
        return f"{self.commons}{quote(name.replace(' ', '_'))}?width={width}"

    def _record(self, entity: dict[str, Any], labels: dict[str, str]) -> FilmRecord:
        claims = _dict(entity.get("claims"))
        qid = str(entity["id"])

        def names(prop: str) -> list[str]:
            out = []
            for value in _values(claims, prop):
                label = labels.get(_item_id(value) or "")
                if label and label not in out:
                    out.append(label)
            return out

        cast = []
        for index, statement in enumerate(_statements(claims, "P161")[:TOP_CAST]):
            person = labels.get(_item_id(_value(statement["mainsnak"])) or "")
            if not person:
                continue
            character = next((v for v in _qualifiers(statement, "P4633")
                              if isinstance(v, str) and v), None)
            for value in _qualifiers(statement, "P453"):
                character = character or labels.get(_item_id(value) or "")
            order = index
            for value in _qualifiers(statement, "P1545"):
                text = str(value or "")
                order = int(text) - 1 if text.isdigit() and int(text) > 0 else order
            cast.append(CastMember(person, character, order))
        cast.sort(key=lambda c: c.order)
        cast = [CastMember(c.name, c.character, i) for i, c in enumerate(cast)]
        years = [y for y in (_year(v) for v in _values(claims, "P577")) if y]
        titles = [v for v in _values(claims, "P1476") if isinstance(v, dict) and v.get("text")]
        original = str(titles[0]["text"]) if titles else None
        title = self._pick_label(entity) or original or qid
        runtime = next((m for m in (_minutes(v) for v in _values(claims, "P2047")) if m), None)
        classes = {_item_id(v) for v in _values(claims, "P31")}
        kind = ("short" if classes & SHORT_CLASSES else "series" if classes & SERIES_CLASSES
                else "feature" if classes & FILM_CLASSES else None)
        files = [v for p in ("P3383", "P18") for v in _values(claims, p) if isinstance(v, str)]
        slug = next((v for v in _values(claims, "P6127") if isinstance(v, str)), None)
        return FilmRecord(
            source=self.name, key=qid, title=title,
            original_title=original if original and original != title else None,
            year=min(years) if years else None, directors=names("P57"), cast=cast,
            genres=names("P136"), countries=names("P495"), runtime_minutes=runtime,
            poster_url=self._file_url(files[0], POSTER_WIDTH) if files else None,
            wikidata_id=qid,
            imdb_id=next((v for v in _values(claims, "P345")
                          if isinstance(v, str) and v.startswith("tt")), None),
            tmdb_id=next((str(v) for v in _values(claims, "P4947") if isinstance(v, str)), None),
            letterboxd_uri=f"https://letterboxd.com/film/{slug}/" if slug else None, kind=kind)

    def _records(self, entities: list[dict[str, Any]]) -> list[FilmRecord]:
        labels = self.labels(q for e in entities for q in self._referenced(e))
        return [self._record(e, labels) for e in entities]

    # ------------------------------------------------------------------ Source
    def search(self, title: str, year: int | None = None, *, limit: int = 8,
               details: int = 5) -> list[Candidate]:
        """Every candidate carries its whole record (``details`` is for TMDb's sake)."""
        title = " ".join(title.split())
        if not title:
            return []
        data = self._call(action="wbsearchentities", search=title, language=self.language,
                          uselang=self.language, type="item", limit=20)
        hits = data.get("search")
        if not isinstance(hits, list):
            raise BadResponse(SERVICE, "Wikidata's search answer has no list of results.")
        ids = [h["id"] for h in hits if isinstance(h, dict) and _QID.match(str(h.get("id", "")))]
        if not ids:
            return []
        entities = self._entities(ids, "labels|descriptions|claims")
        films = [entities[i] for i in ids if i in entities and self.is_film(entities[i])]
        descriptions = {h["id"]: str(h.get("description") or "") for h in hits
                        if isinstance(h, dict) and "id" in h}
        out = []
        for record, entity in zip(self._records(films[:limit]), films[:limit], strict=True):
            claims = _dict(entity.get("claims"))
            files = [v for p in ("P3383", "P18") for v in _values(claims, p) if isinstance(v, str)]
            out.append(Candidate(
                source=self.name, key=record.key, title=record.title, year=record.year,
                directors=record.directors, original_title=record.original_title,
                description=descriptions.get(record.key, ""),
                thumbnail_url=self._file_url(files[0], THUMB_WIDTH) if files else None,
                record=record))
        return out

    def details(self, key: str) -> FilmRecord | None:
        if not _QID.match(key or ""):
            return None
        entities = self._entities([key], "labels|descriptions|claims")
        entity = entities.get(key)
        if entity is None:
            return None
        return self._records([entity])[0]

    def _by_statement(self, prop: str, value: str) -> str | None:
        if not re.match(r"^[\w.\-]+$", value):
            return None
        data = self._call(action="query", list="search", srsearch=f"haswbstatement:{prop}={value}",
                          srnamespace=0, srlimit=3)
        hits = (data.get("query") or {}).get("search")
        if not isinstance(hits, list):
            raise BadResponse(SERVICE, "Wikidata's search answer has no list of results.")
        titles = [str(h.get("title", "")) for h in hits if isinstance(h, dict)]
        qids = [t for t in titles if _QID.match(t)]
        return qids[0] if len(qids) == 1 else None

    def find_by_ids(self, *, wikidata_id: str | None = None, imdb_id: str | None = None,
                    tmdb_id: str | None = None,
                    letterboxd_uri: str | None = None) -> FilmRecord | None:
        qid = wikidata_id if wikidata_id and _QID.match(wikidata_id) else None
        for prop, value in (("P345", imdb_id), ("P4947", tmdb_id),
                            ("P6127", letterboxd_slug(letterboxd_uri))):
            if qid is None and value:
                qid = self._by_statement(prop, str(value).strip())
        return self.details(qid) if qid else None

    def fetch_image(self, url: str) -> tuple[str, bytes]:
        return self.http.get_bytes(url)
