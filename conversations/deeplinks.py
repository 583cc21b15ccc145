"""Ways into a dialogue: deep-link payloads, t.me links and the callback prefixes of entry buttons.

Kept in one leaf module (imports nothing else of ours but `common`/`services`) so that every
dialogue can offer a button into any other without import cycles, and so that links printed on
a poster (`t.me/<bot>?start=ccp2`) keep their meaning: these strings are a public contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from conversations.common import ack, reply, user_lang
from conversations.services import Context

# Deep-link payloads (`/start <payload>`). Every topic id of the référentiel is also accepted.
TITRE: Final = "titre"
VAE: Final = "vae"
CCP1: Final = "ccp1"
CCP2: Final = "ccp2"
CCP3: Final = "ccp3"
CCP_LIST: Final = "ccp"  # the CCP browser
DELAI: Final = "delai"  # the deadline calculator
PARCOURS: Final = "parcours"  # the guided questionnaire
CAPITALISATION: Final = "capitalisation"
CCS: Final = "ccs"
DSPP: Final = "dspp"
FORMATION: Final = "formation"
JURY: Final = "jury"
EPREUVE_SYNTHESE: Final = "epreuve_synthese"
ACTIVITES: Final = "activites"
EVOLUTIONS: Final = "evolutions"
LANGUE: Final = "langue"  # the language chooser
AIDE: Final = "aide"
REFERRAL_PREFIX: Final = "ref-"

# Topics shown first where only a few fit (inline mode with an empty query, share links).
MAIN_TOPICS: Final = (TITRE, ACTIVITES, VAE, CAPITALISATION, DELAI, CCP1, CCP2, CCP3, CCS, DSPP)

# Callback-data prefixes of the buttons that open a dialogue ("<prefix>:<action>[:<arg>]").
MENU: Final = "menu"  # start.py: menu:show, menu:ask
TOPIC: Final = "topic"  # ask.py: topic:<topic id>
ASK: Final = "ask"  # ask.py: ask:none ("none of these answers")
BROWSE: Final = "browse"  # browse.py: browse:list, browse:show:<n>, browse:comp:<n>:<i>
PATHWAY: Final = "path"  # pathway.py: path:q, path:a:<choice>
DEADLINE: Final = "delai"  # deadline_calc.py: delai:start, delai:cancel, delai:from:<yyyymmdd>
DEADLINE_FROM: Final = "from"  # delai:from:<yyyymmdd> — the deadline from a day the user wrote
LANGUAGE: Final = "lang"  # language.py: lang:set:<fr|en>

_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True, slots=True)
class Payload:
    """What a `/start` payload asks for: an advisor's referral code and/or a target."""

    referral: str | None = None
    target: str | None = None


def parse_payload(text: str | None) -> Payload:
    """`ref-<code>` → referral; `<target>-ref-<code>` → both (targets hold no "-", codes may);
    anything else valid → target (checked by the caller)."""
    if not text or not _PAYLOAD.fullmatch(text):
        return Payload()
    if text.startswith(REFERRAL_PREFIX):
        code = text[len(REFERRAL_PREFIX) :]
        return Payload(referral=code) if code else Payload()
    target, _, rest = text.partition("-")
    if rest.startswith(REFERRAL_PREFIX) and len(rest) > len(REFERRAL_PREFIX):
        return Payload(referral=rest[len(REFERRAL_PREFIX) :], target=target.lower())
    return Payload(target=text.lower())


def referral_payload(code: str, target: str | None = None) -> str:
    """`ref-<code>`, or `<target>-ref-<code>` for a topic link of an advisor. Telegram allows
    64 characters: a combination that would not fit keeps the referral and drops the topic
    (the advisor's count matters more than the first screen)."""
    payload = f"{REFERRAL_PREFIX}{code}"
    if target is not None and "-" not in target:
        combined = f"{target}-{payload}"
        payload = combined if _PAYLOAD.fullmatch(combined) else payload
    if not _PAYLOAD.fullmatch(payload):
        raise ValueError(f"not a valid deep-link payload: {payload!r}")
    return payload


def link(bot_username: str, payload: str | None = None) -> str:
    """`https://t.me/<bot>?start=<payload>`: the link that opens the private chat on a target."""
    if payload is None:
        return f"https://t.me/{bot_username}"
    if not _PAYLOAD.fullmatch(payload):
        raise ValueError(f"not a valid deep-link payload: {payload!r}")
    return f"https://t.me/{bot_username}?start={payload}"


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == chat.PRIVATE


async def send_to_private(update: Update, context: Context, payload: str | None) -> None:
    """In a group, personal things (a deadline, a language) move to the private chat."""
    services = context.services
    lang = await user_lang(update, context)
    await ack(update.callback_query)
    username = context.bot.username
    markup = None
    if username:
        label = services.catalogue.t("deeplinks.open_private", lang)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, url=link(username, payload))]]
        )
    await reply(update, context, services.catalogue.t("deeplinks.go_private", lang), markup)


async def private_only(update: Update, context: Context) -> bool:
    """Personal data is only shown or taken in a private chat; in a group, say where to go."""
    if update.effective_chat is None or is_private(update):
        return True
    await send_to_private(update, context, None)
    return False
