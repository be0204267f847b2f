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
_COVERBS = frozenset("把将让使")
_SIMILE_OPENERS = ("与", "和", "跟", "同")  # what a piece that compares opens with
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
    standard: bool = False  # a point of reference (compared with, based on): binds no value
    neutral: bool = False  # neither asserted nor denied (a neutral verb, a condition): no value
    scoped: bool = False  # binds only what a construction bound to it ("Encoder-Only（BERT）")
    bind: frozenset[str] | None = None  # the subjects a construction tied this value to
    source: str = ""  # for an inherited mention: "anaphor", "previous" (sentence) or "heading"


@dataclass(slots=True)
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
    text: str = ""
    comparatives: list[tuple[int, int]] = field(default_factory=list)
    numbers: list[Number] | None = None  # computed on demand
    changes: bool = False  # "从 … 扩展到 …", "extended to": a value that changes
    modality: str = ""  # "" (the author's assertion), "reported" (a view the note reports), "hypothetical", "instance"
    identities: list[tuple[str, str, bool]] = field(default_factory=list)  # (a, b, is the same) from constructions
    constructions: list[str] = field(default_factory=list)  # ids of the constructions that read it
    anaphor_start: int = -1  # where its anaphor ("这种结构", "this model") begins, if it has one
    anaphor_end: int = -1
    opener_end: int = -1  # where an opening connective set off by a comma ("同时，") ends, if it has one
    attribute_label: bool = False  # opens with a label naming an attribute of a topic ("优点：", "Applications:")
    application_label: bool = False  # that label says where the topic is used ("应用：LLaMA、RWKV")
    block: int = -1  # index of the Markdown block it belongs to

    def get_numbers(self, kinds: dict[str, str | None]) -> list[Number]:
        """Numbers of the sentence outside the names of things (GPT-3, Llama-2-70B); a number inside a
        descriptive term ("32层") still counts."""
        if self.numbers is None:
            names = [(m.start, m.end) for m in self.mentions if not m.inherited and kinds.get(m.entity)
                     and not _NUMBER.fullmatch(self.text[m.start - self.start:m.end - self.start].strip())]
            self.numbers = find_numbers(self.text, self.start, names)
        return self.numbers

    @property
    def asserted(self) -> bool:
        """Whether the sentence is read as the author's own assertion."""
        return not (self.question or self.hedge or self.misconception or self.modality in ("hypothetical", "instance"))

    def own(self) -> list[Mention]:
        return [m for m in self.mentions if not m.inherited]


_CLOSING_QUOTES = "”\"」』"
_STOPS = "。.!！?？"


def text_flags(text: str) -> tuple[bool, bool]:
    """(is a question, is quoted) from the sentence text alone."""
    end = text.rstrip()
    question = text.rstrip(" \t。.！!）)\"'”").endswith(_QUESTION_END) or end.endswith(("?", "？"))
    # _QUOTED can only match text that ends (white space aside) with a closing quote, perhaps followed by a stop
    last = end[-1:]
    quoted = last != "" and (last in _CLOSING_QUOTES or (last in _STOPS and len(end) > 1 and end[-2] in _CLOSING_QUOTES))
    return question, quoted and bool(_QUOTED.match(text))  # a sentence in quotation marks is quoted, not asserted


_TIME_CLAUSE = re.compile(r"(时|的时候|之时)$")


def _time_clause(text: str) -> bool:
    """Whether the text ends with 时 ("当…时"): only its last four characters can match."""
    # every alternative ends with 时 or 时候 (before a final newline, which $ allows)
    return text.endswith(("时", "时候", "时\n", "时候\n")) and _TIME_CLAUSE.search(text, max(0, len(text) - 4)) is not None
_OPENER_MARKS = " \t-*+>#0123456789.、)）(（“”\"'【】[]_"  # list markers and emphasis before a sentence's first word
_NO_FLAGS: frozenset[str] = frozenset()
_FLAG_CATEGORIES = frozenset(("question", "hedge", "misconception", "comparative", "anaphora", "change"))
_CATEGORY: dict[str, str] = {}  # hit target -> "" (entity), "!" (blocker) or its lexicon category


def _category(target: str) -> str:
    cat = _CATEGORY.get(target)
    if cat is None:
        if target.startswith(LEX_PREFIX):
            cat = target[len(LEX_PREFIX):]
        else:
            cat = "!" if target.startswith("!") else ""
        _CATEGORY[target] = cat
    return cat


def read_sentence(start: int, end: int, text: str, hits: list[Hit], clause_breaks: list[int],
                  entities_only: bool = False) -> SentenceView:
    """Build the view of one sentence from its hits (offsets are document offsets); ``entities_only``: the
    caller knows that every hit is an entity mention."""
    breaks = list(clause_breaks)
    post = 0
    anaphor: Hit | None = None
    opener: Hit | None = None  # "同时，" / "Moreover," opening the sentence: no clause of its own
    label: Hit | None = None
    comparatives: list[tuple[int, int]] = []
    neg_cues: list[Hit] = []
    entities: list[Hit]
    unlike_at: list[int] | tuple
    flags: set[str] | frozenset
    if entities_only:  # no cue among the hits: nothing to sort out (and nothing to add to, below)
        entities = hits
        unlike_at = ()
        flags = _NO_FLAGS
    else:
        category = _CATEGORY
        entities = []
        # (these two are read only where there are negation cues)
        short_cues: set[int] = set()  # starts of cues that negate only the next few characters
        scope_ends: list[int] = []
        flags = set()
        unlike_at = []
        for h in hits:
            cat = category.get(h.target)
            if cat is None:
                cat = _category(h.target)
            if not cat:
                entities.append(h)
            elif cat == "!":
                continue
            elif cat == "negation":
                neg_cues.append(h)
            elif cat == "verb_negation":
                neg_cues.append(h)
                short_cues.add(h.start)
            elif cat == "scope_end":
                scope_ends.append(h.start)
            elif cat == "contrast_negation":
                breaks.append(h.start)
                neg_cues.append(h)
            elif cat == "clause_break":
                breaks.append(h.start)
            elif cat == "opening_connective":
                opener = h if opener is None else opener
            elif cat in ("attribute_label", "application_label"):
                label = h if label is None else label
            elif cat == "unlike":
                breaks.append(h.start)
                unlike_at.append(h.start)
            elif cat == "post_negation":
                post += 1
            elif cat in _FLAG_CATEGORIES:
                flags.add(cat)
                if cat == "anaphora" and anaphor is None:
                    anaphor = h
                if cat == "comparative":
                    comparatives.append((h.start, h.end))
    opener_end = -1
    if opener is not None and clause_breaks and not text[:opener.start - start].strip(_OPENER_MARKS):
        first = clause_breaks[0]
        if not text[opener.end - start:first - start].strip(" \t，,"):
            breaks.remove(first)
            opener_end = first
    elif clause_breaks and "时" in text and clause_breaks[0] in breaks and \
            _time_clause(text[:clause_breaks[0] - start].rstrip(" \t，,")) and \
            not any(h.start < clause_breaks[0] for h in entities + neg_cues):
        breaks.remove(clause_breaks[0])  # "当…时，…": a time clause naming and denying nothing is no clause of its own
    breaks.sort()
    question, quoted = text_flags(text)
    contrasted = {bisect_right(breaks, u) for u in unlike_at} if unlike_at else set()
    if "不" in text or "相反" in text:
        bounds = [start, *breaks, end]
        for i in range(len(bounds) - 1):  # "与 BERT 不同，..." / "和 X 不一样，..."
            piece = text[bounds[i] - start:bounds[i + 1] - start].strip(" ，,；;")
            if piece.startswith(_SIMILE_OPENERS) and _SIMILE_END.search(piece):
                contrasted.add(i)
    mentions = []
    if neg_cues:
        # a one-character cue (不, 没, 未, 非, 无) reaches a few characters, up to a 的 or 是 that
        # ends its phrase ("不稳定的原因是…" negates 稳定 only; "不切分优化器状态" negates the whole
        # phrase); a longer cue (并不是, 没有, not) reaches NEGATION_WINDOW characters in its clause
        scopes = []  # (cue end, clause, scope end)
        for cue in neg_cues:
            after = text[cue.end - start:cue.end - start + 2].lstrip()
            if cue.start in short_cues and after[:1] in _COVERBS:
                stop = cue.end + NEGATION_WINDOW + 1  # "不会把 A 卸载到 B": the verb comes after its objects
            elif cue.end - cue.start == 1 or cue.start in short_cues:
                stop = cue.end + SHORT_WINDOW
                rest = text[cue.end - start:stop - start]
                for j, ch in enumerate(rest):
                    if ch in "的是" and j > 0:
                        stop = cue.end + j
                        break
            else:
                stop = cue.end + NEGATION_WINDOW + 1
            for e in scope_ends:  # "在不需要 X 的情况下平衡 Y": the negation ends with the condition
                if cue.end <= e < stop:
                    stop = e
                    break
            scopes.append((cue.end, bisect_right(breaks, cue.start), stop))
        for h in entities:
            clause = bisect_right(breaks, h.start)
            parity = sum(1 for cue_end, cue_clause, stop in scopes
                         if cue_end <= h.start < stop and cue_clause == clause)
            mentions.append(Mention(h.target, h.start, h.end, clause, parity % 2 == 1, False, h.fuzzy,
                                    clause in contrasted))
    elif not breaks:  # one clause
        contrasted_one = 0 in contrasted
        mentions = [Mention(h.target, h.start, h.end, 0, False, False, h.fuzzy, contrasted_one) for h in entities]
    elif not contrasted:
        mentions = [Mention(h.target, h.start, h.end, bisect_right(breaks, h.start), False, False, h.fuzzy)
                    for h in entities]
    else:
        mentions = [Mention(h.target, h.start, h.end, (clause := bisect_right(breaks, h.start)), False, False, h.fuzzy,
                            clause in contrasted) for h in entities]
    # all fields up to opener_end by position (keywords cost more in this, the most frequent call)
    view = SentenceView(start, end, mentions, "question" in flags or question, "hedge" in flags,
                        "misconception" in flags or quoted, post % 2 == 1, "comparative" in flags,
                        "anaphora" in flags, text, comparatives, None, "change" in flags, "", [], [],
                        -1 if anaphor is None else anaphor.start, -1 if anaphor is None else anaphor.end,
                        opener_end)
    if label is not None and not text[:label.start - start].strip(_OPENER_MARKS) and \
            text[label.end - start:label.end - start + 3].lstrip(" *_")[:1] in (":", "："):
        view.attribute_label = True
        view.application_label = _category(label.target) == "application_label"
    return view


_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*"
    r"(万亿|千亿|百亿|十亿|亿|百万|千|万|trillion|billion|million|bn|[kKwWmMbBtT](?![a-zA-Z]))?"
    r"(?![\w.]*\d)")
# scale words: small ones also write counts ("4K context", "32k vocabulary"); big ones write magnitudes
_UNITS = {"k": 1e3, "K": 1e3, "千": 1e3, "万": 1e4, "w": 1e4, "W": 1e4, "m": 1e6, "M": 1e6, "百万": 1e6,
          "million": 1e6, "b": 1e9, "B": 1e9, "billion": 1e9, "bn": 1e9, "十亿": 1e9, "亿": 1e8, "百亿": 1e10,
          "千亿": 1e11, "t": 1e12, "T": 1e12, "trillion": 1e12, "万亿": 1e12}
_BIG = {"b", "B", "billion", "bn", "十亿", "亿", "百亿", "千亿", "t", "T", "trillion", "万亿"}
# a number followed by another unit measures something else (memory, a share, a factor, time, bits)
_OTHER_UNIT = re.compile(r"\s*(?:%|％|‰|倍|[xX×](?![a-zA-Z])|[GMKT]i?B\b|GB|MB|TB|G(?![a-zA-Z])|秒|ms\b|s\b|bit|位|"
                         r"小时|天|h\b|epoch|个epoch|轮|步|steps?\b|卡|张|块|GPU|元|美元|\$)")


_RANGE = re.compile(r"\s*(?:-|–|~|～|到|至|\bto\b)\s*\d")
_RANGE_BEFORE = re.compile(r"\d\s*[a-zA-Z万千亿]?\s*(?:-|–|~|～|到|至|to)\s*$")


@dataclass(frozen=True, slots=True)
class Number:
    start: int  # document offsets
    end: int
    value: float
    rounded: bool  # written with a scale word or trailing zeros: compared with a tolerance
    scale: str  # "" (plain), "small" (k, 万, M) or "big" (B, 亿, T)


def find_numbers(text: str, base: int, spans: list[tuple[int, int]]) -> list[Number]:
    """Numbers in a sentence that could state a quantity (not inside entity names such as GPT-3 or
    Llama-2-70B, not versions or ranges, not amounts of memory, time, shares or factors)."""
    out = []
    for m in _NUMBER.finditer(text):
        s, e = base + m.start(), base + m.end()
        if any(a <= s < b for a, b in spans):
            continue
        if m.start() > 0 and text[m.start() - 1] in "-_/v<>≤≥~～≈":
            continue  # inside a name or a version; a bound ("<1B", "~30k") is not a value
        if _RANGE.match(text, m.end()) or (m.start() > 0 and _RANGE_BEFORE.search(text, 0, m.start())):
            continue  # "2K-16K", "30k 到 50k": a range
        if _OTHER_UNIT.match(text, m.end(1) if not m.group(2) else m.end(2)):
            continue
        digits = m.group(1).replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        unit = m.group(2)
        rounded = bool(unit) or (digits.endswith("000") and value >= 1000) or "." in digits
        scale = "" if not unit else ("big" if unit in _BIG else "small")
        out.append(Number(s, e, value * _UNITS.get(unit, 1), rounded, scale))
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
