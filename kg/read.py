"""Reading inputs: ``.txt`` files, ``.jsonl`` files, folders of those, and stdin.

* ``.txt``: one document; its id is the file stem.
* ``.jsonl``: one document per line, ``{"id", "text", "url"?, "date"?, "title"?}``;
  other keys are ignored. A line ends at a line feed (CR LF too), never at a
  U+2028 or U+0085 inside a JSON string.
* a folder: every ``.txt`` and ``.jsonl`` below it, recursively, in sorted order.
* ``-``: standard input as one plain-text document with id ``stdin``.

Documents are yielded one at a time, so a corpus is never held in memory: a
``.jsonl`` file is read line by line, its encoding told from its first
64 KiB (UTF-8 with or without BOM, UTF-16 with BOM, else charset-normalizer)
and decoded incrementally, so memory is bounded by its longest line. A
``.txt`` file (one document) and stdin are read whole.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .model import Document

__all__ = ["read_documents", "read_paths", "decode_bytes", "parse_jsonl"]

_SUFFIXES = (".txt", ".jsonl")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: Bytes of a ``.jsonl`` file its encoding is told from.
_PROBE_BYTES = 1 << 16


def _binary(name: str) -> InputError:
    return InputError(f"{name!r} looks binary (it holds NUL bytes); give a UTF-8 text or JSONL file")


def _not_utf16(name: str) -> InputError:
    return InputError(f"{name!r} starts with a UTF-16 mark but is not UTF-16; save it as UTF-8")


def _detected(data: bytes, name: str) -> tuple[str, str]:
    """(the codec charset-normalizer reads ``data`` with, the text)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"cannot tell the text encoding of {name!r}; save it as UTF-8")
    return best.encoding, str(best)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected by charset-normalizer.

    Raises:
        InputError: when the bytes are binary or no encoding reads them.
    """
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise _not_utf16(name) from err
    if b"\x00" in data:
        raise _binary(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return _detected(data, name)[1]


def _encoding(head: bytes, name: str) -> str:
    """The codec of a file that starts with ``head`` (as :func:`decode_bytes` would choose it)."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    if b"\x00" in head:
        raise _binary(name)
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head)  # a character cut at the end is no error
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    cut = head.rfind(b"\n")
    return _detected(head[: cut + 1] if cut > 0 else head, name)[0]


def _decoded_lines(chunks: Iterable[bytes], encoding: str, name: str) -> Iterator[str]:
    """The lines of a file read as ``chunks`` of bytes, decoded incrementally, without their line feeds."""
    decoder = codecs.getincrementaldecoder(encoding)()
    utf16 = encoding == "utf-16"  # elsewhere a NUL byte is a NUL character: binary
    n = 1  # the line being read
    parts: list[str] = []
    for chunk in chain(chunks, [b""]):
        if not utf16 and b"\x00" in chunk:
            raise _binary(name)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as err:
            if utf16:
                raise _not_utf16(name) from err
            label = "UTF-8" if encoding == "utf-8-sig" else codecs.lookup(encoding).name
            raise InputError(f"{name}:{n}: not valid {label}, the encoding of the file's start ({err.reason}); "
                             "save the whole file as UTF-8") from err
        *ends, rest = text.split("\n")
        for end in ends:
            parts.append(end)
            yield "".join(parts)
            parts = []
            n += 1
        if rest:
            parts.append(rest)
    if parts:
        yield "".join(parts)


def parse_jsonl(text: str | Iterable[str], name: str) -> Iterator[Document]:
    """Documents from JSON Lines text: a string, or its lines one by one.

    Lines end at a line feed only: JSON allows U+2028, U+2029 and U+0085 raw inside a string.

    Raises:
        InputError: naming the line of the first malformed or incomplete record.

    >>> [d.id for d in parse_jsonl(['{"id": "a", "text": "x"}', "", '{"id": 2, "text": "y"}'], "in.jsonl")]
    ['a', '2']
    """
    lines = text.split("\n") if isinstance(text, str) else text
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as err:
            raise InputError(f"{name}:{n}: not valid JSON ({err.args[0] if err.args else err}); fix or remove the line") from err
        if not isinstance(row, dict):
            raise InputError(f"{name}:{n}: expected a JSON object with \"id\" and \"text\", got {type(row).__name__}")
        doc_id, body = row.get("id"), row.get("text")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise InputError(f"{name}:{n}: \"id\" must be a non-empty string, got {doc_id!r}")
        if not isinstance(body, str):
            raise InputError(f"{name}:{n}: \"text\" must be a string, got {body!r:.40}")
        extra = {}
        for key in ("url", "date", "title"):
            value = row.get(key)
            if value is not None and not isinstance(value, str):
                raise InputError(f"{name}:{n}: {key!r} must be a string, got {value!r:.40}")
            extra[key] = value or None
        yield Document(doc_id, body, extra["url"], extra["date"], extra["title"], origin=f"{name}:{n}")


def _expand(paths: Iterable[str]) -> Iterator[str | Path]:
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in _SUFFIXES)
            if not files:
                raise InputError(f"folder {raw!r} holds no .txt or .jsonl files; point at the files or another folder")
            yield from files
        elif path.is_file():
            if path.suffix.lower() not in _SUFFIXES:
                raise InputError(f"{raw!r} is neither .txt nor .jsonl; rename it or convert it")
            yield path
        else:
            raise InputError(f"no such file or folder: {raw!r}")


def _read_one(source: str | Path, stdin: BinaryIO | None) -> Iterator[Document]:
    if source == "-":
        data = (stdin or sys.stdin.buffer).read()
        text = decode_bytes(data, "<stdin>")
        if not text.strip():
            raise InputError("standard input is empty; pipe Arabic text into 'kg build -'")
        yield Document("stdin", text, origin="<stdin>")
        return
    assert isinstance(source, Path)
    if source.suffix.lower() == ".jsonl":
        yield from _read_jsonl(source)
        return
    try:
        data = source.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {str(source)!r}: {err.strerror}") from err
    text = decode_bytes(data, str(source))
    if not text.strip():
        raise _empty(source)
    yield Document(source.stem, text, origin=str(source))


def _empty(source: Path) -> InputError:
    return InputError(f"{str(source)!r} is empty; give it some text or leave it out")


def _read_jsonl(source: Path) -> Iterator[Document]:
    """The documents of a ``.jsonl`` file, read line by line."""
    name = str(source)
    try:
        with source.open("rb") as fh:
            encoding = _encoding(fh.read(_PROBE_BYTES), name)
            fh.seek(0)
            found = False
            for doc in parse_jsonl(_decoded_lines(fh, encoding, name), name):
                found = True
                yield doc
    except OSError as err:
        raise InputError(f"cannot read {name!r}: {err.strerror or err}") from err
    if not found:
        raise _empty(source)


def read_paths(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[Document]:
    """Every document of the given inputs, in order, ids checked to be unique.

    Args:
        paths: file paths, folder paths, or ``"-"`` for standard input.
        stdin: where ``"-"`` reads from (default: the process's standard input).

    Raises:
        InputError: for a missing, unreadable, empty or malformed input, or a duplicate id.
    """
    seen: dict[str, str] = {}
    for source in _expand(paths):
        for doc in _read_one(source, stdin):
            where = str(source)
            if doc.id in seen:
                raise InputError(
                    f"duplicate document id {doc.id!r} (in {seen[doc.id]} and {where}); ids must be unique across inputs"
                )
            seen[doc.id] = where
            yield doc


def read_documents(*paths: str) -> list[Document]:
    """All documents of the given inputs as a list (see :func:`read_paths`)."""
    return list(read_paths(paths))
