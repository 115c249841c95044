"""The documentation is followed as a user would: every command runs, and no path leads out of the repository.

(a) Every ```sh block of ``README.md`` and ``docs/*.md`` runs with ``bash -e``, and every ```python
block with the project's Python, from a scratch copy of the repository with the venv's ``bin`` first
on ``PATH``. The blocks of one page run in order in one scratch copy, as a reader goes down the page
(a query block may read what a build block above it wrote). A block whose preceding line is
``<!-- illustrative -->`` is not run: set-up commands that make the venv (CI runs the two commands
of the README), servers (Fuseki, QLever, Virtuoso), a remote Dask scheduler, data kept outside the
repository. Output is shown in ```text or ```console blocks, which are not run.

(b) No link or path in those pages, nor in the text files of ``kg/``, ``ontology/`` and
``examples/``, points outside the repository (a ``../`` that climbs above its root, a path of one
machine, a file of the design kept beside the project), and every relative link of the README and
``docs/`` names a file that exists.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The venv's scripts folder (``kg``, ``python``, ``oxigraph``), put first on ``PATH``.
BIN = Path(sysconfig.get_path("scripts"))
ILLUSTRATIVE = "<!-- illustrative -->"
#: Left out of the scratch copy: the venv, git, caches and build outputs.
_NOT_COPIED = {".venv", ".git", "out", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache", "build", "dist"}
_BLOCK_TIMEOUT = 600


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    """The Markdown file."""
    line: int
    """The line of its opening fence (1-based)."""
    lang: str
    """The fence's info string, first word (``sh``, ``python``, ``text`` …)."""
    code: str
    """Its text, the fence's indentation removed."""
    illustrative: bool
    """Whether the line before it is ``<!-- illustrative -->``."""

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}:{self.line}"


_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)")


def parse_blocks(page: Path) -> list[Block]:
    """Every fenced code block of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, lang = m.group(1), m.group(2), m.group(3).lower()
        before = next((lines[k].strip() for k in range(i - 1, -1, -1) if lines[k].strip()), "")
        body: list[str] = []
        j = i + 1
        while j < len(lines) and not re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[j]):
            body.append(lines[j][len(indent):] if lines[j].startswith(indent) else lines[j].lstrip())
            j += 1
        blocks.append(Block(page, i + 1, lang, "\n".join(body) + "\n", before == ILLUSTRATIVE))
        i = j + 1
    return blocks


def _runnable() -> list[Block]:
    return [b for page in _pages() for b in parse_blocks(page) if b.lang in ("sh", "python") and not b.illustrative]


def _copy_repository(dest: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        at_root = Path(folder).resolve() == ROOT
        return {n for n in names
                if n == "__pycache__" or n.endswith(".egg-info") or (at_root and n in _NOT_COPIED)}

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def repository_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the repository tree, made once; each page gets its own copy of it."""
    return _copy_repository(tmp_path_factory.mktemp("docs") / "template")


@dataclass
class _PageRun:
    folder: Path
    done: int = 0  # blocks of the page run so far (in order)


_RUNS: dict[Path, _PageRun] = {}


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(BIN.parent)
    env.pop("PYTHONPATH", None)
    env["PYTHONWARNINGS"] = "default"
    return env


def _run(block: Block, folder: Path) -> subprocess.CompletedProcess[str]:
    if block.lang == "sh":
        argv = ["bash", "-e", "-c", block.code]
    else:
        argv = [str(BIN / "python"), "-c", block.code]
    return subprocess.run(argv, cwd=folder, env=_environment(), capture_output=True, text=True,
                          timeout=_BLOCK_TIMEOUT, stdin=subprocess.DEVNULL)


def _report(block: Block, result: subprocess.CompletedProcess[str]) -> str:
    def tail(text: str) -> str:
        return "\n".join(text.splitlines()[-40:])

    return (f"the {block.lang} block at {block.id} exited {result.returncode}\n--- block\n{block.code}"
            f"--- stdout (end)\n{tail(result.stdout)}\n--- stderr (end)\n{tail(result.stderr)}")


_BLOCKS = _runnable()


@pytest.mark.parametrize("block", _BLOCKS, ids=[b.id for b in _BLOCKS])
def test_block_runs(block: Block, repository_copy: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The block runs from a copy of the repository, after the blocks above it on its page."""
    run = _RUNS.get(block.page)
    if run is None:
        folder = tmp_path_factory.mktemp(block.page.stem) / "repo"
        shutil.copytree(repository_copy, folder, symlinks=True)
        run = _RUNS[block.page] = _PageRun(folder)
    page_blocks = [b for b in _BLOCKS if b.page == block.page]
    index = page_blocks.index(block)
    for earlier in page_blocks[run.done:index]:  # when a block is run alone (-k), the ones above it first
        _run(earlier, run.folder)
    run.done = index + 1
    result = _run(block, run.folder)
    assert result.returncode == 0, _report(block, result)
    shown = _output_shown(block)
    if shown is not None:
        printed = {line.rstrip() for line in (result.stdout + result.stderr).splitlines()}
        wrong = [line for line in shown.code.splitlines()
                 if line.strip() and "…" not in line and line.rstrip() not in printed]
        assert not wrong, (f"the output shown at {shown.id} is not what the block at {block.id} prints:\n"
                           + "\n".join(wrong) + "\n" + _report(block, result))


def _output_shown(block: Block) -> Block | None:
    """The ```text or ```console block right after ``block`` (only blank lines between), which shows its output.

    Each of its lines, but those with an ellipsis (…, what is left out), must be a line the block prints.
    """
    text = block.page.read_text(encoding="utf-8").splitlines()
    blocks = parse_blocks(block.page)
    later = [b for b in blocks if b.line > block.line]
    if not later or later[0].lang not in ("text", "console"):
        return None
    end = block.line + block.code.count("\n")  # the closing fence's line, 0-based index + 1
    between = text[end + 1:later[0].line - 1]
    return later[0] if all(not line.strip() for line in between) else None


def test_blocks_are_found() -> None:
    """The README's first build and query are among the blocks run, and the two set-up commands are not."""
    readme = [b for b in _BLOCKS if b.page.name == "README.md"]
    assert any("kg build examples/ghouta_ar.txt" in b.code for b in readme)
    assert any("kg query" in b.code for b in readme)
    assert not any("make test" in b.code or "make example" in b.code for b in readme)


# --- (b) paths and links -------------------------------------------------------------------------

_TEXT_SUFFIXES = {".md", ".py", ".ttl", ".jsonl", ".json", ".rq", ".txt", ".html", ".nq", ".csv", ".cfg", ".toml"}
_UP = re.compile(r"(?:\.\./)+[^\s`'\"()<>\[\]{},;|]*")
#: Absolute paths of one machine (``/home/…``, ``/tmp/…``, ``C:\…``); a URL's path is not one.
_MACHINE = re.compile(r"(?<![\w.:/~@-])(?:/(?:work|tmp|home|Users|root|mnt|scratch)/[^\s`'\")]*|[A-Z]:\\\\?[\w\\]+)")
#: Files of the design and the evaluation kept beside the repository, never in it.
_OUTSIDE_NAMES = re.compile(r"\b(?:RDF_PROFILE|DESIGN|STYLE|GUIDELINES)\.md\b")
_LINK = re.compile(
    r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"  # [text](target), ![alt](target)
    r"|^\s*\[[^\]]+\]:\s*(\S+)"  # [id]: target
    r"|(?:src|href)=\"([^\"]+)\"",  # HTML
    re.MULTILINE,
)

_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")


def _scanned_files() -> list[Path]:
    files = list(_pages())
    for top in ("kg", "ontology", "examples"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in _TEXT_SUFFIXES and "__pycache__" not in path.parts:
                files.append(path)
    return files


def _inside(path: Path) -> bool:
    resolved = Path(os.path.normpath(path))
    return resolved == ROOT or ROOT in resolved.parents


def _without_code(text: str) -> str:
    """Markdown text with fenced blocks and inline code blanked (lines kept), for finding links."""
    out: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(2)[0] * len(m.group(2))
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            out.append("")
        else:
            out.append(re.sub(r"`[^`]*`", "``", line))
    return "\n".join(out)


def _links(markdown: str) -> list[tuple[int, str]]:
    """``(line, target)`` of every link, image and ``src``/``href`` outside code."""
    text = _without_code(markdown)
    found = []
    for m in _LINK.finditer(text):
        target = next(g for g in m.groups() if g)
        found.append((text.count("\n", 0, m.start()) + 1, target))
    return found


def _is_relative(target: str) -> bool:
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) and not target.startswith(("#", "//"))


def _problems(rel: str, text: str, markdown: bool) -> list[str]:
    """What leads out of the repository in ``text``, the file at ``rel`` (relative to the root)."""
    problems = []
    # a Markdown link is read from its page's folder (below); every other path from the root
    plain = _LINK_TARGET.sub("]()", text) if markdown else text
    for n, line in enumerate(plain.splitlines(), 1):
        for m in _UP.finditer(line):
            # a path in text or code is read from the repository root (commands run there)
            if not _inside(ROOT / m.group(0)):
                problems.append(f"{rel}:{n}: {m.group(0)!r} leads out of the repository")
        for m in _MACHINE.finditer(line):
            problems.append(f"{rel}:{n}: {m.group(0)!r} is a path of one machine")
        for m in _OUTSIDE_NAMES.finditer(line):
            problems.append(f"{rel}:{n}: {m.group(0)!r} is a design file kept outside the repository")
    if markdown:
        for n, target in _links(text):
            local = target.split("#", 1)[0].split("?", 1)[0]
            if _is_relative(target) and local and not _inside((ROOT / rel).parent / local):
                problems.append(f"{rel}:{n}: link {target!r} leads out of the repository")
    return problems


_SCANNED = _scanned_files()


@pytest.mark.parametrize("path", _SCANNED, ids=[p.relative_to(ROOT).as_posix() for p in _SCANNED])
def test_no_path_leaves_the_repository(path: Path) -> None:
    """No ``../`` above the root, no path of one machine, no design file kept beside the project."""
    rel = path.relative_to(ROOT).as_posix()
    problems = _problems(rel, path.read_text(encoding="utf-8", errors="replace"), path.suffix == ".md")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", _pages(), ids=[p.relative_to(ROOT).as_posix() for p in _pages()])
def test_relative_links_resolve(page: Path) -> None:
    """Every relative link (and image) of the page names a file or folder of the repository."""
    missing = []
    for n, target in _links(page.read_text(encoding="utf-8")):
        if not _is_relative(target):
            continue
        local, _, fragment = target.partition("#")
        local = local.split("?", 1)[0]
        path = (page.parent / local) if local else page
        if not path.exists():
            missing.append(f"{page.relative_to(ROOT).as_posix()}:{n}: {target!r} does not exist")
        elif fragment and path.suffix == ".md" and fragment not in _anchors(path):
            missing.append(f"{page.relative_to(ROOT).as_posix()}:{n}: {target!r}: no such heading in {local or 'the page'}")
    assert not missing, "\n".join(missing)


def _anchors(page: Path) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page (lower case, punctuation dropped, - for spaces)."""
    seen: dict[str, int] = {}
    anchors = set()
    fenced = {b.line + k for b in parse_blocks(page) for k in range(b.code.count("\n") + 2)}
    for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m or n in fenced:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("README.md", "scored by `../shared/eval/score.py`", "leads out"),
        ("README.md", "[the design](../shared/design/x.md)", "leads out"),
        ("docs/a.md", "[the design](../../shared/x.md)", "leads out"),
        ("docs/a.md", "[the README](../README.md) and `kg build docs/x`", None),
        ("kg/a.py", 'ROOT / "../shared"', "leads out"),
        ("README.md", "built in /home/someone/rawabit/examples", "one machine"),
        ("README.md", "kept in /tmp/x", "one machine"),
        ("README.md", "https://example.org/home/x and `--location store/`", None),
        ("kg/rdf.py", "the shape of RDF_PROFILE.md", "design file"),
    ],
)
def test_the_path_check(rel: str, text: str, expected: str | None) -> None:
    """The check itself, on a few lines."""
    found = _problems(rel, text, rel.endswith(".md"))
    if expected is None:
        assert not found
    else:
        assert len(found) == 1 and expected in found[0], found


def test_rdf_profile_examples_are_real_output(repository_copy: Path, tmp_path: Path) -> None:
    """Every node of the Turtle excerpts of docs/rdf_profile.md is written, as shown, by the page's own commands.

    An excerpt is cut into its subjects (from a line that starts a subject to the line that ends with
    `` .``); each must be a run of whole lines of the ``graph.ttl`` the page builds.
    """
    page = ROOT / "docs" / "rdf_profile.md"
    folder = tmp_path / "repo"
    shutil.copytree(repository_copy, folder, symlinks=True)
    blocks = parse_blocks(page)
    for block in blocks:
        if block.lang == "sh" and not block.illustrative:
            result = _run(block, folder)
            assert result.returncode == 0, _report(block, result)
    built = [(folder / name / "graph.ttl").read_text(encoding="utf-8") for name in ("out", "out-feed")]
    excerpts = [b for b in blocks if b.lang == "turtle" and not b.code.lstrip().startswith("@prefix")]
    assert len(excerpts) >= 4
    missing = []
    for block in excerpts:
        node: list[str] = []
        for line in block.code.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            node.append(line)
            if line.endswith(" ."):
                text = "\n" + "\n".join(node) + "\n"
                if not any(text in "\n" + ttl for ttl in built):
                    missing.append(f"{block.id}:\n" + "\n".join(node))
                node = []
        assert not node, f"{block.id}: an excerpt ends inside a node: {node}"
    assert not missing, "nodes of the page that no build wrote so:\n" + "\n".join(missing)
