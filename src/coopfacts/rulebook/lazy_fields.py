"""Fields of a compiled language unpickled at their first reading.

A compiled language is loaded from the rule cache at each start, and most of that load is its
patterns' regexes (`regex` rebuilds each from its compiled code). A run reads few of them: a
pattern is not searched in a text that lacks what each of its matches holds
(prefixes.held_literals), and in a run of one article most patterns are not. So a pattern's
regex, and the worked examples that only ``coopfacts rules test`` reads, are pickled apart,
as bytes inside the language's own pickle, and unpickled when they are first read.
"""
from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any, ClassVar

_BLOB = "_pickled_"  # the key, in an object's state, of a lazy field's pickle: _pickled_<field>


class LazyFields:
    """A mix-in for a dataclass: its fields named in ``LAZY`` are pickled on their own and
    unpickled at their first reading. A lazy field has no class attribute (no plain default):
    reading it where the instance lacks it must reach ``__getattr__``."""

    __slots__ = ()
    LAZY: ClassVar[tuple[str, ...]] = ()

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in self.LAZY:
            if name in state:
                state[_BLOB + name] = pickle.dumps(state.pop(name), protocol=pickle.HIGHEST_PROTOCOL)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # written out: pickle would otherwise look for it on the instance, through __getattr__
        self.__dict__.update(state)

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise allow any attribute at all
        def __getattr__(self, name: str) -> Any:
            # reached only when the instance lacks ``name``: a lazy field not read yet
            if name in type(self).LAZY:
                held = self.__dict__
                blob = held.get(_BLOB + name)
                if blob is not None:
                    value = pickle.loads(blob)  # our own cache entry, sealed and checked before
                    held[name] = value  # set before the blob goes: another thread finds one or the other
                    held.pop(_BLOB + name, None)
                    return value
                if name in held:  # another thread unpickled it meanwhile
                    return held[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
