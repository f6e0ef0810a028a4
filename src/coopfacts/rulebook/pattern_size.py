"""Patterns too large to compile safely, found on their source before the ``regex`` module
is asked to compile them (a rule file is untrusted input)."""
from __future__ import annotations

import regex

MAX_REPEAT_PRODUCT = 100_000  # counted repeats nested in one another, multiplied: more is refused
MAX_GROUP_DEPTH = 200  # groups nested in one another: the regex module's parser recurses


def size_problem(pattern: str) -> str | None:
    """Why ``pattern`` is too large to compile safely, or None.

    The ``regex`` module unrolls counted repeats: ``(?:(?:a{1000}){1000}){1000}`` would take all
    memory, and its parser recurses into nested groups (2 000 of them exhaust Python's stack).
    Both are measured on the source, before compiling: the largest product of counted repeats
    nested in one another (``{m}``, ``{m,n}``, ``{m,}``: their larger bound) and the depth of
    groups.
    """
    stack = [1]  # per open group: the largest product of repeats found inside it
    last = 1  # the product carried by the atom just read (what a quantifier after it multiplies)
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            last = 1
            continue
        if c == "[":
            i = _class_end(pattern, i)
            last = 1
            continue
        if c == "(":
            stack.append(1)
            if len(stack) > MAX_GROUP_DEPTH:
                return f"groups nested more than {MAX_GROUP_DEPTH} deep"
            i += 1
            continue
        if c == ")":
            inner = stack.pop() if len(stack) > 1 else 1
            stack[-1] = max(stack[-1], inner)
            last = inner
            i += 1
            continue
        if c == "{":
            m = _COUNTED.match(pattern, i)
            if m:
                low, comma, high = m.group(1), m.group(2), m.group(3)
                bound = int(high) if high else int(low or 0)
                if comma and not high:
                    bound = max(bound, 1)
                last = last * max(bound, 1)
                stack[-1] = max(stack[-1], last)
                if last > MAX_REPEAT_PRODUCT:
                    return (f"counted repeats nested in one another come to {last} repetitions "
                            f"(at most {MAX_REPEAT_PRODUCT}): too large to compile")
                i = m.end()
                continue
        last = 1
        i += 1
    return None


_COUNTED = regex.compile(r"\{(\d{0,12})(,?)(\d{0,12})\}")


def _class_end(pattern: str, i: int) -> int:
    """The index after the character class that starts at ``pattern[i]`` (``[``)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern):
        c = pattern[j]
        if c == "\\":
            j += 2
            continue
        if c == "]":
            return j + 1
        j += 1
    return j
