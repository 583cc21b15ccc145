"""`python -m bot chat`: the real Application in a terminal, over the offline transport.

Lines typed become messages from one user; the bot's replies are printed as plain text, and
inline buttons become numbered choices: typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot.offline import FakeBotApi, OfflineRequest, offline_request_pair
from bot.offline_model import JSON, Call, text_of

OFFLINE_TOKEN = "1000:offline-token-for-the-tests-and-the-console"
QUIT = frozenset({"/quit", "/exit", "/quitter"})

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@contextlib.asynccontextmanager
async def running(application: AnyApplication, *, polling: bool = False) -> AsyncIterator[None]:
    """Start an Application the way `run_polling` does (post_init included) and stop it cleanly.

    With `polling`, updates are fetched by the updater (getUpdates); otherwise the caller feeds
    them with `application.process_update`.
    """
    await application.initialize()
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        if polling and application.updater:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
        try:
            yield
        finally:
            if application.updater and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            if application.post_stop:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def offline_builder(api: FakeBotApi, *, token: str = OFFLINE_TOKEN) -> Any:
    """An ApplicationBuilder wired to `api` (add handlers, options, then `.build()`)."""
    general, updates = offline_request_pair(api)
    return ApplicationBuilder().token(token).request(general).get_updates_request(updates)


def api_of(application: AnyApplication, request: OfflineRequest | None = None) -> FakeBotApi:
    """The simulated Bot API behind an Application built with `OfflineRequest`."""
    request = request if request is not None else application.bot.request
    if not isinstance(request, OfflineRequest):
        raise TypeError("the application does not use bot.offline.OfflineRequest")
    return request.api


class ConsoleView:
    """Turns the bot's requests into terminal lines; remembers the buttons on screen."""

    def __init__(self) -> None:
        self.choices: dict[int, tuple[JSON, str]] = {}

    def render(self, calls: list[Call]) -> list[str]:
        lines: list[str] = []
        numbered: dict[int, tuple[JSON, str]] = {}
        for call in calls:
            if call.status != 200:
                if call.method != "getupdates":
                    lines.append(f"(erreur Telegram {call.status} sur {call.method})")
                continue
            if call.method == "answercallbackquery" and call.params.get("text"):
                lines.append(f"» {call.params['text']}")
            elif call.method == "answerinlinequery":
                lines.extend(f"• {r.get('title', '')}" for r in call.params.get("results", []))
            elif isinstance(call.result, dict) and "chat" in call.result:
                lines.extend(self._message(call, numbered))
        if numbered:
            self.choices = numbered
        return lines

    def _message(self, call: Call, numbered: dict[int, tuple[JSON, str]]) -> list[str]:
        message = call.result
        lines: list[str] = []
        if call.method.startswith("edit"):
            lines.append("(message modifié / edited)")
        if "photo" in message:
            lines.append(f"[image: {message.get('file_name', 'photo')}]")
        if "document" in message:
            lines.append(f"[fichier: {message['document'].get('file_name', 'document')}]")
        if text_of(message):
            lines.append(text_of(message))
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button:
                    number = len(numbered) + 1
                    numbered[number] = (message, button["text"])
                    lines.append(f"[{number}] {button['text']}")
                elif "url" in button:
                    lines.append(f"    {button['text']} : {button['url']}")
                else:
                    lines.append(f"    {button['text']}")
        return lines


async def run_console(
    application: AnyApplication,
    request: OfflineRequest | None = None,
    *,
    input: TextIO | None = None,
    output: TextIO | None = None,
    user_id: int = 1,
    language_code: str = "fr",
) -> None:
    """Talk to `application` from a terminal (or piped text) until EOF or /quit."""
    source = input if input is not None else sys.stdin
    sink = output if output is not None else sys.stdout
    api = api_of(application, request)
    view = ConsoleView()
    interactive = source.isatty()
    if interactive:
        sink.write("Hors ligne : écrivez au bot, tapez le numéro d'un bouton, /quit pour sortir.\n"
                   "Offline: write to the bot, type a button's number, /quit to leave.\n")
    async with running(application):
        while True:
            if interactive:
                sink.write("> ")
                sink.flush()
            line = await _read_line(source)
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            if text.lower() in QUIT:
                break
            since = api.mark()
            update = _update_for(api, view, text, user_id, language_code)
            await application.process_update(Update.de_json(update, application.bot))
            for _ in range(3):  # let non-blocking handlers finish their replies
                await asyncio.sleep(0)
            for out in view.render(api.calls[since:]):
                sink.write(out + "\n")
            sink.flush()


async def _read_line(source: TextIO) -> str:
    """Read a line in a daemon thread: Ctrl-C must not wait for a blocked stdin at exit."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str] = loop.create_future()

    def deliver(line: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(line or "")

    def work() -> None:
        line, error = None, None
        try:
            line = source.readline()
        except Exception as exc:  # handed to the loop, raised where the line was awaited
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop may be closed by then
            loop.call_soon_threadsafe(deliver, line, error)

    threading.Thread(target=work, name="console-input", daemon=True).start()
    return await future


def _update_for(
    api: FakeBotApi, view: ConsoleView, text: str, user_id: int, language_code: str
) -> JSON:
    """A number picks a button shown on screen; anything else is a message."""
    if text.isdigit() and int(text) in view.choices:
        message, label = view.choices[int(text)]
        update = api.factory.callback_query(
            api.current(message), label, user_id=user_id, language_code=language_code
        )
    else:
        update = api.factory.message(text, user_id=user_id, language_code=language_code)
    return api.push(update, queue=False)
