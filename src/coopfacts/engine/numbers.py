"""Numerals: every number in a text, written in digits or words, with its value.

The scan is one regex per language built from the rule file's lexicon (digit
groups, number words, scale words, connectors).  It finds *runs* of numeral
atoms; a small grammar below splits a run into well-formed numbers and computes
each value.  The grammar is the same for every language: additive words in
falling order (twenty + five), a multiplier (hundred) after a small number,
scale words (thousand, million…) that multiply what stands before them and may
stack (``44 thousand billion``).  Language quirks are switches in the rule file
(units before tens in Arabic, teens after sixty/eighty in French).
"""
from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable

import regex

from coopfacts.engine.numeral_grammar import Atom, Numeral, read_atoms
from coopfacts.rulebook import prefixes
from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.language import Language, WordEntry
from coopfacts.rulebook.prefixes import Caseless
from coopfacts.text import literals
from coopfacts.text.segments import closing_bracket_after, opening_bracket_before

_DIGIT_RUN = fixed_regex(r"[0-9]+")
_EXPONENT = fixed_regex(r"(?:[eE][+\-]?\d+|\^[+\-]{0,2}\d+)$")
_TIMES_TEN = fixed_regex(r"[x×]10\^([+\-]?\d+)$")


def _apply_power(val: float, power: str) -> float | None:
    """1e10 -> 10^10 times; 2,5^-1 -> 2.5 to the power -1 (the peers' notation)."""
    try:
        if power[0] in "eE":
            return val * 10.0 ** int(power[1:])
        exp = power[1:]
        sign = -1 if exp.count("-") % 2 else 1
        return val ** (sign * int(exp.lstrip("+-")))
    except (OverflowError, ZeroDivisionError, ValueError):
        return None
MAX_DIGITS = 40
_EXACT_UP_TO = 2 ** 53  # integers a float holds exactly


def _exact(raw: str, val: float) -> bool:
    """Whether ``val`` is the integer written in ``raw`` (digits and marks), or a value that is no
    integer above what a float holds exactly.  A written integer past 2**53 that the float
    would round (12345678901234567 read as ...568) is not exact: it is refused, not rewritten."""
    if abs(val) < _EXACT_UP_TO or not val.is_integer():
        return True
    digits = "".join(ch for ch in raw if "0" <= ch <= "9")
    return digits.isdigit() and int(digits) == int(abs(val))


def _refuse_words_after(atoms: list[Atom], refused: list[tuple[int, int]], text: str) -> None:
    """Number words right after a refused figure are part of it (a 400-digit figure before
    "هزار میلیارد"): they become separators too, so that no smaller number is read in its place."""
    ends = sorted(refused)
    k = 0
    end = -1
    for a in atoms:
        while k < len(ends) and ends[k][0] <= a.start:
            end = max(end, ends[k][1])
            k += 1
        if a.role != "code" and a.start >= end >= 0 and not text[end:a.start].strip():
            if a.role in ("digits", "weak"):
                continue
            a.role = "code"
            end = a.end


def parse_reversed(raw: str, marks: str) -> float | None:
    """"3ر10": the wire services' decimal typed with its parts in reverse order: 10.3. Three
    digits before the mark are a thousands group, as with any group mark (450ر37 is 37 450). A
    minus glued before it signs the whole (-8ر3 is -3.8)."""
    sign = -1.0 if raw.startswith("-") else 1.0
    raw = raw.lstrip("-")
    for mark in marks:
        if mark in raw:
            low, _, high = raw.partition(mark)
            if not (low.isdigit() and high.isdigit()) or len(low) > MAX_DIGITS or len(high) > MAX_DIGITS:
                return None
            return sign * (float(int(high) * 1000 + int(low)) if len(low) == 3 else float(f"{int(high)}.{low}"))
    return None


def parse_digits(raw: str, group_marks: str, decimal_marks: str, lakh: bool = False) -> float | None:
    """Value of a digit string under the language's marks, or None when it is no number
    (an IP address, a date such as 20.02.2024, a version 1.2.3).

    A mark that may group thousands and stands before exactly three digits groups
    them (``3.600``, ``1,981``, ``1 500``); otherwise a decimal mark may end the
    number (``9.45``, ``2,5``, ``۲/۵``).
    """
    if len(raw) > MAX_DIGITS:
        return None  # a run of digits this long is an identifier or noise, not a figure
    sign = 1.0
    if raw.startswith("-"):
        sign, raw = -1.0, raw[1:]
    if " " in raw:
        for d in decimal_marks:  # "-4, 7%": the numeral regex lets a space follow a decimal mark there only
            raw = raw.replace(d + " ", d)
    v = _parse_unsigned(raw, group_marks, decimal_marks, lakh)
    return None if v is None else sign * v


def _parse_unsigned(raw: str, group_marks: str, decimal_marks: str, lakh: bool = False) -> float | None:
    parts: list[str] = []
    seps: list[str] = []
    buf = ""
    for ch in raw:
        if "0" <= ch <= "9":
            buf += ch
        else:
            parts.append(buf)
            seps.append(ch)
            buf = ""
    parts.append(buf)
    if not seps:
        return float(int(raw))
    decimal_at = None
    last = seps[-1]
    if last in decimal_marks and not (
        last in group_marks and len(parts[-1]) == 3 and all(s == last for s in seps)
    ):
        decimal_at = len(seps) - 1
    group_seps = seps if decimal_at is None else seps[:-1]
    if group_seps:
        if any(s not in group_marks for s in group_seps) or len(set(group_seps)) > 1:
            return None
        groups = parts[1 : len(group_seps) + 1]
        if lakh and len(groups) >= 2 and len(parts[0]) <= 2 and len(groups[-1]) == 3 \
                and all(len(p) == 2 for p in groups[:-1]):
            pass  # 12,34,567: two-digit groups of lakhs and crores before the last three digits
        elif not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in groups):
            return None
    if decimal_at is not None and decimal_at > 0 and seps[decimal_at] in group_seps:
        return None  # 1.234.5: the same mark cannot both group and end
    if decimal_at is None and parts[0].strip("0") == "" and len(seps) == 1 and seps[0] in decimal_marks:
        decimal_at = 0  # 0.002: nothing groups a leading zero
        group_seps = []
    if decimal_at is not None and seps[decimal_at] == "/" and (len(parts[-2]) > 3 or len(parts[-1]) > 2):
        return None  # a slash is a decimal mark only between short runs (۲/۵, ۱۲/۵), not in 1401/1402
    int_part = "".join(parts[: len(group_seps) + 1])
    if decimal_at is None:
        return float(int(int_part))
    return float(f"{int_part}.{parts[-1]}")


# The full numeral regex is costly to try at every position of a text (look-behinds, an
# optional clitic, a trie of hundreds of words), and most positions of a news text start
# no numeral. So a long text is first searched for anchors -- a run of digits, or one word
# of a number phrase, found anywhere, even inside a word -- with the standard library's
# `re` (several times faster than `regex` on a plain alternation), and the full regex is
# tried only where a numeral could start: at an anchor or a few characters before it (a
# clitic, a sign, a decimal mark), and for a word not after a letter (number words start
# a word; every letter is a word character to `regex`). Every numeral starts there, so trying those positions
# in order gives exactly the matches of one scan of the whole text
# (tests/test_numbers.py compares the two).
_SCAN_WHOLE_BELOW = 500  # a short text: one scan costs less than compiling the anchors once
_BAD_ANCHORS: set[str] = set()
# `re` and `regex` agree on what starts a word but after a number sign of category No (½, ²):
# a word character to `re`, not to `regex`. A text that holds one is anchored loosely.
_OTHER_NUMBER = fixed_regex(r"\p{No}")


_SCANS: dict[int, tuple[Language, literals.LiteralScan]] = {}


def _literal_scan(lang: Language) -> literals.LiteralScan:
    """The anchors' words (bare and after each clitic), the digits and the not-numbers'
    prefixes of a language, as one automaton (built once per process)."""
    entry = _SCANS.get(id(lang))
    if entry is None or entry[0] is not lang:
        tokens = [t.casefold() for t in lang.numbers.tokens]
        words = {*tokens, *(c.casefold() + t for c in lang.clitics for t in tokens)}
        groups: dict[Hashable, Iterable[str]] = {
            "word": words, "digit": "0123456789", "not_number": lang.numbers.not_number_prefixes.literals}
        entry = _SCANS[id(lang)] = (lang, literals.LiteralScan(groups))
    return entry[1]


def _anchor_starts(lang: Language, text: str, starts: dict) -> list[int]:
    """Where a numeral may start, from the anchors found by the automaton: a word of a number
    phrase, clitic and all, not after a letter (every letter is a word character to `regex`,
    and a number word starts a word); the start of a run of digits, and the sign or decimal
    mark glued before it (-5, .77, -.5)."""
    out = [q for q in starts.get("word", ()) if not (q and text[q - 1].isalpha())]
    lead = lang.numbers.digit_lead
    for q in starts.get("digit", ()):
        if q and text[q - 1] in "0123456789":
            continue
        if q and text[q - 1] in lead:
            if q > 1 and text[q - 2] in lead:
                out.append(q - 2)
            out.append(q - 1)
        out.append(q)
    return sorted(set(out))


def numeral_matches(lang: Language, text: str, whole: bool = False, starts: dict | None = None):
    """The numeral regex's matches in ``text``, as ``finditer`` gives them (``starts``: the
    anchors the automaton found in ``text``'s case folding, if it ran)."""
    loose = _OTHER_NUMBER.search(text) is not None
    if starts is not None and not loose and not whole and len(text) >= _SCAN_WHOLE_BELOW:
        yield from prefixes.matches_at(lang.numbers.numeral_re, _anchor_starts(lang, text, starts), text)
        return
    src = lang.numbers.anchor if loose or not lang.numbers.word_start else lang.numbers.word_start
    if whole or len(text) < _SCAN_WHOLE_BELOW or not src or src in _BAD_ANCHORS:
        yield from lang.numbers.numeral_re.finditer(text)
        return
    try:
        # the lexicon's keys are case-folded: the anchors are written so already
        anchors = Caseless(src, src, text)
    except (re.error, RecursionError, OverflowError):
        _BAD_ANCHORS.add(src)  # a lexicon `re` cannot read: scan the whole text
        yield from lang.numbers.numeral_re.finditer(text)
        return
    match = lang.numbers.numeral_re.match
    back = lang.numbers.anchor_back
    last = 0  # where the previous numeral ended: no new one starts before it
    for a in anchors.finditer():
        q = a.start()
        if q < last:
            continue
        word = text[q] not in "0123456789"
        if word and not loose:  # a word anchor starts where the numeral would, clitic and all
            m = match(text, q)
            if m is not None:
                yield m
                last = m.end()
            continue
        for pos in range(max(last, q - back), q + 1):
            # a number word starts a word (`(?<!\w)`): after a letter it cannot start
            if word and pos and text[pos - 1].isalpha():
                continue
            m = match(text, pos)
            if m is not None:
                yield m
                last = m.end()
                break


_HUNDREDS_AND_SCALES = frozenset({"multiplier", "plural_multiplier", "scale", "plural_scale"})


def scan(lang: Language, text: str) -> list[Numeral]:
    """Every numeral in normalised ``text`` (cardinals, and ordinals written with digits)."""
    N = lang.numbers
    scan_text = text
    starts = None
    if len(text) >= _SCAN_WHOLE_BELOW and literals.available():
        folded = text.casefold()
        if len(folded) == len(text):  # every character in place (prefixes.Caseless)
            starts = _literal_scan(lang).starts(folded)
    if N.not_number_re is not None:
        if starts is not None and N.not_number_prefixes.literals:
            found = prefixes.finditer_from(N.not_number_re, starts.get("not_number", []), text)
        else:
            found = prefixes.finditer(N.not_number_re, N.not_number_prefixes.source, N.not_number_prefixes.folded, text)
        blocked = [m.span() for m in found]
        if blocked:
            chars = list(text)
            for s, e in blocked:
                for i in range(s, e):
                    chars[i] = "\x00"
            scan_text = "".join(chars)
    signed_marks = tuple("-" + d for d in N.decimal_marks)
    out: list[Numeral] = []
    for m in numeral_matches(lang, scan_text, starts=starts):
        atoms: list[Atom] = []
        refused: list[tuple[int, int]] = []  # figures no float can hold: they make no number
        for s, e in m.spans("d"):
            raw = text[s:e]
            factor = 1.0
            power = None
            tm = _TIMES_TEN.search(raw) if N.times_ten_powers and "^" in raw else None
            em = _EXPONENT.search(raw) if ("e" in raw or "E" in raw or "^" in raw) and not tm else None
            if tm:
                raw, power = raw[:tm.start()], "e" + tm.group(1)  # 1.3x10^6 is 1.3e6
            elif em:
                raw, power = raw[:em.start()], em.group()
            # 100K: the longest suffix written (it may have several letters)
            if N.suffix_scales and not raw[-1:].isdigit():
                suffix = max((k for k in N.suffix_scales if raw.endswith(k)), key=len, default="")
                if suffix:
                    factor = N.suffix_scales[suffix]
                    raw = raw[:-len(suffix)]
            if N.reversed_marks and any(mark in raw for mark in N.reversed_marks):
                val = parse_reversed(raw, N.reversed_marks)
            elif raw[:1] in N.decimal_marks or raw[:2] in signed_marks:
                mark = raw.lstrip("-")[0]  # ".77" reads 0.77 (the text itself is not changed)
                val = parse_digits(raw.replace(mark, "0" + mark, 1), N.group_marks, N.decimal_marks, N.lakh_groups)
            else:
                val = parse_digits(raw, N.group_marks, N.decimal_marks, N.lakh_groups)
            if val is not None:
                val *= factor
                if power is not None:
                    val = _apply_power(val, power)
                    if val is None or not math.isfinite(val):  # 1e309: no float holds it
                        refused.append((s, e))
                        atoms.append(Atom(s, e, "code", 0.0, ""))
                        continue
                if not _exact(raw, val):  # 12345678901234567 would be written 12345678901234568
                    refused.append((s, e))
                    atoms.append(Atom(s, e, "code", 0.0, ""))
                    continue
            if val is not None:
                grouped = val >= 1000 and float(val).is_integer() and any(ch in N.group_marks for ch in raw)
                atoms.append(Atom(s, e, "digits", val, raw, part_of_more=grouped))
                continue
            # not one number (20.02.2024, 192.168.1.2, 1401/1402): each digit run stands alone,
            # separated by "code" atoms so that no run joins the next
            for dm in _DIGIT_RUN.finditer(text, s, e):
                if len(dm.group()) > MAX_DIGITS:
                    refused.append(dm.span())
                    atoms.append(Atom(dm.start(), dm.end(), "code", 0.0, ""))
                    continue
                if dm.start() > s:
                    atoms.append(Atom(dm.start() - 1, dm.start(), "code", 0.0, ""))
                atoms.append(Atom(dm.start(), dm.end(), "digits", float(int(dm.group())), dm.group()))
        for s, e in m.spans("w"):
            entry: WordEntry | None = N.words.get(lang.key(text[s:e]))
            if entry is None:  # cannot happen unless the lexicon changed under us
                continue
            atoms.append(Atom(s, e, entry.role, entry.value, text[s:e]))
        atoms.sort(key=lambda a: a.start)
        if refused:
            _refuse_words_after(atoms, refused, text)
        for k, (prev, a) in enumerate(zip(atoms, atoms[1:])):
            gap = text[prev.end:a.start].replace("-", " ").replace("\u200c", " ").split()
            a.joined = any(g.casefold() in N.connectors for g in gap)
            if (a.joined and N.connector_joins and prev.role in _HUNDREDS_AND_SCALES
                    and lang.key(a.raw) not in N.connector_joins):
                # a numerator is joined too: "cinq milliards et trois quarts"
                a.loose = not (k + 2 < len(atoms) and atoms[k + 2].role == "fraction")
            a.hyphened = "-" in text[prev.end:a.start]
        out.extend(read_atoms(atoms, text, N))
    return _merge_parts(out, text, lang)


def _merged_value(a: Numeral, b: Numeral, text: str, lang: Language, longest: int) -> float | None:
    """The value of two numerals read as one (a decimal word, a fraction), or None."""
    N, after_re = lang.numbers, lang.unit_rules.after_re
    raw = text[a.end:b.start]
    if "\n" in raw:
        return None  # a line break ends a number: "3" and the next line's "الرابع" are no fraction
    if len(raw) > longest + 8 and len("".join(raw.replace("-", " ").replace("\u200c", " ").split())) > longest:
        gap = None  # no word between: nothing to merge but a digit fraction (3/4)
    else:
        gap = lang.key(raw)

    def unit_after(pos: int) -> bool:
        return bool(after_re and after_re.match(text, pos))

    if _one_noun_in(a, b, raw, lang) and not unit_after(a.end) and not unit_after(b.end):
        return a.value / b.value  # "un ménage sur cinq": a share, no count

    if gap in N.decimal_words and b.cls != "ordinal" and b.integer and b.value >= 0:
        # a scale after the decimals scales the whole: "2 virgule 5 millions", "۲۳ اعشاریه ۷ میلیون"
        scale = b.scale if b.scale > 1 and float(b.value / b.scale).is_integer() else 1.0
        frac = int(b.value / scale)
        whole = abs(a.value) + frac / 10 ** len(str(frac))
        return (whole if a.value >= 0 else -whole) * scale
    if (gap in N.share_words and b.cls not in ("ordinal", "year") and 0 < a.value <= b.value
            and not unit_after(b.end) and not unit_after(a.end)):
        return a.value / b.value  # three out of ten (not "12 out of 10": a share is no more than its whole)
    if gap in N.over_words and (b.cls == "year" or a.cls == "year"):
        return None  # "20 over 2023": a year after it is a base of comparison, no divisor; "عام
        # 2026 على 3,215 قرضا": a year before it is a date, and the over word a preposition
    if gap in N.over_words and a.value >= b.value and a.cls == "digits" and b.cls == "digits":
        return None  # "فاز 3 على 1", "120 على 80": a score or a vote, two counts, no fraction
    if (gap in N.one_in_words and a.value == 1 and a.atoms == 1 and b.cls == "words" and b.value > 1
            and not unit_after(b.end)):
        return 1 / b.value  # واحد من ثلاثة: one in three
    if gap in N.over_words and b.cls != "ordinal" and b.value and not unit_after(b.end) and not unit_after(a.end):
        if gap in N.part_words and a.cls == "words" and a.atoms > 1 and _proper_split(a.value, b.value):
            # "مائتان وثلاثة جزء من مائة": parts of a hundred are fewer than a hundred, so
            # the two hundred is whole and the three are the hundredths (200.03, not 2.03)
            whole = a.value - a.value % b.value
            return whole + (a.value - whole) / b.value
        return a.value / b.value  # un sur trois, ١ على ٣ (not "1000 € sur 3 ans")
    if (gap == "" and b.cls == "ordinal" and b.value >= 3 and a.integer and 1 <= a.value < 1000 and b.atoms >= 1
            and raw.strip() == "" and raw != ""
            and (N.denominator_after_re is None or N.denominator_after_re.match(text, b.end))):
        # trois cinquièmes, سه چهارم; not an ordinal before its noun (un troisième mandat, une
        # cinquième année), where the language says what a denominator is followed by
        return a.value / b.value
    if _digit_fraction(a, b, text):
        return a.value / b.value  # 3/4, 1/3 (never 20/02: the top must be smaller)
    if _bracketed(a, text) and raw.strip() == ")" and b.atoms == 1 and b.value == b.scale >= 1000:
        return a.value * b.value  # "(12) مليار": a figure in brackets, then its scale word
    return None


def _one_noun_in(a: Numeral, b: Numeral, raw: str, lang: Language) -> bool:
    """"un ménage sur cinq": one, its noun (one or two words), an over word and a small number:
    a share of a group (1/5), whose figures count nothing alone. Only one: in "2 buts sur 5 tirs"
    each figure counts its own noun."""
    if a.value != 1 or len(raw) > 48:
        return False  # the cheap test first: most gaps between figures are long
    words = raw.split()
    return (2 <= len(words) <= 3 and lang.key(words[-1]) in lang.numbers.over_words
            and all(regex.fullmatch(r"\p{L}[\p{L}\p{M}'’-]*", w) for w in words[:-1])
            and a.integer and b.integer and a.cls in ("weak", "words", "digits") and b.cls in ("words", "digits")
            and a.value == 1 and 1 < b.value <= 100)


def _proper_split(top: float, bottom: float) -> bool:
    """A compound number over a power of ten at least 100 that it exceeds, with a remainder."""
    return (bottom >= 100 and float(math.log10(bottom)).is_integer() and top > bottom
            and float(top).is_integer() and top % bottom != 0)


def _bracketed(n: Numeral, text: str) -> bool:
    """A figure in digits set in brackets of its own, "(4.8)" or "( 4.8 )", as wire copy keeps
    digits in right-to-left text."""
    return (n.cls in ("digits", "year") and opening_bracket_before(text, n.start) is not None
            and closing_bracket_after(text, n.end) is not None)


def _spelled_decimal(a: Numeral, b: Numeral, text: str, lang: Language) -> float | None:
    """The decimals after a decimal word, said digit by digit ("two point zero three": 2.03),
    and a scale word after them that scales the whole ("two point two million": 2 200 000);
    None when the words after it are no run of digits ("point eleven" is read as today)."""
    raw = text[a.end:b.start]
    if b.cls != "words" or len(raw) > 40 or "\n" in raw or lang.key(raw) not in lang.numbers.decimal_words:
        return None
    digits, scale = "", 1.0
    for word in regex.split(r"[\s\-]+", b.text.strip()):
        entry = lang.numbers.words.get(lang.key(word))
        if entry is None:
            return None
        if entry.role == "scale" and digits and scale == 1.0:
            scale = entry.value
        elif entry.role in ("word", "weak") and entry.value < 10 and entry.value.is_integer() and scale == 1.0:
            digits += str(int(entry.value))
        else:
            return None
    if not digits or (scale == 1.0 and len(digits) == 1):
        return None  # one digit word and no scale: the usual reading gives the same value
    whole = abs(a.value) + int(digits) / 10 ** len(digits)
    return (whole if a.value >= 0 else -whole) * scale


def _merge_parts(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """Numbers made of two numerals: "deux cent virgule trois" (200.3, a decimal word),
    "un sur trois" (1/3), "trois cinquièmes" / "سه چهارم" (3/5, 3/4: a numerator and an ordinal)."""
    N = lang.numbers
    out: list[Numeral] = []
    # the text between two figures is mostly long: its key (folded, spaces collapsed) can be
    # one of these words only if its letters are no more than theirs
    longest = max(map(len, (*N.decimal_words, *N.one_in_words, *N.over_words, *N.share_words)), default=0)
    i = 0
    while i < len(nums):
        a = nums[i]
        if i + 1 < len(nums) and a.cls != "ordinal":
            b = nums[i + 1]
            merged = _spelled_decimal(a, b, text, lang) if N.decimal_words_spell_digits else None
            if merged is None:
                merged = _merged_value(a, b, text, lang, longest)
            if merged is not None and math.isfinite(merged):
                cls = "weak" if merged < 1 else ("digits" if a.cls in ("digits", "year") else "words")
                # "(12) مليار": the figure's brackets are both in its span, not the closing one alone
                opening = opening_bracket_before(text, a.start) if text[a.end:b.start].strip() == ")" else None
                start = opening if opening is not None and _bracketed(a, text) else a.start
                out.append(Numeral(start, b.end, merged, cls, text[start:b.end], a.atoms + b.atoms, a.digits_raw))
                i += 2
                continue
        out.append(a)
        i += 1
    if len(nums) < 2:
        return _negatives(_fractions_in_context(_approx_thousands(out, text, lang), text, lang), text, lang)
    if N.restated_in_brackets:
        out = _restated(out, text)
    if N.fraction_of_scale:
        out = _fraction_of_scale(out, text, lang)
    return _negatives(_add_fractions(_fractions_in_context(_approx_thousands(out, text, lang), text, lang), text,
                                     lang), text, lang)


def _fraction_of_scale(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """"two thirds of a million": a fraction, a scale joiner, then a scale alone is that share of it."""
    out: list[Numeral] = []
    for n in nums:
        if out:
            prev = out[-1]
            if (prev.cls == "weak" and 0 < prev.value < 1 and n.cls == "words" and n.value == n.scale > 1
                    and lang.key(text[prev.end:n.start]) in lang.numbers.scale_joiner_words):
                out[-1] = Numeral(prev.start, n.end, prev.value * n.value, "words", text[prev.start:n.end],
                                  prev.atoms + n.atoms, None, prev.approx, n.scale)
                continue
        out.append(n)
    return out


def _restated(nums: list[Numeral], text: str) -> list[Numeral]:
    """"forty-five (45) days", "45 (forty-five)": a figure written in words and again in digits
    in brackets right after it (or the other way round) is one number."""
    out: list[Numeral] = []
    for n in nums:
        if out:
            prev = out[-1]
            kinds = {prev.cls, n.cls}
            if (prev.value == n.value and kinds in ({"words", "digits"}, {"words", "year"})
                    and text[prev.end:n.start] in (" (", "(") and text[n.end:n.end + 1] == ")"):
                out[-1] = Numeral(prev.start, n.end + 1, prev.value, prev.cls, text[prev.start:n.end + 1],
                                  prev.atoms + n.atoms, prev.digits_raw or n.digits_raw, prev.approx, prev.scale)
                continue
        out.append(n)
    return out


def _approx_thousands(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """"une trentaine de milliers": an approximate number, a joining word, then a scale in the
    plural is that many of the scale (about 30 000), not the approximate number alone."""
    rx = lang.numbers.approx_scale_re
    if rx is None:
        return nums
    out = []
    for n in nums:
        m = rx.match(text, n.end) if n.approx else None
        if m:
            entry = lang.numbers.words.get(lang.key(m.group("s")))
            if entry is not None:
                value = n.value * entry.value
                n = Numeral(n.start, m.end(), value, n.cls, text[n.start:m.end()], n.atoms + 1, n.digits_raw, True,
                            entry.value)
        out.append(n)
    return out


def _digit_fraction(a: Numeral, b: Numeral, text: str) -> bool:
    if text[a.end:b.start] != "/" or a.cls not in ("digits", "year") or b.cls not in ("digits", "year"):
        return False
    if not (a.integer and b.integer and 1 <= abs(a.value) < b.value <= 100):
        return False
    if (a.digits_raw or "0").startswith("0") or (b.digits_raw or "0").startswith("0"):
        return False  # 01/02 is a date
    before, after = text[max(0, a.start - 1):a.start], text[b.end:b.end + 1]
    return all(x not in ("/", "-", ".") and not x.isdigit() for x in (before, after))


def _fractions_in_context(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """"خمس الفطيرة" (a fifth of the pie: a number word before a definite noun) and
    "جزء من مئة" (one part of a hundred)."""
    N = lang.numbers
    if not N.construct_fractions and not N.part_words:
        return nums
    out: list[Numeral] = []
    for n in nums:
        v = N.construct_fractions.get(lang.key(n.text)) if n.atoms == 1 else None
        if v is not None and lang.articles and text[n.end:n.end + 1] == " " \
                and text.startswith(lang.articles, n.end + 1):
            n = Numeral(n.start, n.end, v, "weak", n.text, 1)
        elif N.part_words and n.value and n.cls != "weak":
            before = lang.key(text[max(0, n.start - 16):n.start])
            for w in N.part_words:
                if before.endswith(w) and not (out and out[-1].end >= n.start - len(w) - 2):
                    s = text.rfind(w.split()[0], max(0, n.start - 16), n.start)
                    if s >= 0:
                        n = Numeral(s, n.end, 1.0 / n.value, "weak", text[s:n.end], n.atoms + 1)
                    break
        out.append(n)
    return out


def _negatives(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """"سالب خمسة": a minus written as a word before the figure."""
    N = lang.numbers
    if not N.negative_words:
        return nums
    out = []
    # each negative word's first letters: a text before a figure that holds none holds no word
    heads = {w[:2] for w in N.negative_words}
    for n in nums:
        before = text[max(0, n.start - 12):n.start]
        if not before[-1:].isspace():  # the word must be followed by space (all of `regex`'s \s is)
            out.append(n)
            continue
        folded = before.casefold()
        if not any(h in folded for h in heads):
            out.append(n)
            continue
        m = _LAST_WORD.search(before)
        if m and lang.key(m.group(1)) in N.negative_words and n.value > 0:
            s = n.start - (len(before) - m.start(1))
            prev = _LAST_WORD.search(text, max(0, s - 16), s)
            if prev and lang.key(prev.group(1)) in N.negative_not_after:
                out.append(n)  # "au moins 5" is at least five
                continue
            n = Numeral(s, n.end, -n.value, n.cls, text[s:n.end], n.atoms, n.digits_raw, n.approx, n.scale)
        out.append(n)
    return out


_LAST_WORD = fixed_regex(r"(\w+)\s+$")


def _is_share(n: Numeral, lang: Language, shares: tuple[str, ...]) -> bool:
    """"un Français sur deux", "one in three": a share of a group, never a fraction added to the
    figure before it ("4 ménages sur 10 et un Français sur deux" is no 10.5)."""
    return bool(shares) and any(lang.key(w) in shares for w in regex.split(r"[\s\-]+", n.text.strip()))


def _add_fractions(nums: list[Numeral], text: str, lang: Language) -> list[Numeral]:
    """A whole number and a fraction after it: "cent trois et deux tiers", "2 1/4"."""
    N = lang.numbers
    out: list[Numeral] = []
    shares = (*N.over_words, *N.share_words, *N.one_in_words)
    for n in nums:
        if out and 0 < n.value < 1 and n.cls == "weak" and not _is_share(n, lang, shares):
            prev = out[-1]
            gap = text[prev.end:n.start]
            joined = lang.key(gap) in N.connectors or (gap.strip() == "" and gap and "/" in n.text)
            if joined and prev.integer and abs(prev.value) >= 1 and prev.cls in ("digits", "words", "weak"):
                whole = prev.value + (n.value if prev.value > 0 else -n.value)  # -1 4/5 is -1.8
                out[-1] = Numeral(prev.start, n.end, whole, prev.cls, text[prev.start:n.end],
                                  prev.atoms + n.atoms, prev.digits_raw)
                continue
        out.append(n)
    return out
