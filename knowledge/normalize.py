"""French-first text normalisation shared by the index and the questions.

Both sides of every comparison go through `normalize`, so that "C koi la VAE ?",
"c'est quoi la vae" and "C'EST QUOI LA V.A.E." become the same string. The result is
lowercase ASCII words separated by single spaces: no accents, no punctuation, elisions
written out ("l'" -> "le", "c'est" -> "ce est"), digits split from letters ("ccp2" ->
"ccp 2") and the usual SMS / casual spellings written out ("koi" -> "quoi").
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Final

from knowledge.model import Lang

# Elided words once the apostrophe is gone: "l'", "d'", "j'", "qu'", ...
_ELISIONS: Final = MappingProxyType(
    {
        "l": "le",
        "d": "de",
        "j": "je",
        "qu": "que",
        "n": "ne",
        "s": "se",
        "m": "me",
        "t": "te",
        "c": "ce",
        "jusqu": "jusque",
        "lorsqu": "lorsque",
        "puisqu": "puisque",
        "quoiqu": "quoique",
    }
)

# Casual / SMS spellings, one token in, words out. Applied after accents are gone.
_SMS: Final = MappingProxyType(
    {
        "koi": "quoi",
        "kwa": "quoi",
        "quoa": "quoi",
        "c": "ce est",
        "cest": "ce est",
        "ces": "ces",
        "sa": "ca",
        "ke": "que",
        "ki": "qui",
        "kel": "quel",
        "kelle": "quelle",
        "kels": "quels",
        "kan": "quand",
        "qd": "quand",
        "qand": "quand",
        "kom": "comment",
        "komen": "comment",
        "komment": "comment",
        "cmt": "comment",
        "cmnt": "comment",
        "tps": "temps",
        "pr": "pour",
        "pour": "pour",
        "tt": "tout",
        "tte": "toute",
        "ts": "tous",
        "jpeux": "je peux",
        "jpe": "je peux",
        "jpx": "je peux",
        "jsuis": "je suis",
        "chui": "je suis",
        "chuis": "je suis",
        "jsui": "je suis",
        "jveux": "je veux",
        "jvoudrais": "je voudrais",
        "jsais": "je sais",
        "jsp": "je sais pas",
        "jcrois": "je crois",
        "jpense": "je pense",
        "jme": "je me",
        "jrepasse": "je repasse",
        "jai": "je ai",
        "g": "je ai",
        "jdois": "je dois",
        "jfais": "je fais",
        "jpourrai": "je pourrai",
        "cb": "combien",
        "cbn": "combien",
        "cmb": "combien",
        "bcp": "beaucoup",
        "ds": "dans",
        "dc": "donc",
        "svp": "s il vous plait",
        "stp": "s il te plait",
        "slt": "salut",
        "bjr": "bonjour",
        "bsr": "bonsoir",
        "cc": "coucou",
        "pk": "pourquoi",
        "pq": "pourquoi",
        "pkoi": "pourquoi",
        "pourkoi": "pourquoi",
        "mrc": "merci",
        "mrci": "merci",
        "mci": "merci",
        "tjs": "toujours",
        "tjrs": "toujours",
        "mm": "meme",
        "vs": "vous",
        "ms": "mais",
        "ya": "il y a",
        "yas": "il y a",
        "pa": "pas",
        "fo": "faut",
        "fau": "faut",
        "ct": "ce etait",
        "dispo": "disponible",
        "niv": "niveau",
        "pro": "professionnel",
        "pros": "professionnels",
        "exp": "experience",
        "xp": "experience",
        "exam": "examen",
        "aprem": "apres midi",
        "infos": "info",
        "quesque": "que est ce que",
        "keske": "que est ce que",
        "kesako": "que est ce que ce est",
        "ptit": "petit",
        "ptet": "peut etre",
        "pe": "peut etre",
        "nn": "non",
        "oui": "oui",
        "wi": "oui",
        "b1": "bien",
        "bi1": "bien",
        "1er": "premier",
        "1ere": "premiere",
        "1e": "premier",
        "2e": "deuxieme",
        "2eme": "deuxieme",
        "3e": "troisieme",
        "3eme": "troisieme",
        "2nd": "second",
        "2nde": "seconde",
        "thx": "thanks",
        "thks": "thanks",
        "ty": "thank you",
        "pls": "please",
        "plz": "please",
        "u": "you",
        "r": "are",
        "ur": "your",
        "whats": "what is",
        "hows": "how is",
        "im": "i am",
        "ive": "i have",
        "dont": "do not",
        "doesnt": "does not",
        "cant": "can not",
        "cannot": "can not",
    }
)

# English contractions, handled before the apostrophe disappears.
_CONTRACTIONS = re.compile(r"(\w)'(s|re|ve|ll|d|m|t)\b")
_CONTRACTION_WORDS: Final = MappingProxyType(
    {
        "s": " is",
        "re": " are",
        "ve": " have",
        "ll": " will",
        "d": " would",
        "m": " am",
        "t": " t",
    }
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "Œ": "oe", "Æ": "ae", "ß": "ss"})
_ACRONYM_DOTS = re.compile(r"\b((?:[a-z]\.){2,})")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_LETTER = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_ELIDED = re.compile(r"\b(jusqu|lorsqu|puisqu|quoiqu|qu|[ldjnsmtc])'")
_ORDINAL = re.compile(r"^\d+(er|ere|e|eme|nd|nde|st|th|rd)$")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def strip_accents(text: str) -> str:
    """Drop diacritics ("é" -> "e") so accented and unaccented spellings meet."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _english_contraction(match: re.Match[str]) -> str:
    word, suffix = match.group(1), match.group(2)
    if suffix == "t" and word == "n":  # "don't" -> "do not" (the n belongs to "not")
        return "n not"
    return word + _CONTRACTION_WORDS[suffix]


def normalize(text: str) -> str:
    """Lowercase ASCII words, elisions and SMS spellings expanded, single spaces."""
    text = strip_accents(text.translate(_APOSTROPHES).lower())
    text = _ACRONYM_DOTS.sub(lambda m: m.group(1).replace(".", "") + " ", text)
    text = re.sub(r"n't\b", " not", text)
    text = _CONTRACTIONS.sub(_english_contraction, text)
    text = _ELIDED.sub(lambda m: _ELISIONS[m.group(1)] + " ", text)
    words: list[str] = []
    for raw in _NON_WORD.sub(" ", text).split():
        words.extend(_expand(raw))
    return " ".join(words)


def _expand(raw: str) -> list[str]:
    """One raw token -> words: SMS spellings first, then digits split from letters."""
    if raw in _SMS:
        return _SMS[raw].split()
    if _ORDINAL.match(raw):
        return [raw]
    parts = _DIGIT_LETTER.sub(" ", raw).split()
    out: list[str] = []
    for part in parts:
        out.extend(_SMS.get(part, part).split() if len(parts) > 1 else [part])
    return out


_FR_MARKERS = _set(
    "le la les un une des de du est et je tu il elle nous vous mon ma mes quoi que qui quel "
    "quelle quels comment combien quand pourquoi ou dans pour avec sur pas ne ce cet cette "
    "ai as avoir etre suis sont faut peut peux dois faire bonjour salut merci titre "
    "formation ans annee delai c au aux son sa ses mais donc car si oui non"
)
_EN_MARKERS = _set(
    "the a an is are was were what how which who when where why do does did can could "
    "i my me you your it its of to for with on in at and or not have has had will would "
    "should get many much long years year first hello hi thanks thank please bye "
    "training degree diploma deadline english certificate about there this that"
)


def detect_lang(text: str) -> Lang:
    """Guess "fr" or "en" from function words; French wins ties (the bot's first language)."""
    words = normalize(text).split()
    fr = sum(1 for w in words if w in _FR_MARKERS)
    en = sum(1 for w in words if w in _EN_MARKERS)
    return "en" if en > fr else "fr"
