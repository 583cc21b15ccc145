"""Settings read once from the environment (DESIGN.md lists the variables)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from conversations.services import ConversationSettings

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_DB = "data/bot.sqlite3"
DEFAULT_STEPS = "12m,6m,3m,1m,2w,1w,1d"
# Every variable read below, as `python -m bot --help` names them for operators (README has more).
ENVIRONMENT: dict[str, str] = {
    "TELEGRAM_BOT_TOKEN": "the bot's token (without it: the terminal, offline)",
    "TELEGRAM_BASE_URL": "Bot API base URL, for a self-hosted Bot API server",
    "BOT_DB": f"SQLite database path ({DEFAULT_DB})",
    "BOT_ADMINS": "comma-separated Telegram user ids of operators (/stats, /inconnues, /annonce)",
    "BOT_TIMEZONE": "time zone for dates and the reminder hour (Europe/Paris)",
    "BOT_REMINDER_STEPS": f"reminders before the window closes ({DEFAULT_STEPS})",
    "BOT_REMINDER_HOUR": "hour the daily reminders are sent (09:00)",
    "BOT_REPLY_RETRY_SECONDS": "how long a refused reply is retried before the outbox (60)",
    "BOT_OUTBOX_HOURS": "how long a kept reply waits for Telegram (24)",
    "BOT_OUTBOX_EVERY": "seconds between attempts to send kept replies (5)",
    "BOT_UNANSWERED_DAYS": "days the text of unanswered questions is kept (90)",
}
# Telegram tokens look like "123456789:AA…" (bot id, colon, 35 url-safe characters).
TOKEN_PATTERN = re.compile(r"^\d{3,12}:[A-Za-z0-9_-]{30,}$")


def normalise_base_url(url: str) -> str:
    """Accept both `http://host:8081` and `http://host:8081/bot`: PTB appends the token."""
    url = url.rstrip("/")
    return url if url.endswith("/bot") or "{token}" in url else f"{url}/bot"


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line for the operator."""


def _positive(env: Mapping[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError as error:
        raise ConfigError(f"{name} must be a number, got {text!r}") from error
    if not value > 0:
        raise ConfigError(f"{name} must be above 0, got {text!r}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    token: str | None = None
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = Path(DEFAULT_DB)
    admins: frozenset[int] = frozenset()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Paris"))
    reminder_steps: tuple[str, ...] = tuple(DEFAULT_STEPS.split(","))
    reminder_hour: time = time(9, 0)
    unanswered_days: int = 90
    reply_retry_seconds: float = 60.0  # a reply is retried this long, then kept in the outbox
    outbox_hours: float = 24.0  # a kept reply older than this is dropped (logged as lost)
    outbox_every: float = 5.0  # seconds between attempts to send the kept replies

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip() or None
        base_url = normalise_base_url(env.get("TELEGRAM_BASE_URL", "").strip() or DEFAULT_BASE_URL)
        try:
            admins = frozenset(
                int(part) for part in env.get("BOT_ADMINS", "").replace(" ", "").split(",") if part
            )
        except ValueError as error:
            raise ConfigError("BOT_ADMINS must be comma-separated Telegram user ids") from error
        tz_name = env.get("BOT_TIMEZONE", "").strip() or "Europe/Paris"
        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ConfigError(f"BOT_TIMEZONE: unknown time zone {tz_name!r}") from error
        steps = tuple(
            s.strip() for s in env.get("BOT_REMINDER_STEPS", DEFAULT_STEPS).split(",") if s.strip()
        )
        if not steps or not all(re.fullmatch(r"\d+[dwmy]", s) for s in steps):
            raise ConfigError("BOT_REMINDER_STEPS: expected e.g. 12m,6m,3m,1m,2w,1w,1d")
        hour_text = env.get("BOT_REMINDER_HOUR", "09:00").strip()
        try:
            reminder_hour = time.fromisoformat(hour_text)
        except ValueError as error:
            raise ConfigError(f"BOT_REMINDER_HOUR: expected HH:MM, got {hour_text!r}") from error
        try:
            unanswered_days = int(env.get("BOT_UNANSWERED_DAYS", "90"))
        except ValueError as error:
            raise ConfigError("BOT_UNANSWERED_DAYS must be a whole number of days") from error
        reply_retry_seconds, outbox_hours, outbox_every = (
            _positive(env, name, default)
            for name, default in (("BOT_REPLY_RETRY_SECONDS", 60.0), ("BOT_OUTBOX_HOURS", 24.0),
                                  ("BOT_OUTBOX_EVERY", 5.0))
        )  # fmt: skip
        return cls(
            token=token,
            base_url=base_url,
            db_path=Path(env.get("BOT_DB", "").strip() or DEFAULT_DB),
            admins=admins,
            timezone=timezone,
            reminder_steps=steps,
            reminder_hour=reminder_hour,
            unanswered_days=unanswered_days,
            reply_retry_seconds=reply_retry_seconds,
            outbox_hours=outbox_hours,
            outbox_every=outbox_every,
        )

    def require_token(self) -> str:
        if not self.token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather, then "
                "`export TELEGRAM_BOT_TOKEN=...` (or run `python -m bot chat` to try it offline)."
            )
        if not TOKEN_PATTERN.match(self.token):
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN looks malformed: expected '<digits>:<35 characters>' "
                "as given by @BotFather."
            )
        return self.token

    def conversation_settings(self) -> ConversationSettings:
        return ConversationSettings(
            admins=self.admins,
            timezone=self.timezone,
            reminder_steps=self.reminder_steps,
            reminder_hour=self.reminder_hour,
            unanswered_days=self.unanswered_days,
            outbox_hours=self.outbox_hours,
        )
