"""`python -m bot chat`: the real Application in a terminal, over the offline transport.

Lines typed become messages from one user; the bot's replies are printed as plain text, and
inline buttons become numbered choices: typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, running
from bot.config import Settings
from bot.logs import setup_file_logging
from bot.offline import JSON, Call, FakeBotApi, OfflineRequest, api_of, text_of
from bot.sending.reminders import JOB_NAME
from bot.transports.console_files import ConsoleRequest
from knowledge.model import Titre

QUIT = frozenset({"/quit", "/exit", "/quitter"})
# The console looks for due reminders this often (on Telegram: once a day, and at start-up).
CONSOLE_REMINDER_SECONDS = 10.0
WATCH_SECONDS = 0.2  # how often messages sent on the bot's own are looked for

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class ConsoleView:
    """Turns the bot's requests into terminal lines; remembers the buttons on screen.

    `saved` maps (chat id, message id) to the files written for that message (ConsoleRequest);
    messages to another chat than `chat_id` (an announcement to every user) are shown with
    their recipient and without pressable buttons.
    """

    def __init__(
        self, saved: Mapping[tuple[int, int], list[Path]] | None = None, chat_id: int = 1
    ) -> None:
        self.choices: dict[int, tuple[JSON, str]] = {}
        self.saved = saved if saved is not None else {}
        self.chat_id = chat_id

    def render(self, calls: list[Call]) -> list[str]:
        lines: list[str] = []
        numbered: dict[int, tuple[JSON, str]] = {}
        for call in calls:
            if call.status != 200:
                # a button pressed twice: Telegram leaves the message as it is, silently
                unchanged = "message is not modified" in call.error
                if call.method != "getupdates" and not unchanged:
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
        chat_id = message["chat"]["id"]
        own = chat_id == self.chat_id
        lines: list[str] = [] if own else [f"(→ chat {chat_id})"]
        if call.method.startswith("edit"):
            lines.append("(message modifié / edited)")
        files = self.saved.get((chat_id, message["message_id"]), [])
        if "photo" in message:
            lines.append(f"[image: {_where(files, message.get('file_name', 'photo'))}]")
        if "document" in message:
            name = message["document"].get("file_name", "document")
            lines.append(f"[fichier: {_where(files, name)}]")
        if text_of(message):
            lines.append(text_of(message))
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if "callback_data" in button and own:
                    number = len(numbered) + 1
                    numbered[number] = (message, button["text"])
                    lines.append(f"[{number}] {button['text']}")
                elif "url" in button:
                    lines.append(f"    {button['text']} : {button['url']}")
                else:
                    lines.append(f"    {button['text']}")
        return lines


def _where(files: list[Path], name: str) -> str:
    """The path the file was written to (the console prints it), else its name."""
    return str(files[0]) if files else name


async def run_console(
    application: AnyApplication,
    request: OfflineRequest | None = None,
    *,
    input: TextIO | None = None,
    output: TextIO | None = None,
    user_id: int = 1,
    language_code: str = "fr",
    reminder_every: float | None = None,
) -> None:
    """Talk to `application` from a terminal (or piped text) until EOF or /quit.

    What the bot sends on its own (reminders, announcements) is printed as it is sent, between
    two lines typed, with its buttons pressable. With `reminder_every` (seconds) the reminders
    due are looked for that often, not only once a day, so that a declaration typed here shows
    its reminder on screen a few seconds later.
    """
    source = input if input is not None else sys.stdin
    sink = output if output is not None else sys.stdout
    api = api_of(application, request)
    saved = request.saved if isinstance(request, ConsoleRequest) else None
    view = ConsoleView(saved, chat_id=user_id)
    interactive = source.isatty()
    if interactive:
        sink.write("Hors ligne : écrivez au bot, tapez le numéro d'un bouton, /quit pour sortir.\n"
                   "Offline: write to the bot, type a button's number, /quit to leave.\n")
    screen = _Screen(api, view, sink, prompt="> " if interactive else "")
    async with running(application):
        if reminder_every and application.job_queue is not None:
            _check_reminders_often(application, reminder_every)
        watcher = asyncio.create_task(screen.watch())
        try:
            while True:
                screen.prompt_now()
                line = await _read_line(source)
                if not line:
                    break
                text = line.strip()
                if not text:
                    continue
                if text.lower() in QUIT:
                    break
                async with screen.lock:
                    screen.show_new(prompt=False)
                    update = _update_for(api, view, text, user_id, language_code)
                    await application.process_update(Update.de_json(update, application.bot))
                    for _ in range(3):  # let non-blocking handlers finish their replies
                        await asyncio.sleep(0)
                    screen.show_new(prompt=False)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            screen.show_new(prompt=False)


class _Screen:
    """Prints the bot's requests once each, in order: after each line typed, and in between
    (a reminder, an announcement) as soon as they are sent."""

    def __init__(self, api: FakeBotApi, view: ConsoleView, sink: TextIO, *, prompt: str) -> None:
        self.api, self.view, self.sink, self.prompt = api, view, sink, prompt
        self.lock = asyncio.Lock()
        self.printed = api.mark()

    def prompt_now(self) -> None:
        if self.prompt:
            self.sink.write(self.prompt)
            self.sink.flush()

    def show_new(self, *, prompt: bool) -> None:
        lines = self.view.render(self.api.calls[self.printed :])
        self.printed = len(self.api.calls)
        if lines:
            if prompt and self.prompt:
                self.sink.write("\n")  # the prompt was on screen: start below it
            self.sink.write("".join(line + "\n" for line in lines))
            if prompt:
                self.prompt_now()
        self.sink.flush()

    async def watch(self, every: float = WATCH_SECONDS) -> None:
        while True:
            await asyncio.sleep(every)
            if not self.lock.locked() and len(self.api.calls) > self.printed:
                async with self.lock:
                    self.show_new(prompt=True)


def _check_reminders_often(application: AnyApplication, seconds: float) -> None:
    """Run the reminder job (scheduled daily by the app) every `seconds` as well."""
    queue = application.job_queue
    assert queue is not None
    for job in queue.get_jobs_by_name(JOB_NAME)[:1]:
        queue.run_repeating(job.callback, interval=seconds, first=seconds, name="console")


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
        try:
            update = api.factory.callback_query(
                api.current(message), label, user_id=user_id, language_code=language_code
            )
        except LookupError:
            # the bot has since taken the button away (edited the message): pressed from the
            # screen as shown, as a double tap reaches a bot on Telegram
            update = api.factory.callback_query(
                message, label, user_id=user_id, language_code=language_code
            )
    else:
        update = api.factory.message(text, user_id=user_id, language_code=language_code)
    return api.push(update, queue=False)


def run_chat(settings: Settings, titre: Titre) -> int:
    """The console: logs to `<database folder>/console.log`, files the bot sends written to
    `<database folder>/console-files/`; both paths are printed on standard error."""
    folder = settings.db_path.parent
    log_file, files = (folder / "console.log").resolve(), (folder / "console-files").resolve()
    setup_file_logging(log_file)
    print(f"Journal / log: {log_file}\nFichiers / files: {files}", file=sys.stderr)
    request = ConsoleRequest(files)
    application = build_application(settings, request=request, titre=titre)
    try:
        asyncio.run(
            run_console(
                application,
                request,
                input=sys.stdin,
                output=sys.stdout,
                reminder_every=CONSOLE_REMINDER_SECONDS,
            )
        )
    except KeyboardInterrupt:  # Ctrl-C is how people leave a terminal program
        print()
    return 0
