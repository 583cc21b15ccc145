"""The three ways to run the same Application: long polling, webhook, and the terminal."""

from __future__ import annotations

import asyncio
import sys
from urllib.parse import urlparse

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.durable import DurableApplication
from bot.webhook import serve_webhook
from knowledge.model import Titre

# PTB sleeps poll_interval after *every* getUpdates, even one that brought updates; the
# long-poll timeout already makes the server hold an empty request, so no pause is needed.
POLL_INTERVAL = 0.0
LONG_POLL_TIMEOUT = 30  # seconds Telegram holds getUpdates open when there is nothing new
# The console looks for due reminders this often (on Telegram: once a day, and at start-up).
CONSOLE_REMINDER_SECONDS = 10.0


def run_polling(settings: Settings, titre: Titre) -> int:
    settings.require_token()
    application = build_application(settings, titre=titre, freeze_heap=True)
    # PTB stops cleanly on SIGINT/SIGTERM: it finishes the updates in hand, flushes the
    # persistence, then runs post_shutdown (which closes storage).
    application.run_polling(
        allowed_updates=Update.ALL_TYPES, poll_interval=POLL_INTERVAL, timeout=LONG_POLL_TIMEOUT
    )
    return 0


def run_webhook(
    settings: Settings, titre: Titre, *, listen: str, port: int, url: str, secret_token: str | None
) -> int:
    """Served by `bot.webhook` (size cap, 400 for bad bodies, stored before 200), not PTB's."""
    settings.require_token()
    application = build_application(settings, titre=titre, freeze_heap=True)
    if not isinstance(application, DurableApplication):
        raise TypeError("build_application must build a DurableApplication")
    asyncio.run(
        serve_webhook(
            application,
            listen=listen,
            port=port,
            url_path=urlparse(url).path,
            webhook_url=url,
            secret_token=secret_token,
        )
    )
    return 0


def run_chat(settings: Settings, titre: Titre) -> int:
    """The console: logs to `<database folder>/console.log`, files the bot sends written to
    `<database folder>/console-files/`; both paths are printed on standard error."""
    from bot.console import run_console
    from bot.console_files import ConsoleRequest
    from bot.logs import setup_file_logging

    folder = settings.db_path.parent
    log_file, files = (folder / "console.log").resolve(), (folder / "console-files").resolve()
    setup_file_logging(log_file)
    print(f"Journal / log: {log_file}\nFichiers / files: {files}", file=sys.stderr)
    request = ConsoleRequest(files)
    application = build_application(settings, request=request, titre=titre)
    try:
        asyncio.run(
            run_console(
                application,
                request,
                input=sys.stdin,
                output=sys.stdout,
                reminder_every=CONSOLE_REMINDER_SECONDS,
            )
        )
    except KeyboardInterrupt:  # Ctrl-C is how people leave a terminal program
        print()
    return 0
