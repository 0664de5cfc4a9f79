"""The project's one sentence splitter: spans into the text, never copies.

Lines are hard boundaries (scraped news puts bullets, headlines and bylines on their own lines);
inside a line pysbd decides, and each sentence pysbd returns is located back in the line so the
spans are exact. Around pysbd we add what scraped text needs:

* long lines are cut into chunks at likely sentence ends before pysbd sees them (pysbd's regexes
  are slow on huge inputs; a 5 MB single line must stay linear);
* a sentence with no punctuation is capped at ``MAX_SENTENCE_CHARS`` (cut at a space);
* a full stop glued to the next sentence ("telephone.The") is a boundary;
* inline bullets ("•", "▪", "·" between items) are boundaries, and a leading bullet is not part
  of the sentence.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Iterator

from ..model import Sentence

MAX_SENTENCE_CHARS = 1000  # longer "sentences" are list dumps or unpunctuated text; cut them
_CHUNK_CHARS = 2000  # pysbd sees at most about this much at a time

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
# A bullet: at line start, or between items ("a • b").
_BULLET = re.compile(r"(?<=\s)[•▪◦‣·●■](?=\s)")
_LEADING_JUNK = re.compile(r"(?:[•▪◦‣·●■*>]|[-–—](?=\s))\s*")
# "telephone.The" -> boundary after the stop (two lowercase letters first, so "Mr.Smith",
# "U.S.Army" and domain names are left alone).
_GLUED_STOP = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
# Where a long line may be cut before pysbd: end punctuation (+ closing quotes), space, capital.
_SAFE_CUT = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")


# A chunk pysbd can only return whole: no sentence mark but one at its very end, and none of the
# brackets and quotes pysbd also splits at ("(Agency) The ...", "'Quoted' Name ..."). Skipping pysbd
# there gave the same sentences on every such line of the FNC-1 and PolNeAR texts (14,474 of 39,705
# lines), and pysbd's fixed cost per call is most of the clean stage's time on short lines.
_ONE_SENTENCE = re.compile(r"[^.!?…()\[\]\"“”‘«»]*[.!?]?")
_LOOSE_QUOTE = re.compile(r"(?<![A-Za-z])['’]|['’](?![A-Za-z])")
_local = threading.local()


def _segmenter():
    """pysbd's segmenter is slow to build and keeps per-call state, so one per thread."""
    seg = getattr(_local, "segmenter", None)
    if seg is None:
        import pysbd

        seg = _local.segmenter = pysbd.Segmenter(language="en", clean=False)
    return seg


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Sentence]:
    """Sentences of ``text[start:end]`` as spans into ``text``, stripped of surrounding white space."""
    end = len(text) if end is None else min(end, len(text))
    start = max(0, start)
    out: list[Sentence] = []
    for m in _LINE.finditer(text, start, end):
        for a, b in _pieces(text, m.start(), m.end()):
            for s, e in _pysbd_spans(text, a, b):
                for s2, e2 in _split_glued(text, s, e):
                    out.extend(_capped(text, s2, e2))
    return out


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink [a, b) past white space and a leading bullet."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    m = _LEADING_JUNK.match(text, a, b)
    if m and m.end() < b:
        a = m.end()
    return a, b


def _pieces(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    """One line, cut at inline bullets and then into chunks pysbd can handle quickly."""
    cuts = [a] + [m.start() for m in _BULLET.finditer(text, a, b) if m.start() > a] + [b]
    for x, y in itertools.pairwise(cuts):
        x, y = _strip(text, x, y)
        if x < y:
            yield from _chunks(text, x, y)


def _chunks(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while b - a > _CHUNK_CHARS:
        cut = None
        for m in _SAFE_CUT.finditer(text, a + _CHUNK_CHARS // 2, a + _CHUNK_CHARS):
            cut = m.end()  # the last safe cut in the window
        if cut is None:
            break  # no sentence end nearby: leave the rest to the length cap
        yield a, cut
        a = cut
    yield a, b


def pysbd_segment(chunk: str) -> list[str]:
    r"""What ``pysbd.Segmenter(clean=False).segment(chunk)`` returns, without its per-sentence regex.

    pysbd locates each sentence back in the input with ``re.finditer(re.escape(sentence) + r"\s*")``:
    one new pattern per sentence, which also evicts pysbd's own rule patterns from ``re``'s 512-entry
    cache, so about 40 % of the splitter's time went to compiling regexes. Here the same search is done
    with ``str.find`` (first non-overlapping occurrence, plus trailing white space, ending after the
    previous sentence), which gives the same strings.
    """
    if not chunk:
        return []
    if (not chunk[0].isspace() and not chunk[-1].isspace() and _ONE_SENTENCE.fullmatch(chunk)
            and not _LOOSE_QUOTE.search(chunk)):
        return [chunk]
    out: list[str] = []
    prior_end, n = 0, len(chunk)
    for sent in _segmenter().processor(chunk).process():
        if not sent:
            continue  # pysbd's pattern for "" matches only white space; no caller keeps that
        at = 0
        while (i := chunk.find(sent, at)) >= 0:
            j = i + len(sent)
            while j < n and chunk[j].isspace():
                j += 1
            if j > prior_end:
                out.append(chunk[i:j])
                prior_end = j
                break
            at = j
    return out


def _pysbd_spans(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    chunk = text[a:b]
    if b - a > _CHUNK_CHARS:  # unpunctuated: pysbd would only be slow, and find nothing
        yield a, b
        return
    pos = 0
    for piece in pysbd_segment(chunk):
        piece = piece.strip()
        if not piece:
            continue
        i = chunk.find(piece, pos)
        if i < 0:  # pysbd changed the text: give the rest of the chunk as one sentence
            s, e = _strip(text, a + pos, b)
            if s < e:
                yield s, e
            return
        s, e = _strip(text, a + i, a + i + len(piece))
        if s < e:
            yield s, e
        pos = i + len(piece)


def _split_glued(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    for m in _GLUED_STOP.finditer(text, a, b):
        yield a, m.start()
        a = m.start()
    yield a, b


def _capped(text: str, a: int, b: int) -> Iterator[Sentence]:
    while b - a > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", a + MAX_SENTENCE_CHARS // 2, a + MAX_SENTENCE_CHARS)
        cut = cut if cut > a else a + MAX_SENTENCE_CHARS
        s, e = _strip(text, a, cut)
        if s < e:
            yield Sentence(s, e)
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        yield Sentence(a, b)
