"""lint-notes: a fact-linter for study notes about large language models."""

__version__ = "0.1.0"
