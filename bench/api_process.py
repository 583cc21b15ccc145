"""The local Bot API server in a process of its own, as Telegram is on machines of its own.

In the bot's process the server's clock readings share the bot's event loop: a busy moment
of the bot (a commit, a garbage collection) delays the server's readings and bunches them
together, which no client pacing can prevent and which Telegram never sees. Usage (the
benchmarks): start `python -m bench.api_process --rate-limit 30 --delay 0.03`, read the
`PORT n` line, run, then close its standard input: it prints one JSON line with every accepted
send `[chat_id, monotonic time]` and the number of 429 answers, and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.botapi_server import BotApiServer

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    """Where the server process listens; what it saw is filled in when its block ends."""

    base_url: str
    sends: list[tuple[int, float]] = field(default_factory=list)  # (chat_id, monotonic time)
    too_many: int = 0  # 429 answers


@contextlib.asynccontextmanager
async def separate_server(rate_limit: int, delay: float) -> AsyncIterator[Served]:
    """The server started in its own process for the block, then stopped and read."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.api_process", "--rate-limit", str(rate_limit),
        "--delay", str(delay), cwd=ROOT,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert server.stdin is not None and server.stdout is not None
    port = int((await server.stdout.readline()).split()[1])
    served = Served(f"http://127.0.0.1:{port}/bot")
    try:
        yield served
    finally:
        server.stdin.close()
        figures = json.loads(await server.stdout.readline())
        await server.wait()
        served.sends = [(int(chat), float(at)) for chat, at in figures["sends"]]
        served.too_many = int(figures["too_many"])


async def serve(rate_limit: int | None, delay: float) -> None:
    async with BotApiServer(rate_limit=rate_limit, delay=delay) as server:
        print(f"PORT {server.port}", flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)  # until the bench closes our stdin
        sends = [
            [int(c.params["chat_id"]), c.at]
            for c in server.api.requests("sendMessage")
            if c.status == 200
        ]
        print(json.dumps({"sends": sends, "too_many": server.api.too_many_requests}), flush=True)


def main() -> None:
    # The stand-in keeps every call it answered: its garbage collections grow with them and
    # pause its clock readings for tens of ms, bunching them (Telegram's clock does not).
    gc.disable()
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate-limit", type=int, default=None)
    parser.add_argument("--delay", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(serve(args.rate_limit, args.delay))


if __name__ == "__main__":
    main()
