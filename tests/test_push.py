"""``kg push``: graphs loaded into real triple stores over the Graph Store Protocol, checked by SPARQL counts.

Servers run on 127.0.0.1 only, on free ports, and are stopped in teardown:
Oxigraph (``oxigraph serve``) always, Virtuoso where it is installed (a failure,
not a skip, under ``KG_REQUIRE_TOOLS=1``), and small Python servers for the
authentication schemes and the failures a real server can answer with.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pyoxigraph as ox
import pytest

import kg
from kg.errors import InputError, StoreError
from kg.store import PushResult, push
from kg.vocab import ONTOLOGY_IRI

from conftest import EXAMPLE, ROOT, require_tool

SPECS = ROOT / "tests" / "data" / "specs_ar.jsonl"
DOC = "https://w3id.org/rawabit/id/doc/"
COUNTS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
    FILTER (STRSTARTS(STR(?g), "%s")) } GROUP BY ?g"""
STARTUP_SECONDS = 120


# --- helpers ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def nq_sizes(nq: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for q in ox.parse(path=nq, format=ox.RdfFormat.N_QUADS):
        sizes[q.graph_name.value] = sizes.get(q.graph_name.value, 0) + 1  # type: ignore[union-attr]
    return sizes


def sparql_select(endpoint: str, query: str) -> list[dict[str, str]]:
    answer = httpx.post(endpoint, data={"query": query}, timeout=60,
                        headers={"Accept": "application/sparql-results+json"})
    answer.raise_for_status()
    data = answer.json()
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def counts(endpoint: str, prefix: str = "https://w3id.org/rawabit/") -> dict[str, int]:
    """Triples per graph whose name starts with ``prefix``, by SPARQL."""
    return {r["g"]: int(r["n"]) for r in sparql_select(endpoint, COUNTS % prefix)}


def wait_for(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:]
    pytest.fail(f"the server did not answer {url} within {STARTUP_SECONDS}s:\n{tail}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def oxigraph_cli() -> str:
    """The oxigraph server (pip install oxigraph): beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else require_tool("oxigraph")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, lexicon: kg.Lexicon) -> Path:
    """The example article and the spec documents, as graph.nq, graph.trig and graph.ttl."""
    out = tmp_path_factory.mktemp("push_corpus")
    kg.build([str(EXAMPLE), str(SPECS)], out, "nq,trig,ttl", lexicon=lexicon)
    return out


# --- Oxigraph --------------------------------------------------------------------


@pytest.fixture()
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """An empty Oxigraph server on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path / "oxigraph.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([oxigraph_cli(), "serve", "--location", str(tmp_path / "oxdb"),
                                 "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query?query=ASK%7B%7D", proc, log)
        yield base
    finally:
        stop(proc)


def test_push_to_oxigraph_arrives_whole(oxigraph: str, corpus: Path) -> None:
    result = push([corpus / "graph.nq"], oxigraph + "/store")
    expected = nq_sizes(corpus / "graph.nq")
    assert isinstance(result, PushResult)
    assert (result.graphs, result.triples) == (len(expected), sum(expected.values()))
    assert counts(oxigraph + "/query") == expected
    (row,) = sparql_select(oxigraph + "/query", f"""SELECT ?l WHERE {{ GRAPH <{DOC}ghouta_ar> {{
        <https://w3id.org/rawabit/id/actor/russia> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l
        FILTER (lang(?l) = "ar") }} }}""")
    assert row["l"] == "روسيا"


def test_pushing_twice_leaves_the_same_data(oxigraph: str, corpus: Path) -> None:
    push([corpus / "graph.trig"], oxigraph + "/store")
    first = counts(oxigraph + "/query")
    push([corpus / "graph.nq"], oxigraph + "/store")
    assert counts(oxigraph + "/query") == first == nq_sizes(corpus / "graph.nq")


def test_a_rebuilt_document_replaces_its_graph(oxigraph: str, tmp_path: Path, lexicon: kg.Lexicon) -> None:
    for version, text in (("v1", "حاصرت قوات النظام مدينة دوما. ونفت حركة أحرار الشام وجود مفاوضات مع روسيا."),
                          ("v2", "سيطرت هيئة تحرير الشام على مدينة إدلب.")):
        src = tmp_path / f"{version}.jsonl"
        src.write_text(json.dumps({"id": "news", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
        kg.build([str(src)], tmp_path / version, "nq", lexicon=lexicon)
        push([tmp_path / version], oxigraph + "/store")
    assert counts(oxigraph + "/query") == nq_sizes(tmp_path / "v2" / "graph.nq")


def test_push_a_store_with_its_ontology(oxigraph: str, tmp_path: Path, lexicon: kg.Lexicon) -> None:
    kg.build([str(EXAMPLE)], tmp_path / "out", "nq", lexicon=lexicon, store=tmp_path / "db")
    result = push([], oxigraph + "/store", store=tmp_path / "db")
    got = counts(oxigraph + "/query")
    assert result.graphs == 2 and set(got) == {DOC + "ghouta_ar", ONTOLOGY_IRI}
    assert got[DOC + "ghouta_ar"] == nq_sizes(tmp_path / "out" / "graph.nq")[DOC + "ghouta_ar"]
    assert got[ONTOLOGY_IRI] == len(list(ox.parse(path=kg.lexicon.ontology_path("kg.ttl"),
                                                  format=ox.RdfFormat.TURTLE)))


def test_kg_push_command(oxigraph: str, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["push", str(corpus), "--endpoint", oxigraph + "/store", "--timeout", "30"]) == 0
    out, _ = capsys.readouterr()
    expected = nq_sizes(corpus / "graph.nq")
    assert out.strip() == f"pushed {len(expected)} graphs ({sum(expected.values())} triples) to {oxigraph}/store"
    assert counts(oxigraph + "/query") == expected


def test_a_wrong_path_is_a_clear_error(oxigraph: str, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"answered 404 Not Found for graph <https://w3id.org/rawabit/id/doc/.*>.*"
                                         r"check the endpoint URL"):
        push([corpus / "graph.nq"], oxigraph + "/nowhere")


def test_kg_push_error_is_one_line(oxigraph: str, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kg.cli import main

    assert main(["push", str(corpus / "graph.nq"), "--endpoint", oxigraph + "/nowhere", "-q"]) == 1
    _, err = capsys.readouterr()
    assert err.startswith("Error: ") and "404" in err and err.count("\n") == 1


# --- Virtuoso ----------------------------------------------------------------------

VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
DirsAllowed = ., {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
"""


@dataclass(frozen=True)
class Virtuoso:
    url: str
    """The HTTP base URL."""
    sql: str
    """HOST:PORT of the SQL server, for isql-vt."""
    folder: Path
    """Where its database lives; listed in DirsAllowed, so the bulk loader may read files there."""


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A fresh Virtuoso (dba/dba) bound to 127.0.0.1."""
    server = require_tool("virtuoso-t")
    isql = require_tool("isql-vt")
    d = tmp_path_factory.mktemp("virtuoso")
    sql, http = free_port(), free_port()
    (d / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=d, sql=sql, http=http), encoding="utf-8")
    log = d / "stdout.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([server, "+foreground", "+configfile", str(d / "virtuoso.ini")], cwd=d,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http}"
    try:
        wait_for(base + "/sparql?query=ASK%7B%7D", proc, log)
        yield Virtuoso(base, f"127.0.0.1:{sql}", d)
    finally:
        # SIGTERM may not stop virtuoso-t +foreground: ask it to shut down over SQL first.
        if proc.poll() is None:
            subprocess.run([isql, f"127.0.0.1:{sql}", "dba", "dba", "-K"], capture_output=True, timeout=60,
                           check=False)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                stop(proc)


def test_push_to_virtuoso_with_digest_auth_arrives_whole(virtuoso: Virtuoso, corpus: Path) -> None:
    endpoint = virtuoso.url + "/sparql-graph-crud-auth"
    result = push([corpus / "graph.nq"], endpoint, user="dba", password="dba")
    expected = nq_sizes(corpus / "graph.nq")
    assert (result.graphs, result.triples) == (len(expected), sum(expected.values()))
    assert counts(virtuoso.url + "/sparql") == expected
    push([corpus / "graph.trig"], endpoint, user="dba", password="dba")
    assert counts(virtuoso.url + "/sparql") == expected, "PUT replaces: pushing twice leaves the same data"
    (row,) = sparql_select(virtuoso.url + "/sparql", f"""SELECT ?l WHERE {{ GRAPH <{DOC}ghouta_ar> {{
        <https://w3id.org/rawabit/id/actor/russia> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l
        FILTER (lang(?l) = "ar") }} }}""")
    assert row["l"] == "روسيا"


def test_virtuoso_refuses_a_wrong_password_clearly(virtuoso: Virtuoso, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"answered 401 Unauthorized .*give --user and --password"):
        push([corpus / "graph.nq"], virtuoso.url + "/sparql-graph-crud-auth", user="dba", password="wrong")


def test_virtuoso_without_credentials_is_refused_clearly(virtuoso: Virtuoso, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"answered 401"):
        push([corpus / "graph.nq"], virtuoso.url + "/sparql-graph-crud-auth")


def test_virtuoso_bulk_loader_reads_graph_nq(virtuoso: Virtuoso, lexicon: kg.Lexicon) -> None:
    """The README's bulk load: ld_dir + rdf_loader_run() + checkpoint, N-Quads keeping their graph names."""
    base = "https://example.org/bulk/"
    out = virtuoso.folder / "bulk"
    kg.build([str(EXAMPLE), str(SPECS)], out, "nq", base=base, lexicon=lexicon)
    script = virtuoso.folder / "load.sql"
    script.write_text(f"ld_dir('{out}', 'graph.nq', '{base}');\nrdf_loader_run();\ncheckpoint;\n"
                      "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n",
                      encoding="utf-8")
    done = subprocess.run([require_tool("isql-vt"), virtuoso.sql, "dba", "dba", str(script)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 Rows." in done.stdout, done.stdout  # no file failed to load
    expected = nq_sizes(out / "graph.nq")
    assert counts(virtuoso.url + "/sparql", base) == expected


# --- small servers: authentication, retries, failures --------------------------------

REALM, NONCE = "kg-test", "5ebe2294ecd0e0f08eab7690d2a6ee69"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # noqa: S324 - HTTP Digest is MD5


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_PUT(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        srv = self.server
        with srv.lock:
            srv.attempts += 1
            attempt = srv.attempts
        status, headers = srv.answer(self, attempt)
        if status < 300:
            graph = parse_qs(urlparse(self.path).query)["graph"][0]
            with srv.lock:
                srv.graphs[graph] = body
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, mode: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode
        self.lock = threading.Lock()
        self.attempts = 0
        self.graphs: dict[str, bytes] = {}
        self.authorizations: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"

    def answer(self, req: _Handler, attempt: int) -> tuple[int, dict[str, str]]:
        auth = req.headers.get("Authorization", "")
        with self.lock:
            self.authorizations.append(auth)
        if self.mode == "basic":
            good = "Basic " + base64.b64encode(b"alice:s3cret").decode()
            return (204, {}) if auth == good else (401, {"WWW-Authenticate": f'Basic realm="{REALM}"'})
        if self.mode == "digest":
            return (204, {}) if self._digest_ok(auth, req) else (
                401, {"WWW-Authenticate": f'Digest realm="{REALM}", nonce="{NONCE}", qop="auth", algorithm="MD5"'})
        if self.mode == "token":
            return (204, {}) if auth == "Bearer t0ken" else (401, {"WWW-Authenticate": "Bearer"})
        if self.mode == "flaky":
            return (503, {}) if attempt == 1 else (201, {})
        if self.mode == "broken":
            return 500, {}
        if self.mode == "slow":
            time.sleep(3)
            return 204, {}
        return 204, {}

    @staticmethod
    def _digest_ok(auth: str, req: _Handler) -> bool:
        if not auth.startswith("Digest "):
            return False
        p = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[len("Digest "):]))
        ha1 = _md5(f"alice:{REALM}:s3cret")
        ha2 = _md5(f"PUT:{p.get('uri', '')}")
        expected = _md5(f"{ha1}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:{p.get('qop')}:{ha2}")
        return p.get("nonce") == NONCE and p.get("response") == expected and p.get("username") == "alice"


@pytest.fixture()
def server(request: pytest.FixtureRequest) -> Iterator[_Server]:
    srv = _Server(request.param)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        thread.join(timeout=10)


def _sent(srv: _Server, corpus: Path) -> None:
    """The server received every graph, each as the N-Triples of its quads."""
    expected = nq_sizes(corpus / "graph.nq")
    assert {g: len(list(ox.parse(b, format=ox.RdfFormat.N_TRIPLES))) for g, b in srv.graphs.items()} == expected


@pytest.mark.parametrize("server", ["basic"], indirect=True)
def test_basic_auth_when_the_server_asks_for_it(server: _Server, corpus: Path) -> None:
    push([corpus / "graph.nq"], server.url, user="alice", password="s3cret")
    _sent(server, corpus)
    assert server.authorizations[0] == "", "no password is sent before the server asks"
    assert all(a.startswith("Basic ") for a in server.authorizations[1:])


@pytest.mark.parametrize("server", ["digest"], indirect=True)
def test_digest_auth_when_the_server_asks_for_it(server: _Server, corpus: Path) -> None:
    push([corpus / "graph.nq"], server.url, user="alice", password="s3cret")
    _sent(server, corpus)
    graphs = len(server.graphs)
    assert server.attempts == graphs + 1, "one challenge, then every graph authenticated at once"


@pytest.mark.parametrize("server", ["digest"], indirect=True)
def test_a_wrong_digest_password_is_refused(server: _Server, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"answered 401 Unauthorized"):
        push([corpus / "graph.nq"], server.url, user="alice", password="nope")
    assert server.graphs == {}


@pytest.mark.parametrize("server", ["token"], indirect=True)
def test_a_bearer_token(server: _Server, corpus: Path) -> None:
    push([corpus / "graph.nq"], server.url, token="t0ken")
    _sent(server, corpus)


@pytest.mark.parametrize("server", ["token"], indirect=True)
def test_kg_push_reads_the_token_from_the_environment(
    server: _Server, corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg.cli import main

    monkeypatch.setenv("KG_PUSH_TOKEN", "t0ken")
    assert main(["push", str(corpus / "graph.nq"), "--endpoint", server.url, "-q"]) == 0
    _sent(server, corpus)


@pytest.mark.parametrize("server", ["basic"], indirect=True)
def test_kg_push_reads_the_password_from_the_environment(
    server: _Server, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cli import main

    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret")
    monkeypatch.setenv("KG_PUSH_TOKEN", "ignored when a user is given")
    assert main(["push", str(corpus / "graph.nq"), "--endpoint", server.url, "--user", "alice", "-q"]) == 0
    _sent(server, corpus)


@pytest.mark.parametrize("server", ["flaky"], indirect=True)
def test_a_503_is_retried(server: _Server, corpus: Path) -> None:
    push([corpus / "graph.nq"], server.url, retries=1)
    _sent(server, corpus)


@pytest.mark.parametrize("server", ["broken"], indirect=True)
def test_a_500_is_a_clear_error(server: _Server, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"answered 500 Internal Server Error for graph .*check the server's log"):
        push([corpus / "graph.nq"], server.url, retries=0)


@pytest.mark.parametrize("server", ["slow"], indirect=True)
def test_a_server_that_does_not_answer_times_out(server: _Server, corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"did not answer within 0.5s for graph .*raise --timeout"):
        push([corpus / "graph.nq"], server.url, timeout=0.5, retries=0)


def test_an_unreachable_endpoint_is_a_clear_error(corpus: Path) -> None:
    with pytest.raises(StoreError, match=r"cannot reach 'http://127.0.0.1:\d+/store': .*check that the server runs"):
        push([corpus / "graph.nq"], f"http://127.0.0.1:{free_port()}/store", retries=0)


# --- mistakes ------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["not a url", "ftp://example.org/store", "http://"])
def test_an_endpoint_that_is_not_http_is_an_input_error(corpus: Path, endpoint: str) -> None:
    with pytest.raises(InputError, match=r"--endpoint .* must be an http\(s\) URL of a Graph Store Protocol endpoint"):
        push([corpus / "graph.nq"], endpoint)


def test_an_endpoint_that_does_not_parse_is_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"--endpoint 'http://\[::1' is not a URL; give the Graph Store endpoint"):
        push([corpus / "graph.nq"], "http://[::1")


def test_credentials_by_halves_are_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"give both --user and --password"):
        push([corpus / "graph.nq"], "http://127.0.0.1:1/store", user="alice")


def test_a_token_and_a_user_are_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"give either --user/--password or a token"):
        push([corpus / "graph.nq"], "http://127.0.0.1:1/store", user="a", password="b", token="c")


def test_a_non_positive_timeout_is_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"--timeout 0 must be a positive number of seconds"):
        push([corpus / "graph.nq"], "http://127.0.0.1:1/store", timeout=0)


def test_triples_outside_named_graphs_are_an_input_error(corpus: Path) -> None:
    with pytest.raises(InputError, match=r"triples outside named graphs .*push graph\.nq or graph\.trig"):
        push([corpus / "graph.ttl"], "http://127.0.0.1:1/store")

