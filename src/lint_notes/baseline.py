"""Baselines: record today's findings, then report only new ones.

An entry is the file, the claim id and the fingerprint of the normalised sentence, so edits
elsewhere in a file that shift lines do not bring old findings back. Counts are kept, so a
second copy of the same wrong sentence is new.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from lint_notes.errors import KnowledgeError, Problem

VERSION = 1


def _key(f) -> tuple[str, str, str]:
    return (Path(f.path).as_posix(), f.claim, f.fingerprint)


def write(path: Path, findings) -> int:
    from lint_notes.safewrite import write_text_atomic

    entries = [
        {"path": Path(f.path).as_posix(), "claim": f.claim, "fingerprint": f.fingerprint, "text": f.text}
        for f in sorted(findings, key=lambda f: f.sort_key())
    ]
    write_text_atomic(path, json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=2) + "\n")
    return len(entries)


def load(path: Path) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KnowledgeError([Problem(str(path), 0, "baseline file not found (create it with --write-baseline)")]) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KnowledgeError([Problem(str(path), getattr(exc, "lineno", 0), f"not a valid baseline file: {exc}")]) from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), list):
        raise KnowledgeError([Problem(str(path), 1, f"not a lint-notes baseline (version {VERSION} expected)")])
    counts: Counter = Counter()
    for e in data["findings"]:
        if isinstance(e, dict) and {"path", "claim", "fingerprint"} <= e.keys():
            counts[(str(e["path"]), str(e["claim"]), str(e["fingerprint"]))] += 1
    return counts


def filter_new(findings, known: Counter) -> tuple[list, int]:
    """Findings not in the baseline, and how many were matched by it."""
    left = Counter(known)
    new, matched = [], 0
    for f in sorted(findings, key=lambda f: f.sort_key()):
        k = _key(f)
        if left[k] > 0:
            left[k] -= 1
            matched += 1
        else:
            new.append(f)
    return new, matched
