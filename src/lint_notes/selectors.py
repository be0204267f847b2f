"""What ``--select``, ``--ignore``, ``severity`` and suppression comments may name: claim ids, topics
and rule ids of the loaded knowledge base (glob patterns for select, ignore and suppressions).

A name that is none of these, or a glob that matches none of them, is an error with the closest
known names as suggestions, so that a typo never turns a check off in silence.
"""

from __future__ import annotations

import difflib
from fnmatch import fnmatchcase

from lint_notes.errors import Problem

GLOB_CHARS = set("*?[")
EXTRA_RULES = ("unused-suppression",)  # rules that come from the linter itself, not from rule files


def is_glob(pattern: str) -> bool:
    return any(ch in GLOB_CHARS for ch in pattern)


class Vocabulary:
    """The claim ids, topics and rule ids of a knowledge base."""

    def __init__(self, kb):
        self.claims = set(kb.claims)
        self.topics = {c.topic for c in kb.claims.values() if c.topic}
        self.rules = {r.id for r in kb.rules} | set(EXTRA_RULES)
        self.names = self.claims | self.topics | self.rules
        self._sorted = sorted(self.names)

    def matches(self, pattern: str) -> bool:
        if not is_glob(pattern):
            return pattern in self.names
        return any(fnmatchcase(n, pattern) for n in self._sorted)

    def suggest(self, word: str, n: int = 3) -> list[str]:
        return suggest(word, self._sorted, n)

    def problem(self, pattern: str, exact: bool = False) -> str | None:
        """Why ``pattern`` names nothing, with suggestions; None when it is fine.

        ``exact``: globs are not allowed (severity keys are looked up as they are written)."""
        if not isinstance(pattern, str) or not pattern:
            return f"{pattern!r} is not a claim id, topic or rule"
        if exact and is_glob(pattern):
            hint = self.suggest(pattern.replace("*", "").replace("?", ""))
            return (f"{pattern!r}: severity takes exact claim ids, topics or rules, not glob patterns"
                    + did_you_mean(hint))
        if self.matches(pattern):
            return None
        if is_glob(pattern):
            stem = "".join(ch for ch in pattern if ch not in "*?[]")
            hint = [n for n in self.suggest(stem, 6) if n.startswith(stem[:3])][:3] or self.suggest(stem)
            return f"{pattern!r} matches no claim id, topic or rule" + did_you_mean(hint)
        return f"unknown claim id, topic or rule {pattern!r}" + did_you_mean(self.suggest(pattern))


def suggest(word: str, known, n: int = 3) -> list[str]:
    """Up to ``n`` known names close to ``word`` (typos, a missing or extra part)."""
    known = list(known)
    close = difflib.get_close_matches(word, known, n=n, cutoff=0.75)
    if len(close) < n:
        lowered = word.lower()
        for k in known:  # a name that contains the word, or the word a name (a prefix typed)
            if len(close) >= n:
                break
            if k not in close and len(lowered) >= 4 and (lowered in k or k in lowered and len(k) >= 4):
                close.append(k)
    if not close:
        close = difflib.get_close_matches(word, known, n=n, cutoff=0.6)
    return close


def did_you_mean(names: list[str]) -> str:
    if not names:
        return ""
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return f" (did you mean {quoted[0]}?)"
    return f" (did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?)"


def check_options(vocab: Vocabulary, select=(), ignore=()) -> list[Problem]:
    """Problems with ``--select`` and ``--ignore`` given on the command line."""
    out = []
    for option, patterns in (("--select", select), ("--ignore", ignore)):
        for p in patterns:
            why = vocab.problem(p)
            if why:
                out.append(Problem(option, 0, why))
    return out


def check_config(vocab: Vocabulary, cfg) -> list[Problem]:
    """Problems with a configuration's ``select``, ``ignore`` and ``severity``."""
    if cfg is None or cfg.path is None:
        return []
    out = []
    lines = getattr(cfg, "key_lines", {}) or {}
    for key in ("select", "ignore"):
        for p in getattr(cfg, key):
            why = vocab.problem(p)
            if why:
                out.append(Problem(str(cfg.path), lines.get(key, 0), f"{key}: {why}"))
    for name in cfg.severity:
        why = vocab.problem(name, exact=True)
        if why:
            out.append(Problem(str(cfg.path), lines.get("severity", 0), f"severity: {why}"))
    return sorted(out, key=lambda p: p.line)


def check_suppressions(vocab: Vocabulary, results) -> list[Problem]:
    """Suppression comments that name unknown claim ids, topics or rules."""
    out = []
    for r in results:
        for line, name in getattr(r, "suppression_ids", ()) or ():
            why = vocab.problem(name)
            if why:
                out.append(Problem(r.path, line, f"suppression comment: {why}"))
    return out
