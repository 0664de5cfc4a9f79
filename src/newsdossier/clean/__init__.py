"""Clean: label every passage of an article's text as reporting, opinion, reproduced,
reader_comment or boilerplate, so that the segments partition the text.

Order of decisions per free region (text not already covered by a pre-filled segment):
boilerplate lines (lexicon, shape, position, repetition across the source's articles) -> the
comment section -> sentences of the remaining lines, scored by the subjectivity classifier ->
reposted blocks after an introducing line -> opinion vs reporting, smoothed into passages.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import replace

from ..model import SEGMENT_KINDS, Article, Segment, Sentence
from .boilerplate import boilerplate_lines, tail_start
from .comments import comment_start
from .lines import Line, normalise_line, split_lines
from .passages import (
    ATTRIBUTION,
    attributed,
    evidence,
    quote_mask,
    quoted_share,
    section_breaks,
    smooth_labels,
    unit_reads_as_opinion,
)
from .reproduced import reproduced_lines
from .sentences import split_sentences

__all__ = ["clean_articles", "opinion_share", "split_sentences"]

_REPEAT_MIN_ARTICLES = 2  # a line in at least this many distinct articles of one source is furniture
_SECTION_MIN_SENTENCES = 2  # a section this size is a piece of its own (not a headline set apart)


def clean_articles(articles: Sequence[Article]) -> list[Article]:
    """Segment each article; segments partition ``text`` with no gaps or overlaps.

    Evidence is shared across the batch (lines repeated across articles of the same source), but
    counted over distinct article ids, so an article's result does not depend on the batch order.
    """
    repeated = _repeated_lines(articles)
    scorer = _scorer()
    return [_clean_one(a, repeated.get(a.source or "", frozenset()), scorer) for a in articles]


def opinion_share(text_len_by_kind: dict[str, int]) -> float:
    """opinion / (reporting + opinion + reproduced) characters; 0.0 when there are none."""
    denom = sum(text_len_by_kind.get(k, 0) for k in ("reporting", "opinion", "reproduced"))
    return text_len_by_kind.get("opinion", 0) / denom if denom else 0.0


class _Scorer:
    """Calibrated P(subjective) per sentence, and ``neutral``: the probability at the model's
    class-balanced boundary, where the evidence favours neither opinion nor reporting."""

    def __init__(self) -> None:
        from .subjectivity import load

        self.model = load()
        self.neutral = self.model.threshold_

    def __call__(self, sentences: Sequence[str]) -> list[float]:
        return [float(x) for x in self.model.subjective_probability(sentences)]


def _scorer() -> _Scorer:
    return _Scorer()


def _repeated_lines(articles: Sequence[Article],
                    only: Mapping[str, Set[str]] | None = None) -> dict[str, frozenset[str]]:
    """Per source, the normalised lines (headlines aside, <= 15 words) found in at least
    ``_REPEAT_MIN_ARTICLES`` distinct articles of it. ``only``: count just these lines per source
    (the ones some articles will be asked about, see :func:`_asked_lines`): the same answer for them,
    without counting every line of a large context."""
    ids_by_line: dict[tuple[str, str], set[str]] = defaultdict(set)
    asked = {src: _Asked(keys) for src, keys in (only or {}).items()}
    for a in articles:
        if not a.source:
            continue
        wanted = None if only is None else asked.get(a.source)
        if only is not None and wanted is None:
            continue
        for ln in split_lines(a.text)[1:]:  # the first line is the headline
            if wanted is not None and not wanted.may_ask(ln.text):
                continue
            if ln.words > 15:
                continue
            key = normalise_line(ln.text)
            if wanted is None or key in wanted.lines:
                ids_by_line[(a.source, key)].add(a.id)
    out: dict[str, set[str]] = defaultdict(set)
    for (source, line), ids in ids_by_line.items():
        if len(ids) >= _REPEAT_MIN_ARTICLES:
            out[source].add(line)
    return {s: frozenset(v) for s, v in out.items()}


class _Asked:
    """Lines asked about, and cheap necessary tests for a raw line to be one of them: a line's
    normalised first and last words are its first and last words normalised."""

    def __init__(self, lines: Set[str]) -> None:
        self.lines = lines
        self.firsts = {k.split(" ", 1)[0] for k in lines}
        self.lasts = {k.rsplit(" ", 1)[-1] for k in lines}

    def may_ask(self, raw: str) -> bool:
        return (normalise_line(raw.split(None, 1)[0]) in self.firsts
                and normalise_line(raw.rsplit(None, 1)[-1]) in self.lasts)


def _asked_lines(articles: Sequence[Article]) -> dict[str, set[str]]:
    """Per source, every normalised line cleaning ``articles`` looks up in the repeated lines (the
    lines of each free region, as :func:`_clean_one` splits them)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        if not a.source or not a.text:
            continue
        keys = out[a.source]
        for start, end, seg in _layout(len(a.text), _fixed_segments(a)):
            if seg is None:
                keys.update(normalise_line(ln.text) for ln in split_lines(a.text, start, end))
    return dict(out)


def _layout(length: int, fixed: Sequence[Segment]) -> list[tuple[int, int, Segment | None]]:
    """An article's text in order: its pre-filled segments, and the free stretches between them (segment
    None) that the segmenter labels."""
    out: list[tuple[int, int, Segment | None]] = []
    pos = 0
    for seg in [*fixed, Segment("boilerplate", length, length)]:
        if pos < seg.start:
            out.append((pos, seg.start, None))
        if seg.start < seg.end:
            out.append((seg.start, seg.end, seg))
        pos = max(pos, seg.end)
    return out


def _fixed_segments(a: Article) -> list[Segment]:
    """Pre-filled segments, clipped to the text; overlapping or unknown ones are dropped."""
    out: list[Segment] = []
    for s in sorted(a.segments, key=lambda s: (s.start, s.end)):
        start, end = max(0, s.start), min(len(a.text), s.end)
        if s.kind in SEGMENT_KINDS and start < end and (not out or start >= out[-1].end):
            out.append(Segment(s.kind, start, end))
    return out


def _clean_one(a: Article, repeated: frozenset[str], scorer) -> Article:
    text = a.text
    if not text:
        return replace(a, segments=(), sentences=(), opinion_share=0.0)
    fixed = _fixed_segments(a)
    sentences = split_sentences(text)  # once per article: the segmenter reuses it line by line
    units: list[tuple[int, int, str]] = []  # (start, end, kind) of labelled regions, then fixed ones
    scored: dict[tuple[int, int], float] = {}  # P(opinion) of the sentences scored, by span
    prefix = quote_mask(text) if ("“" in text or '"' in text) else None
    for start, end, seg in _layout(len(text), fixed):
        if seg is None:
            units.extend(_segment_region(text, start, end, repeated, scorer, prefix, sentences, scored))
        else:
            units.append((start, end, "=" + seg.kind))  # "=": fixed, never merged
    segments = _partition(units, len(text))
    by_kind: dict[str, int] = defaultdict(int)
    for s in segments:
        by_kind[s.kind] += s.end - s.start
    return replace(
        a,
        segments=tuple(segments),
        sentences=tuple(sentences),
        opinion_share=opinion_share(by_kind),
        sentence_opinion=tuple(scored.get((s.start, s.end)) for s in sentences) if scored else (),
    )


def _segment_region(
    text: str, a: int, b: int, repeated: frozenset[str], scorer, prefix, sentences: Sequence[Sentence],
    scored: dict[tuple[int, int], float] | None = None,
) -> list[tuple[int, int, str]]:
    """Labelled units covering [a, b) of ``text`` (a free region between pre-filled segments).
    ``scored``: gets the P(opinion) of each sentence scored, by span."""
    lines = split_lines(text, a, b)
    if not lines:
        return []  # white space only: _partition gives it to a neighbour
    rep = {i for i, ln in enumerate(lines) if i > 0 and normalise_line(ln.text) in repeated}
    boiler = boilerplate_lines(lines, rep)
    comment: set[int] = set()
    cs = comment_start(lines)
    if cs is not None:
        comment = set(range(cs, max(tail_start(lines, boiler), cs + 1)))
        boiler -= comment
    content = [i for i in range(len(lines)) if i not in boiler and i not in comment]

    # Sentences of content lines, scored in one batch.
    sents = _line_sentences(text, lines, content, sentences)
    flat = [(i, s) for i in content for s in sents[i]]
    probs = scorer([text[s.start : s.end] for _, s in flat]) if flat else []
    if scored is not None:
        scored.update(((s.start, s.end), p) for (_, s), p in zip(flat, probs))
    quoted = [quoted_share(prefix, s.start, s.end) if prefix is not None else 0.0 for _, s in flat]
    intro = _intro_attributed(lines, flat, quoted)
    attr = attributed([text[s.start : s.end] for _, s in flat], quoted, intro)
    neutral = getattr(scorer, "neutral", 0.5)
    llr = evidence(probs, attr, [s.end - s.start for _, s in flat], neutral)
    evidence_of_line: dict[int, float] = defaultdict(float)
    attributed_of_line: Counter[int] = Counter()
    sentences_of_line: Counter[int] = Counter()
    for (i, _), e, at in zip(flat, llr, attr):
        evidence_of_line[i] += float(e)
        attributed_of_line[i] += int(at)
        sentences_of_line[i] += 1

    def paragraph_lines(i: int) -> list[int]:
        out, j = [i], i + 1
        while j < len(lines) and not lines[j].blank_before and j in evidence_of_line:
            out.append(j)
            j += 1
        return out

    def paragraph_evidence(i: int) -> float:
        return sum(evidence_of_line.get(j, 0.0) for j in paragraph_lines(i))

    def paragraph_attribution(i: int) -> tuple[int, int]:
        para = paragraph_lines(i)
        return sum(attributed_of_line[j] for j in para), sum(sentences_of_line[j] for j in para)

    reproduced = reproduced_lines(lines, content, paragraph_evidence, paragraph_attribution)
    breaks = section_breaks([text.count("\n", lines[i - 1].end, ln.start) - 1 if i else 0 for i, ln in enumerate(lines)])
    kinds = _passage_kinds(lines, flat, probs, attr, reproduced, neutral, breaks)

    units: list[tuple[int, int, str]] = []
    first_in_line: set[int] = set()
    for k, (i, s) in enumerate(flat):
        start = lines[i].start if i not in first_in_line else s.start  # bullets belong to the sentence
        first_in_line.add(i)
        units.append((start, s.end, kinds[k]))
    for i, ln in enumerate(lines):
        if i in boiler:
            units.append((ln.start, ln.end, "boilerplate"))
        elif i in comment:
            units.append((ln.start, ln.end, "reader_comment"))
        elif i in reproduced:
            units.append((ln.start, ln.end, "reproduced"))
        elif not sents.get(i):
            units.append((ln.start, ln.end, "reporting"))
    return [u for u in units if not (u[2] != "reproduced" and _in_reproduced(u, lines, reproduced))]


def _line_sentences(
    text: str, lines: Sequence[Line], indices: Sequence[int], sentences: Sequence[Sentence]
) -> dict[int, list[Sentence]]:
    """The sentences of each line in ``indices``, taken from the article's sentences (the splitter
    treats lines as hard boundaries, so a line's sentences are those inside it). A sentence that
    crosses a line's bounds (a pre-filled segment starting mid-line) sends that line to the splitter."""
    starts = [s.start for s in sentences]
    out: dict[int, list[Sentence]] = {}
    for i in indices:
        lo, hi = lines[i].start, lines[i].end
        k = bisect_left(starts, lo)
        j = k
        while j < len(sentences) and sentences[j].start < hi:
            j += 1
        inside = (k == 0 or sentences[k - 1].end <= lo) and (j == k or sentences[j - 1].end <= hi)
        out[i] = list(sentences[k:j]) if inside else split_sentences(text, lo, hi)
    return out


def _in_reproduced(unit: tuple[int, int, str], lines: Sequence[Line], reproduced: set[int]) -> bool:
    return any(lines[i].start <= unit[0] < lines[i].end for i in reproduced)


def _intro_attributed(lines: Sequence[Line], flat, quoted: Sequence[float]) -> list[bool]:
    """Sentences inside a quotation opened after an attributing line ("Putin said:")."""
    out, active, last_line = [], False, None
    for (i, _), q in zip(flat, quoted):
        if i != last_line:
            prev = lines[i - 1].text if i > 0 else ""
            if prev.endswith(":") and ATTRIBUTION.search(prev):
                active = True
            last_line = i
        active = active and q > 0.5
        out.append(active)
    return out


def _passage_kinds(
    lines, flat, probs, attr, reproduced: set[int], neutral: float, breaks: Sequence[bool]
) -> list[str]:
    """opinion/reporting per sentence, smoothed within runs of adjacent non-reproduced lines of one
    section. On a composite page (a reposted block, or content in more than one section) each run
    is first judged as a whole unit (see passages.unit_reads_as_opinion). A headline set off by a
    wider gap does not make a page composite: that takes two sections of several sentences each."""
    kinds = ["reporting"] * len(flat)
    run: list[int] = []
    composite = bool(reproduced) or _substantial_sections(flat, reproduced, breaks) >= 2

    def close() -> None:
        if not run:
            return
        p, at = [probs[k] for k in run], [attr[k] for k in run]
        lengths = [flat[k][1].end - flat[k][1].start for k in run]
        if composite and unit_reads_as_opinion(p, at, lengths, neutral):
            labels = ["reporting" if a else "opinion" for a in at]
        else:
            new_paragraph = [
                j == 0 or flat[k][0] != flat[run[j - 1]][0] and lines[flat[k][0]].blank_before
                for j, k in enumerate(run)
            ]
            labels = smooth_labels(p, at, lengths, new_paragraph, neutral)
        for k, lab in zip(run, labels):
            kinds[k] = lab
        run.clear()

    prev_line = None
    for k, (i, _) in enumerate(flat):
        if i in reproduced:
            close()
            prev_line = None
            continue
        if prev_line is not None and (i > prev_line + 1 or (i != prev_line and breaks[i])):
            close()  # furniture, a reposted block or a section break in between: a new passage run
        run.append(k)
        prev_line = i
    close()
    return kinds


def _substantial_sections(flat, reproduced: set[int], breaks: Sequence[bool]) -> int:
    """How many sections hold at least _SECTION_MIN_SENTENCES of the author's own sentences."""
    sizes: list[int] = []
    last = -1
    for i, _ in flat:
        if i in reproduced:
            continue
        if not sizes or (breaks[i] and i != last):
            sizes.append(0)
        sizes[-1] += 1
        last = i
    return sum(n >= _SECTION_MIN_SENTENCES for n in sizes)


def _partition(units: list[tuple[int, int, str]], n: int) -> list[Segment]:
    """Segments covering [0, n): each unit runs to the next unit's start (so the white space after
    a passage belongs to it); the first starts at 0; adjacent segments of one kind merge unless
    one is pre-filled (kind prefixed "=")."""
    units = sorted(u for u in units if u[0] < u[1] or n == 0)
    if not units:
        return [Segment("boilerplate", 0, n)] if n else []  # white space only
    out: list[Segment] = []
    fixed = False  # the previous segment was pre-filled
    for k, (start, _, kind) in enumerate(units):
        s = 0 if k == 0 else start
        e = units[k + 1][0] if k + 1 < len(units) else n
        if s >= e:
            continue
        was_fixed, fixed = fixed, kind.startswith("=")
        kind = kind.lstrip("=")
        if out and out[-1].kind == kind and not (fixed or was_fixed):
            out[-1] = Segment(kind, out[-1].start, e)
        elif out and out[-1].end != s:  # a dropped empty unit: close the gap
            out[-1] = Segment(out[-1].kind, out[-1].start, s)
            out.append(Segment(kind, s, e))
        else:
            out.append(Segment(kind, s, e))
    return out
