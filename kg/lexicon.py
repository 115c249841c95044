"""The packaged lexicons: actor gazetteer, relation cues and Arabic patterns.

All Arabic knowledge lives in data files under ``ontology/`` (shipped inside
the wheel as ``kg/_ontology``); this module validates them when they load and
compiles them into lookup tables keyed by :func:`kg.text.lexicon_key`.

>>> lex = Lexicon.builtin()
>>> lex.actors["actor:russia"].type
'State'
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

from .errors import LexiconError
from .model import ACTOR_TYPES, RELATIONS, Actor
from .text import lexicon_key, normalize, slugify, strip_article, tokenize

__all__ = ["Lexicon", "Cue", "ontology_path", "inflect", "index_by_first"]

T = TypeVar("T")

_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
#: Kinds of cue: a relation, or a word that opens a scope.
CUE_KINDS = ("relation", "report", "claim", "deny")
_CUE_FIELDS = {
    "id", "kind", "relation", "forms", "objects", "agents", "genitive", "patient_types", "agent_types",
    "confidence", "adverbial", "result", "ambiguous_passive", "apposition", "symmetric",
}
POS = ("verb", "noun", "participle", "passive_participle", "passive_verb", "particle")


def ontology_path(name: str = "") -> Path:
    """Where the packaged ontology data lives (inside the wheel or the source tree).

    Args:
        name: a file name inside the folder, or "" for the folder itself.
    """
    packaged = resources.files("kg") / "_ontology"
    base = Path(str(packaged))
    if not base.is_dir():
        base = Path(__file__).resolve().parent.parent / "ontology"
    return base / name if name else base


def inflect(pos: str, form: str) -> set[str]:
    """Surface forms (normalised, without clitics) of one lexicon form.

    Verbs are given as the 3rd person masculine singular (perfect ``حاصر`` or
    imperfect ``يحاصر``); nouns and participles as the masculine singular.

    >>> sorted(inflect("verb", "نفى"))[:4]
    ['نفا', 'نفت', 'نفتا', 'نفوا']
    """
    f = normalize(form)
    out = {f}
    if pos in ("verb", "passive_verb"):
        if f[:1] == "ي" and len(f) > 3:  # imperfect: person prefixes and plural suffixes
            stem = f[1:]
            for pre in ("ي", "ت", "ن"):
                out.add(pre + stem)
            base = stem[:-1] if stem.endswith("ي") else stem
            for pre in ("ي", "ت"):
                out.update({pre + base + "ون", pre + base + "ان", pre + stem + "ن"})
        else:  # perfect
            base = f[:-1] if f.endswith("ي") or f.endswith("ا") else f
            out.update({base + "ت", base + "وا", base + "تا", f + "ت", f + "وا", f + "ا", f + "تا", f + "ن"})
            if f.endswith("ي"):
                out.update({base + "ا", base + "يا"})
    elif pos in ("noun", "participle", "passive_participle"):
        stem = f[:-1] if f.endswith("ه") else f
        out.update({stem + "ه", stem + "ات", stem + "ين", stem + "ون", stem + "ان", stem + "تين", stem + "تان"})
        if pos != "noun":
            out.update({stem + "ا"})  # accusative tanween (مدنيا, موقعا)
    return {x for x in out if len(x) >= 2}


@dataclass(frozen=True)
class Cue:
    """A word that signals a relation or opens a reported, claimed or denied scope."""

    id: str
    """The row id in ``cues.jsonl``."""
    kind: str
    """One of ``relation``, ``report``, ``claim``, ``deny``."""
    relation: str | None
    """The relation it signals (for ``relation`` cues, and ``denies`` for ``deny``)."""
    pos: str
    """Part of speech of the matched form."""
    words: tuple[str, ...]
    """The matched form as lexicon keys (one per word)."""
    objects: tuple[str, ...] = ()
    """Prepositions that mark the object (``على``, ``مع``, ``بين`` ...); empty for a direct object."""
    agents: tuple[str, ...] = ()
    """Prepositions that mark the agent of a noun or passive (``من قبل``, ``على يد``)."""
    genitive: str = "auto"
    """What a noun's genitive is: ``agent``, ``patient`` or ``auto`` (a place is the patient)."""
    patient_types: tuple[str, ...] = ()
    """Actor types allowed as object (empty: any)."""
    agent_types: tuple[str, ...] = ()
    """Actor types allowed as subject (empty: any actor that is not a place)."""
    confidence: float = 0.7
    """Confidence given to statements from this cue."""
    adverbial: bool = False
    """True for ``بدعم X`` / ``بوساطة X`` phrases: X relates to the clause's agent."""
    result: bool = False
    """True for outcome nouns (wounded, casualties) whose agent is the agent of the event they follow."""
    ambiguous_passive: bool = False
    """True for verbs written the same in the passive (قتل): a victim right after makes it passive."""
    apposition: bool = False
    """True for nouns like ``حليف`` whose agent is the actor they stand beside."""
    symmetric: bool = False
    """True when subject and object may be swapped (negotiation)."""


@dataclass(frozen=True)
class Lexicon:
    """Compiled lookup tables of every packaged lexicon."""

    actors: dict[str, Actor]
    """Gazetteer actors (and the places of states and capitals) by key."""
    names: dict[tuple[str, ...], tuple[str, ...]]
    """Name as a tuple of lexicon keys -> actor keys it may denote (first is preferred)."""
    nisba: dict[str, str]
    """Normalised nisba adjective form -> actor key (الروسية -> actor:russia)."""
    metonyms: dict[str, str]
    """Place key of a capital -> actor key of its state (place:damascus -> actor:syria)."""
    containers: dict[str, str]
    """Place key -> key of the place it lies in."""
    cues: dict[tuple[str, ...], tuple[Cue, ...]]
    """Cue form as a tuple of lexicon keys -> cues."""
    patterns: dict[str, Any]
    """The Arabic structure patterns of ``patterns.json`` (head nouns, titles, scope words)."""
    max_name_len: int = 1
    """Longest name, in words."""
    max_cue_len: int = 1
    """Longest cue, in words."""
    words: dict[str, frozenset[str]] = field(default_factory=dict)
    """Normalised word lists from ``patterns.json`` by name, as lexicon keys."""
    name_trie: dict[str | None, Any] = field(default_factory=dict)
    """:attr:`names` as a word trie; the key :data:`END` of a node holds the values."""
    cue_trie: dict[str | None, Any] = field(default_factory=dict)
    """:attr:`cues` as a word trie; the key :data:`END` of a node holds the values."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Tables derived from :attr:`patterns`, built once on first use (see :meth:`derived`)."""

    def derived(self, name: str, build: Callable[[], T]) -> T:
        """A table derived from the lexicons, built on first use and kept with this lexicon.

        The extractor normalises pattern lists into lookup tables; doing that once per
        lexicon instead of once per sentence is most of its speed.
        """
        if name not in self.memo:
            self.memo[name] = build()
        return self.memo[name]  # type: ignore[no-any-return]

    @classmethod
    def builtin(cls) -> Lexicon:
        """Load and validate the lexicons shipped with the package.

        Raises:
            LexiconError: listing every bad row.
        """
        return cls.from_files(
            ontology_path("actors.jsonl"), ontology_path("cues.jsonl"), ontology_path("patterns.json")
        )

    @classmethod
    def from_files(cls, actors: Path, cues: Path, patterns: Path) -> Lexicon:
        """Load and validate lexicons from files.

        Raises:
            LexiconError: listing every bad row of every file.
        """
        problems: list[str] = []
        actor_rows = _read_jsonl(actors, problems)
        cue_rows = _read_jsonl(cues, problems)
        try:
            pattern_data = json.loads(patterns.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            problems.append(f"{patterns}: {err}")
            pattern_data = {}
        lex = _compile(actor_rows, cue_rows, pattern_data, problems)
        if problems:
            raise LexiconError(problems)
        return lex

    def state_of(self, key: str) -> str:
        """A capital's or country's place key as its state's actor key; any other key unchanged.

        >>> Lexicon.builtin().state_of("place:russia")
        'actor:russia'
        """
        if not key.startswith("place:"):
            return key
        if key in self.metonyms:
            return self.metonyms[key]
        state = "actor:" + key.split(":", 1)[1]
        return state if state in self.actors and self.actors[state].type == "State" else key

    def containing(self, key: str, levels: int = 6) -> tuple[str, ...]:
        """The places the gazetteer puts a place in, nearest first, at most ``levels`` up.

        >>> Lexicon.builtin().containing("place:douma")[:1]
        ('place:eastern-ghouta',)
        """
        out: list[str] = []
        up = self.containers.get(key)
        while up is not None and len(out) < levels:
            out.append(up)
            up = self.containers.get(up)
        return tuple(out)

    def word_set(self, name: str) -> frozenset[str]:
        """A word list of ``patterns.json`` as lexicon keys (empty when absent)."""
        return self.words.get(name, frozenset())

    def lists_of(self, keys: tuple[str, ...]) -> frozenset[str]:
        """The names of the word lists holding any of ``keys`` (a token's readings), memoised.

        One lookup answers every «is this word in list X» question about a
        token, instead of one set test per list and reading.

        >>> "negators" in Lexicon.builtin().lists_of(("لم",))
        True
        """
        memo: dict[tuple[str, ...], frozenset[str]] = self.derived("lists_of", dict)
        found = memo.get(keys)
        if found is None:
            index: dict[str, frozenset[str]] = self.derived("word_list_index", self._word_list_index)
            found = frozenset().union(*(index.get(k, ()) for k in keys))
            if len(memo) < 1 << 17:
                memo[keys] = found
        return found

    def _word_list_index(self) -> dict[str, frozenset[str]]:
        index: dict[str, set[str]] = {}
        for name, words in self.words.items():
            for word in words:
                index.setdefault(word, set()).add(name)
        return {word: frozenset(names) for word, names in index.items()}


def _read_jsonl(path: Path, problems: list[str]) -> list[tuple[str, int, dict[str, Any]]]:
    rows: list[tuple[str, int, dict[str, Any]]] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        problems.append(f"{path}: cannot read: {err}")
        return rows
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            problems.append(f"{path.name}:{n}: not JSON: {err}")
            continue
        if not isinstance(row, dict):
            problems.append(f"{path.name}:{n}: expected an object, got {type(row).__name__}")
            continue
        rows.append((path.name, n, row))
    return rows


def _name_keys(name: str) -> list[tuple[str, ...]]:
    """The name as normalised words, and the variant with the article toggled on its first word."""
    words = tuple(t.norm for t in tokenize(name) if not t.punct)
    if not words:
        return []
    first = words[0]
    if first.startswith("ال") and len(first) >= 4:
        if len(words) == 1:
            return [words]  # «التايمز» does not also name every «تايمز»
        return [words, (first[2:], *words[1:])]
    return [words, ("ال" + first, *words[1:])]


def _nisba_forms(stem: str) -> set[str]:
    s = normalize(stem)
    forms = {s + "ه", s + "ين", s + "ون", s + "ان", s + "تين"}
    return forms | {s}


def _compile(
    actor_rows: list[tuple[str, int, dict[str, Any]]],
    cue_rows: list[tuple[str, int, dict[str, Any]]],
    patterns: dict[str, Any],
    problems: list[str],
) -> Lexicon:
    actors: dict[str, Actor] = {}
    names: dict[tuple[str, ...], list[str]] = {}
    nisba: dict[str, str] = {}
    metonyms: dict[str, str] = {}
    containers: dict[str, str] = {}
    pending_in: list[tuple[str, str, str]] = []
    nisba_forms = {
        form for _, _, row in actor_rows for stem in (row.get("nisba") or []) if isinstance(stem, str)
        for form in _nisba_forms(stem)
    }

    def add_name(name: str, key: str, generic: bool = False) -> None:
        for n, k in enumerate(_name_keys(name)):
            if n and len(k) == 1 and (generic or k[0] in nisba_forms or k[0][2:] in nisba_forms):
                continue  # السورية is the adjective, not سورية the country; generic words keep their article
            lst = names.setdefault(k, [])
            if key not in lst:
                lst.append(key)

    for fname, n, row in actor_rows:
        where = f"{fname}:{n}"
        rid, typ, ar, en = row.get("id"), row.get("type"), row.get("ar"), row.get("en")
        bad = False
        if not isinstance(rid, str) or not _SLUG_RE.match(rid):
            problems.append(f"{where}: id: {rid!r} is not a lowercase ASCII slug")
            bad = True
        if typ not in ACTOR_TYPES:
            problems.append(f"{where}: type: {typ!r} is not one of {', '.join(ACTOR_TYPES)}")
            bad = True
        if not isinstance(ar, list) or not ar or not all(isinstance(x, str) and x.strip() for x in ar):
            problems.append(f"{where}: ar: expected a non-empty list of Arabic names")
            bad = True
        if en is not None and not isinstance(en, str):
            problems.append(f"{where}: en: expected a string")
            bad = True
        qid = row.get("wikidata")
        if qid is not None and (not isinstance(qid, str) or not _QID_RE.match(qid) or not row.get("source")):
            problems.append(f"{where}: wikidata: {qid!r} needs the form Q123 and a 'source'")
            bad = True
        if bad:
            continue
        assert isinstance(rid, str) and isinstance(typ, str) and isinstance(ar, list)
        prefix = "place" if typ == "Place" else "actor"
        key = f"{prefix}:{rid}"
        if key in actors:
            problems.append(f"{where}: id: {rid!r} is defined twice")
            continue
        same_as = f"http://www.wikidata.org/entity/{qid}" if qid else None
        actors[key] = Actor(key, typ, ar[0], en, tuple(ar[1:]), same_as, bool(row.get("generic")))
        for name in ar:
            add_name(name, key, bool(row.get("generic")))
        for stem in row.get("nisba", []) or []:
            for form in _nisba_forms(stem):
                nisba.setdefault(form, key)
        if typ == "State" and row.get("place"):
            pkey = f"place:{rid}"
            actors[pkey] = Actor(pkey, "Place", ar[0], en, tuple(ar[1:]), None, False)
            for name in ar:
                add_name(name, pkey)
        capitals = [c for c in row.get("capital", []) or [] if isinstance(c, str) and c.strip()]
        if capitals:
            # one city, its spellings as labels; the id from its English name (Damascus -> place:damascus)
            cap_en = row.get("capital_en")
            slug = _SLUG_JUNK.sub("-", cap_en.lower()).strip("-") if isinstance(cap_en, str) else ""
            ckey = f"place:{slug or _capital_slug(capitals[0], rid)}"
            if ckey in actors and actors[ckey].label_ar not in capitals:
                problems.append(f"{where}: capital_en: {cap_en!r} gives id {ckey!r}, which another row uses")
            actors[ckey] = Actor(ckey, "Place", capitals[0], cap_en if isinstance(cap_en, str) else None,
                                 tuple(capitals[1:]), None, False)
            for cap in capitals:
                add_name(cap, ckey)
            metonyms[ckey] = key
            if row.get("place"):
                containers.setdefault(ckey, f"place:{rid}")
        if isinstance(row.get("in"), str):
            pending_in.append((where, key, row["in"]))
    for where, key, parent in pending_in:
        pkey = f"place:{parent}"
        if pkey not in actors:
            problems.append(f"{where}: in: {parent!r} is not a place id")
        else:
            containers[key] = pkey

    cues: dict[tuple[str, ...], list[Cue]] = {}
    for fname, n, row in cue_rows:
        where = f"{fname}:{n}"
        kind = row.get("kind", "relation")
        rel = row.get("relation")
        if kind not in CUE_KINDS:
            problems.append(f"{where}: kind: {kind!r} is not one of {', '.join(CUE_KINDS)}")
            continue
        if kind == "relation" and rel not in RELATIONS:
            problems.append(f"{where}: relation: {rel!r} is not one of the 17 relations")
            continue
        unknown = set(row) - _CUE_FIELDS
        if unknown:
            problems.append(f"{where}: unknown field(s) {sorted(unknown)!r}; allowed: {sorted(_CUE_FIELDS)}")
            continue
        for tfield in ("patient_types", "agent_types"):
            bad_types = [t for t in row.get(tfield, []) if t not in ACTOR_TYPES]
            if bad_types:
                problems.append(f"{where}: {tfield}: {bad_types!r} are not actor types")
        if row.get("genitive", "auto") not in ("auto", "agent", "patient"):
            problems.append(f"{where}: genitive: {row.get('genitive')!r} is not auto, agent or patient")
        forms = row.get("forms")
        if not isinstance(forms, dict) or not forms:
            problems.append(f"{where}: forms: expected an object of part of speech -> list of words")
            continue
        for pos, words in forms.items():
            if pos not in POS or not isinstance(words, list):
                problems.append(f"{where}: forms: {pos!r} is not one of {', '.join(POS)} with a list")
                continue
            for word in words:
                parts = [normalize(w) for w in str(word).split()]
                if not parts:
                    continue
                heads = inflect(pos, parts[0]) if pos != "particle" else {parts[0]}
                for head in heads:
                    first = head if pos in ("verb", "passive_verb") else strip_article(head)  # التقى keeps its alif-lam
                    key_words = (first, *(strip_article(p) for p in parts[1:]))
                    cue = Cue(
                        id=str(row.get("id", where)),
                        kind=kind,
                        relation=rel if kind == "relation" else ("denies" if kind == "deny" else None),
                        pos=pos,
                        words=key_words,
                        objects=tuple(normalize(x) for x in row.get("objects", [])),
                        agents=tuple(normalize(x) for x in row.get("agents", [])),
                        genitive=row.get("genitive", "auto"),
                        patient_types=tuple(row.get("patient_types", [])),
                        agent_types=tuple(row.get("agent_types", [])),
                        confidence=float(row.get("confidence", 0.7)),
                        adverbial=bool(row.get("adverbial", False)),
                        result=bool(row.get("result", False)),
                        ambiguous_passive=bool(row.get("ambiguous_passive", False)),
                        apposition=bool(row.get("apposition", False)),
                        symmetric=bool(row.get("symmetric", False)),
                    )
                    lst = cues.setdefault(key_words, [])
                    if cue not in lst:
                        lst.append(cue)

    word_lists: dict[str, frozenset[str]] = {}
    for name, value in patterns.items():
        if isinstance(value, list) and all(isinstance(x, str) for x in value):
            word_lists[name] = frozenset(lexicon_key(x) for x in value) | frozenset(normalize(x) for x in value)

    frozen_names = {k: tuple(v) for k, v in names.items()}
    frozen_cues = {k: tuple(v) for k, v in cues.items()}
    return Lexicon(
        name_trie=_trie(frozen_names),
        cue_trie=_trie(frozen_cues),
        actors=actors,
        names=frozen_names,
        nisba=nisba,
        metonyms=metonyms,
        containers=containers,
        cues=frozen_cues,
        patterns=patterns,
        max_name_len=max((len(k) for k in names), default=1),
        max_cue_len=max((len(k) for k in cues), default=1),
        words=word_lists,
    )




def index_by_first(phrases: Sequence[tuple[str, ...]]) -> dict[str, list[int]]:
    """The positions in ``phrases`` of the phrases starting with each word, in order.

    Pattern tables are tried only where a token can start one of their phrases.

    >>> index_by_first([("تحت", "سيطرة"), ("بيد",), ("تحت", "قبضة")])
    {'تحت': [0, 2], 'بيد': [1]}
    """
    index: dict[str, list[int]] = {}
    for n, words in enumerate(phrases):
        index.setdefault(words[0], []).append(n)
    return index


#: The key of a trie node that holds the values of the phrase ending there. It is not a
#: string, so no word of a text can reach it: a token that normalises to nothing (a lone
#: tatweel «ـ») once looked up ``""`` and got the values where a child node was expected.
END: Final = None


def _trie(table: dict[tuple[str, ...], Any]) -> dict[str | None, Any]:
    root: dict[str | None, Any] = {}
    for words, value in table.items():
        node = root
        for w in words:
            node = node.setdefault(w, {})
        node[END] = value
    return root


def _capital_slug(name: str, state: str) -> str:
    return slugify(name).lower() or f"{state}-capital"
