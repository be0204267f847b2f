"""``path:line:col: severity [claim-id] message`` lines and a summary."""

from __future__ import annotations

from collections import Counter

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _DIM, _BOLD = "\033[0m", "\033[2m", "\033[1m"


def render(report) -> str:
    lines = []
    color = report.color
    for f in report.findings:
        sev = f"{_COLORS[f.severity]}{f.severity}{_RESET}" if color else f.severity
        loc = f"{_BOLD}{f.path}:{f.line}:{f.column}{_RESET}" if color else f"{f.path}:{f.line}:{f.column}"
        where = f" (cell {f.cell}, line {f.cell_line})" if f.cell else ""
        lines.append(f"{loc}: {sev} [{f.claim}] {f.message}{where}")
    for r in report.files:
        if r.error:
            lines.append(f"{r.path}: skipped: {r.error}")
    if report.statistics and report.findings:
        lines.append("")
        lines.extend(statistics_lines(report.findings))
    if report.quiet:
        return "\n".join(lines) + ("\n" if lines else "")
    s = report.summary()
    verdicts = ", ".join(f"{n} {v}" for v, n in s["by_verdict"].items()) or "none"
    summary = (f"{s['files']} file{'s' if s['files'] != 1 else ''} checked, {s['statements']} statements, "
               f"{s['verified']} verified, {s['findings']} flagged ({verdicts})")
    if s["skipped"]:
        summary += f", {s['skipped']} skipped"
    if s["suppressed"]:
        summary += f", {s['suppressed']} suppressed"
    if s["baseline"]:
        summary += f", {s['baseline']} in baseline"
    lines.append(f"{_DIM}{summary}{_RESET}" if color else summary)
    return "\n".join(lines) + "\n"


def statistics_lines(findings) -> list[str]:
    counts = Counter((f.claim, f.verdict, f.severity) for f in findings)
    width = max(len(c) for c, _, _ in counts)
    out = [f"{'count':>5}  {'claim':<{width}}  verdict     severity"]
    for (claim, verdict, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"{n:>5}  {claim:<{width}}  {verdict:<10}  {severity}")
    return out
