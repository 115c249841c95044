"""The ``kg`` command line: help, builds, input forms, and clean ``Error:`` lines for bad input."""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from kg.cli import cli, main

SIEGE = "حاصرت قوات النظام مدينة دوما."
DENIAL = "نفت حركة أحرار الشام وجود مفاوضات مع روسيا."
DOC = "https://w3id.org/rawabit/id/doc/"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """``kg ARGS`` in process through :func:`kg.cli.main`: (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("Error:")]


def write_jsonl(path: Path, *rows: dict[str, object] | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def graph_names(nq: Path) -> set[str]:
    return {q.graph_name.value for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS)}  # type: ignore[union-attr]


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- help ------------------------------------------------------------------


def test_every_command_has_help_text() -> None:
    runner = CliRunner()
    assert cli.commands, "the group has commands"
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"kg {name} has a docstring"
        assert command.get_short_help_str(), name
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, result.output
        assert command.help.split("\n")[0].strip() in " ".join(result.stdout.split())
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"kg {name} {param.opts[0]} has help"


def test_group_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Arabic news text" in result.stdout
    for name in cli.commands:
        assert f"  {name} " in result.stdout


def test_version_option_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    import kg

    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"kg, version {kg.__version__}"


def test_python_dash_m_kg_shows_help() -> None:
    done = subprocess.run([sys.executable, "-m", "kg", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: kg" in done.stdout and "build" in done.stdout and "explain" in done.stdout


def test_console_script_shows_help() -> None:
    script = Path(sys.executable).parent / "kg"
    assert script.exists(), "the kg console script is installed beside the interpreter"
    done = subprocess.run([str(script), "build", "--help"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "Usage: kg build" in done.stdout and "--formats" in done.stdout


def test_console_script_reports_a_bad_format_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "kg"
    done = subprocess.run([str(script), "build", str(EXAMPLE), "-o", str(tmp_path / "out"), "--formats", "bogus"],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(error_lines(done.stderr)) == 1 and "'bogus'" in done.stderr


# --- building --------------------------------------------------------------


def test_build_writes_the_default_files_and_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert files_in(out) == ["graph.html", "graph.nq", "graph.ttl"]
    assert "documents: 1" in result.stdout
    assert f"wrote {out / 'graph.ttl'}" in result.stdout
    assert graph_names(out / "graph.nq") == {DOC + "ghouta_ar"}


def test_build_through_main_returns_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "out")
    assert code == 0, err
    assert "documents: 1" in out
    assert "Error" not in err


def test_quiet_build_prints_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "out", "--quiet", "--formats", "nq")
    assert code == 0
    assert (out, err) == ("", "")


def test_formats_ttl_writes_only_turtle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "out", "--formats", "ttl")
    assert code == 0, err
    assert files_in(tmp_path / "out") == ["graph.ttl"]


def test_format_aliases_and_all(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "a", "--formats", "turtle, N-Quads")
    assert code == 0, err
    assert files_in(tmp_path / "a") == ["graph.nq", "graph.ttl"]
    code, _, err = run(capsys, "build", EXAMPLE, "-o", tmp_path / "b", "--formats", "all")
    assert code == 0, err
    assert files_in(tmp_path / "b") == ["edges.csv", "graph.graphml", "graph.html", "graph.jsonld", "graph.nq",
                                        "graph.nt", "graph.trig", "graph.ttl"]


def test_unknown_format_is_an_error_listing_the_known_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "build", EXAMPLE, "-o", out, "--formats", "ttl,bogus")
    assert code == 1
    (line,) = error_lines(err)
    assert "'bogus'" in line
    for known in ("ttl", "nq", "trig", "nt", "jsonld", "html", "all"):
        assert known in line.split("choose from", 1)[1]
    assert "Traceback" not in err and stdout == ""
    assert not out.exists()


def test_jsonl_with_two_documents_gives_two_named_graphs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "news.jsonl", {"id": "a", "text": SIEGE}, {"id": "b", "text": DENIAL})
    code, out, err = run(capsys, "build", src, "-o", tmp_path / "out", "--formats", "nq")
    assert code == 0, err
    assert "documents: 2" in out
    assert graph_names(tmp_path / "out" / "graph.nq") == {DOC + "a", DOC + "b"}


def test_folder_input_reads_txt_and_jsonl_and_ignores_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "corpus"
    (folder / "more").mkdir(parents=True)
    (folder / "siege.txt").write_text(SIEGE, encoding="utf-8")
    write_jsonl(folder / "more" / "feed.jsonl", {"id": "f1", "text": DENIAL}, {"id": "f2", "text": SIEGE})
    (folder / "README.md").write_text("# ملاحظات\nليست خبرا.", encoding="utf-8")
    code, out, err = run(capsys, "build", folder, "-o", tmp_path / "out", "--formats", "nq")
    assert code == 0, err
    assert "documents: 3" in out
    assert graph_names(tmp_path / "out" / "graph.nq") == {DOC + "siege", DOC + "f1", DOC + "f2"}


def test_dash_reads_stdin_as_document_stdin(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "-", "-o", str(out), "--formats", "nq"], input=SIEGE.encode("utf-8"))
    assert result.exit_code == 0, result.output
    assert "documents: 1" in result.stdout
    assert graph_names(out / "graph.nq") == {DOC + "stdin"}


def test_document_without_arabic_is_built_with_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "mixed.jsonl", {"id": "ar", "text": SIEGE}, {"id": "en", "text": "Douma is besieged."})
    code, out, err = run(capsys, "build", src, "-o", tmp_path / "out", "--formats", "nq")
    assert code == 0, err
    assert "documents: 2" in out
    assert "Warning: document 'en' holds no Arabic text" in err


def test_unparseable_date_is_warned_about_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write_jsonl(tmp_path / "dated.jsonl", {"id": "d1", "text": SIEGE, "date": "أمس"})
    code, _, err = run(capsys, "build", src, "-o", tmp_path / "out", "--formats", "ttl,nq,trig")
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 1, warnings
    assert "'أمس'" in warnings[0]


def test_explain_shows_the_statements_of_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", SIEGE)
    assert code == 0, err
    assert "[s1]" in out
    assert "statements:" in out
    assert "actor:syrian-regime-forces besieges place:douma [Asserted]" in out


def test_explain_file_reads_a_text_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.txt"
    path.write_bytes(SIEGE.encode("cp1256"))
    code, out, err = run(capsys, "explain", path, "--file")
    assert code == 0, err
    assert "besieges place:douma" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(None, r"cannot read '.*missing\.txt'", id="missing"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"'.*bad\.txt' looks binary", id="binary"),
    ],
)
def test_explain_file_errors_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / ("missing.txt" if content is None else "bad.txt")
    if content is not None:
        path.write_bytes(content)
    code, _, err = run(capsys, "explain", path, "--file")
    assert code == 1
    (line,) = error_lines(err)
    assert re.search(message, line), line
    assert "Traceback" not in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", str(EXAMPLE))
    assert code == 2
    assert "Missing option '-o'" in err


# --- bad input: one Error line, exit 1, nothing written --------------------


def _missing(tmp: Path) -> list[Path]:
    return [tmp / "missing.txt"]


def _empty(tmp: Path) -> list[Path]:
    (tmp / "empty.txt").write_bytes(b"")
    return [tmp / "empty.txt"]


def _whitespace(tmp: Path) -> list[Path]:
    (tmp / "blank.txt").write_text(" \n\t \u00a0\n", encoding="utf-8")
    return [tmp / "blank.txt"]


def _binary(tmp: Path) -> list[Path]:
    (tmp / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\x00\x08\x06")
    return [tmp / "photo.txt"]


def _binary_valid_utf8(tmp: Path) -> list[Path]:
    (tmp / "db.txt").write_bytes(b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20" + b"\x00" * 200)
    return [tmp / "db.txt"]


def _malformed_jsonl(tmp: Path) -> list[Path]:
    return [write_jsonl(tmp / "feed.jsonl", {"id": "ok", "text": SIEGE}, '{"id": "x", "text": "نص"')]


def _jsonl_without_text(tmp: Path) -> list[Path]:
    return [write_jsonl(tmp / "feed.jsonl", {"id": "ok", "text": SIEGE}, {"id": "x", "body": "نص"})]


def _duplicate_ids(tmp: Path) -> list[Path]:
    (tmp / "a").mkdir()
    (tmp / "b").mkdir()
    (tmp / "a" / "news.txt").write_text(SIEGE, encoding="utf-8")
    (tmp / "b" / "news.txt").write_text(DENIAL, encoding="utf-8")
    return [tmp / "a" / "news.txt", tmp / "b" / "news.txt"]


def _folder_without_inputs(tmp: Path) -> list[Path]:
    (tmp / "notes").mkdir()
    (tmp / "notes" / "readme.md").write_text(SIEGE, encoding="utf-8")
    (tmp / "notes" / "data.csv").write_text("a,b\n", encoding="utf-8")
    return [tmp / "notes"]


BAD_INPUTS: list[tuple[Callable[[Path], list[Path]], str]] = [
    (_missing, r"no such file or folder: '.*missing\.txt'"),
    (_empty, r"'.*empty\.txt' is empty"),
    (_whitespace, r"'.*blank\.txt' is empty"),
    (_binary, r"'.*photo\.txt' looks binary"),
    (_binary_valid_utf8, r"'.*db\.txt' looks binary"),
    (_malformed_jsonl, r"feed\.jsonl:2: not valid JSON"),
    (_jsonl_without_text, r"feed\.jsonl:2: \"text\" must be a string"),
    (_duplicate_ids, r"duplicate document id 'news' \(in .*a/news\.txt and .*b/news\.txt\)"),
    (_folder_without_inputs, r"folder '.*notes' holds no \.txt or \.jsonl files"),
]


@pytest.mark.parametrize(("make", "message"), BAD_INPUTS, ids=[m.__name__.strip("_") for m, _ in BAD_INPUTS])
def test_bad_input_is_one_error_line_and_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], list[Path]], message: str
) -> None:
    inputs = make(tmp_path)
    out = tmp_path / "out"
    code, stdout, err = run(capsys, "build", *inputs, "-o", out)
    assert code == 1, (stdout, err)
    lines = error_lines(err)
    assert len(lines) == 1, err
    assert re.search(message, lines[0]), lines[0]
    assert "Traceback" not in err
    assert not out.exists(), files_in(out)


def test_bad_input_through_the_runner_raises_the_kg_error(tmp_path: Path) -> None:
    import kg

    result = CliRunner().invoke(cli, ["build", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert isinstance(result.exception, kg.InputError)


# --- atomic output ---------------------------------------------------------


@pytest.fixture()
def earlier_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, dict[str, bytes]]:
    """An output folder holding a good build of one document, and the bytes of its files."""
    src = write_jsonl(tmp_path / "first.jsonl", {"id": "first", "text": SIEGE})
    out = tmp_path / "out"
    code, _, err = run(capsys, "build", src, "-o", out, "--formats", "ttl,nq")
    assert code == 0, err
    return out, {name: (out / name).read_bytes() for name in files_in(out)}


def _second_input(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "second.jsonl", {"id": "second", "text": DENIAL})


def _assert_unchanged(out: Path, before: dict[str, bytes]) -> None:
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []
    for name, data in before.items():
        assert (out / name).read_bytes() == data, f"{name} changed"


def test_failed_input_leaves_the_earlier_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], earlier_build: tuple[Path, dict[str, bytes]]
) -> None:
    out, before = earlier_build
    code, _, err = run(capsys, "build", _second_input(tmp_path), tmp_path / "missing.txt", "-o", out,
                       "--formats", "ttl,nq")
    assert code == 1 and len(error_lines(err)) == 1
    _assert_unchanged(out, before)


def test_failed_write_leaves_the_earlier_file_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], earlier_build: tuple[Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out, before = earlier_build

    def disk_full(items: object, output: object = None, format: object = None, **kwargs: object) -> None:  # noqa: A002
        output.write(b"@prefix kg: <https://w3id.org/rawabit/onto")  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ox, "serialize", disk_full)
    code, _, err = run(capsys, "build", _second_input(tmp_path), "-o", out, "--formats", "ttl")
    assert code == 1
    (line,) = error_lines(err)
    assert "cannot write" in line and "graph.ttl" in line and "No space left on device" in line
    assert "Traceback" not in err
    _assert_unchanged(out, before)


def test_a_build_failing_on_a_later_file_leaves_earlier_files_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], earlier_build: tuple[Path, dict[str, bytes]]
) -> None:
    out, before = earlier_build
    (out / "graph.trig").mkdir()  # graph.trig cannot be replaced: the build fails after writing graph.ttl
    code, _, err = run(capsys, "build", _second_input(tmp_path), "-o", out, "--formats", "ttl,nq,trig")
    assert code == 1
    (line,) = error_lines(err)
    assert "graph.trig" in line
    _assert_unchanged(out, before)
