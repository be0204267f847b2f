"""``lint-notes suppress --add``: comments for every current finding, and nothing else changes."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil

import pytest

from conftest import EXAMPLES

SEED = EXAMPLES / "llm-interview-notes.md"
WRONG = "GPT-3 采用 Post-LN 结构。"
COMMENT = re.compile(r" ?<!-- lint-notes-disable-line [^>]*-->|# lint-notes-disable-next-line[^\n]*\n")


def only_insertions(before: bytes, after: bytes) -> list[bytes]:
    """What was inserted into ``before`` to give ``after``; fails if anything was changed or removed."""
    sm = difflib.SequenceMatcher(None, before, after, autojunk=False)
    inserted = []
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        assert op in ("equal", "insert"), (op, before[a0:a1], after[b0:b1])
        if op == "insert":
            inserted.append(after[b0:b1])
    return inserted


def findings(run_cli, *paths):
    return json.loads(run_cli("lint", "--format", "json", "--fail-on", "never", *paths).stdout)


def test_the_example_notes_lint_clean_after_suppress_add(run_cli, tmp_path):
    import pyromark

    note = tmp_path / "notes.md"
    shutil.copy(SEED, note)
    before = note.read_bytes()
    n = findings(run_cli, note)["summary"]["findings"]
    r = run_cli("suppress", "--add", note)
    assert r.exit_code == 0, r.output
    after = note.read_bytes()
    inserted = only_insertions(before, after)
    assert inserted and all(b" <!-- lint-notes-disable-line " in x or x.startswith(b"<!--") or b"lint-notes" in x
                            for x in inserted)
    data = findings(run_cli, note)
    assert data["findings"] == [] and data["summary"]["suppressed"] == n
    assert run_cli("lint", note).exit_code == 0
    # the rendered notes are the same, less the (invisible) comments
    strip = lambda html: re.sub(r"\s*<!--.*?-->", "", html)  # noqa: E731
    assert strip(pyromark.html(after.decode())) == strip(pyromark.html(before.decode()))
    # a second run finds nothing to add and changes nothing
    r = run_cli("suppress", "--add", note)
    assert "0 suppression comments added" in r.output and note.read_bytes() == after


def test_line_endings_encoding_hard_breaks_and_tables_are_kept(run_cli, tmp_path):
    text = (f"# 笔记\r\n\r\n前言。{WRONG}后记。  \r\n第二行。\r\n\r\n"
            f"| 模型 | 说明 |\r\n|---|---|\r\n| GPT-3 | {WRONG} |\r\n\r\n"
            f"硬换行：{WRONG}\\\r\n下一行。\r\n")
    cases = {"crlf.md": text.encode("utf-8"), "bom.md": b"\xef\xbb\xbf" + text.encode("utf-8"),
             "gbk.md": text.encode("gbk")}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    r = run_cli("suppress", "--add", "--reason", "quoted -- on | purpose", *[tmp_path / n for n in cases])
    assert r.exit_code == 0, r.output
    for name, data in cases.items():
        after = (tmp_path / name).read_bytes()
        only_insertions(data, after)
        enc = "gbk" if name == "gbk.md" else "utf-8-sig"
        lines = after.decode(enc).split("\r\n")
        assert b"\n" not in after.replace(b"\r\n", b"")  # every line ending is still CRLF
        comment = "<!-- lint-notes-disable-line gpt3-uses-post-ln -- quoted — on / purpose -->"
        assert lines[2] == f"前言。{WRONG}后记。 {comment}  "  # before the hard break
        assert lines[7] == f"| GPT-3 | {WRONG} {comment} |"  # inside the row's last cell
        assert lines[9] == f"硬换行：{WRONG} {comment}\\"
        assert findings(run_cli, tmp_path / name)["findings"] == []


def test_plain_text_gets_a_comment_line_above(run_cli, tmp_path):
    note = tmp_path / "n.txt"
    note.write_text(f"前言。\n\n  {WRONG}\n", encoding="utf-8")
    run_cli("suppress", "--add", note)
    assert note.read_text(encoding="utf-8") == f"前言。\n\n  # lint-notes-disable-next-line gpt3-uses-post-ln\n  {WRONG}\n"
    assert findings(run_cli, note)["findings"] == []


def test_several_findings_on_a_line_share_one_comment(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text(f"{WRONG}MQA 中每个查询与多个键值对交互。\n", encoding="utf-8")
    run_cli("suppress", "--add", note)
    assert note.read_text(encoding="utf-8").count("<!--") == 1
    assert findings(run_cli, note)["summary"]["suppressed"] == 2


def test_select_and_dry_run(run_cli, tmp_path):
    note = tmp_path / "n.md"
    original = f"{WRONG}\n\nMQA 中每个查询与多个键值对交互。\n"
    note.write_text(original, encoding="utf-8")
    r = run_cli("suppress", "--add", "--dry-run", note)
    assert "would add 2" in r.output and note.read_text(encoding="utf-8") == original
    run_cli("suppress", "--add", "--select", "gpt3-*", note)
    assert [f["claim"] for f in findings(run_cli, note)["findings"]] == ["mqa-each-query-many-kv-pairs"]
    assert run_cli("suppress", "--add", "--select", "gpt3-uses-post-lnn", note).exit_code == 2


def test_a_failed_write_leaves_the_note_as_it_was(run_cli, tmp_path, monkeypatch):
    import lint_notes.safewrite as sw

    note = tmp_path / "n.md"
    note.write_text(WRONG + "\n", encoding="utf-8")
    real = os.replace

    def failing(a, b):
        if str(b) == str(note):
            raise OSError(28, "No space left on device")
        return real(a, b)

    monkeypatch.setattr(sw.os, "replace", failing)
    with pytest.raises(OSError):
        run_cli("suppress", "--add", note)
    assert note.read_text(encoding="utf-8") == WRONG + "\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_usage(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text(WRONG + "\n", encoding="utf-8")
    r = run_cli("suppress", note)
    assert r.exit_code == 2 and "--add" in r.output
    nb = tmp_path / "n.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "metadata": {}, "source": [WRONG]}],
                              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    before = nb.read_bytes()
    r = run_cli("suppress", "--add", nb)
    assert "notebooks are not rewritten" in r.output and nb.read_bytes() == before


def test_plan_keeps_comments_out_of_inline_code():
    from lint_notes.suppress_add import plan

    class F:
        claim = "gpt3-uses-post-ln"

    text = f"{WRONG} `code\nspans` more\n"
    f = F()
    f.start, f.end = 0, len(WRONG)
    [ins] = plan(text, [f])
    assert ins.offset == len(WRONG)  # right after the sentence, not inside the code span
