"""Name surface forms: trimming titles and possessives, and spelling-insensitive keys.

Shared by the entity extractor (which trims spans) and the alias merger (which compares
names). Everything here is general English / transliteration knowledge, not a list of
particular names.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Words that head a person mention without being part of the name ("President", "Defense
# Minister", "Mr."). Lower-cased, trailing dots removed.
TITLE_WORDS = frozenset(
    [
        "president", "presidents", "vice", "prime", "minister", "ministers", "secretary", "chancellor",
        "premier", "king", "queen", "prince", "princess", "sheikh", "sheik", "emir", "sultan", "crown",
        "general", "gen", "lt", "lieutenant", "col", "colonel", "maj", "major", "capt", "captain",
        "admiral", "adm", "sgt", "sergeant", "commander", "cmdr", "marshal", "field", "brig", "brigadier",
        "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame", "lord", "lady",
        "senator", "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
        "mayor", "judge", "justice", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson",
        "chief", "director", "chairman", "chairwoman", "chair", "ceo", "cfo", "coo", "founder", "pope",
        "cardinal", "bishop", "archbishop", "rabbi", "imam", "ayatollah", "reverend", "rev", "father",
        "saint", "foreign", "defense", "defence", "interior", "finance", "economy", "economic", "deputy",
        "former", "late", "acting", "incumbent", "president-elect", "leader", "head", "minister-president",
        "first", "attorney", "general"
    ]
)
# Determiners that open ORG / PLACE spans in running text but not in their names.
LEADING_DETERMINERS = frozenset({"the", "a", "an"})
# Name particles that are left out when a person is called by surname ("Bashar al-Assad" ->
# "Assad", "Ludwig van Beethoven" -> "Beethoven").
PARTICLES = frozenset(
    [
        "al", "el", "ad", "ar", "as", "ash", "at", "az", "ad-din", "bin", "ibn", "bint", "ben", "abu",
        "van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "della", "dos", "das", "ter",
        "ten"
    ]
)
POSSESSIVE_RE = re.compile(r"(?:['’`]s|(?<=s)['’`])$", re.IGNORECASE)
TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def is_title(token: str) -> bool:
    return token.lower().rstrip(".") in TITLE_WORDS


def strip_possessive(name: str) -> str:
    return POSSESSIVE_RE.sub("", name.rstrip()).rstrip()


def without_leading_determiners(words: list[str]) -> list[str]:
    """``words`` without the determiners that open them ("The New York Times" -> New York Times), keeping
    at least one word."""
    while len(words) > 1 and words[0].lower() in LEADING_DETERMINERS:
        words = words[1:]
    return words


def name_tokens(surface: str, person: bool = True) -> list[str]:
    """The words of a name without possessive, leading determiners and (for people) leading titles.

    A title is only dropped while a word follows it, so "President" alone stays itself; for
    organisations and places titles are words of the name ("Defense Ministry").
    """
    tokens = without_leading_determiners(TOKEN_RE.findall(strip_possessive(surface)))
    while person and len(tokens) > 1 and is_title(tokens[0]):
        tokens = tokens[1:]
    return tokens


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Spelling folds for transliterated names, applied in order to a lower-cased ASCII word.
# They collapse the usual alternations (kh/h, ou/u, ei/ey/ee/ie/y/i, ph/f, ck/k, doubled
# letters) so "Khmeimim", "Hmeymim" and "Hmeimim" share one key, while a change of
# consonant ("Obama" / "Osama") still gives a different key.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"kh", "h"), (r"gh", "g"), (r"ph", "f"), (r"ck", "k"), (r"q", "k"), (r"c(?=[aou]|$)", "k"),
        (r"ou", "u"), (r"oo", "u"), (r"(?:ei|ey|ee|ie|iy|y)", "i"), (r"([a-z])\1+", r"\1"),
    )
)
_NOT_LETTER = re.compile(r"[^a-z]")
_PARTICLE_SPLIT = re.compile(r"[-'’]")
_VOWELS = re.compile(r"[aeiouy]")


@functools.lru_cache(maxsize=65536)  # pure; names repeat across a batch
def fold_word(word: str) -> str:
    """Spelling-insensitive key of one word (diacritics, case, punctuation and folds removed)."""
    key = _NOT_LETTER.sub("", strip_diacritics(word).lower())
    for pattern, repl in _FOLDS:
        key = pattern.sub(repl, key)
    return key


def core_tokens(tokens: list[str]) -> list[str]:
    """Name tokens without particles, and without particle prefixes ("al-Assad" -> "Assad")."""
    out = []
    for token in tokens:
        parts = _PARTICLE_SPLIT.split(token)
        while len(parts) > 1 and parts[0].lower() in PARTICLES:
            parts = parts[1:]
        word = "-".join(parts)
        if word.lower() not in PARTICLES:
            out.append(word)
    return out or tokens


def skeleton(key: str) -> str:
    """Consonants of a folded key: vowel changes are the commonest transliteration variation."""
    return _VOWELS.sub("", key)
