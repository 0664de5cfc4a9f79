"""spaCy architecture ``newsdossier.LexiconHashEmbed.v1``: MultiHashEmbed plus the name lexicon's bit mask.

Identical to spaCy's ``spacy.MultiHashEmbed.v2`` (hashed lexical attributes, concatenated, mixed by
one Maxout layer), with one more column: each token's :class:`~.name_lexicon.NameLexicon` mask,
embedded by its own small hash table. The entity model's config names this architecture, so this
module must be imported before the model is loaded (``annotate/entities.py`` and
``scripts/train_ner.py`` do).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import HashEmbed, Maxout, Model, chain, concatenate, list2ragged, ragged2list, with_array
from thinc.types import Floats2d, Ints2d

from .name_lexicon import NameLexicon, default_lexicon


def lexicon_features(columns: list[str]) -> Model[list[Doc], list[Ints2d]]:
    """The docs' attribute columns, then one column of the default lexicon's masks."""
    return Model("extract_features_lexicon", _features_forward, attrs={"columns": columns})


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    columns = model.attrs["columns"]
    lexicon: NameLexicon = default_lexicon()
    features = []
    for doc in docs:
        attrs = doc.to_array(columns).reshape((len(doc), len(columns)))
        masks = lexicon.flags([t.text for t in doc])
        features.append(model.ops.asarray2i(np.hstack([attrs, masks[:, None]]), dtype="uint64"))
    return features, lambda d_features: []


@registry.architectures("newsdossier.LexiconHashEmbed.v1")
def lexicon_hash_embed(width: int, attrs: list[str], rows: list[int], lexicon_rows: int
                       ) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's MultiHashEmbed (no static vectors) with the lexicon mask as one more embedded column."""
    if len(rows) != len(attrs):
        raise ValueError(f"Mismatched lengths: {len(rows)} vs {len(attrs)}")
    seeds = iter(range(8, 8 + len(attrs) + 1))  # MultiHashEmbed's seeds, then one more
    embeddings = [HashEmbed(width, n, column=i, seed=next(seeds), dropout=0.0) for i, n in enumerate(rows)]
    embeddings.append(HashEmbed(width, lexicon_rows, column=len(attrs), seed=next(seeds), dropout=0.0))
    return chain(
        lexicon_features(list(attrs)),
        list2ragged(),
        with_array(concatenate(*embeddings)),
        with_array(Maxout(width, width * len(embeddings), nP=3, dropout=0.0, normalize=True)),
        ragged2list(),
    )
