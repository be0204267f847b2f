"""Text output for people, in three layouts (``--output-format``):

- ``full`` (default): a code frame per finding: ``path:line:col severity [claim-id] verdict``, the
  sentence with ``^`` under it, then ``claim:``, ``correction:`` and ``source:`` lines wrapped to
  the terminal's width;
- ``concise``: one line per finding, ``path:line:col: severity [claim-id] message`` (for scripts
  and editors that parse lines);
- ``grouped``: findings under their file's name, one short line each (as ESLint's stylish).

All three end with the same summary line.
"""

from __future__ import annotations

import re
from collections import Counter

from lint_notes.report.frame import DEFAULT_WIDTH, code_frame, labelled, text_width, truncate

OUTPUT_FORMATS = ("full", "concise", "grouped")

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_RESET, _DIM, _BOLD = "\033[0m", "\033[2m", "\033[1m"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def render(report) -> str:
    style = getattr(report, "output_format", "full") or "full"
    if style == "concise":
        lines = _concise(report)
    elif style == "grouped":
        lines = _grouped(report)
    else:
        lines = _full(report)
    for r in report.files:
        if r.error:
            lines.append(f"{r.path}: skipped: {r.error}")
    if report.statistics and report.findings:
        lines.append("")
        lines.extend(statistics_lines(report.findings))
    if report.quiet:
        return "\n".join(lines) + ("\n" if lines else "")
    summary = summary_line(report)
    lines.append(f"{_DIM}{summary}{_RESET}" if report.color else summary)
    return "\n".join(lines) + "\n"


def summary_line(report) -> str:
    s = report.summary()
    verdicts = ", ".join(f"{n} {v}" for v, n in s["by_verdict"].items()) or "none"
    summary = (f"{s['files']} file{'s' if s['files'] != 1 else ''} checked, {s['statements']} statements, "
               f"{s['verified']} verified, {s['findings']} flagged ({verdicts})")
    for key, words in (("skipped", "skipped"), ("suppressed", "suppressed"), ("dismissed", "dismissed"),
                       ("baseline", "in baseline")):
        if s.get(key):
            summary += f", {s[key]} {words}"
    return summary


def where(f) -> str:
    """`` (cell N, line L)`` for a notebook finding, else nothing."""
    return f" (cell {f.cell}, line {f.cell_line})" if f.cell else ""


def _paint(report, code: str, text: str) -> str:
    return f"{code}{text}{_RESET}" if report.color else text


# --- concise -------------------------------------------------------------------------------------
def _concise(report) -> list[str]:
    lines = []
    for f in report.findings:
        sev = _paint(report, _COLORS.get(f.severity, ""), f.severity)
        loc = _paint(report, _BOLD, f"{f.path}:{f.line}:{f.column}")
        lines.append(f"{loc}: {sev} [{f.claim}] {f.message}{where(f)}")
    return lines


# --- full ----------------------------------------------------------------------------------------
def is_zh(f) -> bool:
    """Whether the finding speaks Chinese (its correction was chosen in the note's language)."""
    return bool(_CJK.search(f.correction or f.message))


def claim_text(f, claim) -> str:
    """What the ``claim:`` line says: the claim's statement, in the finding's language."""
    if claim is None:
        return f.message
    zh = is_zh(f)
    statement = (claim.statement_zh if zh and claim.statement_zh else claim.statement)
    if f.relation == "denies":
        return statement + (" （已核实；笔记与之相反）" if zh else " (verified; the note contradicts it)")
    return statement


def finding_lines(report, f, width: int) -> list[str]:
    """One finding as a code frame with labelled lines (no trailing blank line)."""
    color = _COLORS.get(f.severity, "")
    head = (f"{_paint(report, _BOLD, f'{f.path}:{f.line}:{f.column}')} {_paint(report, color, f.severity)} "
            f"[{f.claim}] {_paint(report, _BOLD, f.verdict)}{where(f)}")
    if f.confidence == "low":
        head += " (low confidence: a name was matched despite a typo)"
    out = [head]
    mark = (lambda s: f"{color}{s}{_RESET}") if report.color else None
    src = report.source(f.path)
    if f.text:
        out += code_frame(src, f.start, f.end, f.text, width, line_label=f.cell_line or f.line, mark=mark)
    elif src is not None and not f.cell and 0 < f.line <= len(src.line_starts):
        start, line = src.line(f.line - 1)  # a finding about a line (a suppression comment)
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out += code_frame(src, start + lead, start + len(line.rstrip()), line.strip(), width, mark=mark)
    claim = report.claims.get(f.claim)
    if claim is not None:
        out += labelled("claim", claim_text(f, claim), width)
    else:
        out += labelled("message", f.message, width)
    statement = claim and (claim.statement_zh if is_zh(f) and claim.statement_zh else claim.statement)
    if f.correction and not (f.relation == "denies" and f.correction == statement):
        out += labelled("correction", f.correction, width)
    for c in f.citations:
        out += labelled("source", f"{c.title}, {c.locator} <{c.url}>", width)
    if report.color:
        out = [_label_dim(line) for line in out]
    return out


_LABEL = re.compile(r"^(  )(claim:|correction:|source:|message:)")


def _label_dim(line: str) -> str:
    return _LABEL.sub(lambda m: f"{m.group(1)}{_DIM}{m.group(2)}{_RESET}", line)


def _full(report) -> list[str]:
    width = report.width or DEFAULT_WIDTH
    lines: list[str] = []
    for f in report.findings:
        lines += finding_lines(report, f, width)
        lines.append("")
    return lines


# --- grouped -------------------------------------------------------------------------------------
def _grouped(report) -> list[str]:
    width = report.width or DEFAULT_WIDTH
    lines: list[str] = []
    by_path: dict[str, list] = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    for path, found in by_path.items():
        lines.append(_paint(report, _BOLD + "\033[4m", path) if report.color else path)
        locs = [f"{f.line}:{f.column}" + (f" (cell {f.cell})" if f.cell else "") for f in found]
        loc_w = max(len(x) for x in locs)
        sev_w = max(len(f.severity) for f in found)
        ver_w = max(len(f.verdict) for f in found)
        for f, loc in zip(found, locs):
            claim = report.claims.get(f.claim)
            what = claim_text(f, claim) if claim is not None else f.message
            lead = f"  {loc:<{loc_w}}  {f.severity:<{sev_w}}  {f.verdict:<{ver_w}}  "
            tail = f"  {f.claim}"
            room = width - len(lead) - len(tail)
            text = truncate(what, room) if room >= 12 else ""
            text += " " * max(0, room - text_width(text)) if room >= 12 else ""
            if report.color:
                lead = lead.replace(f.severity, _paint(report, _COLORS.get(f.severity, ""), f.severity), 1)
                tail = _paint(report, _DIM, tail)
            lines.append((lead + text + tail).rstrip())
        lines.append("")
    if report.findings:
        sev = Counter(f.severity for f in report.findings)
        parts = [f"{sev[k]} {k}{'s' if sev[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info") if sev[k]]
        n = len(report.findings)
        lines.append(f"{n} problem{'s' if n != 1 else ''} ({', '.join(parts)})")
    return lines


def statistics_lines(findings) -> list[str]:
    counts = Counter((f.claim, f.verdict, f.severity) for f in findings)
    width = max(len(c) for c, _, _ in counts)
    out = [f"{'count':>5}  {'claim':<{width}}  verdict     severity"]
    for (claim, verdict, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        out.append(f"{n:>5}  {claim:<{width}}  {verdict:<10}  {severity}")
    return out
