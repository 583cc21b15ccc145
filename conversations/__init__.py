"""How the bot talks: one module per dialogue, each exporting `handlers()` (wired in
`bot/features.py`), the texts in `locales/*.yaml` (French and English, never in code), and
what they share: `services.py` (the typed services and the awaited `Store` protocol the
dialogues reach through `context.services`), `common.py`, `render.py`, `limits.py`, `i18n.py`.

May import `knowledge` and python-telegram-bot; never `bot` (storage and settings come
through `context.services`, set up by the application).
"""
