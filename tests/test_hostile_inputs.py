"""Hostile input files: encodings, binaries in disguise, odd paths, empty and huge files,
mixed scripts, bidi controls.  Every case runs the command line (in process, with the
small test rules of conftest.py) and checks three things: the documented exit status,
a one-line message naming the input where it fails, and no traceback anywhere.

Every input is built here; nothing large is stored in git.
"""
from __future__ import annotations

import codecs
import errno
import io
import os
import sys
from pathlib import Path

import pytest

import coopfacts.io as cio
import coopfacts.io.stream as stream
from conftest import jsonl

AR = "ارتفعت نسبة التعاونيات 54% خلال العام، وبلغ عددها 1,200.\n"
FA = "سهم زنان ۵۴% بود و بیش از ۲۹۰۰ صندوق.\n"
FR = "Selon le rapport, plus de 1 500 emplois ont été créés, soit 54% du total.\n"
FA_CP1256 = "سهم زنان 54% بود و بیش از 2900 صندوق پژوهش.\n".replace("ی", "ي")  # what cp1256 can hold


def check(res, code: int, *, stderr_has: tuple[str, ...] = (), stdout_empty: bool | None = None,
          parse: bool = True) -> list[dict]:
    """The run ended with ``code``, no traceback was printed, stderr says what is expected."""
    err = res.stderr
    assert res.exit_code == code, (res.exit_code, err, res.stdout[-500:])
    assert "Traceback" not in err + res.stdout
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    for s in stderr_has:
        assert s in err, (s, err)
    if stdout_empty is not None:
        assert (res.stdout == "") == stdout_empty, res.stdout
    return jsonl(res.stdout) if parse else []


def spans_hold(records: list[dict], texts: dict[str, str]) -> None:
    for r in records:
        assert texts[r["doc"]][r["start"]:r["end"]] == r["text"], r


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --- encodings ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [AR, FA, FR], ids=["ar", "fa", "fr"])
@pytest.mark.parametrize("prefix, enc", [
    (b"", "utf-8"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
], ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom"])
def test_unicode_encodings_decoded_without_being_told(cli, tmp_path, text, prefix, enc) -> None:
    p = write(tmp_path, "doc.txt", prefix + text.encode(enc))
    recs = check(cli("extract", str(p)), 0)
    assert ("percent", 54) in [(r["kind"], r["value"]) for r in recs]
    spans_hold(recs, {str(p): text})  # offsets: code points of the decoded text, the BOM not counted


@pytest.mark.parametrize("text, legacy", [(AR, "cp1256"), (FA_CP1256, "cp1256"), (FR, "cp1252")],
                         ids=["ar", "fa", "fr"])
def test_legacy_encoding_refused_with_a_suggestion_then_read_when_named(cli, tmp_path, text, legacy) -> None:
    p = write(tmp_path, "legacy.txt", text.encode(legacy))
    res = cli("extract", str(p))
    check(res, 1, stderr_has=(f"coopfacts: {p}: not valid UTF-8", f"--encoding {legacy}"), stdout_empty=True)
    assert len(res.stderr.splitlines()) == 1, res.stderr  # one input: its one line, no summary
    recs = check(cli("extract", str(p), "--encoding", legacy), 0)
    assert ("percent", 54) in [(r["kind"], r["value"]) for r in recs]
    spans_hold(recs, {str(p): text})


def test_iso_8859_6_when_named(cli, tmp_path) -> None:
    text = "نسبة 54% من 1,200 تعاونية\n"
    p = write(tmp_path, "iso.txt", text.encode("iso-8859-6"))
    check(cli("extract", str(p)), 1, stderr_has=("not valid UTF-8",))
    recs = check(cli("extract", str(p), "--encoding", "iso-8859-6", "--lang", "ar"), 0)
    spans_hold(recs, {str(p): text})
    assert [r["text"] for r in recs][:1] == ["54%"]


def test_wrong_encoding_named_is_refused_not_misdecoded(cli, tmp_path) -> None:
    p = write(tmp_path, "cp.txt", AR.encode("cp1256"))
    check(cli("extract", str(p), "--encoding", "utf-8"), 1, stderr_has=(f"{p}: not valid utf-8 (byte offset 0)",))


def test_forced_encoding_drops_the_bom(cli, tmp_path) -> None:
    p = write(tmp_path, "bom.txt", codecs.BOM_UTF8 + FR.encode())
    recs = check(cli("extract", str(p), "--encoding", "utf-8"), 0)
    spans_hold(recs, {str(p): FR})


def test_utf16_without_bom_gets_a_hint_and_reads_when_named(cli, tmp_path) -> None:
    p = write(tmp_path, "u16.txt", FR.encode("utf-16-le"))
    check(cli("extract", str(p)), 1, stderr_has=("binary file", "--encoding utf-16-le"))
    recs = check(cli("extract", str(p), "--encoding", "utf-16-le"), 0)
    spans_hold(recs, {str(p): FR})


def test_damaged_utf8_is_not_taken_for_a_legacy_encoding(cli, tmp_path) -> None:
    data = AR.encode() + b"\xff" + AR.encode()
    p = write(tmp_path, "damaged.txt", data)
    res = cli("extract", str(p))
    check(res, 1, stderr_has=(f"byte offset {len(AR.encode())}: 0xFF", "damaged or mixes encodings"))
    assert "cp1256" not in res.stderr


def test_truncated_utf8_says_so(cli, tmp_path) -> None:
    data = "بلغ عدد التعاونيات 54% من المجموع".encode()[:-1]  # half of the last letter
    p = write(tmp_path, "cut.txt", data)
    check(cli("extract", str(p)), 1, stderr_has=("truncated",))


@pytest.mark.parametrize("bad", [b"\xed\xa0\x80", b"\xc0\x80", b"\xf4\x90\x80\x80"],
                         ids=["utf8-surrogate", "overlong-nul", "above-10ffff"])
def test_invalid_utf8_sequences_refused(cli, tmp_path, bad: bytes) -> None:
    p = write(tmp_path, "bad.txt", b"plus de 15 " + bad + b" personnes")
    check(cli("extract", str(p)), 1, stderr_has=(f"{p}: not valid UTF-8 (byte offset 11",), stdout_empty=True)


def test_unknown_encoding_is_a_usage_error(cli, tmp_path) -> None:
    p = write(tmp_path, "a.txt", FR.encode())
    check(cli("extract", str(p), "--encoding", "klingon-8"), 2, stderr_has=("unknown encoding",), stdout_empty=True)


def test_guess_names_a_decodable_encoding() -> None:
    # 0x81 is undefined in cp1252: a "French-looking" sample with it is offered cp1256
    assert cio.guess_legacy_encoding(b"abcdefgh \x81") == "cp1256"
    assert cio.guess_legacy_encoding("élève".encode("cp1252")) == "cp1252"


# --- binaries in disguise ------------------------------------------------------------------

BINARIES = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(0x80, 0x100)),
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)),
    "docx": b"PK\x03\x04\x14\x00\x06\x00word/document.xml" + bytes(range(256)),
    "gzip": b"\x1f\x8b\x08\x00" + bytes(range(256)),
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
    "elf": b"\x7fELF\x02\x01\x01" + bytes(64),
    "nul": "54% des coopératives".encode() + b"\x00\x00\x00",
    "controls": bytes([1, 2, 3, 4, 5, 6, 7, 8, 0x0E, 0x0F] * 20) + b"54%",
}


@pytest.mark.parametrize("kind", list(BINARIES))
def test_binary_files_are_skipped_with_a_message(cli, tmp_path, kind: str) -> None:
    p = write(tmp_path, f"{kind}.txt", BINARIES[kind])
    good = write(tmp_path, "good.txt", FR.encode())
    res = cli("extract", str(p), str(good))
    recs = check(res, 1, stderr_has=(f"coopfacts: {p}: binary file", "1 of 2 inputs failed: 1 binary file"))
    assert {r["doc"] for r in recs} == {str(good)}  # the good one is still read


def test_pdf_message_says_what_to_do(cli, tmp_path) -> None:
    p = write(tmp_path, "report.txt", BINARIES["pdf"])
    check(cli("extract", str(p)), 1, stderr_has=("PDF document", "pdftotext"))


@pytest.mark.parametrize("text", ["MZ 54% des votes", "ID3 = 54%", "BZh: 54%"])
def test_text_that_starts_like_a_signature_is_still_text(cli, tmp_path, text: str) -> None:
    p = write(tmp_path, "t.txt", text.encode())
    recs = check(cli("extract", str(p)), 0)
    assert [r["text"] for r in recs] == ["54%"]


def test_escape_sequences_and_form_feeds_are_text(cli, tmp_path) -> None:
    text = "\x1b[1m54%\x1b[0m\f\n\tplus de 1 500\v\n"
    p = write(tmp_path, "tty.txt", text.encode())
    recs = check(cli("extract", str(p)), 0)
    spans_hold(recs, {str(p): text})


# --- odd paths ------------------------------------------------------------------------

def test_missing_path(cli, tmp_path) -> None:
    p = tmp_path / "nope.txt"
    check(cli("extract", str(p)), 1, stderr_has=(f"coopfacts: {p}: no such file or directory",), stdout_empty=True)


def test_directory_given_as_a_file_is_walked(cli, tmp_path) -> None:
    d = tmp_path / "looks-like-a-file.txt"
    d.mkdir()
    (d / "inner.txt").write_text(FR, encoding="utf-8")
    recs = check(cli("extract", str(d)), 0)
    assert {r["doc"] for r in recs} == {str(d / "inner.txt")}


def test_directory_without_text_files(cli, tmp_path) -> None:
    (tmp_path / "x.csv").write_text("1,2", encoding="utf-8")
    check(cli("extract", str(tmp_path)), 1, stderr_has=("no .txt/.md files in directory",))


def test_opening_a_directory_is_a_failure_not_a_crash(tmp_path) -> None:
    assert cio.read_document(str(tmp_path)) == cio.Failure(str(tmp_path), "is a directory")


def test_broken_symlink(cli, tmp_path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    check(cli("extract", str(link)), 1, stderr_has=(f"{link}: broken symbolic link",))


def test_broken_symlink_inside_a_directory(cli, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    recs = check(cli("extract", str(tmp_path)), 1, stderr_has=("b.txt: broken symbolic link",))
    assert {r["doc"] for r in recs} == {str(tmp_path / "a.txt")}


def test_symlink_loop(cli, tmp_path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.symlink_to(b)
    b.symlink_to(a)
    check(cli("extract", str(a)), 1, stderr_has=(f"{a}: symbolic link loop",))


def test_directory_symlink_loop_is_not_followed(cli, tmp_path) -> None:
    (tmp_path / "a.txt").write_text(FR, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    recs = check(cli("extract", str(tmp_path)), 0)
    assert {r["doc"] for r in recs} == {str(tmp_path / "a.txt")}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_really(cli, tmp_path) -> None:
    p = write(tmp_path, "secret.txt", FR.encode())
    p.chmod(0)
    try:
        check(cli("extract", str(p)), 1, stderr_has=(f"{p}: permission denied",))
    finally:
        p.chmod(0o644)


def test_unreadable_file(cli, tmp_path, monkeypatch) -> None:
    """Also as root (where chmod 0 does not stop reading): open() says EACCES."""
    secret = write(tmp_path, "secret.txt", FR.encode())
    good = write(tmp_path, "good.txt", FR.encode())
    real_open = os.open  # every input is opened by coopfacts.io.opening.open_input, with os.open

    def fake_open(file, *a, **kw):
        if str(file) == str(secret):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr("os.open", fake_open)
    recs = check(cli("extract", str(secret), str(good)), 1, stderr_has=(f"{secret}: permission denied",
                                                                         "1 of 2 inputs failed: 1 permission denied"))
    assert {r["doc"] for r in recs} == {str(good)}


def test_read_error_in_the_middle_of_a_file(tmp_path, monkeypatch) -> None:
    p = write(tmp_path, "disk.txt", FR.encode())

    class Failing(io.BytesIO):
        def read(self, *a):
            raise OSError(errno.EIO, "Input/output error")

    real_close = os.close  # inputs are opened with os.open, then os.fdopen (coopfacts.io.opening)
    monkeypatch.setattr("os.fdopen", lambda fd, *a, **kw: (real_close(fd), Failing())[1])
    assert cio.read_document(str(p)) == cio.Failure(str(p), "input/output error")


def test_file_name_that_is_not_utf8(cli, tmp_path) -> None:
    if sys.platform == "darwin":
        pytest.skip("macOS file names are UTF-8")
    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb") as fh:
        fh.write(FR.encode())
    path = os.fsdecode(raw)  # with a lone surrogate, as Python gives it
    recs = check(cli("extract", path), 0)
    assert recs and all(r["doc"].endswith("caf\\xe9.txt") for r in recs)


def test_file_name_with_a_newline(cli, tmp_path) -> None:
    p = write(tmp_path, "two\nlines.txt", FR.encode())
    recs = check(cli("extract", str(p)), 0)
    assert {r["doc"] for r in recs} == {str(p)}


# --- empty and blank -----------------------------------------------------------------------

@pytest.mark.parametrize("data", [b"", b"   ", b"\n\n\n", b" \t\r\n\f\v ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE,
                                  "\u00a0\u202f\u2009\u200c\u200f\u2028\u3000".encode()],
                         ids=["empty", "spaces", "newlines", "all-ascii-space", "bom-only", "utf16-bom-only",
                              "unicode-spaces"])
@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "table"])
def test_empty_and_blank_files_exit_0(cli, tmp_path, data: bytes, fmt: str) -> None:
    p = write(tmp_path, "blank.txt", data)
    res = cli("extract", str(p), "--format", fmt)
    check(res, 0, parse=False)
    if fmt == "json":
        assert res.stdout.strip() == "[]"
    elif fmt == "csv":
        assert res.stdout.count("\n") == 1  # the header only
    else:
        assert res.stdout == ""


def test_empty_stdin(cli) -> None:
    check(cli("extract", "-", input=b""), 0, stdout_empty=True)


# --- what is inside the text ----------------------------------------------------------

def test_line_endings_of_every_system(cli, tmp_path) -> None:
    text = "plus de 10 ans\r\nsoit 54%\rpuis 12%\u2028et 13%\u2029fin 14%\x85"
    p = write(tmp_path, "eol.txt", text.encode())
    recs = check(cli("extract", str(p)), 0)
    spans_hold(recs, {str(p): text})
    assert [r["text"] for r in recs] == ["10", "54%", "12%", "13%", "14%"]


def test_engine_mask_characters_in_the_input(cli, tmp_path) -> None:
    """The engine hides numerals behind private-use characters; the same characters written in
    a document must not be taken for numerals."""
    text = "\ue000\ue00f\ue00f% et \ue001\ue00f\ue00f\ue00f puis 54%\n"
    p = write(tmp_path, "pua.txt", text.encode())
    recs = check(cli("extract", str(p)), 0)
    spans_hold(recs, {str(p): text})
    assert [r["text"] for r in recs] == ["54%"]


@pytest.mark.parametrize("lang", ["ar", "fa", "fr"])
def test_engine_mask_characters_with_the_packaged_rules(lang) -> None:
    from coopfacts import extract

    text = "\ue000\ue00f\ue00f مليون درهم \ue002\ue00f \ue001\ue00f\ue00f\ue00f 2023 %\ue000"
    for c in extract(text, lang=lang):
        assert text[c.start:c.end] == c.text
        assert "\ue000" not in c.text and "\ue001" not in c.text, c


MIXED = ("Le 3 mars, 54% des 1 200 coopératives — بلغت نسبة المشاركة ٥٤٪ من ١٬٢٠٠ تعاونية — "
         "و بیش از ۲۹ هزار صندوق; 200 مليون درهم; ۱۲٫۵ درصد; 7 000 € et ٣٫٥ مليار دولار.\n")


@pytest.mark.parametrize("lang", ["auto", "ar", "fa", "fr"])
def test_mixed_scripts_in_one_document(cli, tmp_path, lang) -> None:
    p = write(tmp_path, "mixed.txt", MIXED.encode())
    recs = check(cli("extract", str(p), "--lang", lang, rules=False), 0)
    assert recs, "no claim at all"
    spans_hold(recs, {str(p): MIXED})


BIDI = ["\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u061c"]


@pytest.mark.parametrize("mark", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
@pytest.mark.parametrize("lang, text, value", [
    ("fa", "بیش از ۲۹{m}۵۰۰ نفر در {m}۱۲{m}٫۵{m} درصد", [29500, 12.5]),
    ("ar", "بلغ {m}١٢٣{m} مليون درهم و{m}٥٤{m}٪ من المشاركين", [123000000, 54]),
    ("fr", "soit {m}1{m}500{m} euros et {m}54{m} % des votes", [1500, 54]),
], ids=["fa", "ar", "fr"])
def test_bidi_controls_inside_and_around_numbers(lang, text, value, mark) -> None:
    """Bidi controls are invisible: the figure reads as without them and its span covers them."""
    from coopfacts import extract

    t = text.format(m=mark)
    claims = extract(t, lang=lang)
    for c in claims:
        assert t[c.start:c.end] == c.text
        assert c.text[0] not in BIDI and c.text[-1] not in BIDI, c  # a span starts and ends on the figure
    assert [c.value for c in claims] == value, claims


def test_bidi_controls_through_the_command_line(cli, tmp_path) -> None:
    text = "\u202b\u200fنسبة \u2067٥٤\u2069% و\u200e1\u200e200\u200e\u202c\n"
    p = write(tmp_path, "bidi.txt", text.encode())
    recs = check(cli("extract", str(p), "--lang", "ar"), 0)
    spans_hold(recs, {str(p): text})
    assert [r["value"] for r in recs] == [54, 1200]


# --- large inputs, at a size CI can afford (the real sizes: test_hostile_large.py) ------------

def set_window_sizes(monkeypatch, stream_over: int, chunk: int) -> None:
    """Make the large-input path start at ``stream_over`` bytes with windows of ``chunk`` characters,
    also where a module took its own copy of io.stream.STREAM_OVER when imported."""
    import importlib

    import coopfacts.engine.windows as windows

    monkeypatch.setattr(stream, "STREAM_OVER", stream_over)
    monkeypatch.setattr(windows, "CHUNK_CHARS", chunk)
    for name in ("coopfacts.io", "coopfacts.cli.app"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        for attr, value in (("STREAM_OVER", stream_over), ("CHUNK_CHARS", chunk)):
            if hasattr(mod, attr):
                monkeypatch.setattr(mod, attr, value)


@pytest.fixture
def small_windows(monkeypatch):
    """Streaming from 16 KiB on, windows of 2 048 characters: the large-file path on small files."""
    set_window_sizes(monkeypatch, 1 << 14, 2048)


def _article(lang: str) -> str:
    root = Path(__file__).resolve().parent.parent / "samples"
    return "\n\n".join((root / f"{lang}-{i}.txt").read_text(encoding="utf-8").strip() for i in (1, 2)) + "\n\n"


@pytest.mark.parametrize("lang", ["ar", "fa", "fr"])
@pytest.mark.parametrize("shape", ["paragraphs", "one-line", "no-spaces"])
def test_streamed_document_gives_the_claims_of_the_whole(cli, tmp_path, small_windows, lang, shape) -> None:
    """Cut into windows (at blank lines; or, on one long line, at sentence ends, spaces, or anywhere),
    a document gives the same claims as read whole: same spans, values, sentences, range ids."""
    from coopfacts import extract

    text = _article(lang) * 8
    if shape == "one-line":
        text = text.replace("\n", " ")
    elif shape == "no-spaces":
        text = text.replace("\n", "_")  # windows have no whitespace to end on: hard cuts
    assert len(text.encode()) > stream.STREAM_OVER
    p = write(tmp_path, "big.txt", text.encode())
    recs = check(cli("extract", str(p), "--lang", lang, "-q", rules=False), 0)
    whole = [c.to_dict() for c in extract(text, lang=lang, doc=str(p))]
    spans_hold(recs, {str(p): text})
    if shape == "no-spaces":  # a hard cut may split a figure: only the spans are promised
        assert abs(len(recs) - len(whole)) <= len(text) // 2048 + 1
        return
    assert recs == jsonl("\n".join(__import__("json").dumps(r, ensure_ascii=False) for r in whole))


def test_streamed_stdin(cli, small_windows) -> None:
    text = _article("fr") * 8
    recs = check(cli("extract", "-", "--lang", "fr", "-q", input=text.encode(), rules=False), 0)
    spans_hold(recs, {"<stdin>": text})
    assert len(recs) > 100


def test_streamed_file_with_a_bad_byte_far_in_is_refused_before_any_output(cli, tmp_path, small_windows) -> None:
    data = (_article("fr") * 8).encode() + b"\xff tail 54%"
    p = write(tmp_path, "late.txt", data)
    check(cli("extract", str(p), "-q", rules=False), 1,
          stderr_has=(f"{p}: not valid UTF-8 (byte offset {len(data) - 10}: 0xFF)", "damaged"), stdout_empty=True)


def test_streamed_stdin_with_a_bad_byte_far_in_keeps_what_came_before(cli, small_windows) -> None:
    head = (_article("fr") * 8).encode()
    res = cli("extract", "-", "-q", "--lang", "fr", input=head + b"\xff" + head, rules=False)
    recs = check(res, 1, stderr_has=(f"<stdin>: not valid UTF-8 (byte offset {len(head)}: 0xFF)",))
    assert "input failed" not in res.stderr  # one input: no summary line
    assert recs and all(r["end"] <= len(head.decode()) for r in recs)


def test_streamed_utf16_and_legacy_encodings(cli, tmp_path, small_windows) -> None:
    text = _article("ar") * 8
    for name, data, extra in [("u16.txt", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), []),
                              ("cp.txt", text.encode("cp1256", "replace"), ["--encoding", "cp1256"])]:
        p = write(tmp_path, name, data)
        decoded = data.decode("utf-16") if name == "u16.txt" else data.decode("cp1256")
        recs = check(cli("extract", str(p), "-q", "--lang", "ar", *extra, rules=False), 0)
        assert recs
        spans_hold(recs, {str(p): decoded})


def test_streamed_binary_and_legacy_refused_up_front(cli, tmp_path, small_windows) -> None:
    pdf = write(tmp_path, "big.pdf.txt", BINARIES["pdf"] * 1000)
    legacy = write(tmp_path, "big-cp.txt", (AR * 3000).encode("cp1256"))
    check(cli("extract", str(pdf), str(legacy), rules=False), 1,
          stderr_has=("PDF document", "--encoding cp1256", "2 of 2 inputs failed"), stdout_empty=True)


def test_streamed_document_is_refused_for_html(cli, tmp_path, small_windows) -> None:
    p = write(tmp_path, "big.txt", (_article("fr") * 8).encode())
    small = write(tmp_path, "small.txt", FR.encode())
    res = cli("extract", str(p), str(small), "--format", "html", "-o", str(tmp_path / "r.html"), rules=False)
    check(res, 1, stderr_has=("too large for --format html",))


def test_find_cut_prefers_paragraphs_then_lines_then_sentences_then_spaces() -> None:
    text = "a" * 50 + "\n\n" + "b" * 20 + "\n" + "c" * 10 + ". " + "d" * 5 + " " + "e" * 30
    from coopfacts.text.segments import find_cut

    assert find_cut(text, 10, 100) == 52  # after the blank line
    assert find_cut(text, 60, 100) == 73  # after the line break
    assert find_cut(text, 75, 100) == 85  # after the sentence end
    assert find_cut(text, 86, 100) == 91  # after the last space
    assert find_cut(text, 92, 100) == 100  # nowhere better: the limit


def _digit_claims(text: str, doc=None, ref=None):
    """A stand-in for the engine (fast): every run of digits is a claim."""
    import regex

    from coopfacts.model import Claim

    return [Claim(doc, "fr", m.start(), m.end(), m.group(), "count", int(m.group().replace(" ", "")))
            for m in regex.finditer(r"\d+(?: \d{3})*", text)]


def test_ten_megabyte_line_windows(monkeypatch) -> None:
    """A 10 MB line with no line break: windows cut at spaces, no figure is split, offsets are
    those of the whole line (a fast stand-in for the engine; the engine itself runs on a 10 MB
    line in test_hostile_large.py)."""
    unit = "le total atteint 1 500 000 dinars pour les projets " + "de la coopérative " * 25
    text = (unit * (10_000_000 // len(unit) + 1))[:10_000_000]
    data = text.encode()
    doc = cio.StreamedDocument("line", None, io.BytesIO(data[4096:]), data[:4096], None)
    from coopfacts.engine.windows import windowed_claims

    got = [(c.start, c.end, c.value) for c in windowed_claims(doc.texts(), lambda t, ref: _digit_claims(t))]
    whole = [(c.start, c.end, c.value) for c in _digit_claims(text)]
    assert got[:-1] == whole[:len(got) - 1]
    assert len(got) == len(whole) or got[-1][0] == whole[len(got) - 1][0]


def test_streamed_document_closes_its_file(tmp_path, small_windows) -> None:
    p = write(tmp_path, "big.txt", (FR * 2000).encode())
    items = list(cio.iter_documents([str(p)], stream_over=stream.STREAM_OVER))
    assert isinstance(items[0], cio.StreamedDocument)
    assert items[0]._stream.closed


def test_only_the_bom_is_dropped_not_a_second_feff() -> None:
    bom = codecs.BOM_UTF8
    assert cio.decode(bom + "\ufeff54%".encode()) == "\ufeff54%"
    assert cio.decode(bom + "54%".encode(), "utf-8") == "54%"
    assert cio.decode(codecs.BOM_UTF16_LE + "54%".encode("utf-16-le"), "utf-16") == "54%"
    assert cio.decode(codecs.BOM_UTF16_LE + "\ufeff54%".encode("utf-16-le"), "utf-16-le") == "\ufeff54%"
