"""Our character folding checked against two reference normalisers.

camel-tools (Arabic) and hazm (Persian) are NOT runtime dependencies; both are
only read here, and both install light when their dependencies are left out:

    pip install --no-deps "camel-tools==1.6.0" six emoji
    pip install --no-deps "hazm==0.10.0"

* camel-tools: ``camel_tools.utils.normalize`` and ``camel_tools.utils.dediac``
  import with nothing but ``six`` and ``emoji``.
* hazm: ``import hazm`` pulls nltk, gensim, numpy==1.24.3… so it is never
  imported.  Its character tables are plain literals in ``hazm/normalizer.py``;
  the test finds that file with ``importlib.util.find_spec`` (which does not run
  the package) and reads the literals with ``ast``.

Each comparison works one character at a time over the Arabic block
U+0600–U+06FF plus every character the oracle itself changes, and asserts that
the set of disagreements is EXACTLY the documented set below: a new difference
fails, and so does a documented one that went away (update the table then).
A digit is in agreement with a digit of the same value (the oracles write
Arabic-Indic or Persian digits where we write ASCII).
"""
from __future__ import annotations

import ast
import importlib.util
import re
import unicodedata
from importlib import metadata
from pathlib import Path

import pytest

from coopfacts.rulebook import get_rulebook

CAMEL_INSTALL = 'pip install --no-deps "camel-tools==1.6.0" six emoji'
HAZM_INSTALL = 'pip install --no-deps "hazm==0.10.0"'

ARABIC_BLOCK = [chr(c) for c in range(0x0600, 0x0700)]


def _same(ours: str, theirs: str) -> bool:
    if ours == theirs:
        return True
    return (
        len(ours) == len(theirs) == 1
        and unicodedata.category(ours) == unicodedata.category(theirs) == "Nd"
        and unicodedata.digit(ours) == unicodedata.digit(theirs)
    )


def _diffs(domain, ours, theirs) -> dict[str, tuple[str, str]]:
    out = {}
    for ch in sorted(set(domain)):
        o, t = ours(ch), theirs(ch)
        if not _same(o, t):
            out[ch] = (o, t)
    return out


def _cps(*ranges: tuple[int, int] | int) -> set[str]:
    out: set[str] = set()
    for r in ranges:
        a, b = (r, r) if isinstance(r, int) else r
        out.update(chr(c) for c in range(a, b + 1))
    return out


def _show(chars) -> str:
    return ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in sorted(chars))


def _ours(lang: str):
    n = get_rulebook().language(lang).normalizer
    return lambda ch: n(ch).text


# =====================================================================================
# camel-tools (Arabic)
# =====================================================================================

try:
    from camel_tools.utils.dediac import dediac_ar
    from camel_tools.utils.normalize import normalize_alef_ar, normalize_alef_maksura_ar, normalize_teh_marbuta_ar
except ImportError:  # pragma: no cover - depends on the environment
    dediac_ar = None

needs_camel = pytest.mark.skipif(dediac_ar is None, reason=f"camel-tools not installed: {CAMEL_INSTALL}")


def camel_fold(s: str) -> str:
    return dediac_ar(normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(s))))


# Where our `ar` normaliser deliberately differs from camel-tools' alef, alef
# maksura and teh marbuta normalisation + dediac_ar.  (ours, camel)
CAMEL_DELIBERATE: dict[str, tuple[str, str]] = {
    # Persian letters in Arabic text: rules/ar.yaml folds them to their Arabic twins
    # (camel's Arabic functions leave non-Arabic letters alone).
    "\u06cc": ("\u064a", "\u06cc"),  # FARSI YEH -> YEH
    "\u06a9": ("\u0643", "\u06a9"),  # KEHEH -> KAF
    "\u06c0": ("\u0647", "\u06c0"),  # HEH WITH YEH ABOVE -> HEH (as teh marbuta, below)
    # Separators: the base table reads the Arabic percent sign and date separator.
    "\u066a": ("%", "\u066a"),  # ARABIC PERCENT SIGN -> %
    "\u060d": (",", "\u060d"),  # ARABIC DATE SEPARATOR -> ,
    # Invisible / drawing characters the base table deletes; dediac_ar only removes
    # the eight harakat and the superscript alef.
    "\u0640": ("", "\u0640"),  # TATWEEL
    "\u061c": ("", "\u061c"),  # ARABIC LETTER MARK (bidi control)
}
# Every other Arabic combining mark we delete (normalize.ATTACHED_CLASS): Quranic
# annotation signs, small high letters, the extra vowel signs of other languages
# written in Arabic script.  camel-tools keeps them.  (U+06E5/U+06E6 SMALL WAW/YEH
# are Lm, not Mn, but only occur in Quranic text.)
CAMEL_DELIBERATE.update(
    {ch: ("", ch) for ch in _cps((0x0610, 0x061A), (0x0653, 0x065F), (0x06D6, 0x06DC),
                                 (0x06DF, 0x06E8), (0x06EA, 0x06ED))}
)
# Agreement, for the record (not differences): أ إ آ ٱ -> ا, ى -> ي, ة -> ه (both
# fold teh marbuta since rules/ar.yaml cb21c98), the harakat U+064B–U+0652 and
# U+0670 deleted, and digits by value.  ٫ ٬ are kept by both.


@needs_camel
def test_camel_covered_characters_are_where_we_expect():
    # the characters camel's four functions change, found by scanning the BMP
    changed = {chr(c) for c in range(0x10000) if camel_fold(chr(c)) != chr(c)}
    assert changed == _cps(0x0622, 0x0623, 0x0625, 0x0671, 0x0649, 0x0629, (0x064B, 0x0652), 0x0670), _show(changed)


@needs_camel
def test_arabic_folding_agrees_with_camel_tools():
    domain = set(ARABIC_BLOCK) | {chr(c) for c in range(0x10000) if camel_fold(chr(c)) != chr(c)}
    diffs = _diffs(domain, _ours("ar"), camel_fold)
    new = set(diffs) - set(CAMEL_DELIBERATE)
    gone = set(CAMEL_DELIBERATE) - set(diffs)
    assert not new, f"new differences from camel-tools: {[(f'U+{ord(c):04X}', *diffs[c]) for c in sorted(new)]}"
    assert not gone, f"documented differences that no longer exist (update CAMEL_DELIBERATE): {_show(gone)}"
    assert diffs == CAMEL_DELIBERATE


@needs_camel
def test_arabic_folding_agrees_with_camel_tools_on_words():
    # the same on whole words, where our folds and camel's meet inside a word
    ours = get_rulebook().language("ar").normalizer
    words = ["أَلْفٌ", "إِحْدَى", "آلاف", "ٱثنان", "مِائَةٌ", "عَشَرَةٌ", "سَنَةً", "مُسْتَشْفَى", "ثَمَانِيَةَ"]
    for w in words:
        assert ours(w).text == camel_fold(w), w


# =====================================================================================
# hazm (Persian)
# =====================================================================================

def _hazm_normalizer_source() -> tuple[str, str] | None:
    """(source of hazm/normalizer.py, hazm version), without importing hazm."""
    try:
        spec = importlib.util.find_spec("hazm")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "normalizer.py"
    if not path.is_file():
        return None
    try:
        version = metadata.version("hazm")
    except metadata.PackageNotFoundError:
        version = "?"
    return path.read_text(encoding="utf-8"), version


_HAZM = _hazm_normalizer_source()
needs_hazm = pytest.mark.skipif(_HAZM is None, reason=f"hazm not installed: {HAZM_INSTALL}")


class HazmTable:
    """hazm's character-level normalisation, rebuilt from the literals in its source.

    Order as in ``hazm.Normalizer.normalize``: the translation table, Persian digits,
    diacritics removal, keshide removal (from the spacing patterns), the Unicode
    ligature replacements, the special-character removal.  The token-level steps
    (spacing, repeated letters, the می prefix) do not act on a single character.
    """

    def __init__(self, source: str, version: str):
        self.version = version
        lit: dict[str, object] = {}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute):
                try:
                    lit[node.targets[0].attr] = ast.literal_eval(node.value)
                except ValueError:
                    pass
        need = ("translation_src", "translation_dst", "number_translation_src", "number_translation_dst",
                "diacritics_patterns", "extra_space_patterns", "replacements", "specials_chars_patterns")
        missing = [k for k in need if k not in lit]
        assert not missing, f"hazm {version}: normalizer.py no longer defines {missing}"
        src, dst = lit["translation_src"], lit["translation_dst"]
        assert len(src) == len(dst), f"hazm {version}: translation table of unequal sides"
        # hazm.utils.maketrans is {ord(a): b for a, b in zip(src, dst)}: the last pair wins
        self.translation = dict(zip(src, dst))
        self.numbers = dict(zip(lit["number_translation_src"], lit["number_translation_dst"]))
        keshide = [(p, r) for p, r in lit["extra_space_patterns"] if r == "" and "\u0640" in p]
        assert keshide, f"hazm {version}: no keshide pattern among the spacing patterns"
        self.subs = [
            *[(re.compile(p), r) for p, r in lit["diacritics_patterns"]],
            *[(re.compile(p), r) for p, r in keshide],
            *[(re.compile(p), r) for p, r in lit["replacements"]],
            *[(re.compile(p), r) for p, r in lit["specials_chars_patterns"]],
        ]

    def __call__(self, s: str) -> str:
        s = "".join(self.translation.get(c, c) for c in s)
        s = "".join(self.numbers.get(c, c) for c in s)
        for rx, rep in self.subs:
            s = rx.sub(rep, s)
        return s

    def covered(self) -> set[str]:
        out = set(self.translation) | set(self.numbers)
        for c in range(0x10000):
            ch = chr(c)
            if any(rx.fullmatch(ch) for rx, _ in self.subs):
                out.add(ch)
        return out


@pytest.fixture(scope="module")
def hazm():
    return HazmTable(*_HAZM)


# Where our `fa` normaliser deliberately differs from hazm 0.10.0.  (ours, hazm)
HAZM_DELIBERATE: dict[str, tuple[str, str]] = {
    # rules/fa.yaml folds what Persian writers use interchangeably; hazm keeps them.
    "\u0623": ("\u0627", "\u0623"),  # ALEF WITH HAMZA ABOVE -> ALEF
    "\u0625": ("\u0627", "\u0625"),  # ALEF WITH HAMZA BELOW -> ALEF
    "\u0671": ("\u0627", "\u0671"),  # ALEF WASLA -> ALEF
    "\u0624": ("\u0648", "\u0624"),  # WAW WITH HAMZA ABOVE -> WAW
    "\u0629": ("\u0647", "\u0629"),  # TEH MARBUTA -> HEH
    "\u06c0": ("\u0647", "\u06c0"),  # HEH WITH YEH ABOVE (ezafe) -> HEH
    # Separators and signs: we write ASCII, hazm writes Persian style.
    "%": ("%", "\u066a"),  # hazm: % -> ٪
    "\u066a": ("%", "\u066a"),  # ours: ٪ -> %
    "\u060d": (",", "\u060d"),  # ARABIC DATE SEPARATOR -> ,
    # Invisible characters we delete; hazm's character tables keep them.
    "\u200d": ("", "\u200d"),  # ZERO WIDTH JOINER
    "\u200e": ("", "\u200e"),  # LEFT-TO-RIGHT MARK
    "\u200f": ("", "\u200f"),  # RIGHT-TO-LEFT MARK
    "\u061c": ("", "\u061c"),  # ARABIC LETTER MARK
    # We delete every Arabic mark in U+0610–U+061A; hazm's special-character list
    # names the whole range except U+0617 (an omission on its side).
    "\u0617": ("", "\u0617"),  # ARABIC SMALL HIGH ZAIN
    # hazm deletes carriage returns with the keshide; we keep line breaks as they are.
    "\r": ("\r", ""),
}
# ZWNJ is NOT a difference: both keep it (ours since 37e1de3, "ZWNJ kept as a word
# joiner"); ٫ and ٬ are kept by both; ي ى ك ھ and NBSP fold the same way; digits
# agree by value.

# Characters hazm changes and we leave as they are.  Tested as a set: for each, ours
# is the character itself and hazm's output is as described.
#
# (1) letters of other languages written in Arabic script (Urdu, Pashto, Sindhi,
# Kurdish, Kashmiri…: ٹ ڈ ڑ ں ہ ے ە ڤ …) and the Arabic presentation forms
# (U+FB50–U+FDFF, U+FE70–U+FEFF, as extracted from PDFs), which hazm folds to
# the nearest Persian letter.  Not decided as deliberate: the rule files fold none
# of them and the normaliser does no NFKC; a Persian word typed with one of these
# or extracted as presentation forms (ﻫﺰﺍﺭ) is not read.  hazm: one letter.
HAZM_FOLDS_WE_KEEP = _cps(
    0x0620, 0x063B, (0x063D, 0x063F), (0x066E, 0x066F), (0x0675, 0x067D), (0x067F, 0x0682), 0x0685,
    (0x0687, 0x0697), (0x0699, 0x06A8), (0x06AA, 0x06AE), (0x06B0, 0x06BD), 0x06BF, (0x06C1, 0x06CB),
    (0x06CD, 0x06D3), 0x06D5, (0x06EE, 0x06EF), (0x06FA, 0x06FC), 0x06FF,
    (0x0750, 0x077F),  # Arabic Supplement
    (0x08A0, 0x08AC), (0x08AE, 0x08B4), (0x08B6, 0x08BD),  # Arabic Extended-A letters
    (0xFB50, 0xFB69), (0xFB6E, 0xFBB1),  # presentation forms A
    (0xFE80, 0xFE81), (0xFE83, 0xFE92), (0xFE95, 0xFEF4),  # presentation forms B
)
# (2) marks, symbols and punctuation hazm deletes and we keep: Quranic signs, the
# Arabic full stop ۔, the Extended-A marks U+08D4–U+08FF (our mark class covers the
# main block only), the isolated harakat forms U+FE70–U+FE7F, ornate parentheses.
# hazm: "".
HAZM_DELETES_WE_KEEP = _cps(
    0x0605, 0x061E, 0x06D4, 0x06DD, 0x06DE, 0x06E9, 0x06FD, 0x06FE,
    0x08AD, (0x08D4, 0x08FF),
    (0xFBB2, 0xFBC1), (0xFC5E, 0xFC63), (0xFCF2, 0xFCF4), (0xFD3E, 0xFD3F), (0xFDFA, 0xFDFB),
    (0xFE70, 0xFE72), (0xFE76, 0xFE7F),
)
# (3) ligatures hazm spells out (ﷲ -> الله, ﷼ -> ریال, ﻻ -> لا …); we keep them.
# hazm: two letters or more.
HAZM_EXPANDS_WE_KEEP = _cps(0xFDF0, (0xFDF2, 0xFDF9), 0xFDFC, 0xFDFD, (0xFEF5, 0xFEFC))


@needs_hazm
def test_hazm_table_is_readable(hazm):
    # the parse found real tables, not empty ones
    assert len(hazm.translation) > 300
    assert hazm("\u0643") == "\u06a9" and hazm("\u064a") == "\u06cc"  # ك -> ک, ي -> ی
    assert hazm("5") == "\u06f5"  # ASCII digits -> Persian digits
    assert hazm("\u064e") == ""  # fatha removed


@needs_hazm
def test_persian_folding_agrees_with_hazm(hazm):
    domain = set(ARABIC_BLOCK) | hazm.covered() | {"\u200c", "\u200d", "\u200e", "\u200f"}
    diffs = _diffs(domain, _ours("fa"), hazm)
    documented = set(HAZM_DELIBERATE) | HAZM_FOLDS_WE_KEEP | HAZM_DELETES_WE_KEEP | HAZM_EXPANDS_WE_KEEP
    new = set(diffs) - documented
    gone = documented - set(diffs)
    assert not new, (f"hazm {hazm.version}: new differences "
                     f"{[(f'U+{ord(c):04X}', *diffs[c]) for c in sorted(new)]}")
    assert not gone, f"hazm {hazm.version}: documented differences that no longer exist: {_show(gone)}"
    for ch, pair in HAZM_DELIBERATE.items():
        assert diffs[ch] == pair, (f"U+{ord(ch):04X}", diffs[ch], pair)
    for ch in HAZM_FOLDS_WE_KEEP:
        o, h = diffs[ch]
        assert o == ch and len(h) == 1 and unicodedata.category(h) == "Lo", (f"U+{ord(ch):04X}", o, h)
    for ch in HAZM_DELETES_WE_KEEP:
        assert diffs[ch] == (ch, ""), (f"U+{ord(ch):04X}", diffs[ch])
    for ch in HAZM_EXPANDS_WE_KEEP:
        o, h = diffs[ch]
        assert o == ch and len(h) >= 2, (f"U+{ord(ch):04X}", o, h)


@needs_hazm
def test_persian_folding_agrees_with_hazm_on_words(hazm):
    ours = get_rulebook().language("fa").normalizer
    # everyday spellings with Arabic yeh/kaf, diacritics, tatweel, ZWNJ and digits;
    # compared after mapping hazm's Persian digits to ASCII
    digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    words = ["يك ميليارد", "كشور", "هزار\u200cها", "مـــیلیون", "دَرصد", "۱۲۳", "٤٥٦", "ھزینه", "بي\u00a0شمار"]
    for w in words:
        assert ours(w).text == hazm(w).translate(digits), w
