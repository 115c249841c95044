"""The learned mention tagger: alignment of annotated names, training, plain-data scoring, and the spans it adds.

The fixture (``tests/data/tagger_fixture.jsonl``, sentences we wrote) names
people, security forces and villages the gazetteer does not hold, in a few
clause shapes; a tagger trained on it must find new names in the same shapes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kg import Document, Lexicon, extract
from kg.classifier import model_of, with_model
from kg.errors import InputError
from kg.tagger import (
    TaggerModel,
    _plausible,
    classifier,
    design,
    fold,
    gold_spans,
    load_tagger,
    tagger_of,
    train_tagger,
    training_rows,
    with_tagger,
)
from kg.text import tokenize

FIXTURE = Path(__file__).parent / "data" / "tagger_fixture.jsonl"


def paragraphs() -> list[tuple[str, list[dict[str, object]]]]:
    rows = [json.loads(line) for line in FIXTURE.read_text("utf-8").splitlines() if line.strip()]
    return [(r["text"], r["actors"]) for r in rows]


@pytest.fixture(scope="module")
def tagger(lexicon: Lexicon) -> TaggerModel:
    return train_tagger(paragraphs(), lexicon, min_count=1, threshold=0.5)


def test_names_align_to_tokens_without_their_clitics() -> None:
    tokens = tokenize("وأكد أن للنظام السوري مواقع في بلدة بزابور")
    labels = gold_spans(tokens, [{"names": ["للنظام السوري"], "type": "Government"},
                                 {"names": ["بلدة بزابور"], "type": "Place"},
                                 {"names": ["النظام"], "type": "Government"}])
    assert labels == ["O", "O", "B-Government", "I-Government", "O", "O", "B-Place", "I-Place"]
    assert fold("وللمسلحين") == fold("المسلحين") == "مسلحين"


def test_training_twice_gives_the_same_bytes(lexicon: Lexicon, tagger: TaggerModel, tmp_path: Path) -> None:
    again = train_tagger(paragraphs(), lexicon, min_count=1, threshold=0.5)
    assert again.to_json() == tagger.to_json()
    path = tmp_path / "tagger.json"
    path.write_text(tagger.to_json(), "utf-8")
    assert load_tagger(path) == tagger
    assert load_tagger(path).to_json() == tagger.to_json()


def test_pure_python_scores_equal_scikit_learn(lexicon: Lexicon) -> None:
    feats, labels = training_rows(paragraphs(), lexicon)
    model = train_tagger(paragraphs(), lexicon, min_count=1, prune=0.0)
    x, y, _, classes = design(feats, labels, min_count=1)
    clf = classifier()
    clf.fit(x, y)
    expected = clf.predict_proba(x)
    assert list(model.classes) == classes
    for row in range(0, len(feats), 7):
        ours = model.probabilities(feats[row])
        for k, cls in enumerate(clf.classes_):
            assert ours[int(cls)] == pytest.approx(expected[row, k], abs=1e-4)


def test_a_trained_tagger_finds_new_names_in_the_same_shapes(lexicon: Lexicon, tagger: TaggerModel) -> None:
    # «رأى» (considered) is no verb of saying the rules read a speaker after: the name is the tagger's to find
    text = "ورأى كريم الصالح أن المسلحين هاجموا بلدة معرزيتا."
    alone = with_model(lexicon, None)  # the rules alone, without the shipped tagger
    rules = extract(Document("r", text), alone)
    tagged = extract(Document("t", text), with_tagger(alone, tagger))
    by_tagger = {m.text: m.type for m in tagged.mentions if m.source == "tagger"}
    assert "كريم الصالح" not in {m.text for m in rules.mentions}
    assert by_tagger.get("كريم الصالح") == "Person", by_tagger
    # the rules' own mentions stay as they were
    assert {(m.text, m.source) for m in rules.mentions} <= {(m.text, m.source) for m in tagged.mentions}


def test_a_conjunction_is_not_part_of_a_tagged_name(lexicon: Lexicon, tagger: TaggerModel) -> None:
    text = "وأكد جمال الحسن وإبراهيم الحمصي أن المسلحين هاجموا بلدة كفرلاتا."
    tagged = extract(Document("t", text), with_tagger(with_model(lexicon, None), tagger))
    names = {m.text for m in tagged.mentions if m.source == "tagger"}
    assert not any(n.startswith("وإبراهيم") for n in names), names
    assert all(a.label_ar != "وإبراهيم الحمصي" for a in tagged.actors)


@pytest.mark.parametrize("text,type_,ok", [
    ("كريم الصالح", "Person", True),
    ("روحاني", "Person", True),        # a surname alone
    ("خالد", "Person", False),         # a given name alone is a cut name
    ("الأمير", "Person", False),       # a title, not a name
    ("حزانو", "Place", True),
    ("القطاع", "Place", False),        # a bare definite noun describes, it does not name
    ("شمال", "Place", False),          # a direction
    ("عبدالعزيز بن", "Person", False),  # cut after a name link
    ("جهاز", "StateForces", False),     # one word names only a person or a place
])
def test_only_plausible_spans_become_nodes(text: str, type_: str, ok: bool, lexicon: Lexicon) -> None:
    tokens = tokenize(text)
    assert _plausible(tokens, 0, len(tokens) - 1, type_, [False] * len(tokens), lexicon) is ok


def test_a_span_touching_a_rule_mention_is_not_added(lexicon: Lexicon) -> None:
    tokens = tokenize("مقاطعة باجور")
    assert not _plausible(tokens, 0, 0, "Place", [False, True], lexicon)


def test_the_tagger_rides_on_the_lexicon_and_imports_no_numpy(lexicon: Lexicon, tagger: TaggerModel) -> None:
    assert tagger_of(with_model(lexicon, None)) is None
    assert tagger_of(with_tagger(lexicon, tagger)) is tagger
    # a model file's tagger rides with its relation model (the shipped model has none)
    from dataclasses import replace

    shipped = model_of(lexicon)
    assert shipped is not None and tagger_of(lexicon) is None
    assert tagger_of(with_model(lexicon, replace(shipped, tagger=tagger))) is tagger
    import subprocess

    code = "import sys, kg, kg.tagger, kg.pipeline; print(sorted(m for m in ('numpy', 'scipy', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_file_that_is_not_a_tagger_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "something-else", "version": 1}', "utf-8")
    with pytest.raises(InputError, match="is not a rawabit-mention-tagger model"):
        load_tagger(bad)
    bad.write_text("not json", "utf-8")
    with pytest.raises(InputError, match="not JSON"):
        load_tagger(bad)


def test_kg_train_with_tagger_writes_both_models_in_one_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kg.classifier import read_model
    from kg.cli import cli

    data = Path(__file__).parent / "data"
    out = tmp_path / "m.json"
    result = CliRunner().invoke(cli, ["train", str(data / "train_fixture_gold.jsonl"),
                                      str(data / "train_fixture_texts.jsonl"), "-o", str(out), "--tagger"])
    assert result.exit_code == 0, result.output
    model = read_model(out)
    assert model.tagger is not None and "O" in model.tagger.classes
    assert tagger_of(with_model(Lexicon.builtin(), model)) is model.tagger
    again = tmp_path / "again.json"
    CliRunner().invoke(cli, ["train", str(data / "train_fixture_gold.jsonl"),
                             str(data / "train_fixture_texts.jsonl"), "-o", str(again), "--tagger"])
    assert again.read_bytes() == out.read_bytes()
    plain = tmp_path / "plain.json"
    CliRunner().invoke(cli, ["train", str(data / "train_fixture_gold.jsonl"),
                             str(data / "train_fixture_texts.jsonl"), "-o", str(plain)])
    assert read_model(plain).tagger is None
