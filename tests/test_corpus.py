"""Precision on the independent corpus (tests/corpus/), written without looking at the knowledge base."""

from __future__ import annotations

from corpus_eval import evaluate


def test_precision_on_independent_corpus(linter):
    res = evaluate(linter)
    fps = [fp for r in res["files"].values() for fp in r["false_positives"]]
    assert res["precision"] >= 0.95, fps
    assert res["flagged_items"] >= 50 and res["true_positive"] >= 15
