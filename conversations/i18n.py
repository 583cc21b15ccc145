"""The message catalogue: every text the bot says, French first, with English.

Templates are HTML (the bot's parse mode). Keyword values are escaped, so user input
or YAML text can never break the markup; pass `Raw(...)` for pre-built HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from knowledge.model import Lang

LOCALES = Path(__file__).with_name("locales")


class Raw(str):
    """HTML that is already safe and must not be escaped again."""


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Catalogue:
    messages: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls, directory: Path = LOCALES) -> Catalogue:
        messages: dict[str, dict[str, str]] = {}
        for path in sorted(directory.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise CatalogueError(f"{path}: expected a mapping of message keys")
            for key, value in data.items():
                if not isinstance(value, dict) or not isinstance(value.get("fr"), str):
                    raise CatalogueError(f"{path}: {key}: needs at least a 'fr' text")
                if key in messages:
                    raise CatalogueError(f"{path}: {key}: defined twice")
                messages[key] = {k: str(v) for k, v in value.items()}
        return cls(messages)

    def t(self, key: str, lang: Lang, /, **values: Any) -> str:
        entry = self.messages.get(key)
        if entry is None:
            raise KeyError(f"message {key!r} is not in the catalogue")
        template = entry.get(lang) or entry["fr"]
        safe = {
            k: v if isinstance(v, Raw) else html.escape(str(v), quote=False)
            for k, v in values.items()
        }
        return template.format(**safe) if safe else template

    def has(self, key: str) -> bool:
        return key in self.messages
