"""Numbers are shown in the article's own words, with the normalised value only where it adds something."""

from __future__ import annotations

import math

from newsdossier.render.story_view import format_quantity, format_value


def test_open_and_half_open_ranges_read_as_words() -> None:
    assert format_value((9000.0, math.inf)) == "9,000 or more"
    assert format_value((9000.0, math.nan)) == "9,000 or more"
    assert format_value((0.0, 40.0)) == "up to 40"
    assert format_value((3000.0, 6000.0)) == "3,000–6,000"
    assert format_value(2.5) == "2.5"


def test_the_wording_comes_first_and_the_value_only_when_it_differs() -> None:
    assert format_quantity((9000.0, math.inf), "more than 9,000") == "more than 9,000"
    assert format_quantity(4000.0, "4000") == "4000"  # the same number, written without a comma
    assert format_quantity((720.0, 880.0), "around 800") == "around 800 (720–880)"
    assert format_quantity(2.0, "two") == "two (2)"
    assert format_quantity(10000.0, "10,000 sq km", "sq km") == "10,000 sq km"  # the unit is not repeated
    assert format_quantity(1.5, "1.5", "billion USD") == "1.5 billion USD"
    assert format_quantity(7.0, "") == "7"  # no wording (a cite that cannot resolve): the value
