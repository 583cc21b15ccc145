"""How the bot runs: settings, storage, sending, the way of each update, transports and CLI.

Top level: `config.py` (`Settings.from_env`), `app.py` (`build_application`: the one
Application every transport runs, and `running` to start and stop it), `features.py` (the
dialogues of `conversations/`, wired by explicit imports), `logs.py`. Sub-packages:

- `storage/`: the SQLite file — one `Storage` class made of parts cut by meaning, its
  migrations, PTB persistence, and `ThreadedStore` (the dialogues' awaited view of it);
- `updates/`: an update from its arrival to handled — intake (stored first), durable writes,
  one user at a time, guards, the error handler;
- `sending/`: what the bot sends — replies retried and kept in the outbox, paced bulk sends
  (reminders, digests, announcements);
- `transports/`: long polling, webhook, the terminal console;
- `offline/`: the offline Bot API (console and tests);
- `cli/`: `python -m bot …`.

Imports point one way: `bot` → `conversations` → `knowledge`; inside `bot`, `cli` and
`transports` sit on top, `offline` and `storage` import no other part of `bot`.
"""
