"""Incremental add with stored link records: same assignments as a full relink, stable ids, idempotent,
order-independent, and the records survive the store. Fictional fixtures only (see test_link)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_link import EVENT_DETAILS, by_story, make_event

from newsdossier.link import StoredStories, link_articles
from newsdossier.link.records import LinkRecord
from newsdossier.model import Article, Published, article_id
from newsdossier.store import Store


@pytest.fixture(scope="module")
def events() -> list[list[Article]]:
    return [
        make_event("strike", EVENT_DETAILS[0], "2019-03-04", 4, 11),
        make_event("strike", EVENT_DETAILS[1], "2020-05-11", 4, 12),
        make_event("flood", EVENT_DETAILS[2], "2018-10-01", 4, 13),
        make_event("flood", EVENT_DETAILS[3], "2021-02-15", 3, 14),
        make_event("election", EVENT_DETAILS[4], "2020-05-11", 4, 15),
        make_event("election", EVENT_DETAILS[5], "2022-07-07", 2, 16),
    ]


def _first_run(articles: list[Article]) -> tuple[list[Article], StoredStories]:
    memory = StoredStories()
    linked, stories = link_articles(articles, memory)
    return linked, StoredStories(stories, memory.fresh)


def _assignment(linked: list[Article], ids: set[str]) -> dict[str, str]:
    return {a.id: a.story_id for a in linked if a.id in ids}


def test_full_run_leaves_a_record_for_every_article(events):
    arts = [a for e in events for a in e]
    memory = StoredStories()
    link_articles(arts, memory)
    assert set(memory.fresh) == {a.id for a in arts}


def test_incremental_add_equals_full_relink_for_the_new_articles(events):
    first = [a for e in events for a in e[:2]]
    later = [a for e in events for a in e[2:]] + make_event("flood", EVENT_DETAILS[1], "2023-01-09", 2, 17)
    linked1, stored = _first_run(first)
    plain = tuple(stored)
    inc_arts, inc_stories = link_articles(linked1 + later, stored)
    full_arts, full_stories = link_articles(linked1 + later, plain)
    new_ids = {a.id for a in later}
    assert _assignment(inc_arts, new_ids) == _assignment(full_arts, new_ids)
    assert sorted(s.article_ids for s in inc_stories) == sorted(s.article_ids for s in full_stories)
    assert set(stored.fresh) >= new_ids, "every new article gets a record to store"
    old_ids = {s.id for s in plain}
    assert old_ids <= {s.id for s in inc_stories}, "an existing story lost its id"
    assert by_story(inc_arts) == {frozenset(a.id for a in e) for e in events} | {
        frozenset(a.id for a in later[-2:])}


def test_incremental_add_is_idempotent_and_order_independent(events):
    first = [a for e in events for a in e[:2]]
    later = [a for e in events for a in e[2:]]
    linked1, stored = _first_run(first)
    a1, s1 = link_articles(linked1 + later, StoredStories(stored, stored.records))
    shuffled = later[:]
    random.Random(3).shuffle(shuffled)
    a2, s2 = link_articles(shuffled + linked1[::-1], StoredStories(stored, stored.records))
    assert s1 == s2
    assert {a.id: a.story_id for a in a1} == {a.id: a.story_id for a in a2}
    # adding nothing new changes nothing
    again = StoredStories(s1, {**stored.records, **_fresh_after(linked1 + later, stored)})
    a3, s3 = link_articles(a1, again)
    assert s3 == s1
    assert {a.id: a.story_id for a in a3} == {a.id: a.story_id for a in a1}


def _fresh_after(arts, stored):
    memory = StoredStories(stored, stored.records)
    link_articles(arts, memory)
    return memory.fresh


def test_a_new_copy_of_an_old_article_is_its_duplicate(events):
    first = [a for e in events for a in e]
    linked1, stored = _first_run(first)
    orig = first[0]
    text = orig.text + "\nShared by a reader."
    copy = Article(article_id(text), "copy", text, source="Other outlet", published=Published("2019-03-06", "metadata"))
    linked, _ = link_articles(linked1 + [copy], stored)
    got = {a.id: a for a in linked}[copy.id]
    assert got.duplicate_of == orig.id
    assert got.story_id == {a.id: a for a in linked}[orig.id].story_id


def test_records_round_trip_through_the_store(tmp_path: Path, events):
    arts = [a for e in events for a in e]
    memory = StoredStories()
    link_articles(arts, memory)
    with Store(tmp_path / "s.db") as store:
        store.add_articles(arts)
        store.save_link_records((aid, r.to_bytes()) for aid, r in memory.fresh.items())
    with Store(tmp_path / "s.db") as store:
        blobs = store.link_records()
    assert set(blobs) == set(memory.fresh)
    for aid, blob in blobs.items():
        back = LinkRecord.from_bytes(blob)
        want = memory.fresh[aid]
        assert back.view.names == want.view.names and back.view.date == want.view.date
        assert back.pair_ids == want.pair_ids and back.duplicate_of == want.duplicate_of
        assert (back.view.body.hashes == want.view.body.hashes).all()
        assert back.to_bytes() == want.to_bytes()


def test_a_record_of_another_version_is_ignored(events):
    a = events[0][0]
    memory = StoredStories()
    link_articles([a], memory)
    blob = bytearray(memory.fresh[a.id].to_bytes())
    blob = bytes(blob).replace(b'"v": 1', b'"v": 0', 1)
    assert LinkRecord.from_bytes(blob) is None


def test_event_date_from_a_relative_day_against_a_known_publication_date():
    text = ("The council of Tarnby voted on Monday to close the old ferry pier, mayor Ines Koller said. "
            "The vote passed by nine to four after a long debate about repair costs.")
    a = Article(article_id(text), "pier", text, published=Published("2021-06-09", "metadata"))
    from newsdossier.annotate import annotate_articles

    _, stories = link_articles(annotate_articles([a]))
    assert stories[0].event_date == "2021-06-07"
    assert any("event date 2021-06-07" in w for w in stories[0].why)


def _write_jsonl(path: Path, arts: list[Article]) -> Path:
    import json

    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": a.input, "source": a.source, "published": a.published.date,
                                "text": a.text}) + "\n" for a in arts)
    return path


def test_analyze_on_a_store_links_only_the_new_articles(tmp_path: Path, events, monkeypatch):
    from newsdossier import analyze
    from newsdossier.link import incremental

    first = [a for e in events[:3] for a in e[:2]]
    later = [a for e in events[:3] for a in e[2:]]
    db = tmp_path / "s.db"
    d1 = analyze(_write_jsonl(tmp_path / "first.jsonl", first), db=db)
    with Store(db) as store:
        assert len(store.link_records()) == len(first)
    seen = []
    real = incremental.link_increment
    monkeypatch.setattr(incremental, "link_increment", lambda arts, ex: seen.append(len(arts)) or real(arts, ex))
    d2 = analyze(_write_jsonl(tmp_path / "later.jsonl", later), db=db)
    assert seen == [len(first) + len(later)], "the second run took the incremental path"
    assert {s.id for s in d1.stories} <= {s.id for s in d2.stories}
    events_per_story = [{a.external_id.split("-")[1] for a in d2.articles if a.story_id == s.id} for s in d2.stories]
    assert len(events_per_story) == 3 and all(len(e) == 1 for e in events_per_story)
    with Store(db) as store:
        assert len(store.link_records()) == len(first) + len(later)
