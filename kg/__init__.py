"""rawabit (روابط): Arabic news text to a knowledge graph of actors and their relations.

>>> from kg import Document, Lexicon, extract
>>> ex = extract(Document("d1", "حاصرت قوات النظام مدينة دوما."), Lexicon.builtin())
>>> [(s.subject, s.predicate, s.object) for s in ex.statements]
[('actor:syrian-regime-forces', 'besieges', 'place:douma')]
"""

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from .errors import ExportError, InputError, KGError, LexiconError, OntologyError, StoreError
from .lexicon import Lexicon
from .model import Actor, Document, Extraction, Mention, Sentence, Statement
from .builder import build
from .pipeline import explain, extract

try:
    __version__ = _version("rawabit")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = [
    "Actor",
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
    "build",
    "explain",
    "extract",
]

