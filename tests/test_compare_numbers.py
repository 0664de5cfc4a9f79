"""Number groups and conflicts: ranges, approximations, situations, units, and which text counts."""

from __future__ import annotations

import math

from test_compare_fixtures import make_article

from newsdossier.compare.independence import independence_groups
from newsdossier.compare.numbers import compatible, number_groups, quantity_groups, value_interval
from newsdossier.compare.text import fact_units
from newsdossier.model import Quantity, QuantityGroup


def _groups(*arts) -> list[QuantityGroup]:
    units = {a.id: fact_units(a) for a in arts}
    return list(quantity_groups(number_groups(arts, units, independence_groups(arts))))


def _art(aid: str, sentence: str, surface: str, value, counts, unit=None, kind="reporting"):
    return make_article(aid, [(kind, sentence)], source=f"Outlet {aid}", quantities=[(surface, value, counts, unit)])


def test_exact_values_that_differ_conflict() -> None:
    (g,) = _groups(
        _art("a", "The collapse killed 127 people, the police said.", "127", 127.0, "people"),
        _art("b", "Police said 129 people were killed in the collapse.", "129", 129.0, "people"),
    )
    assert g.conflict


def test_approximation_does_not_conflict_with_the_value_it_rounds() -> None:
    (g,) = _groups(
        _art("a", "The terminal employs 800 dockworkers on three shifts.", "800", 800.0, "dockworker"),
        _art("b", "Around 800 workers are employed at the terminal.", "800", 800.0, "worker"),
        _art("c", "The terminal has some 780 workers on its payroll.", "780", 780.0, "worker"),
    )
    assert not g.conflict  # 780 exact sits inside "around 800"
    assert len(g.values) == 3


def test_approximation_still_conflicts_with_a_far_value() -> None:
    (g,) = _groups(
        _art("a", "Around 1,200 workers are employed at the terminal.", "1,200", 1200.0, "worker"),
        _art("b", "The terminal employs 2,500 dockworkers, the company said.", "2,500", 2500.0, "dockworkers"),
    )
    assert g.conflict


def test_value_inside_a_range_does_not_conflict_but_outside_does() -> None:
    (g,) = _groups(
        _art("a", "Estimates put the number of troops in the region at 3,000 to 6,000.", "3,000 to 6,000", (3000.0, 6000.0), "troop"),
        _art("b", "About 4,500 soldiers are stationed in the region.", "4,500", 4500.0, "soldier"),
    )
    assert not g.conflict
    (g,) = _groups(
        _art("a", "Estimates put the number of troops in the region at 3,000 to 6,000.", "3,000 to 6,000", (3000.0, 6000.0), "troop"),
        _art("b", "Some 2,000 soldiers are stationed in the region.", "2,000", 2000.0, "soldier"),
    )
    assert g.conflict


def test_more_than_is_a_lower_bound() -> None:
    (g,) = _groups(
        _art("a", "More than 300 houses were flooded in the valley.", "300", 300.0, "house"),
        _art("b", "The flood reached 450 houses in the valley, officials said.", "450", 450.0, "house"),
    )
    assert not g.conflict
    text = "More than 300 houses were flooded."
    assert value_interval(text, Quantity(10, 13, 300.0)) == (300.0, math.inf)


def test_different_situations_are_different_groups() -> None:
    groups = _groups(
        _art("a", "The blast killed 12 people in the market.", "12", 12.0, "people"),
        _art("b", "At the market 40 people were injured by the blast.", "40", 40.0, "people"),
        _art("c", "Some 3,000 troops are deployed in the province.", "3,000", 3000.0, "troop"),
        _art("d", "Around 800 troops will remain in the province after the pullout.", "800", 800.0, "troops"),
    )
    assert len(groups) == 4
    assert not any(g.conflict for g in groups)
    labels = {g.counts for g in groups}
    assert any("killed" in lab for lab in labels) and any("injured" in lab for lab in labels)
    assert any("remaining" in lab for lab in labels)


def test_unit_conversion_and_different_currencies() -> None:
    groups = _groups(
        _art("a", "The new port lies 140 km to the west of the town.", "140 km", 140.0, None, "km"),
        _art("b", "The new port lies 87 miles west of the old one.", "87 miles", 87.0, None, "mile"),
        _art("c", "The wind-down will take 90 days, the company said.", "90 days", 90.0, None, "day"),
        _art("d", "The wind-down should take three months, the company said.", "three months", 3.0, None, "month"),
    )
    assert len(groups) == 2
    assert not any(g.conflict for g in groups)


def test_same_outlet_never_conflicts_with_itself_and_comments_do_not_count() -> None:
    a = make_article(
        "a",
        [
            ("reporting", "Two of the five cranes will be moved by barge."),
            ("reader_comment", "Rubbish, there are 9 cranes there, I worked on them."),
        ],
        source="Outlet A",
        quantities=[("Two", 2.0, "crane", None), ("five", 5.0, "cranes", None), ("9", 9.0, "cranes", None)],
    )
    (g,) = _groups(a)
    assert not g.conflict
    assert sorted(v.value for v in g.values) == [2.0, 5.0]


def test_compatible_intervals() -> None:
    assert compatible((800.0, 800.0), (720.0, 880.0))
    assert not compatible((127.0, 127.0), (129.0, 129.0))
    assert compatible((3000.0, 6000.0), (6000.0, 6000.0))
