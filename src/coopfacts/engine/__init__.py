"""The engine: text in, claims (and numerals) out. Knows no language: every word it matches
comes from the rule files.

The names below are this layer's public face; the modules behind them may move.
"""
from coopfacts.engine.api import NUMBER_KINDS, Engine, load, parse_kinds
from coopfacts.engine.numeral_grammar import Numeral
from coopfacts.engine.windows import windowed_claims
from coopfacts.model import CLAIM_KINDS

__all__ = ["CLAIM_KINDS", "NUMBER_KINDS", "Engine", "Numeral", "load", "parse_kinds", "windowed_claims"]
