"""Lines: the unit boilerplate, comment and reposted-block detection work on.

A line is a stripped, non-blank run of text between newlines. A line that starts lower-case right
after a line without end punctuation is a wrapped continuation ("Donations are tax deductible\\n
to the extent allowed by law.") and is joined to it, so a footer wrapped by the scraper is judged
as one piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_END_PUNCT = re.compile(r"[.!?:;\"”’)\]]$")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    blank_before: bool  # a blank line (paragraph break) precedes it

    @property
    def words(self) -> int:
        return len(_WORD.findall(self.text))


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Stripped non-blank lines of ``text[start:end]``, wrapped continuations joined."""
    end = len(text) if end is None else end
    out: list[Line] = []
    prev_end = start
    for m in _LINE.finditer(text, start, end):
        raw = m.group()
        s = raw.strip()
        if not s:
            continue
        a = m.start() + (len(raw) - len(raw.lstrip()))
        b = a + len(s)
        blank = text.count("\n", prev_end, a) >= 2
        if out and not blank and s[0].islower() and not _END_PUNCT.search(out[-1].text):
            last = out[-1]
            out[-1] = Line(last.start, b, text[last.start : b], last.blank_before)
        else:
            out.append(Line(a, b, s, blank))
        prev_end = b
    return out


def normalise_line(line: str) -> str:
    """The form lines are compared in across articles: lower case, digits folded, spaces folded."""
    return _SPACES.sub(" ", _DIGITS.sub("0", line.lower())).strip()
