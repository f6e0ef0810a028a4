"""Rule files: where they are, their shape, and the compiled languages they make.

The names below are this layer's public face; the modules behind them may move.
"""
from coopfacts.rulebook.book import Rulebook, get_rulebook
from coopfacts.rulebook.language import Example, Language, LanguageInfo, Pattern, UnitEntry
from coopfacts.rulebook.schema import KINDS
from coopfacts.rulebook.shapes import RuleError
from coopfacts.rulebook.sources import packaged_rules_dir, rule_sources

__all__ = ["KINDS", "Example", "Language", "LanguageInfo", "Pattern", "RuleError", "Rulebook", "UnitEntry",
           "get_rulebook", "packaged_rules_dir", "rule_sources"]
