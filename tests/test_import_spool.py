"""The import's spool keeps records as tuples of their fields (``plan._pack``): every field of
every record class must come back as it went in, whatever its type."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from journal.core.importers.plan import (
    CommentRec,
    ReviewRec,
    Spool,
    ViewingRec,
    WatchRec,
    pack_texts,
)


def _filled(cls: type, n: int, **given: Any) -> Any:
    """An instance of ``cls`` whose every field holds a value of its own (none a default),
    so that a field left out or read back into another field is seen."""
    values: dict[str, Any] = {}
    for i, f in enumerate(dataclasses.fields(cls)):
        if f.name in given:
            values[f.name] = given[f.name]
        elif f.name == "texts":  # see the test below
            values[f.name] = None
        elif f.type in ("bool", "bool | None"):
            values[f.name] = len(f.name) % 2 == n % 2  # rewatch and same_day differ
        elif "int" in str(f.type):
            values[f.name] = 1000 * n + i
        elif "datetime" in str(f.type):
            values[f.name] = dt.datetime(2014, 1, 1 + i % 28, n % 24, i)
        elif "Decimal" in str(f.type):
            values[f.name] = Decimal(f"{n % 10}.{i}")
        elif "list[str]" in str(f.type):
            values[f.name] = [f"{f.name}-{n}-a", f"{f.name}-{n}-b"]
        else:
            values[f.name] = f"{f.name} {n} “é✨”"
    return cls(**values)


def test_every_field_of_every_record_comes_back() -> None:
    records: list[Any] = []
    for n in range(3):
        viewing = _filled(ViewingRec, n)
        comments = [_filled(CommentRec, 10 * n + k) for k in range(n)]
        records.append(_filled(ReviewRec, n, viewing=viewing if n else None,
                               comments=comments))
        records.append(_filled(ViewingRec, 100 + n))
        records.append(_filled(WatchRec, 200 + n))
    spool = Spool()
    try:
        for record in records:
            spool.add(record)
        back = list(spool)
    finally:
        spool.discard()
    assert back == records
    assert [type(r) for r in back] == [type(r) for r in records]
    # the values differ field by field: a field read back into its neighbour would show
    for record in records:
        values = [getattr(record, f.name) for f in dataclasses.fields(record)
                  if f.name != "texts"]
        flags = [v for v in values if isinstance(v, bool)]
        assert len({repr(v) for v in values}) == len(values) - len(flags) + len(set(flags))
        assert len(set(flags)) == len(flags)


def _round_trip(records: list[Any]) -> list[Any]:
    spool = Spool()
    try:
        for record in records:
            spool.add(record)
        return list(spool)
    finally:
        spool.discard()


def test_texts_a_pool_process_packed_come_back_in_their_fields() -> None:
    """A pool process gives a review's texts back pickled (``pack_texts``); the importing
    process spools those bytes unread; reading the spool puts each text in its field: the body,
    score, eyelights, eyesores, spoiler flag, and each comment's text in its comment."""
    whole = _filled(ReviewRec, 1, viewing=None, has_spoilers=True,
                    comments=[_filled(CommentRec, k) for k in range(3)])
    texts = pack_texts(whole.body, whole.score, whole.eyelights, whole.eyesores, True,
                       [c.text for c in whole.comments])
    carried = dataclasses.replace(
        whole, body="", score=None, eyelights="", eyesores="", has_spoilers=None, texts=texts,
        comments=[dataclasses.replace(c, text="") for c in whole.comments])
    (back,) = _round_trip([carried])
    assert back == whole
    assert back.texts is None
