"""rawabit (روابط): Arabic news text to a knowledge graph of actors and their relations.

>>> import kg
>>> result = kg.analyse("حاصرت قوات النظام مدينة دوما.")
>>> [(s.subject, s.predicate, s.object) for s in result.statements]
[('actor:syrian-regime-forces', 'besieges', 'place:douma')]
>>> dataset, network = result.to_rdflib(), result.to_networkx()  # rdflib Dataset, networkx MultiDiGraph

:func:`analyse` is the one-line entry (:mod:`kg.api`); :func:`extract` is the step it
runs per document, :func:`build` writes a corpus's files (``kg build``).
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .errors import ExportError, InputError, KGError, LexiconError, OntologyError, StoreError
from .lexicon import Lexicon
from .model import Actor, Document, Extraction, Mention, Sentence, Statement
from .builder import build
from .pipeline import explain, extract
from .api import Analysis, analyse

try:
    __version__ = _version("rawabit")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Actor",
    "Analysis",
    "Document",
    "ExportError",
    "Extraction",
    "InputError",
    "KGError",
    "Lexicon",
    "LexiconError",
    "Mention",
    "OntologyError",
    "Sentence",
    "Statement",
    "StoreError",
    "__version__",
    "analyse",
    "build",
    "explain",
    "extract",
]

