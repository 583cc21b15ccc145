"""The operators' commands: reminders for cron, statistics, unanswered questions, backup."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

from telegram import Bot

from bot.config import Settings
from bot.storage import Storage
from bot.tracking import tracker_for
from conversations.i18n import Catalogue
from knowledge.model import Titre


def open_storage(settings: Settings, titre: Titre) -> Storage:
    return Storage(
        settings.db_path,
        track=tracker_for(titre, settings.reminder_steps),
        unanswered_days=settings.unanswered_days,
    )


async def remind(settings: Settings, titre: Titre, *, today: date | None, dry_run: bool) -> int:
    """Send what is due on or before `today` and not yet sent; one summary line."""
    from bot.reminders import run_reminders

    now = datetime.now(UTC)
    today = today or now.astimezone(settings.timezone).date()
    storage = open_storage(settings, titre)
    try:
        token = settings.require_token() if not dry_run else (settings.token or "0:dry-run")
        bot = Bot(token, base_url=settings.base_url)
        async with bot:
            summary = await run_reminders(
                storage,
                bot,
                titre=titre,
                catalogue=Catalogue.load(),
                steps=settings.reminder_steps,
                today=today,
                now=now,
                dry_run=dry_run,
            )
    finally:
        storage.close()
    print(summary.line())
    return 0 if summary.failed == 0 else 1


def stats(settings: Settings, titre: Titre) -> int:
    storage = open_storage(settings, titre)
    try:
        figures = storage.stats(now=datetime.now(UTC))
    finally:
        storage.close()
    for key, value in figures.items():
        if key == "top_topics":
            value = ", ".join(f"{topic} ({count})" for topic, count in value) or "-"
        elif key == "unanswered_share":
            value = f"{float(value):.1%}"
        print(f"{key}: {value}")
    return 0


def unanswered(settings: Settings, titre: Titre, *, limit: int) -> int:
    storage = open_storage(settings, titre)
    try:
        groups = storage.unanswered(now=datetime.now(UTC), limit=limit)
    finally:
        storage.close()
    if not groups:
        print("no unanswered question")
    for text, count in groups:
        print(f"{count:5d}  {text}")
    return 0


def backup(settings: Settings, titre: Titre, path: Path) -> int:
    storage = open_storage(settings, titre)
    try:
        storage.backup(path)
    finally:
        storage.close()
    print(f"backup written to {path}")
    return 0


def advisor(settings: Settings, titre: Titre, label: str, user_id: int | None) -> int:
    if user_id is None:
        print("error: --user-id is required (the advisor's Telegram user id)", file=sys.stderr)
        return 2
    storage = open_storage(settings, titre)
    try:
        code = storage.register_advisor(label, user_id)
    finally:
        storage.close()
    print(f"advisor {label!r}: code {code} — link https://t.me/<bot>?start=ref-{code}")
    return 0
