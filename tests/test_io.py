"""Reading inputs: paths, directories, stdin, encodings, refusals."""
from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest

from coopfacts.io import (STDIN_ID, DecodeProblem, Document, Failure, decode, expand_path,
                          guess_legacy_encoding, iter_documents, load_documents, read_document)

AR = "ارتفع عدد التعاونيات بنسبة 54% خلال سنة 2023"
FR = "Plus de 1 500 emplois créés à Montréal, soit 54 % de hausse."


@pytest.mark.parametrize("data, text", [
    (AR.encode("utf-8"), AR),
    (codecs.BOM_UTF8 + AR.encode("utf-8"), AR),
    (codecs.BOM_UTF16_LE + AR.encode("utf-16-le"), AR),
    (codecs.BOM_UTF16_BE + FR.encode("utf-16-be"), FR),
    (codecs.BOM_UTF32_LE + FR.encode("utf-32-le"), FR),
    (b"", ""),
])
def test_decode_utf_with_and_without_bom(data: bytes, text: str) -> None:
    assert decode(data) == text


def test_forced_encoding() -> None:
    assert decode(AR.encode("cp1256"), "cp1256") == AR
    assert decode(FR.encode("cp1252"), "cp1252") == FR
    assert decode(codecs.BOM_UTF8 + b"abc", "utf-8") == "abc"  # the BOM is not text
    with pytest.raises(DecodeProblem, match="not valid ascii"):
        decode("é".encode(), "ascii")
    with pytest.raises(DecodeProblem, match="unknown encoding"):
        decode(b"x", "no-such-codec")


def test_offset_counts_the_bom() -> None:
    with pytest.raises(DecodeProblem, match=r"not valid UTF-8 \(byte offset 5: 0xE9\)"):
        decode(codecs.BOM_UTF8 + b"ab\xe9")
    with pytest.raises(DecodeProblem, match="not valid utf-16-le"):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8a")  # a lone surrogate


def test_binary_refused() -> None:
    with pytest.raises(DecodeProblem, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_utf16_without_bom_gets_a_hint() -> None:
    with pytest.raises(DecodeProblem, match="--encoding utf-16-le"):
        decode(FR.encode("utf-16-le"))


@pytest.mark.parametrize("text, legacy", [(AR, "cp1256"), (FR, "cp1252")])
def test_not_utf8_says_where_and_what_to_try(text: str, legacy: str) -> None:
    data = text.encode(legacy)
    with pytest.raises(DecodeProblem) as info:
        decode(data)
    msg = str(info.value)
    assert "not valid UTF-8" in msg
    bad = next(i for i, b in enumerate(data) if b >= 0x80)
    assert f"byte offset {bad}" in msg
    assert f"--encoding {legacy}" in msg
    assert guess_legacy_encoding(data) == legacy


def test_directory_recursion_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    for rel in ("z.txt", "a.md", "b/2.txt", "b/deep/1.TXT", "b/notes.csv", "image.png"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    files, failures = expand_path(str(tmp_path))
    assert failures == []
    rel = [os.path.relpath(f, tmp_path) for f in files]
    assert rel == sorted(rel)
    assert set(rel) == {"z.txt", "a.md", os.path.join("b", "2.txt"), os.path.join("b", "deep", "1.TXT")}


def test_directory_without_text_files(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("x", encoding="utf-8")
    assert expand_path(str(tmp_path)) == ([], [Failure(str(tmp_path), "no .txt/.md files in directory")])


def test_missing_and_broken_symlink(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.txt")
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    docs, failures = load_documents([missing, str(link)])
    assert docs == []
    assert failures[0] == Failure(missing, "no such file or directory")
    assert failures[1].path == str(link) and "broken symbolic link" in failures[1].message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("x", encoding="utf-8")
    f.chmod(0)
    try:
        assert read_document(str(f)) == Failure(str(f), "permission denied")
    finally:
        f.chmod(0o644)


def test_stdin_document() -> None:
    doc = read_document("-", stdin=io.BytesIO(codecs.BOM_UTF8 + FR.encode()))
    assert doc == Document(id=STDIN_ID, text=FR, path=None)


def test_empty_and_whitespace_files_are_documents(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \n\t\n")
    docs, failures = load_documents([str(tmp_path)])
    assert failures == []
    assert [d.text for d in docs] == [" \n\t\n", ""]


def test_order_kept_and_failures_interleaved(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(FR, encoding="utf-8")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"abc\x00def")
    items = list(iter_documents([str(tmp_path / "missing.txt"), str(good), str(binary)]))
    assert [type(i) for i in items] == [Failure, Document, Failure]
    assert items[1].id == str(good) and items[1].path == str(good) and items[1].text == FR
    assert "binary" in items[2].message


def test_crlf_kept_as_written(tmp_path: Path) -> None:
    f = tmp_path / "win.txt"
    f.write_bytes(b"ligne 1\r\nligne 2\r\n")
    assert read_document(str(f)).text == "ligne 1\r\nligne 2\r\n"
