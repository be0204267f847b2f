"""Smaller bugs found by trying every command as a new user would; one test each."""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml

from conftest import ROOT

WRONG = "GPT-3 采用 Post-LN 结构。\n"
TWO_WRONG = "# 笔记\n\nGPT-3 采用 Post-LN 结构。\n\nMQA 中每个查询与多个键值对交互。\n"


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    r = tmp_path / "notes-repo"
    r.mkdir()
    (r / ".git").mkdir()
    (r / "n.md").write_text(TWO_WRONG, encoding="utf-8")
    monkeypatch.chdir(r)
    return r


def _ids(run_cli, *paths):
    out = run_cli("review", "--list", *paths).stdout
    return [line.split()[0] for line in out.splitlines() if "[" in line]


def _dismiss_first(run_cli):
    [first, _] = _ids(run_cli, "n.md")
    assert run_cli("review", "n.md", "--decide", f"{first}=dismiss", "--reason", "quoted").exit_code == 0
    return first


# --- review decisions ------------------------------------------------------------------------
def test_decisions_come_from_the_notes_repository_not_the_current_folder(run_cli, repo, tmp_path, monkeypatch):
    _dismiss_first(run_cli)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    data = json.loads(run_cli("lint", "--format", "json", repo / "n.md").stdout)
    assert len(data["findings"]) == 1  # the dismissed finding stays hidden
    assert len(_ids(run_cli, repo / "n.md")) == 1  # and is not asked about again
    assert not (elsewhere / ".lint-notes").exists()


def test_dismissed_findings_are_counted_in_the_summary(run_cli, repo):
    _dismiss_first(run_cli)
    data = json.loads(run_cli("lint", "--format", "json", "n.md").stdout)
    assert data["summary"]["dismissed"] == 1 and data["summary"]["findings"] == 1
    assert run_cli("lint", "n.md").output.strip().splitlines()[-1].endswith("1 dismissed")
    shown = json.loads(run_cli("lint", "--format", "json", "--show-dismissed", "n.md").stdout)
    assert shown["summary"]["dismissed"] == 0 and shown["summary"]["findings"] == 2


def test_no_lock_file_is_left_beside_the_decisions(run_cli, repo):
    _dismiss_first(run_cli)
    assert sorted(p.name for p in (repo / ".lint-notes").iterdir()) == ["decisions.yaml"]


def test_decide_says_what_was_wrong(run_cli, repo):
    [first, _] = _ids(run_cli, "n.md")
    r = run_cli("review", "n.md", "--decide", f"{first[:-1]}x=accept")
    assert r.exit_code == 2 and f"no pending finding has the id '{first[:-1]}x'" in r.output
    assert "review --list" in r.output
    r = run_cli("review", "n.md", "--decide", f"{first}=dismis", "--reason", "x")
    assert r.exit_code == 2 and "'dismis' is not a decision" in r.output and "did you mean 'dismiss'" in r.output
    r = run_cli("review", "n.md", "--decide", first)
    assert r.exit_code == 2 and "write ID=accept" in r.output
    r = run_cli("review", "n.md", "--decide", f"{first}=dispute")
    assert r.exit_code == 2 and "--reason" in r.output
    # nothing was recorded by the failed calls
    assert not (repo / ".lint-notes" / "decisions.yaml").exists()


# --- exit status --------------------------------------------------------------------------------
def test_write_baseline_exits_0(run_cli, repo):
    r = run_cli("lint", "--write-baseline", "base.json", "n.md")
    assert r.exit_code == 0, r.output
    assert len(json.loads((repo / "base.json").read_text())["findings"]) == 2


def test_an_empty_note_is_linted_not_skipped(run_cli, tmp_path):
    (tmp_path / "empty.md").write_bytes(b"")
    r = run_cli("lint", "--format", "json", tmp_path / "empty.md")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["skipped"] == [] and data["summary"]["files"] == 1
    assert run_cli("lint", tmp_path).exit_code == 0


def test_a_symlink_loop_is_not_called_a_broken_link(run_cli, tmp_path):
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    (tmp_path / "broken.md").symlink_to(tmp_path / "missing.md")
    data = json.loads(run_cli("lint", "--format", "json", tmp_path / "loop.md", tmp_path / "a.md",
                              tmp_path / "broken.md").stdout)
    reasons = {s["path"].rsplit("/", 1)[-1]: s["reason"] for s in data["skipped"]}
    assert reasons == {"loop.md": "symbolic link loop", "a.md": "symbolic link loop",
                       "broken.md": "broken symbolic link"}


# --- notebooks ----------------------------------------------------------------------------------
def test_notebook_findings_name_the_cell_in_review(run_cli, tmp_path, monkeypatch):
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["# 笔记\n", "\n", WRONG]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / ".git").mkdir()
    (tmp_path / "n.ipynb").write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert "(cell 1, line 3)" in run_cli("review", "--list", "n.ipynb").stdout
    for style in ("full", "concise", "grouped"):
        assert "(cell 1" in run_cli("lint", "--output-format", style, "n.ipynb").output


# --- study sheets -------------------------------------------------------------------------------
def test_replace_style_does_not_say_struck_through(run_cli, tmp_path):
    for name, text in (("zh.md", WRONG), ("en.md", "GPT-3 uses Post-LN, as BERT does.\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        run_cli("sheet", tmp_path / name, "-o", tmp_path / f"s-{name}", "--style", "replace")
        header = (tmp_path / f"s-{name}").read_text(encoding="utf-8").splitlines()[0]
        assert "struck" not in header and "删除线" not in header, header
        assert "replaced" in header or "替换" in header, header
        run_cli("sheet", tmp_path / name, "-o", tmp_path / f"t-{name}")
        header = (tmp_path / f"t-{name}").read_text(encoding="utf-8").splitlines()[0]
        assert "struck through" in header or "删除线" in header, header


def test_html_title_comes_from_front_matter(run_cli, tmp_path):
    (tmp_path / "n.md").write_text("---\ntitle: 大模型面试笔记\nauthor: x\n---\n\n# 第一章\n\n" + WRONG,
                                   encoding="utf-8")
    run_cli("sheet", tmp_path / "n.md", "-o", tmp_path / "n.html", "--format", "html")
    page = (tmp_path / "n.html").read_text(encoding="utf-8")
    assert "<title>大模型面试笔记</title>" in page
    (tmp_path / "m.md").write_text("# 归一化笔记\n\n" + WRONG, encoding="utf-8")
    run_cli("sheet", tmp_path / "m.md", "-o", tmp_path / "m.html", "--format", "html")
    assert "<title>归一化笔记</title>" in (tmp_path / "m.html").read_text(encoding="utf-8")


def test_each_correction_is_printed_once(run_cli, tmp_path):
    (tmp_path / "n.md").write_text(WRONG, encoding="utf-8")
    run_cli("sheet", tmp_path / "n.md", "-o", tmp_path / "s.md")
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    [f] = json.loads(run_cli("lint", "--format", "json", tmp_path / "n.md").stdout)["findings"]
    key = " ".join(f["correction"].split())[:30]
    assert text.count(key) == 1, text
    assert "[^lint-notes-1]: **false** · `gpt3-uses-post-ln` · " in text and "arxiv.org/abs/2005.14165" in text


# --- the documented CI and pre-commit set-up pastes as it is ------------------------------------------
def _yaml_blocks(markdown: str) -> list:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", markdown, re.S)]


def test_ci_snippets_work_as_pasted(run_cli, tmp_path, monkeypatch):
    from lint_notes.report.sarif import INFO_URI

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert not re.search(r"OWNER|YOUR[-_]|<[a-z -]+>", doc)
    blocks = _yaml_blocks(doc)
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    precommit = next(b for b in blocks if isinstance(b, dict) and "repos" in b)
    # pre-commit: the project's repository, a rev, hooks that exist
    hooks = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    [entry] = precommit["repos"]
    assert entry["repo"] == INFO_URI and entry.get("rev")
    assert {h["id"] for h in entry["hooks"]} <= hooks
    # the workflow: installs the project, and every lint-notes step runs in a fresh notes repository
    steps = next(iter(workflow["jobs"].values()))["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(INFO_URI.replace("https://", "git+https://") in r for r in runs)
    notes = tmp_path / "checkout"
    (notes / "docs").mkdir(parents=True)
    (notes / "docs" / "n.md").write_text(WRONG, encoding="utf-8")
    monkeypatch.chdir(notes)
    lint_steps = [shlex.split(r) for r in runs if r.startswith("lint-notes ")]
    assert lint_steps
    for args in lint_steps:
        r = run_cli(*args[1:])
        assert r.exit_code in (0, 1), (args, r.output)
    uploads = [s["with"]["sarif_file"] for s in steps if "upload-sarif" in s.get("uses", "")]
    assert uploads and all((notes / f).is_file() for f in uploads)
    perms = workflow["permissions"]
    assert perms.get("security-events") == "write" and perms.get("actions") == "read"
