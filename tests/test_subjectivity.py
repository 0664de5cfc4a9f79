"""The subjectivity classifier: scikit-learn contract, portable files, the shipped model, the eval command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdossier.clean.subjectivity import SubjectivityClassifier, load
from newsdossier.evaluate import subjectivity as ev

SUBJ = [
    "I think this is a disgraceful decision.",
    "What a wonderful, brilliant idea this is!",
    "We should all be ashamed of this awful mess.",
    "Frankly, the plan is absurd and insulting.",
    "This is the worst policy I have ever seen.",
    "I love how beautiful the new square looks.",
]
OBJ = [
    "The council approved the budget on Monday.",
    "The bridge is 400 metres long.",
    "Trains will run every 20 minutes from March.",
    "The company reported revenue of 3 million euros.",
    "The meeting took place in the town hall.",
    "Police closed the road for two hours.",
]


def trained() -> SubjectivityClassifier:
    return SubjectivityClassifier(C=10.0, char_min_df=1).fit(SUBJ + OBJ, ["SUBJ"] * 6 + ["OBJ"] * 6)


def test_fit_predict_contract():
    clf = trained()
    assert list(clf.classes_) == ["OBJ", "SUBJ"]
    assert list(clf.predict(["I think this is an awful, shameful idea."])) == ["SUBJ"]
    assert list(clf.predict(["The council closed the road on Monday."])) == ["OBJ"]
    proba = clf.predict_proba(SUBJ[:2] + OBJ[:2])
    assert proba.shape == (4, 2) and np.allclose(proba.sum(axis=1), 1.0)
    assert clf.predict([]).shape == (0,) and clf.predict_proba([]).shape == (0, 2)
    assert clf.get_params()["C"] == 10.0


def test_save_and_load_round_trip(tmp_path: Path):
    clf = trained()
    clf.save(tmp_path / "m")
    again = SubjectivityClassifier.from_files(tmp_path / "m")
    probe = SUBJ + OBJ + ["Unseen words entirely: zyx qwv."]
    assert np.allclose(clf.predict_proba(probe), again.predict_proba(probe), atol=1e-5)
    assert {p.name for p in (tmp_path / "m").iterdir()} == {"model.json", "weights.npz"}


def test_rejects_foreign_model_files(tmp_path: Path):
    (tmp_path / "model.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        SubjectivityClassifier.from_files(tmp_path)


def test_shipped_model_is_small_and_predicts():
    folder = Path(__file__).resolve().parents[1] / "src/newsdossier/models/subjectivity"
    assert sum(p.stat().st_size for p in folder.iterdir()) < 25_000_000
    model = load()
    labels = model.predict(["The ministry said 30 aircraft would return this week.", ""])
    assert set(labels) <= {"SUBJ", "OBJ"}


def write_tsv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(
        "sentence_id\tsentence\tlabel\n" + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in rows), "utf-8"
    )
    return path


def test_eval_command_writes_predictions(tmp_path: Path, capsys):
    rows = [(f"s{i}", s, "SUBJ") for i, s in enumerate(SUBJ)] + [
        (f"o{i}", s, "OBJ") for i, s in enumerate(OBJ)
    ]
    data = write_tsv(tmp_path / "dev_test_en.tsv", rows)
    write_tsv(tmp_path / "train_en.tsv", rows)
    out = tmp_path / "pred.tsv"
    assert ev.main(data, out) == 0
    report = capsys.readouterr().out
    assert "macroF1" in report and "baseline" in report
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "sentence_id\tlabel" and len(lines) == 13
    assert {ln.split("\t")[1] for ln in lines[1:]} <= {"SUBJ", "OBJ"}


def test_eval_command_rejects_bad_input(tmp_path: Path, capsys):
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\ttext\nx\ty\n", encoding="utf-8")
    assert ev.main(bad) == 2
    assert "bad.tsv" in capsys.readouterr().err
    assert ev.main(tmp_path / "missing.tsv") == 2
    wrong = write_tsv(tmp_path / "wrong.tsv", [("a", "b", "MAYBE")])
    assert ev.main(wrong) == 2


def test_scores_perfect_and_macro():
    s = ev.scores(["SUBJ", "OBJ"], ["SUBJ", "OBJ"])
    assert s["macro_f1"] == 1.0 and s["SUBJ_P"] == 1.0


@pytest.mark.shared
def test_shipped_model_on_checkthat_dev_test(shared_data: Path):
    """A regression guard on held-out dev_test (the model never saw it); the target is 0.78."""
    data = shared_data / "subjectivity" / "dev_test_en.tsv"
    if not data.is_file():
        pytest.skip(f"{data} not present")
    _, sents, gold = ev.read_tsv(data)
    pred = [str(p) for p in load().predict(sents)]
    assert ev.scores(gold, pred)["macro_f1"] >= 0.60
