"""Operator announcements: every active user, once, through the reminders' sender.

An announcement is created as a 'draft' when the operator asks for a preview (/annonce). Pressing
"send" runs `send_announcement`: each recipient is claimed in the delivery log just before its
message goes out and finished just after (`bot.storage.delivery`), so a second press, a second
operator or a rerun after a crash never sends it twice to anyone. Paced by `bot.sending.bulk` (under
Telegram's 30 messages a second); a 403 marks the user inactive.

Status of an announcement: draft → sending → sent (everyone reached) or partial (some failed:
sending again retries them); a draft may be cancelled, and a cancelled one is never sent.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Bot

from bot.sending.bulk import BulkSender, Outgoing, Result, text_message
from bot.storage import Storage
from bot.storage.delivery import default_owner
from bot.storage.threaded import storage_of
from conversations.admin import announcement_html
from conversations.i18n import Catalogue

log = logging.getLogger(__name__)

LEASE_SECONDS = 300.0  # longer than one message with its retries and flood waits

DRAFT = "draft"
SENDING = "sending"
SENT = "sent"
PARTIAL = "partial"
CANCELLED = "cancelled"
NOTHING_DONE = frozenset({"missing", "already_sent", "in_progress", CANCELLED})


@dataclass(frozen=True, slots=True)
class AnnouncementSummary:
    announcement_id: int
    outcome: str  # the status afterwards, or "missing" / "already_sent" / "in_progress"
    recipients: int = 0  # active users not reached yet when the run started
    sent: int = 0
    skipped: int = 0  # another run holds the claim, or it was sent meanwhile
    failed: int = 0  # left for a later press of "send"
    blocked: int = 0  # Telegram said 403: the user is marked inactive

    def line(self) -> str:
        """One line, like the reminders' summary: "#3 sent: recipients=5 sent=5 ..."; a run
        that sent nothing by design says only why ("#3 already_sent")."""
        if self.outcome in NOTHING_DONE:
            return f"#{self.announcement_id} {self.outcome}"
        return (
            f"#{self.announcement_id} {self.outcome}: recipients={self.recipients} "
            f"sent={self.sent} skipped={self.skipped} failed={self.failed} "
            f"blocked={self.blocked}"
        )


async def send_announcement(
    storage: Storage,
    bot: Bot,
    announcement_id: int,
    *,
    catalogue: Catalogue,
    now: datetime,
    owner: str | None = None,
    sender: BulkSender | None = None,
    lease_seconds: float = LEASE_SECONDS,
) -> AnnouncementSummary:
    """Send the announcement to every active user it has not reached; see the module doc.
    Every storage call runs on the storage threads, never on the event loop."""
    announcement = await storage.read(storage.announcement, announcement_id)
    if announcement is None:
        return AnnouncementSummary(announcement_id, "missing")
    if announcement.status == CANCELLED:
        return AnnouncementSummary(announcement_id, CANCELLED)
    if announcement.status == SENT:
        return AnnouncementSummary(announcement_id, "already_sent")
    await storage.run(storage.set_announcement_status, announcement_id, SENDING)
    recipients = await storage.read(storage.announcement_recipients, announcement_id)
    owner = owner or default_owner()
    sender = sender or BulkSender(bot)
    counts = {"sent": 0, "failed": 0, "blocked": 0, "skipped": 0}
    bodies = {lang: announcement_html(catalogue, lang, announcement.text) for lang in ("fr", "en")}

    async def claimed() -> AsyncIterator[Outgoing]:
        # Pulled lazily by the sender: each claim is taken just before its message goes out.
        for user_id, lang in recipients:
            if not await storage.run(
                storage.claim_announcement, announcement_id, user_id, owner=owner, now=now,
                lease_seconds=lease_seconds,
            ):
                counts["skipped"] += 1
                continue
            yield text_message(user_id, bodies[lang], key=user_id)

    async def finish(result: Result) -> None:
        user_id = result.item.key
        assert isinstance(user_id, int)
        counts[result.status] += 1
        await storage.run(
            storage.finish_announcement, announcement_id, user_id, result.status, now=now
        )
        if result.status != "sent":
            log.info("announcement %s to %s: %s (%s)", announcement_id, user_id,
                     result.status, result.error)

    try:
        await sender.send_all(claimed(), on_result=finish)
    finally:
        # A crash or a cancelled task leaves 'partial': pressing "send" again resumes.
        outcome = SENT if counts["failed"] == 0 else PARTIAL
        await storage.run(storage.set_announcement_status, announcement_id, outcome)
    summary = AnnouncementSummary(
        announcement_id,
        outcome,
        recipients=len(recipients),
        sent=counts["sent"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        blocked=counts["blocked"],
    )
    log.info("announcement %s", summary.line())
    return summary


def cancel_announcement(storage: Storage, announcement_id: int) -> bool:
    """Cancel a draft; False when it is already (being) sent or does not exist."""
    announcement = storage.announcement(announcement_id)
    if announcement is None or announcement.status not in (DRAFT, CANCELLED):
        return False
    storage.set_announcement_status(announcement_id, CANCELLED)
    return True


@dataclass(slots=True)
class Announcer:
    """What `Services.announcer` holds: `await announcer(id)` sends and returns the summary line;
    `await announcer.cancel(id)` cancels a draft. Runs of this process are remembered so that a
    second press while the first is still sending does not start a second run."""

    storage: Callable[[], Storage]
    bot: Bot
    catalogue: Callable[[], Catalogue]
    clock: Callable[[], datetime]
    running: set[int] = field(default_factory=set)

    async def __call__(self, announcement_id: int) -> str:
        if announcement_id in self.running:
            return AnnouncementSummary(announcement_id, "in_progress").line()
        self.running.add(announcement_id)
        try:
            summary = await send_announcement(
                self.storage(), self.bot, announcement_id,
                catalogue=self.catalogue(), now=self.clock(),
            )
        finally:
            self.running.discard(announcement_id)
        return summary.line()

    async def cancel(self, announcement_id: int) -> bool:
        if announcement_id in self.running:
            return False
        storage = self.storage()
        return await storage.run(cancel_announcement, storage, announcement_id)


def make_announcer(application: Any) -> Announcer:
    """The announcer of a running Application: its bot, its storage and clock (read at each
    call, since `post_init` opens them after the Application is built)."""

    def storage() -> Storage:
        return storage_of(application.bot_data.services)

    def catalogue() -> Catalogue:
        value: Catalogue = application.bot_data.services.catalogue
        return value

    def clock() -> datetime:
        moment: datetime = application.bot_data.services.now()
        return moment

    return Announcer(storage=storage, bot=application.bot, catalogue=catalogue, clock=clock)
