"""Everything out, and back: many reviews into a folder (Markdown for Jekyll/Hugo, HTML with
an index), the watchlist in the Letterboxd export, and whole journals round-tripped."""

from __future__ import annotations

import datetime as dt
import os
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import mounts  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest
import yaml

from journal.cli import main
from journal.core.diary import is_rewatch
from journal.core.export import export_folder, export_letterboxd, select_reviews
from journal.core.export.errors import ExportError
from journal.core.export.folder import ExportCancelled
from journal.core.importers.plan import ImportOptions
from journal.core.importers.run import import_files, plan_import
from journal.core.journal import Journal


def _diverse(journal) -> dict[str, int]:
    """Reviews with every field a review, its viewing and its film can hold."""
    her = journal.films.create("Her", 2013, directors=["Spike Jonze"], imdb_id="tt1798709",
                               synopsis="A man and his operating system.")
    amelie = journal.films.create("Amélie", 2001, directors=["Jean-Pierre Jeunet"],
                                  tmdb_id="194")
    nos = journal.films.create("Nosferatu", 1922, directors=["F. W. Murnau"])
    journal.films.update(nos.id, letterboxd_uri="https://boxd.it/2bgs")
    gallop = journal.films.create("Sallie Gardner at a Gallop", 1878)
    first = journal.viewings.log(amelie.id, "2013-05-01", medium="dvd")
    seen = journal.viewings.log(amelie.id, "2014-01-24", medium="cinema", venue="Le Champo",
                                companions="Léa, Zoé", note="Front row; the projector hummed.")
    again = journal.viewings.log(her.id, "2014-02", rewatch=True)
    year_only = journal.viewings.log(nos.id, "2021")
    ids = {"first": first.id}
    ids["amelie"] = journal.reviews.create(
        amelie.id, "> “Quote”\n\n## Part\n\nText with [[Her (2013)]] and a *mark*.\n\n"
        "::: spoiler End\nShe finds him.\n:::\n\n---\n\nnot: front matter\n",
        viewing_id=seen.id, score="8.5", title="A fabulous destiny",
        eyelights="Audrey Tautou’s finesse: “radiant”", eyesores="the saturated filters",
        tags=["romance", "paris"], status="published", published_url="https://blog.example/a",
        created_at=dt.datetime(2014, 1, 25, 10, 0, 5, 123456), language="fr").id
    ids["her"] = journal.reviews.create(her.id, "Short and sweet.  \n", viewing_id=again.id,
                                        score="10.0", status="draft",
                                        created_at=dt.datetime(2014, 3, 1, 8, 0)).id
    ids["nos"] = journal.reviews.create(nos.id, "Shadows.", viewing_id=year_only.id, score="0.0",
                                        title="Nosferatu", status="published", tags=["horror"],
                                        created_at=dt.datetime(2021, 11, 2, 22, 0)).id
    ids["gallop"] = journal.reviews.create(gallop.id, "Four hooves in the air.", status="published",
                                           created_at=dt.datetime(2022, 6, 1, 9, 0)).id
    journal.reviews.update(ids["nos"], body="Shadows, and a long staircase.")  # updated later
    ids["once"] = journal.reviews.create(amelie.id, "A second note on the same evening.",
                                         viewing_id=seen.id, title="Postscript",
                                         status="published",
                                         created_at=dt.datetime(2014, 1, 26, 9, 0)).id
    journal.watchlist.add(nos.id)
    return ids


def _snapshot(journal) -> list[tuple]:
    """Every review field, its viewing, its tags and its film, comparable across journals."""
    out = []
    review = journal.models.Review
    for r in review.select().where(review.deleted_at.is_null()).order_by(review.created_at):
        film = r.film
        v = r.viewing if r.viewing_id is not None else None
        viewing = None if v is None else (v.watched_on, v.medium, v.venue, v.companions, v.note,
                                          is_rewatch(v))
        out.append((r.title, r.body, r.score, r.eyelights, r.eyesores, r.status,
                    r.published_url, r.has_spoilers, r.created_at, r.updated_at,
                    r.published_at, r.language, tuple(journal.reviews.tags(r.id)), viewing,
                    (film.title, film.year, tuple(journal.films.directors(film)), film.imdb_id,
                     film.tmdb_id, film.letterboxd_uri, film.synopsis)))
    return out


def test_the_journal_round_trips_through_a_markdown_folder(tmp_path):
    with Journal.open(tmp_path / "a.eyelights") as journal:
        _diverse(journal)
        before = _snapshot(journal)
        viewings = journal.models.Viewing.select().where(
            journal.models.Viewing.id.in_([r.viewing_id for r in journal.reviews.live()])
        ).count()
        summary = export_folder(journal, select_reviews(journal), tmp_path / "site")
    assert len(summary.files) == 5
    with Journal.open(tmp_path / "b.eyelights") as other:
        plan, _ = import_files(other, "markdown", [tmp_path / "site"], ImportOptions(drafts=True))
        assert not plan.left_in_body.total and not plan.unused_keys and not plan.defaults
        assert _snapshot(other) == before
        assert other.models.Viewing.select().count() == viewings  # one evening, two reviews
        again = plan_import(other, "markdown", [tmp_path / "site"], ImportOptions(drafts=True))
        assert not again.writes_anything
        again.discard()


@pytest.mark.parametrize(("title", "written"), [("", "Her"), ("Her", "Her"), ("Mine", "Mine")])
def test_a_review_titled_as_its_film_is_told_from_an_untitled_one(title, written):
    from journal.core.export.markdown import read_markdown_review, write_markdown_review

    text = write_markdown_review({"title": title, "film": "Her", "status": "published",
                                  "body": "x"})
    assert yaml.safe_load(text.split("---")[1])["title"] == written
    assert read_markdown_review(text)["title"] == title


def test_markdown_files_are_what_jekyll_and_hugo_read(journal, tmp_path):
    ids = _diverse(journal)
    summary = export_folder(journal, select_reviews(journal), tmp_path / "_posts")
    names = sorted(p.name for p in summary.files)
    assert names == ["2014-01-25-amelie-2001.md", "2014-01-26-amelie-2001.md",
                     "2014-03-01-her-2013.md", "2021-11-02-nosferatu-1922.md",
                     "2022-06-01-sallie-gardner-at-a-gallop-1878.md"]
    fronts = {}
    for path in summary.files:
        text = path.read_text(encoding="utf-8")
        front, _, body = text.removeprefix("---\n").partition("\n---\n")
        fronts[path.name] = yaml.safe_load(front)
    her = fronts["2014-03-01-her-2013.md"]
    assert her["title"] == "Her" and her["draft"] is True and her["published"] is False
    assert her["date"] == "2014-03-01T08:00:00" and her["imdb_id"] == "tt1798709"
    amelie = fronts["2014-01-25-amelie-2001.md"]
    assert amelie["title"] == "A fabulous destiny" and amelie["tags"] == ["paris", "romance"]
    assert "draft" not in amelie and amelie["date"].startswith("2014-01-25T10:00:05")
    assert ids


def test_html_pages_and_their_index(journal, tmp_path):
    _diverse(journal)
    summary = export_folder(journal, select_reviews(journal, year=2014), tmp_path / "pages",
                            "html", spoilers=False, title="Reviews of 2014")
    assert sorted(p.name for p in summary.files) == [
        "2014-01-25-amelie-2001.html", "2014-01-26-amelie-2001.html", "2014-03-01-her-2013.html"]
    index = (tmp_path / "pages" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Reviews of 2014</h1>" in index and "3 reviews" in index
    for path in summary.files:
        assert f'href="{path.name}"' in index
        page = path.read_text(encoding="utf-8")
        assert '<a href="index.html">← All reviews</a>' in page and "<script" not in page
    amelie = (tmp_path / "pages" / "2014-01-25-amelie-2001.html").read_text(encoding="utf-8")
    assert "She finds him" not in amelie and "Spoilers hidden" in amelie
    assert [p.name for p in (tmp_path / "pages").iterdir() if p.name.startswith(".")] == []


def test_a_cancelled_or_failed_export_leaves_the_folder_as_it_was(journal, tmp_path,
                                                                   monkeypatch):
    _diverse(journal)
    target = tmp_path / "site"
    target.mkdir()
    (target / "2014-01-25-amelie-2001.md").write_text("mine", encoding="utf-8")

    class Cancel:
        cancelled = False

        def progress(self, done, total, message=""):
            self.cancelled = done >= 2

    with pytest.raises(ExportCancelled):
        export_folder(journal, select_reviews(journal), target, token=Cancel())
    assert sorted(p.name for p in target.iterdir()) == ["2014-01-25-amelie-2001.md"]
    from journal.core.export import folder as folder_module
    from journal.errors import DiskFull

    real, calls = folder_module._write, []

    def failing(path, text):
        calls.append(path)
        if len(calls) == 3:
            raise DiskFull("The disk is full: a file could not be written.")
        real(path, text)

    monkeypatch.setattr(folder_module, "_write", failing)
    with pytest.raises(Exception, match="disk is full"):
        export_folder(journal, select_reviews(journal), target)
    assert sorted(p.name for p in target.iterdir()) == ["2014-01-25-amelie-2001.md"]
    assert (target / "2014-01-25-amelie-2001.md").read_text(encoding="utf-8") == "mine"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_export_all_year_and_search(journal_path, tmp_path, capsys):
    with Journal.open(journal_path) as journal:
        _diverse(journal)
    j = ("--journal", str(journal_path))
    code, out, _ = _run(capsys, "export", "--all", "-o", str(tmp_path / "all"), *j)
    assert code == 0 and out.strip() == (f"Exported 5 reviews as Markdown files to "
                                         f"{tmp_path / 'all'}")
    code, out, _ = _run(capsys, "export", "--year", "2021", "--format", "html", "-o",
                        str(tmp_path / "y"), *j)
    assert code == 0 and sorted(p.name for p in (tmp_path / "y").iterdir()) == [
        "2021-11-02-nosferatu-1922.html", "index.html"]
    code, out, _ = _run(capsys, "export", "--search", "hooves", "--format", "md", "-o",
                        str(tmp_path / "s"), *j)
    assert code == 0 and [p.name for p in (tmp_path / "s").iterdir()] == [
        "2022-06-01-sallie-gardner-at-a-gallop-1878.md"]
    code, _, err = _run(capsys, "export", "--all", "--format", "pdf", "-o", str(tmp_path / "p"),
                        *j)
    assert code == 2 and "--booklet" in err and err.count("\n") == 1
    code, _, err = _run(capsys, "export", "--search", "zanzibarxyz", "-o", str(tmp_path / "n"),
                        *j)
    assert code == 2 and "No review matches" in err
    code, _, err = _run(capsys, "export", "Her", "--all", "-o", str(tmp_path / "x"), *j)
    assert code == 2 and "not both" in err
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    code, _, err = _run(capsys, "export", "--all", "-o", str(tmp_path / "afile"), *j)
    assert code == 1 and "is a file" in err and "Traceback" not in err


def test_the_watchlist_goes_out_to_letterboxd_and_comes_back(tmp_path):
    with Journal.open(tmp_path / "a.eyelights") as journal:
        _diverse(journal)
        for title, year in (("Metropolis", 1927), ("Hamlet", None), ("Hamlet", 1948)):
            film = journal.films.create(title, year, allow_duplicate=True)
            journal.watchlist.add(film.id)
        wanted = sorted((e.film.title, e.film.year or 0)
                        for e in journal.models.WatchlistEntry.select())
        reviews = journal.reviews.count()
        summary = export_letterboxd(journal, tmp_path / "lb")
    assert summary.partial_dates == ["Her (2013): 2014-02", "Nosferatu (1922): 2021"]
    assert "2 viewings dated only by month or year have no WatchedDate" in summary.message()
    assert summary.watchlist == 4 and (tmp_path / "lb" / "letterboxd-watchlist.csv").exists()
    with Journal.open(tmp_path / "b.eyelights") as other:
        plan, _ = import_files(other, "letterboxd", [tmp_path / "lb"])
        got = sorted((e.film.title, e.film.year or 0)
                     for e in other.models.WatchlistEntry.select())
        assert got == wanted and plan.counts["watchlist"] == 4
        # Letterboxd combines two entries of one film on one day (two reviews of one evening)
        assert other.reviews.count() == reviews - 1
        nos = other.models.Film.get(other.models.Film.title == "Nosferatu")
        assert nos.letterboxd_uri == "https://boxd.it/2bgs" and nos.year == 1922


@contextmanager
def _unwritable(folder: Path):
    """A folder nobody may write: its mode for a user; for root (who writes anywhere), a
    read-only file system mounted there (skipped where mounting is refused)."""
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield folder
        finally:
            folder.chmod(0o700)
        return
    with mounts.tmpfs(folder, "ro,size=64k"):
        yield folder


@pytest.mark.parametrize("export", ["folder", "letterboxd"])
def test_an_unwritable_folder_is_refused(journal, tmp_path, export):
    _diverse(journal)
    with _unwritable(tmp_path / "ro") as target:
        with pytest.raises(ExportError, match=f"The folder {target} cannot be written"):
            if export == "folder":
                export_folder(journal, select_reviews(journal), target)
            else:
                export_letterboxd(journal, target)
        assert list(target.iterdir()) == []


def test_a_file_where_the_folder_should_be_is_refused(journal, tmp_path):
    _diverse(journal)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="afile is a file; give a folder for the Letterboxd"):
        export_letterboxd(journal, tmp_path / "afile")
    with pytest.raises(ExportError, match="does not exist"):
        export_letterboxd(journal, tmp_path / "no" / "lb")


def test_score_and_year_survive_as_written(journal, tmp_path):
    _diverse(journal)
    export_folder(journal, select_reviews(journal), tmp_path / "site")
    text = (tmp_path / "site" / "2021-11-02-nosferatu-1922.md").read_text(encoding="utf-8")
    assert "score: 0.0" in text and "letterboxd_uri: https://boxd.it/2bgs" in text
    gallop = (tmp_path / "site" / "2022-06-01-sallie-gardner-at-a-gallop-1878.md")
    assert "year: 1878" in gallop.read_text(encoding="utf-8")
    assert Decimal("0.0") == Decimal(yaml.safe_load(text.split("---")[1])["score"])
    assert Path(tmp_path / "site").is_dir()
