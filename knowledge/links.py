"""Sources as people can open them: "mmi-deco.com/aide/" -> "https://mmi-deco.com/aide/".

The knowledge file writes its web sources without a scheme (as evolutions.md does); a reader
on a phone can only tap a full link. Text around a link ("ancienne règle : …", "(conditions de
validité du CCP1)") is kept; a source that is no web address ("décret 2019-14") is left as it
is. A trailing "…" (a path the source did not give whole) is dropped: the link stays valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

_HOST: Final = re.compile(
    r"(?<![\w@/.:-])((?:[a-z0-9-]+\.)+(?:fr|com|net|org|eu|info|gouv\.fr))"
    r"(/[^\s)…]*)?…?",
    re.IGNORECASE,
)


def full_links(source: str) -> str:
    """Every bare web address of `source` written as an https link."""
    return _HOST.sub(lambda m: f"https://{m.group(1)}{m.group(2) or '/'}", source)


def full_sources(sources: Iterable[str]) -> list[str]:
    return [full_links(s) for s in sources]
