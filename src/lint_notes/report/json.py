"""``{"version": 1, "findings": [...], "summary": {...}}``, streamed one finding at a time."""

from __future__ import annotations

import io
import json


def write(report, fh) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    tool = {"name": "lint-notes", "version": report.tool_version, "knowledge_base": report.kb_version}
    fh.write('{"version": 1, "tool": ' + dumps(tool) + ', "findings": [')
    for i, f in enumerate(report.findings):
        fh.write(("," if i else "") + dumps(f.to_dict()))
    skipped = [{"path": r.path, "reason": r.error} for r in report.files if r.error]
    verified = [{"path": r.path, **v} for r in report.files for v in r.verified_statements]
    fh.write('], "verified": ' + dumps(verified) + ', "skipped": ' + dumps(skipped) +
             ', "summary": ' + dumps(report.summary()) + "}\n")


def render(report) -> str:
    buf = io.StringIO()
    write(report, buf)
    return buf.getvalue()
