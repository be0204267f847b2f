"""Property tests: for arbitrary text and Markdown-ish structure, linting never fails, positions
are exact, results are repeatable, and the study sheet is clean and idempotent."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from lint_notes.sheet import build_sheet
from lint_notes.text.markdown import to_lf
from lint_notes.text.read import UnreadableFile

EXAMPLES = int(os.environ.get("LINT_NOTES_HYPOTHESIS_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

# sentences that do fire claims, so that the properties are tested on real findings
FIRING = [
    "GPT-3 采用 Post-LN 结构。", "MQA 中每个查询与多个键值对交互。", "LLaMA 使用 LayerNorm。",
    "Post-LN 这种结构有助于稳定训练过程。", "GPT3 uses post-norm.", "LoRA 会增加推理延迟。",
    "ChatGLM 采用 Post-LN 结构。", "FlashAttention 是一种近似注意力。",
]
FRAGMENTS = [
    "# 标题", "## GPT-3 的结构", "- ", "  - ", "    - ", "> ", "> > ", "1. ", "```", "```python", "~~~", "    code",
    "| a | b |", "|---|---|", "| GPT-3 | Post-LN |", "<div>", "</div>", "<!-- c -->", "<!-- lint-notes-disable-line -->",
    "`GPT-3 采用 Post-LN`", "[链接](http://x.y/GPT-3)", "![图](a.png)", "~~GPT-3 采用 Post-LN~~", "---", "***",
    "\u00a0", "\t", "\r\n", "\r", "\x00", "\x0b", "\u2028", "\ufeff", "“", "”", "？", "。", "吗", "不", "并不是",
    "而不是", "误区：", "❌", "*", "_", "**", "\\", "<", ">", "[", "]", "(", ")", "$$", "{", "}",
]


def documents():
    piece = st.one_of(st.sampled_from(FIRING), st.sampled_from(FRAGMENTS), st.text(max_size=20))
    line = st.lists(piece, max_size=6).map("".join)
    return st.lists(line, max_size=25).map("\n".join)


def check_positions(text: str, findings) -> None:
    lines = to_lf(text).split("\n")
    for f in findings:
        assert 1 <= f.line <= f.end_line <= len(lines), (f.line, f.end_line, len(lines))
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1
        first = f.text.split("\n")[0]
        assert lines[f.line - 1][f.column - 1:].startswith(first), (lines[f.line - 1], f.column, first)


@SETTINGS
@given(text=st.text())
def test_any_unicode_text(linter, text):
    for markdown in (True, False):
        r = linter.lint_text(text, "t", markdown=markdown)
        check_positions(text, r.findings)


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_any_bytes(linter, data):
    r = linter.lint_bytes(data, "b.md")
    assert r.error is None or isinstance(r.error, str)


@SETTINGS
@given(text=documents())
def test_markdownish_documents(linter, text):
    a = linter.lint_text(text, "d.md")
    check_positions(text, a.findings)
    b = linter.lint_text(text, "d.md")
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]  # repeatable


@SETTINGS
@given(text=documents())
def test_sheet_is_clean_and_idempotent(linter, text):
    data = text.encode("utf-8")
    try:
        first = build_sheet(linter, data, "d.md", today="2026-01-01")
    except UnreadableFile:  # binary-looking input is refused, as the CLI reports it
        assume(False)
    again = linter.lint_text(first.text, "d.md")
    assert again.findings == [], [(f.claim, f.text) for f in again.findings]
    second = build_sheet(linter, first.data, "d.md", today="2026-01-02")
    assert second.data == first.data


def test_large_documents(linter):
    lines = []
    for i in range(30_000):
        lines.append(FIRING[i % len(FIRING)] if i % 7 == 0 else FRAGMENTS[i % len(FRAGMENTS)] + f" 行 {i}")
    text = "\n".join(lines) + "\n" + "长" * 200_000 + "\n"
    r = linter.lint_text(text, "big.md")
    check_positions(text, r.findings)
    assert r.findings
