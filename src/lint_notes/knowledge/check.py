"""Self-tests of the knowledge base: every claim's examples, near-duplicates, stale reviews."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from lint_notes.knowledge.model import Claim, KnowledgeBase


@dataclass(frozen=True)
class ExampleFailure:
    claim: Claim
    kind: str  # "flag" or "pass"
    sentence: str
    got: tuple[str, ...]  # claim ids that fired on the sentence

    def __str__(self) -> str:
        if self.kind == "flag":
            why = "should be flagged by this claim but was not"
            if self.got:
                why += f" (fired instead: {', '.join(self.got)})"
        else:
            why = "should pass but this claim flagged it"
        return f"{self.claim.source}: claim {self.claim.id!r}: {self.kind} example {self.sentence!r} {why}"


def example_cases(kb: KnowledgeBase, include_generated: bool = True):
    """(claim, kind, sentence) for every example, for tests and ``claims check``."""
    for claim in kb.claims.values():
        if claim.origin != "claims" and not include_generated:
            continue
        for s in claim.examples_flag:
            yield claim, "flag", s
        for s in claim.examples_pass:
            yield claim, "pass", s


def run_example(linter, claim: Claim, kind: str, sentence: str) -> ExampleFailure | None:
    result = linter.lint_text(sentence, "<example>", markdown=True)
    fired = tuple(sorted({c for f in result.findings for c in (f.claim, *f.also)}))  # merged claims fired too
    hit = claim.id in fired
    if not hit and kind == "flag" and claim.origin != "claims":
        # a hand-written claim about the same subject and property replaces a generated one
        hit = any(_same_slot(claim, linter.kb.claims[c]) for c in fired)
    if kind == "flag" and not hit:
        return ExampleFailure(claim, kind, sentence, fired)
    if kind == "pass" and hit:
        return ExampleFailure(claim, kind, sentence, fired)
    return None


def check_examples(kb: KnowledgeBase, linter, only: set[str] | None = None) -> tuple[int, list[ExampleFailure]]:
    failures = []
    count = 0
    for claim, kind, sentence in example_cases(kb):
        if only and claim.id not in only:
            continue
        count += 1
        failure = run_example(linter, claim, kind, sentence)
        if failure:
            failures.append(failure)
    return count, failures


def near_duplicates(kb: KnowledgeBase, threshold: float = 90.0) -> list[tuple[Claim, Claim, float]]:
    """Pairs of hand-written claims whose statements are nearly the same text."""
    from rapidfuzz import fuzz, process

    from lint_notes.text.normalize import sentence_fingerprint_text

    claims = kb.hand_claims()
    texts = [sentence_fingerprint_text(c.statement) for c in claims]
    out = []
    for i, text in enumerate(texts):
        for _, score, j in process.extract(text, texts, scorer=fuzz.ratio, score_cutoff=threshold, limit=None):
            if j > i:
                out.append((claims[i], claims[j], float(score)))
    return out


def _review_date(c: Claim) -> _dt.date | None:
    try:
        parts = [int(x) for x in c.reviewed.split("-")]
        return _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def future_reviews(kb: KnowledgeBase, today: _dt.date | None = None) -> list[Claim]:
    """Written claims whose review date lies after today (a typo or a wrong clock, never a real review)."""
    today = today or _dt.date.today()
    return [c for c in kb.hand_claims() if (d := _review_date(c)) is not None and d > today]


def stale_claims(kb: KnowledgeBase, max_age_months: int, today: _dt.date | None = None) -> list[Claim]:
    today = today or _dt.date.today()
    out = []
    for c in kb.hand_claims():
        reviewed = _review_date(c)
        if reviewed is None:
            out.append(c)
            continue
        months = (today.year - reviewed.year) * 12 + (today.month - reviewed.month)
        if months > max_age_months or (months == max_age_months and today.day > reviewed.day):
            out.append(c)
    return out


def false_twins(kb: KnowledgeBase, true_claim: Claim, _false_slots: dict | None = None) -> list[Claim]:
    """The written false claims that state ``true_claim``'s fact from the other side: slot claims of the same
    property and a shared subject that assert a value the true claim contradicts and contradict a value it
    asserts ("GPT-3 uses Post-LN" is the false twin of "GPT-3 uses Pre-LN")."""
    t = true_claim.match
    if true_claim.verdict != "true" or t.form != "slot" or not t.property:
        return []
    by_property = _false_slots if _false_slots is not None else _false_slot_claims(kb)
    return [f for f in by_property.get(t.property, ())
            if f.match.subject & t.subject and f.match.asserts & t.contradicts and f.match.contradicts & t.asserts]


def _false_slot_claims(kb: KnowledgeBase) -> dict[str, list[Claim]]:
    out: dict[str, list[Claim]] = {}
    for c in kb.hand_claims():
        if c.verdict == "false" and c.match.form == "slot" and c.match.property:
            out.setdefault(c.match.property, []).append(c)
    return out


def uncovered_twin_values(kb: KnowledgeBase) -> list[tuple[Claim, tuple[Claim, ...], tuple[str, ...]]]:
    """(true claim, its false twins, values) for every written true claim with false twins whose asserted
    values do not cover what it contradicts. A note that ties the subject to such a value gets the true
    claim's bare contradiction instead of the misconception's correction, and a twin that ``suppresses`` the
    true claim hides that finding whenever it matches the sentence too."""
    out = []
    false_slots = _false_slot_claims(kb)
    for claim in kb.hand_claims():
        twins = false_twins(kb, claim, false_slots)
        if not twins:
            continue
        covered = frozenset().union(*(f.match.asserts for f in twins))
        missing = tuple(sorted(claim.match.contradicts - covered))
        if missing:
            out.append((claim, tuple(twins), missing))
    return out


def _same_slot(generated: Claim, other: Claim) -> bool:
    return (other.origin == "claims" and other.match.property == generated.match.property
            and bool(other.match.subject & generated.match.subject))


# --- constructions ------------------------------------------------------------------------
def construction_cases(kb: KnowledgeBase):
    """(construction, example) for every example of every construction."""
    for c in kb.constructions:
        for ex in c.examples:
            yield c, ex


def run_construction_example(linter, construction, example: dict) -> str | None:
    """None when the example is read as it says, else what went wrong (for tests and ``claims check``)."""
    from lint_notes.text.markdown import parse_markdown
    from lint_notes.text.normalize import fold

    text, expect = example["text"], dict(example["expect"])
    reading = linter.read(parse_markdown(text))
    views = [v for v in reading.views if v.mentions]
    where = f"{construction.source.path}:{example['line']}: construction {construction.id!r}: example {text!r}"
    applies = expect.pop("applies", "true") == "true"
    fired = any(construction.id in v.constructions for v in views)
    if fired != applies:
        return f"{where}: {'did not apply' if applies else 'applied but should not'}"

    def find(surface: str):
        key = fold(surface).replace("\x00", "")
        for v in views:
            for m in v.mentions:
                if not m.inherited and fold(reading.doc.text[m.start:m.end]).replace("\x00", "") == key:
                    return v, m
        return None, None

    for key, want in expect.items():
        if key == "sentence":
            got = next((v.modality for v in views if construction.id in v.constructions), "") or "asserted"
            if got != want:
                return f"{where}: the sentence is read as {got}, not {want}"
            continue
        if key in ("identity", "distinct"):
            a, b = [x.strip() for x in want.replace("!=", "=").split("=")]
            (va, ma), (_, mb) = find(a), find(b)
            if ma is None or mb is None:
                return f"{where}: no mention {a!r} or {b!r}"
            same = key == "identity"
            if not any({x, y} == {ma.entity, mb.entity} and flag == same for x, y, flag in va.identities):
                return f"{where}: {a} and {b} are not read as {'the same' if same else 'different'}"
            continue
        view, m = find(key)
        if m is None:
            return f"{where}: no mention {key!r} in the sentence"
        if want.startswith("bind "):
            subjects = [find(x.strip())[1] for x in want[5:].split(",")]
            if any(s is None for s in subjects) or m.bind != frozenset(s.entity for s in subjects):
                return f"{where}: {key} is bound to {sorted(m.bind or ())}, not {want[5:]}"
            continue
        got = {"asserts": not m.negated and not m.neutral, "denies": m.negated, "standard": m.standard,
               "neutral": m.neutral, "scoped": m.scoped}.get(want)
        if got is None:
            return f"{where}: unknown expectation {want!r} for {key}"
        if not got:
            state = [n for n, f in (("negated", m.negated), ("standard", m.standard), ("neutral", m.neutral),
                                    ("scoped", m.scoped)) if f] or ["asserted"]
            return f"{where}: {key} is read as {', '.join(state)}, not {want}"
    return None


def check_constructions(kb: KnowledgeBase, linter) -> tuple[int, list[str]]:
    failures, count = [], 0
    for c, ex in construction_cases(kb):
        count += 1
        problem = run_construction_example(linter, c, ex)
        if problem:
            failures.append(problem)
    return count, failures


def without_negated_example(kb: KnowledgeBase, linter) -> list[Claim]:
    """Written claims none of whose examples shows a negation or contrast being read ("并不是 …",
    "用 A 而不是 B"): such a claim's tests say nothing about how it reads a denial."""
    cues = {"lex:negation", "lex:verb_negation", "lex:contrast_negation", "lex:post_negation"}
    # a negation may also sit inside a term the claim matches on ("不需要奖励模型", "没有参考模型")
    words = [w for cat in ("negation", "verb_negation", "contrast_negation") for w in kb.lexicon.words(cat)
             if len(w) >= 2]
    lacking = []
    for claim in kb.hand_claims():
        sentences = claim.examples_pass + (claim.examples_flag if claim.verdict == "true" else ())
        if any(h.target in cues for s in sentences for h in linter.index.scan(s, fuzzy=False)):
            continue
        if any(w in s for s in sentences for w in words):
            continue
        lacking.append(claim)
    return lacking
