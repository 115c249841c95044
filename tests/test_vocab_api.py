"""The public surface: the closed kg: namespace, kg.__all__, the packaged lexicons, and the wheel."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, URIRef

import kg
from kg.errors import LexiconError
from kg.lexicon import Lexicon, ontology_path
from kg.vocab import KG, KG_NS

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILES = ("actors.jsonl", "cues.jsonl", "patterns.json", "kg.ttl")


# --- the kg: namespace -----------------------------------------------------


def defined_in_ttl() -> set[str]:
    """Local names of the kg: IRIs that ontology/kg.ttl gives an rdf:type."""
    g = rdflib.Graph().parse(ROOT / "ontology" / "kg.ttl", format="turtle")
    return {str(s)[len(KG_NS):] for s in g.subjects(RDF.type, None) if str(s).startswith(KG_NS)}


def test_every_term_defined_in_the_ontology_is_in_the_kg_namespace() -> None:
    missing = defined_in_ttl() - set(KG.__annotations__)
    assert missing == set(), f"defined in kg.ttl but not in kg.vocab.KG: {sorted(missing)}"


def test_every_kg_namespace_term_is_defined_in_the_ontology() -> None:
    undefined = set(KG.__annotations__) - defined_in_ttl()
    assert undefined == set(), f"in kg.vocab.KG but not defined in kg.ttl: {sorted(undefined)}"


def test_kg_namespace_terms_are_iris_in_the_ontology_namespace() -> None:
    assert KG.negotiatesWith == URIRef("https://w3id.org/rawabit/ontology#negotiatesWith")
    assert all(getattr(KG, name) == URIRef(KG_NS + name) for name in KG.__annotations__)


def test_kg_namespace_is_closed() -> None:
    with pytest.raises(AttributeError, match="NotATerm"):
        KG.NotATerm  # noqa: B018


# --- kg.__all__ ------------------------------------------------------------


def test_all_lists_exactly_the_public_names_of_the_package() -> None:
    """Like httpx's test_exported_members: nothing public leaks, nothing listed is missing."""
    public = {
        name for name, value in vars(kg).items()
        if (not name.startswith("_") or name == "__version__") and not isinstance(value, types.ModuleType)
    }
    assert set(kg.__all__) == public
    assert len(kg.__all__) == len(set(kg.__all__))


@pytest.mark.parametrize("name", kg.__all__)
def test_exported_name_is_importable_from_the_package(name: str) -> None:
    namespace: dict[str, object] = {}
    exec(f"from kg import {name}", namespace)  # noqa: S102 - the import statement users write
    assert namespace[name] is getattr(importlib.import_module("kg"), name)


def test_version_is_the_installed_distribution_version() -> None:
    from importlib.metadata import version

    assert isinstance(kg.__version__, str)
    assert kg.__version__ == version("rawabit")


def test_exceptions_form_one_tree() -> None:
    for name in ("InputError", "LexiconError", "OntologyError", "ExportError", "StoreError"):
        assert issubclass(getattr(kg, name), kg.KGError)
    assert issubclass(kg.InputError, ValueError)


# --- packaged lexicons -----------------------------------------------------


@pytest.mark.parametrize("name", ONTOLOGY_FILES)
def test_ontology_path_finds_the_packaged_file(name: str) -> None:
    path = ontology_path(name)
    assert path.is_file(), path
    assert path.parent == ontology_path()


def test_builtin_lexicon_loads_actors_and_cues(lexicon: Lexicon) -> None:
    assert lexicon.actors and lexicon.cues and lexicon.names
    assert all(key.split(":", 1)[0] in {"actor", "place"} for key in lexicon.actors)


def test_lexicon_error_lists_every_bad_row_of_every_file_at_once(tmp_path: Path) -> None:
    actors = tmp_path / "actors.jsonl"
    actors.write_text(
        "\n".join([
            json.dumps({"id": "russia", "type": "State", "ar": ["روسيا"], "en": "Russia"}, ensure_ascii=False),
            json.dumps({"id": "Bad Id", "type": "State", "ar": ["مكان"]}, ensure_ascii=False),
            json.dumps({"id": "ghost", "type": "Alien", "ar": ["شبح"]}, ensure_ascii=False),
        ]) + "\n",
        encoding="utf-8",
    )
    cues = tmp_path / "cues.jsonl"
    cues.write_text(json.dumps({"id": "c1", "kind": "rumour", "forms": {"verb": ["زعم"]}}, ensure_ascii=False)
                    + "\n", encoding="utf-8")
    patterns = tmp_path / "patterns.json"
    patterns.write_text("{}", encoding="utf-8")

    with pytest.raises(LexiconError, match=r"actors\.jsonl:2: id: 'Bad Id'") as info:
        Lexicon.from_files(actors, cues, patterns)
    message = str(info.value)
    assert "actors.jsonl:3: type: 'Alien'" in message
    assert "cues.jsonl:1: kind: 'rumour'" in message
    assert len(info.value.problems) == 3
    assert "actors.jsonl:1" not in message


# --- the wheel -------------------------------------------------------------


def _hatchling_available() -> bool:
    try:
        importlib.import_module("hatchling")
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the source tree (build isolation fetches hatchling when it is not installed)."""
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), "."]
    if _hatchling_available():
        cmd.insert(5, "--no-build-isolation")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    (path,) = out.glob("rawabit-*.whl")
    return path


def test_wheel_holds_the_ontology_data_and_the_entry_point(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
    expected = {f"kg/_ontology/{name}" for name in ONTOLOGY_FILES}
    if (ROOT / "kg" / "py.typed").exists():
        expected.add("kg/py.typed")
    assert expected <= names, sorted(expected - names)
    assert "kg/__init__.py" in names and "kg/cli.py" in names
    assert "kg = kg.cli:main" in entry_points


def test_installed_wheel_loads_its_own_ontology(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    script = (
        "import kg, kg.lexicon\n"
        "print(kg.lexicon.ontology_path())\n"
        "print(kg.__file__)\n"
        "print(len(kg.Lexicon.builtin().actors))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", script], cwd=work, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    data_dir, module_file, n_actors = done.stdout.splitlines()
    assert Path(module_file).resolve().is_relative_to(site.resolve())
    assert Path(data_dir).resolve().is_relative_to(site.resolve()), data_dir
    assert int(n_actors) > 0


def test_package_ships_a_py_typed_marker() -> None:
    """STYLE.md item 2: the package is typed and says so (PEP 561)."""
    assert (ROOT / "kg" / "py.typed").is_file()
