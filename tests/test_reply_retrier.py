"""`bot.sending.replies.ReplyRetrier` on its own: what it does with each kind of failure."""

from __future__ import annotations

from typing import Any

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.sending.bulk import bulk_sending
from bot.sending.replies import ReplyRetrier, ReplyUndelivered

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


def failing(*errors: Exception) -> tuple[Any, list[int]]:
    """A Bot API call that raises `errors` in turn, then answers True; counts its calls."""
    calls = [0]

    async def call() -> bool:
        calls[0] += 1
        if calls[0] <= len(errors):
            raise errors[calls[0] - 1]
        return True

    return call, calls


async def send(retrier: ReplyRetrier, call: Any, endpoint: str = "sendMessage") -> Any:
    return await retrier.process_request(call, (), {}, endpoint, {"chat_id": 5}, None)


async def test_server_errors_and_time_outs_are_retried() -> None:
    retrier = ReplyRetrier(backoff=0.01)
    call, calls = failing(NetworkError("Internal Server Error (500)"), TimedOut())
    assert await send(retrier, call) is True
    assert calls == [3]


async def test_a_429_is_waited_out_then_retried() -> None:
    retrier = ReplyRetrier(retry_after_margin=0.0)
    call, calls = failing(RetryAfter(0))
    assert await send(retrier, call) is True
    assert calls == [2]


async def test_past_the_deadline_the_reply_is_reported_lost() -> None:
    retrier = ReplyRetrier(deadline=0.2, backoff=0.05)
    call, calls = failing(*[NetworkError("Bad Gateway")] * 100)
    with pytest.raises(ReplyUndelivered, match="Bad Gateway"):
        await send(retrier, call)
    assert 2 <= calls[0] < 10


@pytest.mark.parametrize("error", [BadRequest("can't parse entities"), Forbidden("blocked")])
async def test_refusals_are_not_retried(error: Exception) -> None:
    call, calls = failing(error)
    with pytest.raises(type(error)):
        await send(ReplyRetrier(backoff=0.01), call)
    assert calls == [1]


async def test_a_button_answer_too_old_on_a_retry_was_delivered_by_the_first_try() -> None:
    too_old = BadRequest("Query is too old and response timeout expired or query id is invalid")
    call, calls = failing(TimedOut(), too_old)
    assert await send(ReplyRetrier(backoff=0.01), call, "answerCallbackQuery") is True
    assert calls == [2]
    call, _ = failing(too_old)  # first try: really too old, the handler hears of it
    with pytest.raises(BadRequest):
        await send(ReplyRetrier(backoff=0.01), call, "answerCallbackQuery")


async def test_bulk_sends_pass_straight_through() -> None:
    call, calls = failing(NetworkError("Bad Gateway"))
    with bulk_sending(), pytest.raises(NetworkError):
        await send(ReplyRetrier(backoff=0.01), call)
    assert calls == [1]
