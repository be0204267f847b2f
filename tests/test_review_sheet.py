"""Review decisions and the corrected study sheet."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from html.parser import HTMLParser

import pytest
import yaml

from conftest import EXAMPLES, ROOT

SEED = EXAMPLES / "llm-interview-notes.md"
TWO_WRONG = "# 笔记\n\nGPT-3 采用 Post-LN 结构。\n\nMQA 中每个查询与多个键值对交互。\n\nLLaMA 使用 RMSNorm。\n"


@pytest.fixture()
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "n.md").write_text(TWO_WRONG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pending_ids(run_cli):
    r = run_cli("review", "--list", "n.md")
    return [line.split()[0] for line in r.stdout.splitlines() if "[" in line]


# --- review --------------------------------------------------------------------------
def test_review_refuses_without_a_terminal(run_cli, repo):
    r = run_cli("review", "n.md")
    assert r.exit_code == 2 and "not a terminal" in r.output


def test_decide_round_trip_and_effect_on_lint(run_cli, repo):
    ids = pending_ids(run_cli)
    assert len(ids) == 2
    assert run_cli("review", "n.md", "--decide", f"{ids[0]}=dismiss").exit_code == 2  # reason required
    r = run_cli("review", "n.md", "--decide", f"{ids[0]}=dismiss", "--reason", "quoted on purpose",
                "--reviewer", "alice")
    assert r.exit_code == 0
    data = yaml.safe_load((repo / ".lint-notes" / "decisions.yaml").read_text(encoding="utf-8"))
    [d] = data["decisions"]
    assert d["decision"] == "dismissed" and d["reviewer"] == "alice" and d["file"] == "n.md"
    assert d["reason"] == "quoted on purpose" and d["sentence"] and d["fingerprint"]
    assert pending_ids(run_cli) == ids[1:]  # resume: decided findings are not asked again
    lint = json.loads(run_cli("lint", "--format", "json", "n.md").stdout)
    assert len(lint["findings"]) == 1  # the dismissed one is hidden
    shown = json.loads(run_cli("lint", "--format", "json", "--show-dismissed", "n.md").stdout)
    assert len(shown["findings"]) == 2
    # accept keeps reporting; dispute is listed for the knowledge-base maintainers
    run_cli("review", "n.md", "--decide", f"{ids[1]}=dispute", "--reason", "source says otherwise",
            "--reviewer", "bob")
    r = run_cli("claims", "disputes")
    assert "source says otherwise" in r.stdout and "bob" in r.stdout and "1 disputed" in r.stdout
    assert len(json.loads(run_cli("lint", "--format", "json", "n.md").stdout)["findings"]) == 1
    # the decision survives edits elsewhere in the file
    (repo / "n.md").write_text("前言。\n\n" + TWO_WRONG, encoding="utf-8")
    assert len(json.loads(run_cli("lint", "--format", "json", "n.md").stdout)["findings"]) == 1


def test_concurrent_decisions_merge(repo):
    from lint_notes.decisions import DecisionStore
    from lint_notes.engine import Linter
    from lint_notes.knowledge.load import load_knowledge

    findings = Linter(load_knowledge()).lint_file(repo / "n.md").findings
    path = repo / ".lint-notes" / "decisions.yaml"
    a, b = DecisionStore(path, repo), DecisionStore(path, repo)  # two reviewers, both loaded early
    a.record(findings[0], "accepted", "", "alice")
    b.record(findings[1], "dismissed", "ok", "bob")
    assert len(DecisionStore(path, repo).decisions) == 2


def _drive(args, cwd, keys):
    """Run the CLI in a pseudo-terminal and type ``keys`` one answer at a time."""
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="200", TERM="dumb")
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), *args], stdin=slave, stdout=slave, stderr=slave,
                            cwd=cwd, env=env, close_fds=True)
    os.close(slave)
    out = b""
    pending = list(keys)
    deadline = time.time() + 60
    while time.time() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
            tail = out.decode("utf-8", "replace").rstrip()
            if pending and (tail.endswith(">") or tail.endswith("Reason:")):
                os.write(master, (pending.pop(0) + "\n").encode())
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(master)
    return proc.returncode, out.decode("utf-8", "replace")


def test_interactive_review_in_a_terminal(repo):
    # accept the first, dismiss the second, undo, dispute it instead
    code, out = _drive(["review", "n.md", "--reviewer", "carol"], repo,
                       ["a", "f", "not a claim", "u", "d", "the claim is wrong", ""])
    assert code == 0, out
    assert "[1/2]" in out and "[2/2]" in out and "Correction:" in out and "Source:" in out
    assert "Undid the decision" in out
    assert "> " in out and "GPT-3 采用 Post-LN 结构。" in out
    data = yaml.safe_load((repo / ".lint-notes" / "decisions.yaml").read_text(encoding="utf-8"))
    assert sorted(d["decision"] for d in data["decisions"]) == ["accepted", "disputed"]
    assert all(d["reviewer"] == "carol" for d in data["decisions"])
    code, out = _drive(["review", "n.md"], repo, [])
    assert "Nothing to review" in out


# --- sheet ---------------------------------------------------------------------------
MIXED = (
    "---\r\ntitle: 笔记\r\n---\r\n\r\n# 归一化\r\n\r\n"
    "GPT-3 采用 Post-LN 结构。LLaMA 使用 RMSNorm。\r\n\r\n"
    "```python\r\nx = 'GPT-3 采用 Post-LN'\r\n```\r\n\r\n"
    "| 模型 | 说明 |\r\n|---|---|\r\n| GPT-3 | GPT-3 采用 Post-LN 结构。 |\r\n\r\n"
    "见 [论文](https://arxiv.org/abs/2005.14165) 与 ![图](a.png)。\r\n"
)


def test_sheet_corrects_and_preserves_everything_else(run_cli, tmp_path):
    src = tmp_path / "n.md"
    src.write_bytes(MIXED.encode("utf-8"))
    out = tmp_path / "sheet.md"
    r = run_cli("sheet", src, "-o", out)
    assert r.exit_code == 0, r.output
    data = out.read_bytes()
    text = data.decode("utf-8")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CRLF kept everywhere
    assert text.startswith("---\r\ntitle: 笔记\r\n---\r\n")  # front matter first
    assert "```python\r\nx = 'GPT-3 采用 Post-LN'\r\n```" in text  # code untouched
    assert "[论文](https://arxiv.org/abs/2005.14165) 与 ![图](a.png)。" in text
    assert '<del class="lint-notes-struck">GPT-3 采用 Post-LN 结构。</del>' in text and "LLaMA 使用 RMSNorm。" in text
    assert "[^lint-notes-1]: **false** · `gpt3-uses-post-ln`" in text and "arxiv.org/abs/2005.14165" in text
    assert '| GPT-3 | <del class="lint-notes-struck">GPT-3 采用 Post-LN 结构。</del>' in text
    # every line of the original that held no flagged statement is still there, byte for byte
    flagged = {"GPT-3 采用 Post-LN 结构。LLaMA 使用 RMSNorm。", "| GPT-3 | GPT-3 采用 Post-LN 结构。 |"}
    for line in MIXED.split("\r\n"):
        if line not in flagged:
            assert line in text.split("\r\n")
    assert src.read_bytes() == MIXED.encode("utf-8")  # the original is untouched
    # linted again: nothing left to report; re-run: identical
    assert json.loads(run_cli("lint", "--format", "json", out).stdout)["findings"] == []
    again = tmp_path / "again.md"
    run_cli("sheet", out, "-o", again)
    assert again.read_bytes() == data


def test_sheet_replace_style_and_verified_marks(run_cli, tmp_path):
    src = tmp_path / "n.md"
    src.write_text("GPT-3 采用 Post-LN 结构。\n\nLLaMA 使用 RMSNorm。\n", encoding="utf-8")
    out = tmp_path / "s.md"
    run_cli("sheet", src, "-o", out, "--style", "replace", "--mark-verified")
    text = out.read_text(encoding="utf-8")
    assert "采用 Post-LN 结构。" not in text.split("[^lint-notes-1]:")[0]
    assert "lint-notes-verified" in text
    again = tmp_path / "again.md"
    run_cli("sheet", out, "-o", again, "--mark-verified")
    assert again.read_text(encoding="utf-8") == text


def test_sheet_keeps_encoding(run_cli, tmp_path):
    src = tmp_path / "gbk.md"
    src.write_bytes("GPT-3 采用 Post-LN 结构。\n".encode("gbk"))
    out = tmp_path / "out.md"
    run_cli("sheet", src, "-o", out)
    assert '<del class="lint-notes-struck">GPT-3 采用 Post-LN 结构。</del>' in out.read_bytes().decode("gb18030")


def test_sheet_never_overwrites_without_asking(run_cli, tmp_path):
    src = tmp_path / "n.md"
    src.write_text("GPT-3 采用 Post-LN 结构。\n", encoding="utf-8")
    out = tmp_path / "out.md"
    out.write_text("mine", encoding="utf-8")
    assert run_cli("sheet", src, "-o", out).exit_code == 2 and out.read_text() == "mine"
    assert run_cli("sheet", src, "-o", out, "--force").exit_code == 0 and out.read_text() != "mine"
    assert run_cli("sheet", src, "-o", src).exit_code == 2
    assert run_cli("sheet", src).exit_code == 2


def test_sheet_in_place_is_atomic_with_backup(run_cli, tmp_path, monkeypatch):
    src = tmp_path / "n.md"
    original = "GPT-3 采用 Post-LN 结构。\n"
    src.write_text(original, encoding="utf-8")
    import lint_notes.safewrite as sw

    real_replace = os.replace

    def failing_replace(a, b):
        if str(b) == str(src):
            raise OSError(28, "No space left on device")
        return real_replace(a, b)

    monkeypatch.setattr(sw.os, "replace", failing_replace)
    with pytest.raises(OSError):
        run_cli("sheet", src, "--in-place")
    assert src.read_text(encoding="utf-8") == original  # intact after a failed write
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temporary left behind
    monkeypatch.setattr(sw.os, "replace", real_replace)
    assert run_cli("sheet", src, "--in-place").exit_code == 0
    assert '<del class="lint-notes-struck">GPT-3 采用 Post-LN 结构。</del>' in src.read_text(encoding="utf-8")
    assert (tmp_path / "n.md.bak").read_text(encoding="utf-8") == original


def test_sheet_honours_dismissals(run_cli, repo):
    ids = pending_ids(run_cli)
    run_cli("review", "n.md", "--decide", f"{ids[0]}=dismiss", "--reason", "x")
    run_cli("sheet", "n.md", "-o", "s.md")
    text = (repo / "s.md").read_text(encoding="utf-8")
    assert text.count("lint-notes-correction") == 1


class _Structure(HTMLParser):
    VOID = {"meta", "img", "br", "hr", "input", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.tags, self.links, self.classes = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("class"):
            self.classes.append(attrs["class"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def test_sheet_html_is_standalone_and_well_formed(run_cli, tmp_path):
    out = tmp_path / "sheet.html"
    r = run_cli("sheet", SEED, "-o", out, "--format", "html")
    assert r.exit_code == 0
    page = out.read_text(encoding="utf-8")
    p = _Structure()
    p.feed(page)
    assert not p.errors and not p.stack, (p.errors, p.stack)
    assert "<style>" in page and "<script" not in page and 'rel="stylesheet"' not in page
    assert not [u for u in p.links if not (u.startswith("#") or u.startswith("https://") or u.startswith("http://"))]
    assert "https://arxiv.org/abs/2005.14165" in p.links
    assert any(u.startswith("#") for u in p.links)  # table of contents and footnotes
    assert ("s" in p.tags or "del" in p.tags) and "lint-notes-correction" in p.classes and "toc" in p.classes
    assert "@media print" in page
