"""Terminal layout: display widths (wide CJK characters take two columns), wrapping, code frames.

A code frame shows the lines of a flagged sentence with ``^`` under the flagged span::

      28 | 与 GPT-2 相比，GPT-3 采用 Post-LN 结构。此外……
         |                ^^^^^^^^^^^^^^^^^^^^^^^^^^

A line wider than the terminal is cut into rows of the terminal's width; only the rows that hold
the span are shown (``…`` marks what is left out).
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

DEFAULT_WIDTH = 100
MIN_WIDTH = 40
ELLIPSIS = "…"

# a line break never goes before these (closing punctuation) or after these (opening punctuation)
_NO_LINE_START = set("，。、；：！？）」』】》〉”’,.;:!?)]}%")
_NO_LINE_END = set("（「『【《〈“‘([{")


def char_width(ch: str) -> int:
    """Columns a character takes in a terminal: 2 for wide (CJK), 0 for combining marks."""
    o = ord(ch)
    if o < 0x300:
        return 0 if o < 32 or o == 127 else 1
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_width(text: str) -> int:
    if text.isascii():
        return sum(1 for ch in text if " " <= ch < "\x7f")
    return sum(char_width(ch) for ch in text)


def terminal_width(stream=None) -> int:
    """The width to wrap to: $COLUMNS, else the terminal's, else 100 (a file or a pipe)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(MIN_WIDTH, int(env))
    try:
        if stream is not None and stream.isatty():
            return max(MIN_WIDTH, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH


def clean(text: str) -> str:
    """One character for one character, but no tab or control character (they break columns)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\u200b\u200c\u200d" else " " for ch in text)


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` columns, ending with … when it was cut."""
    text = " ".join(clean(text).split())
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + ELLIPSIS


_TOKEN = re.compile(r"\s+|<https?://[^>\s]+>|https?://\S+|[^\s\u1100-\uffff]+|.", re.S)


def wrap(text: str, width: int) -> list[str]:
    """Wrap prose to ``width`` columns: Latin words stay whole, CJK text breaks between characters
    (never before closing punctuation), a URL longer than a line stays whole on its own line."""
    width = max(8, width)
    lines: list[str] = []
    cur: list[str] = []
    used = 0
    space = False
    from lint_notes.text.normalize import join_cjk

    for tok in _TOKEN.findall(join_cjk(" ".join(clean(text).split()))):
        if tok.isspace():
            space = bool(cur)
            continue
        w = text_width(tok)
        gap = 1 if space and cur else 0
        space = False
        if used + gap + w <= width or (tok in _NO_LINE_START and len(cur) < 2):
            if gap:
                cur.append(" ")
            cur.append(tok)
            used += gap + w
            continue
        if tok in _NO_LINE_START and not gap:
            # take the word or character before (and closing marks after it) down with the mark
            k = len(cur) - 1
            while k > 0 and cur[k] in _NO_LINE_START:
                k -= 1
            if k > 0:
                carried = cur[k:]
                lines.append("".join(cur[:k]).rstrip())
                cur = [*carried, tok]
                used = text_width("".join(cur))
                continue
            cur.append(tok)  # nothing to take down: let the mark hang past the edge
            used += w
            continue
        if cur and cur[-1] in _NO_LINE_END and len(cur) > 1:
            carried = cur.pop()
            lines.append("".join(cur).rstrip())
            cur, used = [carried], text_width(carried)
            if used + w <= width:
                cur.append(tok)
                used += w
                continue
        if cur:
            lines.append("".join(cur).rstrip())
            cur, used = [], 0
        if w <= width or tok.startswith(("http", "<http")):
            cur, used = [tok], w
            continue
        for ch in tok:  # a word longer than a line: cut it
            cw = char_width(ch)
            if used + cw > width and cur:
                lines.append("".join(cur))
                cur, used = [], 0
            cur.append(ch)
            used += cw
    if cur:
        lines.append("".join(cur).rstrip())
    return lines or [""]


def labelled(label: str, text: str, width: int, indent: int = 2, label_width: int = 12) -> list[str]:
    """``  label:     text`` wrapped to ``width`` with a hanging indent under the text."""
    head = " " * indent + f"{label}:".ljust(label_width)
    rows = wrap(text, width - len(head))
    pad = " " * len(head)
    return [head + rows[0]] + [pad + r for r in rows[1:]]


# --- source text and code frames --------------------------------------------------------------
@dataclass
class SourceText:
    """A file's text with LF line endings (the text findings' offsets point into)."""

    text: str
    line_starts: list[int]

    @classmethod
    def of(cls, text: str) -> SourceText:
        from lint_notes.text.markdown import to_lf

        text = to_lf(text)
        starts = [0]
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        return cls(text, starts)

    def line_of(self, offset: int) -> int:
        """0-based line index of an offset."""
        return bisect_right(self.line_starts, offset) - 1

    def line(self, index: int) -> tuple[int, str]:
        """(start offset, text without the line break) of a 0-based line."""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] - 1 if index + 1 < len(self.line_starts) else len(self.text)
        return start, self.text[start:end]


def read_source(path: str) -> SourceText | None:
    """The text of a note on disk, decoded as the linter decodes it, or None."""
    try:
        from lint_notes.text.read import decode

        return SourceText.of(decode(Path(path).read_bytes()).text)
    except Exception:  # gone, unreadable, not text: the frame falls back to the sentence alone
        return None


def _rows(line: str, width: int) -> list[tuple[int, int]]:
    """Cut a line into rows of at most ``width`` columns: (start, end) character indexes."""
    rows, start, used = [], 0, 0
    for i, ch in enumerate(line):
        w = char_width(ch)
        if used + w > width and i > start:
            cut = i - 1 if ch in _NO_LINE_START and i - 1 > start else i  # no row starts with "，"
            rows.append((start, cut))
            start, used = cut, text_width(line[cut:i])
        used += w
    rows.append((start, len(line)))
    return rows


def code_frame(src: SourceText | None, start: int, end: int, sentence: str, width: int, *,
               context: int | tuple[int, int] = 0, line_label: int | None = None, mark=None, gutter_mark: bool = False) -> list[str]:
    """Lines of the source around ``[start, end)`` with ``^`` under the span.

    When ``src`` is missing or does not hold ``sentence`` at that place (a notebook cell, a file
    changed since it was linted), the sentence alone is shown, numbered ``line_label``.
    ``mark(text) -> text`` colours the span and the carets; ``context`` lines are shown above and
    below (or a pair: lines above, lines below); ``gutter_mark`` puts ``>`` before the lines of the span.
    """
    mark = mark or (lambda s: s)
    if src is None or end <= start or src.text[start:end] != sentence:
        src = SourceText.of(sentence.replace("\n", " "))
        start, end = 0, len(src.text)
        first_no = line_label or 1
    else:
        first_no = None
    lo, hi = src.line_of(start), src.line_of(max(start, end - 1))
    above, below = context if isinstance(context, tuple) else (context, context)
    shown_lo, shown_hi = max(0, lo - above), min(len(src.line_starts) - 1, hi + below)
    number = (lambda i: first_no + i) if first_no is not None else (lambda i: i + 1)
    num_w = max(3, len(str(number(shown_hi))))
    prefix_w = (2 if gutter_mark else 0) + num_w + 3
    avail = max(20, width - prefix_w)
    out: list[str] = []

    def gutter(i: int | None, hit: bool) -> str:
        lead = ("> " if hit else "  ") if gutter_mark else ""
        n = str(number(i)).rjust(num_w) if i is not None else " " * num_w
        return f"{lead}{n} | "

    for i in range(shown_lo, shown_hi + 1):
        line_start, raw = src.line(i)
        line = clean(raw)
        a = max(start, line_start) - line_start
        b = min(end, line_start + len(line)) - line_start
        hit = lo <= i <= hi and a < b
        rows = _rows(line, avail - 2)
        if not hit:
            r0, r1 = rows[0]
            text = line[r0:r1] + (ELLIPSIS if len(rows) > 1 else "")
            out.append((gutter(i, False) + text).rstrip())
            continue
        picked = [k for k, (r0, r1) in enumerate(rows) if r0 < b and a < r1]
        for n, k in enumerate(picked):
            r0, r1 = rows[k]
            before = ELLIPSIS if k > 0 and n == 0 else ""
            after = ELLIPSIS if k == picked[-1] and k < len(rows) - 1 else ""
            s0, s1 = max(a, r0), min(b, r1)
            text = line[r0:s0] + mark(line[s0:s1]) + line[s1:r1]
            out.append((gutter(i if n == 0 else None, True) + before + text + after).rstrip())
            pad = text_width(before) + text_width(line[r0:s0])
            carets = "^" * max(1, text_width(line[s0:s1]))
            out.append(gutter(None, False).rstrip() + " " + " " * pad + mark(carets))
    return out
