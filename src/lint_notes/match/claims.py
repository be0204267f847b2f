"""Candidate claim + sentence -> a match with a relation (asserts / denies), or nothing.

A slot claim needs its subject and a value in scope, the value bound to that subject; a group
claim needs every group. The relation is ``asserts`` when the note states the claim and
``denies`` when it states the opposite (a contradicting value, or the asserted value negated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lint_notes.knowledge.model import Claim, KnowledgeBase
from lint_notes.match.polarity import Mention, SentenceView, comparison_standards

ASSERTS, DENIES = "asserts", "denies"


@dataclass(frozen=True)
class ClaimMatch:
    claim: Claim
    relation: str
    confidence: str  # "high", or "low" when a mention was matched by typo tolerance only
    evidence: tuple[Mention, ...]


class ClaimMatcher:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.kinds = {eid: e.kind for eid, e in kb.entities.items()}
        self.section_claims = [c for c in kb.claims.values() if c.match.form == "section"]
        # entity sets that must each be mentioned for a claim to have any chance (a cheap pre-check)
        self.required: dict[str, tuple[frozenset[str], ...]] = {}
        uses: dict[str, int] = {}
        for claim in kb.claims.values():
            spec = claim.match
            if spec.form in ("slot", "number"):
                req = (spec.subject, spec.asserts | spec.contradicts, *spec.groups)
            else:
                req = spec.groups
            self.required[claim.id] = tuple(g for g in req if g)
            for g in self.required[claim.id]:
                for eid in g:
                    uses[eid] = uses.get(eid, 0) + 1
        # a claim is looked up by its most specific required set (the one whose entities the fewest
        # claims use), so that common subjects such as GPT-3 do not make every claim a candidate
        self.by_trigger: dict[str, list[Claim]] = {}
        for claim in kb.claims.values():
            if claim.match.form == "section" or not self.required[claim.id]:
                continue
            key = min(self.required[claim.id], key=lambda g: (sum(uses.get(e, 0) for e in g), len(g)))
            for eid in key:
                self.by_trigger.setdefault(eid, []).append(claim)
        words = sorted(kb.lexicon.words("coordinator"), key=len, reverse=True)
        joiner = "|".join(re.escape(w) for w in words) or "(?!)"
        self._coordination = re.compile(rf"(?:[\s、,，/&()（）]|{joiner})*", re.IGNORECASE)
        self._peers: dict[str, frozenset[str]] = {}
        self._kinds_cache: dict[frozenset[str], frozenset[str]] = {}
        for kind in set(k for k in self.kinds.values() if k):
            peers = {kind}
            for group in kb.lexicon.kind_groups:
                if kind in group:
                    peers |= group
            self._peers[kind] = frozenset(peers)

    # --- candidates -----------------------------------------------------------------
    def candidates(self, view: SentenceView) -> list[Claim]:
        """Claims whose trigger is mentioned and whose required entities are all present."""
        present = {m.entity for m in view.mentions}
        seen: dict[str, Claim] = {}
        required = self.required
        for eid in present:
            for claim in self.by_trigger.get(eid, ()):
                if claim.id in seen:
                    continue
                for group in required[claim.id]:
                    if group.isdisjoint(present):
                        break
                else:
                    seen[claim.id] = claim
        return list(seen.values())

    def match(self, claim: Claim, view: SentenceView) -> ClaimMatch | None:
        spec = claim.match
        if spec.none and any(m.entity in spec.none for m in view.mentions):
            return None
        if spec.form == "slot":
            return self._slot(claim, view)
        if spec.form == "number":
            return self._number(claim, view)
        return self._group(claim, view)

    # --- binding --------------------------------------------------------------------
    def _competitor_kinds(self, subjects: frozenset[str]) -> frozenset[str]:
        cached = self._kinds_cache.get(subjects)
        if cached is not None:
            return cached
        kinds: set[str] = set()
        for s in subjects:
            k = self.kinds.get(s)
            if k:
                kinds |= self._peers.get(k, {k})
        self._kinds_cache[subjects] = result = frozenset(kinds)
        return result

    def bound(self, view: SentenceView, m: Mention, kinds: frozenset[str], skip: frozenset[str],
              subjects: frozenset[str] = frozenset()) -> set[str]:
        """Subjects a mention is about: the nearest competitor before it (with coordinated ones).

        Competitors are mentions of the subject's kind (or a peer kind) and the subject itself;
        the standard of a comparison ("比 X") and negated mentions never bind.
        """
        if not kinds and not subjects:
            return set()

        def competes(x: Mention) -> bool:
            return (x is not m and not x.negated and x.entity not in skip
                    and (x.entity in subjects or self.kinds.get(x.entity) in kinds)
                    and not (x.contrasted and x.clause != m.clause))

        pool = [x for x in view.mentions if competes(x)]
        standards = comparison_standards(view, [x for x in pool if not x.inherited])
        pool = [x for x in pool if x.start not in standards or x.inherited]
        before = [x for x in pool if x.inherited or x.end <= m.start]
        if before:
            own = [x for x in before if not x.inherited]
            if not own:
                return {x.entity for x in before}
            nearest = max(own, key=lambda x: x.start)
            result = {nearest.entity}
            # walk back over coordinated subjects: "GPT-2 和 GPT-3 都 ..."
            chain = sorted(own, key=lambda x: x.start)
            idx = chain.index(nearest)
            while idx > 0 and self._coordinated(view, chain[idx - 1], chain[idx]):
                idx -= 1
                result.add(chain[idx].entity)
            return result
        after = [x for x in pool if x.start >= m.end and not x.inherited and x.clause == m.clause]
        if after:
            return {min(after, key=lambda x: x.start).entity}
        return set()

    def _coordinated(self, view: SentenceView, a: Mention, b: Mention) -> bool:
        """Whether only coordinators ("和", "与", "、", "and") stand between two subjects."""
        if a.clause != b.clause:
            return False
        gap = view.text[a.end - view.start:b.start - view.start]
        return not gap.strip() or bool(self._coordination.fullmatch(gap))

    # --- slot form ----------------------------------------------------------------
    def _slot(self, claim: Claim, view: SentenceView) -> ClaimMatch | None:
        spec = claim.match
        subjects = [m for m in view.mentions if m.entity in spec.subject and not m.negated]
        if not subjects:
            return None
        kinds = self._competitor_kinds(spec.subject)
        values_ids = skip = spec.asserts | spec.contradicts
        relations: set[str] = set()
        evidence: list[Mention] = []
        for v in view.mentions:
            if v.entity not in values_ids or v.inherited and not view.anaphora:
                continue
            if spec.scope == "clause" and not any(s.clause == v.clause or s.inherited for s in subjects):
                continue
            if not (self.bound(view, v, kinds, skip, spec.subject) & spec.subject):
                continue
            if v.entity in spec.asserts:
                rel = DENIES if v.negated else ASSERTS
            elif v.negated:
                continue  # "not B" says nothing about A when more than two values exist
            else:
                rel = DENIES
            relations.add(rel)
            evidence.append(v)
        if not evidence or len(relations) != 1:
            return None  # nothing, or the sentence says both (abstain)
        if all(m.inherited for m in evidence) and all(s.inherited for s in subjects):
            return None  # never fire on inherited context alone
        for group in spec.groups:
            found = [m for m in view.mentions if m.entity in group]
            if not found:
                return None
            evidence.append(found[0])
        return self._result(claim, _as_read(relations.pop(), view), _first_own(subjects) + evidence)

    # --- group form -----------------------------------------------------------------
    def _group(self, claim: Claim, view: SentenceView) -> ClaimMatch | None:
        spec = claim.match
        if not spec.groups:
            return None
        head, rest = spec.groups[0], spec.groups[1:]
        subjects = [m for m in view.mentions if m.entity in head and not m.negated]
        if not subjects:
            return None
        kinds = self._competitor_kinds(head)
        skip = frozenset().union(*rest) if rest else frozenset()
        chosen: list[Mention] = []
        for group in rest:
            found = [m for m in view.mentions if m.entity in group]
            found = [m for m in found if m.inherited or self.bound(view, m, kinds, skip, head) & head]
            if not found:
                return None
            own = [m for m in found if not m.inherited]
            chosen.append(own[0] if own else found[0])
        if rest and all(m.inherited for m in chosen):
            return None
        if not rest and all(s.inherited for s in subjects):
            return None
        if spec.scope == "clause":
            clauses = {m.clause for m in chosen + subjects if not m.inherited}
            if len(clauses) > 1:
                return None
        relation = DENIES if any(m.negated for m in chosen) else ASSERTS
        return self._result(claim, _as_read(relation, view), _first_own(subjects) + chosen)

    # --- number form (model-facts table: vocabulary size, context length) -------------
    def _number(self, claim: Claim, view: SentenceView) -> ClaimMatch | None:
        """"LLaMA 的词表大小是 32000": the subject, a property term, and exactly one number after it."""
        spec = claim.match
        subjects = [m for m in view.mentions if m.entity in spec.subject and not m.negated and not m.inherited]
        if not subjects or view.changes or len(view.get_numbers()) != 1:
            return None  # several numbers ("从 2048 扩展到 4096") or a change: abstain
        kinds = self._competitor_kinds(spec.subject)
        terms = [m for m in view.mentions if m.entity in spec.asserts and not m.inherited
                 and self.bound(view, m, kinds, frozenset(), spec.subject) & spec.subject]
        if not terms:
            return None
        (n_start, n_end, value, rounded) = view.get_numbers()[0]
        term = terms[0]
        if n_start < term.end or any(m.clause != term.clause for m in terms[:1]) or term.negated:
            return None
        tolerance = 0.02 if rounded else 0.005
        ok = any(abs(value - v) <= tolerance * v for v in spec.numbers) or \
            (rounded and any(abs(value / 1000 * 1024 - v) <= tolerance * v for v in spec.numbers))
        return self._result(claim, _as_read(ASSERTS if ok else DENIES, view), [subjects[0], term])

    @staticmethod
    def _result(claim: Claim, relation: str, evidence: list[Mention]) -> ClaimMatch:
        confidence = "low" if any(m.fuzzy for m in evidence) else "high"
        return ClaimMatch(claim, relation, confidence, tuple(evidence))

    # --- section form ---------------------------------------------------------------
    def match_section(self, claim: Claim, heading: SentenceView, body: list[Mention]) -> ClaimMatch | None:
        spec = claim.match
        present = {m.entity for m in heading.mentions}
        if any(not (g & present) for g in spec.groups):
            return None
        body_ids = {m.entity for m in body}
        if any(not (g & body_ids) for g in spec.section_all):
            return None
        if any(g & body_ids for g in spec.section_none):
            return None
        if spec.none and (spec.none & (present | body_ids)):
            return None
        ev = tuple(m for m in heading.mentions if any(m.entity in g for g in spec.groups))
        return ClaimMatch(claim, ASSERTS, "high", ev)


def _as_read(relation: str, view: SentenceView) -> str:
    """The relation once a post-negation ("…是错的", "… is wrong") has turned it around."""
    if view.post_negated:
        return DENIES if relation == ASSERTS else ASSERTS
    return relation


def _first_own(subjects: list[Mention]) -> list[Mention]:
    """The subject to report: the sentence's own mention if it has one, else the inherited one."""
    return [s for s in subjects if not s.inherited][:1] or subjects[:1]
