"""The repository works as a pre-commit hook (pre-commit installs it from this clone)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import ROOT

HAVE_PRE_COMMIT = importlib.util.find_spec("pre_commit") is not None
PRE_COMMIT = [sys.executable, "-m", "pre_commit"]


@pytest.mark.skipif(not HAVE_PRE_COMMIT or not (ROOT / ".git").exists(),
                    reason="needs pre-commit and a git checkout of lint-notes")
def test_hook_runs_from_a_local_clone(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    (notes / "wrong.md").write_text("GPT-3 采用 Post-LN 结构。\n", encoding="utf-8")
    (notes / "right.md").write_text("GPT-3 使用 Pre-LN。\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=notes, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=notes, check=True, env=env)
    bad = subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "lint-notes", "--files", "wrong.md"], cwd=notes,
                         capture_output=True, text=True, env=env, timeout=600)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "[gpt3-uses-post-ln]" in bad.stdout and "Failed" in bad.stdout
    good = subprocess.run([*PRE_COMMIT, "try-repo", str(ROOT), "lint-notes", "--files", "right.md"], cwd=notes,
                          capture_output=True, text=True, env=env, timeout=600)
    assert good.returncode == 0 and "Passed" in good.stdout, good.stdout + good.stderr
