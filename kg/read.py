"""Reading inputs: ``.txt`` files, ``.jsonl`` files, folders of those, and stdin.

* ``.txt``: one document; its id is the file stem.
* ``.jsonl``: one document per line, ``{"id", "text", "url"?, "date"?, "title"?}``;
  other keys are ignored.
* a folder: every ``.txt`` and ``.jsonl`` below it, recursively, in sorted order.
* ``-``: standard input as one plain-text document with id ``stdin``.

Documents are yielded one at a time, so a corpus is never held in memory.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import InputError
from .model import Document

__all__ = ["read_documents", "read_paths", "decode_bytes", "parse_jsonl"]

_SUFFIXES = (".txt", ".jsonl")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else detected by charset-normalizer.

    Raises:
        InputError: when the bytes are binary or no encoding reads them.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise InputError(f"{name!r} starts with a UTF-16 mark but is not UTF-16; save it as UTF-8") from err
    if b"\x00" in data:
        raise InputError(f"{name!r} looks binary (it holds NUL bytes); give a UTF-8 text or JSONL file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError(f"cannot tell the text encoding of {name!r}; save it as UTF-8")
    return str(best)


def parse_jsonl(text: str, name: str) -> Iterator[Document]:
    """Documents from JSON Lines text.

    Raises:
        InputError: naming the line of the first malformed or incomplete record.
    """
    for n, line in enumerate(text.splitlines(), 1):
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
        yield Document(doc_id, body, extra["url"], extra["date"], extra["title"])


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
        yield Document("stdin", text)
        return
    assert isinstance(source, Path)
    try:
        data = source.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {str(source)!r}: {err.strerror}") from err
    text = decode_bytes(data, str(source))
    if not text.strip():
        raise InputError(f"{str(source)!r} is empty; give it some text or leave it out")
    if source.suffix.lower() == ".jsonl":
        yield from parse_jsonl(text, str(source))
    else:
        yield Document(source.stem, text)


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
