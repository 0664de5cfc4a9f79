from __future__ import annotations

import json
from pathlib import Path

import newsdossier
from newsdossier.render import write_outputs
from newsdossier.store import Store


def _strip_generated(doc: str) -> dict:
    d = json.loads(doc)
    d.pop("generated_at")
    return d


def test_analyze_returns_dossier_of_every_article(corpus: Path) -> None:
    dossier = newsdossier.analyze(corpus)
    assert len(dossier.articles) == 3
    assert dossier.rejected == ()
    assert {a.input for a in dossier.articles} == {str(corpus / n) for n in ("a.txt", "b.txt", "c.txt")}
    # every article belongs to exactly one story
    members = [aid for s in dossier.stories for aid in s.article_ids]
    assert sorted(members) == sorted(a.id for a in dossier.articles)
    for a in dossier.articles:
        assert a.story_id is not None


def test_segments_partition_each_text(corpus: Path) -> None:
    for a in newsdossier.analyze(corpus).articles:
        pos = 0
        for s in a.segments:
            assert s.start == pos and s.end > s.start
            pos = s.end
        assert pos == len(a.text)


def test_second_run_is_identical_and_adds_nothing(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    outs = []
    for i in range(2):
        d = newsdossier.analyze([corpus], db=db)
        outs.append(write_outputs(d, tmp_path / f"out{i}", ["json"])[0].read_text(encoding="utf-8"))
    assert _strip_generated(outs[0]) == _strip_generated(outs[1])
    with Store(db) as store:
        assert store.count_articles() == 3


def test_store_grows_and_dossier_covers_it(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    newsdossier.analyze([corpus / "a.txt"], db=db)
    d = newsdossier.analyze([corpus / "b.txt"], db=db)
    assert len(d.articles) == 2


def test_rejections_do_not_stop_the_run(corpus: Path) -> None:
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    d = newsdossier.analyze([corpus, corpus / "missing.txt"])
    assert len(d.articles) == 3
    rejected = {r.input for r in d.rejected}
    assert str(corpus / "missing.txt") in rejected
    assert any(r.endswith("empty.txt") for r in rejected)
    assert all(r.reason for r in d.rejected)


def test_an_annotator_failure_costs_one_layer_not_the_run(corpus: Path, monkeypatch, caplog) -> None:
    import newsdossier.annotate as annotate

    def broken(text: str) -> list:
        raise ValueError("boom")

    monkeypatch.setattr(annotate, "find_quantities", broken)
    d = newsdossier.analyze(corpus)
    assert len(d.articles) == 3 and all(a.quantities == () for a in d.articles)
    assert any("quantities failed" in r.message and "a.txt" in r.message for r in caplog.records)
