"""Blocks -> sentences, with exact offsets, for Chinese and English."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lint_notes.text.markdown import Document

_ABBREVIATIONS = ("e.g", "i.e", "vs", "etc", "et al", "fig", "eq", "sec", "cf", "approx", "resp", "no", "mr", "dr")
# sentence terminators; a '.' only ends a sentence before white space, CJK or the end
_END = re.compile(r"[。！？!?；;…]+[”’\"'）)]*|\.(?=[\s\u3000]|$|[\u3400-\u9fff])|\n")
_LATIN_WRAP = re.compile(r"[A-Za-z0-9,(\-]")


@dataclass
class Sentence:
    start: int
    end: int
    block: int
    text: str  # masked text of the sentence (same offsets as the original)
    clause_breaks: list[int]  # offsets where a new clause starts (punctuation only)


_ALNUM = re.compile(r"[^\W_]")  # a letter or digit (what str.isalnum accepts)
_CLAUSE_PUNCT = re.compile(r"[，,；;]")
_ABBREV_COMMA = re.compile(r"(?<![A-Za-z])(?:e\.g|i\.e|eg|ie)\.\s*$", re.IGNORECASE)


def _is_abbreviation(text: str, dot: int) -> bool:
    before = text[max(0, dot - 8):dot].lower()
    if dot + 1 < len(text) and text[dot + 1 : dot + 2].isdigit():
        return True
    if dot > 0 and text[dot - 1].isdigit() and dot + 2 < len(text) and text[dot + 1] == " " and text[dot + 2].isdigit():
        return True
    return any(before.endswith(a) and (len(before) == len(a) or not before[-len(a) - 1].isalpha())
               for a in _ABBREVIATIONS)


def split_sentences(doc: Document) -> list[Sentence]:
    out: list[Sentence] = []
    masked = doc.masked
    for bi, block in enumerate(doc.blocks):
        region = masked[block.start:block.end]
        start = 0
        for m in _END.finditer(region):
            tok = m.group()
            if tok == "\n":
                i, j = m.start() - 1, m.end()
                while i >= 0 and region[i] in " \t":
                    i -= 1
                while j < len(region) and region[j] in " \t":
                    j += 1
                if i >= 0 and j < len(region) and _LATIN_WRAP.match(region[i]) and _LATIN_WRAP.match(region[j]):
                    continue  # an English line wrapped inside a sentence
                end = m.start()
            else:
                if tok == "." and _is_abbreviation(region, m.start()):
                    continue
                end = m.end()
            _emit(out, masked, block.start + start, block.start + end, bi)
            start = m.end()
        _emit(out, masked, block.start + start, block.end, bi)
    return out


def _emit(out: list[Sentence], masked: str, s: int, e: int, block: int) -> None:
    text = masked[s:e]
    stripped = text.lstrip()
    s += len(text) - len(stripped)
    text = stripped.rstrip()
    e = s + len(text)
    if e <= s or not _ALNUM.search(text):
        return
    breaks = []
    for m in _CLAUSE_PUNCT.finditer(text):
        i = m.start()
        if text[i] == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # 32,000
        if text[i] == "," and _ABBREV_COMMA.search(text, 0, i):
            continue  # "(e.g., in Code Llama)": the comma of an abbreviation ends no clause
        breaks.append(s + m.end())
    out.append(Sentence(s, e, block, text, breaks))
