"""Reading inputs: paths, directories, stdin, encodings, refusals."""
from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest

from coopfacts.io import (
    STDIN_ID,
    DecodeProblem,
    Failure,
    decode,
    expand_path,
    guess_legacy_encoding,
    iter_documents,
    load_documents,
    read_document,
)
from coopfacts.model import Document

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


# --- failures, binaries, names, windows -------------------------------------------------

from coopfacts.io import InputProblem, StreamedDocument, binary_reason, document_id, failure_kind, failure_summary  # noqa: E402
from coopfacts.text.segments import find_cut  # noqa: E402


@pytest.mark.parametrize("message, kind", [
    ("not valid UTF-8 (byte offset 3: 0xE9); try --encoding cp1252", "not valid UTF-8"),
    ("binary file (a PNG image)", "binary file"),
    ("broken symbolic link (points to x)", "broken symbolic link"),
    ("internal error: IndexError: out of range", "internal error"),
    ("permission denied", "permission denied"),
    ("no .txt/.md files in directory", "no .txt/.md files in directory"),
])
def test_failure_kind(message: str, kind: str) -> None:
    assert failure_kind(message) == kind


def test_failure_summary_counts_by_reason_in_order_of_first_sight() -> None:
    fs = [Failure("a", "binary file (NUL bytes in the first 8 KiB)"), Failure("b", "no such file or directory"),
          Failure("c", "binary file (a PDF document)")]
    assert failure_summary(4, fs) == "3 of 7 inputs failed: 2 binary file, 1 no such file or directory"
    assert failure_summary(0, fs[:1]) == "1 of 1 input failed: 1 binary file"


@pytest.mark.parametrize("data, what", [
    (b"%PDF-1.4\n", "PDF"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff\xe0", "JPEG"), (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"), (b"\x1f\x8b\x08", "gzip"), (b"\x7fELF\x02", "executable"),
    (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "executable"), (b"text\x00", "NUL"), (bytes(range(1, 9)) * 4, "control"),
])
def test_binary_reason(data: bytes, what: str) -> None:
    assert what in binary_reason(data)


@pytest.mark.parametrize("data", [b"", b"MZ is a prefix", "نص عربي".encode(), b"tab\tand\r\nform\x0cfeed \x1b[0m"])
def test_text_is_not_binary(data: bytes) -> None:
    assert binary_reason(data) is None


def test_document_id() -> None:
    assert document_id("a/b.txt") == "a/b.txt"
    assert document_id("مقال.txt") == "مقال.txt"
    assert document_id(os.fsdecode(b"caf\xe9.txt")) == "caf\\xe9.txt"


def test_find_cut_without_whitespace_is_the_limit() -> None:
    assert find_cut("x" * 100, 10, 50) == 50


def _streamed(data: bytes, split: int = 5, **kw) -> StreamedDocument:
    return StreamedDocument("d", None, io.BytesIO(data[split:]), data[:split], None, **kw)


def test_streamed_texts_decode_across_blocks(monkeypatch) -> None:
    import coopfacts.io.stream as stream

    monkeypatch.setattr(stream, "READ_BLOCK", 3)  # every multi-byte letter split between blocks
    text = AR * 3
    for data in (text.encode(), codecs.BOM_UTF8 + text.encode(), codecs.BOM_UTF16_BE + text.encode("utf-16-be")):
        assert "".join(_streamed(data).texts()) == text


def test_streamed_bad_byte_offset_is_a_file_offset(monkeypatch) -> None:
    import coopfacts.io.stream as stream

    monkeypatch.setattr(stream, "READ_BLOCK", 7)
    data = AR.encode() * 3 + b"\xe9" + b"abc"
    with pytest.raises(InputProblem, match=rf"byte offset {len(AR.encode()) * 3}: 0xE9\); the text before it"):
        list(_streamed(data).texts())
    with pytest.raises(InputProblem, match="truncated"):
        list(_streamed(AR.encode()[:-6]).texts())  # "...سنة 2023" cut inside the ة


def test_streamed_head_and_refusals() -> None:
    assert _streamed(FR.encode(), split=len(FR.encode())).head == FR  # the head: what was read to decide
    with pytest.raises(DecodeProblem, match="binary"):
        _streamed(b"%PDF-1.4 and more")
    with pytest.raises(DecodeProblem, match="try --encoding cp1256"):
        _streamed(AR.encode("cp1256"))


def test_streamed_ranges_renumbered_and_claims_shifted() -> None:
    from coopfacts.model import Claim

    text = "aaaa 1-2 bbbb\n\n" * 6  # 15 characters a paragraph

    def fake(window: str, ref):
        out = []
        for i in range(len(window) - 2):
            if window[i:i + 3] == "1-2":
                n = len(out) // 2 + 1
                out.append(Claim("d", "fr", i, i + 1, "1", "count", 1, extra={"range": n},
                                 sentence_start=i - 5, sentence_end=i + 8))
                out.append(Claim("d", "fr", i + 2, i + 3, "2", "count", 2, extra={"range": n,
                                 "compared_to": {"start": i, "end": i + 1, "text": "1"}}))
        return out

    from coopfacts.engine.windows import windowed_claims

    got = list(windowed_claims(_streamed(text.encode()).texts(), fake, chunk=20))
    assert [c.start for c in got] == [k * 15 + d for k in range(6) for d in (5, 7)]
    assert [c.extra["range"] for c in got] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert all(text[c.start:c.end] == c.text for c in got)
    assert all(c.extra["compared_to"]["start"] == c.start - 2 for c in got[1::2])
    assert all(text[c.sentence_start:c.sentence_end] == "aaaa 1-2 bbbb" for c in got[::2])


@pytest.mark.parametrize("n_control, binary", [(0, False), (100, False), (819, False), (820, True), (4000, True)])
def test_control_share_is_counted_exactly(n_control: int, binary: bool) -> None:
    """The share of control bytes (counted in C) says binary from a tenth of the sample on."""
    sample = bytes([1, 2, 0x1B + 1, 0x7F]) * (n_control // 4) + bytes([5]) * (n_control % 4)
    sample += b"a" * (8192 - len(sample))
    reason = binary_reason(sample)
    assert (reason is not None) == binary
    if binary:
        assert "control characters" in reason


def test_a_signal_inside_fdopen_is_not_turned_into_bad_file_descriptor(tmp_path, monkeypatch):
    # SIGTERM may land inside os.fdopen after its file object took the descriptor and closed it
    # again; the signal (Terminated) must come out, not EBADF from closing the descriptor twice,
    # which the run would report as one failed input and then carry on
    import os as _os

    from coopfacts.io import opening
    from coopfacts.outputs.target import Terminated

    path = tmp_path / "a.txt"
    path.write_text("12 %", encoding="utf-8")

    def fdopen_then_signal(fd, *args, **kwargs):
        _os.close(fd)  # what the half-made file object's clean-up does
        raise Terminated()

    monkeypatch.setattr(opening.os, "fdopen", fdopen_then_signal)
    with pytest.raises(Terminated):
        opening.open_input(str(path))


def test_a_file_is_read_whole_or_streamed_by_what_it_holds_not_by_its_size_when_opened(tmp_path, monkeypatch):
    """A small file is read in a read of its own size (no buffer of the streaming size per
    file); a file that grew after its size was taken is still streamed once past the limit,
    and one that grew a little is read whole, every byte."""
    import coopfacts.io.documents as documents
    from coopfacts.io import read_document

    real_open = documents.open_input
    asked: list[int] = []

    class Recorded(io.BufferedReader):
        def read(self, n=-1):
            asked.append(n)
            return super().read(n)

    def recording(path):
        fh, size = real_open(path)
        return Recorded(fh.detach()), size

    small = tmp_path / "small.txt"
    small.write_text("Le chômage a baissé de 3 % en 2024.\n", encoding="utf-8")
    monkeypatch.setattr(documents, "open_input", recording)
    doc = read_document(str(small), stream_over=1 << 20)
    assert isinstance(doc, Document) and doc.text == small.read_text(encoding="utf-8")
    assert asked and asked[0] == small.stat().st_size + 1

    big = tmp_path / "big.txt"
    big.write_text("12 000 emplois. " * 200, encoding="utf-8")  # 3 200 bytes

    def stale_size(path):  # the size taken when the file held 10 bytes
        fh, _ = real_open(path)
        return fh, 10

    monkeypatch.setattr(documents, "open_input", stale_size)
    grown = read_document(str(big), stream_over=1000)
    assert isinstance(grown, StreamedDocument)
    try:
        assert "".join(grown.texts()) == big.read_text(encoding="utf-8")
    finally:
        grown.close()
    whole = read_document(str(big), stream_over=10_000)
    assert isinstance(whole, Document) and whole.text == big.read_text(encoding="utf-8")
