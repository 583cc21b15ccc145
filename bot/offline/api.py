"""The simulated Bot API: state, answers and the scripted user (see `bot.offline`).

One class for both paths, the in-process transport and the local HTTP server of the tests,
so a conversation behaves the same whichever way the bot reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.offline.model import (
    BOT_USER,
    JSON,
    ApiError,
    BotProfile,
    Call,
    Fault,
    UpdateFactory,
    Upload,
    attachment,
    checked_markup,
    render_text,
)

SEND_METHODS = frozenset({"sendmessage", "sendphoto", "senddocument"})
VISIBLE_METHODS = SEND_METHODS | {"editmessagetext", "editmessagereplymarkup"}


class FakeBotApi:
    """The Bot API's state and answers; every request is recorded in `calls`."""

    def __init__(
        self,
        *,
        delay: float = 0.0,
        rate_limit: int | None = None,
        bot_user: JSON | None = None,
        clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot_user: JSON = dict(bot_user or BOT_USER)
        self.delay = delay  # seconds before each answer, like a round trip to Telegram
        self.rate_limit = rate_limit  # sends per second over all chats; beyond: 429
        self.clock = clock  # message dates
        self.monotonic = monotonic  # the rate limit window and the call times
        self.calls: list[Call] = []
        self.faults: dict[int, Fault] = {}
        self.outages: list[tuple[float, Fault, frozenset[str]]] = []  # (until, fault, methods)
        self.sent_per_chat: Counter[int] = Counter()
        self.too_many_requests = 0
        self.profile = BotProfile()  # commands menu, descriptions, webhook
        self.callback_answers: dict[str, JSON] = {}
        self.inline_answers: dict[str, list[JSON]] = {}
        self.messages: dict[int, dict[int, JSON]] = {}  # chat id -> message id -> as seen now
        self._message_ids: Counter[int] = Counter()
        self._queue: deque[JSON] = deque()
        self._arrived = asyncio.Event()
        self._changed = asyncio.Condition()
        self._chat_events: dict[int, asyncio.Event] = {}
        self._closed = asyncio.Event()
        self._send_times: deque[float] = deque()
        self.factory = UpdateFactory(self.bot_user, self._next_message_id, clock)

    # ---- the scripted user -------------------------------------------------------------
    def push(self, update: JSON, *, queue: bool = True) -> JSON:
        """Queue an update for getUpdates (unless fed directly); messages join the chat."""
        for key in ("message", "edited_message"):
            if key in update:
                message = update[key]
                self.messages.setdefault(message["chat"]["id"], {})[message["message_id"]] = message
        if queue:
            self._queue.append(update)
            self._arrived.set()
        return update

    def user_sends(self, text: str, **kwargs: Any) -> JSON:
        return self.push(self.factory.message(text, **kwargs))

    def user_presses(self, message: JSON, button_text: str, **kwargs: Any) -> JSON:
        return self.push(self.factory.callback_query(self.current(message), button_text, **kwargs))

    def current(self, message: JSON) -> JSON:
        """A message as the chat shows it now (after the bot's edits)."""
        return self.messages.get(message["chat"]["id"], {}).get(message["message_id"], message)

    def user_inline_query(self, query: str, **kwargs: Any) -> JSON:
        return self.push(self.factory.inline_query(query, **kwargs))

    @property
    def webhook(self) -> JSON:
        """What setWebhook registered: {"url", "secret_token"} ({"url": ""} when none)."""
        return self.profile.webhook

    def queued(self) -> int:
        """Updates not yet acknowledged by a getUpdates with a higher offset."""
        return len(self._queue)

    def mark(self) -> int:
        """A position in `calls`, to read only what happens after it."""
        return len(self.calls)

    def visible(self, chat_id: int | None = None, since: int = 0) -> list[JSON]:
        """Messages the bot sent or edited (as returned), in order, optionally in one chat."""
        return [
            call.result
            for call in self.calls[since:]
            if call.status == 200
            and call.method in VISIBLE_METHODS
            and isinstance(call.result, dict)
            and (chat_id is None or call.result["chat"]["id"] == chat_id)
        ]

    def unanswered_callbacks(self) -> set[str]:
        """Button presses the bot never answered (the user's button keeps spinning)."""
        return self.factory.callback_ids - set(self.callback_answers)

    def requests(self, method: str, since: int = 0) -> list[Call]:
        return [c for c in self.calls[since:] if c.method == method.lower()]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds after some request; TimeoutError otherwise."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)

    async def wait_messages(
        self, chat_id: int, count: int = 1, since: int = 0, timeout: float = 5.0
    ) -> list[JSON]:
        """The first `count` messages the bot sent or edited in `chat_id` after `since`.

        Waiters sleep on a per-chat event, so hundreds of scripted users stay cheap.
        """

        async def until_enough() -> list[JSON]:
            while len(found := self.visible(chat_id, since)) < count:
                await self._chat_events.setdefault(chat_id, asyncio.Event()).wait()
            return found[:count]

        return await asyncio.wait_for(until_enough(), timeout)

    async def ask(self, text: str, count: int = 1, timeout: float = 5.0, **kw: Any) -> list[JSON]:
        """The user sends `text`; returns the bot's next `count` visible messages."""
        since = self.mark()
        update = self.user_sends(text, **kw)
        chat_id = update["message"]["chat"]["id"]
        return await self.wait_messages(chat_id, count, since, timeout)

    async def press(
        self, message: JSON, button_text: str, count: int = 1, timeout: float = 5.0, **kw: Any
    ) -> list[JSON]:
        since = self.mark()
        self.user_presses(message, button_text, **kw)
        return await self.wait_messages(message["chat"]["id"], count, since, timeout)

    def outage(
        self, fault: Fault, seconds: float, methods: Sequence[str] = ("sendMessage",)
    ) -> None:
        """Every request to `methods`, whatever the chat, gets `fault` for `seconds`."""
        until = self.monotonic() + seconds
        self.outages.append((until, fault, frozenset(m.lower() for m in methods)))

    def close(self) -> None:
        """Release long polls and hung requests (server shutdown); `reopen` undoes it."""
        self._closed.set()
        self._arrived.set()

    def reopen(self) -> None:
        self._closed.clear()

    # ---- answering requests ------------------------------------------------------------
    async def handle(
        self,
        method: str,
        params: Mapping[str, Any],
        uploads: Sequence[Upload] = (),
        *,
        hang_limit: float = 30.0,
    ) -> tuple[int, JSON]:
        """Answer one request: (HTTP status, JSON body). Records it in `calls`."""
        name = method.lower()
        if self.delay:
            await asyncio.sleep(self.delay)
        try:
            self._check_faults(name, params)
            if name == "getupdates":
                result: Any = await self._get_updates(params)
            else:
                result = self._dispatch(name, dict(params), list(uploads))
            status, body, refused = 200, {"ok": True, "result": result}, ""
        except ApiError as error:
            if error.status == 0:
                limit = hang_limit
                if error.hang_until is not None:
                    limit = min(limit, max(0.0, error.hang_until - self.monotonic()))
                await self._hang(limit)
                error = ApiError(504, "Gateway Timeout")
            status, body, result = error.status, error.payload(), None
            refused = error.description
            self.too_many_requests += error.status == 429
        now = self.monotonic()
        self.calls.append(Call(name, dict(params), tuple(uploads), now, status, result, refused))
        if name in VISIBLE_METHODS and isinstance(result, dict):
            event = self._chat_events.pop(result["chat"]["id"], None)
            if event is not None:
                event.set()
        async with self._changed:
            self._changed.notify_all()
        return status, body

    async def _hang(self, limit: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closed.wait(), limit)

    def _check_faults(self, name: str, params: Mapping[str, Any]) -> None:
        now = self.monotonic()
        self.outages = [o for o in self.outages if o[0] > now]
        for until, down, methods in self.outages:
            if name in methods:
                error = ApiError(down.status, down.description, down.retry_after)
                error.hang_until = until  # a hang ends with the outage
                raise error
        chat_id = params.get("chat_id")
        fault = self.faults.get(chat_id) if isinstance(chat_id, int) else None
        if fault is not None:
            if fault.times is not None:
                fault.times -= 1
                if fault.times <= 0:
                    del self.faults[chat_id]  # type: ignore[arg-type]
            raise ApiError(fault.status, fault.description, fault.retry_after)
        if self.rate_limit is not None and name in SEND_METHODS:
            now = self.monotonic()
            while self._send_times and now - self._send_times[0] >= 1.0:
                self._send_times.popleft()
            if len(self._send_times) >= self.rate_limit:
                raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
            self._send_times.append(now)

    async def _get_updates(self, params: Mapping[str, Any]) -> list[JSON]:
        if self.profile.webhook["url"]:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        while self._queue and self._queue[0]["update_id"] < offset:
            self._queue.popleft()
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self._queue and not self._closed.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except TimeoutError:
                break
        limit = int(params.get("limit") or 100)
        return [self._queue[i] for i in range(min(limit, len(self._queue)))]

    def _dispatch(self, name: str, params: dict[str, Any], uploads: list[Upload]) -> Any:
        if name == "getme":
            return self.bot_user
        if name in SEND_METHODS:
            return self._send(name, params, uploads)
        if name in ("editmessagetext", "editmessagereplymarkup"):
            return self._edit(name, params)
        if name == "deletemessage":
            if self.messages.get(params["chat_id"], {}).pop(params["message_id"], None) is None:
                raise ApiError(400, "Bad Request: message to delete not found")
            return True
        if name == "answercallbackquery":
            return self._answer_callback(params)
        if name == "answerinlinequery":
            return self._answer_inline(params)
        if name == "deletewebhook" and params.get("drop_pending_updates"):
            self._queue.clear()
        if name == "getwebhookinfo":
            return {"url": self.webhook["url"], "has_custom_certificate": False,
                    "pending_update_count": len(self._queue)}
        return self.profile.answer(name, params)

    # ---- messages ----------------------------------------------------------------------
    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] += 1
        return self._message_ids[chat_id]

    def _chat(self, chat_id: Any) -> JSON:
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        for message in self.messages.get(chat_id, {}).values():
            return dict(message["chat"])
        return self.factory.chat(chat_id)

    def _send(self, name: str, params: dict[str, Any], uploads: list[Upload]) -> JSON:
        chat = self._chat(params.get("chat_id"))
        message: JSON = {"message_id": 0, "from": self.bot_user, "chat": chat,
                         "date": int(self.clock())}
        if name == "sendmessage":
            text = str(params.get("text", ""))
            if not text.strip():
                raise ApiError(400, "Bad Request: message text is empty")
            message["text"] = render_text(text, params.get("parse_mode"), 4096, "message")
        else:
            kind = "photo" if name == "sendphoto" else "document"
            upload = next((u for u in uploads if u.field == kind), None)
            uid = f"{kind}-{len(self.calls)}"
            message.update(attachment(kind, params.get(kind), upload, uid))
            if params.get("caption"):
                caption = render_text(str(params["caption"]), params.get("parse_mode"),
                                         1024, "message caption")
                message["caption"] = caption
        markup = checked_markup(params)
        if markup is not None:
            message["reply_markup"] = markup
        message["message_id"] = self._next_message_id(chat["id"])
        self.messages.setdefault(chat["id"], {})[message["message_id"]] = message
        self.sent_per_chat[chat["id"]] += 1
        return message

    def _edit(self, name: str, params: dict[str, Any]) -> JSON | bool:
        if "inline_message_id" in params:
            return True
        chat_id = params.get("chat_id")
        old = self.messages.get(chat_id, {}).get(params.get("message_id", 0))  # type: ignore[arg-type]
        if old is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        new = dict(old, edit_date=int(self.clock()))
        if name == "editmessagetext":
            new["text"] = render_text(str(params.get("text", "")), params.get("parse_mode"),
                                         4096, "message")
        new.pop("reply_markup", None)
        markup = checked_markup(params)
        if markup is not None:
            new["reply_markup"] = markup
        if all(new.get(k) == old.get(k) for k in ("text", "reply_markup")):
            raise ApiError(400, "Bad Request: message is not modified: specified new message "
                           "content and reply markup are exactly the same as a current content "
                           "and reply markup of the message")
        self.messages[new["chat"]["id"]][new["message_id"]] = new
        return new

    def _answer_callback(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self.factory.callback_ids or query_id in self.callback_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                           "or query ID is invalid")
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = params
        return True

    def _answer_inline(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id"))
        if query_id not in self.factory.inline_ids or query_id in self.inline_answers:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                           "or query ID is invalid")
        results = list(params.get("results") or [])
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        if len({r.get("id") for r in results}) != len(results):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        self.inline_answers[query_id] = results
        return True
