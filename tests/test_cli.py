"""The command line, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from conftest import EXAMPLES, ROOT

SEED = EXAMPLES / "llm-interview-notes.md"


def write(path, text: str, encoding="utf-8"):
    path.write_bytes(textwrap.dedent(text).encode(encoding))
    return path


def test_lint_example_text_output(run_cli):
    r = run_cli("lint", SEED)
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert any(":28:" in line and "error [gpt3-uses-post-ln]" in line for line in lines)
    assert "file checked" in lines[-1] and "verified" in lines[-1] and "flagged" in lines[-1]


def test_lint_json_output(run_cli):
    r = run_cli("lint", "--format", "json", SEED)
    data = json.loads(r.stdout)
    assert data["version"] == 1
    f = data["findings"][0]
    for key in ("path", "line", "column", "end_line", "end_column", "rule", "claim", "verdict", "severity",
                "message", "text", "correction", "citations"):
        assert key in f
    assert data["summary"]["findings"] == len(data["findings"]) > 0
    assert data["summary"]["by_verdict"]["false"] >= 1


def test_exit_status_follows_fail_on(run_cli, tmp_path):
    note = write(tmp_path / "n.md", "Post-LN 这种结构有助于提高模型的泛化能力。Pre-LN 有助于提高模型的泛化能力和鲁棒性。\n")
    assert run_cli("lint", note).exit_code == 0  # only a warning
    assert run_cli("lint", "--fail-on", "warning", note).exit_code == 1
    assert run_cli("lint", "--fail-on", "never", SEED).exit_code == 0


def test_clean_notes_have_no_findings(run_cli):
    r = run_cli("lint", EXAMPLES / "correct-notes.md")
    assert r.exit_code == 0, r.output
    assert "0 flagged" in r.output
    assert int(r.output.split(" verified")[0].split(", ")[-1]) >= 10


def test_directory_walk_and_skipped_files(run_cli, tmp_path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "a.md", "GPT-3 采用 Post-LN。\n")
    write(tmp_path / "b.txt", "GPT3 uses Post-LN.\n")
    (tmp_path / "c.md").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    write(tmp_path / "d.md", "GPT-3 采用 Post-LN 结构。\n", encoding="gbk")
    (tmp_path / "e.md").write_bytes("\r\n\r\nGPT-3 采用 Post-LN。\r\n".encode())
    (tmp_path / "f.md").write_bytes("GPT-3 采用 Post-LN。\n".encode("utf-16"))
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / ".hidden" / "x.md", "GPT-3 采用 Post-LN。\n")
    write(tmp_path / "ignored.py", "GPT-3 采用 Post-LN\n")
    r = run_cli("lint", "--format", "json", tmp_path)
    data = json.loads(r.stdout)
    paths = sorted({f["path"].replace(str(tmp_path), "") for f in data["findings"]})
    assert paths == ["/b.txt", "/d.md", "/e.md", "/f.md", "/sub/a.md"]
    e = [f for f in data["findings"] if f["path"].endswith("e.md")][0]
    assert e["line"] == 3 and e["column"] == 1
    assert [s["path"].replace(str(tmp_path), "") for s in data["skipped"]] == ["/c.md"]
    assert "binary" in data["skipped"][0]["reason"]


def test_missing_path_is_a_usage_error(run_cli, tmp_path):
    r = run_cli("lint", tmp_path / "nope.md")
    assert r.exit_code == 2


CLAIM = """\
schema_version: 1
topic: test
entities:
  widget-x:
    kind: model
    aliases: [WidgetX]
  blue:
    aliases: [blue, 蓝色]
claims:
  - id: widget-is-blue
    statement: WidgetX is blue.
    statement_zh: WidgetX 是蓝色的。
    verdict: false
    correction: It is red.
    correction_zh: 它是红色的。
    citations: [{title: Spec, url: "https://example.org/spec", locator: "Section 1"}]
    reviewed: 2026-11-01
    match: {all: [[widget-x], [blue]]}
    examples:
      flag: [WidgetX 是蓝色的。, WidgetX is blue.]
      pass: [WidgetX 不是蓝色的。, WidgetX is not blue.]
"""


def test_extra_claims_folder_is_merged(run_cli, tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "widget.yaml", CLAIM)
    note = write(tmp_path / "n.md", "WidgetX 是蓝色的。GPT-3 采用 Post-LN。\n")
    r = run_cli("lint", "--claims", d, "--format", "json", note)
    claims = {f["claim"] for f in json.loads(r.stdout)["findings"]}
    assert claims == {"widget-is-blue", "gpt3-uses-post-ln"}
    assert run_cli("claims", "check", "--claims", d, "--claim", "widget-is-blue").exit_code == 0


def test_duplicate_id_names_both_files(run_cli, tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "dup.yaml", CLAIM.replace("widget-is-blue", "gpt3-uses-post-ln"))
    r = run_cli("lint", "--claims", d, SEED)
    assert r.exit_code == 2
    assert "duplicate claim id 'gpt3-uses-post-ln'" in r.output
    assert "dup.yaml" in r.output and "seed-notes.yaml" in r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize(
    "mutate,expected",
    [
        (lambda s: s.replace("  - id: widget-is-blue", "  - id: widget-is-blue\n    colour: red"),
         "dup.yaml:11: unknown field 'colour'"),
        (lambda s: s.replace("match: {all: [[widget-x], [blue]]}", "match: {all: [[widget-x], [blau]]}"),
         "unknown entity 'blau'"),
        (lambda s: s.replace("verdict: false", "verdict: wrong"), "dup.yaml:13: claim 'widget-is-blue': verdict 'wrong'"),
        (lambda s: s.replace("    statement: WidgetX is blue.\n", ""), "missing required field 'statement'"),
        (lambda s: s.replace("correction: It is red.", "correction: [It is red"), "dup.yaml:15: invalid YAML"),
        (lambda s: s.replace("    reviewed: 2026-11-01\n", "    reviewed: 2026-11-01\n    reviewed: 2026-11-02\n"),
         "duplicate key 'reviewed'"),
        (lambda s: s.replace("aliases: [WidgetX]", "aliases: [GPT-3]"), "already an alias of 'gpt-3'"),
        (lambda s: "", "the file is empty"),
        (lambda s: "- just\n- a list\n", "must be a mapping"),
        (lambda s: s.replace("flag: [WidgetX 是蓝色的。, WidgetX is blue.]", "flag: [WidgetX 是蓝色的。]"),
         "at least two 'flag' sentences"),
    ],
)
def test_malformed_claim_files_report_file_line(run_cli, tmp_path, mutate, expected):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "dup.yaml", mutate(CLAIM))
    r = run_cli("claims", "check", "--claims", d)
    assert r.exit_code == 2
    assert expected in r.output, r.output
    assert "Traceback" not in r.output


def test_yaml_booleans_are_never_guessed(run_cli, tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "w.yaml", CLAIM.replace("verdict: false", "verdict: no"))
    r = run_cli("claims", "check", "--claims", d)
    assert r.exit_code == 2 and "verdict 'no' is not one of" in r.output


def test_failing_example_fails_claims_check(run_cli, tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "w.yaml", CLAIM.replace("pass: [WidgetX 不是蓝色的。", "pass: [WidgetX 是蓝色的！"))
    r = run_cli("claims", "check", "--claims", d, "--claim", "widget-is-blue")
    assert r.exit_code == 1
    assert "should pass but this claim flagged it" in r.output


def test_claims_list_and_show(run_cli):
    r = run_cli("claims", "list")
    assert "gpt3-uses-post-ln\tfalse" in r.output
    r = run_cli("claims", "show", "gpt3-uses-post-ln")
    assert "arxiv.org/abs/2005.14165" in r.output and "flag:" in r.output
    assert run_cli("claims", "show", "no-such-claim").exit_code == 2


def test_python_cli_py_behaves_like_the_command(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "cli.py"), "lint", "--format", "json", str(SEED)],
                         capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 1
    assert json.loads(out.stdout)["summary"]["findings"] > 0


def test_claims_check_reports_stale_reviews(run_cli, tmp_path, monkeypatch):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "w.yaml", CLAIM.replace("reviewed: 2026-11-01", "reviewed: 2020-01-01"))
    monkeypatch.chdir(tmp_path)
    r = run_cli("claims", "check", "--claims", d, "--strict")
    assert r.exit_code == 1 and "widget-is-blue' was last reviewed 2020-01-01" in r.output
    (tmp_path / ".lint-notes.yaml").write_text("max-review-age: 1000\n")
    assert run_cli("claims", "check", "--claims", d, "--strict").exit_code == 0


def test_claims_check_reports_review_dates_in_the_future(run_cli, tmp_path, monkeypatch):
    d = tmp_path / "kb"
    d.mkdir()
    write(d / "w.yaml", CLAIM.replace("reviewed: 2026-11-01", "reviewed: 2999-01-01"))
    monkeypatch.chdir(tmp_path)
    r = run_cli("claims", "check", "--claims", d, "--strict")
    assert r.exit_code == 1 and "'widget-is-blue' says it was reviewed 2999-01-01, which is after today" in r.output
