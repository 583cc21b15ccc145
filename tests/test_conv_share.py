"""/partager through the real Application, offline (conversations/share.py): the bot's link
from its own username, a QR code picture, topic links that really open their topic."""

from __future__ import annotations

import io
import re
from contextlib import AbstractAsyncContextManager

import pytest
import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from bot.offline import BOT_USER, FakeBotApi
from conversations import deeplinks, qr_picture
from conversations.qr_picture import BORDER
from conversations.share import SHARED_TOPICS
from tests.conv_support import Conv, Launch, text_of

USERNAME = "centre_formation_tsgri_bot"  # not the harness's default: it must come from getMe
ADVISOR = 515_151_001
USER = 515_151_002
FEATURES = ("deadline_calc", "start", "browse", "pathway", "share", "ask", "stale")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def chat(launch: Launch) -> Launch:
    """`chat(inline=...)`: the app under its own getMe username, inline mode on or off."""

    def start(*, inline: bool = True) -> AbstractAsyncContextManager[Conv]:
        api = FakeBotApi(
            bot_user=dict(BOT_USER, username=USERNAME, supports_inline_queries=inline)
        )
        return launch(api=api, features=FEATURES, user_id=USER)

    return start


def links(text: str) -> list[str]:
    return re.findall(r"https://t\.me/\S+", text)


async def test_share_gives_the_bots_link_and_a_qr_code(chat: Launch) -> None:
    async with chat() as c:
        messages = await c.send("/partager")
        assert len(messages) == 2
        text, photo = messages
        shown = text_of(text)
        assert f"donnez ce lien : https://t.me/{USERNAME}\n" in shown
        assert "?start=ref-" not in shown  # not an advisor: the plain link
        assert "lien personnel" not in shown
        assert f"https://t.me/{USERNAME}?start=vae" in shown
        assert f"https://t.me/{USERNAME}?start=delai" in shown
        forward, inline = text["reply_markup"]["inline_keyboard"]
        assert forward[0]["url"].startswith("https://t.me/share/url?url=https%3A%2F%2Ft.me%2F")
        assert inline[0]["switch_inline_query"] == ""  # inline mode: an answer into any chat

        assert "photo" in photo
        assert text_of(photo) == f"QR code du conseiller TSGRI : https://t.me/{USERNAME}"
        upload = c.api.requests("sendPhoto")[-1].uploads[0]
        assert upload.mime_type == "image/png" and upload.filename.endswith(".png")
        png = c.files[upload.filename]
        assert png.startswith(PNG_SIGNATURE) and len(png) > 500


async def test_advisor_gets_a_personal_link(chat: Launch) -> None:
    async with chat() as c:
        code = c.store.register_advisor("Mme Martin, Afpa Lyon", ADVISOR)
        text, photo = await c.send("/partager", user_id=ADVISOR)
        personal = f"https://t.me/{USERNAME}?start=ref-{code}"
        assert f"donnez ce lien : {personal}\n" in text_of(text)
        assert "C'est votre lien personnel de conseiller" in text_of(text)
        assert text_of(photo).endswith(personal)  # the QR code carries the personal link
        # Topic links carry the advisor's reference too, within Telegram's 64 characters.
        shared = [link for link in links(text_of(text)) if "?start=" in link][1:]
        payloads = [link.rsplit("=", 1)[1] for link in shared]
        assert payloads == [f"{topic}-ref-{code}" for topic in SHARED_TOPICS]
        assert all(len(payload) <= 64 for payload in payloads)


async def test_a_topic_link_of_an_advisor_opens_the_topic_and_counts_the_arrival(
    chat: Launch,
) -> None:
    async with chat() as c:
        code = c.store.register_advisor("Mme Martin, Afpa Lyon", ADVISOR)
        vae, asked = await c.send(f"/start vae-ref-{code}")
        assert "VAE" in text_of(vae).split("\n")[0]
        # then, once, the question of sharing their progress with that advisor (issue 14)
        assert text_of(asked).startswith("Partager votre progression avec Mme Martin, Afpa Lyon")
        ccp2, _ = await c.send(f"/start ccp2-ref-{code}", user_id=USER + 1)
        assert "CCP 2" in text_of(ccp2).split("\n")[0]
        assert c.store.referral_counts(code).arrived == 2
        # the longest topic id with a long code still fits: the topic gives way, not the count
        long_code = "x" * 60
        assert deeplinks.referral_payload(long_code, "epreuve_synthese") == f"ref-{long_code}"
        assert len(deeplinks.referral_payload(code, "epreuve_synthese")) <= 64


def is_dark(image: Image.Image, x: int, y: int) -> bool:
    """A pixel of a grey-scale ("L") picture is dark: one byte under 128."""
    value = image.getpixel((x, y))
    assert isinstance(value, int)
    return value < 128


def qr_modules(png: bytes, url: str) -> tuple[bool, int, Image.Image]:
    """Whether the picture's code is exactly the QR code of `url`, its box size, the image."""
    image = Image.open(io.BytesIO(png)).convert("L")
    code = qrcode.QRCode(border=BORDER, error_correction=ERROR_CORRECT_M, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()  # with the quiet zone
    box = image.width // len(matrix)
    same = all(
        is_dark(image, x * box + box // 2, y * box + box // 2) == dark
        for y, row in enumerate(matrix)
        for x, dark in enumerate(row)
    )
    return same, box, image


async def test_the_qr_code_is_printable_with_the_label_under_it(chat: Launch) -> None:
    async with chat() as c:
        code = c.store.register_advisor("Mme Martin-Delacroix, Afpa Lyon Vénissieux", ADVISOR)
        _, photo = await c.send("/partager", user_id=ADVISOR)
        assert "photo" in photo
        upload = c.api.requests("sendPhoto")[-1].uploads[0]
        same, box, image = qr_modules(
            c.files[upload.filename], f"https://t.me/{USERNAME}?start=ref-{code}"
        )
        assert same  # the picture's code is the personal link's
        assert image.width >= 1200 and box >= 10  # 10 cm wide at 300 dpi
        band = image.crop((0, image.width, image.width, image.height))
        assert band.height >= 200  # room for the label in large letters under the code
        dark_rows = [y for y in range(band.height)
                     if any(is_dark(band, x, y) for x in range(0, band.width, 2))]
        assert len(dark_rows) >= 120  # text is drawn there, in several tall lines


def test_labels_wrap_between_words_never_inside_one() -> None:
    font = qr_picture._font(80)
    label = "Mme Martin-Delacroix, Afpa Lyon Vénissieux — formation continue des adultes"
    lines = qr_picture.wrap(label, font, 1000)
    assert len(lines) > 1
    assert " ".join(lines) == label
    assert all(qr_picture._length(font, line) <= 1000 for line in lines)


async def test_no_inline_button_when_inline_mode_is_off(chat: Launch) -> None:
    async with chat(inline=False) as c:
        text, _ = await c.send("/partager")
        rows = text["reply_markup"]["inline_keyboard"]
        assert [button["text"] for row in rows for button in row] == [
            "📤 Envoyer le lien à un contact"
        ]


async def test_english_speaker_reads_english(chat: Launch) -> None:
    async with chat() as c:
        text, photo = await c.send("/share", language_code="en")
        assert f"To share the TSGRI advisor, give this link: https://t.me/{USERNAME}" in (
            text_of(text)
        )
        assert text_of(photo).startswith("QR code of the TSGRI advisor")


async def test_every_topic_link_opens_something_else_than_the_welcome(chat: Launch) -> None:
    async with chat() as c:
        welcome = text_of((await c.send("/start"))[-1])
        shared = [
            link for link in links(text_of((await c.send("/partager"))[0])) if "?start=" in link
        ]
        assert [link.rsplit("=", 1)[1] for link in shared] == list(SHARED_TOPICS)
        for link in shared:
            payload = link.rsplit("=", 1)[1]
            opened = await c.send(f"/start {payload}", user_id=USER + 1)
            assert opened, payload
            assert text_of(opened[0]) != welcome, payload
        vae = text_of((await c.send("/start vae", user_id=USER + 2))[0])
        assert "VAE" in vae or "validation des acquis" in vae.lower()
