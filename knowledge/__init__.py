"""What the bot knows: the référentiel as typed, immutable objects (`model.py`, read and
checked by `loader.py`, `consistency.py` and `check.py`), the answering pipeline (`engine.py`:
`reading` (`text` → `spelling` → `features`/`ranker`) → `readers/` → `policy`), deadlines
from the rules (`deadline.py`, `dates.py`, `reminder_plan.py`) and the engine's own sentences
(`phrases.py`).

Pure: imports neither Telegram, nor SQLite, nor `bot` or `conversations`; no clock (today's
date is always a parameter).
"""
