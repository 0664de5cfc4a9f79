"""Incremental analysis: a second ``analyze`` reuses the stored analyses and comparisons.

Fictional fixtures: three unrelated events in three fictional towns, each reported by several
fictional outlets; no outlet repeats a line and no name crosses events, so the batch context of
clean and annotate does not matter and an incremental run must equal a from-scratch one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdossier import annotate as annotate_pkg
from newsdossier.api import analyze
from newsdossier.codec import article_to_dict, story_to_dict
from newsdossier.engine import incremental, split
from newsdossier.store import Store

EVENTS = {
    "bridge": [
        ("Valdmoor Herald", "2021-04-12",
         "Old bridge in Valdmoor closes after cracks found\n\n"
         "The Tarnow Bridge in Valdmoor was closed to traffic on Monday after engineers found cracks in "
         "two of its stone arches. Mayor Ilse Fenwright said the bridge would stay shut for at least six "
         "weeks while repairs are planned. About 14,000 vehicles cross the bridge every day, according to "
         "the town transport office. Buses will be diverted through the eastern ring road."),
        ("Ostrava Courier", "2021-04-12",
         "Cracks shut the Tarnow Bridge\n\n"
         "Engineers closed the Tarnow Bridge in Valdmoor on Monday after discovering cracks in two stone "
         "arches. Mayor Ilse Fenwright told reporters the closure would last at least six weeks. The "
         "transport office said some 14,000 vehicles use the crossing daily. Bus routes will run along the "
         "eastern ring road until the bridge reopens."),
        ("Riverside Daily", "2021-04-13",
         "Valdmoor drivers face detours as Tarnow Bridge stays closed\n\n"
         "Drivers in Valdmoor faced long detours on Tuesday, a day after the Tarnow Bridge was closed "
         "because of cracks in its stone arches. Mayor Ilse Fenwright said repairs would take at least six "
         "weeks. The bridge normally carries about 14,000 vehicles a day. Buses now use the eastern ring "
         "road."),
    ],
    "orchard": [
        ("Pellham Gazette", "2022-09-03",
         "Frost destroys half of Pellham apple harvest\n\n"
         "An early frost destroyed about half of the apple harvest in Pellham on Thursday night, the "
         "growers' cooperative said on Friday. Cooperative chair Roderick Alsop said 230 orchards were "
         "affected. The county agriculture board will meet next week to discuss emergency payments to "
         "growers."),
        ("Northfold Times", "2022-09-03",
         "Pellham growers count frost losses\n\n"
         "Growers in Pellham lost roughly half of their apples to an early frost on Thursday night, "
         "according to the growers' cooperative. Its chair, Roderick Alsop, said 230 orchards had been "
         "hit. The county agriculture board is due to discuss emergency payments next week."),
        ("Hillcrest Post", "2022-09-04",
         "Agriculture board to weigh frost aid for Pellham\n\n"
         "The county agriculture board will consider emergency payments for Pellham apple growers after an "
         "early frost on Thursday night destroyed about half of the harvest. Roderick Alsop, chair of the "
         "growers' cooperative, said 230 orchards were damaged by the frost."),
    ],
    "regatta": [
        ("Saltmere Chronicle", "2023-06-18",
         "Rowing club from Kessing wins Saltmere regatta\n\n"
         "The Kessing Rowing Club won the annual Saltmere regatta on Sunday, finishing the final race "
         "four seconds ahead of the home crew. Club captain Mirela Ostrova said the crew had trained every "
         "morning since March. Organisers said 42 boats took part and about 9,000 people watched from the "
         "harbour wall."),
        ("Coastal Weekly", "2023-06-18",
         "Kessing crew takes Saltmere regatta title\n\n"
         "Rowers from the Kessing Rowing Club took the Saltmere regatta title on Sunday, beating the home "
         "crew by four seconds in the final. Captain Mirela Ostrova said they had trained each morning "
         "since March. Some 42 boats raced and around 9,000 spectators lined the harbour wall, organisers "
         "said."),
    ],
}


def _write(folder: Path, items: list[tuple[str, str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.jsonl").write_text(
        "\n".join(json.dumps({"text": t, "source": s, "date": d}) for s, d, t in items) + "\n", encoding="utf-8"
    )
    return folder


@pytest.fixture()
def corpora(tmp_path: Path) -> tuple[Path, Path]:
    a = _write(tmp_path / "a", EVENTS["bridge"] + EVENTS["orchard"][:2])
    b = _write(tmp_path / "b", EVENTS["orchard"][2:] + EVENTS["regatta"])
    return a, b


def _dicts(dossier):
    arts = sorted((article_to_dict(a) for a in dossier.articles), key=lambda d: d["id"])
    stories = sorted((story_to_dict(s) for s in dossier.stories), key=lambda d: d["id"])
    return arts, stories


def _by_members(dossier) -> str:
    """The dossier as JSON with each story id replaced by its article set: a story that grows keeps its
    stored id in an incremental run (link's contract), a from-scratch run names it after its members."""
    text = json.dumps(_dicts(dossier), sort_keys=True)
    for s in dossier.stories:
        text = text.replace(s.id, "story:" + "+".join(sorted(s.article_ids)))
    arts, stories = json.loads(text)
    return json.dumps([arts, sorted(stories, key=lambda d: d["id"])], sort_keys=True)


def _count_annotated(monkeypatch) -> list[int]:
    """Count the articles that go through annotate's per-article pass (every engine uses this one)."""
    calls = [0]
    real = split.annotate_chunk

    def counting(chunk):
        calls[0] += len(chunk)
        return real(chunk)

    monkeypatch.setattr(split, "annotate_chunk", counting)
    from newsdossier.engine import local

    monkeypatch.setattr(local, "annotate_chunk", counting)
    monkeypatch.setattr(local, "annotate_articles",
                        lambda arts: (calls.__setitem__(0, calls[0] + len(arts)), annotate_pkg.annotate_articles(arts))[1])
    return calls


def _count_compared(monkeypatch) -> list[str]:
    compared: list[str] = []
    real = incremental.compare_stories

    def counting(arts, stories, stanced=None):
        compared.extend(s.id for s in stories)
        return real(arts, stories, stanced)

    monkeypatch.setattr(incremental, "compare_stories", counting)
    return compared


def test_second_run_analyses_only_the_new_articles(corpora, tmp_path, monkeypatch):
    a, b = corpora
    db = tmp_path / "store.db"
    first = analyze([a], db=db)
    annotated = _count_annotated(monkeypatch)
    compared = _count_compared(monkeypatch)
    second = analyze([b], db=db)
    assert annotated[0] == 3, "only the three new articles are annotated"
    assert len(second.articles) == 8
    bridge_before = next(s for s in first.stories if len(s.article_ids) == 3)
    bridge_after = next(s for s in second.stories if s.id == bridge_before.id)
    assert bridge_after == bridge_before, "a story no new article touches comes back as stored"
    assert bridge_before.id not in compared and len(compared) == 2  # orchard (grown) and regatta (new)
    old = {x.id: x for x in first.articles if x.story_id == bridge_before.id}
    assert all(x == old[x.id] for x in second.articles if x.id in old)


def test_incremental_run_equals_a_from_scratch_run(corpora, tmp_path):
    a, b = corpora
    db = tmp_path / "store.db"
    analyze([a], db=db)
    incremental_run = analyze([b], db=db)
    scratch = analyze([a, b], db=tmp_path / "scratch.db")
    assert _by_members(incremental_run) == _by_members(scratch)


def test_running_again_with_nothing_new_recomputes_and_changes_nothing(corpora, tmp_path, monkeypatch):
    a, b = corpora
    db = tmp_path / "store.db"
    analyze([a], db=db)
    before = analyze([b], db=db)
    with Store(db) as store:
        rows_before = store.conn.execute("SELECT article_id, data FROM analyses ORDER BY article_id").fetchall()
    annotated = _count_annotated(monkeypatch)
    compared = _count_compared(monkeypatch)
    again = analyze([b], db=db)
    assert annotated[0] == 0 and compared == []
    assert _dicts(again) == _dicts(before)
    with Store(db) as store:
        assert store.conn.execute("SELECT article_id, data FROM analyses ORDER BY article_id").fetchall() == rows_before


def test_a_new_analysis_version_reanalyses_everything(corpora, tmp_path, monkeypatch):
    a, b = corpora
    db = tmp_path / "store.db"
    analyze([a], db=db)
    before = analyze([b], db=db)
    monkeypatch.setattr(incremental, "ANALYSIS_VERSION", incremental.ANALYSIS_VERSION + 1)
    import newsdossier.api as api

    monkeypatch.setattr(api, "ANALYSIS_VERSION", incremental.ANALYSIS_VERSION)
    annotated = _count_annotated(monkeypatch)
    after = analyze([b], db=db)
    assert annotated[0] == 8
    assert _dicts(after) == _dicts(before)
    with Store(db) as store:
        versions = {v for (v,) in store.conn.execute("SELECT analysis_version FROM analyses")}
    assert versions == {incremental.ANALYSIS_VERSION}


def test_an_old_store_without_version_stamps_is_analysed_again_once(corpora, tmp_path, monkeypatch):
    a, b = corpora
    db = tmp_path / "store.db"
    analyze([a, b], db=db)
    with Store(db) as store, store.conn:
        store.conn.execute("UPDATE analyses SET analysis_version = 0")  # as migrated from schema 2
    annotated = _count_annotated(monkeypatch)
    analyze([b], db=db)
    assert annotated[0] == 8
    analyze([b], db=db)
    assert annotated[0] == 8, "the second run reuses what the first stamped"


def test_engines_agree_on_an_incremental_add(corpora, tmp_path):
    a, b = corpora
    results = []
    for engine in ("local", "pool"):
        db = tmp_path / f"{engine}.db"
        analyze([a], db=db, engine=engine)
        results.append(_dicts(analyze([b], db=db, engine=engine, workers=2)))
    assert results[0] == results[1]
