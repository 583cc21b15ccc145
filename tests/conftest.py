"""Shared fixtures: Telegram without Telegram, and no network at all beyond 127.0.0.1.

- `bot_api`: a fresh simulated Bot API (bot.offline.FakeBotApi) for one test.
- `build_test_app(handlers, builder=None)`: an Application on the offline transport of
  `bot_api`; pass `builder` (an ApplicationBuilder, e.g. from `offline_builder(bot_api)` with
  your options) or build any Application yourself with `OfflineRequest(bot_api)`, e.g.
  `bot.app.build_application(settings, request=OfflineRequest(bot_api))`.
- `botapi_server`: a started local Bot API server (tests/botapi_server.py) for HTTP tests.
- Start/stop an Application with `bot.transports.console.running(app, polling=...)`.
- Conversation tests (tests/conv_support.py): `titre`, `catalogue` and `knowledge` (titre,
  engine, catalogue) are built once per session; `launch(**options)` starts the real
  Application on this test's folder and `bot_api` (again: a restart on the same file), e.g.
  `async with launch(features=(...), admins=..., user_id=..., api=...) as c:`; `conv` is
  `launch()` with every feature.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application, BaseHandler

from bot.offline import FakeBotApi, offline_builder
from conversations.i18n import Catalogue
from knowledge.engine import Engine
from knowledge.loader import default_titre_path, load_titre
from knowledge.model import Titre
from tests.botapi_server import BotApiServer, errors_logged
from tests.conv_support import Conv, Knowledge, Launch, started

AnyApp = Application[Any, Any, Any, Any, Any, Any]
BuildTestApp = Callable[..., AnyApp]


# ---- the network guard ------------------------------------------------------------------
class NetworkBlocked(RuntimeError):
    """A test tried to reach something other than this machine."""


def _is_loopback(host: object) -> bool:
    if host in (None, "", "localhost", b"localhost"):
        return True
    if isinstance(host, bytes):
        host = host.decode()
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _network_guard() -> Iterator[list[str]]:
    """Patch name lookup AND connect: the lookup fails first, so both are needed."""
    attempts: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            attempts.append(f"getaddrinfo({host!r})")
            raise NetworkBlocked(f"network use in a test: name lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def check(sock: Any, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(f"connect({address!r})")
            raise NetworkBlocked(f"network use in a test: connect to {address!r}")

    def connect(sock: Any, address: Any) -> None:
        check(sock, address)
        real_connect(sock, address)

    def connect_ex(sock: Any, address: Any) -> int:
        check(sock, address)
        return real_connect_ex(sock, address)

    socket.getaddrinfo = getaddrinfo
    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    try:
        yield attempts
    finally:
        socket.getaddrinfo = real_getaddrinfo
        socket.socket.connect = real_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_network_attempt(_network_guard: list[str]) -> Iterator[None]:
    """Fail the test even when the library swallowed the NetworkBlocked (retry loops do)."""
    _network_guard.clear()
    yield
    if _network_guard:
        pytest.fail(f"the test tried to use the network: {_network_guard}")


# ---- Telegram without Telegram ------------------------------------------------------------
@pytest.fixture
def bot_api() -> FakeBotApi:
    return FakeBotApi()


@pytest.fixture
def build_test_app(bot_api: FakeBotApi) -> BuildTestApp:
    """`build_test_app(handlers, builder=None) -> Application` over the offline transport."""

    def build(handlers: Sequence[BaseHandler[Any, Any, Any]] = (), builder: Any = None) -> AnyApp:
        chosen = builder if builder is not None else offline_builder(bot_api)
        application: AnyApp = chosen.build()
        application.add_handlers(list(handlers))
        return application

    return build


@pytest.fixture
async def botapi_server() -> AsyncIterator[BotApiServer]:
    server = BotApiServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


# ---- the real Application, for conversation tests ------------------------------------------
@pytest.fixture(scope="session")
def titre() -> Titre:
    return load_titre(default_titre_path())


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="session")
def knowledge(titre: Titre, catalogue: Catalogue) -> Knowledge:
    return Knowledge(titre, Engine(titre), catalogue)


@pytest.fixture(scope="session")
def engine(knowledge: Knowledge) -> Engine:
    """The shipped titre's engine, shared: `ask` is side-effect free."""
    return knowledge.engine


@pytest.fixture
def launch(tmp_path: Path, bot_api: FakeBotApi, knowledge: Knowledge) -> Launch:
    """`launch(**options)`: `conv_support.started` on this test's folder, knowledge and API
    (`api=` another FakeBotApi, e.g. with another getMe username)."""

    def start(*, api: FakeBotApi | None = None, **options: Any) -> Any:
        return started(tmp_path, knowledge, api if api is not None else bot_api, **options)

    return start


@pytest.fixture
async def conv(launch: Launch) -> AsyncIterator[Conv]:
    async with launch() as helper:
        yield helper


@pytest.fixture
def no_error_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails a test whose run logged an ERROR (use with `pytest.mark.usefixtures`)."""
    with caplog.at_level(logging.ERROR):
        yield
    assert errors_logged(caplog) == []
