"""The engine: text in, claims (and numerals) out. Knows no language: every word it matches
comes from the rule files.

The names below are this layer's public face; the modules behind them may move.
"""
from coopfacts.engine.api import CLAIM_KINDS, NUMBER_KINDS, Engine, load, parse_kinds
from coopfacts.engine.windows import windowed_claims

__all__ = ["CLAIM_KINDS", "NUMBER_KINDS", "Engine", "load", "parse_kinds", "windowed_claims"]
