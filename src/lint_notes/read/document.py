"""A parsed document -> how each of its sentences is read (the views the checkers judge).

Sentences are split, one alias-index pass finds every mention and cue, each sentence with a
mention is read (negation, clauses, comparisons), its constructions applied, and its context
added: the previous sentence's subjects, a one-subject question heading, a misconception section.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

from lint_notes.match.index import LEX_PREFIX, Hit
from lint_notes.match.polarity import SentenceView, inherit, read_sentence, text_flags
from lint_notes.read.constructions import ConstructionReader
from lint_notes.text.markdown import Document, section_ancestors
from lint_notes.text.normalize import fold
from lint_notes.text.segment import Sentence, split_sentences

_NOT_ENTITY = (LEX_PREFIX, "!")
_NOT_ASSERTED = {LEX_PREFIX + c for c in ("question", "hedge", "misconception")}
_CJK = re.compile(r"[\u3400-\u9fff]")


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


class DocumentReader:
    def __init__(self, index, kinds: dict[str, str | None], constructions: ConstructionReader, fuzzy: bool = True):
        self.index = index
        self.kinds = kinds
        self.constructions = constructions
        self.fuzzy = fuzzy

    def read(self, doc: Document) -> Reading:
        sentences = split_sentences(doc)
        hits = self.index.scan(doc.masked, fuzzy=self.fuzzy)
        starts = [h.start for h in hits]
        # entities[i]: how many of hits[:i] are entity mentions (not lexicon cues or blockers)
        entities = [0, *accumulate(not h.target.startswith(_NOT_ENTITY) for h in hits)]
        misconception_blocks = self._misconception_sections(doc, hits, starts)
        zh = len(_CJK.findall(doc.masked, 0, 4000)) >= 10
        views: list[SentenceView] = []
        checked: list[bool] = []
        statements = 0
        prev_by_block: dict[int, SentenceView] = {}
        for s in sentences:
            lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
            sentence_hits = hits[lo:hi]
            block = doc.blocks[s.block]
            if entities[hi] == entities[lo]:
                # nothing to match; the context of the sentence before carries over it
                if block.kind != "heading" and not any(text_flags(s.text)) and \
                        not any(h.target in _NOT_ASSERTED for h in sentence_hits) and s.block not in misconception_blocks:
                    statements += 1
                views.append(SentenceView(s.start, s.end, [], text=s.text))
                checked.append(False)
                continue
            view = read_sentence(s.start, s.end, s.text, sentence_hits, s.clause_breaks)
            self.constructions.apply(view, fold(s.text))
            if s.block in misconception_blocks:
                view.misconception = True
            prev = prev_by_block.get(s.block)
            if prev is not None and doc.context_breaks:
                i = bisect_left(doc.context_breaks, prev.end)
                if i < len(doc.context_breaks) and doc.context_breaks[i] < s.start:
                    prev = None  # struck or inserted text stands between: its context is unknown
            inherit(view, prev, self.kinds)
            prev_by_block[s.block] = view
            views.append(view)
            ok = block.kind != "heading" and view.asserted
            checked.append(ok)
            statements += ok
        return Reading(doc, sentences, views, checked, hits, starts, misconception_blocks, statements, zh)

    def _misconception_sections(self, doc: Document, hits: list[Hit], starts: list[int]) -> set[int]:
        """Blocks under a heading that presents misconceptions ("误区", "Myths")."""
        marked: set[int] = set()
        for hi in doc.headings:
            b = doc.blocks[hi]
            lo, up = bisect_left(starts, b.start), bisect_left(starts, b.end)
            if any(h.target == LEX_PREFIX + "misconception" for h in hits[lo:up]):
                marked.add(hi)
        if not marked:
            return set()
        out = set()
        for i in range(len(doc.blocks)):
            if any(a in marked for a in section_ancestors(doc, i)):
                out.add(i)
        return out
