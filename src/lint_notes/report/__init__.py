"""Reporters: one module per output format, one registry.

A reporter is a function ``render(report: Report) -> str``. New formats register here and
nowhere else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from importlib import import_module

from lint_notes.findings import FileResult, Finding

FORMATS = {
    "text": "lint_notes.report.text",
    "json": "lint_notes.report.json",
    "sarif": "lint_notes.report.sarif",
    "github": "lint_notes.report.github",
    "junit": "lint_notes.report.junit",
}


@dataclass
class Report:
    files: list[FileResult]
    findings: list[Finding] = field(default_factory=list)
    color: bool = False
    kb_version: str = ""
    tool_version: str = ""
    statistics: bool = False
    claims: dict = field(default_factory=dict)  # claim id -> Claim, for rule metadata
    quiet: bool = False
    baseline_matched: int = 0
    dismissed: int = 0  # findings hidden because a reviewer dismissed them
    output_format: str = "full"  # text only: full (code frames) | concise (one line) | grouped (by file)
    width: int = 0  # text only: columns to wrap to (0: 100)
    sources: dict = field(default_factory=dict)  # path -> text of notes not on disk (standard input)
    _source: tuple = (None, None)

    def source(self, path: str):
        """The LF text of a linted note (``frame.SourceText``), or None; one file is kept at a time."""
        from lint_notes.report.frame import SourceText, read_source

        if self._source[0] != path:
            text = self.sources.get(path)
            self._source = (path, SourceText.of(text) if text is not None else read_source(path))
        return self._source[1]

    def summary(self) -> dict:
        by_verdict = Counter(f.verdict for f in self.findings)
        by_severity = Counter(f.severity for f in self.findings)
        return {
            "files": sum(1 for f in self.files if f.error is None),
            "skipped": sum(1 for f in self.files if f.error is not None),
            "statements": sum(f.statements for f in self.files),
            "checked": sum(f.checked for f in self.files),
            "unchecked": sum(max(0, f.statements - f.checked) for f in self.files),
            "verified": sum(f.verified for f in self.files),
            "findings": len(self.findings),
            "by_verdict": dict(sorted(by_verdict.items())),
            "by_severity": dict(sorted(by_severity.items())),
            "suppressed": sum(f.suppressed for f in self.files),
            "baseline": self.baseline_matched,
            "dismissed": self.dismissed,
        }


def _module(fmt: str):
    try:
        return import_module(FORMATS[fmt])
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None


def render(fmt: str, report: Report) -> str:
    return _module(fmt).render(report)


def write(fmt: str, report: Report, fh) -> None:
    """Stream the report to a text file object (no whole-report string for large runs)."""
    module = _module(fmt)
    if hasattr(module, "write"):
        module.write(report, fh)
    else:
        fh.write(module.render(report))
