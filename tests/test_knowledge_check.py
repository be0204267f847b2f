"""Self-checks of the knowledge base that look at claims together: a false claim and its true twin."""

from __future__ import annotations

import textwrap

import pytest

from lint_notes.knowledge.check import false_twins, uncovered_twin_values
from lint_notes.knowledge.load import load_knowledge
from lint_notes.knowledge.paths import bundled_dirs

CITE = "[{title: t, url: 'https://example.org/t', locator: 'Section 1'}]"


def claim(cid, verdict, asserts, contradicts, prop="norm-placement", subject="widget"):
    correction = "" if verdict == "true" else "    correction: c\n    correction_zh: c\n"
    return (f"  - id: {cid}\n    statement: s\n    statement_zh: s\n    verdict: \"{verdict}\"\n{correction}"
            f"    citations: {CITE}\n    reviewed: 2026-12-01\n"
            f"    match: {{subject: {subject}, property: {prop}, asserts: {asserts}, contradicts: {contradicts}}}\n"
            "    examples: {flag: [a, b], pass: [c, d]}\n")


def kb_of(tmp_path, *claims):
    folder = tmp_path / "kb"
    folder.mkdir()
    text = textwrap.dedent("""\
        schema_version: 1
        topic: toy
        entities:
          widget: {kind: model, aliases: [Widget]}
          gadget: {kind: model, aliases: [Gadget]}
          pre: [PreThing]
          post: [PostThing]
          mid: [MidThing]
        claims:
        """) + "".join(claims)
    (folder / "toy.yaml").write_text(text, encoding="utf-8")
    return load_knowledge([folder], [bundled_dirs()[1]], include_bundled=False)


def test_a_value_the_true_claim_contradicts_and_no_false_twin_asserts_is_reported(tmp_path):
    kb = kb_of(tmp_path,
               claim("widget-pre", "true", "[pre]", "[post, mid]"),
               claim("widget-post", "false", "[post]", "[pre]"))
    assert [f.id for f in false_twins(kb, kb.claims["widget-pre"])] == ["widget-post"]
    [(true, twins, missing)] = uncovered_twin_values(kb)
    assert true.id == "widget-pre" and [t.id for t in twins] == ["widget-post"] and missing == ("mid",)


@pytest.mark.parametrize("claims", [
    # the twin asserts every value the true claim contradicts
    [claim("widget-pre", "true", "[pre]", "[post, mid]"), claim("widget-post", "false", "[post, mid]", "[pre]")],
    # two false twins cover it together
    [claim("widget-pre", "true", "[pre]", "[post, mid]"), claim("widget-post", "false", "[post]", "[pre]"),
     claim("widget-mid", "false", "[mid]", "[pre]")],
    # not twins: another property, another subject, or a false claim that does not deny the true value
    [claim("widget-pre", "true", "[pre]", "[post, mid]"), claim("widget-post", "false", "[post]", "[pre]", prop="other")],
    [claim("widget-pre", "true", "[pre]", "[post, mid]"), claim("gadget-post", "false", "[post]", "[pre]", subject="gadget")],
    [claim("widget-pre", "true", "[pre]", "[post, mid]"), claim("widget-post", "false", "[post]", "[mid]")],
])
def test_covered_or_unrelated_claims_pass(tmp_path, claims):
    assert uncovered_twin_values(kb_of(tmp_path, *claims)) == []
