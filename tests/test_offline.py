"""The offline transport runs a real Application: what a user would see, with no network."""

from __future__ import annotations

import html
import io
import socket
from typing import Any

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, Forbidden, TimedOut
from telegram.ext import (
    BaseHandler,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.app import running
from bot.offline import (
    FakeBotApi,
    Fault,
    OfflineRequest,
    buttons_of,
    html_to_text,
    offline_builder,
    text_of,
)
from bot.transports.console import run_console

Ctx = CallbackContext[Any, Any, Any, Any]
MENU = InlineKeyboardMarkup([[InlineKeyboardButton("Voir le CCP 3", callback_data="ccp:3")]])


async def start(update: Update, context: Ctx) -> None:
    assert update.effective_message and update.effective_user
    name = html.escape(update.effective_user.first_name)
    await update.effective_message.reply_html(f"Bonjour <b>{name}</b> !", reply_markup=MENU)


async def pressed(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query and query.data
    await query.answer("C'est parti")
    back = InlineKeyboardMarkup([[InlineKeyboardButton("Retour", callback_data="menu")]])
    if query.data == "menu":
        await query.edit_message_text("Menu", reply_markup=MENU)
    else:
        await query.edit_message_text(f"CCP {query.data.split(':')[1]}", reply_markup=back)


async def echo(update: Update, context: Ctx) -> None:
    assert update.effective_message and update.effective_message.text
    text = html.escape(update.effective_message.text)
    await update.effective_message.reply_html(f"<i>Écho</i> : {text}")


async def card(update: Update, context: Ctx) -> None:
    assert update.effective_message
    await update.effective_message.reply_photo(b"\x89PNG-qr", filename="qr.png", caption="QR")
    await update.effective_message.reply_document(b"BEGIN:VCALENDAR", filename="delai.ics")


async def sticker(update: Update, context: Ctx) -> None:
    assert update.effective_message
    await update.effective_message.reply_text("Joli autocollant !")


async def inline(update: Update, context: Ctx) -> None:
    assert update.inline_query
    article = InlineQueryResultArticle(
        "vae", "La VAE", InputTextMessageContent(f"VAE : {update.inline_query.query}")
    )
    await update.inline_query.answer([article])


def demo_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """An echo bot with a menu button, uploads, a sticker reply and inline mode."""
    return [
        CommandHandler("start", start),
        CommandHandler("carte", card),
        CallbackQueryHandler(pressed),
        InlineQueryHandler(inline),
        MessageHandler(filters.Sticker.ALL, sticker),
        MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
    ]


async def test_polling_echo_menu_button_and_edit(bot_api: FakeBotApi, build_test_app: Any) -> None:
    app = build_test_app(demo_handlers())
    async with running(app, polling=True):
        assert app.bot.username == "tsgri_test_bot"
        [reply] = await bot_api.ask("a < b & c")
        assert text_of(reply) == "Écho : a < b & c"  # HTML parsed as Telegram does
        [welcome] = await bot_api.ask("/start")
        assert text_of(welcome) == "Bonjour Camille !"
        assert buttons_of(welcome) == ["Voir le CCP 3"]
        [edited] = await bot_api.press(welcome, "Voir le CCP 3")
        assert edited["message_id"] == welcome["message_id"]
        assert (text_of(edited), buttons_of(edited)) == ("CCP 3", ["Retour"])
        assert [a["text"] for a in bot_api.callback_answers.values()] == ["C'est parti"]
        [menu] = await bot_api.press(welcome, "Retour")  # the message as it is now
        assert text_of(menu) == "Menu"
    assert bot_api.unanswered_callbacks() == set()


async def test_uploads_sticker_and_inline_query(bot_api: FakeBotApi, build_test_app: Any) -> None:
    app = build_test_app(demo_handlers())
    async with running(app, polling=True):
        photo, document = await bot_api.ask("/carte", count=2)
        assert photo["caption"] == "QR" and "photo" in photo
        assert document["document"]["file_name"] == "delai.ics"
        uploads = [u for call in bot_api.calls for u in call.uploads]
        assert [(u.field, u.filename, u.size) for u in uploads] == [
            ("photo", "qr.png", 7),
            ("document", "delai.ics", 15),
        ]
        since = bot_api.mark()
        bot_api.push(bot_api.factory.sticker())
        [reply] = await bot_api.wait_messages(1, since=since)
        assert text_of(reply) == "Joli autocollant !"
        bot_api.user_inline_query("vae")
        await bot_api.wait_for(lambda: bool(bot_api.inline_answers))
        [results] = bot_api.inline_answers.values()
        assert results[0]["input_message_content"]["message_text"] == "VAE : vae"


async def test_feeding_updates_without_polling(bot_api: FakeBotApi, build_test_app: Any) -> None:
    app = build_test_app(demo_handlers())
    async with running(app):
        update = bot_api.factory.message("/start", user_id=7, language_code="en")
        await app.process_update(Update.de_json(bot_api.push(update, queue=False), app.bot))
        [welcome] = bot_api.visible(chat_id=7)
        assert buttons_of(welcome) == ["Voir le CCP 3"]
        parsed = Update.de_json(update, app.bot)
        assert parsed.effective_user and parsed.effective_user.language_code == "en"
        assert parsed.message and parsed.message.entities[0].type == "bot_command"


def test_factory_builds_what_ptb_reads(bot_api: FakeBotApi) -> None:
    factory = bot_api.factory
    group = Update.de_json(factory.message("@tsgri_test_bot la VAE ?", chat_id=-100), None)
    assert group.effective_chat and group.effective_chat.type == "supergroup"
    assert group.message and group.message.parse_entities() == {
        group.message.entities[0]: "@tsgri_test_bot"
    }
    first = factory.message("bonjour")
    edited = Update.de_json(factory.edited(first, "bonsoir"), None)
    assert edited.edited_message and edited.edited_message.text == "bonsoir"
    assert Update.de_json(factory.photo(), None).message.photo  # type: ignore[union-attr]
    assert Update.de_json(factory.voice(), None).message.voice  # type: ignore[union-attr]
    with pytest.raises(LookupError, match="no button"):
        factory.callback_query(first["message"], "Voir le CCP 3")


async def test_refusals_telegram_would_give(bot_api: FakeBotApi, build_test_app: Any) -> None:
    app = build_test_app()
    async with running(app):
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await app.bot.send_message(1, "ligne<br>suivante", parse_mode="HTML")
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await app.bot.send_message(1, "x" * 5000)
        sent = await app.bot.send_message(1, "un")
        with pytest.raises(BadRequest, match=r"(?i)not modified"):
            await sent.edit_text("un")
        too_long = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="x" * 65)]])
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await app.bot.send_message(1, "deux", reply_markup=too_long)
    assert html_to_text("<b>a</b> &amp; <a href='x'>b</a>") == "a & b"


async def test_menu_and_descriptions_are_kept(bot_api: FakeBotApi, build_test_app: Any) -> None:
    app = build_test_app()
    async with running(app):
        await app.bot.set_my_commands([("aide", "Aide")], language_code="fr")
        await app.bot.set_my_commands([("aide", "Help")], language_code="en")
        await app.bot.set_my_short_description("Conseiller TSGRI", language_code="fr")
        [command] = await app.bot.get_my_commands(language_code="en")
        assert (command.command, command.description) == ("aide", "Help")
        assert (await app.bot.get_my_commands()) == ()  # no default-language menu was set
    assert bot_api.profile.commands_for("fr") == [{"command": "aide", "description": "Aide"}]
    assert bot_api.profile.descriptions == {"short_description|fr": "Conseiller TSGRI"}


async def test_faults_per_chat(bot_api: FakeBotApi) -> None:
    app = offline_builder(bot_api).request(OfflineRequest(bot_api, read_timeout=0.05)).build()
    bot_api.faults[5] = Fault.blocked()
    bot_api.faults[6] = Fault.hang(times=1)
    bot_api.faults[7] = Fault.server_error(502, times=1)
    async with running(app):
        with pytest.raises(Forbidden, match="blocked by the user"):
            await app.bot.send_message(5, "rappel")
        with pytest.raises(TimedOut):
            await app.bot.send_message(6, "rappel")
        await app.bot.send_message(6, "rappel")  # the fault was for one request only
        with pytest.raises(Exception, match="Bad Gateway"):
            await app.bot.send_message(7, "rappel")
    assert bot_api.sent_per_chat == {6: 1}


async def test_console_numbers_buttons_and_stops_at_quit(
    bot_api: FakeBotApi, build_test_app: Any
) -> None:
    app = build_test_app(demo_handlers())
    typed = io.StringIO("/start\n1\nbonjour <3\n/carte\n/quit\njamais lu\n")
    shown = io.StringIO()
    await run_console(app, input=typed, output=shown)
    lines = shown.getvalue().splitlines()
    assert lines[:2] == ["Bonjour Camille !", "[1] Voir le CCP 3"]
    assert "» C'est parti" in lines and "CCP 3" in lines and "[1] Retour" in lines
    assert "Écho : bonjour <3" in lines
    assert "[image: qr.png]" in lines and "[fichier: delai.ics]" in lines
    assert not any("jamais" in line for line in lines)


def test_network_guard_refuses_the_outside(_network_guard: list[str]) -> None:
    with pytest.raises(RuntimeError, match="name lookup"):
        socket.getaddrinfo("bot-api.example.invalid", 443)  # a reserved name: never resolves
    with socket.socket() as sock, pytest.raises(RuntimeError, match="connect"):
        # 0.0.0.0/8 is not routable: even without the guard, nothing would leave the machine.
        sock.connect(("0.0.0.1", 443))
    assert len(_network_guard) == 2
    _network_guard.clear()  # expected attempts: do not fail this test
