"""`kg train` and `kg build --model`: a learned decision stage trained on a fixture we wrote.

The fixture (tests/data/train_fixture_gold.jsonl with train_fixture_texts.jsonl) teaches one
thing the rules do not read: «اشتباكات بين X وY» is an attack of X on Y.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import Document, Lexicon, explain, extract
from kg.classifier import RelationModel, model_of, read_model, with_model
from kg.cli import cli
from kg.errors import InputError
from kg.features import FEATURE_SET
from kg.train import collect, design_matrix, fit, logistic, read_gold, train_files

DATA = Path(__file__).parent / "data"
GOLD = DATA / "train_fixture_gold.jsonl"
TEXTS = DATA / "train_fixture_texts.jsonl"
#: Not in the fixture: two other parties clash.
UNSEEN = "اندلعت اشتباكات بين قوات النظام وجيش الإسلام في الغوطة الشرقية."


@pytest.fixture(scope="module")
def model_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "model.json"
    result = CliRunner().invoke(cli, ["train", str(GOLD), str(TEXTS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "trained on 10 paragraphs" in result.output
    return out


def test_train_writes_a_json_model(model_file: Path) -> None:
    data = json.loads(model_file.read_text(encoding="utf-8"))
    assert data["format"] == "rawabit-relation-model" and data["version"] == 1
    assert "*" in data["weights"] and "attacks" in data["weights"]
    assert 0 < data["threshold"] < 1
    assert data["training"]["paragraphs"] == 10


def test_training_twice_gives_the_same_bytes(model_file: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.json"
    train_files(GOLD, TEXTS, again)
    assert again.read_bytes() == model_file.read_bytes()


def test_build_with_the_model_decides_what_the_rules_do_not(model_file: Path, tmp_path: Path) -> None:
    doc = Document("unseen", UNSEEN)
    lex = with_model(Lexicon.builtin(), None)
    rules = {(s.subject, s.predicate, s.object) for s in extract(doc, lex).statements}
    learned = extract(doc, with_model(lex, read_model(model_file))).statements
    attack = ("actor:syrian-regime-forces", "attacks", "actor:jaysh-al-islam")
    assert attack not in rules
    got = {(s.subject, s.predicate, s.object): s for s in learned}
    assert attack in got
    assert got[attack].modality == "Asserted" and 0.5 <= got[attack].confidence <= 1

    text = tmp_path / "unseen.txt"
    text.write_text(UNSEEN, encoding="utf-8")
    for args, expect in ((["--model", "rules"], False), (["--model", str(model_file)], True)):
        out = tmp_path / ("with" if expect else "without")
        result = CliRunner().invoke(cli, ["build", str(text), "-o", str(out), "--formats", "nq", "-q", *args])
        assert result.exit_code == 0, result.output
        nq = (out / "graph.nq").read_text(encoding="utf-8")
        assert ("<https://w3id.org/rawabit/ontology#attacks>" in nq) is expect


def test_explain_shows_scores_and_features(model_file: Path) -> None:
    result = CliRunner().invoke(cli, ["explain", "--model", str(model_file), UNSEEN])
    assert result.exit_code == 0, result.output
    line = next(l for l in result.output.splitlines() if "cand +" in l)
    assert "actor:syrian-regime-forces attacks actor:jaysh-al-islam" in line
    assert "attacks|" in result.output  # a relation's own weights among the strongest features


def test_a_pair_summed_once_scores_as_each_candidate_alone(model_file: Path) -> None:
    model = read_model(model_file)
    _, traces = explain(Document("d", UNSEEN + " وقصفت قوات النظام مدينة دوما."), with_model(Lexicon.builtin(), model))
    scored = [x for t in traces for x in t.candidates]
    assert len(scored) > 20
    for cand, feats, p in scored:
        assert p == pytest.approx(model.score(cand.relation, feats), abs=1e-12)


def test_pure_python_scores_equal_scikit_learn() -> None:
    lex = Lexicon.builtin()
    rows = [json.loads(line) for line in TEXTS.read_text(encoding="utf-8").splitlines()]
    data = collect(read_gold(GOLD), [Document(r["id"], r["text"]) for r in rows], lex)
    examples = [e for pid in sorted(data.examples) for e in data.examples[pid]]
    x, y, index = design_matrix(examples)
    clf = logistic(x, y)
    weights, intercept = fit(examples)
    model = RelationModel(weights, intercept)
    expected = clf.predict_proba(x)[:, 1]
    for e, p in zip(examples, expected):
        assert model.score(e.key[1], list(e.features)) == pytest.approx(float(p), abs=1e-9)


def test_the_shipped_model_decides_by_default_and_the_rules_alone_on_request() -> None:
    from kg.tagger import tagger_of

    shipped = model_of(Lexicon.builtin())
    assert shipped is not None
    assert shipped.tagger is None and tagger_of(Lexicon.builtin()) is None  # shipped without a mention tagger
    rules = with_model(Lexicon.builtin(), None)
    assert model_of(rules) is None and tagger_of(rules) is None


def test_import_and_build_stay_free_of_numpy(model_file: Path, tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(UNSEEN, encoding="utf-8")
    code = (
        "import sys, kg\n"
        "from kg.cli import main\n"
        f"main(['build', {str(text)!r}, '-o', {str(tmp_path / 'out')!r}, '--formats', 'nq', '-q', "
        f"'--model', {str(model_file)!r}, '--workers', '1'])\n"
        "bad = sorted(m for m in ('numpy', 'sklearn', 'scipy') if m in sys.modules)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("text", "match"), [
    ("not json", "not valid JSON"),
    ('{"format": "other"}', "not a rawabit relation model"),
    ('{"format": "rawabit-relation-model", "version": 99, "feature_set": %d}' % FEATURE_SET, "retrain it"),
    (('{"format": "rawabit-relation-model", "version": 1, "feature_set": %d, "weights": {"*": {"a": "x"}}, '
      '"intercept": 0}') % FEATURE_SET, "must map"),
    ('{"format": "rawabit-relation-model", "version": 1, "feature_set": %d, "weights": {}}' % FEATURE_SET, "intercept"),
])
def test_bad_model_files(tmp_path: Path, text: str, match: str) -> None:
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_model(path)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read model"):
        read_model(tmp_path / "none.json")
    result = CliRunner().invoke(cli, ["build", str(TEXTS), "-o", str(tmp_path / "o"), "--model", str(tmp_path / "none.json")])
    assert result.exit_code != 0


@pytest.mark.parametrize(("line", "match"), [
    ("{", "not valid JSON"),
    ('{"actors": [], "relations": []}', "string \"id\""),
    ('{"id": "x", "actors": {}, "relations": []}', "must be lists"),
    ('{"id": "x", "actors": [{"id": "a1"}], "relations": []}', "list of \"names\""),
    ('{"id": "x", "actors": [{"id": "a1", "names": ["س"]}], "relations": [{"s": "a1", "p": "attacks", "o": "a9"}]}',
     "naming actors"),
    ('{"id": "x", "actors": [{"id": "a1", "names": ["س"]}], "relations": [{"s": "a1", "p": "hugs", "o": "a1"}]}',
     "is not one of"),
])
def test_bad_gold_lines(tmp_path: Path, line: str, match: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_gold(path)


def test_training_inputs_that_cannot_train(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read gold file"):
        read_gold(tmp_path / "none.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match="holds no paragraphs"):
        train_files(empty, TEXTS, tmp_path / "m.json")
    other = tmp_path / "texts.jsonl"
    other.write_text('{"id": "zz", "text": "نص"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="have no text"):
        train_files(GOLD, other, tmp_path / "m.json")
    no_rel = tmp_path / "norel.jsonl"
    no_rel.write_text("".join(json.dumps({**row, "relations": []}, ensure_ascii=False) + "\n"
                              for row in read_gold(GOLD)), encoding="utf-8")
    with pytest.raises(InputError, match="nothing to learn from"):
        train_files(no_rel, TEXTS, tmp_path / "m.json")
    with pytest.raises(InputError, match="cannot write model"):
        train_files(GOLD, TEXTS, tmp_path / "no" / "such" / "m.json")


def test_the_shipped_model_loads_and_decides() -> None:
    from kg.classifier import BUILTIN, load_model

    model = load_model(BUILTIN)
    assert 0 < model.threshold < 1 and len(model.weights["*"]) > 1000
    statements = extract(Document("d", UNSEEN), with_model(Lexicon.builtin(), model)).statements
    assert all(0 <= s.confidence <= 1 for s in statements)
