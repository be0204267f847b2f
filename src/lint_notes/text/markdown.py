"""Markdown (or plain text) -> lintable blocks, with a masked copy that keeps every offset.

Only headings, paragraphs (also inside list items and block quotes) and table rows are read.
Everything else (code, front matter, HTML, link targets, images, inline code, HTML comments,
struck-through text) is replaced by spaces in ``masked``, which has exactly the length of
``text``, so an offset in one is an offset in the other.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@dataclass
class Block:
    kind: str  # heading | paragraph | table-row
    start: int  # offsets into Document.text
    end: int
    level: int = 0  # heading level
    section: int = -1  # index of the heading this block sits under (-1: none)
    in_quote: bool = False
    item: int = 0  # list depth of a list item (0: not a list item)
    table: int = -1  # for a table cell: which table of the document, its row (0: the header) and column
    row: int = -1
    col: int = -1


@dataclass
class Document:
    text: str  # LF line endings
    masked: str
    blocks: list[Block]
    line_starts: list[int]
    headings: list[int] = field(default_factory=list)  # block indexes of headings
    code_lines: set[int] = field(default_factory=set)  # 1-based lines inside code blocks
    # where struck-through text or text a study sheet inserted begins: what a sentence refers to
    # ("这种结构", "this design") may be that text, so context is not carried across these points
    context_breaks: list[int] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)  # link text spans (offsets)
    code_spans: list[tuple[int, int]] = field(default_factory=list)  # inline code and math, delimiters excluded
    math_spans: list[tuple[int, int]] = field(default_factory=list)  # inline and display math, delimiters included

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in characters for an offset."""
        i = bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1


def to_lf(text: str) -> str:
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


# text a study sheet inserted (corrections, header, footnotes) is lint-notes' own, not the author's
_OWN_SPAN = re.compile(r'<(span|del) class="lint-notes-[a-z]+">.*?</\1>', re.S)
_OWN_FOOTNOTE = re.compile(r"^\[\^lint-notes-\d+\]:.*$", re.M)
_OWN_FOOTNOTE_REF = re.compile(r"\[\^lint-notes-\d+\]")
_STRUCK = re.compile(r"~~(?:(?!~~).)+?~~", re.S)
_AUTOLINK = re.compile(r"<https?://[^>\s]+>")
_URL = re.compile(r"https?://[^\s<>()\uff08\uff09\u3000，。）]+")
_INLINE_MASKS = [
    _OWN_SPAN,
    _OWN_FOOTNOTE,
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"(`+)(?:(?!\1).)+?\1", re.S),
    _STRUCK,
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),
    _AUTOLINK,
    _URL,
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>"),
    _OWN_FOOTNOTE_REF,
]
_CONTEXT_BREAKS = [_OWN_SPAN, _STRUCK]
_AFTER_PARSE_MASKS = [_OWN_FOOTNOTE, _OWN_FOOTNOTE_REF, _AUTOLINK, _URL]  # what the parser keeps as text
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_REF_LINK = re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def _mask_inline(masked: list[str], text: str, start: int, end: int) -> None:
    segment = text[start:end]
    for rx in _INLINE_MASKS:
        for m in rx.finditer(segment):
            _blank(masked, start + m.start(), start + m.end())
    for m in _LINK.finditer(segment):
        _blank(masked, start + m.start(), start + m.start() + 1)  # "["
        _blank(masked, start + m.end(1), start + m.end())  # "](target)"
    for m in _REF_LINK.finditer(segment):
        _blank(masked, start + m.start(), start + m.start() + 1)
        _blank(masked, start + m.end(1), start + m.end())


class _Offsets:
    """UTF-8 byte offsets (from the parser) -> character offsets, for offsets that mostly increase."""

    def __init__(self, text: str):
        self.data = text.encode("utf-8")
        self.ascii = len(self.data) == len(text)
        self.byte = 0
        self.char = 0

    def __call__(self, b: int) -> int:
        if self.ascii:
            return b
        if b < self.byte:
            self.byte = self.char = 0
        self.char += len(self.data[self.byte:b].decode("utf-8", "replace"))
        self.byte = b
        return self.char


_CONTAINERS = {"Paragraph": "paragraph", "Item": "paragraph", "TableCell": "table-row"}
_SKIP = {"Strikethrough", "Image", "CodeBlock", "MetadataBlock"}
# an HTML block's lines of plain text (no tag), and a one-line <h1>..</h1> heading in it, are shown as text
# (notes exported from some editors write every heading as HTML, with the text below it in the same block)
_HTML_HEADING = re.compile(r"[ \t]*<h([1-6])(?:\s[^<>]*)?>([^<>]+)</h\1>[ \t]*\n?$", re.I)
_HTML_RAW = re.compile(r"[ \t]*<(pre|script|style|textarea)\b", re.I)  # whose text is not prose
_HTML_RAW_END = re.compile(r"</(pre|script|style|textarea)>", re.I)


def _event_name(ev):
    if isinstance(ev, str):
        return ev, None
    key = next(iter(ev))
    return key, ev[key]


@lru_cache(maxsize=1)
def _options(front_matter: bool = True):
    """Parser options; YAML metadata only for a document that opens with it: elsewhere the parser would take
    the text between two thematic breaks ("---") for a metadata block and hide it."""
    import pyromark

    O = pyromark.Options
    options = O.ENABLE_TABLES | O.ENABLE_STRIKETHROUGH | O.ENABLE_TASKLISTS | O.ENABLE_MATH
    return options | O.ENABLE_YAML_STYLE_METADATA_BLOCKS if front_matter else options


def parse_markdown(raw: str) -> Document:
    """Parse with pulldown-cmark (through pyromark), which gives exact source ranges.

    Only text the author wrote as prose is copied into ``masked``: paragraphs, headings, list
    items, block quotes and table cells; not code, HTML, link targets, images, front matter or
    struck-through text.
    """
    import pyromark

    events: Any = pyromark.events_with_range  # the stubs' event union is too narrow to iterate over
    text = to_lf(raw)
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)  # the parser needs valid Unicode; same length
    starts = _line_starts(text)
    to_char = _Offsets(text)
    keep: list[tuple[int, int]] = []
    blocks: list[Block] = []
    headings: list[int] = []
    code_lines: set[int] = set()
    breaks: list[int] = []
    stack: list[list] = []  # [kind, level, seg_start, seg_end]
    skip = 0
    own_span = 0  # inside <span class="lint-notes-...">
    link_skip = 0
    quote = 0
    links: list[tuple[int, int]] = []
    link_open: list[int | None] = []  # where the text of each open link begins
    code_spans: list[tuple[int, int]] = []
    math_spans: list[tuple[int, int]] = []
    lists = 0  # depth of nested lists
    table = row = col = -1
    html_raw = False  # inside an HTML block whose content is not prose (pre, script, style, a comment)

    def close_segment(entry) -> None:
        if entry[2] is not None:
            b = Block(entry[0], entry[2], entry[3], entry[1], in_quote=quote > 0, **entry[4])
            if b.kind == "heading":
                headings.append(len(blocks))
            blocks.append(b)
            entry[2] = entry[3] = None

    front_matter = text.lstrip("\ufeff \t\n").startswith("---")
    for ev, rng in events(text, options=_options(front_matter)):
        if ev.__class__ is str:  # SoftBreak, HardBreak, Rule, ...
            if ev in ("SoftBreak", "HardBreak") and stack and stack[-1][2] is not None and not skip:
                stack[-1][3] = to_char(rng["end"])
            continue
        for name, value in ev.items():  # one key: the event's name
            break
        if name == "Text":
            if skip or own_span or link_skip or not stack:
                continue
            a, b = to_char(rng["start"]), to_char(rng["end"])
            keep.append((a, b))
            if link_open and link_open[-1] is None:
                link_open[-1] = a
            top = stack[-1]
            if top[2] is None:
                top[2] = a
            top[3] = b
        elif name == "Start":
            kind, arg = _event_name(value)
            if kind == "HtmlBlock":
                html_raw = False
            if kind in _SKIP:
                skip += 1
                if kind == "Strikethrough":
                    breaks.append(to_char(rng["start"]))
                if kind == "CodeBlock":
                    a = to_char(rng["start"])
                    line = bisect_right(starts, a)
                    code_lines.update(range(line, line + text.count("\n", a, to_char(rng["end"])) + 1))
            elif kind == "Link":
                if arg.get("link_type") in ("Autolink", "Email"):
                    link_skip += 1
                link_open.append(None)
            elif kind == "BlockQuote":
                quote += 1
            elif kind == "List":
                lists += 1
            elif kind == "Table":
                table, row = table + 1, -1
            elif kind in ("TableHead", "TableRow"):
                row, col = row + 1, -1
            elif kind == "Heading" or kind in _CONTAINERS:
                if stack:
                    close_segment(stack[-1])
                level = int(arg["level"][1]) if kind == "Heading" else 0
                extra = {}
                if kind == "Item" or (kind == "Paragraph" and lists):
                    extra = {"item": lists}  # a paragraph of a loose list item is still in the item
                elif kind == "TableCell":
                    col += 1
                    extra = {"table": table, "row": row, "col": col}
                stack.append(["heading" if kind == "Heading" else _CONTAINERS[kind], level, None, None, extra])
        elif name == "End":
            kind = value if value.__class__ is str else next(iter(value))
            if kind in _SKIP:
                skip -= 1
            elif kind == "Link":
                if link_skip:  # an autolink ends (autolinks contain no other link)
                    link_skip -= 1
                first = link_open.pop() if link_open else None
                if first is not None and keep:
                    links.append((first, keep[-1][1]))
            elif kind == "BlockQuote":
                quote -= 1
            elif kind == "List":
                lists -= 1
            elif (kind == "Heading" or kind in _CONTAINERS) and stack:
                close_segment(stack.pop())
        elif name == "InlineMath":  # "$O(n^2)$": read only when it is exactly a known name
            if not skip and stack:
                a, b = to_char(rng["start"]), to_char(rng["end"])
                if b - a > 2 and text[a] == "$" and text[b - 1] == "$":
                    code_spans.append((a + 1, b - 1))
                    if not own_span:  # what a study sheet struck through or inserted is not read
                        math_spans.append((a, b))
                    _extend(stack[-1], a, b)
        elif name == "DisplayMath":  # "$$…$$": read only when it holds a formula the knowledge base knows
            if not skip and not own_span and stack:
                a, b = to_char(rng["start"]), to_char(rng["end"])
                if b - a > 4 and text.startswith("$$", a) and text.startswith("$$", b - 2):
                    math_spans.append((a, b))
                    _extend(stack[-1], a, b)
        elif name == "Code":
            if not skip and stack:
                a, b = to_char(rng["start"]), to_char(rng["end"])
                inner = text[a:b]
                ticks = len(inner) - len(inner.lstrip("`"))
                if ticks and b - a > 2 * ticks:
                    code_spans.append((a + ticks, b - ticks))
                    _extend(stack[-1], a, b)
        elif name == "Html":
            if skip or stack:
                continue
            if _HTML_RAW.match(value) or "<!--" in value:
                html_raw = html_raw or "-->" not in value.split("<!--")[-1]
                continue
            if html_raw:
                html_raw = "-->" not in value and not _HTML_RAW_END.search(value)
                continue
            a = to_char(rng["start"])
            m = _HTML_HEADING.match(value)
            if m:
                ta, tb = a + m.start(2), a + m.end(2)
                if text[ta:tb].strip():
                    keep.append((ta, tb))
                    close_segment(["heading", int(m.group(1)), ta, tb, {}])
            elif "<" not in value and ">" not in value and value.strip():
                body = value.rstrip("\n")
                ta = a + len(body) - len(body.lstrip())
                tb = a + len(body.rstrip())
                keep.append((ta, tb))
                close_segment(["paragraph", 0, ta, tb, {}])
        elif name == "InlineHtml":
            if value.startswith(('<span class="lint-notes-', '<del class="lint-notes-')):
                own_span += 1
                breaks.append(to_char(rng["start"]))
            elif value.startswith(("</span", "</del")) and own_span:
                own_span -= 1
    while stack:
        close_segment(stack.pop())
    blank = "\n".join(" " * len(line) for line in text.split("\n"))  # every character but a newline a space
    pieces, pos = [], 0
    for a, b in keep:
        if a < pos:
            continue
        pieces.append(blank[pos:a])
        pieces.append(text[a:b])
        pos = b
    pieces.append(blank[pos:])
    masked = "".join(pieces)
    if table >= 0:  # no name runs from one table cell into the next: a cell's pipes end a line
        chars = list(masked)
        for b in blocks:
            if b.kind == "table-row":
                for i in (b.start - 1, b.start - 2, b.end, b.end + 1):
                    if 0 <= i < len(text) and text[i] == "|":
                        chars[i] = "\n"
        masked = "".join(chars)
    if "http" in masked or "[^lint-notes-" in masked:
        chars = list(masked)
        for rx in _AFTER_PARSE_MASKS:
            for m in rx.finditer(masked):
                _blank(chars, m.start(), m.end())
        masked = "".join(chars)
    blocks.sort(key=lambda b: b.start)
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    _assign_sections(blocks)
    return Document(text, masked, blocks, starts, headings, code_lines, sorted(breaks), links, code_spans, math_spans)


def _extend(segment: list, a: int, b: int) -> None:
    """Let a block's text span cover an inline code or math span at its start or end, so that a known
    name there ("`RMSNorm` 去掉了均值", "LLaMA 用 `RMSNorm`") is read with the rest of the sentence."""
    if segment[2] is None or a < segment[2]:
        segment[2] = a
    if segment[3] is None or b > segment[3]:
        segment[3] = b


def parse_plain(raw: str) -> Document:
    """Plain text: paragraphs are separated by blank lines; nothing is masked."""
    text = to_lf(raw)
    starts = _line_starts(text)
    blocks = [Block("paragraph", m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)
              if m.group().strip()]
    masked = list(text)
    breaks = []
    for b in blocks:
        _mask_inline(masked, text, b.start, b.end)
        for rx in _CONTEXT_BREAKS:
            breaks.extend(m.start() for m in rx.finditer(text, b.start, b.end))
    return Document(text, "".join(masked), blocks, starts, [], context_breaks=sorted(breaks))


def _assign_sections(blocks: list[Block]) -> None:
    stack: list[tuple[int, int]] = []  # (level, block index)
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            b.section = stack[-1][1] if stack else -1
            stack.append((b.level, i))
        else:
            b.section = stack[-1][1] if stack else -1


def section_ancestors(doc: Document, block_index: int) -> list[int]:
    """Heading block indexes above a block, nearest first."""
    out = []
    b = doc.blocks[block_index]
    idx = block_index if b.kind == "heading" else b.section
    while idx != -1:
        out.append(idx)
        idx = doc.blocks[idx].section
    return out


def section_range(doc: Document, heading_index: int) -> tuple[int, int]:
    """Block index range [start, end) of the body under a heading."""
    level = doc.blocks[heading_index].level
    end = heading_index + 1
    while end < len(doc.blocks):
        b = doc.blocks[end]
        if b.kind == "heading" and b.level <= level:
            break
        end += 1
    return heading_index + 1, end
