"""A question typed where a dialogue waited for something else ("attends c quoi le ccp3 deja"
at a date prompt): answered by the engine when it has a confident answer, so that the dialogue
can go on instead of refusing."""

from __future__ import annotations

from telegram import Update

from conversations import render
from conversations.common import question_lang
from conversations.services import Context


async def answered(update: Update, context: Context, text: str) -> bool:
    """Send the engine's answer to `text` when it asks something (a question mark or word),
    the engine is confident, and it is not the deadline (which needs the date being typed);
    say whether it did. « last spring » or « je sais plus » at a date prompt is no question:
    a tester got the CCP 3 card for it, in the middle of declaring CCP 1."""
    services = context.services
    if not services.engine.normalizer.prepare(text).asks:
        return False
    lang = await question_lang(update, context, text)  # as in a free question
    answer = services.engine.ask(text, today=services.today(), lang=lang)
    deadline = services.titre.by_role("deadline")
    if answer.status != "answer" or answer.deadline is not None:
        return False
    if deadline is not None and answer.topic == deadline.id:
        return False
    await render.send_answer(update, context, answer)
    return True


async def answer(update: Update, context: Context, text: str) -> None:
    """Send the engine's answer to `text`, whatever it is (a dialogue that no longer waits
    hands the message over as the new question it is)."""
    services = context.services
    lang = await question_lang(update, context, text)
    found = services.engine.ask(text, today=services.today(), lang=lang)
    await render.send_answer(update, context, found)
