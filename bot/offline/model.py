"""What the simulated Bot API and its users exchange: updates, errors, request records.

Updates are plain JSON dicts (what getUpdates returns), so the same objects feed
`Update.de_json`, the in-process transport and the local HTTP server.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

JSON = dict[str, Any]

BOT_USER: Mapping[str, Any] = MappingProxyType({
    "id": 1000,
    "is_bot": True,
    "first_name": "TSGRI",
    "username": "tsgri_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
})  # read-only: copy it to change a field

_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler"}
    | {"a", "code", "pre", "blockquote", "tg-emoji"}
)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^<>]*)>")


class ApiError(Exception):
    """An error answer of the Bot API (`ok: false`), with Telegram's wording."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after
        self.hang_until: float | None = None  # status 0: when the request stops hanging

    def payload(self) -> JSON:
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass(slots=True)
class Fault:
    """What the API does to requests about one chat: fail `times` times (None: always)."""

    status: int  # 0 means: never answer (the client times out)
    description: str
    times: int | None = None
    retry_after: int | None = None

    @classmethod
    def blocked(cls) -> Fault:
        return cls(403, "Forbidden: bot was blocked by the user")

    @classmethod
    def server_error(cls, status: int = 500, times: int | None = None) -> Fault:
        text = "Bad Gateway" if status == 502 else "Internal Server Error"
        return cls(status, text, times)

    @classmethod
    def flood(cls, retry_after: int = 1, times: int | None = 1) -> Fault:
        return cls(429, f"Too Many Requests: retry after {retry_after}", times, retry_after)

    @classmethod
    def hang(cls, times: int | None = None) -> Fault:
        return cls(0, "no answer", times)


@dataclass(frozen=True, slots=True)
class Upload:
    field: str
    filename: str
    size: int
    mime_type: str


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made, as the API understood it."""

    method: str
    params: Mapping[str, Any]
    uploads: tuple[Upload, ...]
    at: float  # time.monotonic()
    status: int
    result: Any = None
    error: str = ""  # the API's description of a refusal ("Bad Request: message is not …")


def html_to_text(source: str) -> str:
    """Parse Telegram HTML like the Bot API: plain text out, ValueError on what it refuses."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for match in _TAG.finditer(source):
        out.append(_plain(source[pos : match.start()], pos))
        pos = match.end()
        closing, name = match.group(1) == "/", match.group(2).lower()
        if name not in _ALLOWED_TAGS:
            raise ValueError(f'Unsupported start tag "{name}" at byte offset {match.start()}')
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            raise ValueError(f'Unmatched end tag at byte offset {match.start()}, expected "{name}"')
    out.append(_plain(source[pos:], pos))
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _plain(segment: str, offset: int) -> str:
    if "<" in segment:
        where = offset + segment.index("<")
        raise ValueError(f"Unsupported start tag at byte offset {where}")
    return html.unescape(segment)


def render_text(text: str, parse_mode: Any, limit: int, what: str) -> str:
    """The text as Telegram stores it (entities parsed), or the 400 it would answer."""
    if parse_mode in ("HTML", "html"):
        try:
            text = html_to_text(text)
        except ValueError as error:
            raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
    if len(text.encode("utf-16-le")) // 2 > limit:
        raise ApiError(400, f"Bad Request: {what} is too long")
    return text

def checked_markup(params: Mapping[str, Any]) -> JSON | None:
    """Inline keyboard of a request; Telegram refuses callback data over 64 bytes."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if len(str(button.get("callback_data", "")).encode()) > 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup

def attachment(kind: str, ref: Any, upload: Upload | None, uid: str) -> JSON:
    """The photo or document part of a sent message, from an upload or a file id/URL."""
    if upload is None and not ref:
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    name = upload.filename if upload else str(ref)
    size = upload.size if upload else 0
    if kind == "photo":
        return {"photo": [{"file_id": uid, "file_unique_id": uid, "width": 800,
                           "height": 600, "file_size": size}], "file_name": name}
    mime = upload.mime_type if upload else "application/octet-stream"
    return {"document": {"file_id": uid, "file_unique_id": uid, "file_name": name,
                         "mime_type": mime, "file_size": size}}



class BotProfile:
    """What a bot sets about itself: the commands menu, descriptions and its webhook."""

    def __init__(self) -> None:
        self.commands: dict[str, list[JSON]] = {}  # "<scope json>|<language>" -> commands
        self.descriptions: dict[str, str] = {}  # "<field>|<language>" -> text
        self.webhook: JSON = {"url": ""}

    def commands_for(self, language_code: str = "", scope: JSON | None = None) -> list[JSON]:
        return self.commands.get(self._key(scope, language_code), [])

    @staticmethod
    def _key(scope: Any, language_code: Any) -> str:
        return f"{json.dumps(scope or {'type': 'default'}, sort_keys=True)}|{language_code or ''}"

    def answer(self, name: str, params: Mapping[str, Any]) -> Any:
        """Answer a settings method; 404 (as Telegram does) for a method nobody emulates."""
        key = self._key(params.get("scope"), params.get("language_code"))
        lang = params.get("language_code") or ""
        field = "short_description" if "short" in name else "description"
        if name == "setmycommands":
            self.commands[key] = list(params["commands"])
        elif name == "deletemycommands":
            self.commands.pop(key, None)
        elif name == "getmycommands":
            return self.commands.get(key, [])
        elif name in ("setmydescription", "setmyshortdescription"):
            self.descriptions[f"{field}|{lang}"] = str(params.get(field, ""))
        elif name in ("getmydescription", "getmyshortdescription"):
            return {field: self.descriptions.get(f"{field}|{lang}", "")}
        elif name == "setwebhook":
            self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        elif name == "deletewebhook":
            self.webhook = {"url": ""}
        elif name not in ("sendchataction", "setchatmenubutton", "close", "logout"):
            raise ApiError(404, "Not Found")
        return True


def text_of(message: JSON) -> str:
    """What the user reads in a message: its text or its caption."""
    return str(message.get("text") or message.get("caption") or "")


def buttons_of(message: JSON) -> list[str]:
    """Labels of a message's inline buttons, row after row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class UpdateFactory:
    """Builds updates from users; update ids increase, message ids come from the chat."""

    def __init__(
        self,
        bot_user: JSON | None = None,
        next_message_id: Callable[[int], int] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot_user = dict(bot_user or BOT_USER)
        self._update_ids: Iterator[int] = itertools.count(1)
        self._query_ids: Iterator[int] = itertools.count(1)
        self._own_ids: dict[int, Iterator[int]] = {}
        self._next_message_id = next_message_id or self._own_message_id
        self.clock = clock
        self.callback_ids: set[str] = set()
        self.inline_ids: set[str] = set()

    def _own_message_id(self, chat_id: int) -> int:
        return next(self._own_ids.setdefault(chat_id, itertools.count(1)))

    def user(
        self, user_id: int = 1, *, first_name: str = "Camille", language_code: str | None = "fr"
    ) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    def chat(
        self, chat_id: int, *, title: str = "Groupe TSGRI", first_name: str = "Camille"
    ) -> JSON:
        """A private chat for positive ids, a supergroup for negative ones (as Telegram does)."""
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": first_name}
        return {"id": chat_id, "type": "supergroup", "title": title}

    def _update(self, kind: str, payload: JSON) -> JSON:
        return {"update_id": next(self._update_ids), kind: payload}

    def _message(
        self, user_id: int, chat_id: int | None, language_code: str | None, **content: Any
    ) -> JSON:
        user = self.user(user_id, language_code=language_code)
        chat = self.chat(chat_id if chat_id is not None else user_id)
        return {
            "message_id": self._next_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": int(self.clock()),
            **content,
        }

    def message(
        self,
        text: str,
        *,
        user_id: int = 1,
        chat_id: int | None = None,
        language_code: str | None = "fr",
        reply_to: JSON | None = None,
    ) -> JSON:
        """A text message; commands and @mentions of the bot get their entities."""
        content: JSON = {"text": text}
        entities: list[JSON] = []
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            entities.append({"type": "bot_command", "offset": 0, "length": _utf16(command)})
        mention = f"@{self.bot_user['username']}"
        if mention in text and not text.startswith("/"):
            offset = _utf16(text[: text.index(mention)])
            entities.append({"type": "mention", "offset": offset, "length": _utf16(mention)})
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self._update("message", self._message(user_id, chat_id, language_code, **content))

    def command(self, name: str, args: str = "", **kwargs: Any) -> JSON:
        return self.message(f"/{name} {args}".strip(), **kwargs)

    def edited(self, update: JSON, new_text: str) -> JSON:
        """The user edits the message of an earlier `message` update."""
        message = dict(update["message"], text=new_text, edit_date=int(self.clock()))
        return self._update("edited_message", message)

    def sticker(self, *, user_id: int = 1, chat_id: int | None = None, emoji: str = "👍") -> JSON:
        sticker = {"file_id": "sticker-1", "file_unique_id": "s1", "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False,
                   "emoji": emoji}
        return self._update("message", self._message(user_id, chat_id, "fr", sticker=sticker))

    def photo(self, *, user_id: int = 1, chat_id: int | None = None, caption: str = "") -> JSON:
        sizes = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 320, "height": 240,
                  "file_size": 12_000}]
        extra: JSON = {"caption": caption} if caption else {}
        return self._update("message", self._message(user_id, chat_id, "fr", photo=sizes, **extra))

    def voice(self, *, user_id: int = 1, chat_id: int | None = None, duration: int = 3) -> JSON:
        voice = {"file_id": "voice-1", "file_unique_id": "v1", "duration": duration,
                 "mime_type": "audio/ogg", "file_size": 9_000}
        return self._update("message", self._message(user_id, chat_id, "fr", voice=voice))

    def callback_query(
        self,
        message: JSON,
        button_text: str,
        *,
        user_id: int | None = None,
        language_code: str | None = "fr",
    ) -> JSON:
        """The user presses the inline button labelled `button_text` under a bot message."""
        for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if button["text"] == button_text and "callback_data" in button:
                    query_id = str(next(self._query_ids))
                    self.callback_ids.add(query_id)
                    chat = message["chat"]
                    who = user_id if user_id is not None else chat["id"]
                    return self._update("callback_query", {
                        "id": query_id,
                        "from": self.user(who, language_code=language_code),
                        "message": message,
                        "chat_instance": f"ci{chat['id']}",
                        "data": button["callback_data"],
                    })
        raise LookupError(f"no button {button_text!r} to press; buttons: {buttons_of(message)}")

    def inline_query(
        self, query: str, *, user_id: int = 1, language_code: str | None = "fr", offset: str = ""
    ) -> JSON:
        query_id = f"iq{next(self._query_ids)}"
        self.inline_ids.add(query_id)
        return self._update("inline_query", {
            "id": query_id,
            "from": self.user(user_id, language_code=language_code),
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        })
