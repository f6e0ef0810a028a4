"""The grammar that values a run of numeral atoms (digits and number words) as one number or
several.

It is the same for every language: additive words in falling order (twenty + five), a
multiplier (hundred) after a small number, scale words (thousand, million…) that multiply what
stands before them and may stack (``44 thousand billion``), fractions and their numerators.
Language quirks are switches in the rule file (units before tens in Arabic, teens after sixty
and eighty in French). Each atom's role has its own step (:data:`_STEPS`): a step says whether
the atom continues the number being read, and updates it.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from coopfacts.rulebook.cache import fixed_regex
from coopfacts.rulebook.language import NumberRules
from coopfacts.rulebook.regexes import key

_YEAR_POINT_ZERO = fixed_regex(r"\d{4}[.,]0+")
_NO_YEAR_FROM = 2200  # the first four-digit figure that is no year of any calendar read


@dataclass
class Numeral:
    start: int  # offsets in the NORMALISED text
    end: int
    value: float
    cls: str  # digits | year | words | weak | ordinal | definite
    text: str
    atoms: int = 1
    digits_raw: str | None = None
    approx: bool = False  # a word such as "centaine" (about a hundred)
    scale: float = 1.0  # the largest scale word in it (million in "2,5 millions")

    @property
    def integer(self) -> bool:
        return float(self.value).is_integer()


@dataclass
class Atom:
    start: int
    end: int
    role: str  # digits | word | weak | approx | multiplier | plural_multiplier | scale | plural_scale
    #            | dual_scale | restated_scale (the scale said again: ونصف المليون)
    #            | fraction | ordinal | code (a separator that joins nothing)
    value: float
    raw: str
    joined: bool = False  # a connector (and, و, et) stands between this atom and the one before
    # digits a smaller scale word follows (887 in "464 millions 887 mille"), or grouped by a mark
    # (500 000): they go on a number after a scale even with no connector
    part_of_more: bool = False
    hyphened: bool = False  # a hyphen stands between this atom and the one before (thirty-fifths)
    loose: bool = False  # after a connector that joins no such atom in this language: a new number
    next_scale: float = 0.0  # digits or a word: the scale word right after it (the 15 of "15 ألف"), if any
    # a scale with a larger one right after it (the هزار of "هزار میلیارد", a thousand billion),
    # or digits or a word whose own scale is one such
    stacked: bool = False


def _place(v: float) -> float:
    if v < 1:
        return 1.0
    return 10.0 ** math.floor(math.log10(v) + 1e-9)


@dataclass
class Reading:
    """A number being read, atom by atom."""

    atoms: list[Atom] = field(default_factory=list)
    total: float = 0.0
    cur: float = 0.0
    last: float = 0.0
    last_role: str = ""
    max_scale: float = 0.0
    has_fraction: bool = False
    plural_only: bool = False
    ordinal: bool = False
    added_fraction: float = 0.0  # what "et demi" after a scale added (half the million)

    @classmethod
    def starting_with(cls, a: Atom) -> Reading:
        st = cls(atoms=[a], last_role=a.role)
        if a.role == "dual_scale":  # مليونان: two millions, read on as after "2 millions"
            st.total, st.max_scale, st.last, st.last_role = 2 * a.value, a.value, a.value, "scale"
        elif a.role in ("scale", "plural_scale"):
            st.total, st.max_scale, st.last = a.value, a.value, a.value  # مليون ونصف: half of it more
            st.plural_only = a.role == "plural_scale"
        else:
            st.cur = a.value
            st.last = a.value
            st.has_fraction = a.role == "fraction"
            st.ordinal = a.role == "ordinal"
        return st

    def accept(self, a: Atom, rules: NumberRules) -> bool:
        """Does ``a`` continue this number? If so, it is taken in."""
        step = _STEPS.get(a.role)
        if step is None or a.loose:
            return False
        if a.role != "digits" and self.plural_only:
            return False  # "des milliers de": nothing follows a plural scale alone
        if a.role not in ("digits", "ordinal") and self.ordinal:
            return False
        role = step(self, a, rules)
        if role is None:
            return False
        self.last_role = role
        self.atoms.append(a)
        return True

    def numerator_of(self, v: float) -> None:
        """The last word joined by "and" is the numerator of a fraction: after a scale
        ("cinq milliards et trois quarts") the fraction is of that scale."""
        whole = self.cur - self.last
        part = self.last * v
        if whole == 0 and self.total and self.max_scale:
            self.total += part * self.max_scale
            self.cur = 0
        else:
            self.cur = whole + part


# --- one step per role: the role to record, or None when the atom starts another number ------

Step = Callable[[Reading, Atom, NumberRules], "str | None"]


def _own_scale_starts_anew(st: Reading, a: Atom) -> bool:
    """After a scale, a part with a scale of its own is another number when that scale is the
    same ("بين 10 آلاف و15 ألف", "بین هزار و دو هزار": two numbers each) or merely larger ("بين
    500 ألف و2 مليون": no one writes 500 002 million so). A scale a million times larger
    stacks, the way thousands of billions are written ("۴۷۷ هزار و ۷۸۲ میلیارد" is 477 782
    billion), and so does a larger one after a thousand written alone ("ألف و500 مليون": 1.5
    billion); one of a larger scale never does ("entre mille et un million")."""
    nxt, top = a.next_scale, st.max_scale
    if not nxt:
        return False
    if nxt == top and a.stacked and a.value < top:
        # "۹ هزار و ۴۰۰ هزار میلیارد": the same scale again with a larger one stacked on it
        # is a compound scale (a thousand billion), and 9 thousand 400 is its count (9.4 × 10¹⁵)
        return False
    if nxt == top or (nxt > top and a.value <= 1):
        return True  # "و یک میلیارد", "et un milliard": one of a larger scale is a number of its own
    lone = len(st.atoms) == 1 and st.atoms[0].role == "scale" and top == 1000
    if top == 1000 and nxt > top and 100 <= a.value < 1000 and st.total + st.cur < 100_000:
        # "۳ هزار و ۶۰۰ میلیون کیلووات ساعت": a few thousand and hundreds, then a larger scale on
        # the whole (3 600 million); a range's second end after thousands is small ("بين 500 ألف
        # و2 مليون"), or comes after hundreds of thousands ("بين ثمانمائة ألف وأربعمائة مليون")
        return False
    return top < nxt < top * 1e6 and not lone


def _digits(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    # "3 آلاف و500", "۲ هزار و ۵۰۰": digits may add to a scale, joined by a connector; and with
    # none where they read as part of it ("2 millions 500 000", "464 millions 887 mille")
    if (st.last_role in ("scale", "plural_scale") and (a.joined or a.part_of_more)
            and (rules.digits_join_scales or not a.joined)
            and st.cur == 0 and a.value < st.max_scale and not _own_scale_starts_anew(st, a)):
        st.cur = st.last = a.value
        return a.role
    # "٣ مئة و ٢١", "3 hundred and 21": whole digits below the hundred it follows, joined to it
    if (st.last_role == "multiplier" and a.joined and a.value == int(a.value)
            and 1 <= a.value < st.atoms[-1].value and st.cur % st.atoms[-1].value == 0):
        st.cur += a.value
        st.last = a.value
        return a.role
    return None


def _ordinal(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    v, lr = a.value, st.last_role
    if (v >= 3 and lr in ("word", "weak") and st.atoms[-1].joined and 1 <= st.last <= 10
            and (st.cur > st.last or st.total) and not st.has_fraction):
        st.numerator_of(1.0 / v)  # vingt et trois cinquièmes = 20 + 3/5
        st.has_fraction = True
        return "fraction"
    if (rules.plural_ordinals and v >= 3 and lr in ("word", "weak", "multiplier", "scale")
            and not st.has_fraction and not st.ordinal and key(a.raw) in rules.plural_ordinals):
        whole, denominator = st.total + st.cur, v  # one hundred and thirty fifths: 130/5
        if a.hyphened and lr == "word" and 20 <= st.last < 100 and st.last % 10 == 0 and v < 10:
            # thirty-fifths is one word: the denominator of what stands before it (100/35)
            whole, denominator = whole - st.last, st.last + v
        if whole > 0:
            st.cur = whole / denominator
            st.total = st.max_scale = 0.0
            st.last = st.cur
            st.has_fraction = True
            return "fraction"
    if (rules.ordinal_denominators and lr in ("word", "weak") and not a.joined and st.total == 0
            and st.cur == st.last and 1 <= st.cur < v and v >= 3 and not st.has_fraction):
        st.cur /= v  # دو سوم, یک‌چهارم: a numerator, then the ordinal as denominator
        st.has_fraction = True
        return "fraction"
    if (lr in ("ordinal", "definite") and rules.units_before_tens and st.last < 10 and a.joined
            and 20 <= v < 100 and v % 10 == 0):
        # الخامس والعشرون: unit then tens, both ordinal; الساعات الأربع والعشرين: a number with
        # the article after its noun takes its tens with the article too (the ordinal's form)
        st.cur += v
        st.last = v
        return lr
    # vingt-cinquième, بیست و پنجم: an ordinal closes a compound of words; where plurals are
    # denominators, a singular one closes a compound after hundred too (one hundred and fifth)
    if ((lr in ("word", "weak", "approx") or (rules.plural_ordinals and lr == "multiplier"))
            and not st.has_fraction and 1 <= v < _place(st.last)):
        st.cur += v
        st.last = v
        st.ordinal = True
        return a.role
    return None


def _approx(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    if (st.last_role in ("digits", "word", "weak", "fraction", "multiplier") and 0 < st.cur
            and (st.cur < a.value or (rules.approximate_after_any and not _year_shaped(st)))
            and (st.cur == st.last or st.last_role == "fraction") and st.total == 0
            and (st.last_role != "multiplier" or rules.approximate_after_any)):
        st.cur *= a.value  # une douzaine, trois douzaines, 3 centaines: about n times twelve/a hundred
        st.last = st.cur
        return a.role
    return _word(st, a, rules)


def _year_shaped(st: Reading) -> bool:
    """The number read so far is four plain digits (2020): a year, most likely."""
    raw = st.atoms[-1].raw
    return st.last_role == "digits" and len(raw) == 4 and raw.isdigit()


def _word(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    v = a.value
    if st.last_role == "digits" or st.has_fraction:
        return None
    if a.role == "weak" and st.last_role in ("scale", "plural_scale") and not a.joined:
        return None  # "601 millions un an plus tôt": an article after a scale starts another phrase
    if st.cur == 0:
        if st.max_scale and (v >= st.max_scale or (a.joined and _own_scale_starts_anew(st, a))):
            return None
        st.cur = v
    elif (rules.units_before_tens and 20 <= st.last < 100 and v < 10 and not a.joined
          and a.raw[:1] not in rules.connectors):
        return None  # Arabic writes the unit first (خمسة وعشرون); "عشرون خمس" is no 25
    elif 1 <= v < _place(st.last):
        st.cur += v
    elif (rules.units_before_tens and st.last < 10 and st.cur % 100 == st.last
          and ((v == 10 and not a.joined) or (20 <= v < 100 and v % 10 == 0))):
        st.cur += v  # Arabic order: خمسة وعشرون (5 + 20), ثلاثة عشر (3 + 10); خمسة وعشرة is 5, 10
    elif st.last in rules.teens_after and 10 <= v < 20:
        st.cur += v
    else:
        return None
    st.last = v
    return a.role


def _fraction(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    v, lr = a.value, st.last_role
    if st.has_fraction or (st.cur == 0 and st.total == 0) or st.ordinal:
        return None
    if a.joined and lr in ("scale", "plural_scale") and st.cur == 0:
        st.total += v * st.last  # un million et demi, سه میلیون و نیم
        st.added_fraction = v * st.last  # taken back if a smaller scale follows (see _scale)
    elif a.joined:
        st.cur += v  # one and a half: یک و نیم, un et demi
    elif lr in ("word", "weak") and st.atoms[-1].joined and 1 <= st.last <= 10 and (st.cur > st.last or st.total):
        st.numerator_of(v)  # cent et trois quarts, cinq milliards et trois quarts
    elif lr in ("word", "weak") and 1 <= st.cur < 1000 and st.total == 0:
        st.cur *= v  # a numerator: deux tiers, ثلاثة أرباع, عشرون أخماس
    else:
        return None
    st.has_fraction = True
    return a.role


def _multiplier(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    v, lr = a.value, st.last_role
    if (rules.digits_times_multiplier and lr == "digits" and len(st.atoms) == 1 and st.cur > 0
            and not _year_shaped(st) and a.role == "multiplier"):
        st.cur *= v  # 322 hundred, 2.12 hundred
        st.last = st.cur
        return a.role
    if st.has_fraction or (lr == "digits" and not (1 <= st.cur < 10 and st.cur == int(st.cur))):
        return None  # "٣ مئة" is 300; "20 cent" is no number
    if a.joined and st.cur > 0:
        return None  # "بين خمسين ومئة": a hundred after "and" multiplies nothing before it (50, 100)
    if st.cur == 0:
        st.cur = v
    elif st.cur < 10 and st.cur == st.last:
        st.cur *= v
    elif (lr in ("word", "weak") and st.total == 0 and st.cur == int(st.cur)
          and (st.cur < 20 or (a.role == "multiplier" and st.cur < 100))):
        st.cur *= v  # dix-neuf cents (1900), خمسة وتسعون مائة; "quarante-cinq cents" is money
    else:
        return None
    st.last = st.cur
    return a.role


def _restated_scale(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    # "مليون ونصف المليون": the scale said again after the half of it adds nothing
    if st.last_role == "fraction" and st.added_fraction and a.value == st.max_scale and not a.joined:
        return a.role
    return None


def _scale(st: Reading, a: Atom, rules: NumberRules) -> str | None:
    v = a.value
    if st.cur == 0 and st.total == 0:
        return None
    if a.joined and (st.cur > 0 or v > st.max_scale):
        # a scale after "and" multiplies nothing before it: "بين خمسين وألف", "بين 500 وألف",
        # "بين ألف ومليون" are two numbers each; a smaller one adds (مليون وألف)
        return None
    if st.last_role == "fraction" and st.added_fraction and v < st.max_scale:
        # "un milliard et demi million": the half is of the million after it, not of the billion
        half = st.added_fraction / st.max_scale
        st.total += half * v - st.added_fraction
        st.added_fraction = 0.0
        st.last = v
        return a.role
    if v > st.max_scale or (v == st.max_scale and a.stacked and st.cur):
        # (the same scale again before a larger one: "۹ هزار و ۴۰۰ هزار میلیارد" is 9 400 thousand billion)
        st.total = (st.total + st.cur) * v
        st.max_scale = v
    elif v < st.max_scale:
        st.total += (st.cur or 1) * v
    else:
        return None
    st.cur = 0
    st.last = v
    st.has_fraction = False
    return a.role


_STEPS: dict[str, Step] = {
    "digits": _digits,
    "ordinal": _ordinal,
    "approx": _approx,
    "word": _word,
    "weak": _word,
    "definite": _word,
    "fraction": _fraction,
    "multiplier": _multiplier,
    "plural_multiplier": _multiplier,
    "scale": _scale,
    "plural_scale": _scale,
    "restated_scale": _restated_scale,
}


_WORD_AFTER = fixed_regex(r"[^\S\n]+(\p{L}+)")


def finish(st: Reading, text: str, rules: NumberRules) -> list[Numeral]:
    """The number read (none for "cents" or "des millions" alone)."""
    if len(st.atoms) == 1 and st.atoms[0].role == "plural_multiplier":
        return []  # "cents" alone is a coin, not a hundred ("deux cents" is)
    if st.plural_only:
        return []  # "thousands of", "des millions de": no figure
    first, last = st.atoms[0], st.atoms[-1]
    value = st.total + st.cur
    start, end = first.start, last.end
    if len(st.atoms) == 1 and rules.construct_duals and key(first.raw) in rules.construct_duals:
        after = _WORD_AFTER.match(text, end)
        if after is not None and not after.group(1).startswith(tuple(rules.connectors)) \
                and key(after.group(1)) not in rules.construct_not_before:
            value *= 2  # "ألفا شخص": the dual before its noun
    if len(st.atoms) == 1 and first.role == "digits":
        raw = first.raw
        if rules.ordinal_suffix_re is not None:
            m = rules.ordinal_suffix_re.match(text, end)
            if m:
                return [Numeral(start, m.end(), value, "ordinal", text[start:m.end()], 1, raw)]
        plain = raw.rstrip("0").rstrip(".,") if _YEAR_POINT_ZERO.fullmatch(raw) else raw  # 2019.0
        # a year of any calendar read here (Gregorian, Jalali, Hijri) is below 2200: 6520 is a
        # figure, never a year (de 6520 à 6'750 francs is a range of sums)
        year = len(plain) == 4 and plain.isdigit() and plain[0] != "0" and int(plain) < _NO_YEAR_FROM
        cls = "year" if year else "digits"
        return [Numeral(start, end, value, cls, raw, 1, raw)]
    if not math.isfinite(value):
        return []
    approx = any(a.role == "approx" for a in st.atoms)
    if st.ordinal:
        return [Numeral(start, end, value, "ordinal", text[start:end], len(st.atoms))]
    if first.role == "digits":
        cls = "digits"
    elif first.role == "definite":
        cls = "definite"  # السنوات العشر: the number of the noun before it, no figure alone
    elif (len(st.atoms) == 1 and first.role in ("weak", "fraction")) or (st.has_fraction and value < 1):
        cls = "weak"  # an article, "one of", or a bare fraction (half, deux tiers): no figure alone
    else:
        cls = "words"
    return [Numeral(start, end, value, cls, text[start:end], len(st.atoms),
                    first.raw if first.role == "digits" else None, approx, st.max_scale or 1.0)]


def read_atoms(atoms: list[Atom], text: str, rules: NumberRules) -> list[Numeral]:
    """The numbers a run of atoms (in text order) makes: each atom continues the number being
    read or starts the next; a ``code`` atom (a separator) ends it."""
    out: list[Numeral] = []
    st: Reading | None = None
    for a, after, then in zip(atoms, [*atoms[1:], None], [*atoms[2:], None, None]):
        if after is None or after.role not in ("scale", "plural_scale", "multiplier"):
            continue
        if a.role == "scale" and after.role == "scale" and after.value > a.value:
            a.stacked = True  # "هزار میلیارد": a thousand billion
        if a.role == "digits":
            a.part_of_more = True  # "٤ آلاف ٣ مائة": the 3 reads on after the thousands
        if a.role in ("digits", "word", "weak") and after.role != "multiplier":
            a.next_scale = after.value  # the scale its own: "15 ألف", "دو هزار"
            a.stacked = then is not None and then.role == "scale" and then.value > after.value
    for a in atoms:
        if a.role == "code":
            if st is not None:
                out.extend(finish(st, text, rules))
            st = None
            continue
        if st is not None and st.accept(a, rules):
            continue
        if st is not None:
            out.extend(finish(st, text, rules))
        if a.role in ("plural_multiplier", "restated_scale"):
            st = None  # "cents" cannot start a number ("50 cents une douzaine"), nor "المليون"
            continue
        st = Reading.starting_with(a)
    if st is not None:
        out.extend(finish(st, text, rules))
    return out
