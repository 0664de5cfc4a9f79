"""The project's one sentence splitter: spans into the text, never copies.

Lines are hard boundaries (scraped news puts bullets, headlines and bylines on their own lines);
inside a line pysbd decides, and each sentence pysbd returns is located back in the line so the
spans are exact.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Sentence

_LINE = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _segmenter():  # building pysbd's segmenter is slow; keep one
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]`` as spans into ``text``, stripped of surrounding white space."""
    end = len(text) if end is None else end
    out: list[Sentence] = []
    for m in _LINE.finditer(text, start, end):
        line = m.group()
        if not line.strip():
            continue
        pos = 0
        for piece in _segmenter().segment(line):
            piece = piece.strip()
            if not piece:
                continue
            i = line.find(piece, pos)
            if i < 0:  # pysbd changed the text; fall back to the rest of the line
                i, piece = pos, line[pos:].strip()
                i = line.find(piece, pos) if piece else pos
                if not piece:
                    break
            out.append(Sentence(m.start() + i, m.start() + i + len(piece)))
            pos = i + len(piece)
    return out
