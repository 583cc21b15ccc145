"""/mescandidats: an advisor's anonymous counts, and the candidates who chose to share.

The counts (who arrived, who declared a CCP, who has reminders on) say nothing about anyone: with
fewer than three people unnamed, only arrivals are counted (the rest could be told from the list).
Below them, only candidates who said yes to sharing with *this* advisor (conversations/consent.py)
are listed, most urgent first: the name they chose, the CCPs they hold, the date that applies
with its rule in a few words, the days left; a date within three months is marked. Buttons
(`adv:page:<n>`, `adv:open:<share id>`, `adv:digest:<on|off>`) carry no Telegram id, and every
one is checked against the presser's own advisor code.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from conversations import deeplinks, stale
from conversations.common import ack, callback, keyboard, reply, show, user_lang
from conversations.i18n import Raw
from conversations.limits import shorten
from conversations.services import Context, SharedCandidate
from knowledge.deadline import Deadline, add_months, deadline_from, explain_for, format_date
from knowledge.model import Lang

PREFIX: Final = "adv"
PAGE: Final = "page"
OPEN: Final = "open"
DIGEST: Final = "digest"
# Who declared a CCP or has reminders on is counted only when at least this many of the people
# who arrived are not named (said no or have not answered): with one or two, the counts minus the
# named list would say what those people did.
MIN_UNNAMED: Final = 3
PAGE_SIZE: Final = 8  # fits a phone screen with the counts above
SOON_MONTHS: Final = 3
NAME_UNITS: Final = 20  # a candidate's name inside a button


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"advisors.{key}", lang, **values)


def rule_words(context: Context, lang: Lang, deadline: Deadline) -> str:
    """The rule behind the date in a few words (the full text is one button away)."""
    if deadline.rule == "validite_titre":
        return t(context, "rule_validity", lang, grace=deadline.grace_years)
    key = "rule_target" if deadline.provisional else "rule_referentiel"
    return t(context, key, lang, years=deadline.years)


def days_words(context: Context, lang: Lang, deadline: Deadline, today: date) -> str:
    left = deadline.days_left(today)
    if left > 0:
        return t(context, "days_left", lang, n=left)
    if left == 0:
        return t(context, "last_day", lang)
    key = "target_passed" if deadline.provisional else "closed"
    return t(context, key, lang, n=-left)


def candidate_line(
    context: Context, lang: Lang, candidate: SharedCandidate, today: date
) -> str:
    services = context.services
    ccps = ", ".join(str(n) for n in sorted(candidate.declared))
    deadline = deadline_from(services.titre.capitalisation, candidate.declared.values())
    if deadline is None:
        return t(context, "line_none", lang, name=candidate.name)
    if len(candidate.declared) >= len(services.titre.ccps):
        return t(context, "line_complete", lang, name=candidate.name, ccps=ccps)
    soon = deadline.days_left(today) >= 0 and deadline.closes_on <= add_months(today, SOON_MONTHS)
    return t(
        context,
        "line_soon" if soon else "line",
        lang,
        name=candidate.name,
        ccps=ccps,
        closes=format_date(deadline.closes_on, lang),
        rule=rule_words(context, lang, deadline),
        days=days_words(context, lang, deadline, today),
    )


async def page_view(
    context: Context, lang: Lang, advisor_id: int, code: str, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    """The counts, then one page of consenting candidates, with their buttons."""
    services = context.services
    today = services.today()
    counts = await services.store.referral_counts(code)
    link = deeplinks.link(context.bot.username, deeplinks.referral_payload(code))
    unnamed = counts.arrived - counts.sharing
    if 0 < unnamed < MIN_UNNAMED:  # the counts minus the list would tell what they did
        parts = [t(context, "counts_few", lang, arrived=counts.arrived, link=link,
                   least=MIN_UNNAMED)]  # fmt: skip
    else:
        parts = [t(context, "counts", lang, arrived=counts.arrived, declared=counts.declared,
                   reminders_on=counts.reminders_on, link=link)]  # fmt: skip
    total, shown = await services.store.shared_candidates(
        code, today=today, offset=max(page, 0) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    if total and not shown:  # the list shrank under an old page button: the last page
        total, shown = await services.store.shared_candidates(
            code, today=today, offset=page * PAGE_SIZE, limit=PAGE_SIZE
        )
    if total == 0:
        parts.append(t(context, "nobody_shares", lang))
    else:
        lines = "\n".join(candidate_line(context, lang, c, today) for c in shown)
        parts.append(t(context, "list", lang, total=total, page=page + 1, pages=pages,
                       lines=Raw(lines)))  # fmt: skip
    rows: list[list[tuple[str, str]]] = []
    buttons = [(shorten(c.name, NAME_UNITS), callback(PREFIX, OPEN, c.share_id)) for c in shown]
    rows += [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 0:
        nav.append((t(context, "button_previous", lang), callback(PREFIX, PAGE, page - 1)))
    if page + 1 < pages:
        nav.append((t(context, "button_next", lang), callback(PREFIX, PAGE, page + 1)))
    if nav:
        rows.append(nav)
    on = await services.store.digest_enabled(advisor_id)
    rows.append([(t(context, "button_digest_off" if on else "button_digest_on", lang),
                  callback(PREFIX, DIGEST, "off" if on else "on"))])  # fmt: skip
    return "\n\n".join(parts), keyboard(rows)


def detail_view(
    context: Context, lang: Lang, candidate: SharedCandidate
) -> str:
    services = context.services
    today = services.today()
    titre = services.titre
    held = "\n".join(
        t(context, "detail_ccp", lang, number=n, date=format_date(candidate.declared[n], lang))
        for n in sorted(candidate.declared)
    ) or t(context, "detail_no_ccp", lang)
    deadline = deadline_from(titre.capitalisation, candidate.declared.values())
    explain = explain_for(titre, deadline, lang, today) if deadline is not None else ""
    return t(context, "detail", lang, name=candidate.name, held=Raw(held), explain=explain)


async def _advisor(update: Update, context: Context) -> tuple[int, str] | None:
    """(advisor user id, code) of the person asking, or the "reserved" answer."""
    user = update.effective_user
    code = await context.services.store.advisor_code(user.id) if user is not None else None
    if user is None or code is None:
        await ack(update.callback_query)
        await reply(update, context, t(context, "not_registered", await user_lang(update, context)))
        return None
    return user.id, code


async def my_candidates(update: Update, context: Context) -> None:
    found = await _advisor(update, context)
    if found is None:
        return
    if not deeplinks.is_private(update):  # the advisor's own figures: not for a whole group
        await deeplinks.send_to_private(update, context, None)
        return
    text, markup = await page_view(context, await user_lang(update, context), *found, 0)
    await reply(update, context, text, markup)


async def on_button(update: Update, context: Context) -> None:
    """adv:page:<n>, adv:open:<share id>, adv:digest:<on|off>."""
    query = update.callback_query
    parts = (query.data or "").split(":") if query is not None else []
    if len(parts) != 3 or not deeplinks.is_private(update):
        await stale.stale_button(update, context)
        return
    found = await _advisor(update, context)
    if found is None:
        return
    advisor_id, code = found
    lang = await user_lang(update, context)
    action, arg = parts[1], parts[2]
    if action == DIGEST and arg in ("on", "off"):
        await context.services.store.set_digest_enabled(advisor_id, arg == "on")
        await ack(query, t(context, f"digest_{arg}", lang))
        text, markup = await page_view(context, lang, advisor_id, code, 0)
        await show(update, context, text, markup)
    elif action == PAGE and arg.isdigit():
        text, markup = await page_view(context, lang, advisor_id, code, int(arg))
        await show(update, context, text, markup)
    elif action == OPEN and arg.isdigit():
        candidate = await context.services.store.shared_candidate(code, int(arg))
        back = keyboard([[(t(context, "button_back", lang), callback(PREFIX, PAGE, 0))]])
        if candidate is None:  # stopped sharing, forgotten, or not theirs: nothing to show
            await show(update, context, t(context, "gone", lang), back)
        else:
            await show(update, context, detail_view(context, lang, candidate), back)
    else:
        await stale.stale_button(update, context)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    return [
        CommandHandler(["mescandidats", "mycandidates"], my_candidates),
        CallbackQueryHandler(on_button, pattern=rf"^{PREFIX}:"),
    ]
