"""Verified means verified: a statement counts as verified only when every claim-bearing part of it
(its subjects and values) was checked by some claim and found right."""

from __future__ import annotations

import json


def _lint(run_cli, tmp_path, text: str) -> dict:
    note = tmp_path / "n.md"
    note.write_text(text, encoding="utf-8")
    r = run_cli("lint", "--no-cache", "--no-config", "--format", "json", "--fail-on", "never", note)
    return json.loads(r.output)


def test_a_fully_checked_right_statement_is_verified_with_its_claims(run_cli, tmp_path):
    data = _lint(run_cli, tmp_path, "GPT-3 采用 Pre-LN。\n")
    assert data["findings"] == []
    assert data["summary"]["verified"] == 1 and data["summary"]["checked"] == 1
    (v,) = data["verified"]
    assert v["line"] == 1 and any("gpt" in c for c in v["claims"])


def test_a_true_side_fact_does_not_verify_a_sentence_about_something_else(run_cli, tmp_path):
    # the Pre-LN part may match a claim, but nothing checks what is said of this model here
    # (the model table has no norm placement for Phi-3)
    data = _lint(run_cli, tmp_path, "Phi-3 和 GPT-3 都采用了 Pre-LN。\n")
    assert data["summary"]["verified"] == 0, data["verified"]


def test_statements_checked_and_not_checked_are_counted(run_cli, tmp_path):
    data = _lint(run_cli, tmp_path, "GPT-3 采用 Pre-LN。\n\n今天天气很好，我们去学习。\n")
    s = data["summary"]
    assert s["statements"] == 2 and s["checked"] == 1 and s["unchecked"] == 1


def test_mark_verified_marks_only_verified_statements(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text("GPT-3 采用 Pre-LN。\n\nPhi-3 和 GPT-3 都采用了 Pre-LN。\n", encoding="utf-8")
    out = tmp_path / "s.md"
    r = run_cli("sheet", note, "-o", out, "--mark-verified", "--no-config")
    assert r.exit_code == 0, r.output
    lines = out.read_text(encoding="utf-8").splitlines()
    marked = [l for l in lines if "✓" in l]
    assert len(marked) == 1 and marked[0].startswith("GPT-3 采用 Pre-LN")


def test_verified_claims_are_listed_in_the_same_order_whatever_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import ROOT

    note = tmp_path / "v.md"
    note.write_text("GPT-3 采用 Pre-LN，LLaMA 使用 RMSNorm 和 SwiGLU。\n", encoding="utf-8")
    outs = []
    for seed in ("1", "2", "3"):
        run = subprocess.run([sys.executable, str(ROOT / "cli.py"), "lint", "--format", "json", "--no-config", "--no-cache",
                              "--fail-on", "never", str(note)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(json.loads(run.stdout)["verified"][0]["claims"])
    assert len(outs[0]) >= 3 and outs[0] == sorted(outs[0]) and outs[0] == outs[1] == outs[2]
