"""The ``numbers`` section: the numeral lexicon, and the one regex that finds runs of numerals."""
from __future__ import annotations

import unicodedata
from typing import Any

import regex

from coopfacts.rulebook.build import Build
from coopfacts.rulebook.language import NumberRules, WordEntry, prefixes_of
from coopfacts.rulebook.regexes import alternation
from coopfacts.rulebook.shapes import RuleError

# a word's role in a number, by the section it is listed in
_ROLES = (("words", "word"), ("fractions", "fraction"), ("approximate", "approx"), ("ordinals", "ordinal"),
          ("definite", "definite"))
_MULTIPLIER_ROLES = (("multipliers", "multiplier"), ("plural_multipliers", "plural_multiplier"))
_PHRASE_SEP = r"[\s\-\u200c]+"


def number_words(b: Build) -> dict[str, WordEntry]:
    """Every number word (folded) with its value and role."""
    nums = b.section("numbers")
    words: dict[str, WordEntry] = {}

    def add(mapping: dict[Any, list[str]] | None, role: str) -> None:
        for value, spellings in (mapping or {}).items():
            for s in spellings:
                words[b.norm(s)] = WordEntry(float(value), role)

    for section, role in _ROLES:
        add(nums.get(section), role)
    for cp in (0xBC, 0xBD, 0xBE, *range(0x2150, 0x215F)):  # vulgar fractions: ½ ⅙ ¾ (Unicode facts)
        words.setdefault(chr(cp), WordEntry(float(unicodedata.numeric(chr(cp))), "fraction"))
    for section, role in _MULTIPLIER_ROLES:
        add(nums.get(section), role)
    for value, sc in (nums.get("scales") or {}).items():
        for s in sc.get("singular", []) or []:
            words[b.norm(s)] = WordEntry(float(value), "scale")
        for s in sc.get("plural", []) or []:
            words[b.norm(s)] = WordEntry(float(value), "plural_scale")
        for s in sc.get("dual", []) or []:  # two of it (Arabic مليونان)
            words[b.norm(s)] = WordEntry(float(value), "dual_scale")
        for s in sc.get("restated", []) or []:  # said again after its fraction (مليون ونصف المليون)
            words[b.norm(s)] = WordEntry(float(value), "restated_scale")
    for s in nums.get("weak", []) or []:
        k = b.norm(s)
        if k not in words:
            raise RuleError(b.docs[0].path, None, None, f"numbers.weak: {s!r} is not a number word of this file")
        words[k] = WordEntry(words[k].value, "weak")
    return words


def _digits(nums: dict[str, Any], group_marks: str, decimal_marks: str, suffixes: dict[str, float]) -> str:
    """The regex of a figure written in digits, with this language's marks."""
    marks = "".join(sorted(set((group_marks + decimal_marks).replace(" ", ""))))
    dec = "".join(sorted(set(decimal_marks)))
    alts = []
    reversed_marks = "".join(nums.get("reversed_marks", []) or [])
    if reversed_marks:  # wire copy: 3ر10 is 10.3, the parts typed in reverse order
        alts.append(rf"[0-9]+[{regex.escape(reversed_marks)}][0-9]+(?![0-9])")
    if dec:  # "-4, 7%": a space typed after the decimal mark of a signed percentage (a slip kept
        # as published); the sign and the percent sign say it is one figure, not -4 and 7 %
        alts.append(rf"(?<=-)[0-9]{{1,3}}[{regex.escape(dec)}][ ][0-9]{{1,2}}(?=[ \u00a0\u202f]?%)")
    if " " in group_marks:
        tail = rf"(?:[{regex.escape(dec)}][0-9]+)?" if dec else ""
        alts.append(r"[0-9]{1,3}(?:[ ][0-9]{3})+(?![0-9])" + tail)
    if marks:
        alts.append(r"[0-9]+(?:[" + regex.escape(marks) + r"][0-9]+)*")
    alts.append(r"[0-9]+")
    if dec:  # ".77", ",0012": a decimal part alone
        alts.append(rf"(?<![\w.,٫])[{regex.escape(dec)}][0-9]+")
    # a minus sign belongs to the number only when it is glued to it and not to a word before;
    # digits glued after a Latin letter belong to a token (m3, CO2), except after a currency
    # code (USD1,23)
    # (and after the letters `glued_after` lists: RM42, Rs20, a currency written before the figure)
    glued = [str(w) for w in nums.get("glued_after") or ()]
    glued_alt = rf"|(?<=(?<!\p{{Latin}})(?:{alternation(glued, False)}))" if glued else ""
    digits = (r"(?:(?<![^\s(\[])-(?=[0-9" + regex.escape(dec) + r"]))?"
              r"(?:(?<![0-9\p{Latin}])|(?<=(?<!\p{Latin})[A-Z]{3})" + glued_alt + r")(?:" + "|".join(alts) + r")")
    if nums.get("exponents"):  # 1e10, 12,32e+14, 2,5^-1 (scientific notation and powers)
        ten = r"|[x×]10\^[+\-]?[0-9]+" if nums.get("times_ten_powers") else ""  # 1.3x10^6
        digits += r"(?:[eE][+\-]?[0-9]+(?![\w])|\^[+\-]{0,2}[0-9]+" + ten + ")?"
    if suffixes:  # 100K, 1,2M: a scale letter glued to the digits
        letters = "|".join(regex.escape(k) for k in sorted(suffixes, key=len, reverse=True))
        digits += rf"(?:(?:{letters})(?![\w]))?"
    return digits


def _numeral_re(b: Build, words: dict[str, WordEntry], digits: str, connectors: list[str]) -> Any:
    """Runs of numeral atoms (digits, number words) joined by spaces, hyphens or connectors."""
    fuse = b.norms(b.section("numbers").get("fuse_with"))
    # ZWNJ (a word character to `regex`) ends a number word too: ۱۰۰ میلیون‌تومان
    word_end = (rf"(?:(?!\w)|(?=\u200c)|(?=(?:{alternation(fuse, False)})))" if fuse
                else r"(?:(?!\w)|(?=\u200c))")
    word_alt = alternation(list(words), word_final_boundary=False)
    # a number word starts a word, or follows digits glued to it (۱۲۴میلیارد, 2millions: a space
    # dropped in typing)
    # (never after a ZWNJ: زیان‌ده is one word; between number words a ZWNJ separates them, see sep)
    atom = rf"(?:(?P<d>{digits})|(?<![^\W\d]){b.clitic}(?P<w>(?:{word_alt})){word_end})"
    # a scale word listed in fuse_with may be glued to the number word before it (هزارمیلیارد)
    fused_scales = [w for w in fuse if w in words]
    scale_ahead = rf"(?=(?:{alternation(fused_scales, False)}))" if fused_scales else None
    next_atom = atom.replace(r"(?<![^\W\d])", rf"(?:(?<![^\W\d\u200c])|{scale_ahead})" if scale_ahead else
                             r"(?<![^\W\d\u200c])", 1)
    glued = r"|(?<=[0-9])(?=[^\W\d_])" + (rf"|(?<=\w){scale_ahead}" if scale_ahead else "")
    # a connector after a ZWNJ may be glued to the number word after it (بیست‌وپنج, سی‌و‌یک)
    zwnj_joined = ""
    if connectors:  # a connector is followed by space or a digit
        conn = alternation(connectors, False)
        sep = rf"(?:\s*-\s*(?:(?:{conn})\s*-\s*)?|[\s\u200c]+(?:(?:{conn})(?:\s+|(?=\d)))?{glued})"
        zwnj_joined = rf"|\u200c(?:{conn})\u200c?(?P<w>(?:{word_alt})){word_end}"
    else:
        sep = rf"(?:\s*-\s*|[\s\u200c]+{glued})"
    # a number never runs over a paragraph break (a blank line): the next paragraph starts anew
    para = r"(?![^\S\n]*\n[^\S\n]*\n)"
    return regex.compile(rf"{atom}(?:{para}(?:{sep}{next_atom}{zwnj_joined}))*", regex.IGNORECASE | regex.V0)


def _approx_scale_re(b: Build, words: dict[str, WordEntry]) -> Any:
    """`numbers.scale_joiners`: the words that join an approximate number to a scale in the plural
    (French "une trentaine de milliers")."""
    joiners = b.norms(b.section("numbers").get("scale_joiners"))
    plurals = [w for w, e in words.items() if e.role == "plural_scale"]
    if not joiners or not plurals:
        return None
    return regex.compile(rf"\s*(?:{alternation(joiners, False)})\s*(?P<s>{alternation(plurals)})", regex.IGNORECASE)


def _plural_ordinals(b: Build, words: dict[str, WordEntry]) -> frozenset[str]:
    """`numbers.plural_ordinals`: words of `ordinals` that are plural (always a denominator)."""
    out = set()
    for w in b.section("numbers").get("plural_ordinals") or ():
        k = b.norm(w)
        if words.get(k) is None or words[k].role != "ordinal":
            raise RuleError(b.docs[0].path, None, None, f"numbers.plural_ordinals: {w!r} is no ordinal of the file")
        out.add(k)
    return frozenset(out)


def compile_numbers(b: Build) -> NumberRules:
    nums = b.section("numbers")
    words = number_words(b)
    connectors = b.norms(nums.get("connectors"))
    group_marks = "".join(nums.get("group_marks", []) or [])
    decimal_marks = "".join(nums.get("decimal_marks", []) or [])
    suffixes = {str(k): float(v) for k, v in (nums.get("suffix_scales") or {}).items()}
    digits = _digits(nums, group_marks, decimal_marks, suffixes)
    ord_suffixes = nums.get("ordinal_suffixes") or []
    ordinal_suffix_re = (regex.compile(rf"(?:{'|'.join(ord_suffixes)})(?!\w)", regex.IGNORECASE)
                         if ord_suffixes else None)
    not_numbers = b.norms(nums.get("not_numbers"))
    # regular expressions for numerals that are another word in context (English "which one?")
    not_patterns = [str(p) for p in nums.get("not_number_patterns") or ()]
    for p in not_patterns:
        try:
            regex.compile(p)
        except regex.error as e:
            raise RuleError(b.docs[0].path, None, None, f"numbers.not_number_patterns: {p!r}: {e}") from None
    alts = ([alternation(not_numbers)] if not_numbers else []) + [f"(?:{p})" for p in not_patterns]
    not_number_re = regex.compile(rf"(?<!\w)(?:{'|'.join(alts)})", regex.IGNORECASE) if alts else None
    # the single words of the lexicon's phrases: anchors of the numeral scan (numbers.scan)
    tokens = sorted({t for w in words for t in regex.split(_PHRASE_SEP, w) if t})
    clitics = b.norms(b.data.get("clitics"))
    return NumberRules(
        words=words,
        group_marks=group_marks,
        decimal_marks=decimal_marks,
        reversed_marks="".join(nums.get("reversed_marks", []) or []),
        units_before_tens=bool(nums.get("units_before_tens", False)),
        ordinal_denominators=bool(nums.get("ordinal_denominators", False)),
        digits_join_scales=bool(nums.get("digits_join_scales", True)),
        decimal_words_spell_digits=bool(nums.get("decimal_words_spell_digits", False)),
        approximate_after_any=bool(nums.get("approximate_after_any", False)),
        plural_ordinals=_plural_ordinals(b, words),
        glued_sign_goes_forward=bool(nums.get("glued_sign_goes_forward", False)),
        lakh_groups=bool(nums.get("lakh_groups", False)),
        restated_in_brackets=bool(nums.get("restated_in_brackets", False)),
        times_ten_powers=bool(nums.get("times_ten_powers", False)),
        digits_times_multiplier=bool(nums.get("digits_times_multiplier", False)),
        fraction_of_scale=bool(nums.get("fraction_of_scale", False)),
        scale_joiner_words=frozenset(b.norms(nums.get("scale_joiners"))),
        share_words=frozenset(b.norms(nums.get("share_words"))),
        teens_after={float(x) for x in nums.get("teens_after", []) or []},
        connectors=set(connectors),
        connector_joins=frozenset(b.norms(nums.get("connector_joins"))),
        construct_duals=frozenset(b.norms(nums.get("construct_duals"))),
        construct_not_before=frozenset(b.norms(nums.get("construct_not_before"))),
        suffix_scales=suffixes,
        decimal_words=set(b.norms(nums.get("decimal_words"))),
        over_words=set(b.norms(nums.get("over_words"))),
        negative_words=set(b.norms(nums.get("negative_words"))),
        negative_not_after=set(b.norms(nums.get("negative_not_after"))),
        construct_fractions={b.norm(w): float(v) for v, ws in (nums.get("construct_fractions") or {}).items()
                             for w in ws},
        part_words=b.norms(nums.get("part_words")),
        one_in_words=set(b.norms(nums.get("one_in_words"))),
        denominator_after_re=_denominator_after(b, b.norms(nums.get("denominator_before"))),
        numeral_re=_numeral_re(b, words, digits, connectors),
        approx_scale_re=_approx_scale_re(b, words),
        ordinal_suffix_re=ordinal_suffix_re,
        not_number_re=not_number_re,
        not_number_prefixes=prefixes_of(not_number_re),
        anchor=(rf"[0-9]+|(?:{alternation(tokens, False)})" if tokens else "[0-9]+"),
        anchor_back=max([2, *(len(c) for c in clitics)]),
        word_start=(rf"[0-9]+|(?<![^\W\d]){b.clitic}(?:{alternation(tokens, False)})" if tokens else "[0-9]+"),
        # a numeral starts with the first word of a lexicon entry: only those anchor it
        tokens=tuple(sorted({regex.split(_PHRASE_SEP, w)[0] for w in words} - {""})),
        digit_lead="-" + "".join(sorted(set(decimal_marks))),
    )


def _denominator_after(b: Build, words: list[str]) -> Any:
    """After an ordinal read as a denominator: one of ``words`` (a preposition before the whole it
    divides), a mark, or the end of the text; None when the language lists no such words."""
    if not words:
        return None
    return regex.compile(rf"[^\S\n]*(?:$|[^\w\s]|\n|(?:{alternation(words, False)})(?!\w))", regex.IGNORECASE)
