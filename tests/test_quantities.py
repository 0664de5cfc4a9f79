"""Quantities on fictional sentences: values, ranges, bounds, units, counted nouns, and non-quantities."""

from __future__ import annotations

import math

from newsdossier.annotate.quantities import find_quantities
from newsdossier.annotate.quantity_words import lemma


def one(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    return text[q.start : q.end], q.value, q.unit, q.counts


def test_lower_bound_and_counted_noun() -> None:
    assert one("The coastguard flew more than 9,000 patrols.") == ("more than 9,000", (9000.0, math.inf), None, "patrol")


def test_range_with_counted_noun_from_number_of() -> None:
    text = "Estimates of the number of Vellmar harbour staff vary from 3,000 to 6,000."
    assert one(text) == ("from 3,000 to 6,000", (3000.0, 6000.0), None, "staff")


def test_approximation_is_a_ten_percent_range() -> None:
    assert one("Around 800 dockers stayed in Vellmar.") == ("Around 800", (720.0, 880.0), None, "docker")


def test_money_rate_shared_scale() -> None:
    assert one("The canal earns 1-2 billion USD per year.") == ("1-2 billion USD per year", (1e9, 2e9), "USD/year", None)
    assert one("a $5 million grant") == ("$5 million", 5e6, "USD", None)


def test_measures_count_what_follows_of() -> None:
    assert one("Farmers reclaimed 10,000 sq km of marsh.") == ("10,000 sq km", 10000.0, "sq km", "marsh")


def test_adjectives_and_modifiers_skipped() -> None:
    assert one("The 30 combat aircraft returned.")[3] == "aircraft"
    assert one("All 224 passengers survived.")[3] == "passenger"
    assert one("Some 2000 Ostheim volunteers came.")[3] == "volunteer"


def test_spelled_out_numbers_and_percentages() -> None:
    got = [(q.value, q.unit, q.counts) for q in find_quantities("Two thousand bakers and five millers met; prices rose 5%.")]
    assert got == [(2000.0, None, "baker"), (5.0, None, "miller"), (5.0, "%", None)]


def test_not_quantities() -> None:
    text = "1. On March 17, 2016 at 10:30 a.m. the S-400 left for the 3rd time, in 2015, one of them said."
    assert find_quantities(text) == []
    assert find_quantities("Five years of strikes.") == []  # durations belong to the time tagger


def test_lemma_rules() -> None:
    assert [lemma(w) for w in ("troops", "sorties", "aircraft", "countries", "boxes", "people", "analyses")] == [
        "troop", "sortie", "aircraft", "country", "box", "people", "analysis"]


def test_coordinated_modifiers_share_the_counted_head() -> None:
    def counts(text: str) -> list[str | None]:
        return [q.counts for q in find_quantities(text)]

    assert counts("Crews cleared 48 road and rail crossings by noon.") == ["crossing"]
    assert counts("The 12 fire and rescue stations closed.") == ["station"]
    assert counts("The 30 patrol boats and the support teams sailed.") == ["boat"]  # a plural head stays
    assert counts("5 men and women were rescued.") == ["man"]
