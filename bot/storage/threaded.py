"""What the dialogues hold as `context.services.store`: `Storage` with every call off the loop.

`conversations.services.Store` is awaited; this class says, once for every method, where it
runs: reads on a reading thread (`SqliteFile.read`, their own connection), writes on the one
writing thread (`SqliteFile.run`, in the order they were made), and the two writes no reply
waits for (`touch_user`, `log_question`) queued there without waiting (`SqliteFile.submit`).
So a database locked by another process (a cron `remind`, a backup) or a slow fsync stalls
the writing thread, never the event loop: other users keep getting answers.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.storage import Storage
from conversations.services import (
    Consent,
    ReferralCounts,
    ReminderSettings,
    Services,
    SharedCandidate,
)
from knowledge.model import Lang


class ThreadedStore:
    """`conversations.services.Store` over a `Storage`; `storage` is the synchronous one (for
    the bot's own code, which chooses its threads itself, and for tests)."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage

    # -- queued, not awaited --------------------------------------------------------------------
    def touch_user(self, user_id: int, *, now: datetime, referral: str | None = None) -> None:
        self.storage.submit(self.storage.touch_user, user_id, now=now, referral=referral)

    def log_question(
        self,
        *,
        topic: str | None,
        status: str,
        text: str | None,
        now: datetime,
        user_id: int | None = None,
    ) -> None:
        self.storage.submit(
            self.storage.log_question, topic=topic, status=status, text=text, now=now,
            user_id=user_id,
        )

    # -- reads --------------------------------------------------------------------------------
    async def user_lang(self, user_id: int) -> Lang | None:
        return await self.storage.read(self.storage.user_lang, user_id)

    async def declarations(self, user_id: int) -> dict[int, date]:
        return await self.storage.read(self.storage.declarations, user_id)

    async def reminder_settings(self, user_id: int) -> ReminderSettings:
        return await self.storage.read(self.storage.reminder_settings, user_id)

    async def tracking(self, user_id: int) -> tuple[date, bool, date | None, str | None] | None:
        return await self.storage.read(self.storage.tracking, user_id)

    async def export_user(self, user_id: int) -> dict[str, Any]:
        return await self.storage.read(self.storage.export_user, user_id)

    async def advisor_code(self, advisor_user_id: int) -> str | None:
        return await self.storage.read(self.storage.advisor_code, advisor_user_id)

    async def advisor_label(self, advisor_user_id: int) -> str | None:
        return await self.storage.read(self.storage.advisor_label, advisor_user_id)

    async def referral_counts(self, code: str) -> ReferralCounts:
        return await self.storage.read(self.storage.referral_counts, code)

    async def consents(self, user_id: int) -> list[Consent]:
        return await self.storage.read(self.storage.consents, user_id)

    async def shared_candidates(
        self, code: str, *, today: date, offset: int, limit: int
    ) -> tuple[int, list[SharedCandidate]]:
        return await self.storage.read(
            self.storage.shared_candidates, code, today=today, offset=offset, limit=limit
        )

    async def shared_candidate(self, code: str, share_id: int) -> SharedCandidate | None:
        return await self.storage.read(self.storage.shared_candidate, code, share_id)

    async def digest_enabled(self, advisor_user_id: int) -> bool:
        return await self.storage.read(self.storage.digest_enabled, advisor_user_id)

    async def stats(self, *, now: datetime) -> dict[str, Any]:
        return await self.storage.read(self.storage.stats, now=now)

    async def unanswered(self, *, now: datetime, limit: int = 50) -> list[tuple[str, int]]:
        return await self.storage.read(self.storage.unanswered, now=now, limit=limit)

    # -- writes, awaited ----------------------------------------------------------------------
    async def set_user_lang(self, user_id: int, lang: Lang) -> None:
        await self.storage.run(self.storage.set_user_lang, user_id, lang)

    async def declare(self, user_id: int, ccp: int, obtained: date, *, now: datetime) -> bool:
        return await self.storage.run(self.storage.declare, user_id, ccp, obtained, now=now)

    async def delete_declaration(self, user_id: int, ccp: int) -> bool:
        return await self.storage.run(self.storage.delete_declaration, user_id, ccp)

    async def set_reminders_enabled(self, user_id: int, enabled: bool) -> None:
        await self.storage.run(self.storage.set_reminders_enabled, user_id, enabled)

    async def snooze_reminders(self, user_id: int, until: date) -> None:
        await self.storage.run(self.storage.snooze_reminders, user_id, until)

    async def forget_user(self, user_id: int) -> None:
        await self.storage.run(self.storage.forget_user, user_id)

    async def offer_consent(self, user_id: int, code: str, *, now: datetime) -> str | None:
        return await self.storage.run(self.storage.offer_consent, user_id, code, now=now)

    async def set_consent(
        self, user_id: int, code: str, share: bool, *, shown_name: str | None, now: datetime
    ) -> bool:
        return await self.storage.run(
            self.storage.set_consent, user_id, code, share, shown_name=shown_name, now=now
        )

    async def chosen_name(self, user_id: int) -> str | None:
        return await self.storage.read(self.storage.chosen_name, user_id)

    async def set_shown_name(self, user_id: int, name: str, *, now: datetime) -> tuple[str, int]:
        return await self.storage.run(self.storage.set_shown_name, user_id, name, now=now)

    async def set_digest_enabled(self, advisor_user_id: int, enabled: bool) -> None:
        await self.storage.run(self.storage.set_digest_enabled, advisor_user_id, enabled)

    async def create_announcement(self, text: str, created_by: int, now: datetime) -> int:
        return await self.storage.run(self.storage.create_announcement, text, created_by, now)


def storage_of(services: Services) -> Storage:
    """The synchronous `Storage` behind the services (the app always opens one)."""
    store = services.store
    if not isinstance(store, ThreadedStore):
        raise TypeError(f"expected bot.storage.threaded.ThreadedStore, got {type(store).__name__}")
    return store.storage
