"""``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json


def render(report) -> str:
    data = {
        "version": 1,
        "tool": {"name": "lint-notes", "version": report.tool_version, "knowledge_base": report.kb_version},
        "findings": [f.to_dict() for f in report.findings],
        "skipped": [{"path": r.path, "reason": r.error} for r in report.files if r.error],
        "summary": report.summary(),
    }
    return json.dumps(data, ensure_ascii=False) + "\n"
