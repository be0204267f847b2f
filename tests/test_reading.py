"""Markdown masking, sentences and positions, encodings."""

from __future__ import annotations

import codecs

import pytest

from lint_notes.text.markdown import parse_markdown, parse_plain
from lint_notes.text.read import UnreadableFile, decode
from lint_notes.text.segment import split_sentences


def sentences(md: str) -> list[str]:
    doc = parse_markdown(md)
    return [s.text for s in split_sentences(doc)]


def test_code_and_markup_are_not_read():
    md = (
        "---\ntitle: GPT-3 uses Post-LN\n---\n\n"
        "# 标题\n\n"
        "```python\nGPT-3 uses Post-LN\n```\n\n"
        "    indented GPT-3 code\n\n"
        "正文 `GPT-3 Post-LN` 之后。\n\n"
        "<!-- GPT-3 uses Post-LN -->\n\n"
        "见 [链接文字](https://example.com/GPT-3-Post-LN) 和 ![图 GPT-3](img/gpt3-postln.png)。\n\n"
        "~~GPT-3 用 Post-LN~~ 已删除。\n"
    )
    doc = parse_markdown(md)
    masked = doc.masked
    assert len(masked) == len(doc.text)
    assert "Post-LN" not in masked
    assert "链接文字" in masked
    assert "标题" in masked and "正文" in masked


def test_a_known_name_in_inline_code_or_math_at_a_block_edge_is_read():
    # the block's text span covers inline code or math at its start or end, so a known name there is read
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    doc = parse_markdown("- `RMSNorm` 去掉了均值。\n- LLaMA 用的是 `RMSNorm`\n- $\\beta$ 是温度参数\n\n`pip install x`\n")
    assert [doc.text[b.start:b.end] for b in doc.blocks][:2] == ["`RMSNorm` 去掉了均值。", "LLaMA 用的是 `RMSNorm`"]
    reading = Linter(load_knowledge([], [])).read(doc)
    texts = [v.text for v in reading.views]
    assert texts[0].startswith("RMSNorm") and texts[1].endswith("RMSNorm") and texts[2].startswith("\\beta")
    assert len(texts) == 3  # a block of code only still holds no sentence


def test_tables_lists_quotes_and_headings_are_read():
    md = "# GPT-3 结构\n\n- 列表项一。\n\n> 引用里的句子。\n\n| 模型 | 归一化 |\n|---|---|\n| GPT-3 | Pre-LN |\n"
    got = sentences(md)
    assert "GPT-3 结构" in got
    assert "列表项一。" in got
    assert "引用里的句子。" in got
    assert "GPT-3" in got and "Pre-LN" in got  # one cell, one sentence


def test_text_lines_and_one_line_headings_of_an_html_block_are_read():
    # some editors export every heading as HTML, with the text below it inside the same HTML block
    md = ('<h2 id="x">GQA 简介</h2>\n分组共享键值的注意力。\n\n<div>\n<p>图注</p>\n</div>\n\n'
          '<pre>\nGPT-3 uses Post-LN\n</pre>\n\n<!-- a\nGPT-3 uses Post-LN\n-->\n')
    doc = parse_markdown(md)
    got = [(b.kind, doc.text[b.start:b.end]) for b in doc.blocks]
    assert got == [("heading", "GQA 简介"), ("paragraph", "分组共享键值的注意力。")]
    assert doc.blocks[1].section == 0
    assert "Post-LN" not in doc.masked and "图注" not in doc.masked


def test_text_between_two_thematic_breaks_is_not_front_matter():
    md = "# 一\n\n正文一。\n\n---\n## 二\n\nKV cache 的大小随长度线性增长。\n\n---\n## 三\n"
    assert "KV cache 的大小随长度线性增长。" in sentences(md)
    front = "---\ntitle: KV cache notes\n---\n\n正文。\n"
    assert "KV cache" not in parse_markdown(front).masked


def test_sentence_splitting_zh_en():
    got = sentences("GPT-3 使用 Pre-LN。LLaMA 使用 RMSNorm！真的吗？\n\nGPT-3.5 is newer. It was released in 2022, e.g. as ChatGPT.")
    assert got == ["GPT-3 使用 Pre-LN。", "LLaMA 使用 RMSNorm！", "真的吗？", "GPT-3.5 is newer.",
                   "It was released in 2022, e.g. as ChatGPT."]


def test_english_wrapped_lines_stay_one_sentence():
    assert sentences("GPT-3 uses\npre-normalization like GPT-2.") == ["GPT-3 uses\npre-normalization like GPT-2."]


def test_positions_are_line_and_character_column():
    doc = parse_markdown("第一行\n\n  - 中文 GPT-3 在这里\n")
    s = [x for x in split_sentences(doc)][1]
    assert doc.position(s.start) == (3, 5)


def test_crlf_keeps_line_numbers():
    doc = parse_markdown("a\r\n\r\n# h\r\n\r\nGPT-3 用 Pre-LN。\r\n")
    s = split_sentences(doc)[-1]
    assert doc.position(s.start) == (5, 1)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_decoding(encoding):
    text = "GPT-3 采用 Post-LN 结构，这种结构有助于稳定训练过程。\n" * 3
    assert decode(text.encode(encoding)).text == text


def test_binary_is_refused():
    with pytest.raises(UnreadableFile, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_undecodable_is_refused():
    with pytest.raises(UnreadableFile):
        decode(codecs.BOM_UTF16_LE + b"\x00\xd8")  # lone surrogate in UTF-16


def test_plain_text_paragraphs():
    doc = parse_plain("第一段。\n第二句。\n\n第二段 `code` 也读。")
    assert len(doc.blocks) == 2


def test_inline_code_that_opens_or_closes_a_sentence_belongs_to_it(run_cli, tmp_path):
    """"`GPT-3` 采用 Post-LN" is read with its subject: a code span at the edge of a paragraph is part of the
    sentence (and read when it is exactly a known name); code that is not a name stays masked."""
    note = tmp_path / "n.md"
    note.write_text("`GPT-3` 采用 Post-LN 结构。\n\nGPT-3 采用 `Post-LN`\n\n`x = GPT-3 Post-LN` 是代码。\n", encoding="utf-8")
    out = run_cli("lint", "--output-format", "concise", "--no-config", note).output
    lines = [x for x in out.splitlines() if "[gpt3-uses-post-ln]" in x]
    assert [x.split(":")[1] for x in lines] == ["1", "3"]
    assert parse_markdown("`GPT-3` 采用 Post-LN 结构。").blocks[0].start == 0


def test_a_paragraph_of_a_loose_list_item_keeps_its_list_depth():
    doc = parse_markdown("Lead:\n1. **a**: one\n   - nested\n\n2. **b**: two\n")
    depth = {doc.text[b.start:b.end].strip("*"): b.item for b in doc.blocks}
    assert depth["Lead:"] == 0
    assert depth["a**: one"] == 1 and depth["b**: two"] == 1 and depth["nested"] == 2


def test_math_that_holds_a_known_formula_is_read():
    # display or inline math is read only when it holds a formula alias of the knowledge base (a LaTeX command and
    # an operator); other math stays masked
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    linter = Linter(load_knowledge([], []))
    md = "公式为：\n\n$$\\text{SwiGLU}(x) = x \\cdot \\sigma(x) + \\tanh(x)$$\n\n注意力：\n\n$$\\mathrm{softmax}(QK^T / \\sqrt{d_k}) V$$\n"
    doc = parse_markdown(md)
    assert len(doc.math_spans) == 2
    reading = linter.read(doc)
    texts = [v.text for v in reading.views]
    assert any(t.startswith("$$\\text{SwiGLU}") for t in texts)
    assert not any("softmax" in t for t in texts)
    assert {f.claim for f in linter.lint_text(md, "<t>").findings} == {"swiglu-wrong-formula"}
    # a study sheet strikes the whole formula, delimiters included, and the struck formula is not read again
    from lint_notes.sheet import build_sheet

    sheet = build_sheet(linter, md.encode(), "<t>", today="2026-12-06")
    assert '<del class="lint-notes-struck">$$\\text{SwiGLU}' in sheet.text
    assert not linter.lint_text(sheet.text, "<t>").findings
    assert not build_sheet(linter, sheet.data, "<t>", today="2026-12-06").changed
def test_the_comma_of_e_g_and_i_e_ends_no_clause():
    doc = parse_markdown("Position Interpolation stretches the window (e.g., CodeLlama), i.e., it rescales positions, too.\n")
    s = split_sentences(doc)[0]
    tails = [s.text[b - s.start:] for b in s.clause_breaks]
    assert tails == [" i.e., it rescales positions, too.", " too."]  # the plain commas only
