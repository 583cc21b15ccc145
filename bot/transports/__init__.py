"""The three ways the same Application meets its users.

`polling.py` (`python -m bot run`), `webhook.py` (`python -m bot webhook`: the hardened
listener, stored before 200) and `console.py` (`python -m bot chat`: the terminal, over the
offline Bot API; `console_files.py` writes what the bot sends as files).

May import `bot.app`, `bot.config`, `bot.updates`, `bot.offline`, `bot.sending` and `bot.logs`.
"""
