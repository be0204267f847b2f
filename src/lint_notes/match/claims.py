"""Candidate claim + sentence -> a match with a relation (asserts / denies), or nothing.

A slot claim needs its subject and a value in scope, the value bound to that subject; a group
claim needs every group. The relation is ``asserts`` when the note states the claim and
``denies`` when it states the opposite (a contradicting value, or the asserted value negated).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import attrgetter

from lint_notes.knowledge.model import Claim, KnowledgeBase
from lint_notes.match.polarity import Mention, SentenceView, comparison_standards

ASSERTS, DENIES = "asserts", "denies"


@dataclass(unsafe_hash=True)  # immutable as a frozen one (hashed by value), but a frozen __init__ costs 3x as much
class ClaimMatch:
    claim: Claim
    relation: str
    confidence: str  # "high", "medium" or "low": how surely the sentence was read as saying this
    evidence: tuple[Mention, ...]
    reasons: tuple[str, ...] = ()  # why the confidence is not high


class ClaimMatcher:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.kinds = {eid: e.kind for eid, e in kb.entities.items()}
        self.section_claims = [c for c in kb.claims.values() if c.match.form == "section"]
        # a heading names none of these: no section claim can read it (None: a claim without groups can)
        self._section_heads: frozenset[str] | None = \
            frozenset().union(*(c.match.groups[0] for c in self.section_claims)) \
            if all(c.match.groups for c in self.section_claims) else None
        # entity sets that must each be mentioned for a claim to have any chance (a cheap pre-check)
        self.required: dict[str, tuple[frozenset[str], ...]] = {}
        self._values: dict[str, frozenset[str]] = {}  # slot and number claims: every value they name
        self._others: dict[str, frozenset[str]] = {}
        uses: dict[str, int] = {}
        for claim in kb.claims.values():
            spec = claim.match
            if spec.form in ("slot", "number"):
                self._values[claim.id] = spec.asserts | spec.contradicts
                req = (spec.subject, self._values[claim.id], *spec.groups)
            else:
                # the entities of a group claim's other groups: none of them competes as its subject
                self._others[claim.id] = frozenset().union(*spec.groups[1:])
                req = spec.groups
            self.required[claim.id] = tuple(g for g in req if g)
            for g in self.required[claim.id]:
                for eid in g:
                    uses[eid] = uses.get(eid, 0) + 1
        # a claim is looked up by its most specific required set (the one whose entities the fewest
        # claims use), so that common subjects such as GPT-3 do not make every claim a candidate; and then
        # by its next most specific set, so that a sentence naming GPT-3 looks only at the claims about
        # GPT-3 whose other entities it names too: trigger entity -> (the claims it alone makes candidates,
        # {entity of the next set -> [(claim, its remaining sets)]})
        self.by_trigger: dict[str, tuple[list[Claim], dict[str, list[tuple[Claim, tuple[frozenset[str], ...]]]]]] = {}

        def specific(g: frozenset[str]) -> tuple[int, int]:
            return sum(uses.get(e, 0) for e in g), len(g)

        for claim in kb.claims.values():
            if claim.match.form == "section" or not self.required[claim.id]:
                continue
            key, *others = sorted(self.required[claim.id], key=specific)
            for eid in key:
                alone, paired = self.by_trigger.setdefault(eid, ([], {}))
                if not others:
                    alone.append(claim)
                    continue
                entry = (claim, tuple(others[1:]))
                for second in others[0]:
                    paired.setdefault(second, []).append(entry)
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
        self._plans: dict[tuple[str, ...], tuple] = {}  # entities present -> candidates (see matches)
        self._gaps: dict[str, bool] = {}  # see _coordinators_only
        self._prepared: dict[str, tuple] = {}  # claim id -> its entry of a plan (see _prepare)

    # --- candidates -----------------------------------------------------------------
    def matches(self, view: SentenceView) -> list[ClaimMatch]:
        """Every candidate claim that matches the sentence (not yet resolved against each other)."""
        present = set()
        for m in view.mentions:
            present.add(m.entity)
        # the candidates depend only on the entities present, in the order the set yields them (which
        # decides the order of the matches): many sentences name the same few entities
        key = tuple(present)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plan(present)
            if len(self._plans) >= _PLANS_KEPT:
                self._plans.clear()
            self._plans[key] = plan
        found = []
        for form, claim, prep in plan:
            m = form(self, claim, view, prep)
            if m is not None:
                found.append(m)
        return found

    def _plan(self, present: set[str]) -> tuple:
        """The candidates a set of present entities makes, each with the function of its form, without
        those that an entity of their ``none`` rules out."""
        plan = []
        for claim in self._candidates(present):
            spec = claim.match
            if spec.none and not spec.none.isdisjoint(present):
                continue
            prep = self._prepared.get(claim.id)
            if prep is None:
                self._prepared[claim.id] = prep = self._prepare(claim)
            plan.append(prep)
        return tuple(plan)

    def _prepare(self, claim: Claim) -> tuple:
        """(the function of the claim's form, the claim, what that function reads of the claim's spec)."""
        spec = claim.match
        clause = spec.scope == "clause"
        if spec.form == "slot":
            # values, subject, competitor kinds, asserted values, groups, scope is a clause, by identity only,
            # a sentence naming model sizes does not say a generated "misleading" slot
            sized = claim.verdict == "misleading" and claim.origin == "model-table"
            return ClaimMatcher._slot, claim, (self._values[claim.id], spec.subject, self._competitor_kinds(spec.subject),
                                               spec.asserts, spec.groups, clause, spec.via == "identity", sized)
        if spec.form == "number":
            return ClaimMatcher._number, claim, (spec.subject, self._competitor_kinds(spec.subject))
        if not spec.groups:
            return ClaimMatcher._group, claim, None
        head = spec.groups[0]
        return ClaimMatcher._group, claim, (head, spec.groups[1:], self._competitor_kinds(head), self._others[claim.id],
                                            clause)

    def _candidates(self, present: set[str]) -> list[Claim]:
        """Claims whose trigger is mentioned and whose required entities are all present."""
        found: dict[str, Claim] = {}
        by_trigger = self.by_trigger
        for eid in present:
            triggered = by_trigger.get(eid)
            if triggered is None:
                continue
            alone, paired = triggered
            for claim in alone:
                found[claim.id] = claim
            if not paired:
                continue
            for second in present:
                for claim, rest in paired.get(second, ()):
                    if claim.id in found:
                        continue
                    for group in rest:
                        if group.isdisjoint(present):
                            break
                    else:
                        found[claim.id] = claim
        return list(found.values())

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
              subjects: frozenset[str] = frozenset(), siblings: bool = False) -> set[str]:
        """Subjects a mention is about: the nearest competitor before it (with coordinated ones).

        Competitors are mentions of the subject's kind (or a peer kind) and the subject itself; the
        standard of a comparison ("比 X"), a point of reference and a neutral mention never bind. A
        negated competitor still stands between a value and the subjects before it ("没能让 GPT 使用的
        X" is not about an earlier subject). A value listed with a subject ("A、B 和 C") is its sibling,
        not its value (unless ``siblings``: a group claim relates the items of "A 和 B 是一回事"); a value
        before its subject does not reach across a list separator.
        """
        if m.bind is not None:
            return set(m.bind)  # a construction tied this value to its subjects
        if not kinds and not subjects:
            return set()
        # (plain loops here and in _slot: a comprehension is a function call of its own, and this runs for
        # every value of every candidate claim)
        clause, start, kind_of = m.clause, m.start, self.kinds.get
        pool = []
        for x in view.mentions:
            if x is not m and x.entity not in skip and not (x.standard or x.scoped or x.neutral) \
                    and (x.entity in subjects or kind_of(x.entity) in kinds) and not (x.contrasted and x.clause != clause):
                pool.append(x)
        if pool and view.comparatives:
            pool = _without_standards(view, pool)
        # the competitors before it: its own sentence's, else what is carried from the context
        own = []
        for x in pool:
            if x.end <= start and not x.inherited:
                own.append(x)
        if not own:
            if not pool and not m.inherited:
                return set()
            return self._bound_after(view, m, pool, kinds, subjects)
        nearest = own[0] if len(own) == 1 else max(own, key=_START)
        if not siblings and nearest.clause == clause and self._listed(view, nearest, m):
            return set()  # "Q-learning、DQN 和 Actor-Critic": siblings in a list
        result = {nearest.entity}
        if len(own) == 1:
            return result
        # walk back over coordinated subjects: "GPT-2 和 GPT-3 都 ..."
        chain = sorted(own, key=_START)
        idx = 0  # where the nearest is (by identity: nothing equal to it comes before it)
        while chain[idx] is not nearest:
            idx += 1
        while idx > 0 and self._coordinated(view, chain[idx - 1], chain[idx]) and \
                not _parenthetical(view, chain[idx - 1], chain[idx], m):
            idx -= 1
            result.add(chain[idx].entity)
        return result

    def _bound_after(self, view: SentenceView, m: Mention, pool: list[Mention], kinds: frozenset[str],
                     subjects: frozenset[str]) -> set[str]:
        """bound() for a mention that no competitor of its own sentence stands before: a subject carried
        from the context (one carried from the sentence before binds the first clause only; an anaphor's
        referent binds wherever the anaphor does), the things an example or a table cell is of, else the
        first competitor after it in its clause."""
        clause = m.clause
        carried = {x.entity for x in pool if x.inherited and (clause == 0 or x.source not in ("previous", "heading"))}
        if carried:
            return carried
        if m.inherited and m.source == "examples":
            # the topic a list of examples is of ("实际应用：GLaM、PaLM") is said of every thing listed, which a
            # construction may have scoped to the list's label
            return {x.entity for x in view.mentions if not x.inherited and not (x.negated or x.standard or x.neutral)
                    and (x.entity in subjects or self.kinds.get(x.entity) in kinds)}
        if m.inherited and m.source in ("table", "listed"):
            # a value the cell takes from its row or column ("RMSNorm" over "| Llama, GPT-3 |") is said of every
            # subject the cell lists
            return {x.entity for x in pool if not x.inherited}
        if not pool:
            return set()
        after = [x for x in pool if x.start >= m.end and not x.inherited and x.clause == clause]
        if after:
            first = min(after, key=_START)
            gap = view.text[m.end - view.start:first.start - view.start]
            if any(sep in gap for sep in _LIST_SEPARATORS):
                return set()  # "权重量化、权重分片和激活重计算": another item of a list
            if _closes_parenthesis(gap):
                return set()  # "AR（单向的缺点）和 BERT": a parenthesis the value stands in glosses what comes before it
            return {first.entity}
        return set()

    def _listed(self, view: SentenceView, a: Mention, b: Mention) -> bool:
        """Whether a coordinator ("和", "、", "and"), and nothing else, stands between two mentions (not a
        parenthesis: "DAPO（…）" names what DAPO is; nor the end of a gloss: "用 1F1B（One Forward One Backward）调度缓解"
        says what the glossed name does)."""
        gap = view.text[a.end - view.start:b.start - view.start]
        return bool(gap.strip(" \t)）")) and "(" not in gap and "（" not in gap and self._coordinators_only(gap)

    def _coordinated(self, view: SentenceView, a: Mention, b: Mention) -> bool:
        """Whether only coordinators ("和", "与", "、", "and") stand between two subjects."""
        if a.clause != b.clause:
            return False
        gap = view.text[a.end - view.start:b.start - view.start]
        return not gap.strip() or self._coordinators_only(gap)

    def _coordinators_only(self, gap: str) -> bool:
        """Whether a gap is coordinators and separators only; short gaps (" 和 ", "、") recur, and are remembered."""
        if len(gap) > _GAP_KEPT:
            return self._coordination.fullmatch(gap) is not None
        known = self._gaps.get(gap)
        if known is None:
            if len(self._gaps) >= _GAPS_KEPT:
                self._gaps.clear()
            self._gaps[gap] = known = self._coordination.fullmatch(gap) is not None
        return known

    def _in_clause(self, view: SentenceView, v: Mention, subjects: list[Mention], kinds: frozenset[str]) -> bool:
        """Whether a value stands in the clause of a subject (or one carried from the context, or a label's)."""
        return any(s.clause == v.clause or s.inherited or self._label_reaches(view, s, v, kinds) for s in subjects)

    def _label_reaches(self, view: SentenceView, s: Mention, v: Mention, kinds: frozenset[str]) -> bool:
        """Whether a subject that labels its sentence ("ZeRO-2：…") speaks of a value in another clause: only
        when that clause names no other subject of its kind ("…，模型参数要到 ZeRO-3 才切分" does)."""
        return _label(view, s) and not any(x.clause == v.clause and not x.inherited and x.entity != s.entity
                                           and self.kinds.get(x.entity) in kinds for x in view.mentions)

    # --- slot form ----------------------------------------------------------------
    def _slot(self, claim: Claim, view: SentenceView, prep: tuple) -> ClaimMatch | None:
        values, subject, kinds, asserts, groups, clause_scope, identity, sized = prep
        mentions = view.mentions
        subjects = []
        for m in mentions:
            if m.entity in subject and _can_be_subject(m):
                subjects.append(m)
        if not subjects:
            return None
        if identity:
            return self._identity(claim, view, subjects)
        relations: set[str] = set()
        evidence: list[Mention] = []
        for v in mentions:
            if v.entity not in values or v.neutral or v.standard or \
                    v.inherited and v.source not in _VALUE_SOURCES:
                continue
            if clause_scope and not self._in_clause(view, v, subjects, kinds):
                continue
            if subject.isdisjoint(self.bound(view, v, kinds, values, subject)):
                continue
            if v.entity in asserts:
                rel = DENIES if v.negated else ASSERTS
            elif v.negated:
                continue  # "not B" says nothing about A when more than two values exist
            else:
                rel = DENIES
            relations.add(rel)
            evidence.append(v)
        if not evidence or len(relations) != 1:
            return None  # nothing, or the sentence says both (abstain)
        if sized and _SIZE.search(view.text):
            return None  # "34B 和 70B 使用 GQA": the sentence names the sizes the value belongs to
        if _all_inherited(evidence) and _all_inherited(subjects):
            return None  # never fire on inherited context alone
        for group in groups:
            for m in mentions:
                if m.entity in group:
                    evidence.append(m)
                    break
            else:
                return None
        return self._result(claim, _as_read(relations.pop(), view), _first_own(subjects) + evidence, view)

    def _identity(self, claim: Claim, view: SentenceView, subjects: list[Mention]) -> ClaimMatch | None:
        """"A 就是 B", "A stands for B" (asserts) and "A 和 B 是两回事" (denies): only an identity
        construction between the subject and a value says so; naming both says nothing."""
        spec = claim.match
        relations = {same for a, b, same in view.identities
                     if (a in spec.subject and b in spec.asserts) or (b in spec.subject and a in spec.asserts)}
        if len(relations) != 1:
            return None
        values = [m for m in view.mentions if m.entity in spec.asserts and not m.inherited]
        relation = ASSERTS if relations.pop() else DENIES
        return self._result(claim, _as_read(relation, view), _first_own(subjects) + values[:1], view)

    # --- group form -----------------------------------------------------------------
    def _group(self, claim: Claim, view: SentenceView, prep: tuple | None) -> ClaimMatch | None:
        if prep is None:
            return None  # no groups
        head, rest, kinds, skip, clause_scope = prep
        mentions = view.mentions
        subjects = [m for m in mentions if m.entity in head and _can_be_subject(m)]
        if not subjects:
            return None
        chosen: list[Mention] = []
        for group in rest:
            # the group's first own mention bound to the subject, else its first inherited one
            carried = None
            for m in mentions:
                if m.entity not in group or m.neutral:
                    continue
                if m.inherited:
                    if carried is None:
                        carried = m
                elif not head.isdisjoint(self.bound(view, m, kinds, skip, head, siblings=True)):
                    chosen.append(m)
                    break
            else:
                if carried is None:
                    return None
                chosen.append(carried)
        if rest and _all_inherited(chosen):
            return None
        if not rest and _all_inherited(subjects):
            return None
        if clause_scope:
            clauses = {m.clause for m in chosen + subjects if not m.inherited}
            if len(clauses) > 1:
                return None
        relation = DENIES if any(m.negated for m in chosen) else ASSERTS
        return self._result(claim, _as_read(relation, view), _first_own(subjects) + chosen, view)

    # --- number form (fact tables: layers, hidden size, vocabulary, context length, parameters) ------
    def _number(self, claim: Claim, view: SentenceView, prep: tuple) -> ClaimMatch | None:
        """"LLaMA-7B 有 32 层", "LLaMA 的词表大小是 32000": the subject, a property term bound to it,
        and the number written next to that term (before it, or after a copula such as 是/为/of)."""
        if view.changes:
            return None  # a value that changes ("从 2048 扩展到 4096") states no single value
        spec = claim.match
        subject, kinds = prep
        subjects = [m for m in view.mentions if m.entity in subject and _can_be_subject(m)
                    and (not m.inherited or m.source == "table")]
        if not subjects:
            return None
        numbers = [n for n in view.get_numbers(self.kinds) if _fits_unit(n, spec.unit)]
        if not numbers:
            return None
        relations, evidence = set(), []
        for term in view.mentions:
            if term.entity not in spec.asserts or term.negated or term.neutral or \
                    term.inherited and term.source != "table":
                continue
            if subject.isdisjoint(self.bound(view, term, kinds, _NO_IDS, subject)):
                continue
            if term.inherited:  # a table's column header: the cell's one number is its value
                n = numbers[0] if len(numbers) == 1 else None
            else:
                n = _attached_number(view, term, numbers)
            if n is None and not _NUMBER_FREE.search(view.text[term.start - view.start:term.end - view.start]):
                n = next((x for x in numbers if term.start <= x.start < term.end), None)  # "32层" as one term
            if n is None:
                continue
            # sizes are named loosely (a 6.7B model is "7B", "70亿"); counts are written exactly
            tolerance = 0.1 if spec.unit == "scaled" else 0.02 if n.rounded else 0.005
            ok = any(abs(n.value - v) <= tolerance * v for v in spec.numbers) or \
                (n.rounded and any(abs(n.value / 1000 * 1024 - v) <= tolerance * v for v in spec.numbers))
            relations.add(ASSERTS if ok else DENIES)
            evidence.append(term)
        if len(relations) != 1:
            return None
        return self._result(claim, _as_read(relations.pop(), view), [subjects[0], evidence[0]], view)

    def _result(self, claim: Claim, relation: str, evidence: list[Mention], view: SentenceView) -> ClaimMatch:
        confidence, reasons = self._confidence(evidence, view)
        return ClaimMatch(claim, relation, confidence, tuple(evidence), reasons)

    def _confidence(self, evidence: list[Mention], view: SentenceView) -> tuple[str, tuple[str, ...]]:
        """How the sentence was read: its own subject and exact names (high); a subject an anaphor, a label
        or a table names, or one of several subjects of its kind bound by nearness (medium); a subject
        carried from the sentence before, a lead line or a heading, or a name matched only by typo
        tolerance (low)."""
        reasons = []
        level = 2
        for m in evidence:
            if m.fuzzy:
                reasons.append("a name was matched only by typo tolerance")
                level = 0
                break
        subject = evidence[0] if evidence else None
        if subject is not None and subject.inherited:
            if subject.source in ("previous", "heading", "lead"):
                reasons.append(_CARRIED[subject.source])
                level = 0
            else:
                reasons.append(_CARRIED.get(subject.source, "the subject was carried from the context"))
                level = min(level, 1)
            return ("low", "medium", "high")[level], tuple(reasons)
        # the values, in one pass: carried from a list's heading or a topic, all bound by constructions
        listed = examples = False
        bound = len(evidence) > 1
        for m in evidence[1:]:
            if m.inherited:
                if m.source == "listed":
                    listed = True
                elif m.source == "examples":
                    examples = True
            if m.bind is None:
                bound = False
        if listed:
            reasons.append(_CARRIED["listed"])
            level = min(level, 1)
        elif subject is not None:
            if examples:
                reasons.append(_CARRIED["examples"])
                level = min(level, 1)
            if not bound and self._rivals(subject, view):
                reasons.append("the sentence names several subjects of this kind; the value was tied to the nearest")
                level = min(level, 1)
        return ("low", "medium", "high")[level], tuple(reasons)

    def _rivals(self, subject: Mention, view: SentenceView) -> bool:
        """Whether the sentence names another subject of the subject's kind (of its own, not a point of
        reference nor scoped)."""
        kinds = self.kinds
        kind = kinds.get(subject.entity)
        if not kind:
            return False
        entity = subject.entity
        for m in view.mentions:
            if not m.inherited and m.entity != entity and kinds.get(m.entity) == kind and not m.standard \
                    and not m.scoped:
                return True
        return False

    # --- section form ---------------------------------------------------------------
    def section_candidates(self, heading: SentenceView) -> set[str]:
        """Ids of the section claims whose every group the heading names (only these need its body)."""
        if not self.section_claims:
            return set()
        heads = self._section_heads
        if heads is not None and all(m.entity not in heads for m in heading.mentions):
            return set()
        present = {m.entity for m in heading.mentions}
        return {c.id for c in self.section_claims if all(not g.isdisjoint(present) for g in c.match.groups)}

    def match_section(self, claim: Claim, heading: SentenceView, body_ids: set[str]) -> ClaimMatch | None:
        """``body_ids``: the entities of the own mentions of the section's body."""
        spec = claim.match
        present = {m.entity for m in heading.mentions}
        if any(not (g & present) for g in spec.groups):
            return None
        if any(not (g & body_ids) for g in spec.section_all):
            return None
        if any(g & body_ids for g in spec.section_none):
            return None
        if spec.none and (spec.none & (present | body_ids)):
            return None
        ev = tuple(m for m in heading.mentions if any(m.entity in g for g in spec.groups))
        return ClaimMatch(claim, ASSERTS, "high", ev)  # a section claim reads a heading and its whole answer


def _without_standards(view: SentenceView, pool: list[Mention]) -> list[Mention]:
    """The competitors but the standards of the sentence's comparisons ("比 X")."""
    standards = comparison_standards(view, [x for x in pool if not x.inherited])
    if standards:
        return [x for x in pool if x.start not in standards or x.inherited]
    return pool


_NO_IDS: frozenset[str] = frozenset()
_VALUE_SOURCES = ("anaphor", "table", "listed", "examples")  # context a slot's value may come from
_GAP_KEPT, _GAPS_KEPT = 24, 10_000  # the longest gap remembered, and how many
_PLANS_KEPT = 50_000  # distinct sets of present entities whose candidates are kept
_COPULA = re.compile(r"^[\s:：=（(]*(?:(?:是|为|有|达到?|约|大约|大概|近|共|总共|设置为|设为|等于|is|are|was|of|about|around|"
                     r"approximately|roughly|~|≈)[\s:：=]*){0,3}$", re.IGNORECASE)
_LIST_SEPARATORS = ("、", "；", ";")
_START = attrgetter("start")
_SIZE = re.compile(r"(?<![\w.])\d+(?:\.\d+)?\s*[BbMm](?![a-zA-Z])|\d+\s*亿")
_CARRIED = {
    "previous": "the subject was carried from the sentence before",
    "heading": "the subject is only in the question heading",
    "lead": "the subject is only in the line that introduces the list",
    "anaphor": "the subject is what an anaphor refers to",
    "label": "the subject is the label that opens the item",
    "table": "the subject and property come from the table's row and column headers",
    "examples": "the value is the topic of the section or sentence before, which the sentence lists examples of",
    "row": "the subject comes from the table's row label",
    "listed": "the value is the heading the list of names stands under",
}
_NUMBER_FREE = re.compile(r"^\D*$")
_MEASURE = re.compile(r"^\s*(?:个|层|维|的|多)?\s*$")


def _fits_unit(n, unit: str) -> bool:
    """A count (layers, vocabulary) is never written with a big scale word; a magnitude (parameters,
    tokens) is at least a million ("8K tokens" is a context length, not a training set)."""
    if unit == "scaled":
        return n.value >= 1e6
    return n.scale != "big"


def _attached_number(view: SentenceView, term: Mention, numbers: list):
    """The number that states the term's value: right before it ("32 层", "7B parameters") or right
    after it with at most a copula between ("层数为 32", "vocabulary size of 32,000")."""
    text, base = view.text, view.start
    best = None
    for n in numbers:
        if n.end <= term.start:
            gap = text[n.end - base:term.start - base]
            if len(gap) <= 3 and _MEASURE.match(gap):
                best = n
        elif n.start >= term.end:
            gap = text[term.end - base:n.start - base]
            if len(gap) <= 8 and _COPULA.match(gap) and best is None:
                return n
            break
    return best


def _as_read(relation: str, view: SentenceView) -> str:
    """The relation once a post-negation ("…是错的", "… is wrong") has turned it around."""
    if view.post_negated:
        return DENIES if relation == ASSERTS else ASSERTS
    return relation


_LABEL_OPENERS = " \t-*+>#0123456789.、)）(（【】[]"


def _label(view: SentenceView, m: Mention) -> bool:
    """Whether a subject opens its sentence followed by a colon ("ZeRO-2：除了优化器状态，还切分参数"): the
    label of the whole sentence, whatever clause a value stands in."""
    text, base = view.text, view.start
    if m.inherited or text[:m.start - base].strip(_LABEL_OPENERS):
        return False
    return text[m.end - base:].lstrip(" \t*_")[:1] in (":", "：")


def _can_be_subject(m: Mention) -> bool:
    """A negated mention, a point of reference or a neutral one is not what a sentence is about."""
    return not (m.negated or m.standard or m.neutral)


def _all_inherited(mentions: list[Mention]) -> bool:
    for m in mentions:
        if not m.inherited:
            return False
    return True


def _first_own(subjects: list[Mention]) -> list[Mention]:
    """The subject to report: the sentence's own mention if it has one, else the inherited one."""
    for s in subjects:
        if not s.inherited:
            return [s]
    return subjects[:1]


def _parenthetical(view: SentenceView, a: Mention, b: Mention, value: Mention) -> bool:
    """Whether a parenthesis opens between two subjects and the value stands inside it, after the second
    ("Superseded by Transformers (RNNs can't parallelize)"): the parenthesis says its own thing of the second."""
    base, text = view.start, view.text
    gap = text[a.end - base:b.start - base]
    if "(" not in gap and "（" not in gap:
        return False
    inside = text[b.end - base:value.start - base]  # (the value comes after both subjects)
    return ")" not in inside and "）" not in inside


def _closes_parenthesis(gap: str) -> bool:
    """Whether the text after a value closes a parenthesis it did not open: the value stands inside it."""
    depth = 0
    for ch in gap:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            if depth == 0:
                return True
            depth -= 1
    return False
