"""Quotes with their speakers: direct ("...", “...”, multi-paragraph, block quotes after "X said:") and
indirect ones ("X said that ...", "..., a source said", "according to X, ...", "X called for ...").

A learned tagger (:mod:`quote_nn`, a BiLSTM trained on PolNeAR by ``scripts/train_quotes_nn.py``; the
hand-feature CRF of :mod:`quote_tagger` when only its files are there) labels each token as attribution
Source, Cue or Content; the spans are then assembled here: each content piece joins
its nearest cue in the paragraph, pieces of one cue become one quote (their hull, as in '“A,” he said,
“B.”'), and the cue's nearest source is the speaker, resolved by :class:`quote_speakers.SpeakerResolver`
through pronouns and titles. An indirect content is held to its cue's clause and sentence
(:mod:`quote_clauses`). A quote is direct when its content starts at (or right after) a quotation
mark. When the model files are absent, the rules of :mod:`quote_rules` stand in.

``entity_id`` stays None; the entity merge fills it.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass


from ..clean.sentences import split_sentences
from ..model import EntityMention, Quote, Sentence
from .quote_clauses import clip_content
from .quote_features import (
    CLOSE_MARKS,
    OPEN_MARKS,
    paragraphs,
    quote_depth,
    tokenize,
)
from .quote_nn import NeuralQuoteTagger
from .quote_rules import find_quotes_by_rules
from .quote_speakers import CUE_VERBS, SpeakerResolver
from .quote_tagger import MODEL_DIR, QuoteTagger

_MARKS = OPEN_MARKS + '"'
# Added to the Source labels' scores when decoding, so a token on the edge is tagged as a source: more
# cues keep a source of their own instead of borrowing one. Chosen on a split of PolNeAR train (fold 9
# speaker 0.807 -> 0.822; 0.15-0.35 alike), checked on another (fold 4 0.803 -> 0.820).
SOURCE_BIAS = 0.25


@functools.lru_cache(maxsize=1)
def load_tagger() -> QuoteTagger | NeuralQuoteTagger | None:
    """The neural tagger (``nn.json`` + ``nn.npz``) when shipped, else the hand-feature CRF, else None."""
    if (MODEL_DIR / "nn.json").is_file():
        return NeuralQuoteTagger.load(MODEL_DIR)
    if not (MODEL_DIR / "model.json").is_file():
        return None
    return QuoteTagger.load(MODEL_DIR)


def find_quotes(text: str, sentences: Sequence[Sentence], entities: Sequence[EntityMention]) -> list[Quote]:
    """Direct and indirect quotes in text order, each with its speaker when one is found."""
    tagger = load_tagger()
    if tagger is None:
        return find_quotes_by_rules(text, sentences, entities)
    return tag_quotes(tagger, text, list(sentences) or split_sentences(text), entities)


@dataclass
class _Piece:
    kind: str  # SRC | CUE | CON
    para: int
    first: int  # token indexes within the paragraph, inclusive
    last: int
    start: int  # characters
    end: int


def tag_paragraphs(tagger: QuoteTagger, text: str, sentences: Sequence[Sentence]):
    """Tokens and predicted labels, one list per paragraph."""
    paras = paragraphs(text)
    inside = quote_depth(text, paras)
    # One pass over the text: a token never spans a line, so each paragraph's tokens are a slice.
    tokens = tokenize(text, 0, len(text))
    starts = [t.start for t in tokens]
    cuts = [bisect.bisect_left(starts, s) for s, _ in paras[1:]]
    toks = [tokens[a:b] for a, b in zip([0, *cuts], [*cuts, len(tokens)])] if paras else []
    kept = tagger.__dict__
    sizes = [len(t) for t in toks]
    scores = tagger.article_scores(tokens, sizes, sentences, inside)
    if "source_columns_" not in kept:
        kept["source_columns_"] = [j for j, lab in enumerate(tagger.labels_) if lab.endswith("-SRC")]
    # the network carries the bias chosen with it; the CRF's was chosen on its own (SOURCE_BIAS)
    scores[:, kept["source_columns_"]] += getattr(tagger, "source_bias", SOURCE_BIAS)
    return toks, tagger.decode(scores, sizes), inside


def pieces(toks, labels) -> list[_Piece]:
    out: list[_Piece] = []
    for p, (ts, ls) in enumerate(zip(toks, labels)):
        cur = None
        for i, lab in enumerate(ls):
            tag, _, kind = lab.partition("-")
            if cur is not None and (tag != "I" or kind != cur.kind):
                out.append(cur)
                cur = None
            if tag == "B" or (tag == "I" and cur is None):
                cur = _Piece(kind, p, i, i, ts[i].start, ts[i].end)
            elif tag == "I":
                cur.last, cur.end = i, ts[i].end
        if cur is not None:
            out.append(cur)
    return out


def _gap(a: _Piece, b: _Piece) -> int:
    return max(a.first - b.last, b.first - a.last)


def assemble(text: str, found: list[_Piece], clip=None, starts: Sequence[int] | None = None
             ) -> list[tuple[int, int, tuple[int, int] | None]]:
    """(content start, content end, source span or None) per attribution, in text order.

    Each content and source piece joins its nearest cue in the paragraph. Content pieces of one cue
    form one quote when the cue (or its source) lies between them ('“A,” he said, “B.”'); otherwise
    they stay separate quotes of the same source. A cue without a source of its own takes the source
    right after it even when that one joined another cue ('“A,” said Lind of the decision'), else borrows
    the last source before it in the paragraph ('X said A and added B'). ``clip(start, end, cue)``, when
    given, holds an indirect content to its cue's clause (:func:`quote_clauses.clip_content`); with the
    sentences' ``starts``, a reported content joins a cue of its own sentence first.
    """
    by_para: dict[int, list[_Piece]] = {}
    for piece in found:
        by_para.setdefault(piece.para, []).append(piece)
    out = []
    previous: _Piece | None = None  # the last source of the paragraph before
    for para in sorted(by_para):
        items = by_para[para]
        if previous is not None and previous.para < para - 1:
            previous = None
        cues = [x for x in items if x.kind == "CUE"]
        groups: dict[int, list[_Piece]] = {}
        sources: dict[int, _Piece] = {}
        for x in items:
            if x.kind == "CUE":
                continue
            if not cues:
                if x.kind == "CON" and is_direct(text, x.start, x.end):  # no cue: only quotations count
                    out.append((x.start, x.end, (previous.start, previous.end) if previous else None))
                continue
            # ties: a quotation goes to the cue after it ('“A,” he said'), a reported content to the one
            # before it ('mocking A and saying B': A is mocked, not said)
            after = x.kind == "CON" and not is_direct(text, x.start, x.end)
            candidates: Sequence[int] = range(len(cues))
            if starts is not None and x.kind == "CON" and not _quotation(text, x.start, x.end):
                # a reported content joins a cue of its own sentence first ('“A,” Lind said. C, the port
                # authority said': C is the port authority's, though 'said' before it is nearer)
                lo, hi = bisect.bisect_right(starts, x.start) - 1, bisect.bisect_right(starts, x.end - 1) - 1
                own = [j for j in candidates if lo <= bisect.bisect_right(starts, cues[j].start) - 1 <= hi]
                candidates = own or candidates
            k = min(candidates, key=lambda j: (_gap(x, cues[j]), (cues[j].first < x.first) != after))
            if x.kind == "CON":
                groups.setdefault(k, []).append(x)
            elif k not in sources or _gap(x, cues[k]) < _gap(sources[k], cues[k]):
                sources[k] = x
        all_sources = sorted((x for x in items if x.kind == "SRC"), key=lambda x: x.first)
        for k, cons in groups.items():
            src = sources.get(k)
            gap = None
            if src is None:  # the source right after the cue ('..., said Lind'), else the last one before it
                src = next((x for x in all_sources if x.first == cues[k].last + 1), None)
                if src is None:  # 'C, the port authority said': the untagged words between content and cue
                    gap = _between_content_and_cue(text, cons, cues[k])
                    if gap is None:
                        src = next((x for x in reversed(all_sources) if x.last < cues[k].first), previous)
            span = gap or ((src.start, src.end) if src else None)
            cons.sort(key=lambda x: x.first)
            cue = (cues[k].start, cues[k].end)
            run = [cons[0]]
            for x in cons[1:]:
                between = (run[-1].last, x.first)
                if any(between[0] < y.first and y.last < between[1] for y in (cues[k], src)
                       if y is not None and y.para == para):
                    run.append(x)
                else:
                    out.append(_clipped(text, run[0].start, run[-1].end, span, cue, clip))
                    run = [x]
            out.append(_clipped(text, run[0].start, run[-1].end, span, cue, clip))
        previous = all_sources[-1] if all_sources else previous
    return sorted(out)


def _clipped(text: str, start: int, end: int, span, cue: tuple[int, int], clip):
    if clip is not None and not is_direct(text, start, end):
        start, end = clip(start, end, cue)
    return start, end, span


# The words between a reported content and its cue, after a comma: a noun phrase ('the port authority').
_GAP_SOURCE = re.compile(r"\s*,\s*(?P<np>(?:[Tt]he|[Aa]n?|[A-Z][\w'’.-]*)(?:[ \t]+[\w'’.-]+){0,5})[ \t]*")


def _between_content_and_cue(text: str, cons: list[_Piece], cue: _Piece) -> tuple[int, int] | None:
    """The source span of 'C, the port authority said' when the tagger left those words untagged."""
    before = [x for x in cons if x.end <= cue.start]
    if not before:
        return None
    m = _GAP_SOURCE.fullmatch(text, max(x.end for x in before), cue.start)
    return m.span("np") if m else None


def snap_to_marks(text: str, inside: Sequence[int], start: int, end: int) -> tuple[int, int]:
    """A content opening a quotation ends where the quotation closes: cut what ran past the closing
    mark (unless another quotation follows, '“A,” he said, “B.”'), extend a content cut short."""
    if text[start : start + 1] not in _MARKS:
        return start, end
    close = start + 1
    while close < len(text) and inside[close] and text[close] != "\n":
        close += 1
    if text[close - 1 : close] not in _MARKS + CLOSE_MARKS or close - 1 == start:
        return start, end
    if close < end and not any(c in _MARKS for c in text[close:end]):
        return start, close
    return start, max(end, close)


# An attribution led into a quotation ('Lind said, “...”', 'the notice reads: “...”'): up to a colon, or a
# comma after a cue verb, right before an opening mark, with no mark before it.
_LEAD_IN = re.compile(r'[^“”«»„"\n]*?(?::|\b(?:' + CUE_VERBS + r'|quote),)[ \t\u00a0]*(?=[“«„"])')


_FIRST_WORD = re.compile(r"\s*(\w+)")


def drop_lead_in(text: str, inside: Sequence[int], start: int, end: int) -> int:
    """A content that runs from an attribution into a quotation it ends inside starts at the mark: the
    quotation is the quote, the words before it say who speaks. Not when the quotation opens with a
    lower-case word ('An economic downturn, he said, “could be ...”'): such a fragment continues the
    writer's sentence, and PolNeAR's contents keep the words before it (train: 1678 of the 1813 contents
    holding a quotation that opens lower-case are indirect; 3038 of 3331 opening upper-case are direct)."""
    m = _LEAD_IN.match(text, start, end)
    if not m or not re.search(r"\w", text[m.end() : end]):
        return start
    first = _FIRST_WORD.match(text, m.end() + 1, end)
    if first and first.group(1).islower():  # a fragment woven into the writer's sentence keeps its lead-in
        return start
    close = m.end() + 1
    while close < len(text) and inside[close] and text[close] != "\n":
        close += 1
    return m.end() if close >= end - 2 else start


# A dash and a name right after a quotation, ending its line: a signed quote ("…” ― Mara Lind).
_DASH_SOURCE = re.compile(
    r"[”\"’]?[ \t\u00a0]*[―—–][ \t\u00a0]*(?P<name>[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,4})[ \t\u00a0.]*(?=\n|$)"
)


# A line that is a quotation signed by a dash and a name: the whole quotation, whatever the tagger made of it.
_SIGNED = re.compile(
    r"^[ \t\u00a0]*(?P<q>[“«„\"][^\n]*[”»\"])(?=[ \t\u00a0]*[―—–][ \t\u00a0]*[A-Z][\w'’.-]*(?:[ \t][A-Z][\w'’.-]*){0,4}"
    r"[ \t\u00a0.]*$)", re.M)


_MAX_INTERRUPTION = 120
_INTERRUPTION = re.compile(r"[^“”\"\n]{1,%d}" % _MAX_INTERRUPTION)


def join_interrupted(text: str, found: list) -> list:
    """'“A,” she said. “B.”': two quotations with only a short attribution between them in one
    paragraph are one quote, as in PolNeAR train (about 12 hulls to 1 split there). They must share
    the speaker (or one has none) and both open with a quotation mark (or two apostrophes, '' ... ''; such
    a quote stays indirect for :func:`is_direct`, as for the PolNeAR scorer). Words tagged as reported
    inside the attribution ('..., she said, referring to the levy. “B.”') belong to the joined quote and
    stay a quote of their own, nested in it: what the speaker referred to is reported too (PolNeAR train,
    six fold models: indirect +0.0003-0.002 on each, 2-5 more contents matched per fold, none lost)."""
    out: list = []
    nested: list = []  # the reported pieces a join swallowed
    for f in found:
        j = len(out) - 1  # the last quotation, past reported words tagged inside the attribution after it
        # (an earlier quotation ending farther back than an interruption can be long is never joined)
        while (j > 0 and out[j][0] >= out[j - 1][1] and f[0] - out[j - 1][1] <= _MAX_INTERRUPTION
               and not _quotation(text, out[j][0], out[j][1])):
            j -= 1
        if j >= 0:
            prev = out[j]
            gap = text[prev[1] : f[0]]
            if (_same_source(text, prev[2], f[2]) and _quotation(text, prev[0], prev[1])
                    and _quotation(text, f[0], f[1]) and _INTERRUPTION.fullmatch(gap) and "''" not in gap
                    and (text[prev[1] - 1 : prev[1]] in _MARKS + CLOSE_MARKS
                         or text[prev[1] - 2 : prev[1]] == "''")):
                nested.extend(out[j + 1 :])
                out[j:] = [(prev[0], f[1], prev[2] or f[2], prev[3] if prev[3] is not None else f[3])]
                continue
        out.append(f)
    return sorted(out + nested, key=lambda f: f[0]) if nested else out


def _quotation(text: str, start: int, end: int) -> bool:
    """A content opening a quotation: with a mark (:func:`is_direct`) or two apostrophes ('' ... '')."""
    if is_direct(text, start, end):
        return True
    k = start
    while k < end and text[k].isspace():
        k += 1
    if text.startswith("''", k, end):
        return True
    k = start
    while k > 0 and text[k - 1] == " ":
        k -= 1
    return text[k - 2 : k] == "''"


def _same_source(text: str, a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """One source is missing, or both name the same: the names of the shorter are all in the longer
    ('Greene' and 'Mara Greene, an economist at Vellmar')."""
    if a is None or b is None or a == b:
        return True
    names = [{w.strip(",.’'") for w in text[s:e].split() if w[:1].isupper()} for s, e in (a, b)]
    short, long_ = sorted(names, key=len)
    return bool(short) and short <= long_


def is_direct(text: str, start: int, end: int) -> bool:
    """Content opening with a quotation mark, or sitting right after one."""
    if text[start:end].lstrip()[:1] in _MARKS:
        return True
    k = start - 1
    while k >= 0 and text[k] == " ":
        k -= 1
    return k >= 0 and text[k] in _MARKS


def tag_quotes(tagger: QuoteTagger, text: str, sentences: Sequence[Sentence],
               entities: Sequence[EntityMention]) -> list[Quote]:
    toks, labels, inside = tag_paragraphs(tagger, text, sentences)
    starts = [s.start for s in sentences]
    found: list[tuple[int, int, tuple[int, int] | None, bool | None]] = []
    clip = functools.partial(clip_content, text, inside, sentences, starts)
    for start, end, src in assemble(text, pieces(toks, labels), clip, starts):
        start, end = snap_to_marks(text, inside, start, end)
        start = drop_lead_in(text, inside, start, end)
        found.append((start, end, src, None))
    # the rules add block quotes over several paragraphs (the tagger sees one paragraph at a time); their
    # indirect quotes ('X said (that) C', 'C, X said') no longer, and are not even made: with the network
    # they cost more wrong contents (a source after '...,'' said', a cue's adjunct) than they found (fold 9
    # indirect 0.632 -> 0.637, fold 4 0.647 -> 0.654)
    tagged = list(found)
    for q in find_quotes_by_rules(text, sentences, entities, indirect=False):
        if not q.direct or "\n" not in text[q.start : q.end]:
            continue
        inner = [f for f in tagged if q.start <= f[0] and f[1] <= q.end]  # it replaces the pieces inside it
        found = [f for f in found if f not in inner]
        tagged = [f for f in tagged if f not in inner]
        if not any(s < q.end and q.start < e for s, e, _, _ in tagged):
            src = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
            found.append((q.start, q.end, src, q.direct))
    for m in _SIGNED.finditer(text):  # '“...” ― Mara Lind' on a line of its own, when the tagger missed it
        if not any(s < m.end("q") and m.start("q") < e for s, e, _, _ in found):
            found.append((m.start("q"), m.end("q"), None, True))
    resolver = SpeakerResolver(text, entities)
    out: list[Quote] = []
    for start, end, src, direct in join_interrupted(text, sorted(found, key=lambda f: f[0])):
        direct = is_direct(text, start, end) if direct is None else direct
        dash = _DASH_SOURCE.match(text, end) if direct else None
        if dash:  # '“...” ― Mara Lind': a signature after the quotation names its speaker
            src = dash.span("name")
        if src is None:
            out.append(Quote(start, end, direct))
            continue
        spk = resolver.resolve_source(*src)
        if spk is None:
            out.append(Quote(start, end, direct))
            continue
        out.append(Quote(start, end, direct, spk.text, spk.start, spk.end))
    return out
