"""Sentence reading: clauses, negation scope, questions, hedges, misconceptions, anaphora.

Works on the hits of one sentence (entity mentions and lexicon cues from the alias index) and
returns a SentenceView: entity mentions with their clause and polarity, plus sentence flags.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from lint_notes.match.index import LEX_PREFIX, Hit

import re

NEGATION_WINDOW = 24  # characters after a cue that its scope reaches (within the clause)
SHORT_WINDOW = 10  # a one-character cue reaches mentions starting within this many characters
_QUESTION_END = ("?", "？", "吗", "呢")
_QUOTED = re.compile(r'^(?:\d+[.)、]\s*|[-*+]\s+)?[“"「『].*[”"」』][。.!！?？]?\s*$', re.S)
_SIMILE_START = re.compile(r"^(与|和|跟|同)")
_SIMILE_END = re.compile(r"(不同|不一样|有所不同|相反)$")


@dataclass(slots=True)
class Mention:
    entity: str
    start: int
    end: int
    clause: int
    negated: bool = False
    inherited: bool = False
    fuzzy: bool = False
    contrasted: bool = False  # in an "unlike X" / "与 X 不同" clause: X binds nothing outside it


@dataclass
class SentenceView:
    start: int
    end: int
    mentions: list[Mention]
    question: bool = False
    hedge: bool = False
    misconception: bool = False
    post_negated: bool = False
    comparative: bool = False
    anaphora: bool = False
    coordinators: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""
    comparatives: list[tuple[int, int]] = field(default_factory=list)
    numbers: list[tuple[int, int, float, bool]] | None = None  # (start, end, value, rounded), on demand
    changes: bool = False  # "从 … 扩展到 …", "extended to": a value that changes

    def get_numbers(self) -> list[tuple[int, int, float, bool]]:
        if self.numbers is None:
            names = [(m.start, m.end) for m in self.mentions if not m.inherited
                     and not _NUMBER.fullmatch(self.text[m.start - self.start:m.end - self.start].strip())]
            self.numbers = find_numbers(self.text, self.start, names)  # not inside "GPT-3", but "128K"
        return self.numbers

    @property
    def asserted(self) -> bool:
        """Whether the sentence is read as the author's own assertion."""
        return not (self.question or self.hedge or self.misconception)

    def own(self) -> list[Mention]:
        return [m for m in self.mentions if not m.inherited]


def read_sentence(start: int, end: int, text: str, hits: list[Hit], clause_breaks: list[int]) -> SentenceView:
    """Build the view of one sentence from its hits (offsets are document offsets)."""
    breaks = list(clause_breaks)
    neg_cues: list[int] = []  # end offsets of negation cues
    flags = {"question": False, "hedge": False, "misconception": False, "post": 0,
             "comparative": False, "anaphora": False, "change": False}
    coordinators: list[tuple[int, int]] = []
    unlike_at: list[int] = []
    comparatives: list[tuple[int, int]] = []
    entities: list[Hit] = []
    for h in hits:
        if not h.target.startswith(LEX_PREFIX):
            if not h.target.startswith("!"):
                entities.append(h)
            continue
        cat = h.target[len(LEX_PREFIX):]
        if cat == "negation":
            neg_cues.append(h)
        elif cat == "contrast_negation":
            breaks.append(h.start)
            neg_cues.append(h)
        elif cat == "clause_break":
            breaks.append(h.start)
        elif cat == "unlike":
            breaks.append(h.start)
            unlike_at.append(h.start)
        elif cat == "post_negation":
            flags["post"] += 1
        elif cat in ("question", "hedge", "misconception", "comparative", "anaphora"):
            flags[cat] = True
            if cat == "comparative":
                comparatives.append((h.start, h.end))
        elif cat == "coordinator":
            coordinators.append((h.start, h.end))
        elif cat == "change":
            flags["change"] = True
    breaks.sort()
    if _QUOTED.match(text):
        flags["misconception"] = True  # a sentence in quotation marks is quoted, not asserted
    stripped = text.rstrip(" \t。.！!）)\"'”")
    if stripped.endswith(_QUESTION_END) or text.rstrip().endswith(("?", "？")):
        flags["question"] = True
    contrasted = {bisect_right(breaks, u) for u in unlike_at}
    bounds = [start, *breaks, end]
    for i in range(len(bounds) - 1):  # "与 BERT 不同，..." / "和 X 不一样，..."
        piece = text[bounds[i] - start:bounds[i + 1] - start].strip(" ，,；;")
        if _SIMILE_START.match(piece) and _SIMILE_END.search(piece):
            contrasted.add(i)
    # a one-character cue (不, 没, 未, 非, 无) reaches a few characters, up to a 的 or 是 that ends
    # its phrase ("不稳定的原因是…" negates 稳定 only; "不切分优化器状态" negates the whole phrase);
    # a longer cue (并不是, 没有, not) reaches NEGATION_WINDOW characters in its clause
    short_reach: dict[int, int] = {}  # cue end -> end of its scope
    for cue in neg_cues:
        if cue.end - cue.start == 1:
            stop = cue.end + SHORT_WINDOW
            rest = text[cue.end - start:stop - start]
            for j, ch in enumerate(rest):
                if ch in "的是" and j > 0:
                    stop = cue.end + j
                    break
            short_reach[cue.end] = stop
    mentions = []
    for h in entities:
        clause = bisect_right(breaks, h.start)
        parity = 0
        for cue in neg_cues:
            if cue.end > h.start or bisect_right(breaks, cue.start) != clause:
                continue
            if cue.end - cue.start == 1:
                if h.start < short_reach[cue.end]:
                    parity += 1
            elif h.start - cue.end <= NEGATION_WINDOW:
                parity += 1
        mentions.append(Mention(h.target, h.start, h.end, clause, parity % 2 == 1, fuzzy=h.fuzzy,
                                contrasted=clause in contrasted))
    view = SentenceView(start, end, mentions, flags["question"], flags["hedge"], flags["misconception"],
                        flags["post"] % 2 == 1, flags["comparative"], flags["anaphora"], coordinators, text,
                        comparatives)
    view.changes = flags["change"]
    return view


_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|K|千|万|w|W|m|M|百万)?(?![\w.]*\d)")
_UNITS = {"k": 1e3, "K": 1e3, "千": 1e3, "万": 1e4, "w": 1e4, "W": 1e4, "m": 1e6, "M": 1e6, "百万": 1e6}


def find_numbers(text: str, base: int, spans: list[tuple[int, int]]) -> list[tuple[int, int, float, bool]]:
    """Plain numbers in a sentence (not inside entity names such as GPT-3 or Llama-2-70B)."""
    out = []
    for m in _NUMBER.finditer(text):
        s, e = base + m.start(), base + m.end()
        if any(a <= s < b for a, b in spans):
            continue
        if m.start() > 0 and text[m.start() - 1] in "-_/":
            continue
        digits = m.group(1).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        unit = m.group(2)
        rounded = bool(unit) or (digits.endswith("000") and value >= 1000)
        out.append((s, e, value * _UNITS.get(unit, 1), rounded))
    return out


def _close(gap: str) -> bool:
    """A mention this near a comparative cue, with no clause punctuation between, is its standard."""
    return len(gap.strip()) <= 3 and not any(ch in "，,；;。:：" for ch in gap)


def comparison_standards(view: SentenceView, candidates: list[Mention]) -> set[int]:
    """Start offsets of mentions that are the standard of a comparison ("比 X", "与 X 相比", "than X").

    Such a mention is what the subject is compared with, so no value or property binds to it.
    """
    out: set[int] = set()
    if not view.comparatives:
        return out
    text, base = view.text, view.start
    for cs, ce in view.comparatives:
        after = [m for m in candidates if m.start >= ce and _close(text[ce - base:m.start - base])]
        if after:
            out.add(min(after, key=lambda m: m.start).start)
        before = [m for m in candidates if m.end <= cs and _close(text[m.end - base:cs - base])]
        if before:
            m = max(before, key=lambda m: m.start)
            lead = text[max(0, m.start - base - 2):m.start - base].strip()
            if lead.endswith(("与", "和", "跟", "同")):
                out.add(m.start)
    return out


def inherit(view: SentenceView, previous: SentenceView | None, kinds: dict[str, str | None]) -> None:
    """Give a sentence the context of the previous sentence in its paragraph.

    With an anaphor ("这种结构", "this design") it inherits all the previous mentions; with no
    subject of its own it inherits the previous subjects (mentions that have a kind).
    """
    if previous is None:
        return
    own_kinded = any(kinds.get(m.entity) for m in view.mentions)
    if view.anaphora:
        carried = previous.mentions
    elif not own_kinded:
        carried = [m for m in previous.mentions if kinds.get(m.entity)]
    else:
        return
    seen = {m.entity for m in view.mentions}
    extra = []
    for m in carried:
        if m.entity in seen or m.negated:
            continue
        seen.add(m.entity)
        extra.append(Mention(m.entity, view.start, view.start, 0, False, inherited=True, fuzzy=m.fuzzy))
    view.mentions = extra + view.mentions
