"""The daily reminder run: one code path for the JobQueue job and `python -m bot remind`.

What is due is read from the database at each run (`Storage.due_reminders`, an indexed
`next_reminder_on`), never kept as in-memory jobs, so a restart or a week of downtime loses
nothing. For each due user the step to send is `reminder_plan.due_step`: after downtime only the
latest missed step. Each step is claimed in the delivery log just before it is sent and finished
just after, so two senders at once or a rerun never send it twice, and a run killed in the
middle leaves at most the messages in flight to be sent again (their claims belong to a dead
process, which the next run takes over).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from telegram import Bot
from telegram.ext import JobQueue

from bot.config import Settings
from bot.sending.bulk import BulkSender, Outgoing, Result, text_message
from bot.sending.digest import run_digests  # issue 14: advisors' weekly digest, same sender
from bot.storage import Storage
from bot.storage.delivery import default_owner
from bot.storage.threaded import storage_of
from bot.storage.values import DueReminder
from conversations.i18n import Catalogue
from conversations.reminder_message import reminder_keyboard, reminder_text
from conversations.services import Context, ReminderSettings
from knowledge.deadline import deadline_from
from knowledge.model import Lang, Titre
from knowledge.reminder_plan import due_step, next_reminder_on, parse_steps, step_date

log = logging.getLogger(__name__)

JOB_NAME = "reminders"
CATCH_UP_DELAY = timedelta(seconds=5)  # after start-up, once the bot is polling
LEASE_SECONDS = 300.0  # longer than any one message with its retries and flood waits


@dataclass(frozen=True, slots=True)
class Summary:
    due: int = 0  # users the database says are due on or before today
    sent: int = 0
    skipped: int = 0  # nothing to send after all, or another sender has it / already sent
    failed: int = 0  # left for the next run
    blocked: int = 0  # Telegram said 403: the user is marked inactive
    planned: int = 0  # dry run: what would have been sent
    dry_run: bool = False

    def line(self) -> str:
        """One line for cron logs: "due=600 sent=600 skipped=0 failed=0 blocked=0"."""
        text = (
            f"due={self.due} sent={self.sent} skipped={self.skipped} "
            f"failed={self.failed} blocked={self.blocked}"
        )
        return f"{text} dry_run=1 would_send={self.planned}" if self.dry_run else text


@dataclass(frozen=True, slots=True)
class Planned:
    """One reminder ready to claim and send."""

    due: DueReminder
    step: str
    html: str
    lang: Lang
    follow_up: bool = False  # the date is a prudent target: one check message after it


def step_for(
    due: DueReminder,
    steps: Sequence[str],
    today: date,
    settings: ReminderSettings | None,
    *,
    follow_up: bool = False,
) -> str | None:
    """The step to send today: the latest configured step missed, or the end of a snooze.

    "Me le rappeler plus tard" asks for a reminder one week later even when no configured step
    falls then: that day becomes a step of its own, written as days before the closing date
    ("45d"), so it is logged, never sent twice, and compared by date like any other step.
    `follow_up`: the date is a prudent target (never a closing): once past, one message says
    what to check (`CHECK_STEP`), then nothing.
    """
    if today > due.closes_on:  # closed by its rule: nothing; a prudent target: one check
        return due_step(due.closes_on, steps, today, due.last_step, follow_up=follow_up)
    step = due_step(due.closes_on, steps, today, due.last_step)
    snoozed = settings.snoozed_until if settings is not None else None
    if snoozed is None or snoozed > today or snoozed > due.closes_on:
        return step
    last = step_date(due.closes_on, due.last_step) if due.last_step else None
    if last is not None and last >= snoozed:
        return step  # the snooze has been honoured already
    if step is not None and step_date(due.closes_on, step) >= snoozed:
        return step
    return f"{(due.closes_on - snoozed).days}d"


def plan(
    store: Storage,
    due_list: Sequence[DueReminder],
    *,
    titre: Titre,
    catalogue: Catalogue,
    steps: Sequence[str],
    today: date,
    dry_run: bool = False,
) -> tuple[list[Planned], int]:
    """Build the messages of the run; returns them and how many due users need nothing."""
    planned: list[Planned] = []
    skipped = 0
    ccp_numbers = {ccp.number for ccp in titre.ccps}
    for due in due_list:
        settings = store.reminder_settings(due.user_id)
        if not settings.enabled or not settings.active or ccp_numbers <= set(due.declared):
            skipped += 1
            continue
        deadline = deadline_from(titre.capitalisation, due.declared.values())
        follow_up = deadline is not None and deadline.provisional
        step = step_for(due, steps, today, settings, follow_up=follow_up)
        if step is None or deadline is None:
            # Nothing to send after all: move the date on, or the user stays due every run.
            if not dry_run:
                store.reschedule_reminder(
                    due.user_id,
                    due.closes_on,
                    next_reminder_on(due.closes_on, steps, today, due.last_step,
                                     follow_up=follow_up),
                )
            skipped += 1
            continue
        html = reminder_text(
            catalogue, titre, lang=due.lang, declared=due.declared, deadline=deadline, today=today
        )
        planned.append(Planned(due, step, html, due.lang, follow_up))
    return planned, skipped


async def run_reminders(
    storage: Storage,
    bot: Bot,
    *,
    titre: Titre,
    catalogue: Catalogue,
    steps: Sequence[str],
    today: date,
    now: datetime,
    dry_run: bool = False,
    owner: str | None = None,
    sender: BulkSender | None = None,
    lease_seconds: float = LEASE_SECONDS,
) -> Summary:
    """Send every reminder due on or before `today` that is not sent yet; see module doc."""
    due_list = await storage.read(storage.due_reminders, today)
    # reads, and moves on the dates of those with nothing due
    planned, skipped = await storage.run(
        plan,
        storage,
        due_list,
        titre=titre,
        catalogue=catalogue,
        steps=steps,
        today=today,
        dry_run=dry_run,
    )
    if dry_run:
        return Summary(due=len(due_list), skipped=skipped, planned=len(planned), dry_run=True)

    owner = owner or default_owner()
    sender = sender or BulkSender(bot)
    counts = {"sent": 0, "failed": 0, "blocked": 0, "skipped": skipped}
    keyboards = {(lang, passed): reminder_keyboard(catalogue, lang, date_passed=passed)
                 for lang in ("fr", "en") for passed in (False, True)}  # fmt: skip

    in_flight: dict[int, Planned] = {}  # claimed, not finished: released if we are cancelled

    async def claimed() -> AsyncIterator[Outgoing]:
        # Pulled lazily by the sender: each claim is taken just before its message goes out,
        # on the storage thread (a commit waits for the disk; the pacing must not).
        for item in planned:
            due = item.due
            if not await storage.run(
                storage.claim_reminder, due.user_id, due.closes_on, item.step, owner=owner,
                now=now, lease_seconds=lease_seconds,
            ):
                counts["skipped"] += 1
                continue
            in_flight[due.user_id] = item
            markup = keyboards["en" if item.lang == "en" else "fr", due.closes_on < today]
            yield text_message(due.user_id, item.html, markup=markup, key=item)

    async def finish(result: Result) -> None:
        item = result.item.key
        assert isinstance(item, Planned)
        due = item.due
        counts[result.status] += 1
        following: date | None = due.next_reminder_on  # failed: next run; blocked: when back
        if result.status == "sent":
            following = next_reminder_on(due.closes_on, steps, today, item.step,
                                         follow_up=item.follow_up)
        await storage.run(
            storage.finish_reminder, due.user_id, due.closes_on, item.step, result.status,
            now=now, next_reminder_on=following,
        )
        in_flight.pop(due.user_id, None)
        if result.status != "sent":
            log.info("reminder to %s: %s (%s)", due.user_id, result.status, result.error)

    try:
        await sender.send_all(claimed(), on_result=finish)
    finally:
        # Cancelled (bot shutting down) or crashed: the messages in flight may or may not have
        # arrived. Release their claims as failed so the next run sends them (a possible
        # repeat of those few, never a loss). A killed process skips this; its claims are
        # taken over because their owner is dead.
        for item in list(in_flight.values()):
            storage.finish_reminder(
                item.due.user_id, item.due.closes_on, item.step, "failed",
                now=now, next_reminder_on=item.due.next_reminder_on,
            )
    summary = Summary(
        due=len(due_list),
        sent=counts["sent"],
        skipped=counts["skipped"],
        failed=counts["failed"],
        blocked=counts["blocked"],
    )
    log.info("reminders %s: %s", today.isoformat(), summary.line())
    return summary


async def _daily_job(context: Context) -> None:
    """The JobQueue callback: same run as the CLI, with the bot's services and clock."""
    services = context.services
    store = storage_of(services)
    sender = BulkSender(context.bot)  # one pacer for reminders and digests together
    await run_reminders(
        store,
        context.bot,
        titre=services.titre,
        catalogue=services.catalogue,
        steps=steps_from(services.settings.reminder_steps),
        today=services.today(),
        now=services.now(),
        sender=sender,
    )
    await run_digests(store, context.bot, catalogue=services.catalogue, today=services.today(),
                      now=services.now(), sender=sender)  # fmt: skip


def steps_from(labels: Sequence[str]) -> tuple[str, ...]:
    """Configured step labels in canonical order (farthest first)."""
    return parse_steps(",".join(labels))


def schedule_daily(job_queue: JobQueue[Any], *, settings: Settings) -> None:
    """Run every day at BOT_REMINDER_HOUR in BOT_TIMEZONE, and once soon after start-up so that
    a bot that was down at that hour catches up (the run is the same; nothing repeats)."""
    at = settings.reminder_hour.replace(tzinfo=settings.timezone)
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    job_queue.run_daily(_daily_job, time=at, name=JOB_NAME)
    job_queue.run_once(_daily_job, when=CATCH_UP_DELAY, name=JOB_NAME)
