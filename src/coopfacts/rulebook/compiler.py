"""A language compiled from its rule files: each section by its own small compiler."""
from __future__ import annotations

import regex

from coopfacts.rulebook.build import Build, start_build
from coopfacts.rulebook.compile_context import compile_context
from coopfacts.rulebook.compile_dates import compile_dates, relative_patterns
from coopfacts.rulebook.compile_numbers import compile_numbers
from coopfacts.rulebook.compile_patterns import compile_patterns, pattern_macros, worked_examples
from coopfacts.rulebook.compile_units import evidence_rules, unit_rules, unit_table
from coopfacts.rulebook.language import Language
from coopfacts.rulebook.shapes import Located


def _check_script(b: Build) -> str:
    """``detect.script`` names a Unicode script the `regex` module knows (or is ``any``)."""
    script = str(b.section("detect").get("script", "any")).lower()
    if script != "any":
        try:
            regex.compile(rf"\p{{Script={script}}}")
        except regex.error:
            where = next((d for d in b.docs if isinstance(d.data.get("detect"), dict)), b.docs[0])
            raise where.error(("detect", "script"), f"unknown Unicode script {script!r} "
                                                   "(a script name such as arabic, latin, cyrillic, or any)") from None
    return script


def compile_language(code: str, docs: list[Located]) -> Language:
    """The language ``code`` made of ``docs`` (its files, then the shared ``common`` ones)."""
    b = start_build(code, docs)
    script = _check_script(b)
    numbers = compile_numbers(b)
    dates = compile_dates(b)
    units, forms = unit_table(b)
    macros = pattern_macros(b, numbers, dates, forms)
    context = compile_context(b, macros)
    patterns = compile_patterns(b, macros)
    examples = worked_examples(b)
    detect = b.section("detect")
    lang = Language(
        code=code,
        name=b.data.get("name", code),
        files=[d.path for d in docs],
        script=script,
        markers=detect.get("markers", ""),
        normalizer=b.normalizer,
        numbers=numbers,
        units=units,
        unit_rules=unit_rules(forms, macros["joiner"], macros["month"], evidence_rules(b, units)),
        context=context,
        dates=dates,
        patterns=sorted(patterns + relative_patterns(b, dates), key=lambda x: -x.priority),
        examples=examples,
        clitics=tuple(b.norms(b.data.get("clitics"))),
        articles=tuple(b.norms(b.data.get("articles"))),
        parts={k: b.norms(v) for k, v in b.section("parts").items()},
        check={k: b.norms(v) for k, v in b.section("check").items()},
    )
    lang.counts = {
        "number words": len(numbers.words),
        "units": len(units),
        "qualifiers": len(context.qualifiers) + len(context.qualifiers_after),
        "months": len(dates.months),
        "patterns": len(patterns),
        "examples": len(examples),
    }
    return lang
