"""A parsed document -> how each of its sentences is read (the views the checkers judge).

Sentences are split, one alias-index pass finds every mention and cue, each sentence with a
mention is read (negation, clauses, comparisons), its constructions applied, and its context
added: the previous sentence's subjects, a one-subject question heading, a misconception section.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, islice

from lint_notes.match.index import LEX_PREFIX, Hit
from lint_notes.match.polarity import SentenceView, read_sentence, text_flags
from lint_notes.read.constructions import ConstructionReader
from lint_notes.read.context import Context
from lint_notes.text.markdown import Document, section_ancestors
from lint_notes.text.normalize import fold
from lint_notes.text.segment import Sentence, split_sentences

_NOT_ENTITY = (LEX_PREFIX, "!")
_MISCONCEPTION = LEX_PREFIX + "misconception"


class _IsEntity(dict):
    """hit target -> whether it is an entity mention (not a lexicon cue or a blocker), remembered."""

    def __missing__(self, target: str) -> bool:
        self[target] = entity = not target.startswith(_NOT_ENTITY)
        return entity


_IS_ENTITY = _IsEntity()
_NOT_ASSERTED = {LEX_PREFIX + c for c in ("question", "hedge", "misconception")}
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"\d")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'-]*")
_BOOK_TITLE = re.compile(r"《([^《》\n]{2,120})》")
# a sentence that cites a work (a reference list entry, a footnote, "论文题目：…") states nothing
_CITATION = re.compile(r"arXiv[:\s]*\d{4}\.\d{4,5}|arXiv preprint|\bIn Proceedings\b|\bProceedings of\b|"
                       r"^\s*\[\^[^\]]+\]:|论文题目|论文标题|原文标题|论文名称|论文名|论文地址|论文链接|原文链接|"
                       r"\bPaper\s*[:：]|\bpaper link\b|\bdoi:", re.IGNORECASE)


def _title_like(text: str) -> bool:
    """Link text that names a work (a paper or article title) rather than a thing."""
    words = _LATIN_WORD.findall(text)
    return len(words) >= 4 or (":" in text and len(words) >= 2) or len(_CJK.findall(text)) >= 10


def _glossed(view: SentenceView) -> bool:
    """Whether a name is followed by a parenthesis that names something else ("DAPO（… Policy Optimization）",
    "Prefix LM（PaLM、GLM）"), or opens the heading and is followed by a colon and a clause that names something
    else ("IPO：修复 DPO 的…"): a heading written so says what the name is, does or includes."""
    text, base = view.text, view.start
    own = [m for m in view.mentions if not m.inherited]
    for k, m in enumerate(own):
        i = m.end - base
        while i < len(text) and text[i] in " \t*_":
            i += 1
        if k == 0 and i < len(text) and text[i] in ":：" and not text[:m.start - base].strip(" \t*_#0123456789.、"):
            if any(x.entity != m.entity for x in own[1:]):
                return True
        if i < len(text) and text[i] in "(（":
            close = min((j for j in (text.find(")", i), text.find("）", i)) if j > i), default=len(text))
            if any(x.entity != m.entity and not x.inherited and i < x.start - base < close for x in view.mentions):
                return True
    return False


def _reference_blocks(doc: Document) -> set[int]:
    """Blocks that are mostly link text: entries of a reading list."""
    if not doc.links:
        return set()
    from bisect import bisect_right

    starts = [b.start for b in doc.blocks]
    linked: dict[int, int] = {}
    for a, b in doc.links:
        i = bisect_right(starts, a) - 1
        if i >= 0 and doc.blocks[i].start <= a < doc.blocks[i].end:
            linked[i] = linked.get(i, 0) + sum(1 for ch in doc.text[a:b] if not ch.isspace())
    out = set()
    for i, n in linked.items():
        blk = doc.blocks[i]
        words = sum(1 for ch in doc.masked[blk.start:blk.end] if ch.isalnum())
        if n >= 0.6 * max(words, 1):
            out.add(i)
    return out


@dataclass
class Reading:
    doc: Document
    sentences: list[Sentence]
    views: list[SentenceView]  # one per sentence, in order
    checked: list[bool]  # per view: an assertion of the author's to check against the claims
    hits: list[Hit]
    starts: list[int]  # hit starts, for bisecting
    misconception_blocks: set[int]
    statements: int  # sentences read as the author's assertions
    zh: bool


# every alternative of _CITATION contains one of these (in the folded text: lower case, Simplified Chinese)
_HINT = re.compile("|".join(re.escape(h) for h in ("arxiv", "proceedings", "[^", "论文", "原文", "paper", "doi:")))


def _hints(folded: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the _HINT words of a whole document, for a cheap pre-check of _CITATION (which is
    slow to search in every sentence). No hint word overlaps another, so these are all of them."""
    found = [m.span() for m in _HINT.finditer(folded)]
    return [a for a, _ in found], [b for _, b in found]


class DocumentReader:
    def __init__(self, index, kinds: dict[str, str | None], constructions: ConstructionReader, fuzzy: bool = True,
                 anaphora_kinds: dict[str, tuple[str, ...]] | None = None, kind_groups: tuple = (),
                 examples_terms: frozenset[str] = frozenset()):
        self.examples_terms = examples_terms
        self.kind_groups = kind_groups
        self.index = index
        self.kinds = kinds
        self.anaphora_kinds = anaphora_kinds or {}
        self.constructions = constructions
        self.fuzzy = fuzzy

    def read(self, doc: Document) -> Reading:
        doc.masked = self._prose(doc)
        references = _reference_blocks(doc)
        sentences = split_sentences(doc)
        hits = self.index.scan(doc.masked, fuzzy=self.fuzzy)
        folded = self.index.last_folded
        spaced = folded.replace("\x00", " ")  # how the constructions read it
        cues = self.constructions.cues
        starts = [h.start for h in hits]
        # entities[i]: how many of hits[:i] are entity mentions (not lexicon cues or blockers)
        entities = list(accumulate(map(_IS_ENTITY.__getitem__, [h.target for h in hits]), initial=0))
        misconception_blocks = self._misconception_sections(doc, hits)
        zh = len(list(islice(_CJK.finditer(doc.masked, 0, 4000), 10))) == 10  # ten CJK characters in the opening
        hint_starts, hint_ends = _hints(folded)
        views: list[SentenceView] = []
        checked: list[bool] = []
        statements = 0
        context = Context(self.kinds, self.anaphora_kinds, self.kind_groups, self.examples_terms)
        apply = self.constructions.apply
        blocks = doc.blocks
        context_breaks = doc.context_breaks
        last_end = -1
        for s in sentences:
            start, end, b, text = s.start, s.end, s.block, s.text
            lo = bisect_left(starts, start)
            hi = bisect_left(starts, end, lo)
            block = blocks[b]
            if b in references:
                cites = True
            elif hint_starts:  # a sentence that holds no hint word cannot match _CITATION
                k = bisect_left(hint_starts, start)
                cites = k < len(hint_starts) and hint_ends[k] <= end and _CITATION.search(text) is not None
            else:
                cites = False
            if cites:
                views.append(SentenceView(start, end, [], text=text))  # a reference, not a statement
                checked.append(False)
                continue
            if entities[hi] == entities[lo] and \
                    not (block.table >= 0 and block.row > 0 and block.col > 0 and _DIGIT.search(text)):
                # nothing to match; the context of the sentence before carries over it
                if block.kind != "heading" and b not in misconception_blocks and not any(text_flags(text)) and \
                        not any(h.target in _NOT_ASSERTED for h in hits[lo:hi]):
                    statements += 1
                views.append(SentenceView(start, end, [], text=text))
                checked.append(False)
                continue
            view = read_sentence(start, end, text, hits[lo:hi], s.clause_breaks,
                                 entities_only=entities[hi] - entities[lo] == hi - lo)
            # (only sentences with mentions get here, each searched on its own slice: given the whole document and
            # bounds, the automaton would copy the document each time)
            sentence = spaced[start:end]
            cued = cues(sentence)
            if cued:  # a construction needs a cue word
                apply(view, sentence, cued)
            if b in misconception_blocks:
                view.misconception = True
            if context_breaks and last_end >= 0:
                i = bisect_left(context_breaks, last_end)
                if i < len(context_breaks) and context_breaks[i] < start:
                    context.recent = []  # struck or inserted text stands between: its context is unknown
            heading = block.kind == "heading"
            first_of_block = context.block != b
            context.enter(b, block)
            if first_of_block and not heading:
                context.opening_label(view, text)
            if heading:
                context.heading(view)
                view.block = b
            else:
                anaphor = None
                if view.anaphor_start >= 0:
                    anaphor = fold(doc.text[view.anaphor_start:view.anaphor_end]).replace("\x00", "")
                context.carry(view, b, block, anaphor)
                context.closing_colon(view, text, block)
                context.bare_name(view, text, block)
            last_end = end
            views.append(view)
            # a heading, a table's header row and its first column name things; they assert nothing
            # (except a heading, a header cell or a row label that glosses a name in parentheses: "Continuous
            # Batching（vLLM 引入）", "| MQA (T5/ChatGLM) |", "| 改 Q（如 P-Tuning v2）| …")
            ok = (not heading or _glossed(view)) and view.asserted and \
                not (block.table >= 0 and (block.row == 0 or block.col == 0) and not _glossed(view))
            checked.append(ok)
            statements += ok
        return Reading(doc, sentences, views, checked, hits, starts, misconception_blocks, statements, zh)

    def _prose(self, doc: Document) -> str:
        """The masked text as read: inline code that is exactly a known name is a mention ("`RMSNorm`"), and so is
        math that holds a known formula;
        titles (of papers and articles: long link texts, 《…》) are not statements, unless a title is
        exactly a known name (《Attention Is All You Need》)."""
        spans = [(a, b, True) for a, b in doc.code_spans] + \
            [(a, b, False) for a, b in doc.links if _title_like(doc.text[a:b])] + \
            [(m.start(1), m.end(1), False) for m in _BOOK_TITLE.finditer(doc.masked)]
        # math that holds a formula the knowledge base knows ("$$\\text{SwiGLU}(x) = x \\cdot \\sigma(x) + …$$") is read
        spans += [(a, b, True) for a, b in doc.math_spans if self.index.formula(doc.text[a:b])]
        if not spans:
            return doc.masked
        chars = None
        for a, b, reveal in spans:
            named = self.index.names(doc.text[a:b]) or (reveal and self.index.formula(doc.text[a:b]))
            if reveal != named:
                continue
            if chars is None:
                chars = list(doc.masked)
            if reveal:
                chars[a:b] = doc.text[a:b]
            else:
                for i in range(a, b):
                    if chars[i] != "\n":
                        chars[i] = " "
        return doc.masked if chars is None else "".join(chars)

    def _misconception_sections(self, doc: Document, hits: list[Hit]) -> set[int]:
        """Blocks under a heading that presents misconceptions ("误区", "Myths")."""
        cue_at = [h.start for h in hits if h.target == _MISCONCEPTION]  # in order, as hits are
        if not cue_at:
            return set()
        marked: set[int] = set()
        for hi in doc.headings:
            b = doc.blocks[hi]
            k = bisect_left(cue_at, b.start)
            if k < len(cue_at) and cue_at[k] < b.end:
                marked.add(hi)
        if not marked:
            return set()
        return {i for i in range(len(doc.blocks)) if any(a in marked for a in section_ancestors(doc, i))}
