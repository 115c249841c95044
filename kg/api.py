"""Arabic text to a knowledge graph in one call: :func:`analyse`.

>>> import kg
>>> result = kg.analyse("حاصرت قوات النظام مدينة دوما.")
>>> [(s.subject, s.predicate, s.object) for s in result.statements]
[('actor:syrian-regime-forces', 'besieges', 'place:douma')]

The result holds the extractions of the documents (:class:`~kg.model.Extraction`), and
turns them into an rdflib ``Dataset`` (:meth:`Analysis.to_rdflib`, one named graph per
document, the quads ``kg build`` writes) or a networkx graph
(:meth:`Analysis.to_networkx`, what ``kg build`` writes as GraphML). Extraction runs in
this process, one document after the other; a corpus of files is :func:`kg.build`'s job
(it runs on every core or a Dask cluster and writes the files).

This module sits downstream of every stage and adds no behaviour of its own: it calls
:func:`kg.pipeline.extract`, :func:`kg.rdf.to_quads` / :func:`kg.rdf.to_rdflib` and
:func:`kg.network.to_networkx` as a script would.

**The packaged data, kept here.** Everywhere else the caller loads the lexicons once
(:meth:`Lexicon.builtin`) and passes them to every call. A one-line call has no caller
to keep them, and reading them with the shipped model takes longer than extracting a
short text, so this module keeps them for the life of the process, in one cache:
:func:`_packaged`, a :func:`functools.lru_cache` of at most two entries, the lexicons
with the shipped model (``model="builtin"``) and with none (``model="rules"``, made
from the first one's lexicons). Each is read on the first call that asks for it and
never changes afterwards; ``_packaged.cache_clear()`` drops them. A model file
(``model="my_model.json"``) is read on every call; to read one once, pass
``kg.classifier.load_model("my_model.json")`` instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

from .classifier import BUILTIN, RelationModel, builtin_model, load_model, with_model
from .errors import InputError
from .export import check_base
from .lexicon import Lexicon
from .model import Actor, Document, Extraction, Mention, Statement
from .pipeline import extract
from .rdf import DEFAULT_BASE, to_quads, to_rdflib

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["Analysis", "ModelChoice", "analyse"]

#: What ``model=`` names the hand rules alone by (``kg build --model rules``).
_RULES = "rules"

#: A model as :func:`analyse` takes it: ``"builtin"``, ``"rules"``, a model file, or a loaded model.
ModelChoice = str | os.PathLike[str] | RelationModel


@lru_cache(maxsize=2)
def _packaged(model: str) -> Lexicon:
    """The packaged lexicons carrying the shipped model (``"builtin"``) or none (``"rules"``), loaded
    once per process: the package's one cache (see the module docstring)."""
    if model == _RULES:
        return with_model(_packaged(BUILTIN), None)
    return with_model(Lexicon.builtin(), builtin_model())


def _lexicon(model: ModelChoice) -> Lexicon:
    """The lexicons that extract with ``model`` (see :func:`analyse`)."""
    if isinstance(model, RelationModel):
        return with_model(_packaged(_RULES), model)
    if not isinstance(model, (str, os.PathLike)):
        raise InputError(f"model must be 'builtin', 'rules', a model file or a loaded model, got {model!r:.60}; "
                         "see kg.classifier.load_model")
    if str(model) in (BUILTIN, _RULES):
        return _packaged(str(model))
    return with_model(_packaged(_RULES), load_model(os.fspath(model)))


@dataclass(frozen=True, repr=False)
class Analysis:
    """What :func:`analyse` extracted from the documents, with their RDF and network one call away."""

    extractions: tuple[Extraction, ...]
    """One per document, in input order: its sentences, actors, mentions and statements."""
    base: str = DEFAULT_BASE
    """The instance namespace of the IRIs (``--base`` of ``kg build``)."""

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents, in input order."""
        return tuple(ex.document for ex in self.extractions)

    @property
    def statements(self) -> tuple[Statement, ...]:
        """Every document's statements, document after document (each document's in :attr:`extractions`)."""
        return tuple(st for ex in self.extractions for st in ex.statements)

    @property
    def actors(self) -> tuple[Actor, ...]:
        """The actors and places of the documents, each once (by :attr:`Actor.key`), in order of first appearance."""
        seen: dict[str, Actor] = {}
        for ex in self.extractions:
            for actor in ex.actors:
                seen.setdefault(actor.key, actor)
        return tuple(seen.values())

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Every document's mentions (their offsets point into their own document's text)."""
        return tuple(m for ex in self.extractions for m in ex.mentions)

    def to_quads(self) -> Iterator[ox.Quad]:
        """The pyoxigraph quads of every document's named graph, the quads of ``kg build``'s ``graph.nq``.

        Raises:
            ExportError: when an IRI cannot be made from the base and a document id.
        """
        return chain.from_iterable(to_quads(ex, self.base) for ex in self.extractions)

    def to_rdflib(self) -> Any:
        """An rdflib ``Dataset``: one named graph per document (its IRI ``{base}doc/{id}``), as ``kg build``
        writes it (see ``docs/rdf_profile.md``). A new Dataset each call.

        Raises:
            ExportError: when an IRI cannot be made from the base and a document id.
        """
        return to_rdflib(self.to_quads())

    def to_networkx(self) -> Any:
        """A networkx ``MultiDiGraph``: actors and places as nodes (keyed by IRI), statements as edges (keyed
        by statement IRI), with the attributes of ``kg build``'s ``graph.graphml`` (see :mod:`kg.network`).

        Raises:
            ExportError: when an IRI cannot be made from the base and a document id.
        """
        from .export import relation_labels
        from .network import to_networkx  # networkx only when asked for

        return to_networkx(self.extractions, self.base, relation_labels())

    def __repr__(self) -> str:
        return (f"<Analysis: {_n(len(self.extractions), 'document')}, {_n(len(self.actors), 'actor')}, "
                f"{_n(len(self.statements), 'statement')}>")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def analyse(
    texts: str | Document | Iterable[str | Document] | Mapping[str, str],
    *,
    ids: Sequence[str] | None = None,
    model: ModelChoice = BUILTIN,
    base: str = DEFAULT_BASE,
) -> Analysis:
    """Extract the actors and relations of one text or several.

    Args:
        texts: a text; a list of texts (ids ``doc1``, ``doc2`` … in order, unless ``ids`` names
            them); a dict of id -> text; or :class:`~kg.model.Document` objects (alone or in
            the list), which keep their own ids, urls, dates and titles.
        ids: one id per text of a list, instead of ``doc1``, ``doc2`` …
        model: ``"builtin"`` (the shipped relation model, as ``kg build``), ``"rules"`` (the
            hand rules alone), the path of a model written by ``kg train``, or a model loaded
            with :func:`kg.classifier.load_model` (``kg build --model``).
        base: the instance namespace of the IRIs (``kg build --base``).

    Returns:
        The extractions, with :meth:`Analysis.to_rdflib` and :meth:`Analysis.to_networkx`.

    Raises:
        InputError: no text, an empty text or one that is not a string, a bad or duplicate id,
            ``ids`` that do not fit the texts, a bad model or model file.
        ExportError: a base that is not an http(s) IRI ending in ``/`` or ``#``.

    >>> result = analyse(["حاصرت قوات النظام مدينة دوما.", "قصفت الطائرات الروسية مدينة إدلب."])
    >>> result
    <Analysis: 2 documents, 4 actors, 2 statements>
    >>> [(ex.document.id, [s.predicate for s in ex.statements]) for ex in result.extractions]
    [('doc1', ['besieges']), ('doc2', ['attacks'])]

    The RDF, one named graph per document, and a SPARQL query over it:

    >>> ds = result.to_rdflib()
    >>> sorted(str(g.identifier) for g in ds.graphs() if len(g))
    ['https://w3id.org/rawabit/id/doc/doc1', 'https://w3id.org/rawabit/id/doc/doc2']
    >>> query = '''
    ...     PREFIX kg: <https://w3id.org/rawabit/ontology#>
    ...     PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    ...     SELECT ?who ?where WHERE { GRAPH ?g {
    ...         ?a kg:attacks ?b . ?a skos:prefLabel ?who . ?b skos:prefLabel ?where
    ...         FILTER(lang(?who) = "en" && lang(?where) = "en") } }'''
    >>> import warnings
    >>> with warnings.catch_warnings():  # rdflib 7.6's Dataset.query calls its own deprecated API
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     rows = [(str(row.who), str(row.where)) for row in ds.query(query)]
    >>> rows
    [('Russian air force', 'Idlib')]

    The network of actors, one edge per statement:

    >>> g = result.to_networkx()
    >>> sorted((g.nodes[u]["label_en"], d["relation"], g.nodes[v]["label_en"]) for u, v, d in g.edges(data=True))
    [('Russian air force', 'attacks', 'Idlib'), ('Syrian regime forces', 'besieges', 'Douma')]

    Denials stay denials: «the factions denied that there were negotiations with Russia»:

    >>> result = analyse({"denial": "نفت الفصائل وجود مفاوضات مع روسيا."})
    >>> [(s.predicate, s.object, s.modality) for s in result.statements]
    [('denies', 'actor:russia', 'Asserted'), ('negotiatesWith', 'actor:russia', 'Denied')]
    """
    docs = _documents(texts, ids)  # every check before the lexicons load
    check_base(base)
    lex = _lexicon(model)
    return Analysis(tuple(extract(doc, lex) for doc in docs), base)


def _documents(texts: object, ids: Sequence[str] | None) -> list[Document]:
    """The documents of :func:`analyse`'s ``texts`` and ``ids``, checked as the reader (:mod:`kg.read`)
    checks files: a text is a non-empty string, an id a non-empty string, unique.

    Raises:
        InputError: naming the text (1-based) and how to fix it.
    """
    if isinstance(texts, (str, Document)):
        items: list[tuple[str | None, object]] = [(None, texts)]
    elif isinstance(texts, Mapping):
        if ids is not None:
            raise InputError("ids= names the texts of a list; a dict's keys are already its ids: leave ids= out")
        items = list(texts.items())
    elif isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Iterable):
        raise InputError(f"texts must be a str, a list of str or a dict of id -> str, got {texts!r:.60}"
                         + ("; decode the bytes first" if isinstance(texts, (bytes, bytearray)) else ""))
    else:
        items = [(None, text) for text in texts]
    if not items:
        raise InputError("no texts given; pass a text, a list of texts or a dict of id -> text")
    if ids is not None:
        if isinstance(ids, str) or len(ids) != len(items):
            raise InputError(f"ids= gives {_count(ids)} for {_n(len(items), 'text')}; "
                             "give one id per text")
        items = [(doc_id, text) for doc_id, (_, text) in zip(ids, items)]
    docs: list[Document] = []
    seen: dict[str, int] = {}
    for n, (doc_id, text) in enumerate(items, 1):
        if isinstance(text, Document):
            if doc_id is not None and doc_id != text.id:
                raise InputError(f"text {n} is a Document with its own id {text.id!r}, not {doc_id!r}; "
                                 "give its text instead, or leave its id to it")
            doc = text
        elif isinstance(text, str):
            doc = Document(f"doc{n}" if doc_id is None else doc_id, text)
        else:
            raise InputError(f"text {n} must be a str or a kg.Document, got {text!r:.40}"
                             + ("; decode the bytes first" if isinstance(text, (bytes, bytearray)) else ""))
        if not isinstance(doc.id, str) or not doc.id.strip():
            raise InputError(f"the id of text {n} must be a non-empty string, got {doc.id!r}")
        if not isinstance(doc.text, str):
            raise InputError(f"text {n} (id {doc.id!r}) must be a string, got {doc.text!r:.40}")
        if not doc.text.strip():
            raise InputError(f"text {n} (id {doc.id!r}) is empty; give it some text or leave it out")
        if doc.id in seen:
            raise InputError(f"duplicate document id {doc.id!r} (texts {seen[doc.id]} and {n}); ids must be unique")
        seen[doc.id] = n
        docs.append(doc)
    return docs


def _count(ids: object) -> str:
    if isinstance(ids, str):
        return f"one string ({ids!r}), not a list,"
    return _n(len(ids), "id")  # type: ignore[arg-type]
