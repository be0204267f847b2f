"""Every reading construction tests itself: each example is read as its `expect` says."""

from __future__ import annotations

import pytest

from lint_notes.knowledge.check import construction_cases, run_construction_example
from lint_notes.knowledge.load import load_knowledge

CASES = list(construction_cases(load_knowledge()))


def _reading(linter, reader, text: str) -> list:
    """How ``text`` is read with ``reader`` in place of the linter's constructions: per sentence, the
    constructions that applied, the modality and each mention's effects."""
    from lint_notes.text.markdown import parse_markdown

    saved = linter.reader.constructions
    linter.reader.constructions = reader
    try:
        views = linter.read(parse_markdown(text)).views
    finally:
        linter.reader.constructions = saved
    return [(v.constructions, v.modality, [(m.entity, m.negated, m.standard, m.neutral, m.scoped, m.bind)
                                          for m in v.mentions]) for v in views]


def _user_constructions(folder, cid: str, cue: str, pattern: str, effect: str, examples: list[tuple[str, str]]):
    """A knowledge base with the bundled files and one construction of the user's own, in ``folder``."""
    lines = "".join(f"      - text: {text}\n        expect: {expect}\n" for text, expect in examples)
    (folder / "c.yaml").write_text(
        f"schema_version: 1\nconstructions:\n  - id: {cid}\n    description: d\n    cue: [{cue}]\n"
        f"    pattern: {pattern}\n    effect: {effect}\n    examples:\n{lines}", encoding="utf-8")
    return load_knowledge(rule_dirs=[folder])


@pytest.mark.parametrize("construction,example", CASES,
                         ids=[f"{c.id}-{i}" for i, (c, _) in enumerate(CASES)])
def test_construction_example(construction, example, linter):
    problem = run_construction_example(linter, construction, example)
    assert problem is None, problem


def test_every_construction_has_examples_that_apply_and_one_that_reads_a_mention(kb):
    for c in kb.constructions:
        applying = [ex for ex in c.examples if ex["expect"].get("applies", "true") == "true"]
        assert applying, c.id


@pytest.mark.parametrize("text,claim", [
    # replacement direction: the new value is the one the model uses
    ("LLaMA 把 LayerNorm 替换成了 RMSNorm。", None),
    ("LLaMA 把 RMSNorm 替换成了 LayerNorm。", "llama-uses-layernorm"),
    # a value in parentheses belongs to the models inside them
    ("Transformer 分为 Decoder-Only（GPT-2，GPT-3）、Encoder-Only（BERT，RoBERTa）。", None),
    # a point of reference is not the subject
    ("ChatGLM2 的架构基本回归了 LLaMA 架构，引入 MQA 的注意力机制。", None),
    # an identity claim needs an identity construction, not two names in one sentence
    ("相对位置编码、门控线性单元、GeLU 激活函数、RMSNorm。", None),
    ("GELU 就是门控线性单元。", "gelu-is-gated-linear-unit"),
])
def test_real_note_shapes(linter, text, claim):
    fired = {f.claim for f in linter.lint_text(text, "<t>").findings}
    assert fired == ({claim} if claim else set()), fired


def test_min_mentions_counts_only_required_slots():
    """A sentence with fewer mentions than every match of a construction needs skips it; a slot inside a
    group may be optional, so it does not count, and alternatives take the fewest."""
    from lint_notes.read.constructions import min_mentions

    assert min_mentions("(把|将) {A} (替换|换) (成|为) {B}") == 2
    assert min_mentions("{A} 被 ((替换|换) 为 {B}|{B} 取代)") == 1
    assert min_mentions("{A} and {B}|unlike {C}") == 1
    assert min_mentions("(如果|若) (不|没有) [[X]]") == 0
    assert min_mentions("[^{]{0,3} {{S}} \\{ {A:model}") == 2


def test_a_bound_subject_stays_free_when_the_construction_gives_it_an_effect(linter):
    """A means phrase that opens a sentence ("通过 V，S 可以…") belongs to S, and S is still the subject of the
    rest of its clause; the subject of a parenthesis ("Encoder-Only（BERT）") binds only what it was given."""
    from lint_notes.text.markdown import parse_markdown

    def mentions(text):
        view = next(v for v in linter.read(parse_markdown(text)).views if v.mentions)
        return {m.entity: m for m in view.mentions}

    means = mentions("通过在每一层引入归一化，DeepNorm 能够稳定地训练深层模型。")
    assert means["norm-every-layer"].bind == frozenset({"deepnorm"})
    assert not means["deepnorm"].scoped
    fired = {f.claim for f in linter.lint_text("通过在每一层引入归一化操作，DeepNorm 可以缓解梯度问题。", "<t>").findings}
    assert "deepnorm-adds-norm-every-layer" in fired
    paren = mentions("Encoder-Only（BERT，RoBERTa）适合理解类任务。")
    assert paren["bert"].scoped


def test_a_construction_is_skipped_only_when_no_alternative_can_fill_its_kind_filtered_slots():
    """The kind filters of the slots every match fills (outside parentheses) decide whether a sentence's
    mentions could make a match apply; a filter inside a group, or an alternative without one, never skips."""
    from lint_notes.read.constructions import Construction, compile_all, required_slots

    assert required_slots("{A} 被 ((替换|换) 为 {B}|{B} 取代)") == [["A"]]
    assert required_slots("{A} and {B}|unlike {C}") == [["A", "B"], ["C"]]

    def compiled(pattern):
        return compile_all([Construction("c", pattern, {"A": "asserts"}, ())])[0]

    c = compiled("{V:!model} \\( {{S:model}} \\)")
    assert c.possible({"model", "norm"}) and c.possible({"model", None})
    assert not c.possible({"model"}) and not c.possible({"norm"})
    c = compiled("{A:model} 是 {B}|{B} 即 {A}")  # the filter of A holds in both alternatives
    assert c.possible({"model"}) and not c.possible({"norm", None})
    assert compiled("{A:model} 是 {B}|{C} 即 {D}").possible({None})  # the second alternative has no filter
    assert compiled("(被 {A:model})? {B}").possible({None})  # inside a group: maybe not filled


def test_kind_filters_skip_nothing_that_would_apply(linter):
    """Skipping constructions that no match could fill changes no reading: the same sentences read the same."""
    from lint_notes.read.constructions import ConstructionReader

    reader = linter.constructions
    plain = ConstructionReader(linter.kb.constructions, linter.kinds)
    for c in plain.compiled:
        c.needs = ()
    texts = ["Decoder-Only（GPT-2，GPT-3）和 Encoder-Only（BERT）。", "常见模型有：LLaMA、GPT-3 等。",
             "位置编码（例如 RoPE）很重要。", "LLaMA 把 LayerNorm 替换成了 RMSNorm。"]
    for text in texts:
        assert _reading(linter, reader, text) == _reading(linter, plain, text), text


def test_a_loaded_construction_makes_the_pattern_compiling_makes(kb):
    """The cached knowledge base keeps each construction's compiled program; the pattern made from it after
    loading equals the one re.compile makes (flags, expression and code)."""
    import pickle
    import re
    import sys

    from lint_notes.read.constructions import case_flags, compile_all

    loaded = pickle.loads(pickle.dumps(compile_all(kb.constructions)))
    for c in loaded:
        assert c._regex is None
        if sys.implementation.name == "cpython":
            assert c.program is not None, c.construction.id
        assert c.regex == re.compile(c.source, case_flags(c.source)), c.construction.id
        assert c.regex.groupindex == re.compile(c.source, case_flags(c.source)).groupindex


def test_a_cue_keeps_the_spaces_it_is_written_with(linter, tmp_path):
    """The cue " or " is the word, not the letters of "transformer" or "for": a sentence that only holds the
    letters is not tried against the construction, one that holds the word is (and reads it)."""
    from lint_notes.text.markdown import parse_markdown

    ids = [c.construction.id for c in linter.constructions.compiled]
    alternative = ids.index("alternative-or")
    assert " or " in linter.constructions.by_cue and alternative in linter.constructions.by_cue[" or "]
    assert "or" not in linter.constructions.by_cue

    def cued(text: str) -> set[int]:
        spaced = text.lower()
        return {i for _, idxs in linter.constructions.cues(spaced) for i in idxs}

    assert alternative not in cued("The transformer is good for translation.")
    assert alternative in cued("It is usually a BERT or a decoder model.")
    views = linter.read(parse_markdown("It is usually a BERT or a decoder model of the same size.")).views
    assert any("alternative-or" in v.constructions for v in views)
    # a loader keeps the spaces of a cue of the user's own constructions too
    mine = _user_constructions(tmp_path, "my-or", '" or "', '"{A:model} or … {B:!model}"', "{B: neutral}",
                               [("It is usually a BERT or a decoder model.", "{decoder: neutral}"),
                                ("A BERT or a decoder model.", "{decoder: neutral}")])
    assert next(c for c in mine.constructions if c.id == "my-or").cues == (" or ",)


def test_patterns_are_matched_with_case_and_read_as_without_it(linter, tmp_path):
    """The bundled patterns are written in lower case and matched with case (faster); since the text is folded
    to lower case, with İ, ı and ſ folded to i, i and s, every construction example reads the same, also written
    in capitals or with those letters, as with the patterns matched without case."""
    import re

    from lint_notes.read.constructions import ConstructionReader, case_flags, compile_pattern
    from lint_notes.text.markdown import parse_markdown
    from lint_notes.text.normalize import fold

    assert fold("İı ſ") == "ii\x00s"
    reader = linter.constructions
    assert all(not (c._regex or c.regex).flags & re.IGNORECASE for c in reader.compiled)
    assert case_flags(compile_pattern("{A} uses {B}")[0]) == 0 and case_flags("Uses") == re.IGNORECASE
    assert case_flags("[A-Z]+") == re.IGNORECASE and case_flags("β") == re.IGNORECASE
    without_case = ConstructionReader(linter.kb.constructions, linter.kinds)
    for c in without_case.compiled:
        c._regex, c.literals = re.compile(c.source, re.IGNORECASE), ()
    texts = [ex["text"] for _, ex in construction_cases(linter.kb)]
    texts += [t.upper() for t in texts] + [t.replace("s", "ſ").replace("i", "ı") for t in texts] + \
        [t.replace("i", "İ") for t in texts]

    applied = 0
    for text in texts:
        mine = _reading(linter, reader, text)
        assert mine == _reading(linter, without_case, text), text
        applied += any(v[0] for v in mine)
    assert applied > len(texts) // 2
    # a user's pattern that names a capital letter is matched without case
    mine = _user_constructions(tmp_path, "my-vs", "VS", '"{A:model} VS {B:model}"', "{B: standard}",
                               [("BERT vs GPT-2.", "{GPT-2: standard}"), ("BERT VS GPT-3.", "{GPT-3: standard}")])
    from lint_notes.engine import Linter

    views = Linter(mine).read(parse_markdown("BERT vs GPT-2.")).views
    assert any("my-vs" in v.constructions for v in views)
