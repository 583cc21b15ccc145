"""/mescandidats: an advisor sees anonymous counts of the people who came through their link."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from conversations.common import reply, user_lang
from conversations.services import Context


async def my_candidates(update: Update, context: Context) -> None:
    lang = user_lang(update, context)
    t = context.services.catalogue.t
    user = update.effective_user
    store = context.services.store
    code = store.advisor_code(user.id) if user else None
    if code is None:
        await reply(update, context, t("advisors.not_registered", lang))
        return
    counts = store.referral_counts(code)
    await reply(
        update,
        context,
        t(
            "advisors.counts",
            lang,
            arrived=counts.arrived,
            declared=counts.declared,
            reminders_on=counts.reminders_on,
        ),
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler(["mescandidats", "mycandidates"], my_candidates)]
