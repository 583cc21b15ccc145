"""How a person leaves a dialogue without pressing "Annuler": by another command, or by
coming back later with something else to say.

The dialogues that wait for typed text (/declarer, /delai) are persistent: their state outlives
a restart. Without this, a dialogue left half-way kept reading every later message as its answer
("Je n'ai pas compris… Quel CCP avez-vous obtenu ?" to "c quoi la vae", days later). Testers who
tried the bot as its users all fell into it. A dialogue notes when it last asked something
(`timed`); a message that comes `LEFT_AFTER` later, or after another command (`on_moved_on`,
run before every feature), is a new question: the dialogue's text handler checks `left`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterator
from datetime import datetime, timedelta
from typing import Any, Final

from telegram import Update
from telegram.ext import ConversationHandler

from conversations.common import scratch
from conversations.services import Context

# A dialogue whose last prompt is older than this is over: the next message is a new question.
LEFT_AFTER: Final = timedelta(minutes=30)
_ASKED_AT: Final = ".asked_at"  # scratch key "<dialogue>.asked_at": when it last asked

# Commands that mean "I moved on" while a dialogue waits (each runs as usual).
# A dialogue's own command counts too: the dialogue it starts notes its prompt after this runs,
# so an older dialogue left open (/declarer, then /delai) no longer takes the next message.
COMMANDS: Final = ("start", "aide", "help", "menu", "ccp", "parcours", "langue", "language",
                   "lang", "mesccp", "rappels", "partager", "confidentialite", "delai",
                   "deadline", "declarer", "declare")  # fmt: skip

Handler = Callable[[Update, Context], Coroutine[Any, Any, object]]


def asked(context: Context, name: str) -> None:
    """The dialogue `name` has just asked something: the clock of `left` starts again."""
    scratch(context)[name + _ASKED_AT] = context.services.now().isoformat()


def forget(context: Context, name: str) -> None:
    """The dialogue `name` ended: nothing waits any more."""
    scratch(context).pop(name + _ASKED_AT, None)


def left(context: Context, name: str) -> bool:
    """Whether the dialogue `name` is no longer waiting: it asked longer than `LEFT_AFTER`
    ago, or the person moved on since (another command), or it never said when."""
    when = scratch(context).get(name + _ASKED_AT)
    try:
        since = datetime.fromisoformat(when) if isinstance(when, str) else None
    except ValueError:
        since = None
    return since is None or context.services.now() - since > LEFT_AFTER


def forget_all(context: Context) -> None:
    """No dialogue waits any more."""
    data = scratch(context)
    for key in [k for k in data if isinstance(k, str) and k.endswith(_ASKED_AT)]:
        del data[key]


async def on_moved_on(update: Update, context: Context) -> None:
    """Another command while a dialogue waits: no dialogue waits any more (the command itself
    is handled by its feature, after this)."""
    forget_all(context)
    end_dialogues(update, context)


def end_dialogues(update: Update, context: Context) -> None:
    """Every dialogue of this person in this chat ends, its stored state too: a dialogue left
    open no longer takes the messages meant for the one the command starts (/declarer left
    at the CCP choice took the date typed for /delai, then answered it as a question)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    for handler in dialogues(context):
        key = (chat.id, user.id) if handler.per_chat else (user.id,)
        handler._conversations.pop(key, None)  # tracked: the flush deletes it too


def dialogues(context: Context) -> Iterator[ConversationHandler[Context]]:
    """Every dialogue kept per user (its states are keyed by the user's id, with the chat's
    when per chat): what ending one's dialogues, or forgetting someone, goes through."""
    for group in context.application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.per_user:
                yield handler


def timed(name: str, callback: Handler) -> Handler:
    """`callback` of the dialogue `name`, noting when it asks something (any state but the
    end, -1) and when it ends, so that `left` can tell a dialogue left waiting."""

    async def noted(update: Update, context: Context) -> object:
        state = await callback(update, context)
        if state != -1:
            asked(context, name)
        else:
            forget(context, name)
        return state

    noted.__name__ = noted.__qualname__ = getattr(callback, "__name__", "callback")
    return noted
