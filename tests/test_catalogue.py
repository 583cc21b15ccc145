"""Every text exists in French, has English, and both use the same placeholders."""

import string

import pytest

from conversations.i18n import Catalogue

CATALOGUE = Catalogue.load()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE.messages))
def test_french_and_english_with_same_placeholders(key: str) -> None:
    entry = CATALOGUE.messages[key]
    assert entry["fr"].strip(), f"{key}: empty French text"
    assert entry.get("en", "").strip(), f"{key}: no English text"
    assert _fields(entry["fr"]) == _fields(entry["en"]), f"{key}: placeholders differ"


def test_values_are_escaped_but_raw_html_is_kept() -> None:
    from conversations.i18n import Raw

    catalogue = Catalogue({"k": {"fr": "<b>{a}</b> {b}"}})
    assert (
        catalogue.t("k", "en", a="<script>", b=Raw("<i>ok</i>"))
        == "<b>&lt;script&gt;</b> <i>ok</i>"
    )
