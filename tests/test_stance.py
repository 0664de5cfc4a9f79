"""Stance (FNC-1 style): data handling, scorer, the classifier contract, the shipped model, the eval command.

Fixtures are fictional headline/body pairs written here."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from newsdossier.compare.stance import MODEL_DIR, StanceClassifier, article_stance
from newsdossier.compare.stance_baseline import BaselineStanceClassifier, baseline_features
from newsdossier.compare.stance_data import (
    LABELS,
    StancePair,
    body_fingerprint,
    dev_body_ids,
    fnc_score,
    load_fnc,
    split_pairs,
    split_pairs_by_claim,
)
from newsdossier.compare.stance_text import TermVectorizer
from newsdossier.evaluate import stance as eval_stance

# Fictional topics: (headline, agreeing body, disagreeing body, discussing body).
TOPICS = [
    ("Giant squid washes ashore on Vellmar beach",
     "A giant squid washed ashore on Vellmar beach on Tuesday, coastguard officers confirmed. The squid "
     "measured nine metres, and marine biologists from the harbour institute examined the giant animal.",
     "Reports of a giant squid on Vellmar beach are a hoax, coastguard officers said. The photo is fake and "
     "was taken years ago; no squid washed ashore, and officials denied the story.",
     "Social media users claimed a giant squid washed ashore on Vellmar beach. Coastguard officers said they "
     "were looking into the reports and could not yet confirm whether any squid was found."),
    ("Ostheim mayor resigns after budget scandal",
     "The mayor of Ostheim resigned on Friday after the budget scandal, the city council confirmed. Her "
     "resignation letter said the scandal had made her position untenable.",
     "The mayor of Ostheim has not resigned, her office said, calling reports of a resignation over the "
     "budget scandal false. She denied any plan to step down.",
     "The mayor of Ostheim may resign over the budget scandal, according to unnamed sources. Her office "
     "did not respond to questions, and the council said it was unaware of any resignation."),
    ("Tallin Rovers sign striker Emil Brandt for record fee",
     "Tallin Rovers signed striker Emil Brandt for a record fee, the club confirmed on its website. Brandt "
     "will wear the number nine shirt, the striker told fans.",
     "Tallin Rovers denied signing striker Emil Brandt, calling the record fee reports fake. The club said "
     "no offer was made and the story is false.",
     "Tallin Rovers are reportedly close to signing striker Emil Brandt for a record fee. Neither the club "
     "nor the striker's agent would comment on the reported talks."),
    ("Comet lander finds water ice near crater rim",
     "The comet lander found water ice near the crater rim, mission scientists confirmed. The ice was "
     "detected by the lander's drill, and scientists said the finding was clear.",
     "Mission scientists said the comet lander did not find water ice near the crater rim. Earlier claims "
     "were false, they said, and the drill data showed no ice at all.",
     "The comet lander may have found water ice near the crater rim, according to a leaked report. Mission "
     "scientists said the data was still being analysed and urged caution about claims of ice."),
]


def fixture_pairs() -> list[StancePair]:
    """Every headline with every body: its own topic's bodies carry the label, the others are unrelated."""
    pairs = []
    for t, (headline, *_) in enumerate(TOPICS):
        for b, topic in enumerate(TOPICS):
            for k, (label, body) in enumerate(zip(("agree", "disagree", "discuss"), topic[1:])):
                pairs.append(StancePair(headline, 10 * b + k, body, label if b == t else "unrelated"))
    return pairs


def write_fnc(folder: Path, pairs: list[StancePair], prefix: str = "") -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    bodies, stances = folder / f"{prefix}bodies.csv", folder / f"{prefix}stances.csv"
    with open(bodies, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Body ID", "articleBody"])
        for body_id, body in sorted({(p.body_id, p.body) for p in pairs}):
            writer.writerow([body_id, body])
    with open(stances, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Headline", "Body ID", "Stance"])
        for p in pairs:
            writer.writerow([p.headline, p.body_id, p.stance])
    return bodies, stances


# -- data and scorer ----------------------------------------------------------------------------------
def test_fnc_score_weights_related_and_exact_labels() -> None:
    gold = ["unrelated", "agree", "discuss", "disagree"]
    # unrelated right (.25); agree->discuss relatedness only (.25); discuss exact (1); disagree->unrelated 0
    assert fnc_score(gold, ["unrelated", "discuss", "discuss", "unrelated"]) == (1.5, 3.25)
    assert fnc_score(gold, gold) == (3.25, 3.25)


def test_dev_split_holds_out_whole_bodies_deterministically() -> None:
    dev = dev_body_ids(range(100))
    assert dev == dev_body_ids(reversed(range(100)))  # order of input does not matter
    assert len(dev) == 20
    train, held = split_pairs(fixture_pairs())
    assert {p.body_id for p in train}.isdisjoint({p.body_id for p in held})
    assert len(train) + len(held) == len(fixture_pairs())


def test_claim_split_holds_out_headlines_and_bodies_together() -> None:
    pairs = fixture_pairs()
    train, held = split_pairs_by_claim(pairs)
    assert held and train  # 4 claims: one is held out
    assert {p.headline for p in train}.isdisjoint({p.headline for p in held})
    assert {p.body_id for p in train}.isdisjoint({p.body_id for p in held})
    # One claim of four held out: its three own pairs; its headline against the others' bodies is dropped.
    assert sorted(p.stance or "" for p in held) == ["agree", "disagree", "discuss"]
    assert len(train) == 3 * 9


def test_load_fnc_joins_and_rejects_bad_files(tmp_path: Path) -> None:
    bodies, stances = write_fnc(tmp_path, fixture_pairs())
    pairs = load_fnc(bodies, stances)
    assert len(pairs) == 48 and pairs[0].body == TOPICS[0][1]
    stances.write_text("Headline,Body ID,Stance\nA headline,999,agree\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"stances\.csv: line 2: Body ID 999"):
        load_fnc(bodies, stances)
    stances.write_text("Headline,Body ID,Stance\nA headline,0,maybe\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown stance 'maybe'"):
        load_fnc(bodies, stances)
    stances.write_text("Title,Body ID\nA headline,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_fnc(bodies, stances)


def test_body_fingerprint_ignores_whitespace_only() -> None:
    assert body_fingerprint("A  squid\nwashed ashore ") == body_fingerprint("A squid washed ashore")
    assert body_fingerprint("A squid washed ashore") != body_fingerprint("A whale washed ashore")


# -- features and classifiers -------------------------------------------------------------------------
def test_term_vectorizer_is_normalised_and_round_trips() -> None:
    texts = [t for topic in TOPICS for t in topic]
    vec = TermVectorizer(max_terms=50).fit(texts)
    assert len(vec.terms_) == 50 and "the" not in vec.terms_  # stop words dropped
    tf = vec.tf(texts).toarray()
    assert np.allclose(np.linalg.norm(tf, axis=1), 1.0)
    again = TermVectorizer.from_arrays(vec.terms_, vec.idf_)
    assert np.allclose(again.tfidf(texts).toarray(), vec.tfidf(texts).toarray())


def test_classifier_learns_relatedness_and_survives_save_load(tmp_path: Path) -> None:
    pairs = fixture_pairs()
    model = StanceClassifier(
        max_terms=300, hidden_units=16, max_iter=300, batch_size=16, learning_rate_init=0.01
    )
    model.fit([p.headline for p in pairs], [p.body for p in pairs], [p.stance or "" for p in pairs])
    # A new headline about a known topic, against its own and another topic's body.
    heads = ["Vellmar beach giant squid: coastguard checks reports"] * 2
    bodies = [TOPICS[0][3], TOPICS[2][1]]
    predicted = model.predict(heads, bodies)
    assert predicted[1] == "unrelated" and predicted[0] != "unrelated"
    model.save(tmp_path / "m")
    loaded = StanceClassifier.load(tmp_path / "m")
    assert loaded.predict(heads, bodies) == predicted
    assert np.allclose(loaded.predict_proba(heads, bodies), model.predict_proba(heads, bodies), atol=1e-6)
    assert loaded.get_params() == model.get_params()
    assert set(loaded.classes_) == set(LABELS)


def test_unfitted_classifier_says_so() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        StanceClassifier().predict(["a"], ["b"])


def test_baseline_features_count_overlap_and_refuting_words() -> None:
    X = baseline_features(["Squid story is fake", "Mayor resigns"], [TOPICS[0][2], TOPICS[0][2]])
    assert X.shape == (2, 44)
    assert X[0, 0] > X[1, 0]  # word overlap
    assert X[0, 1 + 0] == 1.0 and X[1, 1 + 0] == 0.0  # "fake" in the headline
    pairs = fixture_pairs()
    base = BaselineStanceClassifier(n_estimators=20).fit(
        [p.headline for p in pairs], [p.body for p in pairs], [p.stance or "" for p in pairs]
    )
    assert set(base.predict([p.headline for p in pairs], [p.body for p in pairs])) <= set(LABELS)


# -- the shipped model and the eval command ------------------------------------------------------------
shipped = pytest.mark.skipif(
    not (MODEL_DIR / "model.npz").exists(), reason="shipped stance model not trained yet"
)


@shipped
def test_shipped_model_tells_related_from_unrelated() -> None:
    headline = "Giant squid washes ashore on Vellmar beach"
    assert article_stance(headline, TOPICS[1][1]) == "unrelated"
    assert article_stance(headline, TOPICS[0][1]) != "unrelated"
    assert article_stance(headline, "") in LABELS


@shipped
def test_eval_scores_other_files_and_writes_fnc_predictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pairs = fixture_pairs()
    bodies, stances = write_fnc(tmp_path / "test", pairs)
    write_fnc(tmp_path / "train", pairs, prefix="train_")  # baseline training data (fictional)
    out = tmp_path / "pred.csv"
    assert eval_stance.main(bodies, stances, predictions=out, train_data=tmp_path / "train") == 0
    text = capsys.readouterr().out
    assert "scoring 48 pairs" in text and "ours" in text and "FNC-1 baseline" in text and "macro-F1" in text
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 48 and set(rows[0]) == {"Headline", "Body ID", "Stance"}
    assert {r["Stance"] for r in rows} <= set(LABELS)


def test_eval_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert eval_stance.main(tmp_path / "nope.csv", tmp_path / "nope2.csv") == 2
    assert "nope.csv: no such file" in capsys.readouterr().err


@pytest.mark.shared
@shipped
def test_shipped_model_never_saw_the_dev_bodies(shared_data: Path) -> None:
    folder = shared_data / "fnc1"
    if not (folder / "train_stances.csv").exists():
        pytest.skip(f"{folder} has no FNC-1 train files")
    train, dev = split_pairs(load_fnc(folder / "train_bodies.csv", folder / "train_stances.csv"))
    seen = set(StanceClassifier.load().train_bodies_)
    train_bodies = {p.body_id: p.body for p in train}
    dev_bodies = {p.body_id: p.body for p in dev}
    assert seen == {body_fingerprint(b) for b in train_bodies.values()}
    # Only bodies whose text FNC-1 repeats under another Body ID cross the split (eval leaves those out).
    assert len(seen & {body_fingerprint(b) for b in dev_bodies.values()}) < 0.02 * len(dev_bodies)


def test_a_known_stance_is_kept_only_while_the_headline_stays(monkeypatch) -> None:
    # an incremental run passes the stored stances with the headline they were given against
    import newsdossier.compare as compare
    from newsdossier.model import Article, Story

    asked: list[str] = []

    def fake(headlines, bodies):
        asked.extend(headlines)
        return ["discuss"] * len(headlines)

    monkeypatch.setattr(compare, "_stance_function", lambda: fake)
    a = Article(id="a", input="a", text="Ships left the port on Monday.", stance="agree")
    b = Article(id="b", input="b", text="Ships left the port on Monday, officials said.", stance="agree")
    story = Story(id="s", headline="Ships leave port", article_ids=("a", "b"))
    out = compare._with_stance([a, b], [story], {"a": "Ships leave port", "b": "An older headline"})
    assert [x.stance for x in out] == ["agree", "discuss"] and asked == ["Ships leave port"]
    assert [x.stance for x in compare._with_stance([a, b], [story])] == ["discuss", "discuss"]
