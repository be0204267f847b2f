"""SARIF 2.1.0, as GitHub code scanning accepts it: one rule per claim, citations in the help."""

from __future__ import annotations

import json
from pathlib import Path

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFO_URI = "https://github.com/lint-notes/lint-notes"


def _uri(path: str) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return p.as_uri()
    return p.as_posix()


def _rule(claim_id: str, claim, level: str) -> dict:
    if claim is None:
        return {"id": claim_id, "defaultConfiguration": {"level": level}}
    cites = "\n".join(f"- [{c.title}]({c.url}), {c.locator}" + (f': "{c.quote}"' if c.quote else "")
                      for c in claim.citations)
    correction = claim.correction or claim.statement
    rule = {
        "id": claim.id,
        "name": claim.id.replace("/", "-"),
        "shortDescription": {"text": claim.statement},
        "fullDescription": {"text": f"Verdict: {claim.verdict}. {correction}"},
        "help": {
            "text": f"{claim.statement} ({claim.verdict})\n{correction}\n"
                    + "\n".join(f"{c.title}, {c.locator}: {c.url}" for c in claim.citations),
            "markdown": f"**{claim.statement}** ({claim.verdict})\n\n{correction}\n\n"
                        f"{claim.correction_zh}\n\nSources:\n{cites}",
        },
        "defaultConfiguration": {"level": level},
        "properties": {"tags": [claim.topic, claim.verdict][:20]},
    }
    if claim.citations:
        rule["helpUri"] = claim.citations[0].url
    return rule


def render(report) -> str:
    rules: list[dict] = []
    index: dict[str, int] = {}
    results = []
    for f in report.findings:
        level = LEVELS.get(f.severity, "warning")
        if f.claim not in index:
            index[f.claim] = len(rules)
            rules.append(_rule(f.claim, report.claims.get(f.claim), level))
        results.append({
            "ruleId": f.claim,
            "ruleIndex": index[f.claim],
            "level": level,
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path)},
                    "region": {"startLine": f.line, "startColumn": f.column,
                               "endLine": f.end_line, "endColumn": f.end_column,
                               "snippet": {"text": f.text}},
                }
            }],
            "partialFingerprints": {"lintNotesSentence/v1": f.fingerprint},
            "properties": {"verdict": f.verdict, "rule": f.rule, "confidence": f.confidence},
        })
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "lint-notes", "version": report.tool_version or "0",
                                "informationUri": INFO_URI, "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": [
                    {"level": "warning", "message": {"text": f"skipped: {r.error}"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]}
                    for r in report.files if r.error
                ],
            }],
        }],
    }
    return json.dumps(log, ensure_ascii=False) + "\n"
