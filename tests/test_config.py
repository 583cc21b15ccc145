from datetime import time

import pytest

from bot.cli import commands as cli
from bot.config import DEFAULT_BASE_URL, ConfigError, Settings


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    assert settings.base_url == DEFAULT_BASE_URL
    assert str(settings.db_path) == "data/bot.sqlite3"
    assert settings.timezone.key == "Europe/Paris"
    assert settings.reminder_steps == ("12m", "6m", "3m", "1m", "2w", "1w", "1d")
    assert settings.reminder_hour == time(9, 0)


def test_values_from_environment() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35,
            "TELEGRAM_BASE_URL": "http://127.0.0.1:8081",
            "BOT_DB": "/tmp/x.sqlite3",
            "BOT_ADMINS": "12, 34",
            "BOT_TIMEZONE": "America/Cayenne",
            "BOT_REMINDER_STEPS": "3m,1w",
            "BOT_REMINDER_HOUR": "18:30",
            "BOT_REPLY_RETRY_SECONDS": "2.5",
            "BOT_OUTBOX_HOURS": "48",
            "BOT_OUTBOX_EVERY": "1",
        }
    )
    assert (settings.reply_retry_seconds, settings.outbox_hours, settings.outbox_every) == (
        2.5, 48.0, 1.0
    )
    assert settings.base_url == "http://127.0.0.1:8081/bot"
    assert settings.admins == frozenset({12, 34})
    assert settings.timezone.key == "America/Cayenne"
    assert settings.reminder_steps == ("3m", "1w")
    assert settings.reminder_hour == time(18, 30)
    assert settings.require_token().startswith("123456:")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("BOT_ADMINS", "alice", "BOT_ADMINS"),
        ("BOT_TIMEZONE", "Mars/Olympus", "BOT_TIMEZONE"),
        ("BOT_REMINDER_STEPS", "soon", "BOT_REMINDER_STEPS"),
        ("BOT_REMINDER_HOUR", "9h", "BOT_REMINDER_HOUR"),
        ("BOT_REPLY_RETRY_SECONDS", "a minute", "BOT_REPLY_RETRY_SECONDS"),
        ("BOT_OUTBOX_HOURS", "0", "BOT_OUTBOX_HOURS"),
    ],
)
def test_bad_values_say_which_setting(name: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        Settings.from_env({name: value})


@pytest.mark.parametrize("token", [None, "", "not-a-token", "123:short"])
def test_missing_or_malformed_token_is_one_clear_error(token: str | None) -> None:
    env = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        Settings.from_env(env).require_token()


class _Recording(dict[str, str]):
    """An empty environment that remembers every variable the settings look up."""

    def __init__(self) -> None:
        super().__init__()
        self.read: set[str] = set()

    def get(self, key: str, default: object = None) -> object:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)


def test_every_variable_read_is_named_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    """An operator reading `python -m bot --help` sees every variable, BOT_ADMINS included."""
    env = _Recording()
    Settings.from_env(env)
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    shown = capsys.readouterr().out
    assert "BOT_ADMINS" in env.read and len(env.read) >= 10
    assert [name for name in sorted(env.read) if name not in shown] == []
