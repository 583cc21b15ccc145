"""What the bot sends, and how it makes sure it arrives once.

Replies: `replies.py` (`ReplyRetrier`, PTB's rate limiter: 5xx, time-outs and 429 retried for
a while) and `outbox.py` (replies still refused after that are kept and sent when Telegram is
back, in each chat's order). Messages the bot sends on its own, paced and never twice:
`bulk.py` (`BulkSender`, 30 a second), `reminders.py`, `digest.py`, `announcements.py`.

May import `bot.config`, `bot.storage`, `conversations` and `knowledge`.
"""
