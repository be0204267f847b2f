"""One document in, findings out: the whole pipeline in order.

read -> Markdown blocks -> sentences -> one alias-index pass -> sentence views (polarity,
context) -> candidate claims -> matches -> rules -> findings.
"""

from __future__ import annotations

import gc
import threading
from bisect import bisect_left
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lint_notes.findings import FileResult, Finding, fingerprint
from lint_notes.knowledge.model import KnowledgeBase
from lint_notes.match.claims import ClaimMatch, ClaimMatcher
from lint_notes.match.index import AliasIndex
from lint_notes.match.polarity import SentenceView
from lint_notes.read.constructions import ConstructionReader
from lint_notes.read.document import DocumentReader, Reading
from lint_notes.rules import RuleSet, finding_verdict, is_verified, render_message
from lint_notes.text.markdown import (
    Document,
    parse_markdown,
    parse_plain,
    section_range,
)
from lint_notes.text.normalize import is_traditional, sentence_fingerprint_text, sentence_language, to_traditional
from lint_notes.text.read import UnreadableFile, decode

_NONE: frozenset[str] = frozenset()
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
        self.constructions = ConstructionReader(kb.constructions, self.kinds)
        self.reader = DocumentReader(self.index, self.kinds, self.constructions, self.options.fuzzy,
                                     kb.lexicon.anaphora_kinds, kb.lexicon.kind_groups, kb.lexicon.examples_terms)
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
        with _collector_seldom():
            doc = parse_markdown(text) if markdown else parse_plain(text)
            return self._lint_parsed(doc, name, markdown)

    def lint_parsed(self, doc: Document, name: str, markdown: bool = True) -> FileResult:
        """Lint a parsed document, then apply its suppression comments."""
        with _collector_seldom():
            return self._lint_parsed(doc, name, markdown)

    def _lint_parsed(self, doc: Document, name: str, markdown: bool = True) -> FileResult:
        result = self.lint_document(doc, name)
        if "lint-notes-" in doc.text:
            from lint_notes import suppress

            directives = suppress.parse(doc.text, markdown, doc.code_lines)
            result.findings, dropped = suppress.apply(result.findings, directives)
            result.suppressed = len(dropped)
            result.unused_suppressions = [d for d in directives if not d.used and d.kind != "enable"]
            result.suppression_ids = [(d.line, i) for d in directives for i in d.ids]
        return result

    # --- the pipeline -------------------------------------------------------------
    def read(self, doc: Document) -> Reading:
        """How each sentence of a document is read (mentions, polarity, constructions, context)."""
        return self.reader.read(doc)

    def lint_document(self, doc: Document, name: str) -> FileResult:
        reading = self.read(doc)
        zh = reading.zh
        result = FileResult(name, statements=reading.statements, language="zh" if zh else "en")
        prev_claims: dict[int, set[str]] = {}  # block -> claims matched in its previous sentence
        matches: list[tuple[SentenceView, ClaimMatch]] = []
        match = self.matcher.matches
        for s, view, checked in zip(reading.sentences, reading.views, reading.checked):
            if not checked:
                prev_claims.pop(s.block, None)  # it reported nothing: nothing to repeat
                continue
            raw = match(view)
            if not raw:
                prev_claims[s.block] = _NONE
                continue
            before = prev_claims.get(s.block, _NONE)
            # a claim the previous sentence matched, matched again only through inherited context,
            # is not reported twice in a row; this comes before resolving, so that a dropped repeat
            # never hides what the sentence says by itself
            found = _resolve(_not_repeated(raw, before) if before else raw)
            prev_claims[s.block] = {m.claim.id for m in raw}
            for m in found:
                matches.append((view, m))
        matches.extend(self._section_matches(reading))
        verified: dict[int, list[ClaimMatch]] = {}  # sentence start -> verified matches
        views: dict[int, SentenceView] = {}
        wrong: dict[int, list[ClaimMatch]] = {}
        for view, m in matches:
            views[view.start] = view
            if is_verified(m.claim, m.relation):
                verified.setdefault(view.start, []).append(m)
            elif finding_verdict(m.claim, m.relation) is not None:
                wrong.setdefault(view.start, []).append(m)
        for start, found in wrong.items():
            for m, others in _one_per_mistake(found):
                finding = self._finding(doc, name, views[start], m, zh, others)
                if finding is not None:
                    result.findings.append(finding)
        flagged = {f.start for f in result.findings}
        result.checked = len(views)  # statements that some claim spoke to, right or wrong
        for start, found in verified.items():
            view = views[start]
            # verified only when every claim-bearing part of the sentence was checked and agrees:
            # a true side fact does not verify a sentence whose main assertion no claim covers
            if start in flagged or not self._covered(view, found):
                continue
            ids = sorted({m.claim.id for m in found})  # by id: the order of matches follows a set's order
            for cid in ids:
                result.verified_spans.append((view.start, view.end, cid))
            result.verified += 1
            result.verified_statements.append(
                {"line": doc.position(view.start)[0], "end_line": doc.position(view.end - 1)[0], "claims": ids})
        result.findings.sort(key=Finding.sort_key)
        return result

    def _covered(self, view: SentenceView, found: list[ClaimMatch]) -> bool:
        """Whether the sentence's own subjects and values (mentions of a kind that are not points of
        reference) all took part in its verified matches."""
        used = {e.entity for m in found for e in m.evidence}  # (a mention whose entity took part is covered)
        kinds = self.kinds
        for mention in view.mentions:
            if mention.inherited or mention.standard or mention.neutral or mention.scoped:
                continue
            if mention.entity not in used and kinds.get(mention.entity):
                return False
        return True

    def _section_matches(self, reading: Reading):
        out = []
        if not self.matcher.section_claims:
            return out
        doc, views = reading.doc, reading.views
        headings = set(doc.headings)
        by_block: dict[int, list[SentenceView]] = {}
        for s, v in zip(reading.sentences, views):
            if s.block in headings:
                by_block.setdefault(s.block, []).append(v)
        view_starts = None
        for hi in doc.headings:
            if hi in reading.misconception_blocks:
                continue
            # the heading's sentences, each with the section claims it names the heading of
            named = [(hv, self.matcher.section_candidates(hv)) for hv in by_block.get(hi, ())]
            if not any(ids for _, ids in named):
                continue
            first, last = section_range(doc, hi)
            if first >= last:
                continue
            if view_starts is None:
                view_starts = [v.start for v in views]
            b0, b1 = doc.blocks[first].start, doc.blocks[last - 1].end
            lo, up = bisect_left(view_starts, b0), bisect_left(view_starts, b1)
            body_ids = {m.entity for v in views[lo:up] for m in v.mentions if not m.inherited}
            for claim in self.matcher.section_claims:
                for hv, ids in named:
                    if claim.id not in ids:
                        continue
                    m = self.matcher.match_section(claim, hv, body_ids=body_ids)
                    if m is not None:
                        out.append((hv, m))
                        break
        return out

    def _finding(self, doc: Document, name: str, view: SentenceView, m: ClaimMatch, zh: bool,
                 others: list[ClaimMatch] = ()) -> Finding | None:
        verdict = finding_verdict(m.claim, m.relation)
        if verdict is None:
            return None
        if verdict == "false" and any(m.fuzzy for m in m.evidence):
            verdict = "unverified"  # a name matched only by typo tolerance never makes a "false" finding
        rule = self.rules.select(m)
        if rule is None:
            return None
        severity = rule.severity
        if m.confidence == "low" or view.modality == "reported":
            severity = "info"  # an uncertain reading, or a view the note reports: shown, never failing CI
        line, col = doc.position(view.start)
        end_line, end_col = doc.position(view.end - 1)
        text = doc.text[view.start:view.end]
        claim = m.claim
        zh = sentence_language(text, zh)  # messages speak the language of the flagged sentence
        if m.relation == "denies":
            correction = claim.statement_zh if zh else claim.statement
        else:
            correction = (claim.correction_zh if zh else claim.correction) or claim.correction
        message = render_message(rule, claim, m.relation, verdict, text, zh)
        if zh and is_traditional(text):  # Traditional Chinese notes read Traditional corrections
            message, correction = to_traditional(message), to_traditional(correction)
        return Finding(
            path=name,
            line=line,
            column=col,
            end_line=end_line,
            end_column=end_col + 1,
            rule=rule.id,
            claim=claim.id,
            verdict=verdict,
            severity=severity,
            message=message,
            text=text,
            correction=correction,
            citations=tuple(dict.fromkeys(claim.citations + tuple(c for o in others for c in o.claim.citations))),
            also=tuple(o.claim.id for o in others),
            relation=m.relation,
            confidence=m.confidence,
            reasons=m.reasons + (("the note reports this as someone's view",) if view.modality == "reported" else ()),
            fingerprint=fingerprint(claim.id, sentence_fingerprint_text(text)),
            start=view.start,
            end=view.end,
            topic=claim.topic,
        )




@contextmanager
def _collector_seldom():
    """While documents are linted, the cycle collector runs seldom.

    Linting allocates many short-lived objects, freed by reference counting; at the default thresholds
    the collector would run every 700 of them and, every few runs, walk every object that exists (the
    compiled knowledge base above all) again. The thresholds the lint command sets for a whole run
    (runner.tuned_gc) hold while any document is being linted, unless the caller's are higher; the
    caller's come back when the last one is done.
    """
    global _linting, _thresholds
    with _gc_lock:
        if _linting == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(*(max(a, b) for a, b in zip(_thresholds, _LINT_THRESHOLDS)))
        _linting += 1
    try:
        yield
    finally:
        with _gc_lock:
            _linting -= 1
            if _linting == 0:
                gc.set_threshold(*_thresholds)


_LINT_THRESHOLDS = (50_000, 20, 100)  # as runner.tuned_gc sets them
_gc_lock = threading.Lock()
_linting = 0  # documents being linted (by any thread)
_thresholds: tuple[int, ...] = ()  # the caller's, while some are


def unreadable(name: str, exc: OSError) -> FileResult:
    return FileResult(name, error=f"cannot read: {exc.strerror or exc}")


def file_kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in NOTEBOOK_SUFFIXES:
        return "notebook"
    return "markdown"


def _one_per_mistake(found: list[ClaimMatch]) -> list[tuple[ClaimMatch, list[ClaimMatch]]]:
    """One finding per mistake: matches of one sentence that tie the same subject to the same value
    mention are one error; the written claim (else the first) reports it, with the others' sources."""
    kept: list[tuple[ClaimMatch, list[ClaimMatch], str | None, set]] = []
    for m in sorted(found, key=lambda m: (-m.claim.priority, m.claim.id)):
        subject = m.evidence[0].entity if m.evidence else None
        values = {(e.entity, e.start) for e in m.evidence[1:] if not e.inherited}
        for k_match, others, k_subject, k_values in kept:
            if values and k_subject == subject and values & k_values:
                others.append(m)
                break
        else:
            kept.append((m, [], subject, values))
    return [(m, others) for m, others, _, _ in kept]


def _not_repeated(raw: list[ClaimMatch], before: set[str]) -> list[ClaimMatch]:
    """The matches but those of a claim the previous sentence matched that rest on inherited context."""
    return [m for m in raw if not (m.claim.id in before and any(e.inherited for e in m.evidence))]


def _resolve(found: list[ClaimMatch]) -> list[ClaimMatch]:
    """Drop matches that another match on the same sentence replaces."""
    if len(found) < 2:
        return found
    suppressed = {sid for m in found for sid in m.claim.suppresses}
    hand_slots = None  # (property, subject) of the hand-written claims: only once a generated claim needs them
    out = []
    for m in found:
        claim = m.claim
        if claim.id in suppressed:
            continue
        if claim.origin != "claims":
            if hand_slots is None:
                hand_slots = {(m.claim.match.property, s) for m in found if m.claim.origin == "claims"
                              for s in m.claim.match.subject if m.claim.match.property}
            if hand_slots and any((claim.match.property, s) in hand_slots for s in claim.match.subject):
                continue
        out.append(m)
    return out
