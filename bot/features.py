"""The dialogues the bot runs, wired here by explicit imports, in the order PTB tries them.

Each module of `conversations/` exports `handlers()`; `build_application` adds the handlers of
the features it is given (all by default; tests pick a few by name) in this order. A new
dialogue is one import and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler

from conversations import (
    admin,
    advisors,
    ask,
    browse,
    consent,
    deadline_calc,
    declare,
    inline,
    language,
    more,
    my_ccps,
    other_media,
    pathway,
    privacy,
    reminder_settings,
    share,
    stale,
    start,
)
from conversations.services import Context

Handlers = Callable[[], Sequence[BaseHandler[Update, Context, Any]]]

# Dialogues that wait for a reply come first: their handlers take the text they wait for;
# `ask` answers any other text, `other_media` any other message, `stale` any old button.
FEATURES: Mapping[str, Handlers] = MappingProxyType(
    {
        "declare": declare.handlers,
        "deadline_calc": deadline_calc.handlers,
        "reminder_settings": reminder_settings.handlers,
        "privacy": privacy.handlers,
        "my_ccps": my_ccps.handlers,
        "start": start.handlers,
        "browse": browse.handlers,
        "pathway": pathway.handlers,
        "language": language.handlers,
        "inline": inline.handlers,
        "admin": admin.handlers,
        "share": share.handlers,
        "advisors": advisors.handlers,
        "more": more.handlers,
        "consent": consent.handlers,
        "ask": ask.handlers,
        "other_media": other_media.handlers,
        "stale": stale.handlers,
    }
)
ALL = tuple(FEATURES)


def handlers_of(names: Sequence[str]) -> list[BaseHandler[Update, Context, Any]]:
    """The handlers of the named features, in the order given (KeyError for an unknown one)."""
    return [handler for name in names for handler in FEATURES[name]()]
