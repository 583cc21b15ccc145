"""An Application that writes what changed as soon as an update is handled.

PTB writes persistence every `update_interval` seconds (5 by default): a `kill -9` in between
loses the dialogue step a user just took. Here each update's changes (conversation state,
user_data, chat_data) are written when it has been handled, before the update is marked done
in the inbox (`bot.updates.intake`); a killed bot loses at most the update in flight, which
the inbox gives back after a restart.

When it stops, no scheduled job starts any more: PTB waits for the jobs already running, then
its scheduler cancels the others, so a job due in between (the reminders' catch-up run) would be
cut as it began. Left unstarted, it runs at the next start.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.updates.intake import Intake

log = logging.getLogger(__name__)


class DurableApplication(Application[Any, Any, Any, Any, Any, Any]):
    intake: Intake | None = None  # set by bot.app.build_application

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        if self.persistence is not None:
            await self.update_persistence()
        if self.intake is not None and isinstance(update, Update):
            await self.intake.done(update.update_id)

    async def stop(self) -> None:
        queue = self.job_queue
        if queue is not None and queue.scheduler.running:
            queue.scheduler.pause()  # then shut down, never resumed, by super().stop()
        await super().stop()
