"""CI-grade linting: configuration, suppressions, baselines, output formats, stdin, notebooks, jobs."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET

import pytest

from conftest import EXAMPLES, FIXTURES

SEED = EXAMPLES / "llm-interview-notes.md"
WRONG = "GPT-3 采用 Post-LN 结构。\n"


@pytest.fixture()
def in_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def claims_in(output: str) -> list[str]:
    return [f["claim"] for f in json.loads(output)["findings"]]


# --- configuration ---------------------------------------------------------------
def test_config_is_found_by_walking_up(run_cli, in_dir, monkeypatch):
    (in_dir / ".lint-notes.yaml").write_text("ignore: [gpt3-uses-post-ln]\nfail-on: never\n")
    sub = in_dir / "a" / "b"
    sub.mkdir(parents=True)
    (sub / "n.md").write_text(WRONG + "Post-LN 这种结构有助于稳定训练过程。\n", encoding="utf-8")
    monkeypatch.chdir(sub)
    r = run_cli("lint", "--format", "json", "n.md")
    assert r.exit_code == 0
    assert claims_in(r.stdout) == ["post-ln-stabilizes-training"]
    # --no-config ignores it; --config picks another file
    assert "gpt3-uses-post-ln" in claims_in(run_cli("lint", "--no-config", "--format", "json", "n.md").stdout)
    other = in_dir / "other.yaml"
    other.write_text("select: [gpt3-*]\n")
    assert claims_in(run_cli("lint", "--config", other, "--format", "json", "n.md").stdout) == ["gpt3-uses-post-ln"]


def test_pyproject_section(run_cli, in_dir):
    (in_dir / "pyproject.toml").write_text('[tool.lint-notes]\nignore = ["normalization"]\n')
    (in_dir / "n.md").write_text(WRONG, encoding="utf-8")
    r = run_cli("lint", "--format", "json", "n.md")
    assert claims_in(r.stdout) == [] and r.exit_code == 0


def test_unknown_config_key_names_key_and_file(run_cli, in_dir):
    (in_dir / ".lint-notes.yaml").write_text("fail-on: error\nfial-on: warning\n")
    (in_dir / "n.md").write_text(WRONG, encoding="utf-8")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2
    assert ".lint-notes.yaml:2: unknown option 'fial-on'" in r.output


def test_config_cannot_point_outside_its_folder(run_cli, in_dir):
    (in_dir / ".lint-notes.yaml").write_text("claims: [../../etc]\n")
    (in_dir / "n.md").write_text(WRONG, encoding="utf-8")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2 and "outside the configuration's folder" in r.output


def test_severity_override_and_fail_on(run_cli, in_dir):
    (in_dir / ".lint-notes.yaml").write_text("severity: {gpt3-uses-post-ln: info}\n")
    (in_dir / "n.md").write_text(WRONG, encoding="utf-8")
    r = run_cli("lint", "--format", "json", "n.md")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["findings"][0]["severity"] == "info"
    assert run_cli("lint", "--fail-on", "info", "n.md").exit_code == 1


def test_include_exclude_and_gitignore(run_cli, in_dir):
    for name in ("keep.md", "drafts/skip.md", "build/out.md", "notes.txt"):
        p = in_dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(WRONG, encoding="utf-8")
    (in_dir / ".gitignore").write_text("build/\n")
    (in_dir / ".lint-notes.yaml").write_text("exclude: ['drafts/*']\ninclude: ['*.md']\n")
    r = run_cli("lint", "--format", "json", ".")
    paths = sorted({f["path"] for f in json.loads(r.stdout)["findings"]})
    assert paths == ["keep.md"]


# --- suppressions --------------------------------------------------------------------
SUPPRESSED = """\
<!-- lint-notes-disable-next-line gpt3-uses-post-ln -- quoted on purpose -->
GPT-3 采用 Post-LN 结构。

GPT-3 采用 Post-LN 结构。 <!-- lint-notes-disable-line -->

<!-- lint-notes-disable false-claim -->
GPT-3 采用 Post-LN 结构。

Post-LN 这种结构有助于稳定训练过程。
<!-- lint-notes-enable -->

GPT-3 采用 Post-LN 结构。

<!-- lint-notes-disable-next-line mqa-* -->
GPT-3 采用 Post-LN 结构。
"""


def test_suppression_forms(run_cli, in_dir):
    (in_dir / "n.md").write_text(SUPPRESSED, encoding="utf-8")
    r = run_cli("lint", "--format", "json", "--report-unused-suppressions", "n.md")
    data = json.loads(r.stdout)
    got = sorted((f["line"], f["claim"]) for f in data["findings"])
    assert got == [(12, "gpt3-uses-post-ln"), (14, "unused-suppression"), (15, "gpt3-uses-post-ln")]
    assert data["summary"]["suppressed"] == 4


def test_file_level_and_plain_text_suppressions(run_cli, in_dir):
    (in_dir / "a.md").write_text("<!-- lint-notes-disable-file -->\n\n" + WRONG, encoding="utf-8")
    (in_dir / "b.txt").write_text("# lint-notes-disable-next-line gpt3-uses-post-ln\n" + WRONG + WRONG,
                                  encoding="utf-8")
    r = run_cli("lint", "--format", "json", "a.md", "b.txt")
    assert [(f["path"], f["line"]) for f in json.loads(r.stdout)["findings"]] == [("b.txt", 3)]


def test_suppression_in_code_block_is_ignored(run_cli, in_dir):
    (in_dir / "n.md").write_text("```\n<!-- lint-notes-disable-file -->\n```\n\n" + WRONG, encoding="utf-8")
    assert claims_in(run_cli("lint", "--format", "json", "n.md").stdout) == ["gpt3-uses-post-ln"]


# --- baseline ------------------------------------------------------------------------
def test_baseline_round_trip_with_shifted_lines(run_cli, in_dir):
    note = in_dir / "n.md"
    note.write_text("# 笔记\n\n" + WRONG + "\nMQA 中每个查询与多个键值对交互。\n", encoding="utf-8")
    r = run_cli("lint", "--write-baseline", "base.json", "n.md")
    assert r.exit_code == 0 and (in_dir / "base.json").exists()
    assert run_cli("lint", "--baseline", "base.json", "n.md").exit_code == 0
    # lines shift, one new wrong statement, one copy of an old one
    note.write_text("# 笔记\n\n前言一句。\n\n新的一段。\n\n" + WRONG + "\nMQA 中每个查询与多个键值对交互。\n\n"
                    "Post-LN 这种结构有助于稳定训练过程。\n\n" + WRONG, encoding="utf-8")
    r = run_cli("lint", "--baseline", "base.json", "--format", "json", "n.md")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert sorted((f["line"], f["claim"]) for f in data["findings"]) == [
        (11, "post-ln-stabilizes-training"), (13, "gpt3-uses-post-ln")]
    assert data["summary"]["baseline"] == 2


def test_bad_baseline_file_is_a_usage_error(run_cli, in_dir):
    (in_dir / "n.md").write_text(WRONG, encoding="utf-8")
    (in_dir / "b.json").write_text("{not json")
    r = run_cli("lint", "--baseline", "b.json", "n.md")
    assert r.exit_code == 2 and "b.json" in r.output


# --- output formats ------------------------------------------------------------------
def test_sarif_is_valid_and_complete(run_cli):
    jsonschema = pytest.importorskip("jsonschema")
    r = run_cli("lint", "--format", "sarif", SEED)
    log = json.loads(r.stdout)
    schema = json.loads((FIXTURES / "sarif-2.1.0-rtm.5.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert "gpt3-uses-post-ln" in rule_ids
    rule = next(x for x in run["tool"]["driver"]["rules"] if x["id"] == "gpt3-uses-post-ln")
    assert "arxiv.org/abs/2005.14165" in rule["help"]["markdown"] and rule["helpUri"].startswith("https://")
    res = next(x for x in run["results"] if x["ruleId"] == "gpt3-uses-post-ln")
    region = res["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 28 and res["level"] == "error" and res["partialFingerprints"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_github_annotations(run_cli):
    r = run_cli("lint", "--format", "github", SEED)
    line = next(x for x in r.stdout.splitlines() if "gpt3-uses-post-ln" in x)
    assert line.startswith("::error file=") and ",line=28,col=1," in line
    assert "\n" not in line and "::错误：GPT-3 采用 Post-LN" in line and "GPT-3 用的是 Pre-LN" in line  # Chinese notes get Chinese messages


def test_junit(run_cli, tmp_path):
    (tmp_path / "clean.md").write_text("GPT-3 使用 Pre-LN。\n", encoding="utf-8")
    r = run_cli("lint", "--format", "junit", SEED, tmp_path / "clean.md")
    root = ET.fromstring(r.stdout.split("\n", 1)[1])
    suites = root.findall("testsuite")
    assert len(suites) == 2
    assert int(suites[0].get("failures")) > 0 and suites[1].get("failures") == "0"
    assert any("gpt3-uses-post-ln" in c.get("name") for c in suites[0].findall("testcase"))


def test_output_file_statistics_and_quiet(run_cli, in_dir):
    r = run_cli("lint", "--statistics", "--output", "report.txt", SEED)
    assert r.exit_code == 1 and r.stdout == ""
    text = (in_dir / "report.txt").read_text(encoding="utf-8")
    assert "count  claim" in text and "gpt3-uses-post-ln" in text
    q = run_cli("lint", "--quiet", SEED)
    assert "checked" not in q.output and "[gpt3-uses-post-ln]" in q.output


def test_no_color_when_piped_and_color_on_request(run_cli):
    assert "\033[" not in run_cli("lint", SEED).output
    assert "\033[31m" in run_cli("lint", "--color", SEED).output


# --- inputs --------------------------------------------------------------------------
def test_stdin(run_cli):
    r = run_cli("lint", "-", "--stdin-filename", "notes/stdin.md", "--format", "json", input=WRONG.encode())
    data = json.loads(r.stdout)
    assert [(f["path"], f["claim"]) for f in data["findings"]] == [("notes/stdin.md", "gpt3-uses-post-ln")]


def test_notebook_markdown_cells(run_cli, tmp_path):
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": ["# GPT-3 采用 Post-LN\n", "x = 1\n"],
             "outputs": [], "execution_count": None},
            {"cell_type": "markdown", "metadata": {}, "source": ["# 笔记\n", "\n", "GPT-3 采用 Post-LN 结构。\n"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")
    r = run_cli("lint", "--format", "json", path)
    [f] = json.loads(r.stdout)["findings"]
    assert f["claim"] == "gpt3-uses-post-ln" and f["cell"] == 2 and f["cell_line"] == 3
    raw_lines = path.read_text(encoding="utf-8").split("\n")
    assert "GPT-3 采用 Post-LN 结构" in raw_lines[f["line"] - 1]
    assert "(cell 2, line 3)" in run_cli("lint", path).output


def test_jobs_give_identical_output(run_cli, tmp_path):
    for i in range(12):
        (tmp_path / f"n{i:02}.md").write_text(f"# 笔记 {i}\n\n" + WRONG * (i % 3 + 1), encoding="utf-8")
    (tmp_path / "x.md").write_bytes(b"\x00\x01" * 100)
    serial = run_cli("lint", "--jobs", "1", "--format", "json", tmp_path)
    parallel = run_cli("lint", "--jobs", "2", "--format", "json", tmp_path)
    assert serial.stdout == parallel.stdout
    assert serial.exit_code == parallel.exit_code == 1


def test_skipped_files_set_exit_status_3(run_cli, tmp_path):
    (tmp_path / "ok.md").write_text("GPT-3 使用 Pre-LN。\n", encoding="utf-8")
    (tmp_path / "bin.md").write_bytes(b"\x00" * 64)
    assert run_cli("lint", tmp_path).exit_code == 3
    assert run_cli("lint", tmp_path / "ok.md").exit_code == 0


def test_pre_commit_hook_definition():
    import yaml

    hooks = yaml.safe_load((EXAMPLES.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    ids = {h["id"]: h for h in hooks}
    assert ids["lint-notes"]["entry"] == "lint-notes lint" and ids["lint-notes"]["language"] == "python"
    assert os.path.exists(EXAMPLES.parent / "docs" / "ci.md")
