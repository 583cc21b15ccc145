import logging

import pytest

from bot.logs import RedactTokens

TOKEN = "987654321:AAHk3nq-secret_token_value_1234567890"


def _format(record: logging.LogRecord) -> str:
    RedactTokens().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_token_in_message_arguments_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"https://x/bot{TOKEN}/getMe",), None
    )
    text = _format(record)
    assert TOKEN not in text
    assert "<token>" in text


def test_token_in_traceback_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    try:
        raise RuntimeError(f"failed calling https://x/bot{TOKEN}/sendMessage")
    except RuntimeError as error:
        info = (type(error), error, error.__traceback__)
        record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "boom", None, info)
    text = _format(record)
    assert "RuntimeError" in text
    assert TOKEN not in text
