"""Long polling: `python -m bot run`, the bot on Telegram fetching its updates.

Each getUpdates answer goes through `bot.updates.intake` (stored before the next getUpdates
acknowledges it), as `bot.app.build_application` wires it.
"""

from __future__ import annotations

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from knowledge.model import Titre

# PTB sleeps poll_interval after *every* getUpdates, even one that brought updates; the
# long-poll timeout already makes the server hold an empty request, so no pause is needed.
POLL_INTERVAL = 0.0
LONG_POLL_TIMEOUT = 30  # seconds Telegram holds getUpdates open when there is nothing new


def run_polling(settings: Settings, titre: Titre) -> int:
    settings.require_token()
    application = build_application(settings, titre=titre, freeze_heap=True)
    # PTB stops cleanly on SIGINT/SIGTERM: it finishes the updates in hand, flushes the
    # persistence, then runs post_shutdown (which closes storage).
    application.run_polling(
        allowed_updates=Update.ALL_TYPES, poll_interval=POLL_INTERVAL, timeout=LONG_POLL_TIMEOUT
    )
    return 0
