"""Every claim tests itself: its flag examples must fire it, its pass examples must not."""

from __future__ import annotations

import pytest

from lint_notes.knowledge.check import example_cases, run_example
from lint_notes.knowledge.load import load_knowledge

CASES = [(c.id, kind, s) for c, kind, s in example_cases(load_knowledge())]


@pytest.mark.parametrize("claim_id,kind,sentence", CASES, ids=[f"{c}-{k}-{i}" for i, (c, k, _) in enumerate(CASES)])
def test_example(claim_id, kind, sentence, kb, linter):
    failure = run_example(linter, kb.claims[claim_id], kind, sentence)
    assert failure is None, str(failure)


def test_every_hand_written_claim_has_two_examples_of_each_kind(kb):
    for claim in kb.hand_claims():
        assert len(claim.examples_flag) >= 2 and len(claim.examples_pass) >= 2, claim.id


def test_every_non_true_claim_has_corrections_and_citations(kb):
    for claim in kb.hand_claims():
        assert claim.citations, claim.id
        for cit in claim.citations:
            assert cit.url.startswith("http") and cit.locator, claim.id
        if claim.verdict != "true":
            assert claim.correction and claim.correction_zh, claim.id


def test_every_claim_has_a_negated_or_contrasted_example(kb, linter):
    """Examples must show that negation and contrast are read (issue: pass examples include them)."""
    from lint_notes.knowledge.check import without_negated_example

    lacking = [c.id for c in without_negated_example(kb, linter)]
    assert not lacking, lacking
