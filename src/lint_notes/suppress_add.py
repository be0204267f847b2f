"""Write suppression comments for findings (``lint-notes suppress --add``, and the editor's
"suppress" action), changing nothing else in the file.

Markdown: ``<!-- lint-notes-disable-line ID... -->`` at the end of the last line of the flagged
sentence (before a trailing hard break; inside the last cell of a table row), one comment per line
naming every claim flagged there. Plain text: ``# lint-notes-disable-next-line ID...`` on a line of
its own above the sentence (plain text has no inline comments). Both render as nothing, and both
are read back by the linter as suppressing exactly those findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lint_notes.text.markdown import parse_markdown, to_lf


@dataclass(frozen=True)
class Insertion:
    offset: int  # in the LF-normalised text
    text: str  # LF line endings
    line: int  # 1-based line the comment is on (after insertion: the sentence's line)
    ids: tuple[str, ...]


def clean_reason(reason: str) -> str:
    """A reason that cannot end the comment or split a table row."""
    reason = " ".join((reason or "").split())
    return reason.replace("-->", "->").replace("--", "—").replace("|", "/")


def _comment(kind: str, ids, reason: str, markdown: bool) -> str:
    body = f"lint-notes-{kind} {' '.join(ids)}"
    if reason:
        body += f" -- {reason}"
    return f"<!-- {body} -->" if markdown else f"# {body}"


_TRAILING = re.compile(r"(?:[ \t]*\\|[ \t]*)$")


def plan(text: str, findings, markdown: bool = True, reason: str = "") -> list[Insertion]:
    """Where to insert which comment so that each finding is suppressed (``text``: LF endings)."""
    reason = clean_reason(reason)
    text = to_lf(text)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        from bisect import bisect_right

        return bisect_right(starts, offset) - 1

    def line_end(index: int) -> int:
        return starts[index + 1] - 1 if index + 1 < len(starts) else len(text)

    by_line: dict[int, list] = {}
    if markdown:
        doc = parse_markdown(text)
        rows = [(b.start, b.end) for b in doc.blocks if b.kind == "table-row"]  # table cells
        code = doc.code_spans
        for f in findings:
            by_line.setdefault(line_of(max(f.start, f.end - 1)), []).append(f)
    else:
        for f in findings:
            by_line.setdefault(line_of(f.start), []).append(f)
    out = []
    for index in sorted(by_line):
        found = by_line[index]
        ids = tuple(dict.fromkeys(f.claim for f in sorted(found, key=lambda f: (f.start, f.claim))))
        if not markdown:
            start = starts[index]
            indent = re.match(r"[ \t]*", text[start:line_end(index)]).group()
            out.append(Insertion(start, indent + _comment("disable-next-line", ids, reason, False) + "\n",
                                 index + 1, ids))
            continue
        end = line_end(index)
        line = text[starts[index]:end]
        at = starts[index] + len(_TRAILING.sub("", line))  # before a hard break ("  " or "\")
        in_table = any(starts[index] <= a < end for a, _ in rows)  # a row of a table (its cells)
        if in_table and line.rstrip().endswith("|") and not line.rstrip().endswith("\\|"):
            at = starts[index] + len(line.rstrip()[:-1].rstrip())  # inside the row's last cell
        if any(a < at < b for a, b in code) or at < max(f.end for f in found):
            at = max(f.end for f in found)  # never inside inline code: right after the sentence
        out.append(Insertion(at, " " + _comment("disable-line", ids, reason, True), index + 1, ids))
    return out


def apply(original: str, insertions: list[Insertion]) -> str:
    """``original`` (any line endings) with the insertions made; every other character is kept."""
    from lint_notes.sheet import _eol, _lf_to_orig

    to_orig = _lf_to_orig(original)
    eol = _eol(original)
    out = original
    for ins in sorted(insertions, key=lambda i: i.offset, reverse=True):
        at = to_orig(ins.offset)
        out = out[:at] + ins.text.replace("\n", eol) + out[at:]
    return out


def add_to_bytes(data: bytes, findings, markdown: bool = True, reason: str = "") -> tuple[bytes, int]:
    """The file's bytes with comments for ``findings`` added (same encoding, BOM and line endings),
    and the number of comments added."""
    from lint_notes.sheet import _codec
    from lint_notes.text.read import decode

    decoded = decode(data)
    insertions = plan(decoded.text, findings, markdown, reason)
    if not insertions:
        return data, 0
    text = apply(decoded.text, insertions)
    return decoded.bom + text.encode(_codec(decoded.encoding), errors="xmlcharrefreplace"), len(insertions)
