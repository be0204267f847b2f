"""Rules turn a claim match into a finding: severity and message by verdict and relation."""

from __future__ import annotations

from lint_notes.knowledge.model import Claim, KnowledgeBase, Rule
from lint_notes.match.claims import ASSERTS, DENIES, ClaimMatch
from lint_notes.text.normalize import join_cjk


def finding_verdict(claim: Claim, relation: str) -> str | None:
    """The verdict of what the note says, or None when it says something right."""
    if relation == ASSERTS:
        return None if claim.verdict == "true" else claim.verdict
    if relation == DENIES and claim.verdict == "true":
        return "false"
    return None


def is_verified(claim: Claim, relation: str) -> bool:
    return (relation == ASSERTS and claim.verdict == "true") or (relation == DENIES and claim.verdict == "false")


class RuleSet:
    def __init__(self, kb: KnowledgeBase):
        # rules that name a confidence or an origin are more specific than "any"
        self.rules = sorted(kb.rules, key=lambda r: (r.confidence == "any", r.origin == "any"))

    def select(self, m: ClaimMatch) -> Rule | None:
        for rule in self.rules:
            if rule.applies(m.claim.verdict, m.relation, m.confidence, m.claim.origin):
                return rule
        return None


class _SafeFormat(dict):
    def __missing__(self, key):
        return ""


_MESSAGES: dict = {}


def render_message(rule: Rule, claim: Claim, relation: str, verdict: str, text: str, zh: bool) -> str:
    """The finding's message; one shared string per (rule, claim, relation, language) when the
    template does not quote the sentence, so many findings of one claim cost no extra memory."""
    if "{text}" in rule.message:
        return _render(rule, claim, relation, verdict, text, zh)
    key = (rule.id, rule.message, claim.id, relation, verdict, zh)
    msg = _MESSAGES.get(key)
    if msg is None:
        if len(_MESSAGES) > 100_000:
            _MESSAGES.clear()
        msg = _MESSAGES[key] = _render(rule, claim, relation, verdict, text, zh)
    return msg


def _render(rule: Rule, claim: Claim, relation: str, verdict: str, text: str, zh: bool) -> str:
    citation = claim.citations[0].short() if claim.citations else ""
    correction = (claim.correction_zh if zh and claim.correction_zh else claim.correction) or claim.statement
    values = _SafeFormat(
        verdict=verdict,
        Verdict=verdict.capitalize(),
        statement=(claim.statement_zh if zh and claim.statement_zh else claim.statement),
        statement_zh=claim.statement_zh,
        correction=correction,
        correction_zh=claim.correction_zh,
        citation=citation,
        claim=claim.id,
        rule=rule.id,
        relation=relation,
        text=text,
    )
    template = rule.message_zh if zh and rule.message_zh else rule.message
    message = " ".join(template.format_map(values).split())
    return join_cjk(message) if zh else message
