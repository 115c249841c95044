"""Shared fixtures: the packaged lexicon, the example article and one build of it in every RDF format."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ghouta_ar.txt"
RDF_FORMATS = "ttl,nq,trig,nt,jsonld"
#: The workplace's shared data (the real feed, the eval sets), beside the project; absent on a user's clone.
SHARED = ROOT.parent / "shared"


def require_tool(name: str) -> str:
    """The path of executable ``name``; skip the test when it is missing (fail when ``KG_REQUIRE_TOOLS=1``)."""
    path = shutil.which(name)
    if path is None:
        message = f"{name!r} is not installed"
        if os.environ.get("KG_REQUIRE_TOOLS") == "1":
            pytest.fail(f"{message} and KG_REQUIRE_TOOLS=1")
        pytest.skip(message)
    return path


def require_shared(relative: str) -> Path:
    """The path of ``relative`` under ``../shared``; skip the test when it is missing (fail when ``KG_REQUIRE_SHARED=1``)."""
    path = SHARED / relative
    if not path.exists():
        message = f"../shared/{relative} is not beside the project"
        if os.environ.get("KG_REQUIRE_SHARED") == "1":
            pytest.fail(f"{message} and KG_REQUIRE_SHARED=1")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def lexicon() -> kg.Lexicon:
    """The packaged lexicons, loaded once per session."""
    return kg.Lexicon.builtin()


@pytest.fixture(scope="session")
def example_text() -> str:
    """The example article exactly as ``kg`` reads it (bytes decoded, no newline translation)."""
    return EXAMPLE.read_bytes().decode("utf-8-sig")


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """The output folder of one build of the example article in every RDF format."""
    out = tmp_path_factory.mktemp("example_build")
    kg.build([str(EXAMPLE)], out, RDF_FORMATS, lexicon=lexicon)
    return out
