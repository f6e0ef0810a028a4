"""Literal prefixes of a pattern: where in a text it can start at all.

Most patterns of a rule file begin with a numeral or a unit, which the masked text holds as
private-use characters: the `regex` module skips straight to them. Some begin with words
(month names, duals, "doubled", relative dates): `regex` has to try those at every position,
and each costs as much as all the others together. For such a pattern we work out, from its
source, the strings its matches can begin with (up to six characters, clitics included),
find those strings in the text with the standard library's `re` in one pass, and try the
pattern only there (extract.py).

The analysis reads the subset of regular-expression syntax the rule files use; whatever it
does not know stops a prefix short (a character class, a back-reference) or, if it cannot
tell at all, gives up: the pattern is then searched everywhere, as before. It is sound
because it only ever shortens prefixes: zero-width assertions are skipped, an optional part
adds the case without it, a repeated part stops the prefix after its first time.
"""
from __future__ import annotations

import bisect
import functools
import re
import time
import unicodedata
from collections.abc import Set as AbstractSet

K = 6  # prefix length: long enough to be rare in a text (a clitic, an article and more)
MAX_PREFIXES = 20000

_ZERO = ("zero",)  # consumes nothing (look-arounds, anchors, inline flags)
_WORD_START = ("zero", "word start")  # (?<!\w): consumes nothing, and no word character before
_ANY = ("any",)  # consumes one character we do not name (a class, \w, a back-reference)
_ANY_BUT_NEWLINE = ("any", "not a line feed")  # [^\n…]: one character, never a line feed
_SPACE = ("any", "space")  # \s: one white-space character (to the other analyses, any one)
_CLASS_ESCAPES = set("sSwWdDhHpPX")
_ZERO_ESCAPES = set("bBmMAZG")
_CONTROL = {"n": "\n", "r": "\r", "t": "\t", "f": "\f", "a": "\a", "0": "\0"}


class _Unknown(Exception):
    """Syntax the analysis does not read: no prefixes."""


@functools.lru_cache(maxsize=1024)
def _parsed(source: str):
    """``source`` parsed (_Parser), once per process: a pattern's source is read by half a dozen
    analyses when its language compiles (prefixes twice, held literals, what follows and
    precedes its figure…), and parsing was a seventh of a first run's compile. The analyses
    only read the tree, never change it. Raises _Unknown, as parsing does, each time."""
    return _Parser(source).parse()


class _Parser:
    def __init__(self, src: str):
        self.s = src
        self.i = 0

    def parse(self):
        node = self.alt()
        if self.i != len(self.s):
            raise _Unknown("unbalanced")
        return node

    def alt(self):
        branches = [self.seq()]
        while self.i < len(self.s) and self.s[self.i] == "|":
            self.i += 1
            branches.append(self.seq())
        return ("alt", branches)

    def seq(self):
        items = []
        while self.i < len(self.s) and self.s[self.i] not in "|)":
            items.append(self.quantified(self.atom()))
        return ("seq", items)

    def atom(self):
        c = self.s[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            chars = self.small_class()
            if chars is not None:  # a few characters written out: each one a branch
                return ("alt", [("seq", [("lit", ch)]) for ch in chars])
            start = self.i
            self.skip_class()
            body = self.s[start + 1:self.i - 1]
            if body.startswith("^") and ("\\n" in body or "\n" in body):
                return _ANY_BUT_NEWLINE  # a negated class that lists the line feed
            return _ANY
        if c == "\\":
            return self.escape()
        self.i += 1
        if c == ".":
            return _ANY
        if c in "^$":
            return _ZERO
        if c in "*+?":
            raise _Unknown("quantifier without an atom")
        if c == "{":  # not a quantifier here: a literal brace, or a fuzzy constraint ({e<=1}) of
            raise _Unknown("brace")  # `regex`, which lets a match differ from what is written
        return ("lit", c)

    def _quantifier_at(self, j: int) -> tuple[int, int | None, int] | None:
        """A {m}, {m,}, {,n} or {m,n} quantifier at j: (min, max, end index)."""
        s = self.s
        if j >= len(s) or s[j] != "{":
            return None
        k = s.find("}", j)
        if k < 0:
            return None
        body = s[j + 1:k]
        lo, sep, hi = body.partition(",")
        if not (lo.isdigit() or (sep and lo == "")) or (hi and not hi.isdigit()) or (not lo and not hi):
            return None
        mn = int(lo) if lo else 0
        mx = (int(hi) if hi else None) if sep else mn
        return mn, mx, k + 1

    def quantified(self, node):
        s = self.s
        if self.i >= len(s):
            return node
        c = s[self.i]
        if c in "?*+":
            mn, mx = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
            self.i += 1
        else:
            q = self._quantifier_at(self.i)
            if q is None:
                return node
            mn, mx, self.i = q
        if self.i < len(s) and s[self.i] in "?+":  # lazy or possessive: the same strings
            self.i += 1
        if self.i < len(s) and (s[self.i] in "?*+" or self._quantifier_at(self.i)):
            raise _Unknown("stacked quantifiers")
        return ("rep", node, mn, mx)

    def group(self):
        s = self.s
        self.i += 1  # "("
        if not s.startswith("?", self.i):
            return self._body(None)
        rest = s[self.i:]
        if rest.startswith("?<!\\w)"):  # not after a word character: a match starts a word here
            self.i += 6
            return _WORD_START
        for opener in ("?=", "?<="):  # a look-around that must match: what it holds is in the text
            if rest.startswith(opener):
                self.i += len(opener)
                body = self._body(None)
                return ("zero", "look", body, "behind") if opener == "?<=" else ("zero", "look", body)
        for opener, kind in (("?:", None), ("?>", None), ("?!", _ZERO), ("?<!", _ZERO)):
            if rest.startswith(opener):
                self.i += len(opener)
                return self._body(kind)
        if rest.startswith(("?P<", "?<")):
            end = s.find(">", self.i)
            if end < 0:
                raise _Unknown("group name")
            self.i = end + 1
            return self._body(None)
        if rest.startswith(("?P=", "?#")):
            end = s.find(")", self.i)
            if end < 0:
                raise _Unknown("group")
            self.i = end + 1
            return _ANY if rest.startswith("?P=") else _ZERO
        # inline flags: (?im) for the rest, (?i:...) for a group; verbose mode is not read
        j = self.i + 1
        while j < len(s) and (s[j].isalnum() or s[j] == "-"):
            j += 1
        flags = s[self.i + 1:j]
        if not flags or "x" in flags or j >= len(s) or s[j] not in ":)":
            raise _Unknown("group kind")
        self.i = j + 1
        if s[j] == ")":
            return _ZERO
        return self._body(None)

    def _body(self, kind):
        node = self.alt()
        if self.i >= len(self.s) or self.s[self.i] != ")":
            raise _Unknown("unclosed group")
        self.i += 1
        return kind or node

    def small_class(self) -> str | None:
        """The characters of a class like ``[\ue000\ue002]``, ``[ab]`` or ``[\ue000-\ue003]`` (no
        negation, escapes of sets or ranges of more than 8), or None (the class is skipped as
        unknown)."""
        s, j = self.s, self.i + 1
        chars: list[str] = []
        range_end = False  # the last character ended a range ("a-c-e" is not read)
        while j < len(s) and s[j] != "]":
            c = s[j]
            if c == "-" and chars and not range_end and j + 1 < len(s) and s[j + 1] not in "]\\[-^":
                lo, hi = ord(chars[-1]), ord(s[j + 1])
                if hi < lo or hi - lo > 8:
                    return None
                chars.extend(chr(x) for x in range(lo + 1, hi + 1))
                range_end = True
                j += 2
                continue
            if c == "\\" and j + 1 < len(s) and s[j + 1] in "nrtfa":  # \t, \n…: one character
                chars.append(_CONTROL[s[j + 1]])
                range_end = False
                j += 2
                continue
            if c in "^-[" or (c == "\\" and (j + 1 >= len(s) or s[j + 1].isalnum())):
                return None
            if c == "\\":
                j += 1
                c = s[j]
            chars.append(c)
            range_end = False
            j += 1
        if j >= len(s) or not chars or len(chars) > 8:
            return None
        self.i = j + 1
        return "".join(dict.fromkeys(chars))

    def skip_class(self):
        s, j = self.s, self.i + 1
        if j < len(s) and s[j] == "^":
            j += 1
        if j < len(s) and s[j] == "]":
            j += 1
        while j < len(s) and s[j] != "]":
            if s[j] == "\\":
                j += 2
            elif s.startswith("[:", j):
                k = s.find(":]", j + 2)
                if k < 0:
                    raise _Unknown("class")
                j = k + 2
            elif s[j] == "[":
                raise _Unknown("nested class")  # set operations of regex's V1
            else:
                j += 1
        if j >= len(s):
            raise _Unknown("unclosed class")
        self.i = j + 1

    def escape(self):
        s = self.s
        if self.i + 1 >= len(s):
            raise _Unknown("trailing backslash")
        c = s[self.i + 1]
        self.i += 2
        if c == "s":
            return _SPACE
        if c in _CLASS_ESCAPES:
            if c in "pP" and self.i < len(s) and s[self.i] == "{":
                end = s.find("}", self.i)
                if end < 0:
                    raise _Unknown("property")
                self.i = end + 1
            elif c in "pP":
                self.i += 1
            return _ANY
        if c in _ZERO_ESCAPES:
            return _ZERO
        if c == "0":
            return _ANY  # \0, \012: an octal escape (not read)
        if c in _CONTROL:
            return ("lit", _CONTROL[c])
        if c in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[c]
            if c == "x" and self.i < len(s) and s[self.i] == "{":
                end = s.find("}", self.i)
                digits, self.i = s[self.i + 1:end], end + 1
            else:
                digits, self.i = s[self.i:self.i + width], self.i + width
            try:
                return ("lit", chr(int(digits, 16)))
            except ValueError:
                raise _Unknown("hex escape") from None
        if c == "N" and self.i < len(s) and s[self.i] == "{":
            end = s.find("}", self.i)
            try:
                ch = unicodedata.lookup(s[self.i + 1:end])
            except KeyError:
                raise _Unknown("named character") from None
            self.i = end + 1
            return ("lit", ch)
        if c.isdigit() or c == "g":
            if c == "g":
                end = s.find(">", self.i)
                self.i = end + 1 if end > 0 else self.i
            return _ANY  # a back-reference
        if c.isalnum():
            raise _Unknown(f"escape \\{c}")  # \K, \L<list>, \Q…: not read
        return ("lit", c)


def _first(node, k: int) -> set[tuple[str, bool, bool]]:
    """(prefix, open, word start) triples: every match of ``node`` starts with one of the
    prefixes; an open prefix is all that ``node`` consumed (what follows it may continue it);
    a word-start one was asserted, before its first character, not to follow a word character."""
    tag = node[0]
    if tag == "lit":
        return {(node[1], True, False)}
    if tag == "zero":
        return {("", True, node is _WORD_START)}
    if tag == "any":
        return {("", False, False)}
    if tag == "alt":
        out: set[tuple[str, bool, bool]] = set()
        for b in node[1]:
            out |= _first(b, k)
            if len(out) > MAX_PREFIXES:
                raise _Unknown("too many prefixes")
        return out
    if tag == "seq":
        acc = {("", True, False)}
        for item in node[1]:
            if not any(open_ and len(p) < k for p, open_, _ in acc):
                break
            acc = _concat(acc, _first(item, k), k)
        return acc
    if tag == "rep":
        _, inner, mn, mx = node
        f = _first(inner, k)
        if mx != 1:  # repeated: what a second time would add is not followed
            f = {(p, False, ws) for p, _, ws in f}
        if mn == 0:
            f = f | {("", True, False)}
        return f
    raise _Unknown(tag)


MAX_HELD = 5000  # strings in one set of held literals: more would slow the automaton for little
HELD_SETS = 3  # sets of held literals kept per pattern (the most telling)


def held_literals(source: str) -> tuple[tuple[str, ...], ...]:
    """Sets of strings, case-folded, such that every match of ``source`` holds (or has its
    look-arounds see) at least one string of each set: where a text holds none of a set's
    strings, the pattern cannot match there and need not be searched. A pattern tried at every
    figure (the words of a reference before it, `fois` after it) is so skipped in a text
    without them. Only sets worth looking for are kept (no lone letter or space); none when
    the analysis cannot read the pattern. Sound as the prefixes are: each set is the union of
    what every way through a choice must hold, an optional part holds nothing, a look-around
    that must match holds what it sees, one that must not holds nothing."""
    try:
        found = _held(_parsed(source))
    except (_Unknown, RecursionError, IndexError, ValueError):
        return ()
    kept: dict[frozenset[str], None] = {}
    for lits in sorted((x for x in found if _telling(x)), key=_strength, reverse=True):
        folded = frozenset(x.casefold() for x in lits)
        kept.setdefault(folded, None)
        if len(kept) == HELD_SETS:
            break
    return tuple(tuple(sorted(lits)) for lits in kept)


def _held(node) -> list[frozenset[str]]:
    """Sets of strings of which every match of ``node`` holds one (see held_literals)."""
    tag = node[0]
    if tag == "lit":
        return [frozenset({node[1]})]
    if tag == "zero":
        return _held(node[2]) if len(node) >= 3 and node[1] == "look" else []
    if tag == "any":
        return []
    if tag == "rep":
        return _held(node[1]) if node[2] >= 1 else []
    if tag == "seq":
        out: list[frozenset[str]] = []
        run: list[str] = []  # literal characters in a row: one string
        for item in node[1]:
            if item[0] == "lit":
                run.append(item[1])
                continue
            if run:
                out.append(frozenset({"".join(run)}))
                run = []
            out.extend(_held(item))
        if run:
            out.append(frozenset({"".join(run)}))
        return out
    if tag == "alt":
        if len(node[1]) == 1:  # a group, no choice: all it holds
            return _held(node[1][0])
        union: set[str] = set()
        for branch in node[1]:
            telling = [x for x in _held(branch) if _telling(x)]
            if not telling:
                return []  # this way through holds nothing worth looking for: the choice neither
            union |= max(telling, key=_strength)
            if len(union) > MAX_HELD:
                return []
        return [frozenset(union)]
    raise _Unknown(tag)


def _telling(lits: AbstractSet[str]) -> bool:
    """Worth looking for: every string of the set is a masked figure or unit (their lead
    character: looked up, not searched) or three characters at least; a shorter one (an
    article, `de`, a comma) is in most texts, and the automaton would report it everywhere."""
    return bool(lits) and all(len(x.strip()) >= 3 or (len(x) == 1 and "\ue000" <= x <= "\ue01f") for x in lits)


def _strength(lits: AbstractSet[str]) -> tuple[int, int]:
    """Longer strings are rarer; fewer of them, rarer still."""
    return min(map(len, lits)), -len(lits)


def _concat(a: set[tuple[str, bool, bool]], b: set[tuple[str, bool, bool]], k: int) -> set[tuple[str, bool, bool]]:
    out: set[tuple[str, bool, bool]] = set()
    for p, open_, ws in a:
        if not open_ or len(p) >= k:
            out.add((p[:k], False, ws))
            continue
        for q, open_q, ws_q in b:
            joined = p + q
            # a word start asserted before anything was consumed is the match's start
            out.add((joined[:k], open_q and len(joined) < k, ws or (p == "" and ws_q)))
        if len(out) > MAX_PREFIXES:
            raise _Unknown("too many prefixes")
    return out


def _last(node, past_space: bool = False) -> tuple[set[str], bool] | None:
    """(characters a match of ``node`` can end with, whether it can be empty); None: any.
    ``past_space``: white space counts as nothing (the characters it can end with past white
    space; whether it can be only white space)."""
    tag = node[0]
    if tag == "lit":
        return (set(), True) if past_space and _is_space(node[1]) else ({node[1]}, False)
    if tag == "zero":
        return set(), True
    if tag == "any":
        return (set(), True) if past_space and node is _SPACE else None
    if tag == "alt":
        chars: set[str] = set()
        empty = False
        for b in node[1]:
            r = _last(b, past_space)
            if r is None:
                return None
            chars |= r[0]
            empty = empty or r[1]
        return chars, empty
    if tag == "seq":
        chars = set()
        for item in reversed(node[1]):
            r = _last(item, past_space)
            if r is None:
                return None
            chars |= r[0]
            if not r[1]:
                return chars, False
        return chars, True
    if tag == "rep":
        r = _last(node[1], past_space)
        if r is None:
            return None
        return r[0], r[1] or node[2] == 0
    raise _Unknown(tag)


# What follows a masked figure. A pattern tried at every masked figure (its lead characters)
# fails at most of them, each failure a `regex` call: what its figure must be followed by, past
# the figure's continuation characters and any white space, is read from the pattern here
# (follow_chars), and the engine tries the pattern only at the figures followed so.
_FOLLOW_START, _FOLLOW_LEAD, _FOLLOW_ANY = "start", "lead", "any"
_FOLLOW_STATES = 64  # more distinct next characters than this: not worth a filter


def follow_chars(source: str, leads: str, cont: str) -> str | None:
    r"""For a pattern tried only where a masked figure or unit starts (one of ``leads``, then
    ``cont`` characters): every character that can come first after that lead, its ``cont``
    characters and any white space (mixed in any order), as the pattern is written; None when
    anything may (a class, ``\w``, the pattern ending there) or the analysis cannot read it.
    A way through the pattern that starts with anything but a lead character cannot match where
    one stands, and adds nothing. Look-arounds consume nothing and are passed over (they can
    only refuse more)."""
    try:
        end = _follow(_parsed(source), frozenset({_FOLLOW_START}), leads, cont)
    except (_Unknown, RecursionError, IndexError, ValueError):
        return None
    if not end or _FOLLOW_ANY in end or _FOLLOW_LEAD in end or _FOLLOW_START in end:
        return None
    return "".join(sorted(end))


def _follow(node, states: frozenset[str], leads: str, cont: str) -> frozenset[str]:
    """The states after ``node`` from each of ``states``: ``start`` (nothing consumed), ``lead``
    (the lead consumed, then only continuation characters and white space), ``any`` (anything
    may come next), or a character: the first one after them."""
    if len(states) > _FOLLOW_STATES:
        raise _Unknown("too many")
    tag = node[0]
    if tag == "zero":
        return states
    if tag in ("lit", "any"):
        out: set[str] = set()
        for st in states:
            if st == _FOLLOW_START:
                if tag == "lit" and node[1] in leads:
                    out.add(_FOLLOW_LEAD)
                elif tag == "any":
                    raise _Unknown("a pattern that may start with anything")
                # a literal other than a lead: no match starts where a lead stands
            elif st == _FOLLOW_LEAD:
                if node is _SPACE or (tag == "lit" and (node[1] == cont or _is_space(node[1]))):
                    out.add(_FOLLOW_LEAD)
                else:
                    out.add(node[1] if tag == "lit" else _FOLLOW_ANY)
            else:
                out.add(st)  # what comes first after the figure is known already
        return frozenset(out)
    if tag == "alt":
        return frozenset().union(*(_follow(b, states, leads, cont) for b in node[1])) if node[1] else states
    if tag == "seq":
        for item in node[1]:
            if _FOLLOW_START not in states and _FOLLOW_LEAD not in states:
                break  # every way has its next character: what comes after changes none
            states = _follow(item, states, leads, cont)
        return states
    if tag == "rep":
        _, inner, mn, mx = node
        for _ in range(mn):
            states = _follow(inner, states, leads, cont)
        if mx == mn:
            return states
        seen = set(states)  # any number of repetitions more: all the states they reach
        while True:
            more = _follow(inner, frozenset(seen), leads, cont) - seen
            if not more:
                return frozenset(seen)
            seen |= more
    raise _Unknown(tag)


def precede_chars(source: str, leads: str) -> str | None:
    r"""For a pattern tried only where a masked figure or unit starts (one of ``leads``): every
    character that can come last before a match, past white space, as a look-behind that every
    match passes before its first character reads it (`(?<=(?:article|loi)\s+)` before a
    figure: e or i); None when a way through the pattern has no such look-behind, or when what
    comes last before it may be anything (a class, a look-behind that may see only spaces)."""
    try:
        top = _parsed(source)
    except (_Unknown, RecursionError, IndexError, ValueError):
        return None
    out: set[str] = set()
    for branch in top[1]:
        seen: set[str] | None = None
        for item in branch[1]:
            if item[0] != "zero":
                # a way that starts with a literal other than a lead cannot match where one stands
                if item[0] == "lit" and item[1] not in leads:
                    seen = set()
                break
            if len(item) == 4 and item[3] == "behind":
                last = _last(item[2], past_space=True)
                if last is not None and not last[1]:
                    seen = last[0] if seen is None else seen & last[0]
        if seen is None:
            return None
        out |= seen
    return "".join(sorted(out)) if out else None


def _is_space(ch: str) -> bool:
    r"""Is ``ch`` one that `regex`'s ``\s`` matches (the engine skips the same ones)."""
    import regex  # the engine's regex module: its white space, not `re`'s

    return regex.match(r"\s", ch) is not None


_TRAILING_SPACE = r"\s*\Z"


def last_chars(source: str) -> str | None:
    r"""For a pattern written ``…\s*\Z`` (searched in the text just before a figure): the
    case-folded characters its match can end with before that space, or None if any."""
    if not source.endswith(_TRAILING_SPACE):
        return None
    try:
        r = _last(_parsed(source[: -len(_TRAILING_SPACE)]))
    except (_Unknown, RecursionError, IndexError, ValueError):
        return None
    if r is None or r[1] or not r[0] or any(c.isspace() for c in r[0]):
        return None
    return "".join(sorted({c.casefold() for c in r[0]}))


def may_end_before(chars: str, text: str, pos: int, lo: int) -> bool:
    r"""Could a ``…\s*\Z`` pattern with these last ``chars`` match text[lo:pos]? False only
    when the last character before the trailing space is none of them."""
    j = pos
    while j > lo and text[j - 1].isspace():
        if "\x1c" <= text[j - 1] <= "\x1f":
            return True  # space to Python, not to `regex`: let the regex decide
        j -= 1
    return j > lo and text[j - 1].casefold() in chars


_LEADING_FLAGS = re.compile(r"(?:\(\?[a-zA-Z]+\))*")


def _only_branch(source: str) -> list | None:
    """The items of ``source``'s one top-level branch, or None when it has several (what
    opens the first binds no other) or the analysis cannot read it."""
    try:
        node = _parsed(source)
    except (_Unknown, RecursionError, IndexError, ValueError):
        return None
    return node[1][0][1] if len(node[1]) == 1 else None


def starts_at_line(source: str, multiline: bool = False) -> bool:
    """Can a match of ``source`` start only where a line does (a `^` in MULTILINE mode that
    every match passes first)? ``multiline``: the pattern was compiled so."""
    flags = _LEADING_FLAGS.match(source)
    assert flags is not None  # the pattern matches the empty string
    if not (multiline or "m" in flags.group()) or not source.startswith("^", flags.end()):
        return False
    return _only_branch(source) is not None


_LINE_OR_AFTER = re.compile(r"\(\?:\^\|\(\?<=(\[(?:\\.|[^\]\\])+\])\\s\*\)\)")


def line_or_after(source: str, multiline: bool = False) -> str | None:
    r"""The character class ``[…]`` when every match of ``source`` starts where a line does or
    right after one of those characters and spaces (`line-counter`'s ``(?m)(?:^|(?<=[|•·]\s*))``,
    passed first), else None."""
    flags = _LEADING_FLAGS.match(source)
    assert flags is not None  # the pattern matches the empty string
    m = _LINE_OR_AFTER.match(source, flags.end())
    if m is None or not (multiline or "m" in flags.group()) or _only_branch(source) is None:
        return None
    return m.group(1)


# `(?<=X)` where X is one character that is no letter, digit or space: an escaped sign (`\(`),
# a sign, or a class of them (no range, no negation)
_AFTER_ONE = re.compile(r"\(\?<=(\\[^\w\s]|\[(?:\\[^\w\s]|[^\]\\\w\s^-])+\]|[^\w\s\\()\[\]|?*+{}.^$])\)")


def after_one(source: str) -> str | None:
    r"""The sign (or class of signs) right after which every match of ``source`` starts, when
    it opens with that look-behind (`bracketed-marker`'s ``(?<=\()``), else None."""
    flags = _LEADING_FLAGS.match(source)
    assert flags is not None  # the pattern matches the empty string
    m = _AFTER_ONE.match(source, flags.end())
    if m is None or _only_branch(source) is None:
        return None
    return m.group(1)


def starts_at_word(source: str) -> bool:
    r"""Does every match of ``source`` start where a word does (a `(?<!\w)` it passes first)?
    Then a match cannot start right after a letter (every letter is a word character)."""
    flags = _LEADING_FLAGS.match(source)
    assert flags is not None  # the pattern matches the empty string
    if not source.startswith("(?<!\\w)", flags.end()):
        return False
    return _only_branch(source) is not None


def first_line_needs(source: str) -> str | None:
    """Characters of which every match of ``source`` holds one before its first line feed
    (`line-counter`'s ``:`` or ``(`` after up to 40 characters of its line), or None when the
    analysis cannot tell: then a line that holds none of them starts no match."""
    items = _only_branch(source)
    if items is None:
        return None
    for item in items:
        chars = _required_chars(item)
        if chars is not None and "\n" not in chars:
            return "".join(sorted(chars))
        if _may_take_newline(item):
            return None
    return None


def _required_chars(node) -> set[str] | None:
    """The characters of which a match of ``node`` must begin with one, when ``node`` is a
    literal or a choice of literal characters (repeated at least once); else None."""
    tag = node[0]
    if tag == "lit":
        return {node[1]}
    if tag == "alt":
        out: set[str] = set()
        for b in node[1]:
            if b[0] != "seq" or len(b[1]) != 1:
                return None
            r = _required_chars(b[1][0])
            if r is None:
                return None
            out |= r
        return out
    if tag == "seq" and len(node[1]) == 1:
        return _required_chars(node[1][0])
    if tag == "rep" and node[2] >= 1:
        return _required_chars(node[1])
    return None


def _may_take_newline(node) -> bool:
    tag = node[0]
    if tag == "lit":
        return node[1] == "\n"
    if tag == "zero":
        return False
    if tag == "any":
        return node is not _ANY_BUT_NEWLINE
    if tag in ("alt", "seq"):
        return any(_may_take_newline(x) for x in node[1])
    if tag == "rep":
        return _may_take_newline(node[1])
    return True


def line_starts(text: str) -> list[int]:
    """Where a line starts: the text's start, and after every line feed (`^` in MULTILINE)."""
    out = [0]
    find = text.find
    i = find("\n")
    while i >= 0:
        out.append(i + 1)
        i = find("\n", i + 1)
    return out


def literal_prefixes(source: str, k: int = K) -> tuple[str, ...] | None:
    """The strings (1 to ``k`` characters) every match of ``source`` starts with, or None
    when a match may start with anything the analysis cannot name."""
    try:
        firsts = _first(_parsed(source), k)
    except (_Unknown, RecursionError, IndexError, ValueError):
        return None
    out = {p for p, _, _ in firsts}
    if not out or "" in out:
        return None
    return tuple(sorted(out, key=lambda p: (-len(p), p)))


def word_start_prefixes(source: str, k: int = K) -> frozenset[str]:
    r"""Those of ``literal_prefixes(source, k)``, case-folded, that a match can begin with only
    where a word starts (``(?<!\w)`` before them, whatever way the match takes): found right
    after a letter, they start no match."""
    try:
        firsts = _first(_parsed(source), k)
    except (_Unknown, RecursionError, IndexError, ValueError):
        return frozenset()
    yes = {p.casefold() for p, _, ws in firsts if ws}
    no = {p.casefold() for p, _, ws in firsts if not ws}
    return frozenset(yes - no)


def prefix_regex(prefixes: tuple[str, ...]) -> str:
    """A standard-library regex finding any of ``prefixes``, written as a trie: `re` tries
    the branches of a plain alternation one by one at every position."""
    root: dict = {}
    for p in prefixes:
        node = root
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""  # a prefix ends here: whatever follows, it is there
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


_COMPILED: dict[tuple[str, int], re.Pattern] = {}


class Caseless:
    """Literal strings searched for regardless of case, as `regex`'s IGNORECASE sees them
    (simple case folding). `re` with IGNORECASE is slow on cased scripts, so the search runs
    on ``text.casefold()`` for strings written case-folded (``folded``) -- when folding keeps
    every character in its place, which it does but for a few letters (ß, ŉ, ligatures);
    otherwise on the text itself with IGNORECASE and the strings as written (``plain``)."""

    __slots__ = ("text", "rx")

    def __init__(self, plain: str, folded: str, text: str, text_folded: str | None = None):
        f = text.casefold() if text_folded is None else text_folded
        if len(f) == len(text):
            self.text, self.rx = f, _compile(folded, 0)
        else:
            self.text, self.rx = text, _compile(plain, re.IGNORECASE)

    def finditer(self):
        return self.rx.finditer(self.text)

    def match(self, pos: int):
        return self.rx.match(self.text, pos)


def _compile(src: str, flags: int) -> re.Pattern:
    rx = _COMPILED.get((src, flags))
    if rx is None:
        rx = _COMPILED[(src, flags)] = re.compile(src, flags)
    return rx


# Whether the prefix search beats one search by `regex` depends on the language and the
# pattern (Arabic clitics defeat `regex`'s own first-character skipping; French month names
# do not). So a process runs both ways on its first texts, checks that they agree, and once
# it has timed enough characters keeps the faster for the rest of the run. The very first text
# a pattern meets is searched by its prefixes alone: a run of one article (most runs of the
# command line) would otherwise search every pattern twice and keep nothing of the timing.
SEARCH_FROM = 500  # a shorter text: one search costs less than compiling the prefixes
CALIBRATE_CHARS = 20_000
_TIMED: dict[tuple[str, str], list] = {}  # key -> [seconds whole, seconds by prefixes, characters]
_USE: dict[tuple[str, str], bool] = {}


def finditer(rx, plain: str, folded: str, text: str, text_folded: str | None = None, timeout=None):
    """``rx.finditer(text)``, the same matches, found by the prefixes where that is faster.
    ``plain``/``folded``: the prefixes' regex as written and case-folded (none: search
    everywhere); ``text_folded``: ``text.casefold()`` if the caller has it."""
    if not plain or len(text) < SEARCH_FROM:
        return rx.finditer(text, timeout=timeout)
    if (rx.pattern, plain) not in _USE:
        _compile(folded, 0)  # compiled before the two ways are timed
    return _calibrated(rx, plain, text, timeout,
                       lambda: prefixed_finditer(rx, plain, folded, text, text_folded, timeout))


def finditer_at(rx, chars: str, positions: dict[str, list[int]], text: str, timeout=None):
    """``rx.finditer(text)`` for a pattern that starts with one of ``chars`` (masked figures'
    lead characters), trying it only at their ``positions`` where that is faster."""
    if not chars or len(text) < SEARCH_FROM:
        return rx.finditer(text, timeout=timeout)
    return _calibrated(rx, "\0" + chars, text, timeout,
                       lambda: positioned_finditer(rx, chars, positions, text, timeout))


def finditer_from(rx, starts: list[int], text: str, timeout=None):
    """``rx.finditer(text)`` for a pattern that can start only at ``starts`` (sorted, found
    by literals.LiteralScan), trying it only there where that is faster."""
    if len(text) < SEARCH_FROM:
        return rx.finditer(text, timeout=timeout)
    return _calibrated(rx, "\1", text, timeout, lambda: matches_at(rx, starts, text, timeout))


def positioned_finditer(rx, chars: str, positions: dict[str, list[int]], text: str, timeout=None):
    """The matches of ``rx`` in ``text``, trying it only at the positions of ``chars``."""
    lists = [positions[c] for c in chars if c in positions]
    starts = lists[0] if len(lists) == 1 else sorted(p for lst in lists for p in lst)
    return matches_at(rx, starts, text, timeout)


def matches_at(rx, starts: list[int], text: str, timeout=None):
    """The matches of ``rx`` in ``text`` that start at one of ``starts`` (sorted), as
    ``finditer`` gives them when no match can start anywhere else."""
    match = rx.match
    last = 0
    if timeout is None:
        for c in starts:
            if c >= last:
                m = match(text, c)
                if m is not None:
                    yield m
                    last = m.end()
        return
    # _Budget written out: this loop makes most of a run's `regex` calls
    clock = time.perf_counter
    deadline = clock() + timeout
    for c in starts:
        if c >= last:
            left = deadline - clock()
            if left <= 0:
                raise TimeoutError("regex timed out")
            m = match(text, c, timeout=left)
            if m is not None:
                yield m
                last = m.end()


class _Budget:
    """What is left of ``timeout`` seconds for all the attempts of one search (the budget is
    the search's, as with one ``finditer``, not each attempt's): called before each attempt,
    it gives the seconds left, and raises TimeoutError, as the regex module does, once none are."""

    __slots__ = ("deadline",)

    def __init__(self, timeout: float | None):
        self.deadline = None if timeout is None else time.perf_counter() + timeout

    def __call__(self) -> float | None:
        if self.deadline is None:
            return None
        left = self.deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError("regex timed out")
        return left


def _calibrated(rx, how: str, text: str, timeout, other):
    key = (rx.pattern, how)
    use = _USE.get(key)
    if use is None:
        if key not in _TIMED:  # the first text: one way only (a run of one article pays no double search)
            _TIMED[key] = [0.0, 0.0, 0]
            return other()
        t0 = time.perf_counter()
        whole = list(rx.finditer(text, timeout=timeout))
        t1 = time.perf_counter()
        found = list(other())
        t2 = time.perf_counter()
        if [m.span() for m in whole] != [m.span() for m in found]:
            _USE[key] = False  # cannot happen if the analysis is right; never trust it then
        else:
            timed = _TIMED.setdefault(key, [0.0, 0.0, 0])
            timed[0] += t1 - t0
            timed[1] += t2 - t1
            timed[2] += len(text)
            if timed[2] >= CALIBRATE_CHARS:
                _USE[key] = timed[1] < timed[0]
        return iter(whole)
    if use:
        return other()
    return rx.finditer(text, timeout=timeout)


def prefixed_finditer(rx, plain: str, folded: str, text: str, text_folded: str | None = None, timeout=None):
    """The matches of ``rx`` in ``text``, trying it only where a prefix starts."""
    pre = Caseless(plain, folded, text, text_folded)
    match = rx.match
    last = 0  # where the previous match ended: the next starts after it
    left = _Budget(timeout)
    for a in pre.finditer():
        q, e = a.span()
        c = max(q, last)
        while c < e:  # another prefix may start inside this one
            if c == q or pre.match(c) is not None:
                m = match(text, c, timeout=left())
                if m is not None:
                    yield m
                    last = m.end()
                    c = max(c + 1, last)
                    continue
            c += 1


class Hits:
    """Where a pattern's prefixes are in a text, to tell at once that the pattern cannot
    start anywhere in a stretch of it (a search window before a figure)."""

    __slots__ = ("starts", "ends")

    def __init__(self, plain: str, folded: str, text: str, text_folded: str | None = None):
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in Caseless(plain, folded, text, text_folded).finditer():
            self.starts.append(m.start())
            self.ends.append(m.end())

    def any_within(self, lo: int, hi: int) -> bool:
        """Could a match start in [lo, hi)? (Every match starts inside a hit: a prefix found,
        or one starting inside it, which the non-overlapping search passed over.)"""
        k = bisect.bisect_left(self.starts, hi)
        return k > 0 and self.ends[k - 1] > lo
