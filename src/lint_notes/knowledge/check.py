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
    fired = tuple(sorted({f.claim for f in result.findings}))
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


def stale_claims(kb: KnowledgeBase, max_age_months: int, today: _dt.date | None = None) -> list[Claim]:
    today = today or _dt.date.today()
    out = []
    for c in kb.hand_claims():
        try:
            parts = [int(x) for x in c.reviewed.split("-")]
            reviewed = _dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            out.append(c)
            continue
        months = (today.year - reviewed.year) * 12 + (today.month - reviewed.month)
        if months > max_age_months or (months == max_age_months and today.day > reviewed.day):
            out.append(c)
    return out


def _same_slot(generated: Claim, other: Claim) -> bool:
    return (other.origin == "claims" and other.match.property == generated.match.property
            and bool(other.match.subject & generated.match.subject))
