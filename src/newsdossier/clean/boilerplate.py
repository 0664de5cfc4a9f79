"""Boilerplate lines: site furniture any CMS prints (share/follow/subscribe prompts, comment forms,
donation and copyright footers, post metadata, navigation).

Evidence, all general: a maintained phrase lexicon, line shape (placeholders such as "%s", ©, a URL
alone, navigation separators), lines repeated across articles of the same source, and position —
short verbless lines are absorbed when they sit in a run with strong evidence (e.g. the "Twitter
picture" caption between two comment-form lines).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line

# Phrases of generic site furniture (lower case). Keep it general: no outlet's own slogans.
PHRASES: tuple[str, ...] = (
    # sharing and following
    "share this",
    "share with your friends",
    "share on facebook",
    "share on twitter",
    "share on linkedin",
    "share via email",
    "share via",
    "click to share",
    "click to email",
    "click to print",
    "tweet this",
    "pin it",
    "follow us",
    "follow me on",
    "like us on facebook",
    "find us on",
    "connect with us",
    "bloggers like this",
    "like this:",
    "like loading",
    "loading...",
    "reblog",
    # subscription and newsletters
    "subscribe to",
    "subscribe now",
    "sign up for",
    "sign up to",
    "newsletter",
    "enter your email",
    "your email address",
    "get updated when",
    "never miss",
    "delivered by feedburner",
    "join other subscribers",
    "notify me of",
    "email subscription",
    "rss feed",
    # comment forms
    "leave a reply",
    "leave a comment",
    "post a comment",
    "add a comment",
    "cancel reply",
    "comments are closed",
    "you must be logged in",
    "log in to reply",
    "logged in as",
    "fill in your details",
    "click an icon to log in",
    "you are commenting using your",
    "log out /",
    "change )",
    "required fields are marked",
    "email address will not be published",
    "save my name, email",
    "post was not sent",
    "check your email addresses",
    "your blog cannot share posts",
    "connecting to %s",
    "comment policy",
    "view comments",
    "show comments",
    # donations and support
    "tax deductible",
    "tax-deductible",
    "donate now",
    "make a donation",
    "donations",
    "support our work",
    "support us",
    "become a patron",
    "become a member",
    # legal and footers
    "all rights reserved",
    "copyright ©",
    "privacy policy",
    "terms of use",
    "terms of service",
    "cookie policy",
    "we use cookies",
    "accept cookies",
    "powered by",
    "proudly powered",
    "theme by",
    "contact us",
    "about us",
    "advertise with us",
    "advertisement",
    "sponsored content",
    # post metadata and navigation
    "this entry was posted",
    "bookmark the permalink",
    "filed under",
    "posted in",
    "tagged with",
    "tags:",
    "categories:",
    "related posts",
    "related articles",
    "you may also like",
    "recommended for you",
    "read more",
    "continue reading",
    "click here",
    "previous post",
    "next post",
    "skip to content",
    "back to top",
    "search for:",
    "most popular",
    "trending now",
    "print this",
    "email this",
    "photo credit",
    "image credit",
    "image caption",
    "getty images",
)
_PHRASE_RE = re.compile("|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)))
_PLACEHOLDER = re.compile(r"%[sd]\b|\{\{.*?\}\}|\[\.\.\.\]$")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\s+(?:\d{4}|©)", re.IGNORECASE)
_URL_ALONE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_NAV = re.compile(r"(?:\s[|•·»/]\s.*){2,}")  # "Home | News | Sport"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_POST_META = re.compile(
    rf"^(?:[~\-–—]\s*)?(?:posted|written|published|filed)?\s*(?:by\s+[\w.@\- ]{{1,40}}\s+)?on\s+(?:\w+,?\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d)",
    re.IGNORECASE,
)
_BYLINE_ONLY = re.compile(r"^(?:[~\-–—]\s*)?by\s+[\w.@\- ]{1,40}\s+on\s+.*\d{4}\.?$", re.IGNORECASE)
_IMPERATIVE = re.compile(
    r"^(?:share|follow|subscribe|click|sign (?:up|in)|log (?:in|out)|register|enter|join|donate|download|"
    r"print|email|tweet|like|comment|reply|read|watch|listen|advertise|contact|search|menu|home)\b",
    re.IGNORECASE,
)
_END_PUNCT = re.compile(r"[.!?\"”’)]$")
_MAX_WORDS_STRONG = 30  # a long line that mentions "newsletter" is probably an article sentence
# A legal notice is furniture however long it runs: it opens with the copyright sign or closes the
# line with the reservation of rights ("... Republication ... prohibited", "... All rights reserved.").
_LEGAL_NOTICE = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s+(?:©|\(c\)|\d{4}))|\ball rights reserved\.?\s*$", re.IGNORECASE
)
_MAX_WORDS_LEGAL = 80


def strong_evidence(line: str) -> bool:
    """True when the line on its own is site furniture."""
    low = line.lower()
    words = len(low.split())
    if _PLACEHOLDER.search(line) or _URL_ALONE.match(line) or _BYLINE_ONLY.match(line):
        return True
    if words <= _MAX_WORDS_STRONG and (_COPYRIGHT.search(line) or _PHRASE_RE.search(low)):
        return True
    if words <= _MAX_WORDS_LEGAL and _LEGAL_NOTICE.search(line.strip()):
        return True
    if words <= 15 and _POST_META.match(line):
        return True
    return bool(_NAV.search(line)) and words <= 20 and not _END_PUNCT.search(line)


def weak_evidence(line: str) -> bool:
    """True for a line shaped like furniture (short, unpunctuated, or an imperative prompt);
    on its own not enough: headlines and subheadings look the same."""
    words = len(line.split())
    if words <= 4 and not _END_PUNCT.search(line):
        return True
    return words <= 12 and bool(_IMPERATIVE.match(line)) and not line.endswith((".", "?", "”", '"'))


def boilerplate_lines(lines: Sequence[Line], repeated: set[int] = frozenset()) -> set[int]:
    """Indexes of boilerplate lines: strong lines, plus weak lines in a contiguous run with a strong one.

    ``repeated`` are indexes of lines seen in other articles of the same source (strong evidence
    when short). The first line is only taken on strong evidence (it is usually the headline).
    """
    strong = [strong_evidence(ln.text) or (i in repeated and ln.words <= 15) for i, ln in enumerate(lines)]
    weak = [weak_evidence(ln.text) for ln in lines]
    out = {i for i, s in enumerate(strong) if s}
    i = 0
    while i < len(lines):  # runs of strong-or-weak lines that contain a strong one
        if not (strong[i] or weak[i]):
            i += 1
            continue
        j = i
        while j < len(lines) and (strong[j] or weak[j]):
            j += 1
        if any(strong[i:j]):
            out.update(k for k in range(i, j) if k > 0 or strong[k])
        i = j
    return out


def tail_start(lines: Sequence[Line], boiler: set[int]) -> int:
    """Index of the first line of the trailing boilerplate run (len(lines) if there is none)."""
    k = len(lines)
    while k > 0 and (k - 1) in boiler:
        k -= 1
    return k
