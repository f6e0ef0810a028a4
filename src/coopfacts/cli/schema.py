"""``coopfacts schema``: the JSON Schema of one claim record, as shipped in the package."""
from __future__ import annotations

import sys

from coopfacts.cli.common import guarded, utf8_stdout


def schema_text() -> str:
    from coopfacts.resources import package_text

    return package_text("claim.schema.json")


@guarded
def schema_cmd() -> None:
    """Print the JSON Schema of one claim record."""
    utf8_stdout()
    print(schema_text(), end="")
    sys.stdout.flush()  # a full disk or a closed pipe said here, by guarded(), not at exit
