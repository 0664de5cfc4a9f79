"""Named entities as character spans: the project's own spaCy model, plus span clean-up.

The model (``newsdossier/models/ner``, trained by ``scripts/train_ner.py``) tags CoNLL types;
they map to PERSON / ORG / PLACE / OTHER here. Spans are trimmed so that a mention is the
name itself: no possessive "'s", no leading "the", and for people no leading titles
("Defense Minister Sergei Ivanov" -> "Sergei Ivanov"). ``entity_id`` is left ``None``:
:mod:`newsdossier.annotate.aliases` assigns ids across articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported when the model is loaded: a pool engine's parent never needs it
    from spacy.language import Language
    from spacy.tokens import Doc, Span

from ..model import EntityMention
from .entity_names import LEADING_DETERMINERS, PARTICLES, is_title

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
LABELS = {
    "PER": "PERSON", "PERSON": "PERSON",
    "ORG": "ORG",
    "LOC": "PLACE", "GPE": "PLACE", "FAC": "PLACE",
    "MISC": "OTHER", "NORP": "OTHER",
}
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "`s", "'S", "’S"})
HYPHENS = frozenset({"-", "‐", "‑"})
TRAILING_FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "&"})
MAX_TITLE_RUN = 4  # "Russian Deputy Defense Minister X": titles sit at the very start


@lru_cache(maxsize=1)
def load_model() -> Language:
    """The shipped pipeline, loaded once per process."""
    import spacy

    from . import ner_embed  # noqa: F401  (registers the model config's lexicon embedding)

    if not (MODEL_DIR / "meta.json").is_file():
        raise FileNotFoundError(
            f"entity model not found at {MODEL_DIR}; rebuild it with "
            "`python scripts/train_ner.py --data ../shared/data/ner`"
        )
    nlp = spacy.load(MODEL_DIR)
    nlp.max_length = 5_000_000  # NER needs no parser memory; long articles are fine
    return nlp


def trim_span(span: Span, label: str) -> tuple[int, int] | None:
    """Token bounds [i, j) of the name inside an entity span, or None if nothing is left."""
    doc = span.doc
    n = len(doc)
    i, j = span.start, span.end
    # (Each token is looked up once per test: a spaCy Token is made anew on every doc[k].)
    # The tokenizer splits "al-Assad" at the hyphen, and the tagger may stop there: finish the word.
    while j + 1 < n:
        hyphen = doc[j]
        if hyphen.text not in HYPHENS:
            break
        before = doc[j - 1]
        if before.whitespace_ or hyphen.whitespace_:
            break
        if not (doc[j + 1].is_title or before.lower_ in PARTICLES):
            break
        j += 2
    while i >= 2:
        hyphen = doc[i - 1]
        if hyphen.text not in HYPHENS:
            break
        before = doc[i - 2]
        if before.whitespace_ or hyphen.whitespace_ or before.lower_ not in PARTICLES:
            break
        i -= 2
    while j > i:
        t = doc[j - 1]
        if not (t.text in POSSESSIVES or t.is_punct or t.is_space or t.lower_ in TRAILING_FUNCTION_WORDS):
            break
        j -= 1
    # A lower-case determiner is not part of the name; a capitalised one may be ("The New York Times"), as the
    # gold corpora have it, unless it is all there is.
    while i < j:
        t = doc[i]
        determiner = t.text in LEADING_DETERMINERS or (j - i == 1 and t.lower_ in LEADING_DETERMINERS)
        if not (t.is_punct or t.is_space or determiner):
            break
        i += 1
    if label == "PERSON" and j - i > 1:
        # Cut after the last title among the first few words, keeping at least one word.
        last = max((k for k in range(i, min(j - 1, i + MAX_TITLE_RUN)) if is_title(doc[k].text)), default=None)
        if last is not None:
            i = last + 1
        # A person's name ends with a name, never a lower-case word ("John Kerry speaking").
        while j - i > 1:
            t = doc[j - 1]
            if not (t.is_lower and t.is_alpha and t.lower_ not in PARTICLES):
                break
            j -= 1
    # A name has a capitalised word, an acronym or a number in it: "frank", "its partners" are none.
    if not any((c := doc[k].text[:1]).isupper() or c.isdigit() for k in range(i, j)):
        return None
    return (i, j) if j > i else None


def mentions_from_doc(doc: Doc, text: str | None = None) -> list[EntityMention]:
    """The entity mentions of a tagged doc; ``text``: the text it was made from, if at hand (the same as
    ``doc.text``, which spaCy rebuilds from all tokens on every access)."""
    mentions = []
    text = doc.text if text is None else text
    for ent in doc.ents:
        label = LABELS.get(ent.label_, "OTHER")
        bounds = trim_span(ent, label)
        if bounds is None:
            continue
        start = doc[bounds[0]].idx
        last = doc[bounds[1] - 1]
        end = last.idx + len(last.text)
        # A possessive glued to the word by the tokenizer ("Assad’s").
        for suffix in ("'s", "’s"):
            if end - start > len(suffix) + 1 and text[end - len(suffix) : end] == suffix:
                end -= len(suffix)
        # A no-break space the tokenizer kept inside the token ("Lind\u00a0speaking").
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            mentions.append(EntityMention(start, end, label))
    return mentions


def find_entities(text: str) -> list[EntityMention]:
    """Entity mentions in ``text``, as exact character spans (``entity_id`` None)."""
    return mentions_from_doc(load_model()(text), text)


# Articles per spaCy batch. The tok2vec runs on all tokens of a batch at once; 32 articles of ~750
# tokens make arrays of tens of MB that fall out of the CPU caches: 50.4 ms per synthetic article at
# 32, 34.4 ms at 4, the same mentions (300 articles, one core).
NER_BATCH = 4


def find_entities_batch(texts: Sequence[str], batch_size: int = NER_BATCH) -> list[list[EntityMention]]:
    """:func:`find_entities` for many texts at once (spaCy's ``nlp.pipe``)."""
    docs = load_model().pipe(texts, batch_size=batch_size)
    return [mentions_from_doc(doc, text) for text, doc in zip(texts, docs)]
