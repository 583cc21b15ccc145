"""The minimal echo bot: the yardstick the real bot's throughput is compared with.

Same transport, same server, same measurement as the real bot; only the handler differs.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackContext,
    MessageHandler,
    filters,
)

AnyApp = Application[Any, Any, Any, Any, Any, Any]


async def _echo(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def echo_app(
    token: str,
    base_url: str,
    *,
    concurrency: int | None = None,
    pool_size: int = 1,
    rate_limiter: bool = False,
    overall_max_rate: float = 30,
) -> AnyApp:
    """An echo Application by long polling against `base_url`.

    `concurrency`: None handles one update at a time, N runs up to N at once.
    `pool_size`: HTTP connections for the bot's own requests (getUpdates has its own).
    `rate_limiter`: AIORateLimiter(max_retries=3), `overall_max_rate` messages a second over
    all chats (PTB's default 30; 0 removes the overall cap, keeping group limits and retries).
    """
    builder: Any = (  # ApplicationBuilder's generics change with each call
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .connection_pool_size(pool_size)
        .pool_timeout(30.0)
        .concurrent_updates(concurrency if concurrency else False)
    )
    if rate_limiter:
        limiter = AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=3)
        builder = builder.rate_limiter(limiter)
    application: AnyApp = builder.build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, _echo))
    return application
