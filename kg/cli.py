"""The ``kg`` command line: a thin shell over the library."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import click

from . import __version__
from .errors import KGError

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """rawabit (روابط): Arabic news text to a knowledge graph of actors and relations."""


@cli.command("build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--formats", default="ttl,nq,html", show_default=True,
              help="Comma-separated: ttl, nq, trig, nt, jsonld, html, or all.")
@click.option("--base", default=None, help="Instance namespace (default https://w3id.org/rawabit/id/).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def build_cmd(inputs: tuple[str, ...], outdir: str, formats: str, base: str | None, quiet: bool) -> None:
    """Build the graph of INPUTS (.txt, .jsonl, folders, or - for stdin) into OUTDIR."""
    from tqdm import tqdm

    from .builder import build
    from .rdf import DEFAULT_BASE

    bar = tqdm(desc="documents", unit="doc", disable=quiet, file=sys.stderr, leave=False)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = build(list(inputs), outdir, formats, base=base or DEFAULT_BASE,
                           stdin=sys.stdin.buffer, on_document=lambda _doc: bar.update(1))
    finally:
        bar.close()
    for w in [*(str(c.message) for c in caught), *result.warnings]:
        click.echo(f"Warning: {w}", err=True)
    if not quiet:
        click.echo(result.summary())


@cli.command("explain")
@click.argument("text")
@click.option("--file", "is_file", is_flag=True, help="TEXT is a path to a .txt file.")
def explain_cmd(text: str, is_file: bool) -> None:
    """Show mentions, cues, frames and the decision for each statement of TEXT."""
    from .lexicon import Lexicon
    from .model import Document
    from .pipeline import explain
    from .read import decode_bytes

    if is_file:
        path = Path(text)
        try:
            data = path.read_bytes()
        except OSError as err:
            raise click.ClickException(f"cannot read {text!r}: {err.strerror}") from err
        doc = Document(path.stem, decode_bytes(data, text))
    else:
        doc = Document("text", text)
    extraction, traces = explain(doc, Lexicon.builtin())
    for t in traces:
        click.echo(f"[s{t.sentence.index + 1}] {t.sentence.text}")
        for m in t.mentions:
            click.echo(f"  mention  {m.text!r} -> {m.actor} ({m.type}, {m.source})")
        for c in t.cues:
            click.echo(f"  cue      {c.text!r} -> {c.cue.id} ({c.cue.kind}, {c.cue.pos})")
        for f in t.frames:
            click.echo(f"  frame    {f.match.cue.id} {f.match.text!r}: {f.agents} -> {f.patients} "
                       f"[{f.modality}{' by ' + f.by if f.by else ''}] {f.decision}")
            for how in f.how:
                click.echo(f"             - {how}")
    click.echo("statements:")
    for st in extraction.statements:
        by = f" by {st.attributed_to}" if st.attributed_to else ""
        click.echo(f"  {st.subject} {st.predicate} {st.object} [{st.modality}{by}] x{st.count}  ({st.rule})")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a :class:`KGError` becomes ``Error: …`` on stderr and exit status 1."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KGError as err:
        click.echo(f"Error: {err}", err=True)
        return 1
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    return 0
