"""Inputs to texts: files, directories, standard input and JSON Lines corpora become documents
(or failures with a one-line reason).  This package knows texts, not claims.

The names below are this layer's public face; the modules behind them may move:
:mod:`~coopfacts.io.decode` (bytes to text), :mod:`~coopfacts.io.failures`,
:mod:`~coopfacts.io.documents` (paths), :mod:`~coopfacts.io.jsonl` (corpora),
:mod:`~coopfacts.io.stream` (large inputs) and :mod:`~coopfacts.io.sources` (the inputs of a run).

``STREAM_OVER`` here is a copy: to change the size from which inputs are streamed, set
``coopfacts.io.stream.STREAM_OVER``.
"""
from coopfacts.io.decode import DecodeProblem, binary_reason, decode, guess_legacy_encoding
from coopfacts.io.documents import STDIN_ID, document_id, expand_path, iter_documents, load_documents, read_document
from coopfacts.io.failures import Failure, InputProblem, failure_kind, failure_summary
from coopfacts.io.jsonl import is_jsonl_path, iter_jsonl
from coopfacts.io.sources import INPUT_FORMATS, Item, Source, iter_sources, known_total, plan_sources, walked_suffixes
from coopfacts.io.stream import STREAM_OVER, StreamedDocument

__all__ = ["INPUT_FORMATS", "STDIN_ID", "STREAM_OVER", "DecodeProblem", "Failure", "InputProblem", "Item", "Source",
           "StreamedDocument", "binary_reason", "decode", "document_id", "expand_path", "failure_kind",
           "failure_summary", "guess_legacy_encoding", "is_jsonl_path", "iter_documents", "iter_jsonl",
           "iter_sources", "known_total", "load_documents", "plan_sources", "read_document", "walked_suffixes"]
