"""What handlers reach through `context`: the typed `bot_data` and the storage protocol.

The storage protocol lives here (not in `bot`) so that imports keep pointing one way:
`bot` implements it, conversations only depend on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from telegram.ext import CallbackContext, ContextTypes, ExtBot

from conversations.i18n import Catalogue
from knowledge.model import Lang, Titre

if TYPE_CHECKING:  # the engine is built at start-up; handlers only call it
    from knowledge.engine import Engine


@dataclass(frozen=True, slots=True)
class ReminderSettings:
    enabled: bool
    snoozed_until: date | None
    active: bool  # False once Telegram said the user blocked the bot


@dataclass(frozen=True, slots=True)
class ReferralCounts:
    arrived: int
    declared: int
    reminders_on: int
    sharing: int = 0  # candidates who said yes to sharing their progress (issue 14)


@dataclass(frozen=True, slots=True)
class Consent:
    """A candidate's answer about one advisor: 'asked' (no answer yet), 'yes' or 'no'."""

    code: str
    label: str
    status: str
    shown_name: str | None


@dataclass(frozen=True, slots=True)
class SharedCandidate:
    """What an advisor may see of a consenting candidate: never their Telegram id."""

    share_id: int  # the advisor's buttons carry this, not the user id
    name: str
    declared: dict[int, date]


class Store(Protocol):
    """Everything conversations may ask of storage, awaited: the bot runs each call on a
    storage thread (`bot.storage.threaded.ThreadedStore` over `bot.storage.Storage`), never on the
    event loop. Reads use a connection of their own (in WAL a reader never waits for a
    writer); writes run one at a time, in order, on the writing thread, so a database locked
    by another process delays that user's write, not everyone's answer."""

    # users; `touch_user` and `log_question` are queued on the writing thread, not awaited
    # (no reply depends on them; later writes still run after them)
    def touch_user(self, user_id: int, *, now: datetime, referral: str | None = None) -> None: ...
    async def user_lang(self, user_id: int) -> Lang | None: ...
    async def set_user_lang(self, user_id: int, lang: Lang) -> None: ...

    # declared CCPs: `declare` stores or replaces a date and says whether anything changed
    # (False when that CCP already had that date: an update handled twice changes nothing)
    async def declarations(self, user_id: int) -> dict[int, date]: ...
    async def declare(self, user_id: int, ccp: int, obtained: date, *, now: datetime) -> bool: ...
    async def delete_declaration(self, user_id: int, ccp: int) -> bool: ...

    # reminders
    async def reminder_settings(self, user_id: int) -> ReminderSettings: ...
    async def set_reminders_enabled(self, user_id: int, enabled: bool) -> None: ...
    async def snooze_reminders(self, user_id: int, until: date) -> None: ...
    async def tracking(self, user_id: int) -> tuple[date, bool, date | None, str | None] | None:
        """(closes_on, complete, next_reminder_on, last_step) as kept for reminders."""

    # privacy
    async def export_user(self, user_id: int) -> dict[str, Any]: ...
    async def forget_user(self, user_id: int) -> None: ...

    # advisors, statistics, unanswered questions (no user identity kept with questions)
    async def advisor_code(self, advisor_user_id: int) -> str | None: ...
    async def advisor_label(self, advisor_user_id: int) -> str | None: ...
    async def referral_counts(self, code: str) -> ReferralCounts: ...

    # consented follow-up by an advisor (bot/storage/advisors.py)
    async def offer_consent(self, user_id: int, code: str, *, now: datetime) -> str | None: ...
    async def set_consent(
        self, user_id: int, code: str, share: bool, *, shown_name: str | None, now: datetime
    ) -> bool: ...
    async def consents(self, user_id: int) -> list[Consent]: ...
    async def chosen_name(self, user_id: int) -> str | None: ...
    async def set_shown_name(
        self, user_id: int, name: str, *, now: datetime
    ) -> tuple[str, int]: ...
    async def shared_candidates(
        self, code: str, *, today: date, offset: int, limit: int
    ) -> tuple[int, list[SharedCandidate]]: ...
    async def shared_candidate(self, code: str, share_id: int) -> SharedCandidate | None: ...
    async def digest_enabled(self, advisor_user_id: int) -> bool: ...
    async def set_digest_enabled(self, advisor_user_id: int, enabled: bool) -> None: ...
    def log_question(
        self,
        *,
        topic: str | None,
        status: str,
        text: str | None,
        now: datetime,
        user_id: int | None = None,
    ) -> None: ...
    async def stats(self, *, now: datetime) -> dict[str, Any]: ...
    async def unanswered(self, *, now: datetime, limit: int = 50) -> list[tuple[str, int]]: ...
    async def create_announcement(self, text: str, created_by: int, now: datetime) -> int: ...


class Announcer(Protocol):
    """Sends an operator's announcement (rate-limited, never twice); wired by the application."""

    def __call__(self, announcement_id: int) -> Awaitable[str]:
        """Send to every active user not reached yet; returns the one-line summary."""

    def cancel(self, announcement_id: int) -> Awaitable[bool]:
        """Cancel a draft; False when it is already sending or sent."""


@dataclass(frozen=True, slots=True)
class ConversationSettings:
    """The part of the configuration that dialogues need."""

    admins: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    reminder_steps: tuple[str, ...] = ("12m", "6m", "3m", "1m", "2w", "1w", "1d")
    reminder_hour: time = time(9, 0)
    unanswered_days: int = 90  # how long the text of unanswered questions is kept
    outbox_hours: float = 24.0  # how long a reply Telegram refuses is kept to be sent later


@dataclass(slots=True)
class Services:
    titre: Titre
    engine: Engine
    store: Store
    catalogue: Catalogue
    settings: ConversationSettings
    clock: Callable[[], datetime]  # aware datetime; tests replace it to travel in time
    extra: Mapping[str, Any] = field(default_factory=dict)
    announcer: Announcer | None = None  # absent where nothing can be sent (the terminal)

    def now(self) -> datetime:
        return self.clock().astimezone(self.settings.timezone)

    def today(self) -> date:
        return self.now().date()


class BotData:
    """`context.bot_data`: holds the services opened in `post_init`."""

    def __init__(self) -> None:
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are opened in post_init; the application is not started")
        return self._services

    @services.setter
    def services(self, value: Services | None) -> None:
        self._services = value


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        return self.bot_data.services


CONTEXT_TYPES: ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    context=Context, bot_data=BotData
)
