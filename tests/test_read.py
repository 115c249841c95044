"""Reading inputs (kg.read): encodings, JSON Lines records, folders, stdin, and every InputError."""

from __future__ import annotations

import io
import json
import tracemalloc
from itertools import islice
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.model import Document
from kg.read import decode_bytes, parse_jsonl, read_documents, read_paths

SENTENCE = "قال المتحدث باسم الجيش إن القوات دخلت مدينة دوما صباح اليوم."


def write_jsonl(path: Path, *rows: object) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


# --- decode_bytes ----------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SENTENCE.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), id="utf-8-with-bom"),
        pytest.param(b"\xff\xfe" + SENTENCE.encode("utf-16-le"), id="utf-16-le-with-bom"),
        pytest.param(b"\xfe\xff" + SENTENCE.encode("utf-16-be"), id="utf-16-be-with-bom"),
        pytest.param(SENTENCE.encode("cp1256"), id="windows-1256"),
        pytest.param(SENTENCE.encode("iso8859_6"), id="iso-8859-6"),
    ],
)
def test_decode_bytes_gives_back_the_arabic_text_exactly(data: bytes) -> None:
    assert decode_bytes(data, "news.txt") == SENTENCE


def test_decode_bytes_drops_the_bom_character() -> None:
    assert not decode_bytes(b"\xef\xbb\xbf" + SENTENCE.encode(), "a.txt").startswith("\ufeff")


def test_decode_bytes_refuses_a_utf16_mark_on_bytes_that_are_not_utf16() -> None:
    with pytest.raises(InputError, match=r"'odd\.txt' starts with a UTF-16 mark but is not UTF-16"):
        decode_bytes(b"\xff\xfe\x00", "odd.txt")


def test_decode_bytes_refuses_binary_with_nul_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    with pytest.raises(InputError, match=r"'image\.txt' looks binary \(it holds NUL bytes\)"):
        decode_bytes(png, "image.txt")


def test_decode_bytes_refuses_binary_with_nul_bytes_even_when_it_is_valid_utf8() -> None:
    # An SQLite database (ASCII header, NUL padding) is valid UTF-8 byte by byte, but it is not text.
    sqlite = b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20" + b"\x00" * 64
    with pytest.raises(InputError, match=r"looks binary"):
        decode_bytes(sqlite, "corpus.txt")


def test_decode_bytes_refuses_bytes_no_encoding_reads() -> None:
    with pytest.raises(InputError, match=r"cannot tell the text encoding of 'noise\.txt'; save it as UTF-8"):
        decode_bytes(bytes(range(1, 256)), "noise.txt")


# --- parse_jsonl -----------------------------------------------------------


def test_parse_jsonl_keeps_url_date_title_and_ignores_extra_keys() -> None:
    line = json.dumps({"id": "a1", "text": SENTENCE, "url": "https://example.org/a1", "date": "2018-03-12",
                       "title": "دوما", "source": "AJ", "tags": ["x"]}, ensure_ascii=False)
    assert list(parse_jsonl(line, "in.jsonl")) == [
        Document("a1", SENTENCE, "https://example.org/a1", "2018-03-12", "دوما")
    ]


def test_parse_jsonl_accepts_an_integer_id_as_a_string() -> None:
    (doc,) = parse_jsonl(json.dumps({"id": 42, "text": SENTENCE}), "in.jsonl")
    assert doc.id == "42"


def test_parse_jsonl_skips_blank_lines_and_counts_them_in_line_numbers() -> None:
    text = "\n" + json.dumps({"id": "a", "text": "x"}) + "\n   \n{broken\n"
    docs = parse_jsonl(text, "in.jsonl")
    assert next(docs).id == "a"
    with pytest.raises(InputError, match=r"^in\.jsonl:4: not valid JSON"):
        next(docs)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param('{"id": "a", "text": ', r"^in\.jsonl:2: not valid JSON .*fix or remove the line", id="bad-json"),
        pytest.param('["a", "text"]', r'^in\.jsonl:2: expected a JSON object with "id" and "text", got list',
                     id="not-an-object"),
        pytest.param('{"text": "x"}', r'^in\.jsonl:2: "id" must be a non-empty string, got None', id="no-id"),
        pytest.param('{"id": "  ", "text": "x"}', r"^in\.jsonl:2: \"id\" must be a non-empty string, got '  '",
                     id="blank-id"),
        pytest.param('{"id": true, "text": "x"}', r'^in\.jsonl:2: "id" must be a non-empty string, got True',
                     id="bool-id"),
        pytest.param('{"id": "a"}', r'^in\.jsonl:2: "text" must be a string, got None', id="no-text"),
        pytest.param('{"id": "a", "text": ["x"]}', r"^in\.jsonl:2: \"text\" must be a string, got \['x'\]",
                     id="list-text"),
        pytest.param('{"id": "a", "text": "x", "url": 5}', r"^in\.jsonl:2: 'url' must be a string, got 5",
                     id="int-url"),
        pytest.param('{"id": "a", "text": "x", "date": 2018}', r"^in\.jsonl:2: 'date' must be a string, got 2018",
                     id="int-date"),
        pytest.param('{"id": "a", "text": "x", "title": {}}', r"^in\.jsonl:2: 'title' must be a string, got \{\}",
                     id="object-title"),
    ],
)
def test_parse_jsonl_names_file_and_line_of_a_bad_record(line: str, message: str) -> None:
    text = json.dumps({"id": "ok", "text": "x"}) + "\n" + line + "\n"
    with pytest.raises(InputError, match=message):
        list(parse_jsonl(text, "in.jsonl"))


# --- read_paths ------------------------------------------------------------


def test_read_paths_uses_the_file_stem_as_the_id_of_a_txt(tmp_path: Path) -> None:
    path = tmp_path / "douma_report.txt"
    path.write_text(SENTENCE, encoding="utf-8")
    assert [(d.id, d.text) for d in read_paths([str(path)])] == [("douma_report", SENTENCE)]


def test_read_paths_reads_a_windows_1256_file(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes(SENTENCE.encode("cp1256"))
    assert [d.text for d in read_paths([str(path)])] == [SENTENCE]


def test_read_paths_keeps_crlf_line_ends_so_offsets_match_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes((SENTENCE + "\r\n" + SENTENCE).encode("utf-8"))
    assert [d.text for d in read_paths([str(path)])] == [SENTENCE + "\r\n" + SENTENCE]


def test_read_paths_reads_a_folder_recursively_in_sorted_order_ignoring_other_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "sub" / "a.TXT").write_text(SENTENCE, encoding="utf-8")
    write_jsonl(tmp_path / "c.jsonl", {"id": "c1", "text": SENTENCE}, {"id": "c2", "text": SENTENCE})
    (tmp_path / "notes.md").write_text("# not an input", encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    assert [d.id for d in read_paths([str(tmp_path)])] == ["b", "c1", "c2", "a"]


def test_read_paths_reads_stdin_as_document_stdin() -> None:
    docs = list(read_paths(["-"], stdin=io.BytesIO(SENTENCE.encode("utf-8"))))
    assert docs == [Document("stdin", SENTENCE)]


def test_read_documents_returns_a_list(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "c.jsonl", {"id": "c1", "text": SENTENCE}, {"id": 2, "text": SENTENCE})
    assert [d.id for d in read_documents(str(tmp_path / "c.jsonl"))] == ["c1", "2"]


def test_read_paths_is_lazy_and_yields_documents_before_a_later_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(SENTENCE, encoding="utf-8")
    docs = read_paths([str(good), str(tmp_path / "missing.txt")])
    assert next(docs).id == "good"
    with pytest.raises(InputError, match="no such file"):
        next(docs)


def test_read_paths_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such file or folder: '.*nowhere\.txt'"):
        list(read_paths([str(tmp_path / "nowhere.txt")]))


def test_read_paths_refuses_a_file_that_is_neither_txt_nor_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(SENTENCE, encoding="utf-8")
    with pytest.raises(InputError, match=r"'.*notes\.md' is neither \.txt nor \.jsonl"):
        list(read_paths([str(path)]))


def test_read_paths_refuses_a_folder_without_inputs(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match=r"folder '.*' holds no \.txt or \.jsonl files"):
        list(read_paths([str(tmp_path)]))


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n", b"\xef\xbb\xbf\n"], ids=["empty", "whitespace", "bom-only"])
def test_read_paths_refuses_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"'.*blank\.txt' is empty"):
        list(read_paths([str(path)]))


def test_read_paths_refuses_empty_stdin() -> None:
    with pytest.raises(InputError, match="standard input is empty"):
        list(read_paths(["-"], stdin=io.BytesIO(b" \n")))


def test_read_paths_reports_a_file_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(SENTENCE, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match=r"cannot read '.*locked\.txt': Permission denied") as info:
        list(read_paths([str(path)]))
    assert isinstance(info.value.__cause__, PermissionError)


def test_read_paths_refuses_a_binary_file_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(InputError, match=r"'.*photo\.txt' looks binary"):
        list(read_paths([str(path)]))


def test_read_paths_refuses_duplicate_ids_across_inputs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_text(SENTENCE, encoding="utf-8")
    write_jsonl(tmp_path / "b" / "more.jsonl", {"id": "other", "text": SENTENCE}, {"id": "same", "text": SENTENCE})
    with pytest.raises(InputError, match=r"duplicate document id 'same' \(in .*same\.txt and .*more\.jsonl\)"):
        list(read_paths([str(tmp_path / "a"), str(tmp_path / "b")]))


def test_read_paths_refuses_duplicate_ids_within_one_jsonl(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", {"id": "x", "text": SENTENCE}, {"id": "x", "text": SENTENCE})
    with pytest.raises(InputError, match=r"duplicate document id 'x'"):
        list(read_paths([str(path)]))


def test_input_error_is_also_a_value_error() -> None:
    with pytest.raises(ValueError, match="not valid JSON"):
        list(parse_jsonl("{", "x.jsonl"))


# --- .jsonl files are read line by line ----------------------------------------


def jsonl_rows(count: int) -> list[dict[str, str]]:
    return [{"id": f"n{i}", "text": f"{SENTENCE} {i}"} for i in range(count)]


def jsonl_text(rows: list[dict[str, str]], end: str = "\n") -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + end for r in rows)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: t.encode("utf-8"), id="utf-8"),
        pytest.param(lambda t: t.encode("utf-8-sig"), id="utf-8-with-bom"),
        pytest.param(lambda t: b"\xff\xfe" + t.encode("utf-16-le"), id="utf-16-le-with-bom"),
        pytest.param(lambda t: b"\xfe\xff" + t.encode("utf-16-be"), id="utf-16-be-with-bom"),
        pytest.param(lambda t: t.encode("cp1256"), id="windows-1256"),
        pytest.param(lambda t: t.encode("iso8859_6"), id="iso-8859-6"),
    ],
)
def test_a_jsonl_file_larger_than_the_encoding_probe_is_read_exactly(tmp_path: Path, encode: object) -> None:
    rows = jsonl_rows(2000)
    path = tmp_path / "feed.jsonl"
    path.write_bytes(encode(jsonl_text(rows)))  # type: ignore[operator]
    assert path.stat().st_size > 2 * 65536, "the encoding is told from the start; the rest is decoded as it comes"
    assert [(d.id, d.text) for d in read_paths([str(path)])] == [(r["id"], r["text"]) for r in rows]


def test_a_line_separator_inside_a_jsonl_string_does_not_end_the_line(tmp_path: Path) -> None:
    text = f"{SENTENCE}\u2028{SENTENCE}\x85{SENTENCE}\u2029{SENTENCE}"  # JSON allows these raw in a string
    path = write_jsonl(tmp_path / "feed.jsonl", {"id": "a", "text": text}, {"id": "b", "text": SENTENCE})
    assert [(d.id, d.text) for d in read_paths([str(path)])] == [("a", text), ("b", SENTENCE)]
    assert [d.text for d in parse_jsonl(path.read_text(encoding="utf-8"), "feed.jsonl")] == [text, SENTENCE]


def test_crlf_jsonl_lines_are_read_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(jsonl_text(jsonl_rows(2), end="\r\n").encode() + b'{"id": "x", "text": \r\n')
    docs = read_paths([str(path)])
    assert [next(docs).id, next(docs).id] == ["n0", "n1"]
    with pytest.raises(InputError, match=r"crlf\.jsonl:3: not valid JSON"):
        next(docs)


def test_a_bad_byte_past_the_start_of_a_utf8_jsonl_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl_text(jsonl_rows(1000)).encode() + '{"id": "x", "text": "دوما'.encode() + b'\xff"}\n')
    docs = read_paths([str(path)])
    assert sum(1 for _ in islice(docs, 1000)) == 1000, "the lines before it are read"
    with pytest.raises(InputError, match=r"feed\.jsonl:1001: not valid UTF-8, the encoding of the file's start "
                                         r"\(invalid start byte\); save the whole file as UTF-8"):
        next(docs)


def test_a_nul_byte_past_the_start_of_a_jsonl_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(jsonl_text(jsonl_rows(1000)).encode() + b"\x00\x01\x02\x03\n")
    with pytest.raises(InputError, match=r"'.*feed\.jsonl' looks binary \(it holds NUL bytes\)"):
        list(read_paths([str(path)]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", r"'.*feed\.jsonl' is empty", id="empty"),
        pytest.param(b"\n  \r\n\t\n", r"'.*feed\.jsonl' is empty", id="blank-lines"),
        pytest.param(b"\xef\xbb\xbf\n", r"'.*feed\.jsonl' is empty", id="bom-only"),
        pytest.param(b"\xff\xfe\x00", r"'.*feed\.jsonl' starts with a UTF-16 mark but is not UTF-16", id="odd-utf16"),
        pytest.param(b'{"id": "a",\x00 "text": ""}\n', r"'.*feed\.jsonl' looks binary", id="nul"),
        pytest.param(bytes(range(1, 256)) * 4, r"cannot tell the text encoding of '.*feed\.jsonl'", id="noise"),
    ],
)
def test_a_jsonl_file_that_is_not_jsonl_text_is_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        list(read_paths([str(path)]))


def test_a_jsonl_file_that_cannot_be_opened_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "locked.jsonl", {"id": "a", "text": SENTENCE})

    def refuse(self: Path, *_args: object, **_kwargs: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError, match=r"cannot read '.*locked\.jsonl': Permission denied") as info:
        list(read_paths([str(path)]))
    assert isinstance(info.value.__cause__, PermissionError)


def test_reading_a_jsonl_file_holds_one_line_at_a_time_not_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    rows = [{"id": f"n{i}", "text": SENTENCE * 20} for i in range(8000)]
    path.write_text(jsonl_text(rows), encoding="utf-8")
    size = path.stat().st_size
    assert size > 16_000_000
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_paths([str(path)]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == len(rows)
    assert peak < size / 8, f"peak {peak} bytes of Python memory reading a {size}-byte file"


def test_a_jsonl_line_of_megabytes_is_one_document(tmp_path: Path) -> None:
    long = " ".join([SENTENCE] * 40_000)
    path = write_jsonl(tmp_path / "long.jsonl", {"id": "short", "text": SENTENCE}, {"id": "long", "text": long})
    assert path.stat().st_size > 4_000_000
    assert [(d.id, len(d.text)) for d in read_paths([str(path)])] == [("short", len(SENTENCE)), ("long", len(long))]
