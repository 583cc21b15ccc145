"""Command names in both languages: French is the bot's own, English an alias of each.

One table, read by the assembly (every French command handler also answers to its English
name, `with_english_aliases`), by the English command menu (`command_name(..., "en")`) and by
the replies, whose templates in English name the English command.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import Any, Final

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from knowledge.model import Lang

# French command -> its English alias (the menu in English shows the alias).
ENGLISH: Final = MappingProxyType(
    {
        "aide": "help",
        "parcours": "path",
        "declarer": "declare",
        "mesccp": "myccps",
        "delai": "deadline",
        "rappels": "reminders",
        "partager": "share",
        "langue": "language",
        "confidentialite": "privacy",
        "mesdonnees": "mydata",
        "oublier": "forget",
        "annuler": "cancel",
        "mescandidats": "mycandidates",
        "conseiller": "advisor",
        "pseudo": "nickname",
        "inconnues": "unanswered",
        "annonce": "announce",
    }
)


def command_name(french: str, lang: Lang) -> str:
    """The name of a command (without "/") as a user of `lang` types it."""
    return ENGLISH.get(french, french) if lang == "en" else french


def with_english_aliases(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> None:
    """Every command handler that answers a French command answers its English name too,
    inside conversations as well (entry points, states, fallbacks)."""
    for handler in _command_handlers(handlers):
        aliases = {ENGLISH[name] for name in handler.commands if name in ENGLISH}
        if not aliases <= handler.commands:
            handler.commands = handler.commands | frozenset(aliases)


def _command_handlers(
    handlers: Iterable[BaseHandler[Any, Any, Any]],
) -> Iterator[CommandHandler[Any, Any]]:
    for handler in handlers:
        if isinstance(handler, CommandHandler):
            yield handler
        elif isinstance(handler, ConversationHandler):
            yield from _command_handlers(handler.entry_points)
            for state in handler.states.values():
                yield from _command_handlers(state)
            yield from _command_handlers(handler.fallbacks)
