"""Findings: what a rule says about a matched sentence. Plain data, shared by reporters."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from lint_notes.knowledge.model import Citation


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    claim: str
    verdict: str  # the verdict of what the note says (false when it contradicts a true claim)
    severity: str
    message: str
    text: str  # the sentence as written
    correction: str
    citations: tuple[Citation, ...]
    relation: str = "asserts"
    confidence: str = "high"
    fingerprint: str = ""
    start: int = 0  # character offsets in the file (LF-normalised)
    end: int = 0
    topic: str = ""
    cell: int = 0  # notebook cell (1-based) for .ipynb files, else 0
    cell_line: int = 0
    reasons: tuple[str, ...] = ()  # why the confidence is not high (how the sentence was read)
    also: tuple[str, ...] = ()  # other claims that flag the same mistake (their sources are cited too)

    def sort_key(self):
        return (self.path, self.line, self.column, self.claim)

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "claim": self.claim,
            "verdict": self.verdict,
            "severity": self.severity,
            "message": self.message,
            "text": self.text,
            "correction": self.correction,
            "citations": [
                {k: v for k, v in (("title", c.title), ("url", c.url), ("locator", c.locator), ("quote", c.quote))
                 if v}
                for c in self.citations
            ],
            "relation": self.relation,
            "confidence": self.confidence,
            **({"confidence_reasons": list(self.reasons)} if self.reasons else {}),
            **({"also_claims": list(self.also)} if self.also else {}),
            "fingerprint": self.fingerprint,
            **({"cell": self.cell, "cell_line": self.cell_line} if self.cell else {}),
        }


def fingerprint(claim_id: str, normalized_sentence: str) -> str:
    return hashlib.sha256(f"{claim_id}\0{normalized_sentence}".encode()).hexdigest()[:20]


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    statements: int = 0  # sentences read as assertions
    verified: int = 0  # statements each of whose claim-bearing parts a claim checked and found right
    checked: int = 0  # statements some claim spoke to (verified, flagged, or partly checked)
    error: str | None = None  # why the file was skipped
    language: str = "zh"
    suppressed: int = 0
    verified_spans: list = field(default_factory=list)  # (start, end, claim id) of verified statements
    verified_statements: list = field(default_factory=list)  # {"line", "end_line", "claims"} of each
    unused_suppressions: list = field(default_factory=list)  # suppress.Directive
    suppression_ids: list = field(default_factory=list)  # (line, id) of every id a suppression comment names
