"""`python -m bot …`: the command line of DESIGN.md, plus the operators' commands."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TextIO

from bot.config import ENVIRONMENT, ConfigError, Settings
from bot.logs import setup_logging
from knowledge.check import check_files
from knowledge.loader import KnowledgeError, default_titre_path, load_titre
from knowledge.model import Titre

EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Le conseiller TSGRI / the TSGRI advisor bot.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="environment:\n" + "\n".join(f"  {k:25} {v}" for k, v in ENVIRONMENT.items()),
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="the bot on Telegram by long polling (needs TELEGRAM_BOT_TOKEN)")
    hook = sub.add_parser("webhook", help="the bot on Telegram by webhook")
    hook.add_argument("--listen", required=True)
    hook.add_argument("--port", required=True, type=int)
    hook.add_argument("--url", required=True)
    hook.add_argument("--secret-token", default=None)
    sub.add_parser("chat", help="the same bot in the terminal: no token, no network")
    ask = sub.add_parser("ask", help="one answer (or one per line of standard input)")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--today", type=date.fromisoformat, default=None)
    ask.add_argument("question", nargs="*")
    faq = sub.add_parser("faq", help="the knowledge base as a document")
    faq.add_argument("--format", choices=("md", "json"), default="md")
    sub.add_parser(
        "calibrate", help="retrain the answering model and refit its policy (after editing data)"
    )
    check = sub.add_parser("check", help="validate knowledge files")
    check.add_argument("files", nargs="*", type=Path)
    remind = sub.add_parser("remind", help="send the reminders due today, once")
    remind.add_argument("--today", type=date.fromisoformat, default=None)
    remind.add_argument("--dry-run", action="store_true")
    sub.add_parser("stats", help="usage figures for operators")
    unanswered = sub.add_parser("unanswered", help="questions the bot could not answer")
    unanswered.add_argument("--limit", type=int, default=50)
    backup = sub.add_parser("backup", help="a consistent copy of the database, while it runs")
    backup.add_argument("path", type=Path)
    advisor = sub.add_parser("advisor", help="register an advisor; prints their personal link code")
    advisor.add_argument("label")
    advisor.add_argument("--user-id", type=int, default=None)
    sub.add_parser("advisors", help="list advisors with their anonymous counts")
    remove = sub.add_parser(
        "advisor-remove", help="an advisor who leaves: their link stops, nothing is shared"
    )
    remove.add_argument("code", help="the advisor's code (python -m bot advisors lists them)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging()
    try:
        settings = Settings.from_env()
        if args.command == "check":
            return _check(args.files)
        titre = load_titre(default_titre_path())
        code = _dispatch(args, settings, titre)
        sys.stdout.flush()  # here, where a closed pipe is caught, not at the exit
        return code
    except BrokenPipeError:
        # `faq | head`: the reader had enough. Not an error of ours; and the output still
        # buffered must not fail again at exit, so what is left goes nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KnowledgeError as error:
        print(str(error), file=sys.stderr)
        return 1


def _dispatch(args: argparse.Namespace, settings: Settings, titre: Titre) -> int:
    match args.command:
        case "run" | "webhook" | "chat":
            return _run_bot(args, settings, titre)
        case "ask":
            return _ask(
                titre, args.question, as_json=args.json, today=args.today or _today(settings)
            )
        case "calibrate":
            return _calibrate(titre)
        case "faq":
            from knowledge.faq import faq

            print(faq(titre, args.format))
            return 0
    return _operate(args, settings, titre)


def _run_bot(args: argparse.Namespace, settings: Settings, titre: Titre) -> int:
    """The three transports of the same Application (imported only when one runs)."""
    if args.command == "run":
        from bot.transports.polling import run_polling

        return run_polling(settings, titre)
    if args.command == "webhook":
        from bot.transports.webhook import run_webhook

        return run_webhook(settings, titre, listen=args.listen, port=args.port, url=args.url,
                           secret_token=args.secret_token)  # fmt: skip
    from bot.transports.console import run_chat

    return run_chat(settings, titre)


def _operate(args: argparse.Namespace, settings: Settings, titre: Titre) -> int:
    """The operators' commands (`bot.cli.operators`)."""
    from bot.cli import operators

    match args.command:
        case "remind":
            return asyncio.run(
                operators.remind(settings, titre, today=args.today, dry_run=args.dry_run)
            )
        case "stats":
            return operators.stats(settings, titre)
        case "unanswered":
            return operators.unanswered(settings, titre, limit=args.limit)
        case "backup":
            return operators.backup(settings, titre, args.path)
        case "advisor":
            return operators.advisor(settings, titre, args.label, args.user_id)
        case "advisors":
            return operators.advisors(settings, titre)
        case "advisor-remove":
            return operators.remove_advisor(settings, titre, args.code)
    return EXIT_USAGE


def _today(settings: Settings) -> date:
    return datetime.now(settings.timezone).date()


def _check(files: list[Path]) -> int:
    problems = check_files(files)  # none given: every shipped knowledge file
    for problem in problems:
        print(problem)
    if not problems:
        print(f"ok: {len(files) or 'all'} knowledge file(s) valid")
    return 1 if problems else 0


def _calibrate(titre: Titre) -> int:
    from knowledge.calibration import write
    from knowledge.engine import Engine

    model, policy, text = write(titre, Engine(titre).normalizer)
    print(f"wrote {model} and {policy}")
    print(text.rstrip())
    return 0


def _ask(
    titre: Titre, words: list[str], *, as_json: bool, today: date, out: TextIO | None = None
) -> int:
    from knowledge.engine import Engine

    out = out or sys.stdout
    engine = Engine(titre)
    questions = [" ".join(words)] if words else (line.rstrip("\n") for line in sys.stdin)
    for question in questions:
        if not question.strip():
            continue
        answer = engine.ask(question, today=today)
        if as_json:
            out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(answer.text.replace("\n", " ") + "\n" if not words else answer.text + "\n")
        out.flush()
    return 0
