"""Inline suppressions, applied after matching (as yamllint does), so rules never see them.

Markdown (HTML comments)::

    <!-- lint-notes-disable-next-line gpt3-uses-post-ln -- quoting the wrong answer on purpose -->
    <!-- lint-notes-disable-line -->            (on the line of the statement)
    <!-- lint-notes-disable false-claim -->  ...  <!-- lint-notes-enable -->
    <!-- lint-notes-disable-file -->

Plain text: the same words after ``#``, ``//`` or ``%`` at the start of a line. The ids may be
claim ids, rule ids or topics (glob patterns allowed); none means everything. Text after ``--``
is the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

_KINDS = "disable-next-line|disable-line|disable-file|disable|enable"
_HTML = re.compile(r"<!--\s*lint-notes-(" + _KINDS + r")\b(.*?)-->", re.S)
_PLAIN = re.compile(r"^[ \t]*(?:#|//|%)[ \t]*lint-notes-(" + _KINDS + r")\b(.*)$", re.M)


@dataclass
class Directive:
    kind: str
    ids: tuple[str, ...]
    reason: str
    line: int  # where the comment starts
    end_line: int  # where it ends
    target: int = 0  # for next-line / line
    used: bool = False
    closes: int = 0  # for a range: the line of the matching enable (0: end of file)
    children: list = field(default_factory=list)

    def covers(self, finding) -> bool:
        if not self.ids:
            return True
        keys = (finding.claim, finding.rule, finding.topic)
        return any(fnmatchcase(k, pat) for pat in self.ids for k in keys if k)


def _parse_args(raw: str) -> tuple[tuple[str, ...], str]:
    raw = raw.strip()
    reason = ""
    if "--" in raw:
        raw, reason = raw.split("--", 1)
    ids = tuple(x for x in re.split(r"[\s,]+", raw.strip()) if x)
    return ids, reason.strip()


def parse(text: str, markdown: bool, skip_lines: set[int] | None = None) -> list[Directive]:
    """Directives in a document (LF line endings); lines in ``skip_lines`` (code) are ignored."""
    skip_lines = skip_lines or set()
    rx = _HTML if markdown else _PLAIN
    lines_text = text.split("\n")
    out: list[Directive] = []
    for m in rx.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        if line in skip_lines:
            continue
        end_line = text.count("\n", 0, m.end()) + 1
        ids, reason = _parse_args(m.group(2))
        d = Directive(m.group(1), ids, reason, line, end_line)
        if d.kind == "disable-line":
            d.target = line
        elif d.kind == "disable-next-line":
            t = end_line + 1
            while t <= len(lines_text) and not lines_text[t - 1].strip():
                t += 1
            d.target = t
        out.append(d)
    # pair ranges: an enable closes the open disables it names (or all of them)
    open_ranges: list[Directive] = []
    for d in out:
        if d.kind == "disable":
            open_ranges.append(d)
        elif d.kind == "enable":
            for r in list(open_ranges):
                if not d.ids or set(r.ids) & set(d.ids) or not r.ids:
                    r.closes = d.line
                    open_ranges.remove(r)
    return out


def apply(findings: list, directives: list[Directive]) -> tuple[list, list]:
    """Split findings into (kept, suppressed); marks the directives that were used."""
    kept, suppressed = [], []
    for f in findings:
        hit = None
        for d in directives:
            if d.kind == "enable":
                continue
            if d.kind in ("disable-line", "disable-next-line"):
                inside = f.line <= d.target <= f.end_line
            elif d.kind == "disable-file":
                inside = True
            else:
                inside = f.line > d.end_line and (d.closes == 0 or f.line < d.closes)
            if inside and d.covers(f):
                hit = d
                break
        if hit is None:
            kept.append(f)
        else:
            hit.used = True
            suppressed.append(f)
    return kept, suppressed
