"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

KIND = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    out = []
    for f in report.findings:
        props = (f"file={_prop(f.path)},line={f.line},col={f.column},endLine={f.end_line},"
                 f"endColumn={f.end_column},title={_prop(f'lint-notes [{f.claim}] {f.verdict}')}")
        out.append(f"::{KIND.get(f.severity, 'warning')} {props}::{_data(f.message)}")
    for r in report.files:
        if r.error:
            out.append(f"::warning file={_prop(r.path)},title=lint-notes skipped::{_data(r.error)}")
    return "\n".join(out) + ("\n" if out else "")
