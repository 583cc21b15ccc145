"""/mesccp through a real Application on a real SQLite file (conversations/my_ccps.py)."""

from __future__ import annotations

from datetime import date

from tests.conv_support import PERSONAL, USER, Launch, buttons_of, last, text_of, texts


async def test_acceptance_one_of_three_closing_in_march_2027(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        messages = await b.send("/mesccp")
        summary = text_of(messages[0])
        assert summary.startswith("Mes CCP : 1/3\n"
                                  "Vous avez le CCP 1 ; il vous manque les CCP 2 et 3.")
        assert "📅 Date provisoire — Date à viser : le 12 mars 2027, cinq ans après votre " \
            "premier CCP : il reste 103 jours." in summary
        assert "la date exacte peut être plus tard, ou plus tôt si la validité du titre prend " \
            "fin avant" in summary
        assert "Votre centre ou la DREETS la confirme" in summary
        assert "E2" not in summary and "ferm" not in summary and "https://" not in summary
        assert "Prochaine étape : obtenir les CCP 2 et 3, si possible avant le 12 mars 2027" \
            in summary
        assert buttons_of(messages[0]) == [
            "📜 Règle et source", "➕ Détails", "➕ Déclarer un CCP", "✏️ Modifier",
            "Ajouter à mon agenda",
        ]
        # The rule, its sources and the changes of the law: one tap away.
        [rule] = await b.press(messages[0], "📜 Règle et source")
        assert "Règle qui s'applique à vous : celle en vigueur depuis le 1er juin 2016" \
            in text_of(rule)
        assert "Votre centre ou la DREETS peut vous confirmer la date exacte" in text_of(rule)
        # Each CCP with its title and date.
        [details] = await b.press(messages[0], "➕ Détails")
        assert "CCP 1 — Assurer l'administration" in text_of(details)
        assert "obtenu le 12 mars 2022" in text_of(details)
        assert "CCP 2 — Mettre en exploitation" in text_of(details)  # still to obtain
        photo = messages[1]
        assert "photo" in photo and "date à viser, le 12 mars 2027" in text_of(photo)
        # Refused dates store nothing and change nothing.
        await b.send("/declarer 2 31/02/2023")
        await b.send("/declarer 2 01/01/2099")
        assert b.declared() == {1: date(2022, 3, 12)}


async def test_nothing_declared_yet(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        messages = await b.send("/mesccp")
        assert "Mes CCP : 0/3" in texts(messages)
        assert "Il vous manque les CCP 1, 2 et 3." in texts(messages)
        assert "Vous n'avez encore déclaré aucun CCP" in texts(messages)
        assert buttons_of(last(messages)) == ["➕ Détails", "➕ Déclarer un CCP"]
        assert not any("photo" in m for m in messages)
        messages = await b.press(last(messages), "➕ Déclarer un CCP")
        assert "Quel CCP avez-vous obtenu ?" in texts(messages)


async def test_change_a_date_from_the_summary(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        summary = (await b.send("/mesccp"))[0]
        [edit] = await b.press(summary, "✏️ Modifier")
        assert "CCP 1 : obtenu le 12 mars 2022" in text_of(edit)
        messages = await b.press(edit, "✏️ Date du CCP 1")
        assert "Vous l'avez déjà déclaré, obtenu le 12 mars 2022" in texts(messages)
        messages = await b.send("10/03/2022")
        messages = await b.press(last(messages), "🔁 Remplacer la date")
        assert b.declared() == {1: date(2022, 3, 10)}
        messages = await b.press(last(messages), "📋 Mes CCP et mon délai")
        assert "Date à viser : le 10 mars 2027" in texts(messages)


async def test_delete_with_confirmation(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        await b.send("/declarer 2 01/06/2023")
        summary = (await b.send("/mesccp"))[0]
        [edit] = await b.press(summary, "✏️ Modifier")
        messages = await b.press(edit, "🗑 Supprimer CCP 1")
        assert "Supprimer la déclaration du CCP 1 (obtenu le 12 mars 2022) ?" in texts(messages)
        messages = await b.press(last(messages), "Non, garder")
        assert "rien n'est supprimé" in texts(messages)
        assert b.declared() == {1: date(2022, 3, 12), 2: date(2023, 6, 1)}
        [edit] = await b.press(last(messages), "✏️ Modifier")
        messages = await b.press(edit, "🗑 Supprimer CCP 1")
        confirm = last(messages)
        messages = await b.press(confirm, "🗑 Oui, supprimer le CCP 1")
        assert "La déclaration du CCP 1 est supprimée" in texts(messages)
        assert "Mes CCP : 1/3" in texts(messages)
        assert "Date à viser : le 1er juin 2028" in texts(messages)  # from the next earliest
        assert b.declared() == {2: date(2023, 6, 1)}
        again = await b.press_again(confirm, "🗑 Oui, supprimer le CCP 1")
        assert "Le CCP 1 n'est pas (ou plus) déclaré" in texts(again)
        assert b.declared() == {2: date(2023, 6, 1)}
        assert not [c for c in b.api.calls if c.status != 200]


async def test_every_ccp_held_says_what_comes_next(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        for line in ("1 12/03/2022", "2 01/06/2023", "3 02/02/2024"):
            await b.send(f"/declarer {line}")
        messages = await b.send("/mesccp")
        summary = text_of(messages[0])
        assert "Mes CCP : 3/3" in summary
        assert "Vous avez tous les CCP du titre" in summary
        assert "l'entretien avec le jury de professionnels" in summary
        # nothing left to declare, nothing to put in a calendar
        assert buttons_of(messages[0]) == ["📜 Règle et source", "➕ Détails", "✏️ Modifier"]
        details = text_of((await b.press(messages[0], "➕ Détails"))[0])
        assert "le jury de professionnels conduit un entretien" in details  # entretien_final
        assert "Source : Modalités d'obtention" in details


async def test_window_already_closed_under_the_referentiel_rule(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 10/01/2010")
        message = (await b.send("/mesccp"))[0]
        summary = text_of(message)
        assert "Fenêtre fermée — Selon la règle qui s'applique à vous, votre fenêtre de " \
            "capitalisation s'est fermée le 10 janvier 2015 au soir" in summary
        rule = text_of((await b.press(message, "📜 Règle et source"))[0])
        assert "celle du référentiel, car votre premier CCP date d'avant le 1er juin 2016" in rule
        assert "la fenêtre pour obtenir les CCP 2 et 3 est passée" in summary
        assert "Voyez avec votre centre ou la DREETS ce qui reste possible" in summary


async def test_a_prudent_date_passed_is_never_a_closed_window(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 01/02/2021")
        summary, photo = await b.send("/mesccp")
        text = text_of(summary)
        assert "La date prudente, cinq ans après votre premier CCP (le 1er février 2026), est " \
            "passée : selon la règle en vigueur, vos CCP peuvent encore compter." in text
        assert "Date prudente passée" in text
        assert "demandez à votre centre ou à la DREETS jusqu'à quand vos CCP comptent" in text
        assert "ferm" not in text and "E2" not in text
        rule = text_of((await b.press(summary, "📜 Règle et source"))[0])
        assert "https://mmi-deco.com/aide/passage-de-lexamen/" in rule and "ferm" not in rule
        assert rule.count("https://mmi-deco.com/aide/passage-de-lexamen/") == 1  # said once
        assert "le nouvel arrêté fait correspondre les anciens CCP" in rule  # the change stays
        assert "vos CCP peuvent encore compter" in text_of(photo)


async def test_a_late_ccp_is_warned_not_celebrated(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        for line in ("1 10/01/2012", "2 01/06/2013", "3 02/02/2018"):
            await b.send(f"/declarer {line}")
        summary = text_of((await b.send("/mesccp"))[0])
        assert "Le CCP 3 a été obtenu après le 10 janvier 2017" in summary
        assert "il pourrait ne pas s'ajouter aux autres" in summary
        assert "demandez à votre centre ou à la DREETS" in summary
        assert summary.index("⚠️") < summary.index("🎓")  # said before what comes next
        # what comes next is that check, not the jury as if nothing were wrong (a tester read
        # « Fenêtre fermée » and « Prochaine étape : l'entretien avec le jury » together)
        assert "Prochaine étape : l'entretien" not in summary
        assert "faites confirmer par votre centre ou la DREETS que le CCP 3 compte" in summary


async def test_english(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022", language_code="en")
        message = (await b.send("/mesccp", language_code="en"))[0]
        summary = text_of(message)
        assert "My CCPs: 1/3\nYou hold CCP 1; you still need CCPs 2 and 3." in summary
        assert "Date to aim for: 12 March 2027" in summary
        rule = text_of((await b.press(message, "📜 Rule and source", language_code="en"))[0])
        assert "Rule that applies to you: the one in force since 1 June 2016" in rule
        details = text_of((await b.press(message, "➕ Details", language_code="en"))[0])
        assert "obtained on 12 March 2022" in details


async def test_in_a_group_no_personal_data(launch: Launch) -> None:
    async with launch(features=PERSONAL, user_id=USER) as b:
        await b.send("/declarer 1 12/03/2022")
        messages = await b.send("/mesccp", chat_id=-100123)
        assert "continuons en privé" in texts(messages)
        assert "2022" not in texts(messages) and "2027" not in texts(messages)
        assert buttons_of(last(messages)) == ["Écrire au bot en privé"]
