"""Phone numbers and e-mail addresses are removed from kept questions (bot/storage/redact.py)."""

from __future__ import annotations

import pytest

from bot.storage.redact import without_contacts


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("rappelez-moi au 06 12 34 56 78 svp", "rappelez-moi au [téléphone] svp"),
        ("tel 06.12.34.56.78.", "tel [téléphone]."),
        ("0612345678", "[téléphone]"),
        ("+33 6 12 34 56 78 ou 0033612345678", "[téléphone] ou [téléphone]"),
        ("+44 (0)20 7946 0958", "[téléphone]"),
        ("écrire à jean.dupont+tsgri@mail.example.fr merci", "écrire à [e-mail] merci"),
        # an operator tester found these kept in full for 90 days
        ("numéro de sécu 1 85 05 78 006 084 36 ça sert ?", "numéro de sécu [numéro] ça sert ?"),
        ("secu 185057800608436", "secu [numéro]"),
        ("mon iban FR76 3000 6000 0112 3456 7890 189 pour le cpf", "mon iban [IBAN] pour le cpf"),
        ("carte 4970 1012 3456 7890", "carte [numéro]"),
    ],
)
def test_contacts_are_removed(typed: str, kept: str) -> None:
    assert without_contacts(typed) == kept


@pytest.mark.parametrize(
    "typed",
    [
        "le code TP 00495 existe encore ?",
        "CCP 1 obtenu le 12/03/2022",
        "entre 2021 2022 2023 et 2024",
        "NSF 326 u, niveau 5",
        "CCP 1 obtenu le 2022-03-12 et le CCP 2 le 14.05.2024",
        "il reste 1284 jours, code ROME 32311",
    ],
)
def test_what_is_not_a_contact_stays(typed: str) -> None:
    assert without_contacts(typed) == typed
