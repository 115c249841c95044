"""kg.analyse, the one-line Python API: its inputs, its result, and that its RDF and network are kg build's."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import kg
import kg.api
from kg.classifier import builtin_model, load_model, with_model

from conftest import EXAMPLE

# «The regime forces besieged the city of Douma.» / «Russian aircraft shelled the city of Idlib.»
BESIEGE = "حاصرت قوات النظام مدينة دوما."
SHELL = "قصفت الطائرات الروسية مدينة إدلب."
# «The factions denied that there were negotiations with Russia.»: a denial, and a denied negotiation
DENIAL = "نفت الفصائل وجود مفاوضات مع روسيا."
BASE = "https://example.org/kg/"


def triples(result: kg.Analysis) -> list[tuple[str, str, str]]:
    return [(s.subject, s.predicate, s.object) for s in result.statements]


# --- inputs -------------------------------------------------------------------


def test_one_text_is_one_document_doc1(lexicon: kg.Lexicon) -> None:
    result = kg.analyse(BESIEGE)
    assert [d.id for d in result.documents] == ["doc1"]
    assert triples(result) == [("actor:syrian-regime-forces", "besieges", "place:douma")]
    assert result.extractions == (kg.extract(kg.Document("doc1", BESIEGE), lexicon),)


def test_a_list_is_doc1_doc2_in_order_with_one_extraction_each() -> None:
    result = kg.analyse([BESIEGE, SHELL, DENIAL])
    assert [d.id for d in result.documents] == ["doc1", "doc2", "doc3"]
    assert [[s.predicate for s in ex.statements] for ex in result.extractions] == [
        ["besieges"], ["attacks"], ["denies", "negotiatesWith"]]
    assert [s.modality for s in result.extractions[2].statements] == ["Asserted", "Denied"]
    assert result.statements == tuple(st for ex in result.extractions for st in ex.statements)
    assert kg.analyse(iter([BESIEGE, SHELL])).extractions == kg.analyse([BESIEGE, SHELL]).extractions


def test_actors_are_each_listed_once_across_documents() -> None:
    result = kg.analyse([BESIEGE, "قصفت الطائرات الروسية مدينة دوما."])
    keys = [a.key for a in result.actors]
    assert keys.count("place:douma") == 1
    assert set(keys) == {a.key for ex in result.extractions for a in ex.actors}
    assert all(isinstance(a, kg.Actor) for a in result.actors)
    assert result.mentions == tuple(m for ex in result.extractions for m in ex.mentions)


def test_ids_name_the_texts() -> None:
    result = kg.analyse([BESIEGE, SHELL], ids=["a", "b"])
    assert [d.id for d in result.documents] == ["a", "b"]
    assert result.extractions[1].document == kg.Document("b", SHELL)


def test_a_dict_maps_ids_to_texts() -> None:
    result = kg.analyse({"x": BESIEGE, "y": SHELL})
    assert [(d.id, d.text) for d in result.documents] == [("x", BESIEGE), ("y", SHELL)]


def test_documents_keep_their_id_and_metadata() -> None:
    doc = kg.Document("art-7", BESIEGE, url="https://example.org/7", date="2018-03-12", title="دوما")
    assert kg.analyse(doc).documents == (doc,)
    result = kg.analyse([SHELL, doc])
    assert [d.id for d in result.documents] == ["doc1", "art-7"]
    assert result.documents[1].url == "https://example.org/7"
    assert kg.analyse({"art-7": doc}).documents == (doc,)


def test_the_result_has_a_short_repr() -> None:
    assert repr(kg.analyse([BESIEGE, SHELL])) == "<Analysis: 2 documents, 4 actors, 2 statements>"
    assert repr(kg.analyse("خبر بلا أطراف.")) == "<Analysis: 1 document, 0 actors, 0 statements>"
    assert repr(kg.analyse(BESIEGE)) == "<Analysis: 1 document, 2 actors, 1 statement>"


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "ids", "message"),
    [
        ("", None, r"text 1 \(id 'doc1'\) is empty; give it some text or leave it out"),
        ([BESIEGE, " \n\t"], None, r"text 2 \(id 'doc2'\) is empty"),
        ([], None, r"no texts given; pass a text, a list of texts or a dict of id -> text"),
        ({}, None, r"no texts given"),
        ([BESIEGE, 42], None, r"text 2 must be a str or a kg.Document, got 42$"),
        ([None], None, r"text 1 must be a str or a kg.Document, got None"),
        ([BESIEGE.encode()], None, r"text 1 must be a str or a kg.Document, got b'.*; decode the bytes first"),
        (BESIEGE.encode(), None, r"texts must be a str, a list of str or a dict of id -> str, got b.*; decode"),
        (42, None, r"texts must be a str, a list of str or a dict of id -> str, got 42$"),
        ({"x": 42}, None, r"text 1 must be a str or a kg.Document, got 42"),
        ([BESIEGE, SHELL], ["a"], r"ids= gives 1 id for 2 texts; give one id per text"),
        ([BESIEGE], ["a", "b"], r"ids= gives 2 ids for 1 text; give one id per text"),
        ([BESIEGE], "a", r"ids= gives one string \('a'\), not a list, for 1 text"),
        ({"x": BESIEGE}, ["a"], r"a dict's keys are already its ids: leave ids= out"),
        ([BESIEGE], [""], r"the id of text 1 must be a non-empty string, got ''"),
        ([BESIEGE], [7], r"the id of text 1 must be a non-empty string, got 7"),
        ([kg.Document("d", "")], None, r"text 1 \(id 'd'\) is empty"),
        ([kg.Document("d", None)], None, r"text 1 \(id 'd'\) must be a string, got None"),  # type: ignore[arg-type]
        ({"x": kg.Document("d", BESIEGE)}, None, r"text 1 is a Document with its own id 'd', not 'x'"),
        ([kg.Document("d", BESIEGE)], ["e"], r"text 1 is a Document with its own id 'd', not 'e'"),
    ],
    ids=["empty", "blank-in-list", "empty-list", "empty-dict", "int-in-list", "none", "bytes-in-list", "bytes",
         "int", "int-in-dict", "too-few-ids", "too-many-ids", "ids-a-string", "ids-with-dict", "empty-id",
         "int-id", "empty-document", "document-without-text", "document-under-another-key",
         "document-given-another-id"],
)
def test_bad_input_is_an_input_error(texts: object, ids: object, message: str) -> None:
    with pytest.raises(kg.InputError, match=message):
        kg.analyse(texts, ids=ids)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("texts", "ids", "message"),
    [
        ([BESIEGE, SHELL], ["a", "a"], r"duplicate document id 'a' \(texts 1 and 2\); ids must be unique"),
        ([BESIEGE, kg.Document("doc1", SHELL)], None, r"duplicate document id 'doc1' \(texts 1 and 2\)"),
        ([kg.Document("x", BESIEGE), kg.Document("x", SHELL)], None, r"duplicate document id 'x'"),
    ],
    ids=["ids", "document-and-default-id", "documents"],
)
def test_duplicate_ids_are_rejected(texts: object, ids: object, message: str) -> None:
    with pytest.raises(kg.InputError, match=message):
        kg.analyse(texts, ids=ids)  # type: ignore[arg-type]


def test_an_input_error_is_a_value_error_too() -> None:
    with pytest.raises(ValueError, match="is empty"):
        kg.analyse("")


def test_a_bad_base_is_refused_before_any_work() -> None:
    with pytest.raises(kg.ExportError, match=r"--base 'urn:x' must be an http\(s\) IRI ending in '/'"):
        kg.analyse(BESIEGE, base="urn:x")


def test_a_bad_model_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(kg.InputError, match=r"model must be 'builtin', 'rules', a model file or a loaded model, got 3"):
        kg.analyse(BESIEGE, model=3)  # type: ignore[arg-type]
    with pytest.raises(kg.InputError, match=r"cannot read model '.*missing\.json'"):
        kg.analyse(BESIEGE, model=tmp_path / "missing.json")


# --- the model ----------------------------------------------------------------


def test_model_rules_is_the_hand_rules_alone_and_builtin_the_default(lexicon: kg.Lexicon) -> None:
    doc = kg.Document("doc1", BESIEGE)
    default, rules = kg.analyse(BESIEGE), kg.analyse(BESIEGE, model="rules")
    assert kg.analyse(BESIEGE, model="builtin").extractions == default.extractions
    assert default.extractions == (kg.extract(doc, lexicon),)
    assert rules.extractions == (kg.extract(doc, with_model(lexicon, None)),)
    # the same statement; its confidence is the model's probability, or the rule's fixed one
    assert triples(default) == triples(rules)
    _, traces = kg.explain(doc, lexicon)
    probability = next(p for t in traces for cand, _, p in t.candidates if cand.rules)
    assert [s.confidence for s in default.statements] == [round(probability, 2)]
    assert [s.confidence for s in rules.statements] == [0.8]


def test_a_model_file_or_a_loaded_model_is_used() -> None:
    from importlib import resources

    path = Path(str(resources.files("kg") / "_models" / "relation_model.json"))
    default = kg.analyse(BESIEGE).extractions
    assert kg.analyse(BESIEGE, model=path).extractions == default
    assert kg.analyse(BESIEGE, model=str(path)).extractions == default
    assert kg.analyse(BESIEGE, model=load_model(path)).extractions == default


def test_the_packaged_lexicon_and_model_load_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lexicons: list[kg.Lexicon] = []
    models: list[object] = []
    load_lexicon = kg.Lexicon.builtin

    def counted_lexicon(cls: type[kg.Lexicon]) -> kg.Lexicon:
        lexicons.append(load_lexicon())
        return lexicons[-1]

    def counted_model() -> object:
        models.append(builtin_model())
        return models[-1]

    monkeypatch.setattr(kg.Lexicon, "builtin", classmethod(counted_lexicon))
    monkeypatch.setattr(kg.api, "builtin_model", counted_model)
    kg.api._packaged.cache_clear()
    try:
        for model in ("builtin", "rules", "builtin", "rules"):
            kg.analyse(BESIEGE, model=model)
        assert (len(lexicons), len(models)) == (1, 1)
        assert kg.api._packaged("builtin") is kg.api._packaged("builtin")
        assert kg.api._packaged("rules") is kg.api._packaged("rules")
    finally:
        kg.api._packaged.cache_clear()  # the next test loads them again, unpatched


# --- the RDF and the network are kg build's -----------------------------------------------


@pytest.fixture(scope="module")
def documents() -> list[kg.Document]:
    example = EXAMPLE.read_bytes().decode("utf-8-sig")
    return [
        kg.Document("ghouta", example),
        kg.Document("besiege", BESIEGE, url="https://example.org/a/1", date="2018-03-12", title="حصار دوما"),
        kg.Document("denial", DENIAL),
        kg.Document("shell", SHELL),
    ]


@pytest.fixture(scope="module")
def built(documents: list[kg.Document], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """kg build of the documents (as JSONL) into a folder: graph.nq and graph.graphml."""
    folder = tmp_path_factory.mktemp("api_build")
    source = folder / "texts.jsonl"
    rows = [{"id": d.id, "text": d.text, "url": d.url, "date": d.date, "title": d.title} for d in documents]
    source.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    kg.build([str(source)], folder / "out", "nq,graphml", base=BASE, workers=1)
    return folder / "out"


def named_graphs(ds: rdflib.Dataset) -> dict[str, rdflib.Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def test_the_dataset_is_what_kg_build_writes(documents: list[kg.Document], built: Path) -> None:
    ds = kg.analyse(documents, base=BASE).to_rdflib()
    written = rdflib.Dataset()
    with warnings.catch_warnings():
        # rdflib 7.6's own parsers still go through its deprecated ConjunctiveGraph API.
        warnings.filterwarnings("ignore", r"(Dataset\.default_context|ConjunctiveGraph) is deprecated",
                                DeprecationWarning)
        written.parse(built / "graph.nq", format="nquads")
    ours, theirs = named_graphs(ds), named_graphs(written)
    assert sorted(ours) == sorted(theirs) == sorted(BASE + "doc/" + d.id for d in documents)
    for name, graph in ours.items():
        if not isomorphic(graph, theirs[name]):
            _, only_ours, only_theirs = graph_diff(to_isomorphic(graph), to_isomorphic(theirs[name]))
            pytest.fail(f"{name}: only in analyse:\n{only_ours.serialize(format='nt')}\n"
                        f"only in graph.nq:\n{only_theirs.serialize(format='nt')}")
        assert set(graph) == set(theirs[name])  # no blank nodes: the very same triples
    assert len(ds.default_graph) == 0


def test_the_quads_are_those_of_graph_nq(documents: list[kg.Document], built: Path) -> None:
    import pyoxigraph as ox

    written = set(ox.parse(path=built / "graph.nq", format=ox.RdfFormat.N_QUADS))
    assert set(kg.analyse(documents, base=BASE).to_quads()) == written


def test_the_network_is_what_kg_build_writes_as_graphml(documents: list[kg.Document], built: Path) -> None:
    g = kg.analyse(documents, base=BASE).to_networkx()
    written = nx.read_graphml(built / "graph.graphml", force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_edges() == sum(len(ex.statements) for ex in kg.analyse(documents).extractions) > 5
    assert dict(g.nodes(data=True)) == dict(written.nodes(data=True))
    assert sorted(g.edges(keys=True)) == sorted(written.edges(keys=True))
    for u, v, key, data in g.edges(keys=True, data=True):
        assert data == written.edges[u, v, key]


def test_base_names_the_iris() -> None:
    result = kg.analyse(BESIEGE, base=BASE)
    assert set(named_graphs(result.to_rdflib())) == {BASE + "doc/doc1"}
    assert set(result.to_networkx()) == {BASE + "actor/syrian-regime-forces", BASE + "place/douma"}


def test_sparql_over_the_dataset_finds_the_direct_triple() -> None:
    ds = kg.analyse([BESIEGE, DENIAL]).to_rdflib()
    query = """PREFIX kg: <https://w3id.org/rawabit/ontology#>
               SELECT ?g ?a ?b WHERE { GRAPH ?g { ?a ?p ?b FILTER(?p IN (kg:besieges, kg:negotiatesWith)) } }"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib 7.6's Dataset.query uses its deprecated API
        rows = [tuple(str(t).rsplit("/", 1)[1] for t in row) for row in ds.query(query)]
    # the denied negotiation is a statement, never a direct triple
    assert rows == [("doc1", "syrian-regime-forces", "douma")]


# --- the package ----------------------------------------------------------------------


def test_importing_kg_loads_no_numpy_networkx_or_lexicon() -> None:
    code = ("import sys, kg, kg.api; "
            "print(sorted(m for m in ('numpy', 'networkx', 'sklearn') if m in sys.modules), "
            "kg.api._packaged.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "0"]
