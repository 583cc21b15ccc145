"""An update's way through the bot, from its arrival to handled.

`intake.py` (sanitised, poison updates skipped, written to the inbox before Telegram is told
it arrived), `durable.py` (the Application that writes what changed after each update, then
marks it done), `processor.py` (one user's updates one at a time), `guards.py` (edited
messages and buttons under inline messages stopped before any dialogue), `errors.py` (the
error handler).

May import `bot.storage`, `conversations` and `knowledge`; nothing else of `bot`.
"""
