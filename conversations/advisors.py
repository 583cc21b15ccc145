"""/mescandidats: an advisor sees anonymous counts of the people who came through their link.

Only three numbers: who arrived, who declared a CCP, who has reminders on. No name, no id, no
date is ever shown, so nothing lets an advisor tell one candidate from another.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from conversations import deeplinks
from conversations.common import reply, user_lang
from conversations.services import Context


async def my_candidates(update: Update, context: Context) -> None:
    services = context.services
    lang = user_lang(update, context)
    t = services.catalogue.t
    user = update.effective_user
    code = services.store.advisor_code(user.id) if user is not None else None
    if code is None:
        await reply(update, context, t("advisors.not_registered", lang))
        return
    if not deeplinks.is_private(update):  # the advisor's own figures: not for a whole group
        await deeplinks.send_to_private(update, context, None)
        return
    counts = services.store.referral_counts(code)
    link = deeplinks.link(context.bot.username, deeplinks.referral_payload(code))
    await reply(
        update,
        context,
        t(
            "advisors.counts",
            lang,
            arrived=counts.arrived,
            declared=counts.declared,
            reminders_on=counts.reminders_on,
            link=link,
        ),
    )


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [CommandHandler(["mescandidats", "mycandidates"], my_candidates)]
