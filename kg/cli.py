"""The ``kg`` command line: a thin shell over the library."""

from __future__ import annotations

import signal
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .errors import KGError, _Terminated, _terminate_as_interrupt

if TYPE_CHECKING:
    from .lexicon import Lexicon

__all__ = ["main", "cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """rawabit (روابط): Arabic news text to a knowledge graph of actors and relations."""


@cli.command("build")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--formats", default="ttl,nq,html", show_default=True,
              help="Comma-separated: ttl, nq, trig, nt, jsonld, csv, graphml, html, or all.")
@click.option("--base", default=None, help="Instance namespace (default https://w3id.org/rawabit/id/).")
@click.option("--store", default=None, type=click.Path(file_okay=False),
              help="Also add the documents to this Oxigraph store folder (made when missing); "
                   "a document built again replaces its graph.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that extract (default: every core). With --dask local: its worker processes.")
@click.option("--dask", "dask", metavar="SCHEDULER", default=None,
              help="Run on a Dask cluster: a scheduler address (tcp://host:8786) or 'local'; "
                   "also writes OUTDIR/shards/part-NNNNN.nq. Needs the 'dask' extra.")
@click.option("--top", type=click.IntRange(min=1), metavar="N", default=None,
              help="Draw only the N actors of highest degree, and the edges between them, in graph.html "
                   "(html must be among --formats); the RDF and other files keep every actor.")
@click.option("--fail-fast", is_flag=True,
              help="Stop at the first document whose extraction fails (exit 1, nothing written) instead of "
                   "leaving it out, listing it in OUTDIR/failed.jsonl and exiting 3 at the end.")
@click.option("--model", "model_path", default=None, type=click.Path(dir_okay=False),
              help="A model written by `kg train` (a mention tagger and a relation model), 'builtin' for "
                   "the one shipped (the default), or 'rules' for the hand rules alone.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def build_cmd(inputs: tuple[str, ...], outdir: str, formats: str, base: str | None, store: str | None,
              workers: int | None, dask: str | None, top: int | None, fail_fast: bool, model_path: str | None,
              quiet: bool) -> None:
    """Build the graph of INPUTS (.txt, .jsonl, folders, or - for stdin) into OUTDIR.

    A document whose extraction fails (a bug, never the input's fault) is left out: one line on
    stderr names it, OUTDIR/failed.jsonl lists it (build that file again once fixed), every other
    document is written, and the exit status is 3.
    """
    from tqdm import tqdm  # type: ignore[import-untyped]

    from .builder import build
    from .rdf import DEFAULT_BASE

    # No total (inputs stream): the bar counts documents and shows documents/s. No monitor thread:
    # a process with one thread can start its worker processes by fork, at once (kg.builder).
    tqdm.monitor_interval = 0
    lexicon = _lexicon_with(model_path)
    bar: Any
    if quiet or sys.stderr.isatty():
        bar = tqdm(desc="building", unit=" documents", disable=quiet, file=sys.stderr, leave=False, smoothing=0.1)
    else:  # a log file or a CI job: plain lines, not a bar redrawn with carriage returns
        bar = _ProgressLines("building", "documents", PROGRESS_EVERY)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = build(list(inputs), outdir, formats, base=base or DEFAULT_BASE,
                           stdin=sys.stdin.buffer, on_document=lambda _doc: bar.update(1), store=store,
                           workers=workers, dask=dask, top=top, fail_fast=fail_fast, lexicon=lexicon,
                           on_failure=lambda failure: bar.write(f"Failed: {failure.line()}", file=sys.stderr))
    finally:
        bar.close()
    for w in [*(str(c.message) for c in caught), *result.warnings]:
        click.echo(f"Warning: {w}", err=True)
    if not quiet:
        click.echo(result.summary())
    if result.failed:
        click.get_current_context().exit(3)


#: Seconds between two progress lines of ``kg build`` when stderr is no terminal.
PROGRESS_EVERY = 5.0


class _ProgressLines:
    """Progress for logs: ``building: 1,200 documents, 310/s`` (the mean rate since the start) on stderr,
    at the first document and then at most every ``every`` seconds.

    It works in the caller's thread, on each :meth:`update` (no monitor thread, unlike tqdm's), and
    takes the same calls as the tqdm bar it stands in for.
    """

    def __init__(self, desc: str, unit: str, every: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.desc, self.unit, self.every, self.clock = desc, unit, every, clock
        self.count = 0
        self.start = clock()
        self.last: float | None = None

    def update(self, n: int = 1) -> None:
        """Count ``n`` more; print a line if none was printed yet or ``every`` seconds have passed since."""
        self.count += n
        now = self.clock()
        if self.last is None or now - self.last >= self.every:
            # the first line says the work has begun; its rate would measure the start-up (workers, models)
            first, self.last = self.last is None, now
            rate = "" if first or now <= self.start else f", {self.count / (now - self.start):,.0f}/s"
            click.echo(f"{self.desc}: {self.count:,} {self.unit}{rate}", err=True)

    def write(self, text: str, file: Any = None) -> None:
        """Print a line of its own (as ``tqdm.write``)."""
        click.echo(text, err=True)

    def close(self) -> None:
        """Nothing to clear (as ``tqdm.close``)."""


def _lexicon_with(model_path: str | None) -> Lexicon | None:
    """The packaged lexicons carrying the model of ``--model`` (``rules``: none), or None (the defaults:
    the shipped model) without it."""
    if model_path is None:
        return None
    from .classifier import load_model, with_model
    from .lexicon import Lexicon

    return with_model(Lexicon.builtin(), None if model_path == "rules" else load_model(model_path))


@cli.command("train")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.argument("texts", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The model file to write (JSON).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None,
              help="Threshold for the statements the model adds; with it, every rule statement is kept (floor 0). "
                   "Default: the threshold and floor of best relation F1 in a 3-fold split of GOLD.")
@click.option("--tagger", is_flag=True,
              help="Also train a mention tagger on the gold names, which finds actors the rules miss (more "
                   "recall, but on real feeds more nodes that are no actors; see docs/evaluation.md).")
def train_cmd(gold: str, texts: str, out: str, threshold: float | None, tagger: bool) -> None:
    """Train a relation model (and, with --tagger, a mention tagger) on GOLD.jsonl (annotated paragraphs)
    and TEXTS.jsonl (their texts, by id).

    Writes one JSON model for `kg build --model`; the same data give the same file. The formats are
    described in docs/evaluation.md ("Retraining: kg train").
    """
    from .train import train_files

    model = train_files(gold, texts, out, threshold=threshold, mentions=tagger)
    info = dict(model.meta).get("training", {})
    click.echo(f"trained on {info.get('paragraphs')} paragraphs ({info.get('candidates')} candidates, "
               f"{info.get('positives')} positive); threshold {model.threshold:.2f}, floor {model.floor:.2f}; wrote {out}")


@cli.command("evaluate")
@click.argument("gold", type=click.Path(dir_okay=False))
@click.argument("graph")
@click.option("--verbose", "-v", is_flag=True, help="Also list every missed (MISS) and extra (EXTRA) relation, "
                                                    "paragraph by paragraph.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (relations, actors, per_relation, "
                                                      "modality) instead of tables.")
def evaluate_cmd(gold: str, graph: str, verbose: bool, as_json: bool) -> None:
    """Score GRAPH (a .nq/.trig/.ttl file or a kg build folder) against GOLD.jsonl (annotated paragraphs).

    Prints precision, recall and F1 of each relation, of all relations and of actors, and the accuracy of
    modality on the relations found. Paragraphs and documents pair by id; docs/evaluation.md has the
    formats and how names are matched.
    """
    import json

    from .evaluate import evaluate

    result = evaluate(gold, graph)
    if result.missing:
        shown = ", ".join(repr(i) for i in result.missing[:5]) + (", …" if len(result.missing) > 5 else "")
        click.echo(f"Warning: {len(result.missing)} of {result.documents} gold paragraphs are no document of the "
                   f"graph ({shown}); they count as missed", err=True)
    if as_json:
        click.echo(json.dumps(result.to_json(verbose=verbose), ensure_ascii=False, indent=1))
    else:
        click.echo(result.to_text(verbose=verbose), nl=False)


@cli.command("explain")
@click.argument("text")
@click.option("--file", "is_file", is_flag=True, help="TEXT is a path to a .txt file.")
@click.option("--model", "model_path", default=None, type=click.Path(dir_okay=False),
              help="A model written by `kg train`, 'builtin' (the default) or 'rules' (the hand rules alone).")
def explain_cmd(text: str, is_file: bool, model_path: str | None) -> None:
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
    lex = _lexicon_with(model_path) or Lexicon.builtin()
    extraction, traces = explain(doc, lex)
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
        _echo_candidates(t, lex)
    click.echo("statements:")
    for st in extraction.statements:
        by = f" by {st.attributed_to}" if st.attributed_to else ""
        click.echo(f"  {st.subject} {st.predicate} {st.object} [{st.modality}{by}] x{st.count}  ({st.rule})")


def _echo_candidates(trace: Any, lex: Lexicon) -> None:
    """Each candidate the model scored: its probability, the rules' verdict and its strongest features;
    ``=`` marks a rule statement the model keeps, ``x`` one it drops, ``+`` one the model adds, ``-`` one
    left out."""
    from .classifier import model_of
    from .decision import decide

    model = model_of(lex)
    if model is None:
        return
    scored = trace.candidates
    written = {(st.subject, st.predicate, st.object) for st in decide(scored, model, trace)}
    shown = [x for x in scored if x[2] >= 0.05 or x[0].rules]
    for cand, feats, p in sorted(shown, key=lambda x: (-x[2], x[0].subject, x[0].relation, x[0].object)):
        kept = (cand.subject, cand.relation, cand.object) in written
        mark = ("=" if kept else "x") if cand.rules else "+" if kept else "-"
        rules = "rules: " + ", ".join(sorted({st.modality for st in cand.rules})) if cand.rules else "rules: none"
        cue = cand.cue.text if cand.cue is not None else "no cue"
        click.echo(f"  cand {mark} {p:.2f} {cand.subject} {cand.relation} {cand.object} ({cue!r}; {rules})")
        strongest = ", ".join(f"{name} {w:+.2f}" for name, w in model.contributions(cand.relation, feats))
        click.echo(f"             {strongest}")
    if len(shown) < len(scored):
        click.echo(f"  cand   ({len(scored) - len(shown)} more below 0.05)")


@cli.command("validate")
@click.argument("graphs", nargs=-1)
@click.option("--store", default=None, type=click.Path(file_okay=False), help="Validate this Oxigraph store folder.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(min=0),
              help="Print at most this many problems.")
def validate_cmd(graphs: tuple[str, ...], store: str | None, limit: int) -> None:
    """Check GRAPHS (files or kg build folders) or a store against the SHACL shapes; exit 1 when they do not conform."""
    from .validate import validate

    report = validate(list(graphs), store=store)
    click.echo(report.to_text(limit=limit), nl=False)
    if not report.conforms:
        click.get_current_context().exit(1)


@cli.command("query")
@click.argument("args", nargs=-1, required=True, metavar="[GRAPH_OR_STORE]... QUERY")
@click.option("--store", default=None, type=click.Path(file_okay=False), help="Query this Oxigraph store folder.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True,
              help="table for people; csv or json (SPARQL 1.1 results formats) for programs.")
def query_cmd(args: tuple[str, ...], store: str | None, fmt: str) -> None:
    """Answer a SPARQL QUERY (its text, or a .rq file) over graph files, kg build folders or a store.

    The default graph is the union of every document graph.
    """
    from .store import format_result, query

    *sources, sparql = args
    click.echo(format_result(query(sources, sparql, store=store), fmt), nl=False)


@cli.command("push")
@click.argument("graphs", nargs=-1)
@click.option("--endpoint", required=True,
              help="SPARQL 1.1 Graph Store endpoint: http://HOST:7878/store (Oxigraph), "
                   "http://HOST:8890/sparql-graph-crud-auth (Virtuoso), http://HOST:3030/DATASET/data (Fuseki).")
@click.option("--store", default=None, type=click.Path(file_okay=False), help="Push this Oxigraph store folder.")
@click.option("--user", default=None, envvar="KG_PUSH_USER",
              help="User name, sent with Basic or Digest auth as the server asks (or set KG_PUSH_USER).")
@click.option("--password", default=None, envvar="KG_PUSH_PASSWORD",
              help="The user's password (better: set KG_PUSH_PASSWORD).")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds to wait for the server on each request.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
def push_cmd(graphs: tuple[str, ...], endpoint: str, store: str | None, user: str | None, password: str | None,
             timeout: float, quiet: bool) -> None:
    """Load GRAPHS (graph.nq, graph.trig, kg build folders) or a store into a triple store, one PUT per named graph.

    Without --user, a bearer token in the environment variable KG_PUSH_TOKEN is sent, when set.
    """
    import os

    from tqdm import tqdm

    from .store import push

    token = (os.environ.get("KG_PUSH_TOKEN") or None) if user is None else None
    bar = tqdm(desc="graphs", unit="graph", disable=quiet, file=sys.stderr, leave=False)
    try:
        result = push(list(graphs), endpoint, store=store, user=user, password=password, token=token,
                      timeout=timeout, on_graph=lambda _g: bar.update(1))
    finally:
        bar.close()
    if not quiet:
        click.echo(result.summary())


@cli.command("stats")
@click.argument("graph")
@click.option("--plot", default=None, type=click.Path(dir_okay=False),
              help="Also draw relation counts by type (and by day, when documents have dates) to this PNG.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1),
              help="Rows of the centrality and community sections.")
def stats_cmd(graph: str, plot: str | None, limit: int) -> None:
    """Print actors by type, relations by type and modality, the most central actors and communities of GRAPH.

    GRAPH is a graph file (.nq, .trig, .ttl, .nt) or a kg build output folder.
    """
    from .stats import read_stats

    click.echo(read_stats(graph, plot=plot).to_text(limit=limit), nl=False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; a :class:`KGError` becomes ``Error: …`` on stderr and exit status 1."""
    try:
        with _terminate_as_interrupt():
            code = cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except KGError as err:
        click.echo(f"Error: {err}", err=True)
        return 1
    except click.exceptions.Abort as err:
        if isinstance(err.__cause__, _Terminated):
            click.echo("Terminated.", err=True)
            return 128 + signal.SIGTERM
        click.echo("Aborted.", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    return code if isinstance(code, int) else 0  # a command's ctx.exit(N), as kg validate does
