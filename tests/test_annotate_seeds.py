"""The entity-merge seed targets of issue 4, on ../shared/seeds (skips when absent).

Every spelling of the air base lands in one entity, as do the two spellings of the port and of
Obama's first name, while Putin, Assad and Obama stay three. Nothing here feeds back into the code.
"""

from __future__ import annotations

import re

from newsdossier.model import Dossier


def _ids(d: Dossier, pattern: str) -> dict[str, set[str]]:
    """Entity id -> the mention texts that match ``pattern`` (a whole word)."""
    word = re.compile(rf"\b(?:{pattern})\b")
    out: dict[str, set[str]] = {}
    for a in d.articles:
        for e in a.entities:
            found = word.search(a.text[e.start : e.end])
            if found:
                out.setdefault(e.entity_id, set()).add(found.group(0))
    return out


def test_every_spelling_of_the_air_base_is_one_entity(seed_dossier: Dossier) -> None:
    ids = _ids(seed_dossier, "Hmeymim|Hmeimim|Khmeymim|Hemeimeem")
    assert len(ids) == 1, ids
    assert set().union(*ids.values()) == {"Hmeymim", "Hmeimim", "Khmeymim", "Hemeimeem"}


def test_port_and_misspelled_first_name_merge(seed_dossier: Dossier) -> None:
    assert len(_ids(seed_dossier, "Tartus|Tartous")) == 1
    obama = _ids(seed_dossier, "Barack Obama|Barrack Obama")
    assert len(obama) == 1 and set().union(*obama.values()) == {"Barack Obama", "Barrack Obama"}


def test_putin_assad_and_obama_stay_three(seed_dossier: Dossier) -> None:
    people = [_ids(seed_dossier, name) for name in ("Putin", "Assad", "Obama")]
    assert all(people)
    ids = [set(p) for p in people]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
