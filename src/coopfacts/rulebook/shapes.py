"""Reading rule files as untrusted input: YAML with line numbers, and a small
shape checker that names the file, line and column of every problem.

PyYAML does the parsing; we keep the node tree it composes so that every value
can be traced back to where it was written.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coopfacts.digest import hex_digest

if TYPE_CHECKING:
    import yaml


class RuleError(Exception):
    """A rule file is malformed. ``str()`` reads ``file:line:col: message``."""

    def __init__(self, path: str | Path, line: int | None, col: int | None, message: str):
        self.path = str(path)
        self.line = line
        self.col = col
        self.message = message
        where = self.path
        if line is not None:
            where += f":{line}"
            if col is not None:
                where += f":{col}"
        super().__init__(f"{where}: {message}")


Path_ = tuple  # a path into the document: keys and list indices
_CACHE_SALT = b"coopfacts-rules-2"  # change when the cached shape changes (2: sealed entries, rulebook/sealed.py)


@dataclass
class Located:
    """A parsed YAML document with the position of every node."""

    data: Any
    marks: dict[Path_, tuple[int, int]]
    path: str

    def where(self, p: Path_) -> tuple[int | None, int | None]:
        while p not in self.marks and p:
            p = p[:-1]
        m = self.marks.get(p)
        return (m[0], m[1]) if m else (None, None)

    def error(self, p: Path_, message: str) -> RuleError:
        line, col = self.where(p)
        dotted = ".".join(str(x) for x in p)
        return RuleError(self.path, line, col, f"{dotted + ': ' if dotted else ''}{message}")


_CHOSEN: dict[str, Path] = {}  # the cache's root chosen for a home cache path, once a process


def cache_dir() -> Path | None:
    """The directory parsed and compiled rule files are kept in (None: COOPFACTS_NO_CACHE is set).

    ``$XDG_CACHE_HOME/coopfacts/rules``, else ``~/.cache/coopfacts/rules``. Where that directory
    neither exists nor can be made (a read-only home in a container, a service with no home),
    a private directory under the system's temporary one takes its place (``_private_temp``):
    without any cache every run compiles its language anew, about ten times a warm start."""
    if os.environ.get("COOPFACTS_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    home = Path(base) / "coopfacts"
    key = str(home)
    if key not in _CHOSEN:
        fallback = None if _can_hold(home) else _private_temp()
        _CHOSEN[key] = home if fallback is None else fallback
    return _CHOSEN[key] / "rules"


def _can_hold(path: Path) -> bool:
    """Does ``path`` exist (a cache that may be read, even read-only: one built into an image),
    or can it be made (its nearest existing ancestor writable)?"""
    for p in (path, *path.parents):
        if os.path.isdir(p):
            return p == path or os.access(p, os.W_OK | os.X_OK)
        if os.path.lexists(p):
            return False  # a file where a directory would be
    return False


def _private_temp() -> Path | None:
    """``<temp>/coopfacts-<uid>``, made for this user alone (mode 0700), or None where it cannot be
    trusted: not a directory of ours, or open to others. A cache holds pickles, which run code
    when read: a directory anyone else could write to must never be read from. POSIX only."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:
        return None
    import tempfile  # only here: most runs have a home cache

    path = Path(tempfile.gettempdir()) / f"coopfacts-{getuid()}"
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != getuid() or st.st_mode & 0o077:
        return None
    return path


def load_yaml(path: str | Path, text: str | None = None) -> Located:
    """A rule file parsed, with the line and column of every node.

    Parsing is most of a small run's start-up, so the result is kept in the user's cache
    directory under the hash of the file's bytes (a changed file is parsed anew; a cache
    that cannot be written is simply not used)."""
    path = str(path)
    cache = None
    if text is None:
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would wait for ever, /dev/zero never end
                raise RuleError(path, None, None, "not a regular file: a rule file must be a file")
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise RuleError(path, None, None, f"cannot read rule file: {exc.strerror or exc}") from None
        d = cache_dir()
        if d is not None:
            cache = d / (hex_digest(raw + _CACHE_SALT) + ".pickle")
            from coopfacts.rulebook.sealed import read_entry

            kept = read_entry(cache, cache.stem)  # checked before it is unpickled (None: parse)
            if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict):
                return Located(kept[0], kept[1], path)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RuleError(path, None, None, f"rule file is not UTF-8 (byte {exc.start})") from None
    import yaml  # only when a file is parsed: a cached file needs no YAML at all

    # libyaml's loader when present (several times faster); same nodes, same marks
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RuleError(path, 1, 1, "rule file is empty; expected a mapping of sections "
                                        "(language:, numbers:, units:, patterns:…)")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise RuleError(path, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                        f"YAML syntax error: {msg}") from None
    except yaml.YAMLError as exc:
        raise RuleError(path, None, None, f"YAML error: {exc}") from None
    except RecursionError:
        raise RuleError(path, None, None, "rule file nested too deeply to be a rule file") from None
    finally:
        loader.dispose()
    marks: dict[Path_, tuple[int, int]] = {}
    _index(node, (), marks, path)
    if cache is not None:
        from coopfacts.rulebook.sealed import write_entry

        write_entry(cache, cache.stem, (data, marks))  # or no cache this time
    return Located(data, marks, path)


def _index(root: yaml.Node, p0: Path_, marks: dict, path: str = "") -> None:
    """Line and column of every node. Iterative (a deeply nested file cannot exhaust the
    stack); an alias (&anchor / *alias) is refused: rule files have no use for them, and a few
    nested aliases can stand for billions of nodes ("billion laughs")."""
    import yaml

    keys = yaml.SafeLoader("")
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Path_, tuple[int, int] | None]] = [(root, p0, None)]
    while stack:
        node, p, key_mark = stack.pop()
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in seen:
                raise RuleError(path, node.start_mark.line + 1, node.start_mark.column + 1,
                                "YAML aliases (&anchor / *alias) are not allowed in rule files")
            seen.add(id(node))
        # a key's own line is the better place to point at for its value
        marks[p] = key_mark or (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            lines: dict[Any, int] = {}  # a key given twice: YAML keeps the last silently, we refuse
            for knode, vnode in node.value:
                key = knode.value
                if isinstance(knode, yaml.ScalarNode) and knode.tag != "tag:yaml.org,2002:str":
                    key = keys.construct_object(knode)
                elif not isinstance(knode, yaml.ScalarNode):
                    raise RuleError(path, knode.start_mark.line + 1, knode.start_mark.column + 1,
                                    "a mapping key must be a plain value")
                try:
                    first = lines.get(key)
                    lines.setdefault(key, knode.start_mark.line + 1)
                except TypeError:  # an unhashable key: the shape check names it
                    first = None
                if first is not None:
                    raise RuleError(path, knode.start_mark.line + 1, knode.start_mark.column + 1,
                                    f"duplicate key {key!r} (first at line {first}); the second would replace "
                                    "the first: merge them")
                stack.append((vnode, p + (key,), (knode.start_mark.line + 1, knode.start_mark.column + 1)))
        elif isinstance(node, yaml.SequenceNode):
            for i, child in enumerate(node.value):
                stack.append((child, p + (i,), None))


# --- shapes -----------------------------------------------------------------

class Shape:
    """A kind of value a rule file may hold: ``check`` names what is wrong where; ``json_schema``
    says the same for editors (JSON Schema, draft 2020-12)."""

    name = "value"

    def check(self, doc: Located, value: Any, p: Path_) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:  # pragma: no cover - abstract
        raise NotImplementedError

    def key_schema(self) -> dict[str, Any]:
        """The schema of this shape used as a mapping key (JSON keys are strings)."""
        return {"type": "string"}


class Str(Shape):
    name = "a string"

    def __init__(self, nonempty: bool = True):
        self.nonempty = nonempty

    def check(self, doc, value, p):
        if not isinstance(value, str):
            raise doc.error(p, f"expected {self.name}, got {_kind(value)}")
        if self.nonempty and not value.strip():
            raise doc.error(p, "expected a non-empty string")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"\S"} if self.nonempty else {"type": "string"}

    def key_schema(self) -> dict[str, Any]:
        return self.json_schema()


class Bool(Shape):
    name = "true or false"

    def check(self, doc, value, p):
        if not isinstance(value, bool):
            raise doc.error(p, f"expected {self.name}, got {_kind(value)}")

    def json_schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Num(Shape):
    name = "a number"

    def __init__(self, integer: bool = False, minimum: float | None = None):
        self.integer = integer
        self.minimum = minimum
        if integer:
            self.name = "an integer"

    def check(self, doc, value, p):
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            raise doc.error(p, f"expected {self.name}, got {_kind(value)}")
        if self.minimum is not None and value < self.minimum:
            raise doc.error(p, f"expected a number >= {self.minimum}, got {value}")

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            out["minimum"] = self.minimum
        return out

    def key_schema(self) -> dict[str, Any]:  # YAML's `1: [un]` is the key "1" to a JSON reader
        number = r"^-?[0-9]+$" if self.integer else r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$"
        return {"type": "string", "pattern": number}


class OneOf(Shape):
    def __init__(self, *choices: str):
        self.choices = choices
        self.name = "one of " + ", ".join(choices)

    def check(self, doc, value, p):
        if value not in self.choices:
            raise doc.error(p, f"expected {self.name}, got {value!r}")

    def json_schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}

    def key_schema(self) -> dict[str, Any]:
        return self.json_schema()


class Either(Shape):
    def __init__(self, *shapes: Shape):
        self.shapes = shapes
        self.name = " or ".join(s.name for s in shapes)

    def check(self, doc, value, p):
        errors = []
        for s in self.shapes:
            try:
                s.check(doc, value, p)
                return
            except RuleError as exc:
                errors.append(exc)
        raise doc.error(p, f"expected {self.name}, got {_kind(value)}")

    def json_schema(self) -> dict[str, Any]:
        return {"anyOf": [s.json_schema() for s in self.shapes]}


class ListOf(Shape):
    def __init__(self, item: Shape):
        self.item = item
        self.name = f"a list of {item.name.removeprefix('a ').removeprefix('an ')}s"

    def check(self, doc, value, p):
        if not isinstance(value, list):
            raise doc.error(p, f"expected {self.name}, got {_kind(value)}")
        for i, v in enumerate(value):
            self.item.check(doc, v, p + (i,))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.json_schema()}


class MapOf(Shape):
    def __init__(self, key: Shape, value: Shape):
        self.key = key
        self.value = value
        self.name = f"a mapping of {key.name} to {value.name}"

    def check(self, doc, value, p):
        if not isinstance(value, dict):
            raise doc.error(p, f"expected {self.name}, got {_kind(value)}")
        for k, v in value.items():
            self.key.check(doc, k, p + (k,))
            self.value.check(doc, v, p + (k,))

    def json_schema(self) -> dict[str, Any]:
        return {"type": "object", "propertyNames": self.key.key_schema(),
                "additionalProperties": self.value.json_schema()}


class Obj(Shape):
    def __init__(self, fields: dict[str, Shape], required: tuple[str, ...] = (), name: str = "a mapping"):
        self.fields = fields
        self.required = required
        self.name = name

    def check(self, doc, value, p):
        if not isinstance(value, dict):
            raise doc.error(p, f"expected {self.name} with keys {', '.join(self.fields)}, got {_kind(value)}")
        for k in value:
            if k not in self.fields:
                raise doc.error(p + (k,), f"unknown key {k!r}; expected one of: {', '.join(self.fields)}")
        for k in self.required:
            if k not in value:
                raise doc.error(p, f"missing required key {k!r}")
        for k, v in value.items():
            self.fields[k].check(doc, v, p + (k,))

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object",
                               "properties": {k: f.json_schema() for k, f in self.fields.items()},
                               "additionalProperties": False}
        if self.name != "a mapping":
            out["description"] = self.name
        if self.required:
            out["required"] = list(self.required)
        return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{type(value).__name__} {value!r}"
