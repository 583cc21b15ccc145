"""Logging that never writes the bot token, wherever it appears (URLs, errors, arguments)."""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

# Any Telegram token, known or not: "<digits>:<35 url-safe characters>".
TOKEN_SHAPE = re.compile(r"\d{3,12}:[A-Za-z0-9_-]{30,}")
REDACTED = "<token>"


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_SHAPE.sub(REDACTED, message)
        token = os.environ.get("TELEGRAM_BOT_TOKEN")
        if token:
            redacted = redacted.replace(token, REDACTED)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks are formatted later; render them now so the token can be removed.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text = TOKEN_SHAPE.sub(
                REDACTED, text if not token else text.replace(token, REDACTED)
            )
        return True


class CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever `sys.stderr` is now: a handler bound to a replaced (captured,
    closed) stream would fail on every later record."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def setup_logging(level: int = logging.INFO) -> None:
    handler = CurrentStderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL, and the URL holds the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def setup_file_logging(path: Path, level: int = logging.INFO) -> None:
    """Everything to `path` (appended), nothing on the terminal: the console's screen is the
    conversation, and log lines in the middle of it are noise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens())
    root = logging.getLogger()
    for old in root.handlers:
        old.close()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
