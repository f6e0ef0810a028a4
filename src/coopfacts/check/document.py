"""One call for a document: reference findings (when a table is given), then internal findings."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from coopfacts.check.against import check_reference
from coopfacts.check.figures import as_claim
from coopfacts.check.findings import Finding
from coopfacts.check.internal import check_internal
from coopfacts.check.reference import ReferenceRow
from coopfacts.model import Claim


def check_document(claims: Iterable[Claim | dict], text: str | None, *,
                   reference: Sequence[ReferenceRow] | None = None, internal: bool = True, rulebook: Any = None,
                   default_tolerance: tuple[float, bool] | None = None) -> list[Finding]:
    """Reference findings (when a table is given) then internal findings, for one document.
    The claims first, then their text, as :func:`check_reference` and :func:`check_internal`."""
    if isinstance(claims, str):
        raise TypeError("check_document(claims, text): the claims come first, then the text they were taken from")
    claims = [as_claim(c) for c in claims]
    out: list[Finding] = []
    if reference:
        out += check_reference(claims, text, reference, rulebook=rulebook, default_tolerance=default_tolerance)
    if internal:
        out += check_internal(claims, text, rulebook=rulebook)
    return out
