"""``newsdossier eval clustering``: the metrics, and a run on a small fictional JSONL."""

from __future__ import annotations

import json

import pytest

from newsdossier.evaluate.clustering import bcubed, main, pairwise, scores, topic_folds


def test_bcubed_and_pairwise_on_known_cases():
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, [1, 1, 2, 2]) == (1.0, 1.0, 1.0)
    p, r, f = bcubed(gold, [1, 1, 1, 1])
    assert p == pytest.approx(0.5) and r == 1.0 and f == pytest.approx(2 / 3)
    p, r, f = pairwise(gold, [1, 2, 3, 4])
    assert p == 1.0 and r == 0.0 and f == 0.0
    s = scores(gold, ["x", "x", "y", "y"])
    assert s["ari"] == pytest.approx(1.0) and s["gold_clusters"] == s["pred_clusters"] == 2


def test_topic_folds_keep_a_topic_together():
    folds = topic_folds(["1", "2", "10", "1", "3"], k=2)
    assert len(folds) == 2
    for mask in folds:
        picked = {t for t, m in zip(["1", "2", "10", "1", "3"], mask) if m}
        assert not (picked & {t for t, m in zip(["1", "2", "10", "1", "3"], mask) if not m})


def test_eval_runs_on_a_small_file(tmp_path, capsys):
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from test_link import EVENT_DETAILS, make_event

    rows = []
    plan = [("strike", 0, 1), ("strike", 1, 1), ("flood", 2, 2), ("flood", 3, 2), ("election", 4, 3), ("election", 5, 3)]
    for e, (kind, d, topic) in enumerate(plan):
        for k, a in enumerate(make_event(kind, EVENT_DETAILS[d], "2020-01-01", 3, 100 + e)):
            rows.append({"doc_id": f"{e}_{k}", "topic": topic, "subtopic": f"{topic}-{e}", "title": None, "text": a.text})
    data = tmp_path / "docs.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(data, predictions=out) == 0
    report = capsys.readouterr().out
    assert "cross-validated by topic (HONEST)" in report and "baseline" in report
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(preds) == len(rows) and all(p["story_id"] for p in preds)


def test_eval_names_a_bad_line(tmp_path):
    data = tmp_path / "bad.jsonl"
    data.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    with pytest.raises(SystemExit, match="bad.jsonl:1"):
        main(data)
