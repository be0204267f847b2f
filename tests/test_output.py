"""Text output for people: code frames (full), one line per finding (concise), grouped by file."""

from __future__ import annotations

import json
import re

import pytest

from conftest import EXAMPLES
from lint_notes.report.frame import char_width, code_frame, SourceText, text_width, wrap

SEED = EXAMPLES / "llm-interview-notes.md"
WRONG = "GPT-3 采用 Post-LN 结构。"
HEADER = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+) (?P<sev>error|warning|info) \[(?P<claim>[^\]]+)\] "
                    r"(?P<verdict>[a-z-]+)")
CONCISE = re.compile(r"^\S+:\d+:\d+: (error|warning|info) \[[^\]]+\] \S")


@pytest.fixture()
def narrow(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    return 80


def frames(output: str) -> list[list[str]]:
    """The findings of full output, each as its lines (header first)."""
    out, cur = [], None
    for line in output.splitlines():
        if HEADER.match(line):
            cur = [line]
            out.append(cur)
        elif cur is not None and line:
            cur.append(line)
        else:
            cur = None
    return out


def caret_row(frame: list[str]) -> tuple[str, str]:
    """(the source row, the caret row under it) of a frame's first marked line."""
    for i, line in enumerate(frame):
        if "^" in line and line.lstrip().startswith("|"):
            return frame[i - 1], line
    raise AssertionError(frame)


# --- full: code frames -------------------------------------------------------------------
def test_default_output_is_a_code_frame_per_finding(run_cli, narrow):
    r = run_cli("lint", SEED)
    assert r.exit_code == 1
    found = frames(r.output)
    data = json.loads(run_cli("lint", "--format", "json", SEED).stdout)
    assert len(found) == len(data["findings"]) > 10
    for frame, f in zip(found, data["findings"]):
        m = HEADER.match(frame[0])
        assert (m["path"], int(m["line"]), int(m["col"]), m["sev"], m["claim"], m["verdict"]) == (
            f["path"], f["line"], f["column"], f["severity"], f["claim"], f["verdict"])
        labels = [line.split(":")[0].strip() for line in frame if re.match(r"^  (claim|correction|source):", line)]
        assert labels[:2] == ["claim", "correction"] and labels.count("source") == len(f["citations"])
        # every line fits the terminal, except an unbreakable URL
        for line in frame[1:]:
            assert text_width(line) <= narrow or "http" in line, line
    assert r.output.rstrip().splitlines()[-1].startswith("1 file checked")


def test_carets_sit_under_the_flagged_span_counting_wide_characters(run_cli, tmp_path, narrow):
    note = tmp_path / "n.md"
    note.write_text("前面的话，abc。" + WRONG + "后面还有一句。\n", encoding="utf-8")
    r = run_cli("lint", note)
    [frame] = frames(r.output)
    row, carets = caret_row(frame)
    text = row.split("| ", 1)[1]
    start = text.index(WRONG)
    gutter = len(row) - len(text)
    assert carets.index("^") == gutter + text_width(text[:start])  # 前面的话， is 10 columns, not 5
    assert carets.count("^") == text_width(WRONG) == 25
    assert carets.rstrip().endswith("^")


def test_a_long_line_shows_only_the_rows_with_the_span(run_cli, tmp_path, narrow):
    filler = "这是一段没有任何事实陈述的铺垫文字。" * 12
    note = tmp_path / "n.md"
    note.write_text(filler + WRONG + filler + "\n", encoding="utf-8")
    [frame] = frames(run_cli("lint", note).output)
    assert int(HEADER.match(frame[0])["col"]) > 150
    shown = "".join(line.split("| ", 1)[1] for line in frame[1:] if "| " in line and "^" not in line
                    and not line.startswith("  claim") and not line.startswith("  correction")
                    and not line.startswith("  source"))
    assert WRONG in shown.replace("…", "")
    assert "…" in shown  # what is left out of the line is marked
    assert len(shown) < len(filler)


def test_frame_of_a_sentence_over_two_lines():
    src = SourceText.of("第一行开头。GPT-3 采用\nPost-LN 结构。下一句。\n")
    start = src.text.index("GPT-3")
    end = src.text.index("下一句")
    lines = code_frame(src, start, end, src.text[start:end], 80)
    assert lines[0].startswith("  1 | 第一行开头。GPT-3 采用")
    assert lines[1] == "    |             " + "^" * text_width("GPT-3 采用")
    assert lines[2].startswith("  2 | Post-LN 结构。")
    assert lines[3] == "    | " + "^" * text_width("Post-LN 结构。")


def test_frame_falls_back_to_the_sentence_when_the_source_differs():
    lines = code_frame(SourceText.of("something else"), 3, 10, WRONG, 80, line_label=7)
    assert lines == ["  7 | " + WRONG, "    | " + "^" * 25]


def test_wrap_counts_wide_characters_and_keeps_punctuation_attached():
    text = "GPT-3 用的是 Pre-LN：论文说明沿用 GPT-2 的结构（包括修改过的初始化和 pre-normalization），" * 3
    rows = wrap(text, 30)
    assert all(text_width(r) <= 30 for r in rows)
    assert not any(r[0] in "，。）：" for r in rows)
    assert "".join(rows).replace(" ", "") == text.replace(" ", "")
    assert char_width("中") == 2 and char_width("a") == 1 and char_width("\u0301") == 0
    assert wrap("see <https://example.org/a/very/long/path/that/does/not/fit>", 20)[-1].startswith("<https")


def test_stdin_frames_show_the_sentence(run_cli):
    r = run_cli("lint", "-", "--stdin-filename", "notes/x.md", input=("前言。" + WRONG + "\n").encode())
    [frame] = frames(r.output)
    assert frame[0].startswith("notes/x.md:1:4 error [gpt3-uses-post-ln] false")
    assert any(WRONG in line and "|" in line for line in frame)


def test_notebook_frames_name_the_cell(run_cli, tmp_path):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# 笔记\n", "\n", WRONG + "\n"]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    [frame] = frames(run_cli("lint", path).output)
    assert "(cell 1, line 3)" in frame[0]
    assert frame[1] == "  3 | " + WRONG


def test_colour_marks_severity_and_span(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text(WRONG + "\n", encoding="utf-8")
    out = run_cli("lint", "--color", note).output
    assert "\033[31merror\033[0m" in out and f"\033[31m{WRONG}\033[0m" in out


# --- concise and grouped -----------------------------------------------------------------
def test_concise_is_one_line_per_finding(run_cli):
    r = run_cli("lint", "--output-format", "concise", SEED)
    lines = r.output.strip().splitlines()
    n = json.loads(run_cli("lint", "--format", "json", SEED).stdout)["summary"]["findings"]
    assert len(lines) == n + 1 and all(CONCISE.match(line) for line in lines[:-1])
    assert any(line.startswith(f"{SEED}:28:1: error [gpt3-uses-post-ln] 错误：") for line in lines)


def test_grouped_by_file(run_cli, tmp_path, narrow):
    (tmp_path / "a.md").write_text(WRONG + "\n\nMQA 中每个查询与多个键值对交互。\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("前言。\n\n" + WRONG + "\n", encoding="utf-8")
    r = run_cli("lint", "--output-format", "grouped", tmp_path)
    lines = r.output.splitlines()
    a, b = lines.index(str(tmp_path / "a.md")), lines.index(str(tmp_path / "b.md"))
    assert a < b
    assert re.match(r"^  1:1\s+error\s+false\s+GPT-3 采用 Post-LN.*gpt3-uses-post-ln$", lines[a + 1])
    assert re.match(r"^  3:1\s+error\s+false\s+.*gpt3-uses-post-ln$", lines[b + 1])
    assert all(text_width(line) <= narrow for line in lines)
    assert "3 problems (3 errors)" in r.output and lines[-1].startswith("2 files checked")


def test_output_format_only_lays_out_text(run_cli):
    r = run_cli("lint", "--format", "json", "--output-format", "concise", SEED)
    assert r.exit_code == 2 and "--output-format" in r.output


def test_output_format_from_the_configuration(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".lint-notes.yaml").write_text("output-format: concise\n")
    (tmp_path / "n.md").write_text(WRONG + "\n", encoding="utf-8")
    assert CONCISE.match(run_cli("lint", "n.md").output.splitlines()[0])
    assert HEADER.match(run_cli("lint", "--output-format", "full", "n.md").output.splitlines()[0])
    (tmp_path / ".lint-notes.yaml").write_text("output-format: compact\n")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2 and "'output-format' must be one of full, concise, grouped" in r.output


# --- review shows the sentence within its paragraph ----------------------------------------
def test_review_marks_the_sentence_in_its_paragraph(run_cli, tmp_path):
    from lint_notes import review as rv
    from lint_notes.decisions import DecisionStore
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    note = tmp_path / "n.md"
    note.write_text("# 标题\n\n第一句铺垫。" + WRONG + "后一句。\n同一段的第二行。\n\n另一段。\n", encoding="utf-8")
    linter = Linter(load_knowledge())
    [f] = linter.lint_file(note).findings
    [item] = rv.items([f], DecisionStore(tmp_path / "d.yaml", tmp_path))
    text = rv.describe(item, 1, 1, linter.kb.claims[f.claim])
    lines = text.splitlines()
    assert lines[1].startswith(">   3 | 第一句铺垫。" + WRONG)
    assert lines[2] == "      |" + " " * (1 + text_width("第一句铺垫。")) + "^" * 25
    assert lines[3] == "    4 | 同一段的第二行。"  # the rest of the paragraph, unmarked
    assert "标题" not in text and "另一段" not in text  # other paragraphs are not shown
    assert "Correction:" in text and "Source:" in text
    coloured = rv.describe(item, 1, 1, linter.kb.claims[f.claim], color=True)
    assert f"\033[1;4m{WRONG}\033[0m" in coloured


def test_frames_of_suppression_comments_and_contradicted_facts(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text("<!-- lint-notes-disable-next-line mqa-* -->\nLLaMA 使用 GeLU 激活函数。\n", encoding="utf-8")
    found = frames(run_cli("lint", "--report-unused-suppressions", note).output)
    unused = next(f for f in found if "[unused-suppression]" in f[0])
    assert unused[1] == "  1 | <!-- lint-notes-disable-next-line mqa-* -->" and unused[2].endswith("^" * 43)
    assert any(line.startswith("  message:    Unused suppression") for line in unused)
    denied = next(f for f in found if "[llama-swiglu]" in f[0])
    # the note contradicts a verified statement: the claim is shown once, not again as a correction
    assert any(line.startswith("  claim:") and "SwiGLU" in line for line in denied)
    assert not any(line.startswith("  correction:") for line in denied)
