"""One user's updates run in order; different users run at once."""

import asyncio

from telegram import Update

from bot.updates.processor import PerUserUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": user_id, "type": "private"},
                "from": {"id": user_id, "is_bot": False, "first_name": "U"},
                "text": "hi",
            },
        },
        None,
    )


async def test_same_user_in_order_other_users_concurrently() -> None:
    processor = PerUserUpdateProcessor(8)
    events: list[str] = []
    second_user_started = asyncio.Event()

    async def slow(name: str) -> None:
        events.append(f"start {name}")
        if name == "a1":
            # While a1 waits, b1 (another user) must be able to start, a2 must not.
            await asyncio.wait_for(second_user_started.wait(), timeout=2)
        if name == "b1":
            second_user_started.set()
        await asyncio.sleep(0)
        events.append(f"end {name}")

    async with processor:
        await asyncio.gather(
            processor.process_update(_update(1, 1), slow("a1")),
            processor.process_update(_update(2, 1), slow("a2")),
            processor.process_update(_update(3, 2), slow("b1")),
        )
    assert events.index("end a1") < events.index("start a2")
    assert events.index("start b1") < events.index("end a1")
    assert processor._locks == {}  # idle users are forgotten
