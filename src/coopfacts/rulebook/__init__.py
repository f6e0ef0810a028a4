"""Rule files: where they are, their shape, and the compiled languages they make.

The names below are this layer's public face; the modules behind them may move.
"""
from coopfacts.rulebook.book import KINDS, Example, Language, LanguageInfo, Rulebook, get_rulebook, rule_sources
from coopfacts.rulebook.shapes import RuleError

__all__ = ["KINDS", "Example", "Language", "LanguageInfo", "RuleError", "Rulebook", "get_rulebook", "rule_sources"]
