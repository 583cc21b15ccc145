"""/start (with deep-link payloads), /aide and the main menu buttons."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from conversations import browse, consent, deeplinks, language, pathway, render, stale
from conversations.common import ack, reply, user_lang
from conversations.services import Context

MENU: Final = deeplinks.MENU
SHOW: Final = "show"
ASK: Final = "ask"
NEW_ONLY: Final = filters.UpdateType.MESSAGE  # an edited "/start" is not a new request


async def send_welcome(update: Update, context: Context) -> None:
    catalogue = context.services.catalogue
    lang = await user_lang(update, context)
    user = update.effective_user
    name = user.first_name if user is not None and user.first_name else ""
    key = "start.welcome_named" if name else "start.welcome"
    await reply(update, context, catalogue.t(key, lang, name=name),
                render.menu_markup(catalogue, lang))


async def send_menu(update: Update, context: Context) -> None:
    catalogue = context.services.catalogue
    lang = await user_lang(update, context)
    await reply(update, context, catalogue.t("start.menu", lang),
                render.menu_markup(catalogue, lang))


async def send_help(update: Update, context: Context) -> None:
    """Everyone's commands; a registered advisor's and an operator's own come after, in a
    private chat only (nobody else needs to read them)."""
    services = context.services
    catalogue = services.catalogue
    lang = await user_lang(update, context)
    parts = [catalogue.t("start.help", lang)]
    user = update.effective_user
    if user is not None and deeplinks.is_private(update):
        if await services.store.advisor_code(user.id) is not None:
            parts.append(catalogue.t("start.help_advisor", lang))
        if user.id in services.settings.admins:
            parts.append(catalogue.t("start.help_operator", lang))
    await reply(update, context, "\n\n".join(parts), render.menu_markup(catalogue, lang))


async def open_topic(update: Update, context: Context, topic_id: str) -> None:
    services = context.services
    answer = services.engine.topic_answer(
        topic_id, today=services.today(), lang=await user_lang(update, context)
    )
    await render.send_answer(update, context, answer)


async def start(update: Update, context: Context) -> None:
    """Welcome, or the target of a deep link (`t.me/<bot>?start=vae`); unknown → welcome."""
    services = context.services
    payload = deeplinks.parse_payload(context.args[0] if context.args else None)
    user = update.effective_user
    if payload.referral and user is not None:
        services.store.touch_user(user.id, now=services.now(), referral=payload.referral)
    target = payload.target
    if target == deeplinks.CCP_LIST:
        await browse.send_list(update, context)
    elif target == deeplinks.PARCOURS:
        await pathway.send_question(update, context)
    elif target == deeplinks.LANGUE:
        await language.send_choice(update, context)
    elif target == deeplinks.AIDE:
        await send_help(update, context)
    elif target is not None and services.titre.topic(target) is not None:
        await open_topic(update, context, target)
    else:
        await send_welcome(update, context)
    if payload.referral:  # asked once, after what the link opened
        await consent.offer(update, context, payload.referral)


async def help_command(update: Update, context: Context) -> None:
    await send_help(update, context)


async def cancel_command(update: Update, context: Context) -> None:
    """/annuler with no dialogue open (a dialogue's own fallback answers it while one waits):
    nothing to stop, said as such rather than « je ne connais pas cette commande »."""
    catalogue = context.services.catalogue
    lang = await user_lang(update, context)
    await reply(update, context, catalogue.t("start.nothing_to_cancel", lang),
                render.menu_markup(catalogue, lang))  # fmt: skip


async def menu_command(update: Update, context: Context) -> None:
    """/menu: what the "☰ Menu" button under every answer opens, typed."""
    await send_menu(update, context)


async def on_menu(update: Update, context: Context) -> None:
    """menu:show / menu:ask; anything else is an old button."""
    query = update.callback_query
    if query is None:
        return
    action = (query.data or "").split(":")[1:2]
    if action == [SHOW]:
        await ack(query)
        await send_menu(update, context)
    elif action == [ASK]:
        await ack(query)
        lang = await user_lang(update, context)
        key = "start.ask_prompt" if deeplinks.is_private(update) else "start.ask_prompt_group"
        username = context.bot.username or ""
        await reply(update, context, context.services.catalogue.t(key, lang, bot=username))
    else:
        await stale.stale_button(update, context)


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler("start", start, filters=NEW_ONLY),
        CommandHandler(["aide", "help"], help_command, filters=NEW_ONLY),
        CommandHandler("menu", menu_command, filters=NEW_ONLY),
        CommandHandler(["annuler", "stop"], cancel_command, filters=NEW_ONLY),
        CallbackQueryHandler(on_menu, pattern=rf"^{MENU}:"),
    ]
