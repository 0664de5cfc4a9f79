"""The subjectivity classifier: scikit-learn contract, portable files, the shipped model, the eval command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsdossier.clean.opinion_features import NAMES, style_features
from newsdossier.clean.opinion_vectors import WordVectors
from newsdossier.clean.passages import opinion_posterior, smooth_labels
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
    assert {p.name for p in (tmp_path / "m").iterdir()} == {"model.json", "weights.npz", "word_vectors.npz"}


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


def test_style_features_see_the_author_voice():
    f = dict(zip(NAMES, style_features("Why should we ever trust them? You must see it!")))
    g = dict(zip(NAMES, style_features("The ministry said 30 aircraft left Hmeymim on 15 March 2016.")))
    assert f["first_person"] > 0 and f["second_person"] > 0 and f["modal"] > 0
    assert f["question"] == 1.0 and f["exclamation"] == 1.0 and g["question"] == 0.0
    assert g["attribution_verb"] == 1.0 and g["digit_density"] > f["digit_density"] and g["year"] == 1.0


def test_word_vectors_mean_and_unknown_words(tmp_path: Path):
    wv = WordVectors(["good", "bad"], np.array([[1.0, 0.0], [0.0, 1.0]]))
    rows = wv.transform(["Good good bad", "nothing known here", ""])
    assert np.allclose(rows[0], np.array([2.0, 1.0]) / np.sqrt(5), atol=1e-3)
    assert not rows[1].any() and not rows[2].any()
    wv.save(tmp_path / "v.npz")
    assert np.allclose(WordVectors.load(tmp_path / "v.npz").transform(["bad"]), [[0.0, 1.0]], atol=1e-3)


def test_calibrated_probabilities_and_balanced_boundary():
    clf = trained()
    a, _ = clf.platt_
    assert a > 0  # calibration keeps the order of the decision values
    p = clf.subjective_probability(SUBJ + OBJ)
    assert 0.0 < clf.threshold_ < 1.0
    # predict is the class-balanced boundary, expressed on the calibrated scale
    assert list(clf.predict(SUBJ + OBJ)) == ["SUBJ" if x >= clf.threshold_ else "OBJ" for x in p]
    raw = SubjectivityClassifier(C=10.0, char_min_df=1, calibration_folds=0).fit(
        SUBJ + OBJ, ["SUBJ"] * 6 + ["OBJ"] * 6
    )
    assert raw.platt_ == (1.0, 0.0)


def test_hmm_smoothing_keeps_passages_whole():
    # a run of mildly subjective sentences after a clear report becomes one opinion passage
    probs = [0.1, 0.15, 0.2, 0.55, 0.6, 0.45, 0.6, 0.55]
    labels = smooth_labels(probs, [False] * 8, [100] * 8, [True] * 8, neutral=0.4)
    assert labels[:3] == ["reporting"] * 3 and labels[3:] == ["opinion"] * 5
    # one strongly subjective sentence inside a report stays a sentence-sized opinion
    labels = smooth_labels([0.1, 0.1, 0.9, 0.1, 0.1], [False] * 5, [100] * 5, neutral=0.4)
    assert labels == ["reporting", "reporting", "opinion", "reporting", "reporting"]
    # attribution is reporting whatever the classifier says
    assert smooth_labels([0.9, 0.9], [True, False], [100, 100], neutral=0.4)[0] == "reporting"
    assert opinion_posterior(np.zeros(0), []).shape == (0,)
    post = opinion_posterior(np.array([2.0, 0.0, 0.0]), [True, False, False])
    assert post[0] > post[1] > 0.5


def test_reposted_block_ends_where_the_author_voice_returns():
    from newsdossier.clean.lines import split_lines
    from newsdossier.clean.reproduced import reproduced_lines

    text = (
        "My take first.\n\nThe Courier of Elmsford reports:\n\nThe mayor opened the bridge.\n\n"
        "Traffic resumed at noon.\n\nI think this is a scandal.\n\nWhat a farce!"
    )
    lines = split_lines(text)
    score = {"My": 1.0, "The": -2.0, "Traffic": -1.5, "I": 1.2, "What": 0.4}
    evidence = lambda i: score[lines[i].text.split()[0]]
    rep = reproduced_lines(lines, list(range(len(lines))), evidence)
    assert [lines[i].text for i in sorted(rep)] == [
        "The mayor opened the bridge.",
        "Traffic resumed at noon.",
    ]
    # no opinion-reading tail: the block runs to the end
    rep = reproduced_lines(lines, list(range(len(lines))), lambda i: -1.0)
    assert len(rep) == 4


def test_hmm_posterior_matches_enumeration():
    import itertools

    from newsdossier.clean import passages as P

    rng = np.random.default_rng(0)
    for _ in range(10):
        n = int(rng.integers(1, 6))
        llr, new_par = rng.normal(0, 2, n), rng.random(n) < 0.5
        total, z = np.zeros(n), 0.0
        for states in itertools.product([0, 1], repeat=n):
            w = 0.5
            for i, s in enumerate(states):
                w *= np.exp(llr[i]) if s else 1.0
                if i:
                    q = P.SWITCH_AT_PARAGRAPH if new_par[i] else P.SWITCH_IN_PARAGRAPH
                    w *= q if s != states[i - 1] else 1 - q
            z += w
            total += w * np.array(states)
        assert np.allclose(total / z, opinion_posterior(llr, new_par))


def test_soft_labels_with_certain_probabilities_equal_hard_labels():
    """A sentence listed once per label, weighted p and 1 - p (distillation), is the hard label
    when p is 0 or 1: zero-weight copies add nothing, to the fit or to the class balance."""
    texts, labels = SUBJ + OBJ, ["SUBJ"] * 6 + ["OBJ"] * 6
    flipped = ["OBJ" if y == "SUBJ" else "SUBJ" for y in labels]
    kw = {"C": 10.0, "char_min_df": 1, "vector_weight": 0.0, "calibration_folds": 0}
    hard = SubjectivityClassifier(**kw).fit(texts, labels)
    soft = SubjectivityClassifier(**kw).fit(
        texts + texts, labels + flipped, sample_weight=[1.0] * 12 + [0.0] * 12
    )
    assert np.allclose(hard.decision_function(texts), soft.decision_function(texts), atol=1e-4)


def test_soft_labels_balance_by_weighted_mass():
    """'balanced' evens the classes' weighted masses: SUBJ weighted 3 and OBJ 1 gives each class
    a mass of 12 (twice the unweighted 6 of each), which is the unweighted fit at twice C."""
    texts, labels = SUBJ + OBJ, ["SUBJ"] * 6 + ["OBJ"] * 6
    kw = {"char_min_df": 1, "vector_weight": 0.0, "calibration_folds": 0}
    plain = SubjectivityClassifier(C=20.0, **kw).fit(texts, labels)
    scaled = SubjectivityClassifier(C=10.0, **kw).fit(texts, labels, sample_weight=[3.0] * 6 + [1.0] * 6)
    assert np.allclose(plain.decision_function(texts), scaled.decision_function(texts), atol=1e-3)


def test_unlabelled_news_sentences_read_without_torch(tmp_path: Path):
    """The distillation corpus reader (training time) needs no torch: fictional ECB+/FNC-1 files."""
    import json

    from newsdossier.clean.opinion_teacher import unlabelled_news_sentences

    (tmp_path / "ecbplus").mkdir()
    (tmp_path / "fnc1").mkdir()
    doc = {"doc_id": "x", "text": "The ferry left the harbour at noon. It was, frankly, a lovely sight."}
    (tmp_path / "ecbplus" / "ecbplus_dev.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    (tmp_path / "fnc1" / "train_bodies.csv").write_text(
        'Body ID,articleBody\n1,"The mayor opened the new library on Friday. Ok."\n', encoding="utf-8"
    )
    out = unlabelled_news_sentences(tmp_path, limit=10)
    assert sorted(out) == [
        "It was, frankly, a lovely sight.",
        "The ferry left the harbour at noon.",
        "The mayor opened the new library on Friday.",
    ]  # "Ok." is shorter than a sentence worth labelling
