"""The data model passed between stages: frozen dataclasses (and a named tuple) with offsets.

Every ``start``/``end`` is a character offset into the original
:attr:`Document.text` (never into a normalised copy), ``end`` exclusive, so
``doc.text[m.start:m.end] == m.text`` always holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

__all__ = [
    "ACTOR_TYPES",
    "MODALITIES",
    "RELATIONS",
    "Actor",
    "Document",
    "Extraction",
    "Mention",
    "Sentence",
    "Statement",
    "Token",
]

#: Actor classes of the RDF profile, docs/rdf_profile.md (local names of ``kg:`` classes).
ACTOR_TYPES: tuple[str, ...] = (
    "Person",
    "State",
    "Government",
    "StateForces",
    "ArmedGroup",
    "PoliticalGroup",
    "InternationalOrganization",
    "NGO",
    "MediaOutlet",
    "Civilians",
    "Place",
)

#: The 17 relation predicates (local names of ``kg:`` properties).
RELATIONS: tuple[str, ...] = (
    "mediates",
    "denies",
    "besieges",
    "captures",
    "attacks",
    "kills",
    "detains",
    "negotiatesWith",
    "supports",
    "accuses",
    "threatens",
    "condemns",
    "protestsAgainst",
    "spokespersonOf",
    "leaderOf",
    "memberOf",
    "locatedIn",
)

#: Statement modalities (local names of ``kg:`` individuals).
MODALITIES: tuple[str, ...] = ("Asserted", "Claimed", "Denied")


@dataclass(frozen=True)
class Document:
    """One input text."""

    id: str
    """The identifier as given: a file stem, a JSONL ``"id"``, or ``"stdin"``."""
    text: str
    """The full text, exactly as read (after decoding)."""
    url: str | None = None
    """Where the text came from, when the input says so."""
    date: str | None = None
    """The publication date as given in the input (parsed only when written)."""
    title: str | None = None
    """The headline, when the input gives one."""
    origin: str | None = field(default=None, compare=False)
    """Where it was read: ``file.jsonl:17`` (a JSONL line), ``file.txt`` or ``<stdin>``; named when it fails."""


class Token(NamedTuple):
    """A word of a sentence with its normalised forms.

    A named tuple, not a frozen dataclass like the rest of the model: a corpus makes one per
    word, and a named tuple is made several times faster (it is as immutable).
    """

    text: str
    """The word exactly as written."""
    start: int
    """Offset of the first character in the document."""
    end: int
    """Offset after the last character in the document."""
    norm: str
    """The word normalised (diacritics and tatweel removed, alef/ya/ta marbuta unified)."""
    keys: tuple[str, ...]
    """Lookup keys: ``norm`` and every reading of it with clitics (and the article) stripped."""
    name_keys: tuple[str, ...] = ()
    """Lookup keys for names: clitics stripped but the article kept."""
    punct: bool = False
    """True when the token is punctuation (a clause or list boundary)."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document."""

    index: int
    """Position in the document, from 0."""
    start: int
    """Offset of the first character in the document."""
    end: int
    """Offset after the last character in the document."""
    text: str
    """The sentence exactly as written."""
    tokens: tuple[Token, ...] = field(default=(), repr=False, compare=False)
    """The words and punctuation of the sentence."""


@dataclass(frozen=True)
class Actor:
    """A node of the graph: an actor or a place."""

    key: str
    """Stable identity: ``"actor:<slug>"`` or ``"place:<slug>"``."""
    type: str
    """One of :data:`ACTOR_TYPES`."""
    label_ar: str
    """The preferred Arabic label."""
    label_en: str | None = None
    """The preferred English label, when known."""
    alt_ar: tuple[str, ...] = ()
    """Other Arabic names (variants and surface forms)."""
    same_as: str | None = None
    """A Wikidata IRI, only where the link is certain."""
    generic: bool = False
    """True for generic actors (civilians, gunmen) that need a statement to appear."""

    @property
    def slug(self) -> str:
        """The local part of :attr:`key`."""
        return self.key.split(":", 1)[1]

    @property
    def is_place(self) -> bool:
        """True when the node is a place."""
        return self.key.startswith("place:")


@dataclass(frozen=True)
class Mention:
    """A span of text that refers to an actor or a place."""

    text: str
    """The span exactly as written."""
    start: int
    """Offset of the first character in the document."""
    end: int
    """Offset after the last character in the document."""
    sentence: int
    """Index of the sentence holding the span."""
    actor: str
    """The :attr:`Actor.key` the span refers to."""
    type: str
    """The actor type, one of :data:`ACTOR_TYPES`."""
    source: str = "gazetteer"
    """How it was found: ``gazetteer``, ``pattern``, ``nisba``, ``title``, ``surname`` (a person named in full
    before) or ``pronoun``."""
    first_token: int = 0
    """Index of the first token of the span in its sentence."""
    last_token: int = 0
    """Index of the last token of the span in its sentence (inclusive)."""
    proclitic: str = ""
    """Clitics written on the first word before the name (``وب`` in ``وبدمشق``), normalised."""


@dataclass(frozen=True)
class Statement:
    """One extracted relation, with its evidence and modality."""

    subject: str
    """The :attr:`Actor.key` of the subject."""
    predicate: str
    """One of :data:`RELATIONS`."""
    object: str
    """The :attr:`Actor.key` of the object."""
    modality: str
    """One of :data:`MODALITIES`."""
    cue: str
    """The words of the text that carried the relation."""
    confidence: float
    """How sure the extractor is, in [0, 1]."""
    sentences: tuple[int, ...]
    """Indexes of the sentences stating it (more than one when repeats were folded)."""
    attributed_to: str | None = None
    """The :attr:`Actor.key` of who claims or denies it, when known."""
    place: str | None = None
    """The :attr:`Actor.key` of where it happened, when stated."""
    count: int = 1
    """How many times the document states it."""
    rule: str = ""
    """The name of the rule that produced it (for ``kg explain``)."""


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    """The input document."""
    sentences: tuple[Sentence, ...]
    """Its sentences."""
    actors: tuple[Actor, ...]
    """The actors and places that appear in the graph of this document."""
    mentions: tuple[Mention, ...]
    """Mentions of those actors."""
    statements: tuple[Statement, ...]
    """The relations, folded per (subject, predicate, object, modality, attribution)."""
