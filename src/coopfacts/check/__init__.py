"""Checking figures: against a reference table, within one article, across articles.

Extraction says what figures an article states; this package says which of them hold.
Everything here works on :class:`~coopfacts.model.Claim` objects (or the dicts
``Claim.to_dict()`` gives) and the text they were taken from, and returns :class:`Finding`
records:

- :func:`check_reference` links each claim to the rows of a reference table
  (:func:`load_reference`) that speak about it and gives a verdict: ``supported``,
  ``contradicted`` or ``unverified`` (``against``, ``reference``, ``cells``);
- :func:`check_internal` looks at one article alone: the same figure stated twice, different
  figures for the same counted thing, a stated multiple or change recomputed from the figures
  it relates, a part larger than its whole, a share above 100 % (``internal``, ``recompute``,
  ``parts``);
- :func:`check_across` groups the same figure found in several documents (``across``);
- :func:`check_document` gives one document's reference and internal findings;
- :func:`make_finding_writer` writes findings as a table, JSON, JSON Lines or CSV;
- :func:`load_check_cases` and :func:`score_check_cases` score ``check`` on a check corpus
  (articles with the findings they should give: precision and recall of ``contradicted``).

Values are compared in base units through the one unit registry (:mod:`coopfacts.units`);
qualifiers as the intervals they allow (:func:`claim_interval`); labels and counted nouns
after folding (:func:`fold`).
"""
from coopfacts.check.across import check_across
from coopfacts.check.against import check_reference
from coopfacts.check.cells import parse_tolerance, read_unit
from coopfacts.check.corpus import (
    CheckCase,
    CheckCorpusError,
    CheckScore,
    check_score_text,
    load_check_cases,
    score_check_cases,
)
from coopfacts.check.document import check_document
from coopfacts.check.findings import EXIT_CONTRADICTED, FINDING_FIELDS, VERDICTS, Finding, exit_status
from coopfacts.check.internal import check_internal
from coopfacts.check.intervals import Interval, claim_interval
from coopfacts.check.reference import ReferenceError, ReferenceRow, load_reference, parse_reference, reference_row
from coopfacts.check.text import fold
from coopfacts.check.writers import make_finding_writer

__all__ = [
    "CheckCase", "CheckCorpusError", "CheckScore", "check_score_text", "load_check_cases", "score_check_cases",
    "EXIT_CONTRADICTED", "FINDING_FIELDS", "VERDICTS", "Finding", "Interval", "ReferenceError", "ReferenceRow",
    "check_across", "check_document", "check_internal", "check_reference", "claim_interval", "exit_status",
    "fold", "load_reference", "make_finding_writer", "parse_reference", "parse_tolerance", "read_unit",
    "reference_row",
]
