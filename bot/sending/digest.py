"""The weekly digest to advisors (issue 14), sent by the same paced, never-twice sender as
reminders, right after them at the reminder hour (one `BulkSender`, so both together stay
within Telegram's 30 messages a second).

Once per ISO week and advisor: the digest is claimed in `digest_log` under (advisor, week)
before it is sent, as reminders are, so a restart, a rerun or two senders at once never send
it twice. The first daily run of a week sends it (a bot down on Monday catches up on Tuesday);
it covers the seven days before `now`. Only advisors with the digest on and at least one
consenting candidate get one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from telegram import Bot

from bot.sending.bulk import BulkSender, Outgoing, Result, text_message
from bot.storage import Storage
from bot.storage.advisors import DigestTarget
from bot.storage.delivery import default_owner
from conversations.advisor_digest import digest_keyboard, digest_text
from conversations.i18n import Catalogue

log = logging.getLogger(__name__)

LEASE_SECONDS = 300.0
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DigestSummary:
    due: int = 0  # advisors who should have this week's digest
    sent: int = 0
    skipped: int = 0  # sent already this week, or another sender has it
    failed: int = 0
    blocked: int = 0

    def line(self) -> str:
        return (f"digest due={self.due} sent={self.sent} skipped={self.skipped} "
                f"failed={self.failed} blocked={self.blocked}")  # fmt: skip


def week_of(today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


async def run_digests(
    storage: Storage,
    bot: Bot,
    *,
    catalogue: Catalogue,
    today: date,
    now: datetime,
    owner: str | None = None,
    sender: BulkSender | None = None,
    lease_seconds: float = LEASE_SECONDS,
) -> DigestSummary:
    """Send this week's digest to every advisor who has not had it; see the module doc."""
    week = week_of(today)
    targets = await storage.run(storage.digest_targets)
    owner = owner or default_owner()
    sender = sender or BulkSender(bot)
    counts = {"sent": 0, "failed": 0, "blocked": 0, "skipped": 0}
    in_flight: dict[int, DigestTarget] = {}

    async def claimed() -> AsyncIterator[Outgoing]:
        for target in targets:
            if not await storage.run(
                storage.claim_digest, target.advisor_user_id, week, owner=owner, now=now,
                lease_seconds=lease_seconds,
            ):
                counts["skipped"] += 1
                continue
            facts = await storage.run(storage.digest_facts, target.code, since=now - WEEK,
                                      today=today)  # fmt: skip
            html = digest_text(
                catalogue, target.lang, sharing=facts.sharing, soon=facts.soon,
                steps=facts.steps, declared=facts.declared, stopped=facts.stopped,
            )
            in_flight[target.advisor_user_id] = target
            markup = digest_keyboard(catalogue, target.lang)
            yield text_message(target.advisor_user_id, html, markup=markup, key=target)

    async def finish(result: Result) -> None:
        target = result.item.key
        assert isinstance(target, DigestTarget)
        counts[result.status] += 1
        await storage.run(storage.finish_digest, target.advisor_user_id, week, result.status,
                          now=now)  # fmt: skip
        in_flight.pop(target.advisor_user_id, None)

    try:
        await sender.send_all(claimed(), on_result=finish)
    finally:  # cancelled mid-way: the claims in flight are released for the next run
        for target in list(in_flight.values()):
            storage.finish_digest(target.advisor_user_id, week, "failed", now=now)
    summary = DigestSummary(len(targets), counts["sent"], counts["skipped"], counts["failed"],
                            counts["blocked"])  # fmt: skip
    log.info("%s %s", week, summary.line())
    return summary
