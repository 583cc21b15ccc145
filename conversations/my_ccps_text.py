"""What /mesccp says (conversations/my_ccps.py sends it): the short summary first, then what
its buttons open.

The summary fits a phone screen: where the user stands in words (CCPs held, CCPs missing),
the date that applies with its state and the days left, a warning for a CCP obtained after
it, and the one next step. The rule and its sources, the later changes of the law
("📜 Règle et source"), each CCP with its title and date and what the référentiel says once
every CCP is held ("➕ Détails") are messages of their own. The closing date is never typed
by anyone: it is computed by `knowledge.deadline` (the one deadline service).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from conversations.services import Context, Services
from knowledge.answer import evolution_lines
from knowledge.deadline import Deadline, Standing, deadline_from, explain_for
from knowledge.deadline import format_date as fmt
from knowledge.model import Ccp, Lang

NEXT_STEP_TOPIC: Final = "entretien_final"  # what the référentiel says once every CCP is held
STATE_KEYS: Final[dict[Standing, str]] = {  # the window's state in words, as on the picture
    "open": "state_open",
    "last_day": "state_open",
    "closed": "state_closed",
    "target_open": "state_target",
    "target_last_day": "state_target",
    "target_passed": "state_target_passed",
}


def t(context: Context, key: str, lang: Lang, **values: Any) -> str:
    return context.services.catalogue.t(f"mine.{key}", lang, **values)


def deadline_for(services: Services, declared: dict[int, date]) -> Deadline | None:
    """The user's deadline from their saved CCPs (None before the first one)."""
    return deadline_from(services.titre.capitalisation, declared.values())


def late_numbers(deadline: Deadline, declared: dict[int, date]) -> list[int]:
    """The CCPs obtained after the date that applies, in number order."""
    return sorted(n for n, obtained in declared.items() if deadline.late(obtained))


def late_warning(context: Context, lang: Lang, deadline: Deadline, numbers: list[int]) -> str:
    """A kind word on CCPs obtained after the date: by a firm rule, they may not count; after
    the prudent target of the rule in force, they may well count (to confirm)."""
    key = "late_target" if deadline.provisional else "late_firm"
    return t(context, key, lang, numbers=", ".join(map(str, numbers)),
             closes=fmt(deadline.closes_on, lang))  # fmt: skip


def ccps_named(context: Context, lang: Lang, ccps: Sequence[Ccp]) -> str:
    """"le CCP 3", "les CCP 2 et 3": never "le(s) CCP 2, 3"."""
    numbers = [str(c.number) for c in ccps]
    if len(numbers) == 1:
        return t(context, "ccp_one", lang, number=numbers[0])
    return t(context, "ccp_many", lang, numbers=", ".join(numbers[:-1]), last=numbers[-1])


def standing_text(context: Context, lang: Lang, held: Sequence[Ccp], missing: Sequence[Ccp]) -> str:
    """"Vous avez le CCP 1 ; il vous manque les CCP 2 et 3.", in words."""
    if not held:
        return t(context, "stand_none", lang, missing=ccps_named(context, lang, missing))
    if not missing:
        return t(context, "stand_all", lang)
    return t(context, "stand_some", lang, held=ccps_named(context, lang, held),
             missing=ccps_named(context, lang, missing))  # fmt: skip


def next_step(context: Context, lang: Lang, deadline: Deadline, missing: str) -> str:
    """What to do now, as the rule allows: never "closed" for a prudent date."""
    standing = deadline.standing(context.services.today())
    closes = fmt(deadline.closes_on, lang)
    if standing == "closed":
        return t(context, "next_closed", lang, missing=missing)
    if standing == "target_passed":
        return t(context, "next_check", lang, missing=missing)
    key = "next_target" if deadline.provisional else "next_missing"
    return t(context, key, lang, missing=missing, closes=closes)


def date_text(context: Context, lang: Lang, deadline: Deadline) -> str:
    """"🟡 Date provisoire — Date à viser : le 12 mars 2027, … : il reste 103 jours."."""
    today = context.services.today()
    standing = deadline.standing(today)
    state = t(context, STATE_KEYS[standing], lang)
    line = t(context, "date_line", lang, state=state, status=deadline.status(lang, today))
    if standing in ("target_open", "target_last_day"):  # said in words: it may be later
        line += "\n" + t(context, "target_note", lang)
    return line


def summary(context: Context, lang: Lang, declared: dict[int, date]) -> str:
    """The short picture as HTML (values escaped by the catalogue): the answer first."""
    titre = context.services.titre
    held = [c for c in titre.ccps if c.number in declared]
    missing = [c for c in titre.ccps if c.number not in declared]
    head = t(context, "title", lang, held=len(held), total=len(titre.ccps))
    parts = [head + "\n" + standing_text(context, lang, held, missing)]
    deadline = deadline_for(context.services, declared)
    if deadline is None:
        parts.append(t(context, "none", lang))
        return "\n\n".join(parts)
    late = late_numbers(deadline, declared)
    if not missing and not late:
        parts.append(t(context, "all_held_short", lang))
        return "\n\n".join(parts)
    parts.append(date_text(context, lang, deadline))
    if late:
        parts.append(late_warning(context, lang, deadline, late))
    if missing:
        parts.append(next_step(context, lang, deadline, ccps_named(context, lang, missing)))
    else:  # every CCP held, one after the date: whether it counts comes before the jury
        parts.append(t(context, "all_held_late", lang, numbers=", ".join(map(str, late))))
    return "\n\n".join(parts)


def details(context: Context, lang: Lang, declared: dict[int, date]) -> str:
    """"➕ Détails": each CCP with its title (and date when held), what comes next once every
    CCP is held (the référentiel's text and its source), how reminders are set."""
    titre = context.services.titre
    lines = [ccp_line(context, lang, c, declared.get(c.number)) for c in titre.ccps]
    parts = [t(context, "details_title", lang), "\n".join(lines)]
    if declared and len(declared) == len(titre.ccps):
        parts.append(all_held(context, lang))
    elif declared:
        parts.append(t(context, "details_reminders", lang))
    else:
        parts.append(t(context, "none", lang))
    return "\n\n".join(parts)


def ccp_line(context: Context, lang: Lang, ccp: Ccp, obtained: date | None) -> str:
    """"✅ CCP 1 — title / obtenu le …" or "⬜ CCP 2 — title"."""
    values = {"number": ccp.number, "title": ccp.title.get(lang)}
    if obtained is None:
        return t(context, "missing_line", lang, **values)
    return t(context, "held_line", lang, date=fmt(obtained, lang), **values)


def rule(context: Context, lang: Lang, declared: dict[int, date]) -> str | None:
    """"📜 Règle et source": the date with the rule that applies, in full with its sources,
    then every later change of the law about the deadline (None before the first CCP)."""
    services = context.services
    deadline = deadline_for(services, declared)
    if deadline is None:
        return None
    explain = explain_for(services.titre, deadline, lang, services.today())
    parts = [t(context, "rule_title", lang), t(context, "rule_body", lang, explain=explain)]
    topic = services.titre.by_role("deadline")
    if topic is not None:
        found = [e for e in map(services.titre.evolution, topic.evolutions) if e is not None]
        # a change's links already given with the rule above are not written twice (a tester
        # read the same four links twice in one message)
        lines = evolution_lines(found, lang, services.engine.phrases, cited=explain)
        if lines:
            parts.append(t(context, "rule_changes", lang, changes="\n".join(lines)))
    return "\n\n".join(parts)


def edit_text(context: Context, lang: Lang, declared: dict[int, date]) -> str:
    """"✏️ Modifier": the saved dates, above a button per CCP to change or delete it."""
    lines = [t(context, "edit_line", lang, number=n, date=fmt(d, lang))
             for n, d in sorted(declared.items())]  # fmt: skip
    return t(context, "edit_title", lang) + "\n" + "\n".join(lines)


def all_held(context: Context, lang: Lang) -> str:
    topic = context.services.titre.topic(NEXT_STEP_TOPIC)
    if topic is None:
        return t(context, "all_held_generic", lang)
    return t(context, "all_held", lang, answer=topic.answer.get(lang), source=topic.source or "—")
