"""Telegram without Telegram: the offline Bot API, one implementation for every path.

`FakeBotApi` (`api.py`) keeps what Telegram keeps (per-chat message ids, messages and their
edits, uploads, answered callback and inline queries, the commands menu, descriptions, the
webhook) and answers with Telegram's own errors. `model.py` holds the records (`Call`,
`Upload`, `Fault` for scripted failures), the HTML a message may carry and `UpdateFactory`,
the scripted user. Two ways in: `OfflineRequest` (`request.py`, in-process: `python -m bot chat`
and the conversation tests) and the local HTTP server of the tests (`tests/botapi_server.py`).

Bot API methods it speaks: getMe, getUpdates (long polling, with offset, limit and timeout),
sendMessage, sendPhoto, sendDocument, editMessageText, editMessageReplyMarkup, deleteMessage,
answerCallbackQuery, answerInlineQuery, setWebhook, deleteWebhook, getWebhookInfo,
setMyCommands, getMyCommands, deleteMyCommands, setMyDescription, getMyDescription,
setMyShortDescription, getMyShortDescription, sendChatAction, setChatMenuButton, close and
logOut; any other method gets Telegram's 404.

May import: telegram (the request base class) and nothing else of the project.
"""

from bot.offline.api import SEND_METHODS, VISIBLE_METHODS, FakeBotApi
from bot.offline.model import (
    BOT_USER,
    JSON,
    ApiError,
    BotProfile,
    Call,
    Fault,
    UpdateFactory,
    Upload,
    buttons_of,
    html_to_text,
    text_of,
)
from bot.offline.request import (
    OFFLINE_TOKEN,
    OfflineRequest,
    api_of,
    offline_builder,
    offline_request_pair,
)

__all__ = [
    "BOT_USER",
    "JSON",
    "OFFLINE_TOKEN",
    "SEND_METHODS",
    "VISIBLE_METHODS",
    "ApiError",
    "BotProfile",
    "Call",
    "FakeBotApi",
    "Fault",
    "OfflineRequest",
    "UpdateFactory",
    "Upload",
    "api_of",
    "buttons_of",
    "html_to_text",
    "offline_builder",
    "offline_request_pair",
    "text_of",
]
