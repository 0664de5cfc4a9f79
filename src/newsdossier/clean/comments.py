"""Reader-comment sections: from a comment header ("2 Responses to …", "14 comments", "Comments (3)")
or, without one, from the first of several commenter bylines ("Jane says:", "Reply") to the end of
the text; the caller takes the trailing boilerplate (the comment form) off again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import Line

_NUM = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
_HEADER = re.compile(
    rf"^(?:{_NUM}\s+(?:responses?|comments?|replies|reactions|thoughts)(?:\s+(?:to|on|for)\b.*)?"
    r"|(?:reader\s+|user\s+)?comments?\s*(?:\(\d+\))?:?"
    r"|what (?:readers|people) (?:are saying|said):?"
    r"|discussion\s*(?:\(\d+\))?:?)$",
    re.IGNORECASE,
)
# "Jane Doe says:" / "Jane Doe says: March 3, 2016 at 5:02 pm" / "jdoe on 3 March 2016 at 17:02 said:"
_COMMENTER = re.compile(
    r"^\S.{0,60}?\s(?:says|said|wrote|commented)\s*:(?:\s.*\d{4}.*)?$|"
    r"^\S.{0,60}?\s+on\s+.{0,30}\d{4}.{0,20}\bsaid:?$",
    re.IGNORECASE,
)
_MIN_COMMENTERS = 2  # one "X says:" line may be an article quoting someone; two make a thread


def comment_start(lines: Sequence[Line]) -> int | None:
    """Index of the line where the comment section starts, or None."""
    for i, ln in enumerate(lines):
        if i > 0 and ln.words <= 25 and _HEADER.match(ln.text):
            return i
    says = [i for i, ln in enumerate(lines) if i > 0 and _COMMENTER.match(ln.text)]
    if len(says) >= _MIN_COMMENTERS:
        return says[0]
    return None
