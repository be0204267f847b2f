"""Matching behaviour on real claims: boundaries, normalisation, polarity, binding, context."""

from __future__ import annotations

import pytest

from conftest import findings_for


def claims_of(linter, text):
    return {(f.claim, f.verdict) for f in findings_for(linter, text)}


FLAG_GPT3 = [
    "GPT-3 采用 Post-LN 结构。",
    "GPT3 uses Post-LN.",
    "gpt3 用的是 post ln。",
    "ＧＰＴ－３ 採用 Post-LN 結構。",  # full width, traditional characters
    "GPT-3 用的是后置归一化。",
    "GPT-3 没有使用 Pre-LN，而是 Post-LN。",
    "GPT-2 和 GPT-3 都使用 Post-LN。",
    "说 GPT-3 不是 Post-LN 是错误的。",
]

PASS_GPT3 = [
    "GPT-3 并不是 Post-LN。",  # negation
    "GPT-3 不是不用 Pre-LN。",  # double negation: it does use Pre-LN
    "GPT-3 用 Pre-LN 而不是 Post-LN。",  # contrast
    "GPT-3 uses Pre-LN rather than Post-LN.",
    "GPT-3 不是 Post-LN 而是 Pre-LN。",
    "BERT 用 Post-LN，GPT-3 用 Pre-LN。",  # comparison: each value to its own subject
    "Unlike BERT, which uses Post-LN, GPT-3 uses Pre-LN.",
    "GPT-3.5 用的是 Post-LN。",  # a different model
    "GPT-3 用 Post-LN 吗？",  # question
    "GPT-3 也许用的是 Post-LN。",  # hedge
    "误区：GPT-3 使用 Post-LN。",  # misconception marker
    "GPT-3 的论文讨论了 few-shot learning。",  # mention only
    "Post-LN 是原始 Transformer 的做法。",  # value without the subject
]


@pytest.mark.parametrize("text", FLAG_GPT3)
def test_gpt3_post_ln_flagged(linter, text):
    assert ("gpt3-uses-post-ln", "false") in claims_of(linter, text)


@pytest.mark.parametrize("text", PASS_GPT3)
def test_gpt3_post_ln_not_flagged(linter, text):
    assert not any(c.startswith(("gpt3-uses-post-ln", "model-facts/gpt-3")) for c, _ in claims_of(linter, text))


def test_llama_contrast_rmsnorm_not_layernorm(linter):
    assert claims_of(linter, "LLaMA 用 RMSNorm 而不是 LayerNorm。") == set()
    assert claims_of(linter, "LLaMA uses RMSNorm instead of LayerNorm.") == set()


def test_not_negations_are_terms(linter):
    # 非线性 / 不同 / 不仅 contain negation characters but negate nothing
    assert ("gpt3-uses-post-ln", "false") in claims_of(linter, "GPT-3 不仅用了 Post-LN，还用了稀疏注意力。")


def test_misconception_section_is_not_asserted(linter):
    md = "## 常见误区\n\nGPT-3 使用 Post-LN。\n\n## 正确说法\n\nGPT-3 使用 Post-LN。\n"
    found = findings_for(linter, md)
    assert [f.line for f in found if f.claim == "gpt3-uses-post-ln"] == [7]


def test_strikethrough_is_not_asserted(linter):
    assert claims_of(linter, "~~GPT-3 使用 Post-LN~~，应为 Pre-LN。") == set()


def test_anaphora_carries_the_previous_subject(linter):
    found = findings_for(linter, "Post-LN 是一种归一化位置。这种结构有助于稳定训练。")
    assert [f.claim for f in found] == ["post-ln-stabilizes-training"]
    assert found[0].column > 1  # on the second sentence


def test_a_denied_name_does_not_end_a_question_headings_subject(linter):
    # "不需要 ALiBi 那样的偏置" names no subject of its own: the heading's RoPE is still what the list is about
    text = "### RoPE 有什么优势？\n\n- 不需要 ALiBi 那样的偏置\n- 可以直接外推到任意长度\n"
    assert ("rope-extrapolates-any-length", "false") in claims_of(linter, text)
    text = "### RoPE 有什么优势？\n\n- ALiBi 也用偏置\n- 可以直接外推到任意长度\n"
    assert ("rope-extrapolates-any-length", "false") not in claims_of(linter, text)


def test_gqa_with_its_group_count_is_gqa(linter):
    # GQA written with its group count ("GQA-8") still names GQA
    assert ("model-facts/llama-2-7b/attention", "false") in claims_of(linter, "LLaMA-2 7B 用的是 GQA-8。")


def test_inherited_context_alone_never_fires_twice(linter):
    found = findings_for(linter, "GPT-3 使用 Post-LN。这种结构很常见。")
    assert [f.claim for f in found] == ["gpt3-uses-post-ln"]


def test_a_dropped_repeat_does_not_hide_what_the_sentence_says_itself(linter):
    # the second sentence repeats the ChatGLM claim only through inherited context (not reported
    # again), but on its own it still says "Post-LN stabilises training", which is reported
    text = "ChatGLM 采用 Post-LN 结构。\nPost-LN 这种结构有助于稳定训练过程。Post-LN 这种结构有助于稳定训练过程。"
    second = [f.claim for f in findings_for(linter, text) if f.column > 1 and f.line == 2]
    assert second == ["post-ln-stabilizes-training"]


def test_the_sheet_of_repeated_sentences_lints_clean(linter):
    from lint_notes.sheet import build_sheet

    text = "ChatGLM 采用 Post-LN 结构。# 标题\nPost-LN 这种结构有助于稳定训练过程。Post-LN 这种结构有助于稳定训练过程。"
    sheet = build_sheet(linter, text.encode("utf-8"), "d.md", today="2026-01-01")
    assert findings_for(linter, sheet.text) == []


@pytest.mark.parametrize("markdown", [True, False])
def test_context_is_not_carried_across_struck_text(linter, markdown):
    plain = "Post-LN 是一种归一化位置。这种结构有助于稳定训练。"
    struck = "Post-LN 是一种归一化位置。~~MQA 中每个查询与多个键值对交互。~~ 这种结构有助于稳定训练。"
    assert [f.claim for f in findings_for(linter, plain, markdown)] == ["post-ln-stabilizes-training"]
    assert findings_for(linter, struck, markdown) == []  # "这种结构" may mean what was struck


def test_a_corrected_sentence_does_not_pass_its_context_on(linter):
    from lint_notes.sheet import build_sheet

    # the anaphor refers to the MQA sentence; once that is struck and corrected, the third sentence
    # must not pick up Post-LN from the first one instead
    text = "0GPT-3 采用 Post-LN 结构。MQA 中每个查询与多个键值对交互。0Post-LN 这种结构有助于稳定训练过程。"
    assert [f.claim for f in findings_for(linter, text)] == ["mqa-each-query-many-kv-pairs"]
    sheet = build_sheet(linter, text.encode("utf-8"), "d.md", today="2026-01-01")
    assert findings_for(linter, sheet.text) == []


def test_a_sheet_footnote_reference_does_not_unquote_the_next_sentence(linter):
    from lint_notes.sheet import build_sheet

    text = "GPT-3 采用 Post-LN 结构。“GPT-3 采用 Post-LN 结构。”"  # the quoted one is not asserted
    assert len(findings_for(linter, text)) == 1
    sheet = build_sheet(linter, text.encode("utf-8"), "d.md", today="2026-01-01")
    assert "[^lint-notes-1]“GPT-3" in sheet.text
    assert findings_for(linter, sheet.text) == []


def test_a_sentence_that_is_not_asserted_ends_the_chain_of_repeats(linter):
    from lint_notes.sheet import build_sheet

    # the third sentence inherits MQA from the misconception before it, not from the first sentence,
    # so it is no repeat of the first one's finding; the sheet corrects both and then lints clean
    text = "MQA 中每个查询与多个键值对交互。误区：MQA 中每个查询与多个键值对交互。0MQA 中每个查询与多个键值对交互。"
    found = findings_for(linter, text)
    assert [(f.claim, f.text[:4]) for f in found] == [("mqa-each-query-many-kv-pairs", "MQA "),
                                                       ("mqa-each-query-many-kv-pairs", "0MQA")]
    sheet = build_sheet(linter, text.encode("utf-8"), "d.md", today="2026-01-01")
    assert findings_for(linter, sheet.text) == []


def test_typo_tolerance_gives_low_confidence_only(linter):
    found = [f for f in findings_for(linter, "GPT-3 的结构很常见，Llamma 使用 LayerNorm。") if "llama" in f.claim]
    # low confidence is shown (as info, with its reason) and never fails CI
    assert found and all(f.confidence == "low" and f.severity == "info" and f.verdict == "unverified"
                         and "typo" in " ".join(f.reasons) for f in found)


def test_short_tokens_are_not_fuzzy_matched(linter):
    assert claims_of(linter, "GTP 使用 Post-LN。") == set()


def test_typo_lookup_equals_a_search_of_every_key_of_a_near_length(linter):
    """The lookup skips the full search when no key it could accept (same digits, length within one) comes near;
    that must never change its answer. Checked against the plain rule on typos made from the keys themselves."""
    import random

    from rapidfuzz import fuzz, process

    index = linter.index

    def plain(word):
        if index._target(word) is not None:
            return None
        best = process.extractOne(word, index._near_in_length(len(word)), scorer=fuzz.ratio, score_cutoff=88)
        if best is None:
            return None
        key = best[0]
        same_digits = [c for c in key if c.isdigit()] == [c for c in word if c.isdigit()]
        return key if same_digits and abs(len(key) - len(word)) <= 1 else None

    rng = random.Random(5)
    words = []
    for key in rng.sample(index.latin_keys, 300):
        i = rng.randrange(len(key))
        words += [key[:i] + key[i + 1:], key[:i] + "x" + key[i:], key[:i] + "q" + key[i + 1:], key + "s2", key[:-2]]
    words += ["Llamma", "Qwen3", "GPT-5o", "Mistrall", "transformerz", "Deepseek-V9"]
    assert sum(plain(w) is not None for w in words) > 300  # the typos do reach keys
    for w in words:
        index._fuzzy = {}
        assert index._fuzzy_lookup(w) == plain(w), w


def test_finding_fields_and_fingerprint(linter):
    a = findings_for(linter, "GPT-3 使用 Post-LN。")[0]
    b = findings_for(linter, "\n\n前言。\n\nGPT-3 使用 Post-LN。")[0]
    assert a.fingerprint == b.fingerprint and a.line != b.line
    assert a.citations and a.correction and a.severity == "error"
    assert a.text == "GPT-3 使用 Post-LN。"


def test_cjk_radicals_from_pdf_conversion_are_folded(run_cli, tmp_path):
    """PDF-converted notes write radical code points (U+2ED3 for 长, U+2F64 for 用) where the ideograph belongs."""
    from lint_notes.text.normalize import fold

    assert fold("任意\u2ed3度") == fold("任意长度") and fold("\u2f64") == fold("用")
    note = tmp_path / "n.md"
    note.write_text("RoPE 可以外推到任意\u2ed3度。\n", encoding="utf-8")
    out = run_cli("lint", "--output-format", "concise", "--no-config", note).output
    assert "[rope-extrapolates-any-length]" in out


def test_the_fast_folding_table_folds_every_character_as_the_mapping_does(monkeypatch):
    """Long runs fold through a list indexed by code point; it must agree with the mapping on every character."""
    from lint_notes.text import normalize

    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000 and len(chr(i).lower()) == 1)
    expected = every.lower().translate(normalize.translate_table())
    monkeypatch.setattr(normalize, "_DENSE", None)
    monkeypatch.setattr(normalize, "_folded_chars", 0)
    monkeypatch.setattr(normalize, "_DENSE_AFTER", 10)
    assert normalize.fold("GPT-3") == "gpt\x003" and normalize._DENSE is None  # short texts use the mapping
    assert normalize.fold(every) == expected and normalize._DENSE is not None
    assert normalize.fold("ＧＰＴ－３ 後") == "gpt\x003\x00后"


def test_fingerprint_text_keeps_exactly_the_alphanumeric_characters():
    """Fingerprints (and so baselines and review decisions) must not change with how punctuation is dropped:
    the pattern keeps what str.isalnum keeps, on every character."""
    from lint_notes.text import normalize

    every = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    assert normalize._NOT_ALNUM.sub("", every) == "".join(ch for ch in every if ch.isalnum())
    assert normalize.sentence_fingerprint_text("GPT-3 使用 Post-LN（见 §2）。") == "gpt3使用postln见2"


def test_english_plurals_of_names_are_mentions(linter):
    assert ("gpt3-uses-post-ln", "false") in claims_of(linter, "GPT-3 uses post-norms in every block.")
    assert not any(c == "gpt3-uses-post-ln" for c, _ in claims_of(linter, "GPT-3 uses pre-norms in every block."))


@pytest.mark.parametrize("text", [
    "DeepSeek-V2 相比 MHA 仍能提供更强的性能。",  # the standard of a comparison is not the subject's value
    "与 Post-LN 相比，GPT-3 的训练更稳定。",
])
def test_the_standard_of_a_comparison_is_no_value(linter, text):
    assert not {c for c, _ in claims_of(linter, text) if c.startswith(("model-facts/deepseek-v2/attention", "gpt3-post-ln"))}


def test_a_heading_that_glosses_a_name_in_parentheses_is_read(linter):
    # a heading names a topic and asserts nothing, unless it glosses a name with another name in parentheses
    assert ("gpt3-uses-post-ln", "false") in claims_of(linter, "## GPT-3（Post-LN）\n\n正文。\n")
    assert not claims_of(linter, "## GPT-3 与 Post-LN\n\n正文。\n")
    assert not claims_of(linter, "## GPT-3 的归一化（续）\n\n正文。\n")
    assert not claims_of(linter, "## Post-LN（后置归一化）\n\n正文。\n")  # a name and its translation
    # or a name that opens the heading, then a colon and a clause about it
    assert ("gpt3-uses-post-ln", "false") in claims_of(linter, "## 2. GPT-3：改用 Post-LN 的结构\n\n正文。\n")
    assert not claims_of(linter, "## 附录：GPT-3 与 Post-LN\n\n正文。\n")


def test_a_table_of_one_column_per_subject(linter):
    # the column header names the subject even where the row label names no known term
    table = "| | LayerNorm | RMSNorm |\n|---|---|---|\n| 速度 | 较慢 | 快 7.7 倍 |\n"
    assert any(c == "rmsnorm-several-times-faster" for c, _ in claims_of(linter, table))
    # a value from the column header is said of every subject its cell lists
    wrong = "| | LayerNorm | RMSNorm |\n|---|---|---|\n| 使用模型 | BERT | Llama, Mistral, GPT-3 |\n"
    assert any(c == "model-facts/gpt-3/norm-type" for c, _ in claims_of(linter, wrong))
    right = "| | LayerNorm | RMSNorm |\n|---|---|---|\n| 使用模型 | BERT, GPT-3 | Llama, Mistral |\n"
    assert not claims_of(linter, right)


def test_a_paradigm_anaphor_refers_to_the_architecture_before_it(linter):
    found = findings_for(linter, "Prefix LM 让前缀部分双向可见，后面的生成部分只看左侧。PaLM 就属于这种范式。")
    assert "model-facts/palm/architecture" in {f.claim for f in found}


def test_a_name_with_its_abbreviation_in_inline_code_is_read(linter):
    found = findings_for(linter, "- ``Rotary Position Embedding (RoPE)``: generalizes to longer sequences than it was trained on.")
    assert "rope-extrapolates-any-length" in {f.claim for f in found}
    assert not findings_for(linter, "- ``pip install foo (bar)``: generalizes to longer sequences.")


def test_a_label_with_a_gloss_in_parentheses_carries_its_subject(linter):
    text = "- **Noam学习率（warmup 后衰减）**：\n  这是一种常见的学习率策略，学习率与序列长度的平方根成反比。\n"
    found = findings_for(linter, text)
    assert "noam-lr-scales-with-sequence-length" in {f.claim for f in found} or \
        "noam-lr-scales-with-d-model" in {f.claim for f in found}


def test_a_column_header_with_examples_and_a_row_label_that_names_a_property(linter):
    # the models a header gives in parentheses are examples, not a second subject of the column
    table = "| 维度 | MHA | MQA（T5） |\n|---|---|---|\n| 典型模型 | BERT | T5、Falcon |\n"
    assert ("t5-uses-mqa", "false") in claims_of(linter, table)
    # a row label may name a thing that is no table subject (a KV cache): the column's subject is the cell's
    table = "| 特性 | MHA | DSA |\n|---|---|---|\n| KV cache | 全部保留 | 只保留被选中的token |\n"
    assert any(c == "dsa-caches-only-topk" for c, _ in claims_of(linter, table))
    # a row label that names a model still makes the row the subject
    table = "| 特性 | MHA | MQA |\n|---|---|---|\n| Falcon | 否 | 是 |\n"
    assert not any(c == "t5-uses-mqa" for c, _ in claims_of(linter, table))


def test_a_size_after_a_name_is_no_new_version(linter):
    from lint_notes.text.markdown import parse_markdown

    def names(text):
        reading = linter.read(parse_markdown(text))
        return [m.entity for v in reading.views for m in v.mentions]

    assert names("R1-Distill-32B 的基座是 Qwen。")[0] == "r1-distill"
    assert "qwen3" not in names("Qwen3-VL-2B 是多模态模型。")  # a near-miss of Qwen3 followed by a size
    assert "gpt-3" not in names("GPT-3.5 是对话模型。")  # a version is still a different model
    assert "llama" not in names("Llama-2 用了 GQA。")
    # a later generation and a size that only a later release had are not the family's or the release's
    table = "| 模型 | 总参数 |\n|---|---|\n| LLaMA 4 Scout | 109B |\n| Llama-3-405B | 405B |\n"
    assert not claims_of(linter, table)


def test_a_bare_name_leads_the_list_nested_below_it(linter):
    # a list item (or a paragraph) that is only a name is what the items nested below it are about
    nested = "- PPO\n  - 需要价值模型\n- GRPO\n  - 去掉奖励模型和价值模型\n"
    assert ("grpo-no-reward-model", "misleading") in claims_of(linter, nested)
    para = "**（1）RoPE（旋转位置编码）**\n- 优点：\n  - 外推性好，能泛化到更长的序列\n"
    assert any(c == "rope-extrapolates-any-length" for c, _ in claims_of(linter, para))
    # a sibling item, or a name followed by more words, leads nothing
    assert not claims_of(linter, "- GRPO\n- 去掉奖励模型和价值模型\n")
    assert not claims_of(linter, "- GRPO 的训练流程\n  - 去掉奖励模型和价值模型\n")
    # numbered with a Chinese numeral ("二、GELU（…）") it is still only a name
    numbered = "**二、RoPE（旋转位置编码）**\n\n1. 特点：\n   - 外推性好，能泛化到更长的序列\n"
    assert any(c == "rope-extrapolates-any-length" for c, _ in claims_of(linter, numbered))
    assert not claims_of(linter, "**二、RoPE 的改进**\n\n1. 特点：\n   - 外推性好，能泛化到更长的序列\n")


def test_a_row_label_under_a_header_that_names_no_term(linter):
    # the cell speaks of its row's one subject
    table = "| 方法 | 要点 |\n|---|---|\n| QLoRA | QAT (quantize + train) |\n"
    assert ("qlora-is-quantization-aware-training", "false") in claims_of(linter, table)
    # but the row label is only a subject, never a value for the models the cell names
    uses = "| 归一化 | 版本 |\n|---|---|\n| LayerNorm | LLaMA 之前 |\n"
    assert not any(c.startswith("llama-uses-layernorm") for c, _ in claims_of(linter, uses))
    # and a cell that names another thing a row could be about (advice: "use GQA") is not read so
    advice = "| 模型 | 动作 |\n|---|---|\n| Llama-2-7B | 必须量化 + GQA |\n"
    assert not claims_of(linter, advice)


def test_an_anaphor_with_nothing_of_its_kind_before_it_refers_to_the_question_headings_subject(linter):
    # "这种方法" finds no method in the answer so far: it is the method the question heading asks about
    md = "## 什么是混合精度训练？\n\nFP16 的数值范围小，所以权重用 FP32 存储，计算用 FP16。这种方法使得内存需求减少了一半。\n"
    assert any(c == "mixed-precision-halves-model-state-memory" for c, _ in claims_of(linter, md))
    # a heading that is not a question carries nothing
    md = "## 混合精度训练的细节\n\nFP16 的数值范围小，所以权重用 FP32 存储，计算用 FP16。这种方法使得内存需求减少了一半。\n"
    assert not claims_of(linter, md)


def test_a_value_right_after_a_gloss_in_parentheses_is_said_of_the_glossed_name(linter):
    # the closing parenthesis of a gloss is no list separator: "1F1B（全称）调度缓解" says what 1F1B does
    assert ("one-f-one-b-reduces-bubble", "false") in claims_of(linter, "气泡可以靠 1F1B（One Forward One Backward）调度缓解。")
    # a value listed after a parenthesis is still another item of the list
    assert not any(c == "one-f-one-b-reduces-bubble"
                   for c, _ in claims_of(linter, "流水线的做法有 1F1B（One Forward One Backward）、调度缓解等。"))


def test_a_lead_line_that_opens_with_its_subject_leads_the_list(linter):
    # the subject is the line's label, or the only subject of its first clause: the list below is about it
    label = "**Activation Checkpointing**：只留下每层的输入，其余激活在反向时重算：\n- 显存：降到 O(B·T·D)\n"
    assert any(c == "per-layer-checkpointing-makes-activation-memory-depth-free" for c, _ in claims_of(linter, label))
    first = "LLaVA 最早就是这样做的，用一层线性投影把 CLIP 的特征接到 Vicuna 上：\n- 保持视觉编码器和 LLM 的参数冻结\n"
    assert ("llava-keeps-llm-frozen", "false") in claims_of(linter, first)
    # a line that names other subjects next to its first one in the same clause, or opens with something else,
    # leads nothing
    shared = "LLaVA 和 BLIP-2 的训练分两步：\n- 保持视觉编码器和 LLM 的参数冻结\n"
    assert not any(c == "llava-keeps-llm-frozen" for c, _ in claims_of(linter, shared))
    other = "很多模型沿用了这个思路，例如 LLaVA 用一层线性投影把 CLIP 的特征接到 Vicuna 上：\n- 保持视觉编码器和 LLM 的参数冻结\n"
    assert not any(c == "llava-keeps-llm-frozen" for c, _ in claims_of(linter, other))


def test_a_header_cell_that_glosses_a_name_in_parentheses_is_read(linter):
    # as a heading does: "| MQA（T5、PaLM） |" says which models use MQA
    table = "| 对比项 | MHA | MQA（T5、PaLM） |\n|---|---|---|\n| KV 头数 | h | 1 |\n"
    assert ("t5-uses-mqa", "false") in claims_of(linter, table)
    assert not claims_of(linter, "| 对比项 | MHA（T5） | MQA（PaLM） |\n|---|---|---|\n| KV 头数 | h | 1 |\n")
    # a header cell that only names a thing still asserts nothing
    assert not claims_of(linter, "| 对比项 | T5 | MQA |\n|---|---|---|\n| 说明 | 编码器-解码器 | 一组 KV |\n")


def test_a_subject_that_labels_its_sentence_reaches_its_other_clauses(linter):
    # "ZeRO-2：…，还把参数切分…": the label is the subject of every clause of a clause-scoped claim
    assert ("zero2-shards-parameters", "false") in claims_of(linter, "ZeRO-2：除了优化器状态，还会把模型参数切分到各个设备上。")
    # unless that clause names another subject of its kind
    assert not any(c == "zero2-shards-parameters"
                   for c, _ in claims_of(linter, "ZeRO-2：切分梯度和优化器状态，模型参数要到 ZeRO-3 才切分。"))


def test_a_count_of_shared_experts_is_read_from_a_table_column(linter):
    table = "| 模型 | 路由专家 | 共享专家 |\n|---|---|---|\n| Qwen3-30B-A3B | 128 | 1 |\n"
    assert ("model-facts/qwen3-30b-a3b/shared-expert", "false") in claims_of(linter, table)
    right = "| 模型 | 路由专家 | 共享专家 |\n|---|---|---|\n| Qwen3-30B-A3B | 128 | 0 |\n"
    assert not any(c.endswith("/shared-expert") for c, _ in claims_of(linter, right))
    # a model without such a cell is not judged
    assert not claims_of(linter, "DeepSeek-V3 每层有 1 个共享专家。")


def test_an_opening_connective_is_no_clause_of_its_own(linter):
    # "同时，" opens the sentence: the subject carried from the sentence before binds what follows it
    text = "LLaMA 先把文本切成 token id。同时，位置信息会经过一个 positional embedding 层编码。"
    assert ("llama-input-position-embedding", "false") in claims_of(linter, text)
    # a contrast is a clause of its own, and a sentence that names its own subject after the connective takes none
    text = "LLaMA 先把文本切成 token id。不过，位置信息会经过一个 positional embedding 层编码。"
    assert ("llama-input-position-embedding", "false") not in claims_of(linter, text)
    text = "BERT 的上下文长度是 512。同时，LLM 大多采用 RoPE 作为位置编码。"
    assert not any(c.startswith("model-facts/bert") for c, _ in claims_of(linter, text))


def test_a_row_label_that_glosses_a_value_with_an_example_is_read(linter):
    # a table's first column names things, unless it ties a value to an example in parentheses
    table = "| 做法 | 效果 |\n|---|---|\n| 改 Q（如 P-Tuning v2） | 表达力更强 |\n"
    assert ("p-tuning-v2-modifies-queries", "false") in claims_of(linter, table)
    table = "| 方法 | 做法 |\n|---|---|\n| P-Tuning v2 | 每层加前缀 |\n"
    assert claims_of(linter, table) == set()


def test_an_estimate_marked_est_is_hedged(linter):
    assert claims_of(linter, "| Teacher | Student |\n|---|---|\n| GPT-4 (1.8T est.) | a 3.8B model |\n") == set()


def test_a_heading_that_is_only_a_name_carries_it_into_labelled_attributes(linter):
    # "- **优点**：…" under "#### RoPE（…）" is about RoPE; an item without such a label is not read as about it
    text = "#### RoPE（旋转位置编码）\n\n- **原理**：对 q、k 做旋转\n- **优点**：支持任意长度\n"
    assert ("rope-extrapolates-any-length", "false") in claims_of(linter, text)
    text = "#### RoPE（旋转位置编码）\n\n- 对 q、k 做旋转\n- 支持任意长度\n"
    assert ("rope-extrapolates-any-length", "false") not in claims_of(linter, text)
    text = "#### RoPE（旋转位置编码）\n\n- **原理**：ALiBi 用偏置\n- **优点**：支持任意长度\n"
    assert ("rope-extrapolates-any-length", "false") not in claims_of(linter, text)


def test_an_anaphor_opening_a_paragraph_refers_to_the_paragraph_before(linter):
    text = "vLLM 把 KV cache 切成固定大小的块。\n\n这样一来，显存碎片的问题就彻底解决了。\n"
    assert ("paged-attention-zero-fragmentation", "misleading") in claims_of(linter, text)
    # without an anaphor, a paragraph does not continue the subject of the one before it
    text = "vLLM 把 KV cache 切成固定大小的块。\n\n显存碎片的问题就彻底解决了。\n"
    assert ("paged-attention-zero-fragmentation", "misleading") not in claims_of(linter, text)


def test_a_time_clause_naming_nothing_is_no_clause_of_its_own(linter):
    # "当…时，…" opens the sentence: the subject carried from the sentence before binds what follows it
    text = "E4M3 对 IEEE754 只是部分遵守。当指数位和尾数位都是 1 时，才表示无穷。"
    assert ("fp8-e4m3-has-infinity", "false") in claims_of(linter, text)
    # a time clause that denies something stays a clause of its own
    text = "E4M3 对 IEEE754 只是部分遵守。指数位不全为 1 时，表示无穷的编码也不存在。"
    assert ("fp8-e4m3-has-infinity", "false") not in claims_of(linter, text)


def test_incorporating_relative_position_information_names_a_relative_encoding(linter):
    text = "BERT 在算完注意力分数之后，通过一个位置层来融入相对位置信息。"
    assert ("model-facts/bert/position-encoding", "false") in claims_of(linter, text)
    text = "BERT 在输入层加可学习的位置向量，而不是在注意力之后融入相对位置信息。"
    assert claims_of(linter, text) == set()


def test_an_applications_label_under_a_named_heading_lists_what_uses_it(linter):
    text = "### RMSNorm\n\n- **原理**：只除以均方根\n- **应用**：LLaMA、RWKV\n"
    assert ("rwkv-uses-rmsnorm", "false") in claims_of(linter, text)
    # another attribute label says nothing about what the names in it use
    text = "### RMSNorm\n\n- **原理**：只除以均方根\n- **缺点**：RWKV 的实验里没有比较\n"
    assert ("rwkv-uses-rmsnorm", "false") not in claims_of(linter, text)
def test_a_list_of_examples_is_of_the_topic_carried_into_it(linter):
    # "Used in: A, B" under a heading that is only a name: the heading's subject is what A and B have
    md = "### GQA（分组查询注意力）\n\n多个查询头共享一组 K、V。\n\n**Used in**: LLaMA 2, Mistral.\n"
    assert any(c == "model-facts/llama-2/attention/gqa" for c, _ in claims_of(linter, md))
    # in a table, the row's subject, even though the cell names the models
    table = "| Variant | Notes |\n|---|---|\n| GQA | Used by LLaMA 2 |\n"
    assert any(c == "model-facts/llama-2/attention/gqa" for c, _ in claims_of(linter, table))
    # the heading's subject, not the topic of the sentence before it
    md = ("### Causal Decoder：\n\n输入输出都是单向注意力，而 Prefix Decoder 的输入是双向的。代表模型有 LLaMA、ChatGLM2 等。\n")
    assert not claims_of(linter, md)
    # with no topic carried in, a list of examples says nothing
    assert not claims_of(linter, "Used in: LLaMA 2, Mistral.\n")


def test_traditional_text_is_two_characters_of_the_table():
    """A sentence is Traditional when two of its characters are Traditional -> Simplified table entries: the
    character class finds exactly those (each table character alone is not enough, any two are)."""
    from lint_notes.text import normalize

    table = normalize._t2s_table()
    assert len(table) > 1000
    chars = sorted(map(chr, table))
    for a, b in zip(chars, chars[1:] + chars[:1]):
        assert not normalize.is_traditional(f"模型{a}是")
        assert normalize.is_traditional(f"{a}模型{b}")
    assert not normalize.is_traditional("简体中文的句子，用了 GPT-3。")
    assert normalize.is_traditional("這個模型使用")


def test_sentence_language_counts_chinese_characters_then_latin_words():
    from lint_notes.text.normalize import sentence_language

    assert sentence_language("GPT-3 使用 Pre-LN", False)  # two Chinese characters
    assert not sentence_language("GPT-3 uses Pre-LN 层", True)  # one Chinese character, three Latin words
    assert sentence_language("GPT-3 uses 层", True) and not sentence_language("GPT-3 uses 层", False)  # the document's


def test_less_deterministic_reads_as_stochastic(linter):
    """"less deterministic" is a phrase of its own (stochastic), not "deterministic" with a word before it."""
    wrong = ("method-facts/sampling/sys-determinism", "false")
    assert wrong in claims_of(linter, "Sampling is picked when you want deterministic outputs.")
    assert wrong not in claims_of(linter, "Sampling is picked when you want more varied, less deterministic outputs.")


def test_whereas_the_usual_is_a_point_of_comparison(linter):
    """"而正常 MHA 的…" brings MHA in to compare with; it does not say DeepSeek-V3 uses MHA."""
    found = {c for c, _ in claims_of(linter, "按 DeepSeek-V3 的配置，两个低秩矩阵的参数量是 2×512×7168，"
                                             "而正常 MHA 的投影矩阵参数量要大得多。")}
    assert "model-facts/deepseek-v3/attention" not in found, found
    assert "model-facts/deepseek-v3/attention" in {c for c, _ in claims_of(linter, "DeepSeek-V3 使用正常的 MHA。")}


def test_names_before_ze_are_the_topic_of_their_clause(linter):
    """"…，Top-p、ZeRO、MQA 则…": what opens a clause before 则 is that clause's topic, not T5's attention."""
    text = "GPT-2 和 T5 负责把方向推开，Top-p、张量并行、ZeRO、MQA 则负责让显存和推理成本不成为瓶颈。"
    t5_mqa = {"model-facts/t5/attention", "t5-uses-mqa"}
    assert not t5_mqa & {c for c, _ in claims_of(linter, text)}
    assert t5_mqa & {c for c, _ in claims_of(linter, "GPT-2 和 T5 都使用 MQA。")}
