"""The patterns of the time tagger, each with its resolver (:mod:`time_resolve`), in priority order.

Patterns propose candidate spans; :mod:`times` keeps the longest non-overlapping ones (ties: the earlier
rule). Every pattern contains a word :data:`TRIGGER` finds, so the rules run only in windows around
those words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import time_refs as refs
from . import time_resolve as r

try:  # the guard reads patterns with CPython's private sre parser: without it, patterns stay as they are
    from .regex_guard import guarded
except (ImportError, AttributeError):  # pragma: no cover - another Python implementation or version

    def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
        return pattern

Resolver = Callable[[re.Match[str], r.Ctx], "tuple[str, str] | None"]

_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June?\.?|July?\.?|Aug(?:ust|\.)?"
    r"|Sep(?:tember|t\.|t|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# Alone (no day or year after it) a month must be spelled out or dotted: "Jan Kavan" is a name.
_MONTH_ALONE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.)(?:(?<=\.)|(?!\w))"  # whole words: not "Mayor", "Marching"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"(?:twenty|thirty|forty|fifty)-(?:one|two|three|four|five|six|seven|eight|nine)|a few|several|a couple of)"
)
_PART = r"(?:morning|afternoon|evening|night)"
_AMPM = r"(?i:[ap]\.m\.|[ap]\.m\b|[ap]m\b)"
_UNITS_19 = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_TEENS = r"(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
_SPELLED_YEAR = (
    rf"(?:(?:eighteen|nineteen)\s+(?:{_TENS}(?:[-\s]{_UNITS_19})?|{_TEENS}|hundred|oh\s+{_UNITS_19})"
    rf"|two\s+thousand(?:\s+(?:and\s+)?(?:{_TEENS}|{_UNITS_19}|{_TENS}(?:[-\s]{_UNITS_19})?))?"
    rf"|twenty\s+(?:{_TEENS}|{_TENS}(?:[-\s]{_UNITS_19})?))"
)
_HOLIDAY = (
    r"(?:Thanksgiving(?:\s+Day)?|Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]?s\s+(?:Day|Eve)|Easter(?:\s+(?:Sunday|Monday))?"
    r"|Good\s+Friday|Palm\s+Sunday|Ash\s+Wednesday|Pentecost|Independence\s+Day|Fourth\s+of\s+July|Bastille\s+Day"
    r"|Halloween|Veterans\s+Day|Armistice\s+Day|Remembrance\s+Day|Boxing\s+Day|Memorial\s+Day|Labor\s+Day"
    r"|Martin\s+Luther\s+King(?:\s+Jr\.?)?\s+Day|Presidents['’]?\s+Day|Columbus\s+Day|Election\s+Day"
    r"|Valentine['’]?s\s+Day|St\.?\s+Patrick['’]?s\s+Day)\b"
)

_I = "(?i:{})".format
_SP = r"[^\S\n]+"  # spaces within a line
_DECADE_WORD = "(?:{})".format("|".join(r.DECADE_WORDS))
_ORDINAL_CENTURY = r"(?:1st|1\d(?:th)|[2-9](?:st|nd|rd|th)|2[01](?:st|th)|{})".format(
    "|".join(r.CENTURY_WORDS))
_PLURAL_UNIT = r"(?:days|weeks|months|years|quarters|decades)\b"
_YEAR_REL = r"(?i:year-ago|year-earlier|(?:last|next|this)\s+year['’]s)"


Rule = tuple[re.Pattern[str], Resolver, tuple[str, ...]]


def _rule(pattern: str, resolver: Resolver, needs: tuple[str, ...] = ()) -> Rule:
    """A pattern, its resolver, and words one of which every match contains (lower-case): without any of
    them in the text the rule is skipped (speed). The pattern is guarded by its first characters (speed,
    same matches: :mod:`regex_guard`)."""
    return guarded(re.compile(pattern)), resolver, needs


# "2000 Russian soldiers": a number followed by a plural noun counts things, it is no year.
_COUNTED_AFTER = r"(?:\s+[A-Z][a-z]+)?\s+(?!(?:was|has|is|does|says|marks|sees|remains|its|this|his|as|plus)\b)[a-z]{2,}s\b"
_FISCAL_QUAL = "(?i:latest|last|past|previous|most recent|recent|year-earlier|year-ago|comparable|same|current|this)"
# "a quarter of the vote", "quarter-century", "four-quarter test": no calendar quarter.
_QUARTER_WORD = r"(?<![-\w])(?i:quarter)(?![-\w])(?!\s+(?i:of|century|point|mile|inch|hour|pound)\b)"
# What every match of a rule with a month / a weekday holds, lower-cased ("Sept." -> "sep", "March" -> "mar")
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
RULES: tuple[Rule, ...] = (
    _rule(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", r.iso, ('-',)),
    _rule(r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>[12]\d|3[01]|0?[1-9])/(?P<y>\d{4}|\d\d)(?![\d/])", r.us_numeric,
          ('/',)),
    _rule(rf"(?:\b(?P<wd>{_WEEKDAY}),?{_SP})?\b(?P<mon>{_MONTH})\s+(?P<day>{_DAY})\b(?!:\d)(?:,?{_SP}(?P<year>{_YEAR})\b)?",
          r.month_day, _MONTH_WORDS),
    _rule(rf"(?:\b(?P<wd>{_WEEKDAY}),?{_SP})?\b(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?{_SP}(?P<year>{_YEAR})\b)?",
          r.month_day, _MONTH_WORDS),
    _rule(rf"\b(?P<mon>{_MONTH}),?\s+(?:of\s+)?(?P<year>{_YEAR})\b", r.month_year, _MONTH_WORDS),
    _rule(rf"(?:\b(?P<rel>{_I('last|next|this')})\s+)?\b(?P<mon>(?!May\b){_MONTH_ALONE})(?!\s+\d)"
          rf"(?:\s+(?:{_I('of')}\s+)?(?P<yrel>{_I('last|this|next')})\s+{_I('year')}\b)?", r.bare_month,
          _MONTH_WORDS),
    _rule(rf"\b(?P<rel>)(?P<mon>May)\b(?!\s+\d)(?:\s+(?:{_I('of')}\s+)?(?P<yrel>{_I('last|this|next')})\s+{_I('year')}\b)?",
          r.may, ('may',)),
    _rule(rf"(?:\b(?P<rel>{_I('last|next|this')})\s+)?\b(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_I(_PART)}))?\b", r.weekday,
          _WEEKDAY_WORDS),
    _rule(rf"\b{_I('the')}\s+(?P<rel>{_I('previous|preceding|following')})\s+(?P<wd>{_WEEKDAY})\b", refs.discourse_weekday,
          ('previous', 'preceding', 'following')),
    _rule(rf"\b(?P<word>{_I('today|yesterday|tomorrow|tonight')})(?:\s+(?P<part>{_I(_PART)}))?\b", r.relative_day),
    _rule(rf"\b(?P<word>{_I('this')})\s+(?P<part>{_I('morning|afternoon|evening')})\b", r.relative_day),
    _rule(rf"\b(?P<word>{_I('last')})\s+(?P<part>{_I('night')})\b", r.relative_day),
    _rule(rf"\b(?:{_I('the')}\s+)?(?P<rel>{_I('this|last|next|past|previous|coming|current')})\s+"
          rf"(?:{_I('fiscal|calendar')}\s+)?(?P<unit>{_I('week|weekend|month|year|quarter|decade|century|spring|summer|fall|autumn|winter')})\b",
          r.relative_unit),
    _rule(rf"\b{_I('the')}\s+(?P<unit>{_I('weekend')})\b", r.the_weekend, ('weekend',)),
    _rule(rf"\b{_I('the')}\s+(?:{_I('full|fiscal|calendar|entire|whole')}\s+)?{_I('year')}\b"
          rf"(?!\s+(?:{_I('before|after|earlier|later|ago|two|nineteen|of|in|when|that|since|to')})\b|\s*\d|-)"
          r"|\b(?i:year-end|year end|year['’]s end)\b", r.the_year),
    _rule(rf"\b(?P<n>{_I(_NUM)})\s+(?P<unit>{_I('days?|weeks?|months?|years?|decades?')})\s+"
          rf"(?P<dir>{_I('ago|earlier|before|from now|hence|later')})\b", r.ago,
          ('ago', 'earlier', 'before', 'now', 'hence', 'later')),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:{_FISCAL_QUAL}\s+)+(?:{_I('fiscal')}\s+)?(?P<unit>{_I('quarter|period')})\b"
          rf"|\b{_I('year-earlier|year-ago')}\b(?!\s+(?i:quarter))|\b(?:{_I('the')}\s+)?{_QUARTER_WORD}", r.fiscal_quarter,
          ('quarter', 'period', 'year-earlier', 'year-ago')),
    _rule(rf"\b(?P<fiscal>{_I('fiscal')}\s+)?(?<![$£€#\d,.])(?P<year>{_YEAR})\b"
          rf"(?![,.]?\d|%|\s*(?i:percent|per cent))(?(fiscal)|(?!{_COUNTED_AFTER}))", r.year),
    _rule(rf"\b(?:{_I('the')}\s+{_I('year')}\s+)?(?P<words>{_I(_SPELLED_YEAR)})\b(?!\s+(?i:people|percent|dollars))",
          r.spelled_year, ('eighteen', 'nineteen', 'thousand', 'twenty')),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:(?:{_I('early|late|mid')})-?\s*)?(?:(?P<dec>(?:1[89]|20)\d0)s|'(?P<short>\d0)s)\b",
          r.decade, ('0s', 'ties')),
    # "the 70s", "the late eighties": a decade without its century, the latest one not after the anchor
    _rule(rf"\b{_I('the')}\s+(?:(?:{_I('early|late|mid')})-?\s*)?(?:(?P<short>[2-9]0)s|(?P<word>{_I(_DECADE_WORD)}))\b",
          r.decade, ('0s', 'ties')),
    _rule(rf"\b(?:{_I('the')}\s+)?(?P<ord>{_I(_ORDINAL_CENTURY)})[-\s]{_I('century')}\b", r.century,
          ('century',)),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:(?P<rel>{_I('last|this|next|early|late')})\s+)?(?P<season>{_I('spring|summer|autumn|winter|fall')})"
          rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?\b", r.season,
          ('spring', 'summer', 'autumn', 'winter', 'fall')),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:{_I('fiscal|calendar')}[-\s])?(?P<ord>{_I('first|second|third|fourth|1st|2nd|3rd|4th')})"
          rf"[-\s](?P<unit>{_I('quarter|half')})\b(?:\s+(?:of\s+)?(?:{_I('fiscal')}\s+)?(?P<year>{_YEAR})\b)?", r.quarter,
          ('quarter', 'half')),
    # "the 1988 third quarter", "the 1988 period", "year-ago third quarter", "next year's first quarter"
    _rule(rf"\b(?:{_I('the')}\s+)?(?:(?P<year>{_YEAR})|(?P<yrel>{_YEAR_REL}))"
          rf"\s+(?:(?P<ord>{_I('first|second|third|fourth|1st|2nd|3rd|4th')})[-\s])?(?:{_I('fiscal')}\s+)?"
          rf"(?P<unit>{_I('quarter|period|half')})\b", r.year_quarter, ('quarter', 'period', 'half')),
    # "the last half of 1989", "the final quarter of 2015": the last one of a stated year
    _rule(rf"\b(?:{_I('the')}\s+)?(?P<ord>{_I('last|final|latter')})[-\s](?P<unit>{_I('quarter|half')})\s+of\s+"
          rf"(?:{_I('fiscal')}\s+)?(?P<year>{_YEAR})\b", r.quarter, ('quarter', 'half')),
    # "the week of March 6": that day's ISO week
    _rule(rf"\b{_I('the')}\s+{_I('week')}\s+of\s+(?P<mon>{_MONTH})\s+(?P<day>{_DAY})\b(?!:\d)(?:,?\s+(?P<year>{_YEAR})\b)?",
          r.week_of, ('week',)),
    _rule(rf"\b(?:(?P<h>1[0-2]|0?\d)(?::(?P<min>[0-5]\d))?\s*(?P<ampm>{_AMPM})"
          rf"|(?<!(?i:high) )(?P<noon>{_I('noon|midnight|midday')})\b)", r.clock),
    _rule(r"(?<![\d:.])(?P<h>[01]?\d|2[0-3]):(?P<min>[0-5]\d)\s*(?P<zone>UTC|GMT|Z)\b", r.clock_24,
          ('utc', 'gmt', 'z')),
    # "to end the day", "late in the day", "for the day": the day the report is about (context in the resolver)
    _rule(rf"\b{_I('late|early|later|earlier')}\s+in\s+{_I('the')}\s+{_I('day')}\b", refs.report_day,
          ('the day',)),
    _rule(rf"\b{_I('the')}\s+{_I('day')}\b(?!\s+(?i:before|after|of|when|that|he|she|they|it|we)\b)", refs.report_day,
          ('the day',)),
    _rule(r"(?<=\s)['’](?P<short>\d\d)\b(?!['’]?s)", r.short_year, ("'", '’')),
    _rule(rf"(?:\b(?P<rel>{_I('last|next|this')})\s+)?\b(?P<name>{_HOLIDAY})(?:,?\s+(?P<year>{_YEAR})\b)?", r.holiday),
    _rule(rf"\b(?:{_I('earlier|later')}\s+)?(?P<rel>{_I('that same|that|the same|the following|the next|the previous|the preceding')})\s+"
          rf"(?P<unit>{_I('year|month|day|week|morning|afternoon|evening|night')})\b(?!\s+(?:or|of)\b)", refs.discourse),
    _rule(rf"\b(?:{_I('right now|now|currently|current|recently|recent|soon|the past')}|{_I('the near future|the future')})\b(?!-)"
          rf"(?!\s+(?:\d+|{_I('a few|few|several|two|three|four|five|six|seven|eight|nine|ten')})\s+{_I(_PLURAL_UNIT)})",
          refs.ref),
    _rule(rf"\b(?:{_I('the')}\s+)?(?:(?P<rel>{_I('recent|coming|upcoming|past')})(?:\s+{_I('few|several|couple of')})?"
          rf"|(?P<rel2>{_I('last|next')})\s+{_I('few|several|couple of')}"
          rf"|(?P<these>{_I('these')}))\s+{_I(_PLURAL_UNIT)}\b", refs.vague_period),
)

# Seasons need a qualifier or a year ("fall" alone is a verb); the lookbehind above cannot say that, so:
SEASON_OK = re.compile(r"(?i)^(?:the\s+)?(?:last|this|next|early|late)\s|\d{4}$|^the\s")
# A qualifier before a date widens its span: "the end of September", "early 2016", "mid-March".
MODIFIER = re.compile(
    r"(?i)(?:\b(?:the\s+)?(?:end|beginning|start|middle|close|first\s+half|second\s+half)\s+of\s+(?:the\s+)?"
    r"|\b(?:early|late|mid)-?\s*|\b(?:earlier|later)\s+)$"
)
# Between a clock time and its day: "9 a.m. Tuesday", "5 p.m. EST, Nov. 9", "Friday at 10 p.m."
ATTACH = re.compile(r"^(?:\s*,\s*|\s+(?:on\s+|at\s+)?|\s+\(?(?:\d{3,4}\s*)?(?:[ECMP][SD]T|GMT|UTC)\)?,?\s+(?:on\s+)?)$")

# Every rule's match contains one of these; the rules run only in windows around them (speed). Searched
# in lower-cased text, except :data:`TRIGGER_CASED` (holiday names: lower-case "labor", "election" are
# everywhere in news).
TRIGGER = guarded(re.compile(
    r"\b(?:\d{4}|\d{1,2}[:/]|\d{1,2}\s*[ap]\.?m|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"today|yesterday|tomorrow|tonight|week|month|year|quarter|decade|centur|[2-9]0s\b|(?:twen|thir|for|fif|six|seven|eigh|nine)ties\b|spring|summer|fall\b|autumn|"
    r"winter|half|period|now\b|current|recent|future|soon|the past|noon|midnight|midday|night|morning|evening|"
    r"afternoon|days?\b|ago\b|nineteen|eighteen|two thousand|twenty (?:ten|eleven|twelve|t[a-z]+teen|fifteen|twenty)|"
    r"(?:the|that|same|following|next|previous|preceding) (?:day|year|month|week))|(?<=\s)['’]\d\d\b"
))
TRIGGER_CASED = guarded(re.compile(
    r"\b(?:Thanksgiving|Christmas|Easter|New Year|Good Friday|Palm Sunday|Ash Wednesday|Pentecost|Independence Day|"
    r"Fourth of July|Bastille|Halloween|Veterans|Armistice|Remembrance|Boxing Day|Memorial Day|Labor Day|"
    r"Martin Luther|Presidents|Columbus Day|Election Day|Valentine|St\.? Patrick)"
))
