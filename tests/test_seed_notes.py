"""Acceptance: the bundled example notes against the seed's ground truth."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from conftest import EXAMPLES, FIXTURES

NOTES = EXAMPLES / "llm-interview-notes.md"
ITEMS = yaml.safe_load((FIXTURES / "llm-interview-notes.expected.yaml").read_text(encoding="utf-8"))


def _line_of(quote: str, lines: list[str]) -> int:
    hits = [i + 1 for i, line in enumerate(lines) if quote in line]
    assert len(hits) == 1, f"quote {quote!r} must occur once"
    return hits[0]


@pytest.fixture(scope="module")
def result(linter):
    return linter.lint_file(NOTES)


@pytest.fixture(scope="module")
def lines():
    return NOTES.read_text(encoding="utf-8").split("\n")


def test_example_is_the_seed_byte_for_byte():
    assert NOTES.read_bytes().count(b"\xc2\xa0") > 0  # the non-breaking spaces are kept
    assert NOTES.read_bytes().startswith(b"\n\n")


@pytest.mark.parametrize("item", [i for i in ITEMS if i["flag"]], ids=lambda i: i["id"])
def test_flagged_item_is_reported_on_its_line(item, result, lines):
    line = _line_of(item["quote"], lines)
    verdicts = [f.verdict for f in result.findings if f.line == line]
    assert item["verdict"] in verdicts, f"line {line}: expected a {item['verdict']} finding, got {verdicts}"


def test_each_flagged_item_has_its_own_finding(result, lines):
    need: dict[int, Counter] = {}
    for item in ITEMS:
        if item["flag"]:
            need.setdefault(_line_of(item["quote"], lines), Counter())[item["verdict"]] += 1
    for line, counts in need.items():
        got = Counter(f.verdict for f in result.findings if f.line == line)
        for verdict, n in counts.items():
            assert got[verdict] >= n, f"line {line}: needs {n} {verdict} findings, got {dict(got)}"


def test_no_finding_on_control_lines(result, lines):
    control = {}
    for item in ITEMS:
        control.setdefault(_line_of(item["quote"], lines), []).append(item["flag"])
    for line, flags in control.items():
        if not any(flags):
            found = [(f.claim, f.verdict) for f in result.findings if f.line == line]
            assert not found, f"line {line} holds only correct statements but got {found}"


def test_true_statements_are_counted_as_verified(result):
    assert result.verified >= 5
    assert result.statements > 30
