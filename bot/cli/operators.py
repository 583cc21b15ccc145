"""The operators' commands: reminders for cron, statistics, unanswered questions, backup,
advisors. Each opens the same SQLite file as the running bot (WAL: both may work at once)."""

from __future__ import annotations

import gc
import os
import sqlite3
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from bot.config import Settings
from bot.sending.bulk import bulk_bot
from bot.storage import Storage
from bot.storage.tracking import tracker_for
from conversations.deeplinks import referral_payload
from conversations.i18n import Catalogue
from knowledge.model import Titre

EXIT_ERROR = 1
EXIT_USAGE = 2


def open_storage(settings: Settings, titre: Titre) -> Storage:
    return Storage(
        settings.db_path,
        track=tracker_for(titre, settings.reminder_steps),
        unanswered_days=settings.unanswered_days,
    )


def _missing_database(settings: Settings) -> bool:
    """Reading commands must not create an empty file where the operator expected data."""
    if settings.db_path.exists():
        return False
    print(
        f"error: no database at {settings.db_path} (set BOT_DB to the bot's file)", file=sys.stderr
    )
    return True


async def remind(settings: Settings, titre: Titre, *, today: date | None, dry_run: bool) -> int:
    """Send what is due on or before `today` and not yet sent, then this week's advisors'
    digests (as the running bot does after its daily reminders); a summary line each."""
    from bot.sending.bulk import BulkSender
    from bot.sending.digest import DigestSummary, run_digests
    from bot.sending.reminders import Summary, run_reminders

    now = datetime.now(UTC)
    run_day = today or now.astimezone(settings.timezone).date()
    storage = open_storage(settings, titre)
    try:
        # A dry run computes what is due and touches neither Telegram nor the delivery log.
        token = settings.token or "0:dry-run" if dry_run else settings.require_token()
        bot = bulk_bot(token, settings.base_url)  # a pool as wide as the sender's concurrency
        sender = BulkSender(bot)  # one pacer for reminders and digests together
        catalogue = Catalogue.load()
        gc.collect()
        gc.freeze()  # see bot.app.build_application(freeze_heap): no collection stalls

        async def send() -> Summary:
            return await run_reminders(
                storage,
                bot,
                titre=titre,
                catalogue=catalogue,
                steps=settings.reminder_steps,
                today=run_day,
                now=now,
                dry_run=dry_run,
                sender=sender,
            )

        digests = DigestSummary()
        if dry_run:
            for line in would_send(storage, settings, titre, run_day):
                print(line)
            summary = await send()
        else:
            async with bot:
                summary = await send()
                digests = await run_digests(storage, bot, catalogue=catalogue, today=run_day,
                                            now=now, sender=sender)  # fmt: skip
    finally:
        storage.close()
    print(summary.line())
    if not dry_run:
        print(digests.line())
    return 0 if summary.failed == 0 and digests.failed == 0 else 1


def would_send(storage: Storage, settings: Settings, titre: Titre, today: date) -> list[str]:
    """`remind --dry-run`: one line per reminder the run would send, with no personal data
    beyond the Telegram user id (no CCP dates, no text): who, which step, which window."""
    from bot.sending.reminders import plan

    planned, _ = plan(
        storage,
        storage.due_reminders(today),
        titre=titre,
        catalogue=Catalogue.load(),
        steps=settings.reminder_steps,
        today=today,
        dry_run=True,
    )
    return [
        f"would send: user={item.due.user_id} step={item.step} lang={item.lang}"
        f" closes_on={item.due.closes_on.isoformat()} chars={len(item.html)}"
        for item in planned
    ]


def stats(settings: Settings, titre: Titre) -> int:
    """The figures of /stats, one `name: value` line each (easy to grep or log)."""
    if _missing_database(settings):
        return EXIT_ERROR
    storage = open_storage(settings, titre)
    try:
        figures = storage.stats(now=datetime.now(UTC))
    finally:
        storage.close()
    for key, value in figures.items():
        if key == "top_topics":
            value = ", ".join(f"{topic} ({count})" for topic, count in value) or "-"
        elif key.endswith("_share"):
            value = f"{float(value):.1%}"
        print(f"{key}: {value}")
    print(f"replies_kept_hours: {settings.outbox_hours:g}")  # the outbox's age limit
    return 0


def unanswered(settings: Settings, titre: Titre, *, limit: int) -> int:
    """Questions the bot could not answer, grouped by similarity, most frequent first."""
    if _missing_database(settings):
        return EXIT_ERROR
    storage = open_storage(settings, titre)
    try:
        groups = storage.unanswered(now=datetime.now(UTC), limit=limit)
    finally:
        storage.close()
    if not groups:
        print("no unanswered question")
    for text, count in groups:
        print(f"{count:5d}  {' '.join(text.split())}")
    return 0


def integrity(path: Path) -> str:
    """SQLite's own check of a file: "ok" or the problems it found."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    finally:
        conn.close()
    return "; ".join(str(row[0]) for row in rows)


def backup(settings: Settings, titre: Titre, path: Path) -> int:
    """A consistent copy while the bot runs (SQLite's online backup), checked, then renamed
    into place: PATH is either the previous file or a complete, verified copy, never half one.
    A directory gets a dated file inside it."""
    if _missing_database(settings):
        return EXIT_ERROR
    target = path
    if target.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = target / f"{settings.db_path.stem}-{stamp}.sqlite3"
    if target.resolve() == settings.db_path.resolve():
        print("error: the backup must not overwrite the database itself", file=sys.stderr)
        return EXIT_USAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    storage = open_storage(settings, titre)
    try:
        storage.backup(partial)
    finally:
        storage.close()
    verdict = integrity(partial)
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        print(f"error: the copy failed SQLite's integrity check: {verdict}", file=sys.stderr)
        return EXIT_ERROR
    os.replace(partial, target)
    print(f"backup written to {target} ({target.stat().st_size} bytes, integrity_check: ok)")
    return 0


def advisor(settings: Settings, titre: Titre, label: str, user_id: int | None) -> int:
    """Register an advisor (again: same code, new label); they see their link with /partager."""
    if user_id is None:
        print("error: --user-id is required (the advisor's Telegram user id)", file=sys.stderr)
        return EXIT_USAGE
    label = " ".join(label.split())
    if not label:  # candidates would read « Partager votre progression avec  ? »
        print("error: LABEL is empty: the name candidates see, e.g. \"Mme Martin, Afpa Lyon\"",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    storage = open_storage(settings, titre)
    try:
        same = [c for c, uid, other in storage.advisors() if other == label and uid != user_id]
        code = storage.register_advisor(label, user_id)
    finally:
        storage.close()
    if same:  # allowed (two people may share a name), but candidates could not tell them apart
        print(f"note: another advisor is also called {label!r} (code {same[0]}); candidates "
              "see only this name: a place or a structure in it tells them apart")
    print(f"advisor {label!r} (user {user_id}): code {code}")
    print(f"personal link: https://t.me/<bot username>?start={referral_payload(code)}")
    print(
        "the advisor gets this link and its QR code with /partager, and the counts with "
        "/mescandidats"
    )
    return 0


def remove_advisor(settings: Settings, titre: Titre, code: str) -> int:
    """An advisor who leaves, or registered under the wrong Telegram id: candidates sharing
    with them share nothing any more (they see it in /conseiller); register again for a new
    code."""
    if _missing_database(settings):
        return EXIT_ERROR
    storage = open_storage(settings, titre)
    try:
        label = storage.remove_advisor(code.removeprefix("ref-"))
    finally:
        storage.close()
    if label is None:
        print(f"error: no advisor has the code {code!r} (python -m bot advisors lists them)",
              file=sys.stderr)  # fmt: skip
        return EXIT_ERROR
    print(f"advisor {label!r} removed: code {code} no longer works; nothing is shared with them")
    return 0


def advisors(settings: Settings, titre: Titre) -> int:
    """Every registered advisor with the anonymous counts of their link, oldest first, and how
    many candidates share their progress with them: a count, never who (issue 14)."""
    if _missing_database(settings):
        return EXIT_ERROR
    storage = open_storage(settings, titre)
    try:
        rows = [
            (code, user_id, label, storage.referral_counts(code))
            for code, user_id, label in storage.advisors()
        ]
    finally:
        storage.close()
    if not rows:
        print("no advisor registered (python -m bot advisor LABEL --user-id N)")
    for code, user_id, label, counts in rows:
        print(
            f"{code}  user={user_id}  arrived={counts.arrived} declared={counts.declared} "
            f"reminders_on={counts.reminders_on} sharing={counts.sharing}  {label}"
        )
    return 0
