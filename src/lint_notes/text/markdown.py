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


CELL_BREAK = "\u2029"  # stands in for a table pipe in the masked text: always ends a sentence


@dataclass
class Block:
    kind: str  # heading | paragraph | table-row
    start: int  # offsets into Document.text
    end: int
    level: int = 0  # heading level
    section: int = -1  # index of the heading this block sits under (-1: none)
    in_quote: bool = False


@dataclass
class Document:
    text: str  # LF line endings
    masked: str
    blocks: list[Block]
    line_starts: list[int]
    headings: list[int] = field(default_factory=list)  # block indexes of headings
    code_lines: set[int] = field(default_factory=set)  # 1-based lines inside code blocks

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in characters for an offset."""
        i = bisect_right(self.line_starts, offset) - 1
        return i + 1, offset - self.line_starts[i] + 1

    def line_text(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.text)
        return self.text[start:end]

    def heading_text(self, block_index: int) -> str:
        b = self.blocks[block_index]
        return self.masked[b.start:b.end].strip()


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


_INLINE_MASKS = [
    # text a study sheet inserted (corrections, header) is lint-notes' own, not the author's
    re.compile(r'<span class="lint-notes-[a-z]+">.*?</span>', re.S),
    re.compile(r"^\[\^lint-notes-\d+\]:.*$", re.M),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r"(`+)(?:(?!\1).)+?\1", re.S),
    re.compile(r"~~(?:(?!~~).)+?~~", re.S),
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),
    re.compile(r"<https?://[^>\s]+>"),
    re.compile(r"https?://[^\s<>()\uff08\uff09\u3000，。）]+"),
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>"),
]
_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\n]*)\)")
_REF_LINK = re.compile(r"\[([^\]\n]*)\]\[[^\]\n]*\]")
_LINE_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)?", re.M)
_HEADING_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]*|[ \t]+#+[ \t]*$|^[ \t]*(?:=+|-+)[ \t]*$", re.M)
_TABLE_PIPES = re.compile(r"(?<!\\)\|")


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(front_matter_plugin)
    md.disable("inline")  # positions come from the block map; inline structure is masked by regex
    return md


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


def parse_markdown(raw: str) -> Document:
    text = to_lf(raw)
    starts = _line_starts(text)
    nlines = len(starts)

    def off(line: int) -> int:
        return starts[line] if line < nlines else len(text)

    masked = [" " if ch != "\n" else "\n" for ch in text]
    blocks: list[Block] = []
    headings: list[int] = []
    quote_depth = 0
    code_lines: set[int] = set()
    tokens = _parser().parse(text)
    for i, tok in enumerate(tokens):
        if tok.type == "blockquote_open":
            quote_depth += 1
        elif tok.type == "blockquote_close":
            quote_depth -= 1
        if tok.map is None or tok.nesting == -1:
            continue
        if tok.type in ("fence", "code_block"):
            code_lines.update(range(tok.map[0] + 1, tok.map[1] + 1))
            continue
        if tok.type == "heading_open":
            kind = "heading"
        elif tok.type == "paragraph_open":
            if tokens[i - 1].type == "th_open" if i else False:
                continue
            kind = "paragraph"
        elif tok.type == "tr_open":
            kind = "table-row"
        else:
            continue
        s, e = off(tok.map[0]), off(tok.map[1])
        if e > s and text[e - 1] == "\n":
            e -= 1
        block = Block(kind, s, e, int(tok.tag[1]) if kind == "heading" else 0, in_quote=quote_depth > 0)
        masked[s:e] = text[s:e]
        region = text[s:e]
        for m in _LINE_PREFIX.finditer(region):
            _blank(masked, s + m.start(), s + m.end())
        if kind == "heading":
            for m in _HEADING_MARKS.finditer(region):
                _blank(masked, s + m.start(), s + m.end())
        _mask_inline(masked, text, s, e)
        if kind == "table-row":
            for m in _TABLE_PIPES.finditer(region):
                masked[s + m.start()] = CELL_BREAK  # a cell boundary ends a sentence
        if kind == "heading":
            headings.append(len(blocks))
        blocks.append(block)
    _assign_sections(blocks)
    return Document(text, "".join(masked), blocks, starts, headings, code_lines)


def parse_plain(raw: str) -> Document:
    """Plain text: paragraphs are separated by blank lines; nothing is masked."""
    text = to_lf(raw)
    starts = _line_starts(text)
    blocks = [Block("paragraph", m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)
              if m.group().strip()]
    masked = list(text)
    for b in blocks:
        _mask_inline(masked, text, b.start, b.end)
    return Document(text, "".join(masked), blocks, starts, [])


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
