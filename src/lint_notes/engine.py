"""One document in, findings out: the whole pipeline in order.

read -> Markdown blocks -> sentences -> one alias-index pass -> sentence views (polarity,
context) -> candidate claims -> matches -> rules -> findings.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from lint_notes.findings import FileResult, Finding, fingerprint
from lint_notes.knowledge.model import KnowledgeBase
from lint_notes.match.claims import ClaimMatch, ClaimMatcher
from lint_notes.match.index import LEX_PREFIX, AliasIndex, Hit
from lint_notes.match.polarity import SentenceView, inherit, read_sentence, text_flags
from lint_notes.rules import RuleSet, finding_verdict, is_verified, render_message
from lint_notes.text.markdown import Document, parse_markdown, parse_plain, section_ancestors, section_range
from lint_notes.text.normalize import sentence_fingerprint_text
from lint_notes.text.read import UnreadableFile, decode
from lint_notes.text.segment import split_sentences

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
TEXT_SUFFIXES = (".txt", ".text")
NOTEBOOK_SUFFIXES = (".ipynb",)
LINTABLE_SUFFIXES = MARKDOWN_SUFFIXES + TEXT_SUFFIXES + NOTEBOOK_SUFFIXES


@dataclass
class Options:
    fuzzy: bool = True


class Linter:
    """Holds the compiled knowledge base; lints any number of documents."""

    def __init__(self, kb: KnowledgeBase, options: Options | None = None):
        self.kb = kb
        self.options = options or Options()
        self.index = AliasIndex(kb)
        self.matcher = ClaimMatcher(kb)
        self.rules = RuleSet(kb)
        self.kinds = self.matcher.kinds
        self.cache_key: str | None = None  # set when the compiled linter comes from the cache (knowledge.cache)

    # --- entry points -------------------------------------------------------------
    def lint_file(self, path: Path, display: str | None = None, kind: str | None = None) -> FileResult:
        name = display or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return unreadable(name, exc)
        return self.lint_bytes(data, name, kind or file_kind(path.name))

    def lint_bytes(self, data: bytes, name: str, kind: str = "markdown") -> FileResult:
        try:
            decoded = decode(data)
        except UnreadableFile as exc:
            return FileResult(name, error=str(exc))
        if kind == "notebook":
            from lint_notes.text.notebook import NotebookError, lint_notebook

            try:
                return lint_notebook(self, decoded.text, name)
            except NotebookError as exc:
                return FileResult(name, error=str(exc))
        return self.lint_text(decoded.text, name, kind != "text")

    def lint_text(self, text: str, name: str = "<text>", markdown: bool = True) -> FileResult:
        doc = parse_markdown(text) if markdown else parse_plain(text)
        return self.lint_parsed(doc, name, markdown)

    def lint_parsed(self, doc: Document, name: str, markdown: bool = True) -> FileResult:
        """Lint a parsed document, then apply its suppression comments."""
        result = self.lint_document(doc, name)
        if "lint-notes-" in doc.text:
            from lint_notes import suppress

            directives = suppress.parse(doc.text, markdown, doc.code_lines)
            result.findings, dropped = suppress.apply(result.findings, directives)
            result.suppressed = len(dropped)
            result.unused_suppressions = [d for d in directives if not d.used and d.kind != "enable"]
        return result

    # --- the pipeline -------------------------------------------------------------
    def lint_document(self, doc: Document, name: str) -> FileResult:
        result = FileResult(name)
        sentences = split_sentences(doc)
        hits = self.index.scan(doc.masked, fuzzy=self.options.fuzzy)
        starts = [h.start for h in hits]
        # entities[i]: how many of hits[:i] are entity mentions (not lexicon cues or blockers)
        entities = [0, *accumulate(not h.target.startswith(_NOT_ENTITY) for h in hits)]
        misconception_blocks = self._misconception_sections(doc, hits, starts)
        zh = len(_CJK.findall(doc.masked, 0, 4000)) >= 10
        result.language = "zh" if zh else "en"
        views: list[SentenceView] = []
        prev_by_block: dict[int, SentenceView] = {}
        prev_claims: dict[int, set[str]] = {}  # block -> claims matched in its previous sentence
        matches: list[tuple[SentenceView, ClaimMatch]] = []
        for s in sentences:
            lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
            sentence_hits = hits[lo:hi]
            if entities[hi] == entities[lo]:
                # nothing to match; the context of the sentence before carries over it
                prev_claims.pop(s.block, None)
                if doc.blocks[s.block].kind != "heading" and not any(text_flags(s.text)) and \
                        not any(h.target in _NOT_ASSERTED for h in sentence_hits) and s.block not in misconception_blocks:
                    result.statements += 1
                views.append(SentenceView(s.start, s.end, [], text=s.text))
                continue
            view = read_sentence(s.start, s.end, s.text, sentence_hits, s.clause_breaks)
            block = doc.blocks[s.block]
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
            if block.kind == "heading" or not view.asserted:
                prev_claims.pop(s.block, None)  # it reported nothing: nothing to repeat
                continue
            result.statements += 1
            raw = self._match_sentence(view)
            before = prev_claims.get(s.block, set())
            # a claim the previous sentence matched, matched again only through inherited context,
            # is not reported twice in a row; this comes before resolving, so that a dropped repeat
            # never hides what the sentence says by itself
            found = _resolve([m for m in raw
                              if not (m.claim.id in before and any(e.inherited for e in m.evidence))])
            prev_claims[s.block] = {m.claim.id for m in raw}
            matches.extend((view, m) for m in found)
        matches.extend(self._section_matches(doc, views, sentences, hits, starts, misconception_blocks))
        counted: set[tuple[int, str]] = set()
        verified_sentences: set[int] = set()
        for view, m in matches:
            if is_verified(m.claim, m.relation):
                if (view.start, m.claim.id) not in counted:
                    counted.add((view.start, m.claim.id))
                    verified_sentences.add(view.start)
                    result.verified_spans.append((view.start, view.end, m.claim.id))
                continue
            finding = self._finding(doc, name, view, m, zh)
            if finding is not None:
                result.findings.append(finding)
        flagged = {f.start for f in result.findings}
        result.verified = len(verified_sentences - flagged)  # statements found right, and nothing wrong
        result.findings.sort(key=Finding.sort_key)
        return result

    def _match_sentence(self, view: SentenceView) -> list[ClaimMatch]:
        """Every candidate claim that matches (not yet resolved against each other)."""
        found = []
        for claim in self.matcher.candidates(view):
            m = self.matcher.match(claim, view)
            if m is not None:
                found.append(m)
        return found

    def _section_matches(self, doc, views, sentences, hits, starts, misconception_blocks):
        out = []
        if not self.matcher.section_claims:
            return out
        by_block: dict[int, list[SentenceView]] = {}
        for s, v in zip(sentences, views):
            by_block.setdefault(s.block, []).append(v)
        view_starts = [v.start for v in views]
        for hi in doc.headings:
            if hi in misconception_blocks:
                continue
            heading_views = by_block.get(hi, [])
            if not heading_views:
                continue
            first, last = section_range(doc, hi)
            if first >= last:
                continue
            b0, b1 = doc.blocks[first].start, doc.blocks[last - 1].end
            lo, up = bisect_left(view_starts, b0), bisect_left(view_starts, b1)
            body = [m for v in views[lo:up] for m in v.mentions if not m.inherited]
            for claim in self.matcher.section_claims:
                for hv in heading_views:
                    m = self.matcher.match_section(claim, hv, body)
                    if m is not None:
                        out.append((hv, m))
                        break
        return out

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

    def _finding(self, doc: Document, name: str, view: SentenceView, m: ClaimMatch, zh: bool) -> Finding | None:
        verdict = finding_verdict(m.claim, m.relation)
        if verdict is None:
            return None
        if m.confidence == "low" and verdict == "false":
            verdict = "unverified"  # a name matched only by typo tolerance never makes a "false" finding
        rule = self.rules.select(m)
        if rule is None:
            return None
        line, col = doc.position(view.start)
        end_line, end_col = doc.position(view.end - 1)
        text = doc.text[view.start:view.end]
        claim = m.claim
        if m.relation == "denies":
            correction = claim.statement_zh if zh else claim.statement
        else:
            correction = (claim.correction_zh if zh else claim.correction) or claim.correction
        return Finding(
            path=name,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col + 1,
            rule=rule.id,
            claim=claim.id,
            verdict=verdict,
            severity=rule.severity,
            message=render_message(rule, claim, m.relation, verdict, text, zh),
            text=text,
            correction=correction,
            citations=claim.citations,
            relation=m.relation,
            confidence=m.confidence,
            fingerprint=fingerprint(claim.id, sentence_fingerprint_text(text)),
            start=view.start,
            end=view.end,
            topic=claim.topic,
        )


_CJK = re.compile(r"[\u3400-\u9fff]")
_NOT_ENTITY = (LEX_PREFIX, "!")
_NOT_ASSERTED = {LEX_PREFIX + c for c in ("question", "hedge", "misconception")}


def unreadable(name: str, exc: OSError) -> FileResult:
    return FileResult(name, error=f"cannot read: {exc.strerror or exc}")


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in NOTEBOOK_SUFFIXES:
        return "notebook"
    return "markdown"


def _resolve(found: list[ClaimMatch]) -> list[ClaimMatch]:
    """Drop matches that another match on the same sentence replaces."""
    if len(found) < 2:
        return found
    suppressed = {sid for m in found for sid in m.claim.suppresses}
    hand_slots = {(m.claim.match.property, s) for m in found if m.claim.origin == "claims"
                  for s in m.claim.match.subject if m.claim.match.property}
    out = []
    for m in found:
        if m.claim.id in suppressed:
            continue
        if m.claim.origin != "claims" and any((m.claim.match.property, s) in hand_slots for s in m.claim.match.subject):
            continue
        out.append(m)
    return out
