"""Rule files as untrusted input: every problem names the file, line and what was expected."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coopfacts.rulebook import Rulebook, packaged_rules_dir
from coopfacts.rulebook.shapes import RuleError


def load(tmp_path: Path, name: str, text: str):
    (tmp_path / name).write_text(text, encoding="utf-8")
    rb = Rulebook([tmp_path])
    return rb.language(name.split(".")[0])


def test_yaml_syntax_error_names_line(tmp_path):
    with pytest.raises(RuleError) as err:
        load(tmp_path, "fr.yaml", "language: fr\nnumbers:\n  words: [un, deux\n")
    e = err.value
    assert e.path.endswith("fr.yaml") and e.line is not None and e.line >= 3
    assert "YAML syntax error" in str(e)


def test_wrong_type_names_path_and_line(tmp_path):
    with pytest.raises(RuleError) as err:
        load(tmp_path, "fr.yaml", "language: fr\nnumbers:\n  words:\n    3: troix\n")
    assert err.value.line == 4
    assert "numbers.words.3" in str(err.value) and "list of strings" in str(err.value)


def test_unknown_key_is_flagged(tmp_path):
    with pytest.raises(RuleError) as err:
        load(tmp_path, "fr.yaml", "language: fr\nnumbres: {}\n")
    assert err.value.line == 2 and "unknown key 'numbres'" in str(err.value)


def test_invalid_regex_names_pattern(tmp_path):
    text = "language: fr\npatterns:\n  - id: broken\n    kind: count\n    match: '{num}(('\n"
    with pytest.raises(RuleError) as err:
        load(tmp_path, "fr.yaml", text)
    assert "broken" in str(err.value) and err.value.line == 5  # the `match:` line


def test_unknown_macro(tmp_path):
    text = "language: fr\npatterns:\n  - id: p\n    kind: count\n    match: '{nmu}'\n"
    with pytest.raises(RuleError) as err:
        load(tmp_path, "fr.yaml", text)
    assert "unknown macro {nmu}" in str(err.value)


def test_language_name_must_match_file(tmp_path):
    with pytest.raises(RuleError) as err:
        load(tmp_path, "xx.yaml", "language: fr\n")
    assert "declares language 'fr'" in str(err.value)


def test_override_replaces_packaged_language(tmp_path):
    """A copy of a packaged language's folder, one section edited, replaces the packaged one."""
    import shutil

    from coopfacts import extract
    from coopfacts.engine import Engine

    shutil.copytree(packaged_rules_dir() / "fr", tmp_path / "fr")
    numbers = tmp_path / "fr" / "numbers.yaml"
    src = numbers.read_text(encoding="utf-8")
    assert "  weak: [un, une]\n" in src
    numbers.write_text(src.replace("  weak: [un, une]\n", "  weak: [une]\n"), encoding="utf-8")
    rb = Rulebook([tmp_path])
    assert [c.value for c in Engine(rb).extract("un projet", "fr")] == [1]
    assert extract("un projet", "fr") == []


def test_a_single_file_replaces_a_packaged_folder(tmp_path):
    (tmp_path / "fr.yaml").write_text("language: fr\nnumbers:\n  words: {3: [trois]}\n", encoding="utf-8")
    rb = Rulebook([tmp_path])
    assert rb.sources["fr"] == [tmp_path / "fr.yaml"]
    assert rb.language("fr").counts["patterns"] > 0  # the shared patterns (rules/common/) still apply


def test_new_language_from_rules_dir(tmp_path):
    shutil.copytree(packaged_rules_dir() / "fr", tmp_path / "xf")  # a folder of its own: a language
    language = tmp_path / "xf" / "language.yaml"
    language.write_text(language.read_text(encoding="utf-8").replace("language: fr", "language: xf"), encoding="utf-8")
    rb = Rulebook([tmp_path])
    assert "xf" in rb.languages
    assert rb.language("xf").examples


# --- the compiled-language cache ------------------------------------------------------

_SMALL_FR = """language: fr
numbers:
  words:
    3: [trois]
patterns:
  - id: count
    kind: count
    match: '{num}'
"""


def _fresh(tmp_path: Path, rules: Path):
    import coopfacts.rulebook.book as rb_mod

    return rb_mod.Rulebook([rules]).language("fr")


def test_compiled_language_is_cached_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    first = _fresh(tmp_path, rules)
    entries = list((tmp_path / "cache" / "coopfacts" / "compiled").glob("*.pickle"))
    assert len(entries) == 1
    second = _fresh(tmp_path, rules)  # a new rulebook: read from the cache, not compiled
    assert second is not first
    assert [p.id for p in second.patterns] == [p.id for p in first.patterns]
    assert second.numbers.numeral_re.search("il y a trois ans").group() == "trois"

    # a changed rule file is compiled anew, under another key
    (rules / "fr.yaml").write_text(_SMALL_FR.replace("[trois]", "[trois, troisss]"), encoding="utf-8")
    third = _fresh(tmp_path, rules)
    assert third.numbers.numeral_re.search("il y a troisss ans").group() == "troisss"
    assert len(list((tmp_path / "cache" / "coopfacts" / "compiled").glob("*.pickle"))) == 2


def test_a_cached_languages_pattern_regexes_and_examples_load_when_first_read():
    """A language from the rule cache unpickles a pattern's regex, and its worked examples,
    only when they are read (a run reads few); read, they are what was pickled, and a language
    pickled again before they are read keeps them."""
    import pickle

    lang = Rulebook([packaged_rules_dir()]).language("fr")
    loaded = pickle.loads(pickle.dumps(lang))
    assert all("regex" not in p.__dict__ for p in loaded.patterns) and "examples" not in loaded.__dict__
    again = pickle.loads(pickle.dumps(loaded))  # nothing read yet
    for copy in (loaded, again):
        assert [(p.regex.pattern, p.regex.flags) for p in copy.patterns] == \
            [(p.regex.pattern, p.regex.flags) for p in lang.patterns]
        assert [(e.text, e.claims) for e in copy.examples] == [(e.text, e.claims) for e in lang.examples]
    assert all("regex" in p.__dict__ for p in loaded.patterns)  # unpickled once, then kept
    with pytest.raises(AttributeError):
        loaded.patterns[0].no_such_field  # noqa: B018 - the attribute error is what is tested


def test_damaged_compiled_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    _fresh(tmp_path, rules)
    for entry in (tmp_path / "cache" / "coopfacts" / "compiled").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    lang = _fresh(tmp_path, rules)
    assert lang.numbers.numeral_re.search("trois").group() == "trois"


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("COOPFACTS_NO_CACHE", "1")
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    _fresh(tmp_path, rules)
    assert not (tmp_path / "cache").exists()


def test_compiled_cache_keeps_the_latest_entries(tmp_path, monkeypatch):
    import coopfacts.rulebook.cache as cache_mod

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    monkeypatch.setattr(cache_mod, "_KEEP_COMPILED", 3)
    rules = tmp_path / "rules"
    rules.mkdir()
    for i in range(5):  # five versions of the file: five compilations
        (rules / "fr.yaml").write_text(_SMALL_FR.replace("[trois]", f"[trois, x{i}]"), encoding="utf-8")
        _fresh(tmp_path, rules)
    assert len(list((tmp_path / "cache" / "coopfacts" / "compiled").glob("*.pickle"))) == 3


_POSIX_ONLY = pytest.mark.skipif(not hasattr(os, "getuid"), reason="the temporary cache is for POSIX systems")


def _cache_under(tmp_path: Path, monkeypatch, home_cache: Path) -> Path:
    """XDG_CACHE_HOME set to ``home_cache``, the system's temporary directory to tmp_path/tmp
    (returned), and the process's choice of cache directory forgotten."""
    import tempfile

    import coopfacts.rulebook.shapes as shapes

    monkeypatch.setenv("XDG_CACHE_HOME", str(home_cache))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    monkeypatch.setattr(shapes, "_CHOSEN", {})
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


@_POSIX_ONLY
@pytest.mark.parametrize("home_cache", ["a-file/cache", "cache-file"])
def test_a_cache_that_cannot_be_made_falls_back_to_a_private_temporary_one(tmp_path, monkeypatch, home_cache):
    """A home where the cache cannot be made (here a file in the way, under it or where its
    directory would be; in life a read-only home): the compiled language goes to
    <temp>/coopfacts-<uid>, made for this user alone, and the next rulebook reads it back
    instead of compiling again."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    (tmp_path / "cache-file").mkdir()
    (tmp_path / "cache-file" / "coopfacts").write_text("", encoding="utf-8")
    temp = _cache_under(tmp_path, monkeypatch, tmp_path / home_cache)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    _fresh(tmp_path, rules)
    private = temp / f"coopfacts-{os.getuid()}"
    assert private.is_dir() and private.stat().st_mode & 0o777 == 0o700
    entries = list((private / "compiled").glob("*.pickle"))
    assert len(entries) == 1
    stamp = entries[0].stat().st_mtime_ns
    lang = _fresh(tmp_path, rules)  # read back: the entry is not written again
    assert lang.numbers.numeral_re.search("il y a trois ans").group() == "trois"
    assert entries[0].stat().st_mtime_ns == stamp


@_POSIX_ONLY
@pytest.mark.parametrize("planted", ["open to others", "a link"])
def test_a_temporary_cache_others_could_write_is_never_used(tmp_path, monkeypatch, planted):
    """A cache holds pickles, which run code when read: a <temp>/coopfacts-<uid> that is open to
    others, or a link to somewhere else, is neither read nor written (the run compiles)."""
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    temp = _cache_under(tmp_path, monkeypatch, tmp_path / "a-file" / "cache")
    private = temp / f"coopfacts-{os.getuid()}"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if planted == "a link":
        private.symlink_to(elsewhere, target_is_directory=True)
    else:
        private.mkdir()
        private.chmod(0o777)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    lang = _fresh(tmp_path, rules)
    assert lang.numbers.numeral_re.search("trois").group() == "trois"
    assert not list(tmp_path.rglob("*.pickle"))


@_POSIX_ONLY
def test_a_home_cache_that_exists_or_can_be_made_is_the_one_used(tmp_path, monkeypatch):
    """The temporary directory only replaces a cache that cannot be: one that can be made is
    made, and one that exists is read (a cache built into a read-only image)."""
    import coopfacts.rulebook.shapes as shapes

    temp = _cache_under(tmp_path, monkeypatch, tmp_path / "home" / ".cache")
    assert shapes.cache_dir() == tmp_path / "home" / ".cache" / "coopfacts" / "rules"
    existing = tmp_path / "image-cache"
    (existing / "coopfacts").mkdir(parents=True)
    monkeypatch.setenv("XDG_CACHE_HOME", str(existing))
    assert shapes.cache_dir() == existing / "coopfacts" / "rules"
    assert not list(temp.iterdir())


# --- figure classes (rulebook._lead_class): the same characters as a plain class ---------------

def test_lead_class_matches_exactly_its_characters():
    import itertools

    import regex

    from coopfacts.rulebook.masks import MASK_CONT, MASK_LEAD, UNIT_BEFORE_LEAD, UNIT_LEAD
    from coopfacts.rulebook.masks import lead_class as _lead_class

    leads = [*MASK_LEAD.values(), *UNIT_LEAD.values(), *UNIT_BEFORE_LEAD.values()]
    probe = [chr(c) for c in range(0xE000, 0xE020)] + ["a", "A", "1", " ", "\u0627"]
    sets = [set(c) for r in (1, 2, 3, 4) for c in itertools.combinations(list(MASK_LEAD.values()), r)]
    sets += [set(UNIT_LEAD.values()), set(UNIT_BEFORE_LEAD.values()), {leads[0], leads[-1]}]
    for chars in sets:
        for flags in (0, regex.IGNORECASE | regex.V0):
            rx = regex.compile(_lead_class("".join(chars)) + MASK_CONT + "*", flags)
            assert {c for c in probe if rx.fullmatch(c)} == chars
            assert [m.start() for m in rx.finditer("x".join(probe))] == [i * 2 for i, c in enumerate(probe) if c in chars]


# --- the rule format as a JSON Schema, for editors -------------------------------------------------

def test_shipped_json_schema_is_the_one_the_shapes_make():
    import json

    from coopfacts.rulebook.schema import rule_file_json_schema

    shipped = json.loads((packaged_rules_dir() / "rule-file.schema.json").read_text(encoding="utf-8"))
    assert shipped == rule_file_json_schema(), "run: coopfacts rules schema > rules/rule-file.schema.json"


def test_every_packaged_rule_file_fits_the_json_schema_and_bad_ones_do_not():
    import json

    import jsonschema
    import yaml

    from coopfacts.rulebook.schema import rule_file_json_schema

    validator = jsonschema.Draft202012Validator(rule_file_json_schema())
    files = sorted(packaged_rules_dir().glob("*/*.yaml"))
    assert len(files) >= 19
    for f in files:
        data = json.loads(json.dumps(yaml.safe_load(f.read_text(encoding="utf-8"))))  # as a JSON reader sees it
        errors = [e.message for e in validator.iter_errors(data)]
        assert not errors, (f.name, errors[:3])
    for bad in ({"numbers": {"words": {"one": ["un"]}}}, {"units": [{"kind": "weight"}]}, {"detect": {"scrip": "latin"}},
                {"qualifiers": {"more_than": "plus de"}}, {"name": ""}):
        assert list(validator.iter_errors(json.loads(json.dumps(bad)))), bad


def test_shape_checker_and_json_schema_agree_on_a_bad_file(tmp_path):
    """The checker's message and the schema come from the same shapes."""
    with pytest.raises(RuleError, match="units.0.kind: expected one of money"):
        load(tmp_path, "fr.yaml", "language: fr\nunits:\n  - kind: weight\n")


@pytest.mark.parametrize("src,impossible", [
    (r"a(?!)b", True), (r"a(?P<u>(?!))", True), (r"[(](?!)", True), (r"\((?!)", True),
    (r"a(?:(?!)|b)", False), (r"a(?!)?b", False), (r"(?<!(?!)x)a", False), (r"a|(?!)", False),
    (r"a(?:x(?!))?", False), (r"a(?:x(?!)){0,2}", False),
])
def test_cannot_match_finds_a_required_failure_only(src, impossible):
    from coopfacts.rulebook.regexes import cannot_match
    assert cannot_match(src) is impossible


def test_a_shared_pattern_naming_a_missing_list_is_dropped_where_the_list_is_missing():
    # points-beside-percent names {list:point_words}: French has the list, Persian does not
    from coopfacts.engine.api import load
    engine = load()
    ids = {code: {p.id for p in engine.runtime(code).lang.patterns} for code in ("fr", "fa")}
    assert "points-beside-percent" in ids["fr"] and "points-beside-percent" not in ids["fa"]


def test_checked_rule_files_are_not_read_again_at_start_up(tmp_path, monkeypatch):
    """A run whose rule files an earlier run checked (same paths and bytes) parses no YAML at
    start-up: the detection hints that run kept are the same as read from the files."""
    import coopfacts.rulebook.book as rb_mod
    from coopfacts.rulebook.shapes import RuleError

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "fr.yaml").write_text(_SMALL_FR, encoding="utf-8")
    first = rb_mod.Rulebook([rules])
    first.check_all()
    hints = {c: first.detect_hints(c) for c in first.languages}
    assert list((tmp_path / "cache" / "coopfacts" / "compiled").glob("*-heads.pickle"))

    def no_yaml(*a, **kw):
        raise AssertionError("YAML read again")

    monkeypatch.setattr(rb_mod, "load_yaml", no_yaml)
    second = rb_mod.Rulebook([rules])
    second.check_all()
    assert {c: second.detect_hints(c) for c in second.languages} == hints

    # an edited file is checked anew: a malformed one stops the run, every time
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("COOPFACTS_NO_CACHE", raising=False)
    (rules / "fr.yaml").write_text(_SMALL_FR + "\nbogus_section: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError):
            rb_mod.Rulebook([rules]).check_all()
