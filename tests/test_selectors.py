"""Names of claims, topics and rules are checked wherever they are given: a typo is an error (exit 2)
with suggestions, never a check silently turned off."""

from __future__ import annotations

import json

import pytest

WRONG = "GPT-3 采用 Post-LN 结构。\n"


@pytest.fixture()
def in_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "n.md").write_text(WRONG, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("args,expected", [
    (["--select", "lora-adds-inference-latncy"],
     "--select: unknown claim id, topic or rule 'lora-adds-inference-latncy' (did you mean "
     "'lora-adds-inference-latency'"),
    (["--ignore", "gpt3-uses-post-lnn"], "(did you mean 'gpt3-uses-post-ln'?)"),
    (["--select", "normalisation"], "(did you mean 'normalization'"),
    (["--ignore", "gpt3-post*"], "--ignore: 'gpt3-post*' matches no claim id, topic or rule"),
    (["--select", "flase-claim"], "(did you mean 'false-claim'"),
])
def test_unknown_names_on_the_command_line(run_cli, in_dir, args, expected):
    r = run_cli("lint", *args, "n.md")
    assert r.exit_code == 2, r.output
    assert expected in r.output, r.output
    assert "Traceback" not in r.output


@pytest.mark.parametrize("select", ["gpt3-uses-post-ln", "gpt3-*", "normalization", "false-claim",
                                    "model-facts/*", "unused-suppression"])
def test_known_names_and_globs_are_accepted(run_cli, in_dir, select):
    r = run_cli("lint", "--select", select, "--format", "json", "n.md")
    assert r.exit_code in (0, 1), r.output


def test_unknown_names_in_the_configuration_name_file_and_line(run_cli, in_dir):
    (in_dir / ".lint-notes.yaml").write_text(
        "fail-on: error\nselect: [nosuchthing, 'gpt3-*']\nignore: ['zzz*']\nseverity: {gpt3-uses-post-lnn: off}\n")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2
    assert ".lint-notes.yaml:2: select: unknown claim id, topic or rule 'nosuchthing'" in r.output
    assert ".lint-notes.yaml:3: ignore: 'zzz*' matches no claim id, topic or rule" in r.output
    assert (".lint-notes.yaml:4: severity: unknown claim id, topic or rule 'gpt3-uses-post-lnn' "
            "(did you mean 'gpt3-uses-post-ln'?)") in r.output
    # the same configuration stops review and sheet as well
    assert run_cli("review", "--list", "n.md").exit_code == 2
    assert run_cli("sheet", "n.md", "-o", "s.md").exit_code == 2


def test_pyproject_severity_typo(run_cli, in_dir):
    (in_dir / "pyproject.toml").write_text('[tool.lint-notes]\nseverity = {"incomplete-claims" = "info"}\n')
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2 and "pyproject.toml:2: severity:" in r.output and "'incomplete-claim'" in r.output


def test_severity_keys_are_exact(run_cli, in_dir):
    (in_dir / ".lint-notes.yaml").write_text("severity: {'gpt3-*': info}\n")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2 and "not glob patterns" in r.output


def test_unknown_names_in_suppression_comments(run_cli, in_dir):
    (in_dir / "n.md").write_text("<!-- lint-notes-disable-next-line gpt3-uses-post-lnn, normalization -->\n"
                                 + WRONG + "\n<!-- lint-notes-disable nosuch-* -->\n\nx\n", encoding="utf-8")
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2
    assert ("n.md:1: suppression comment: unknown claim id, topic or rule 'gpt3-uses-post-lnn' "
            "(did you mean 'gpt3-uses-post-ln'?)") in r.output
    assert "n.md:4: suppression comment: 'nosuch-*' matches no claim id, topic or rule" in r.output
    (in_dir / "n.md").write_text("<!-- lint-notes-disable-next-line gpt3-uses-post-ln -->\n" + WRONG,
                                 encoding="utf-8")
    assert run_cli("lint", "n.md").exit_code == 0
    (in_dir / "t.txt").write_text("# lint-notes-disable-next-line gpt3-uses-post-lm\n" + WRONG, encoding="utf-8")
    r = run_cli("lint", "t.txt")
    assert r.exit_code == 2 and "t.txt:1: suppression comment" in r.output


def test_unknown_names_in_suppression_comments_stop_review(run_cli, in_dir):
    (in_dir / ".git").mkdir()
    (in_dir / "n.md").write_text("<!-- lint-notes-disable-file gpt3-uses-post-lnn -->\n\n" + WRONG, encoding="utf-8")
    r = run_cli("review", "--list", "n.md")
    assert r.exit_code == 2 and "did you mean 'gpt3-uses-post-ln'" in r.output


def test_suppression_names_are_checked_for_cached_results_too(run_cli, in_dir):
    (in_dir / "n.md").write_text("<!-- lint-notes-disable-file gpt3-uses-post-lnn -->\n\n" + WRONG, encoding="utf-8")
    assert run_cli("lint", "n.md").exit_code == 2
    assert run_cli("lint", "n.md").exit_code == 2  # the second run reads the cached result


# --- claims: topics, list, search, show ---------------------------------------------------
def test_claims_topics(run_cli):
    r = run_cli("claims", "topics")
    assert r.exit_code == 0
    rows = [line.split("\t") for line in r.output.strip().splitlines()[:-1]]
    topics = [row[0] for row in rows]
    assert "normalization" in topics and topics == sorted(topics)
    assert all(row[1].endswith(" written") and row[2].endswith(" generated") for row in rows)
    assert r.output.strip().splitlines()[-1].endswith("claims")


def test_claims_list_validates_topic_and_verdict(run_cli):
    r = run_cli("claims", "list", "--topic", "normalisation")
    assert r.exit_code == 2 and "no topic 'normalisation' (did you mean 'normalization'" in r.output
    assert "claims topics" in r.output
    r = run_cli("claims", "list", "--verdict", "flase")
    assert r.exit_code == 2 and "(did you mean 'false'?)" in r.output
    r = run_cli("claims", "list", "--topic", "normalization", "--verdict", "false")
    assert r.exit_code == 0
    rows = [line.split("\t") for line in r.output.strip().splitlines()]
    assert rows and all(row[1] == "false" and row[2] == "normalization" for row in rows)


def test_claims_search(run_cli):
    r = run_cli("claims", "search", "lora", "latency")
    assert r.exit_code == 0
    ids = [line.split("\t")[0] for line in r.stdout.strip().splitlines()]
    assert "lora-adds-inference-latency" in ids
    # statements in Chinese, Traditional characters, names by their aliases, corrections
    assert "gpt3-uses-post-ln" in run_cli("claims", "search", "GPT-3", "後標準化").stdout or \
        "gpt3-uses-post-ln" in run_cli("claims", "search", "GPT3", "post ln").stdout
    assert "gpt3-uses-post-ln" in run_cli("claims", "search", "gpt3", "POSTLN").stdout
    assert "gpt3-uses-post-ln" in run_cli("claims", "search", "modified initialization").stdout
    r = run_cli("claims", "search", "zzzz-no-such-words")
    assert r.exit_code == 1 and "0 claims match" in r.output


def test_claims_show_suggests(run_cli):
    r = run_cli("claims", "show", "gpt3-uses-post-lnn")
    assert r.exit_code == 2 and "(did you mean 'gpt3-uses-post-ln'?)" in r.output


def test_vocabulary_suggestions(kb):
    from lint_notes.selectors import Vocabulary

    v = Vocabulary(kb)
    assert v.problem("gpt3-uses-post-ln") is None and v.problem("gpt3-*") is None
    assert v.problem("[") is not None
    assert "did you mean" in v.problem("gpt-3-uses-post-ln")
    assert json.dumps(sorted(v.topics))  # plain strings
