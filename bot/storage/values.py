"""The values storage keeps and hands out, and how they are written into SQLite columns.

Datetimes are UTC ISO text (string order is time order), dates ISO text, PTB's user, chat and
conversation data pickled blobs (they may hold dates or tuples; only this bot writes the file,
so unpickling it is trusted). Imports only the knowledge model.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from knowledge.model import Lang


@dataclass(frozen=True, slots=True)
class Tracking:
    """A user's window as computed by the knowledge engine, kept for the due-reminder query."""

    closes_on: date
    complete: bool
    next_reminder_on: date | None


TrackFn = Callable[[Mapping[int, date], date], "Tracking | None"]


@dataclass(frozen=True, slots=True)
class DueReminder:
    user_id: int
    lang: Lang
    closes_on: date
    declared: dict[int, date]
    last_step: str | None
    next_reminder_on: date


def utc_iso(moment: datetime) -> str:
    """Datetimes are stored as UTC ISO text so that string order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def to_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def iso_or_none(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def as_lang(value: object) -> Lang:
    return "en" if value == "en" else "fr"


def dump_blob(value: object) -> bytes:
    """PTB user/chat data and conversation states may hold dates or tuples: pickle them."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def load_blob(blob: bytes) -> Any:
    return pickle.loads(blob)


def jsonable(value: object) -> Any:
    """Make stored values fit a JSON export (dates as ISO text, unknown objects as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, date):  # datetime is a date too
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


def key_json(key: tuple[Any, ...]) -> str:
    """Conversation keys as JSON arrays, so `json_each` can find a user's id inside them."""
    return json.dumps(list(key), separators=(",", ":"))
