"""Which files to lint: paths and folders -> an ordered list of note files."""

from __future__ import annotations

from pathlib import Path

from lint_notes.engine import LINTABLE_SUFFIXES


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to lint, and (path, reason) for paths that cannot be used."""
    found: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for p in paths:
        if p.is_dir():
            for child in sorted(_walk(p)):
                if child not in seen:
                    seen.add(child)
                    found.append(child)
        elif p.exists():
            if p not in seen:
                seen.add(p)
                found.append(p)
        else:
            problems.append((p, "no such file or directory"))
    return found, problems


def _walk(folder: Path):
    for child in folder.iterdir():
        if child.name.startswith("."):
            continue
        if child.is_dir():
            yield from _walk(child)
        elif child.suffix.lower() in LINTABLE_SUFFIXES:
            yield child
