"""Builds and wires the Application: the only place that knows every feature module."""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, CommandHandler, Defaults, TypeHandler
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.features import ALL as ALL_FEATURES
from bot.features import handlers_of
from bot.sending.announcements import make_announcer
from bot.sending.outbox import Outbox
from bot.sending.replies import SHORT_DEADLINE, ReplyRetrier
from bot.storage import Storage
from bot.storage.persistence import SqlitePersistence
from bot.storage.threaded import ThreadedStore, storage_of
from bot.storage.tracking import tracker_for
from bot.updates.durable import DurableApplication
from bot.updates.errors import on_error
from bot.updates.guards import GROUP as GUARD_GROUP
from bot.updates.guards import EditGuard, InlineButtonGuard
from bot.updates.intake import Intake, IntakeRequest
from bot.updates.processor import PerUserUpdateProcessor
from conversations import leaving
from conversations.i18n import Catalogue
from conversations.services import CONTEXT_TYPES, BotData, Context, Services
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre
from knowledge.model import Lang, Titre

log = logging.getLogger(__name__)

# Order matters: conversations in progress see a message before the catch-all question
# handler, and `stale` (any unknown button) comes last.
# Commands shown in Telegram's menu; descriptions come from the catalogue (`commands.<name>`).
MENU_COMMANDS = (
    "start",
    "aide",
    "ccp",
    "parcours",
    "delai",
    "declarer",
    "mesccp",
    "rappels",
    "partager",
    "langue",
    "confidentialite",
    "conseiller",
)
OPERATOR_COMMANDS = ("stats", "inconnues", "annonce")
OFFLINE_TOKEN = "1000:offline-token-for-the-console-and-tests-000000"
# Measured (bench/bot_throughput.py): httpcore's pool bookkeeping grows with connections x
# waiting requests; 16 updates at once on 16 connections beat 64/64 by about 3x.
MAX_CONCURRENT_UPDATES = 16

# before the features (0) and the user touch (-1); with the guards, which match only what no
# command is (edits, inline buttons)
MOVED_ON_GROUP = GUARD_GROUP

AppType = Application[Any, Context, Any, Any, BotData, Any]


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    titre: Titre | None = None,
    engine: Engine | None = None,
    catalogue: Catalogue | None = None,
    clock: Callable[[], datetime] | None = None,
    features: Sequence[str] = ALL_FEATURES,
    freeze_heap: bool = False,
) -> AppType:
    """An Application wired with every feature; storage is opened in post_init.

    The knowledge file is loaded here, before anything starts, so an invalid file stops the
    bot with its `file:line` problems instead of failing on the first question.

    `freeze_heap` (the long-running bot): once started, everything built so far (knowledge,
    engine, word lists) is moved out of the garbage collector's sight with `gc.freeze()`.
    Measured: full collections otherwise stalled the event loop 40-50 ms every ~20 s, long
    enough to bunch paced messages into a 429 (bench/reminder_bench.py).
    """
    titre = titre if titre is not None else load_titre(default_titre_path())
    # Offline (console, tests) any well-formed token will do; on Telegram it must be real.
    token = settings.require_token() if request is None else (settings.token or OFFLINE_TOKEN)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.base_url)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            # Telegram's ~30/s overall limit is for bulk notifications: reminders and
            # announcements pace themselves (bot.sending.bulk). Replies to people who wrote are
            # limited per group (20/min), and one user's updates run one at a time
            # (PerUserUpdateProcessor); 429, 5xx and time-outs are retried (bot.sending.replies).
            ReplyRetrier(
                deadline=settings.reply_retry_seconds,
                short_deadline=min(SHORT_DEADLINE, settings.reply_retry_seconds),
            )
        )
        .concurrent_updates(PerUserUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .persistence(SqlitePersistence(settings.db_path))
        .post_init(_post_init(settings, titre, engine, catalogue, clock, freeze_heap))
        .post_shutdown(_post_shutdown)
    )
    intake = Intake()
    if request is not None:
        builder = builder.request(request).get_updates_request(
            IntakeRequest(get_updates_request or request, intake)
        )
    else:
        builder = (
            builder.connection_pool_size(MAX_CONCURRENT_UPDATES)
            .pool_timeout(10.0)
            .get_updates_request(IntakeRequest(HTTPXRequest(connection_pool_size=1), intake))
        )
    application: AppType = builder.application_class(DurableApplication).build()
    if isinstance(application, DurableApplication):
        application.intake = intake
    application.add_handlers(handlers_of(features))
    application.add_handlers([EditGuard(), InlineButtonGuard()], group=GUARD_GROUP)
    application.add_handler(TypeHandler(Update, _touch_user), group=-1)
    # another command while a dialogue waits for text: that dialogue no longer waits (a group
    # of its own: in a group only the first handler that matches runs)
    application.add_handler(CommandHandler(list(leaving.COMMANDS), leaving.on_moved_on),
                            group=MOVED_ON_GROUP)  # fmt: skip
    application.add_error_handler(on_error)
    return application


def open_services(
    application: AppType,
    settings: Settings,
    titre: Titre,
    *,
    engine: Engine | None = None,
    catalogue: Catalogue | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Services:
    """Open storage and build the services handlers reach through `context.services`.

    Tests hand in a shared engine and catalogue: both are read-only, and the engine's index is
    most of the start-up time.
    """
    storage = Storage(
        settings.db_path,
        track=tracker_for(titre, settings.reminder_steps),
        unanswered_days=settings.unanswered_days,
        clock=clock,  # the same clock as the dialogues (tests travel in time with both)
    )
    services = Services(
        titre=titre,
        engine=engine if engine is not None else Engine(titre),
        store=ThreadedStore(storage),
        catalogue=catalogue if catalogue is not None else Catalogue.load(),
        settings=settings.conversation_settings(),
        clock=clock or (lambda: datetime.now(UTC)),
    )
    application.bot_data.services = services
    return services


def _post_init(
    settings: Settings,
    titre: Titre,
    engine: Engine | None,
    catalogue: Catalogue | None,
    clock: Callable[[], datetime] | None,
    freeze_heap: bool = False,
) -> Callable[[AppType], Any]:
    async def post_init(application: AppType) -> None:
        services = open_services(
            application, settings, titre, engine=engine, catalogue=catalogue, clock=clock
        )
        services.announcer = make_announcer(application)
        # the first question on each topic would wait for what the readers read of it
        threading.Thread(target=services.engine.warm, name="warm-engine", daemon=True).start()
        if isinstance(application.persistence, SqlitePersistence):
            application.persistence.use(storage_of(services))
        _open_inbox(application, services)
        await _open_outbox(application, services, settings)
        await _set_menu(application, services.catalogue, settings.admins)
        if application.job_queue is not None:
            from bot.sending.reminders import schedule_daily

            schedule_daily(application.job_queue, settings=settings)
        if freeze_heap:
            gc.collect()
            gc.freeze()

    return post_init


def _open_inbox(application: AppType, services: Services) -> None:
    """Updates stored by a previous run and never handled go first in the queue."""
    intake = application.intake if isinstance(application, DurableApplication) else None
    if intake is None:
        return
    intake.inbox = storage = storage_of(services)
    pending = storage.inbox_pending()
    if pending:
        log.info("%d updates left by the previous run are handled first", len(pending))
    for data in pending:
        update = Update.de_json(data, application.bot)
        if update is not None:
            application.update_queue.put_nowait(update)


async def _open_outbox(application: AppType, services: Services, settings: Settings) -> None:
    """Replies kept by an earlier run (or this one) are sent once Telegram takes them."""
    retrier = application.bot.rate_limiter
    if not isinstance(retrier, ReplyRetrier):
        return
    retrier.outbox = Outbox(
        storage_of(services), application.bot, max_age=timedelta(hours=settings.outbox_hours),
        every=settings.outbox_every, clock=services.clock,
    )
    await retrier.outbox.start()


async def _post_shutdown(application: AppType) -> None:
    retrier = application.bot.rate_limiter
    if isinstance(retrier, ReplyRetrier) and retrier.outbox is not None:
        await retrier.outbox.stop()
        retrier.outbox = None
    if isinstance(application, DurableApplication) and application.intake is not None:
        application.intake.inbox = None
    services = application.bot_data._services
    if services is not None:
        storage_of(services).close()
        application.bot_data.services = None


async def _set_menu(
    application: AppType, catalogue: Catalogue, admins: frozenset[int] = frozenset()
) -> None:
    """Commands and descriptions in French (default) and English, and for each operator a
    menu with their own commands too. A failure is logged, never fatal: the bot still answers.
    Every French command answers to its English name as well (conversations.commands).
    """
    from conversations.commands import command_name, with_english_aliases

    with_english_aliases(h for group in application.handlers.values() for h in group)
    bot = application.bot
    languages: tuple[tuple[Lang, str | None], ...] = (("fr", None), ("en", "en"))
    try:
        for lang, code in languages:
            commands = [
                BotCommand(command_name(c, lang), catalogue.t(f"commands.{c}", lang))
                for c in MENU_COMMANDS
            ]
            await bot.set_my_commands(commands, language_code=code)
            await bot.set_my_description(catalogue.t("bot.description", lang), language_code=code)
            await bot.set_my_short_description(
                catalogue.t("bot.short_description", lang), language_code=code
            )
    except TelegramError as error:
        log.warning("Could not set the command menu: %s", error)
    operator_menu = [
        BotCommand(c, catalogue.t(f"commands.{c}", "fr")) for c in MENU_COMMANDS + OPERATOR_COMMANDS
    ]
    for admin in sorted(admins):
        try:  # fails until the operator has opened a chat with the bot
            await bot.set_my_commands(operator_menu, scope=BotCommandScopeChat(admin))
        except TelegramError as error:
            log.info("No operator menu for %s yet: %s", admin, error)


async def _touch_user(update: Update, context: Context) -> None:
    """Last seen, for the operators' active-user counts; nothing else about the user."""
    user = update.effective_user
    if user is not None and not user.is_bot:
        # A write on every update, which no reply waits for: queued on the writing thread.
        context.services.store.touch_user(user.id, now=context.services.now())


@contextlib.asynccontextmanager
async def running(application: AppType, *, polling: bool = False) -> AsyncIterator[None]:
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
