"""Label harmonisation of the NER training corpora towards the UNER guidelines (train_ner.py --harmonise).

The corpora in ``ner/train`` were mapped to PER / ORG / LOC / MISC one by one, and a few of their
conventions disagree with each other and with UNER (the guidelines of the issue's test set), so the
model learns both. Every rule below is a general rule about a corpus's annotation scheme, found by
comparing the training corpora with each other (counts of the same span text under each label),
never by looking at the test set:

- demonyms and nationality words ("British", "Americans"): MISC in the 4-class gold corpora
  (wikigold, CrossNER, Re-DocRED: ~1,500 spans), LOC in BTC (93 spans), ORG here and there.
  Relabelled MISC everywhere (the evaluation ignores predicted MISC on a corpus without MISC).
  The demonym list is the gazetteers' NORP list (singular and plural).
- religious and ethnic groups that Re-DocRED tags ORG ("Jews", "Catholic") where the other
  4-class gold corpora tag the same text MISC: a span text tagged MISC in at least two of those
  corpora, and MISC more often than anything else, is relabelled MISC in every corpus.
- re3d annotates nominal mentions and pronouns ("a soldier", "We", "the Iraqi population") and
  includes a leading "the"; the other corpora annotate names only. In re3d a span with no
  capitalised word, or that ends in a lower-case word, is dropped (O), and a leading lower-case
  determiner is cut off.
- re3d tags countries acting as governments ORG (40 spans); every other corpus, UNER-EWT
  included, tags country names LOC (~5,500 spans). re3d ORG spans that are a gazetteer country
  name are relabelled LOC.

The dev split is not harmonised: train_ner.py scores every run on the corpora's own labels.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from newsdossier.annotate.entity_names import LEADING_DETERMINERS
from newsdossier.evaluate.ner import bio_spans

Sentence = tuple[list[str], list[str]]

# 4-class gold corpora whose MISC decisions define a "MISC text" (Re-DocRED is the one corrected).
MISC_REFERENCE = ("wikigold", "crossner", "re3d", "sec_filings", "wnut17")


def spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """The entity spans of a BIO sequence in text order (see ``bio_spans``)."""
    return sorted(bio_spans(tags))


def to_tags(n: int, entities: Iterable[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * n
    for s, e, label in entities:
        tags[s] = f"B-{label}"
        for k in range(s + 1, e):
            tags[k] = f"I-{label}"
    return tags


class Harmoniser:
    def __init__(self, gazetteer: Path, corpora: dict[str, list[Sentence]]):
        lines = gazetteer.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.strip()]
        demonyms = {r["pattern"] for r in rows if r["label"] == "NORP"}
        self.countries = {r["pattern"] for r in rows if r["label"] == "GPE"}
        # (Some demonyms are the country's name too: "Djibouti".)
        plurals = {d + "s" for d in demonyms} | {d + "es" for d in demonyms}
        self.demonyms = (demonyms | plurals) - self.countries
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        misc_in: dict[str, set[str]] = defaultdict(set)
        for name, sentences in corpora.items():
            if not name.startswith(MISC_REFERENCE):
                continue
            for tokens, tags in sentences:
                for s, e, label in spans(tags):
                    text = " ".join(tokens[s:e])
                    counts[text][label] += 1
                    if label == "MISC":
                        misc_in[text].add(name.split("__")[0])
        # MISC in at least two of the reference corpora, and more often MISC than anything else.
        self.misc_texts = {t for t, c in counts.items()
                           if len(misc_in[t]) >= 2 and c["MISC"] > max(c[x] for x in ("PER", "ORG", "LOC"))
                           and t not in self.countries}
        self.changes: Counter[str] = Counter()

    def __call__(self, file_name: str, sentence: Sentence) -> Sentence:
        tokens, tags = sentence
        out = []
        changed = False
        re3d = file_name.startswith("re3d")
        for s, e, label in spans(tags):
            text = " ".join(tokens[s:e])
            new = (s, e, label)
            if label in ("PER", "ORG", "LOC") and (text in self.demonyms or text in self.misc_texts):
                new = (s, e, "MISC")
                self.changes[f"{file_name.split('__')[0]}: {label}->MISC"] += 1
            elif re3d and label in ("PER", "ORG", "LOC"):
                named = any(t[:1].isupper() or t[:1].isdigit() for t in tokens[s:e])
                if not named or tokens[e - 1][:1].islower():
                    new = None
                    self.changes["re3d: nominal -> O"] += 1
                else:
                    while new[0] < e - 1 and tokens[new[0]] in LEADING_DETERMINERS:
                        new = (new[0] + 1, e, label)
                    if new[0] != s:
                        self.changes["re3d: leading determiner cut"] += 1
                    if label == "ORG" and " ".join(tokens[new[0]:e]) in self.countries:
                        new = (new[0], e, "LOC")
                        self.changes["re3d: country ORG->LOC"] += 1
            changed |= new != (s, e, label)
            if new is not None:
                out.append(new)
        return (tokens, to_tags(len(tokens), out)) if changed else sentence
