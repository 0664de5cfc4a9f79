"""Tokens and hand features for the attribution tagger (Source / Cue / Content per token).

Shared by training (``scripts/train_quotes.py``) and tagging, so both see the same features. A sequence
is one paragraph (a line of text): attributions rarely cross a line, and multi-paragraph quotes are
joined after tagging. Features are cheap string tests - no parser - so an article tags in a few ms.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..model import Sentence

_TOKEN = re.compile(r"\w+(?:[-'’.&]\w+)*|[^\w\s]")
OPEN_MARKS, CLOSE_MARKS = "“«„", "”»"


class Token(NamedTuple):  # a NamedTuple: built for every token of every article, so cheap to make
    start: int
    end: int
    text: str


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) character ranges."""
    out, pos = [], 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            out.append((pos, end))
        pos = end + 1
    return out


_new_tuple = tuple.__new__


def tokenize(text: str, start: int, end: int) -> list[Token]:
    return [_new_tuple(Token, (m.start(), m.end(), m.group())) for m in _TOKEN.finditer(text, start, end)]


_MARK = re.compile(r"''|[“«„”»\"]")
_OPENING = OPEN_MARKS + '"'


def _opens_with_mark(line: str) -> bool:
    head = line.lstrip()
    return head[:1] in _OPENING or head[:2] == "''"


def quote_depth(text: str, paras: Sequence[tuple[int, int]]) -> bytearray:
    """Per character: 1 inside a quotation (marks included), else 0.

    Curly marks open and close; a straight mark toggles within its paragraph, and so do two apostrophes
    (''...'', the typewriter convention of some archives). A quotation still open at a paragraph end
    stays open only when the next paragraph starts with an opening mark (the convention for
    multi-paragraph quotes); otherwise it is closed there, so one stray mark spoils one line only.
    Only the marks are visited: the characters between them take the state the last one left.
    """
    inside = bytearray(len(text))
    state = False
    for k, (s, e) in enumerate(paras):
        if state and not _opens_with_mark(text[s:e]):
            state = False
        run = s  # where the open quotation (if ``state``) began in this paragraph
        for m in _MARK.finditer(text, s, e):
            i, j = m.span()
            ch = text[i] if j - i == 1 else '"'  # two apostrophes: a straight mark
            if ch in OPEN_MARKS or (ch == '"' and not state):
                if not state:
                    run = i
                state = True
            elif state:  # a closing mark ends the run, marks included
                inside[run:j] = b"\x01" * (j - run)
                state = False
            else:  # a stray closing mark
                inside[i:j] = b"\x01" * (j - i)
        if state:
            inside[run:e] = b"\x01" * (e - run)
            if k + 1 == len(paras) or not _opens_with_mark(text[paras[k + 1][0] : paras[k + 1][1]]):
                state = False
    return inside


def word_shape(w: str) -> str:
    if w.isdigit():
        return "d"
    if w[:1].isupper():
        return "X" if w.isupper() and len(w) > 1 else "Xx"
    if w[:1].isalpha():
        return "x"
    return w


def _bucket(d: int | None) -> str:
    if d is None:
        return "none"
    return str(d) if d <= 3 else ("4-6" if d <= 6 else ("7-12" if d <= 12 else "far"))


def sentence_starts(tokens: Sequence[Token], sentences: Sequence[Sentence]) -> list[bool]:
    """Per token: does a sentence start between the previous token and this one?"""
    if not tokens:
        return []
    starts = [s.start for s in sentences]
    k = bisect.bisect_left(starts, tokens[0].start)
    out, prev_end = [], -1
    for t in tokens:
        while k < len(starts) and starts[k] < prev_end:
            k += 1
        out.append(prev_end < 0 or (k < len(starts) and starts[k] <= t.start))
        prev_end = t.end
    return out


_STATE = ("in=0", "in=1")
_SC = {False: "sc=False", True: "sc=True"}
_SQ = {False: "sq=False", True: "sq=True"}


_BUCKETS = ("none", "0", "1", "2", "3", "4-6", "7-12", "far")
_SMALL_VOCAB = (*_STATE, "pin=0", "pin=1", "nin=0", "nin=1", *_SC.values(), *_SQ.values(), "bos", "bop", "eop",
                *("L=" + b for b in _BUCKETS), *("R=" + b for b in _BUCKETS))


class _KeepStrings:
    """Stands in for a feature index when featurizing for training: every feature is its own name."""

    @staticmethod
    def get(f: str, default: object = None) -> str:
        return f


_KEEP = _KeepStrings()


def _cue_bucket(c: float) -> str:
    return "hi" if c >= 0.5 else "mid" if c >= 0.2 else "lo" if c >= 0.05 else "no"


def small_tables(get) -> tuple:
    """The features of few values, encoded: in / previous in / next in (by 0, 1), sentence has a cue /
    a quotation (by False, True), distance buckets to the cue on the left / right (by distance, with
    the "far" one for the rest), begin of sentence, begin and end of paragraph."""
    small = {f: get(f, -1) for f in _SMALL_VOCAB}
    return ((small["in=0"], small["in=1"]), (small["pin=0"], small["pin=1"]),
            (small["nin=0"], small["nin=1"]),
            (small["sc=False"], small["sc=True"]), (small["sq=False"], small["sq=True"]),
            {d: small["L=" + _bucket(d)] for d in (None, *range(13))},
            {d: small["R=" + _bucket(d)] for d in (None, *range(13))},
            small["L=far"], small["R=far"], small["bos"], small["bop"], small["eop"])


def word_features(word: str, cue_lex: Mapping[str, float], get) -> tuple:
    """The features one word brings wherever it stands: (lower-cased, strong cue?, its own 5, as the
    previous word 3, as the next word 3, two before, two after, nearest cue on the left, on the right)."""
    w = word.lower()
    c = cue_lex.get(w, 0.0)
    sh = word_shape(word)
    cb = _cue_bucket(c)
    return (w, c >= 0.25, [get(f, -1) for f in ("b", "w=" + w, "s3=" + w[-3:], "sh=" + sh, "cue=" + cb)],
            (get("w-1=" + w, -1), get("sh-1=" + sh, -1), get("cue-1=" + cb, -1)),
            (get("w+1=" + w, -1), get("sh+1=" + sh, -1), get("cue+1=" + cb, -1)),
            get("w-2=" + w, -1), get("w+2=" + w, -1), get("Lw=" + w, -1), get("Rw=" + w, -1))


def featurize(text: str, tokens: Sequence[Token], bos: Sequence[bool], inside: Sequence[int],
              cue_lex: Mapping[str, float], encode: Mapping[str, int] | None = None,
              word_cache: dict | None = None, flat: list | None = None) -> list:
    """One list of feature strings per token; with ``encode`` (a model's feature index) their indexes
    instead, -1 for unknown features. The features of each word are built (and encoded) once per call,
    or once per ``word_cache`` (kept by the caller for one model). With ``flat``, the features of all
    tokens are appended to that one list instead, and the number of each token's is returned."""
    table = _KEEP if encode is None else encode
    get = table.get
    words = {} if word_cache is None else word_cache
    if len(words) > 100_000:
        words.clear()
    tables = words.get(None)  # the encoded small vocabulary, kept under None beside the words
    if tables is None:
        tables = words[None] = small_tables(get)
    state, pstate, nstate, sc, sq, lb, rb, l_far, r_far, f_bos, f_bop, f_eop = tables
    n = len(tokens)
    info = []
    for t in tokens:
        x = words.get(t.text)
        if x is None:
            x = words[t.text] = word_features(t.text, cue_lex, get)
        info.append(x)
    strong = [x[1] for x in info]
    ins = [inside[t.start] for t in tokens]
    # nearest strong cue word to the left / right inside the same sentence, and sentences with one
    left: list[int | None] = [None] * n
    last = None
    for i in range(n):
        if i and bos[i]:
            last = None
        left[i] = None if last is None else i - last
        if strong[i]:
            last = i
    right: list[int | None] = [None] * n
    has_cue = [False] * n
    last, seen = None, False
    for i in range(n - 1, -1, -1):
        right[i] = None if last is None else last - i
        if strong[i]:
            last = i
        if bos[i]:
            last = None
    for i in range(n):
        seen = (seen and not bos[i]) or strong[i]
        has_cue[i] = seen
    has_quote = [inside[t.start] == 1 for t in tokens]
    for i in range(1, n):  # spread "the sentence has a cue / a quotation" to its end ...
        if not bos[i]:
            has_quote[i] = has_quote[i] or has_quote[i - 1]
    for i in range(n - 1, 0, -1):  # ... and back to its start
        if not bos[i]:
            has_cue[i - 1] = has_cue[i - 1] or has_cue[i]
            has_quote[i - 1] = has_quote[i - 1] or has_quote[i]
    feats = []
    shared = flat is not None
    for i in range(n):
        x = info[i]
        li, ri = left[i], right[i]
        f = flat if shared else []
        before = len(f)
        f += x[2]
        f += (state[ins[i]], lb.get(li, l_far), rb.get(ri, r_far), sc[has_cue[i]], sq[has_quote[i]])
        if bos[i]:
            f.append(f_bos)
        if i == 0:
            f.append(f_bop)
        if i == n - 1:
            f.append(f_eop)
        if i:
            p = info[i - 1]
            f += p[3]
            f.append(pstate[ins[i - 1]])
            f.append(get("w-1|w=" + p[0] + "|" + x[0], -1))
            if i > 1:
                f.append(info[i - 2][5])
        if i + 1 < n:
            q = info[i + 1]
            f += q[4]
            f.append(nstate[ins[i + 1]])
            f.append(get("w|w+1=" + x[0] + "|" + q[0], -1))
            if i + 2 < n:
                f.append(info[i + 2][6])
        if li is not None:
            f.append(info[i - li][7])
        if ri is not None:
            f.append(info[i + ri][8])
        feats.append(len(f) - before if shared else f)
    return feats
