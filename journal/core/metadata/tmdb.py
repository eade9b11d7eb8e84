"""TMDb (The Movie Database) through its API v3, with the user's own key.

* ``/search/movie`` finds films by title (with ``year`` first when the film has one);
* ``/movie/{id}?append_to_response=credits,external_ids`` reads one film: titles, date, runtime,
  genres, countries, the synopsis (``overview``) in the user's language, the poster, the cast
  with characters and billing order, the crew (directors), the IMDb and Wikidata ids;
* ``/find/{id}?external_source=imdb_id|wikidata_id`` finds the film an id names;
* ``/configuration`` gives the images' base URL and sizes (posters are fetched at ``w500``,
  thumbnails at ``w92``).

The key is either a v3 "API key" (sent as the ``api_key`` parameter, which the cache and every
message leave out) or a v4 "API Read Access Token" (sent as ``Authorization: Bearer``).
"""

from __future__ import annotations

import os
from typing import Any

from journal.core.metadata.cache import ResponseCache
from journal.core.metadata.errors import BadResponse, KeyRefused
from journal.core.metadata.http import Cancel, HttpClient
from journal.core.metadata.record import TOP_CAST, Candidate, CastMember, FilmRecord

DEFAULT_API = "https://api.themoviedb.org/3"
DEFAULT_IMAGES = "https://image.tmdb.org/t/p/"
SERVICE = "TMDb"
POSTER_SIZE = "w500"
THUMB_SIZE = "w92"


def _year(date: Any) -> int | None:
    text = str(date or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() and text[:4] != "0000" else None


class TmdbSource:
    name = "tmdb"
    label = SERVICE

    def __init__(self, key: str, *, language: str = "en", cache: ResponseCache | None = None,
                 cancel: Cancel | None = None, api: str | None = None, images: str | None = None,
                 **http_options: Any) -> None:
        key = (key or "").strip()
        if not key:
            raise KeyRefused(SERVICE, "TMDb needs your own API key: add it in Preferences → "
                                      "Catalogue (or set EYELIGHTS_TMDB_KEY for the command "
                                      "line).")
        self.api = (api or os.environ.get("EYELIGHTS_TMDB_API") or DEFAULT_API).rstrip("/")
        self._images = images or os.environ.get("EYELIGHTS_TMDB_IMAGES")
        self.language = language or "en"
        headers, self._key_params = {}, {}
        if key.startswith("eyJ") and key.count(".") == 2:  # a v4 read access token (a JWT)
            headers["Authorization"] = f"Bearer {key}"
        else:
            self._key_params = {"api_key": key}
        self.http = HttpClient(SERVICE, cache=cache, cancel=cancel, headers=headers,
                               **http_options)

    def close(self) -> None:
        self.http.close()

    # ------------------------------------------------------------------ requests
    def _get(self, path: str, *, allow_404: bool = False, **params: Any) -> Any:
        data = self.http.get_json(f"{self.api}{path}", {**params, **self._key_params},
                                  allow_404=allow_404)
        if data is not None and not isinstance(data, dict):
            raise BadResponse(SERVICE, f"TMDb sent an answer its API does not document for "
                                       f"{path} (not a JSON object); try again later.")
        return data

    def images_base(self) -> str:
        if self._images:
            return self._images if self._images.endswith("/") else self._images + "/"
        config = self._get("/configuration")
        images = config.get("images") if isinstance(config, dict) else None
        base = images.get("secure_base_url") if isinstance(images, dict) else None
        self._images = str(base) if base else DEFAULT_IMAGES
        return self._images

    def _image(self, path: Any, size: str) -> str | None:
        if not isinstance(path, str) or not path.startswith("/"):
            return None
        return f"{self.images_base()}{size}{path}"

    # ------------------------------------------------------------------ records
    def _record(self, data: dict[str, Any]) -> FilmRecord:
        credits = data.get("credits") if isinstance(data.get("credits"), dict) else {}
        crew = [c for c in credits.get("crew", []) if isinstance(c, dict)]
        directors: list[str] = []
        for person in crew:
            if person.get("job") == "Director" and person.get("name") \
                    and person["name"] not in directors:
                directors.append(str(person["name"]))
        cast_rows = sorted((c for c in credits.get("cast", []) if isinstance(c, dict)
                            and c.get("name")), key=lambda c: int(c.get("order") or 0))
        cast = [CastMember(str(c["name"]), str(c.get("character") or "").strip() or None, i)
                for i, c in enumerate(cast_rows[:TOP_CAST])]
        external = data.get("external_ids") if isinstance(data.get("external_ids"), dict) else {}
        title = str(data.get("title") or data.get("original_title") or "").strip()
        original = str(data.get("original_title") or "").strip() or None
        runtime = data.get("runtime")
        imdb = data.get("imdb_id") or external.get("imdb_id")
        return FilmRecord(
            source=self.name, key=str(data.get("id")), title=title,
            original_title=original if original and original != title else None,
            year=_year(data.get("release_date")), directors=directors, cast=cast,
            genres=[str(g["name"]) for g in data.get("genres", []) if isinstance(g, dict)
                    and g.get("name")],
            countries=[str(c["name"]) for c in data.get("production_countries", [])
                       if isinstance(c, dict) and c.get("name")],
            runtime_minutes=int(runtime) if isinstance(runtime, int) and runtime > 0 else None,
            synopsis=str(data.get("overview") or "").strip(),
            poster_url=self._image(data.get("poster_path"), POSTER_SIZE),
            wikidata_id=str(external.get("wikidata_id") or "") or None,
            imdb_id=str(imdb) if imdb else None, tmdb_id=str(data.get("id")))

    # ------------------------------------------------------------------ Source
    def search(self, title: str, year: int | None = None, *, limit: int = 8,
               details: int = 5) -> list[Candidate]:
        title = " ".join(title.split())
        if not title:
            return []
        results: list[Any] = []
        for with_year in ([True, False] if year else [False]):
            params: dict[str, Any] = {"query": title, "include_adult": "false",
                                      "language": self.language, "page": 1}
            if with_year:
                params["year"] = year
            data = self._get("/search/movie", **params)
            results = data.get("results")
            if not isinstance(results, list):
                raise BadResponse(SERVICE, "TMDb's search answer has no list of results.")
            if results:
                break
        out = []
        for index, hit in enumerate(r for r in results[:limit] if isinstance(r, dict)):
            if not hit.get("id"):
                continue
            record = self.details(str(hit["id"])) if index < details else None
            out.append(Candidate(
                source=self.name, key=str(hit["id"]),
                title=str(hit.get("title") or hit.get("original_title") or ""),
                year=_year(hit.get("release_date")),
                directors=list(record.directors) if record else [],
                original_title=(str(hit["original_title"]) if hit.get("original_title")
                                and hit.get("original_title") != hit.get("title") else None),
                description=str(hit.get("overview") or "")[:300],
                thumbnail_url=self._image(hit.get("poster_path"), THUMB_SIZE), record=record))
        return out

    def details(self, key: str) -> FilmRecord | None:
        if not str(key).isdigit():
            return None
        data = self._get(f"/movie/{key}", allow_404=True,
                         append_to_response="credits,external_ids", language=self.language)
        return self._record(data) if data else None

    def find_by_ids(self, *, wikidata_id: str | None = None, imdb_id: str | None = None,
                    tmdb_id: str | None = None,
                    letterboxd_uri: str | None = None) -> FilmRecord | None:
        if tmdb_id and str(tmdb_id).strip().isdigit():
            record = self.details(str(tmdb_id).strip())
            if record is not None:
                return record
        for source, value in (("imdb_id", imdb_id), ("wikidata_id", wikidata_id)):
            if not value:
                continue
            data = self._get(f"/find/{value.strip()}", allow_404=True, external_source=source,
                             language=self.language)
            movies = (data or {}).get("movie_results")
            if isinstance(movies, list) and len(movies) == 1 and isinstance(movies[0], dict):
                return self.details(str(movies[0].get("id")))
        return None

    def fetch_image(self, url: str) -> tuple[str, bytes]:
        return self.http.get_bytes(url)
