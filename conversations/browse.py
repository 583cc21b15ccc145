"""/ccp: browse the CCPs and their competences with buttons, always with a way back."""

from __future__ import annotations

from typing import Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from conversations import deeplinks, render, stale
from conversations.common import ack, callback, keyboard, reply, show, user_lang
from conversations.services import Context
from knowledge.model import Ccp, Lang

PREFIX: Final = deeplinks.BROWSE
LIST: Final = "list"
SHOW: Final = "show"  # edits the pressed browse screen
OPEN: Final = "open"  # from under an answer: a new message, the answer stays
COMPETENCE: Final = "comp"
BUTTONS_PER_ROW = 6


def _list_screen(context: Context, lang: Lang) -> tuple[str, render.Rows]:
    services = context.services
    t = services.catalogue.t
    lines = [t("browse.list_title", lang, count=len(services.titre.ccps))]
    lines += [
        t("browse.list_item", lang, number=ccp.number, title=ccp.title.get(lang))
        for ccp in services.titre.ccps
    ]
    rows: render.Rows = [[
        (t("browse.ccp_button", lang, number=ccp.number), callback(PREFIX, SHOW, ccp.number))
        for ccp in services.titre.ccps
    ]]
    rows.append([(t("browse.ways", lang), callback(deeplinks.TOPIC, deeplinks.PARCOURS))])
    rows.append([render.menu_button(services.catalogue, lang)])
    return "\n\n".join(lines), rows


def _ccp_screen(context: Context, lang: Lang, ccp: Ccp) -> tuple[str, render.Rows]:
    services = context.services
    t = services.catalogue.t
    lines = [t("browse.ccp_title", lang, number=ccp.number, title=ccp.title.get(lang))]
    lines.append(t("browse.competences_intro", lang, count=len(ccp.competences)))
    lines += [
        t("browse.competence_item", lang, index=i, text=c.text.get(lang))
        for i, c in enumerate(ccp.competences, start=1)
    ]
    numbers = [
        (str(i), callback(PREFIX, COMPETENCE, ccp.number, i))
        for i in range(1, len(ccp.competences) + 1)
    ]
    rows: render.Rows = [
        numbers[i : i + BUTTONS_PER_ROW] for i in range(0, len(numbers), BUTTONS_PER_ROW)
    ]
    rows.append(_neighbours(context, lang, ccp.number))
    rows.append([(t("browse.more", lang, number=ccp.number), callback(deeplinks.TOPIC, ccp.id))])
    rows.append([(t("browse.back_list", lang), callback(PREFIX, LIST)),
                 render.menu_button(services.catalogue, lang)])
    return "\n".join([lines[0], "", lines[1], *lines[2:]]), rows


def _neighbours(context: Context, lang: Lang, number: int) -> list[tuple[str, str]]:
    numbers = [c.number for c in context.services.titre.ccps]
    t = context.services.catalogue.t
    row: list[tuple[str, str]] = []
    index = numbers.index(number)
    if index > 0:
        row.append((t("browse.previous_ccp", lang, number=numbers[index - 1]),
                    callback(PREFIX, SHOW, numbers[index - 1])))
    if index + 1 < len(numbers):
        row.append((t("browse.next_ccp", lang, number=numbers[index + 1]),
                    callback(PREFIX, SHOW, numbers[index + 1])))
    return row


def _competence_screen(
    context: Context, lang: Lang, ccp: Ccp, index: int
) -> tuple[str, render.Rows]:
    services = context.services
    t = services.catalogue.t
    competence = ccp.competences[index - 1]
    text = t("browse.competence", lang, number=ccp.number, index=index,
             count=len(ccp.competences), ccp_title=ccp.title.get(lang),
             text=competence.text.get(lang))
    nav: list[tuple[str, str]] = []
    if index > 1:
        nav.append((t("browse.previous", lang),
                    callback(PREFIX, COMPETENCE, ccp.number, index - 1)))
    if index < len(ccp.competences):
        nav.append((t("browse.next", lang), callback(PREFIX, COMPETENCE, ccp.number, index + 1)))
    rows: render.Rows = [nav] if nav else []
    rows.append([(t("browse.back_ccp", lang, number=ccp.number),
                  callback(PREFIX, SHOW, ccp.number))])
    rows.append([(t("browse.back_list", lang), callback(PREFIX, LIST)),
                 render.menu_button(services.catalogue, lang)])
    return text, rows


async def send_list(update: Update, context: Context) -> None:
    text, rows = _list_screen(context, await user_lang(update, context))
    await show(update, context, text, keyboard(rows))


async def ccp_command(update: Update, context: Context) -> None:
    """/ccp alone lists the CCPs; `/ccp 2` opens CCP 2."""
    lang = await user_lang(update, context)
    ccp = _ccp_from(context, context.args[0] if context.args else None)
    if ccp is None:
        await send_list(update, context)
        return
    text, rows = _ccp_screen(context, lang, ccp)
    await show(update, context, text, keyboard(rows))


def _ccp_from(context: Context, arg: str | None) -> Ccp | None:
    digits = "".join(ch for ch in arg or "" if ch.isdigit())
    return context.services.titre.ccp(int(digits)) if digits and len(digits) < 3 else None


async def on_button(update: Update, context: Context) -> None:
    """browse:list, browse:show|open:<n>, browse:comp:<n>:<i>; old or malformed → stale."""
    query = update.callback_query
    if query is None:
        return
    lang = await user_lang(update, context)
    parts = (query.data or "").split(":")[1:]
    screen: tuple[str, render.Rows] | None = None
    if parts == [LIST]:
        screen = _list_screen(context, lang)
    elif len(parts) in (2, 3) and parts[0] in (SHOW, OPEN, COMPETENCE):
        ccp = _ccp_from(context, parts[1])
        if ccp is not None and parts[0] in (SHOW, OPEN) and len(parts) == 2:
            screen = _ccp_screen(context, lang, ccp)
        elif ccp is not None and parts[0] == COMPETENCE and len(parts) == 3:
            index = int(parts[2]) if parts[2].isdigit() else 0
            if 1 <= index <= len(ccp.competences):
                screen = _competence_screen(context, lang, ccp, index)
    if screen is None:
        await stale.stale_button(update, context)
        return
    if parts[0] == OPEN:
        await ack(query)
        await reply(update, context, screen[0], keyboard(screen[1]))
        return
    await show(update, context, screen[0], keyboard(screen[1]))


def handlers() -> list[BaseHandler[Update, Context, Any]]:
    return [
        CommandHandler("ccp", ccp_command, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
