"""Bad input never crashes the linter and never loses a byte."""

from __future__ import annotations

import json
import os
import textwrap
import time

import pytest

WRONG = "GPT-3 采用 Post-LN 结构。\n"


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --- files ----------------------------------------------------------------------------
def test_each_bad_file_is_reported_once_and_the_rest_is_linted(run_cli, tmp_path, monkeypatch):
    d = tmp_path / "notes"
    write(d / "good.md", WRONG)
    (d / "empty.md").write_bytes(b"")
    (d / "binary.md").write_bytes(b"\x7fELF\x00\x00" * 50)
    (d / "bad-utf16.md").write_bytes(b"\xff\xfe" + b"\x00\xd8\x41\x00")
    (d / "broken.md").symlink_to(d / "missing.md")
    (d / "loop").symlink_to(d / "loop")
    (d / "dir.md").mkdir()
    write(d / "dir.md" / "inner.md", WRONG)  # a folder named like a file is walked
    (d / "big.md").write_bytes(("GPT-3 采用 Post-LN 结构。\n" * 100).encode())
    (d / "secret.md").write_text(WRONG, encoding="utf-8")
    (d / ".lint-notes.yaml").write_text("max-file-size: 1000\n")
    real_access = os.access
    monkeypatch.setattr("lint_notes.files.os.access",
                        lambda p, mode: False if str(p).endswith("secret.md") else real_access(p, mode))
    monkeypatch.chdir(d)
    r = run_cli("lint", "--format", "json", ".", "/dev/zero")
    data = json.loads(r.stdout)
    skipped = {os.path.basename(s["path"]): s["reason"] for s in data["skipped"]}
    assert sorted(skipped) == ["bad-utf16.md", "big.md", "binary.md", "broken.md", "secret.md", "zero"]
    assert "binary" in skipped["binary.md"] and "UTF-16" in skipped["bad-utf16.md"]
    assert "size limit" in skipped["big.md"]  # an empty note is linted (and clean), not skipped
    assert "broken symbolic link" in skipped["broken.md"] and "permission denied" in skipped["secret.md"]
    assert "not a regular file" in skipped["zero"]
    assert len(data["skipped"]) == len(skipped)  # once each
    assert sorted({os.path.basename(f["path"]) for f in data["findings"]}) == ["good.md", "inner.md"]
    assert r.exit_code == 1
    clean = tmp_path / "clean"
    write(clean / "ok.md", "GPT-3 使用 Pre-LN。\n")
    (clean / "x.md").write_bytes(b"\x00" * 8)
    assert run_cli("lint", clean).exit_code == 3  # some files were skipped


def test_symlink_loop_in_folders(run_cli, tmp_path):
    d = tmp_path / "n"
    write(d / "a" / "x.md", WRONG)
    (d / "a" / "back").symlink_to(d, target_is_directory=True)
    r = run_cli("lint", "--format", "json", d)
    data = json.loads(r.stdout)
    assert len(data["findings"]) == 1
    assert any("loop" in s["reason"] for s in data["skipped"])


# --- knowledge base errors --------------------------------------------------------------
ENTITY_FILE = "schema_version: 1\nentities:\n  widget:\n    aliases: [WidgetQ]\n"


@pytest.mark.parametrize(
    "filename,content,expected",
    [
        ("e.yaml", "schema_version: 1\nentities:\n  widget:\n    aliases: 5\n", "e.yaml:4: entity 'widget': field 'aliases' must be a list"),
        ("e.yaml", "schema_version: 1\nentities:\n  Widget X:\n    aliases: [a]\n", "not a valid id"),
        ("e.yaml", "schema_version: 1\nentities:\n  widget:\n    kind: model\n", "needs at least one alias"),
        ("e.yaml", "schema_version: 2\nentities:\n  widget: [WidgetQ]\n", "schema_version must be 1"),
        ("e.yaml", "entities: &a\n  widget: *a\n", "invalid YAML"),
        ("e.yaml", "schema_version: 1\nentities:\n  widget: !!python/object/apply:os.system ['echo pwned']\n",
         "invalid YAML"),
        ("e.yaml", "schema_version: 1\nclaims:\n  - id: self-ref\n    suppresses: [self-ref]\n", "missing required field"),
        ("e.yaml", "\t- bad\n", "invalid YAML"),
        ("e.yaml", b"\xff\xfe\x00bad".decode("latin-1"), "e.yaml"),
        ("m.yaml", "schema_version: 1\nattributes:\n  widget-norm: {values: [layernorm]}\nmodels:\n"
                   "  widget-9:\n    aliases: [Widget9]\n    facts:\n      widget-norm: {value: rmsnorm, citation: "
                   "{title: t, url: 'https://example.org', locator: x}}\n", "not among the attribute's values"),
        ("m.yaml", "schema_version: 1\nattributes:\n  norm-type: {values: [layernorm]}\n",
         "m.yaml:3: attribute 'norm-type' is already defined at"),
        ("m.yaml", "schema_version: 1\nmethods:\n  no-such-method:\n    facts:\n      norm-type: {value: rmsnorm, "
                   "citation: {title: t, url: 'https://example.org', locator: x}}\n", "method 'no-such-method': unknown entity"),
        ("m.yaml", "schema_version: 1\nmodels:\n  widget-9:\n    aliases: [Widget9]\n    facts:\n      layers: "
                   "{value: many, citation: {title: t, url: 'https://example.org', locator: x}}\n", "layers must be a number"),
        ("e.yaml", "schema_version: 1\nentities:\n  no-such-entity:\n    extend: true\n    aliases: [Nope]\n",
         "e.yaml:3: entity 'no-such-entity': 'extend: true' needs an entity"),
        ("m.yaml", "schema_version: 1\nmodels:\n  widget-9:\n    aliases: [Widget9]\n    facts:\n      colour: "
                   "{value: red, citation: {title: t, url: 'https://example.org', locator: x}}\n", "unknown attribute 'colour'"),
        ("m.yaml", "schema_version: 1\nfamilies:\n  wid:\n    aliases: [Wid]\n    members: [nope]\n", "unknown member model 'nope'"),
    ],
)
def test_knowledge_errors_name_file_line_and_exit_2(run_cli, tmp_path, filename, content, expected):
    d = tmp_path / "kb"
    d.mkdir()
    (d / filename).write_text(content, encoding="utf-8")
    r = run_cli("claims", "check", "--claims", d)
    assert r.exit_code == 2, r.output
    assert expected in r.output, r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    "content,expected",
    [
        ("schema_version: 1\nrules:\n  - id: r1\n    when: {verdict: [false]}\n    severity: fatal\n    message: x\n",
         "severity 'fatal' is not one of"),
        ("schema_version: 1\nrules:\n  - id: r1\n    when: {verdict: [false]}\n    severity: error\n    message: '{nope}'\n",
         "unknown placeholder {nope}"),
        ("schema_version: 1\nrules:\n  - id: r1\n    when: {verdict: [maybe]}\n    severity: error\n    message: x\n",
         "verdict 'maybe' is not one of"),
        ("schema_version: 1\nrules:\n  - id: false-claim\n    when: {verdict: [false]}\n    severity: error\n    message: x\n",
         "duplicate rule id 'false-claim'"),
        ("schema_version: 1\nlexicon:\n  negations: [不]\n", "unknown lexicon category 'negations'"),
        ("schema_version: 1\nrules: {a: 1}\n", "'rules' must be a list"),
    ],
)
def test_rule_file_errors(run_cli, tmp_path, content, expected):
    d = tmp_path / "rules"
    d.mkdir()
    (d / "r.yaml").write_text(content, encoding="utf-8")
    r = run_cli("claims", "check", "--rules", d)
    assert r.exit_code == 2 and expected in r.output, r.output


@pytest.mark.parametrize(
    "content,expected",
    [
        ("fail-on: sometimes\n", "'fail-on' must be one of"),
        ("max-file-size: big\n", "'max-file-size' must be a whole number"),
        ("select: 5\n", "'select' must be a list of text"),
        ("severity: [a]\n", "'severity' must be a mapping"),
        ("- a list\n", "must be a mapping"),
        ("claims: [/etc]\n", "outside the configuration's folder"),
        ("fail_on: error\n", "did you mean 'fail-on'"),
        ("key: [unclosed\n", "invalid YAML"),
    ],
)
def test_config_errors(run_cli, tmp_path, monkeypatch, content, expected):
    (tmp_path / ".lint-notes.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "n.md").write_text(WRONG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run_cli("lint", "n.md")
    assert r.exit_code == 2 and expected in r.output and "Traceback" not in r.output, r.output


def test_self_reference_is_an_error(run_cli, tmp_path):
    from test_cli import CLAIM

    d = tmp_path / "kb"
    d.mkdir()
    (d / "w.yaml").write_text(CLAIM.replace("    reviewed: 2026-11-01\n",
                                            "    reviewed: 2026-11-01\n    suppresses: [widget-is-blue]\n"),
                              encoding="utf-8")
    r = run_cli("claims", "check", "--claims", d)
    assert r.exit_code == 2 and "w.yaml:10: claim 'widget-is-blue': a claim cannot suppress itself" in r.output


def test_a_claim_folder_holds_data_only(run_cli, tmp_path):
    """A .py file in a claims folder is never imported or run."""
    d = tmp_path / "kb"
    d.mkdir()
    (d / "evil.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').write('x')\n")
    (d / "e.yaml").write_text(ENTITY_FILE, encoding="utf-8")
    assert run_cli("claims", "check", "--claims", d).exit_code == 0
    assert not (tmp_path / "ran").exists()


# --- patterns ----------------------------------------------------------------------------
def test_aliases_are_literal_so_no_pattern_can_hang(run_cli, tmp_path):
    d = tmp_path / "kb"
    d.mkdir()
    (d / "e.yaml").write_text('schema_version: 1\nentities:\n  evil:\n    aliases: ["(a+)+$", "(x|x|x)*y"]\n',
                              encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text("a" * 50_000 + "!\n\n" + "x" * 50_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    r = run_cli("lint", "--claims", d, note)
    assert r.exit_code == 0 and time.perf_counter() - start < 20


# --- safe writes ---------------------------------------------------------------------------
def test_output_to_a_device_writes_through(run_cli, tmp_path):
    note = tmp_path / "n.md"
    note.write_text(WRONG, encoding="utf-8")
    r = run_cli("lint", "--output", "/dev/null", note)
    assert r.exit_code == 1 and r.stdout == ""
    import stat

    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # still the device, not replaced by a file


def test_failed_baseline_write_keeps_the_old_baseline(run_cli, tmp_path, monkeypatch):
    note = tmp_path / "n.md"
    note.write_text(WRONG, encoding="utf-8")
    base = tmp_path / "base.json"
    run_cli("lint", "--write-baseline", base, note)
    before = base.read_bytes()
    note.write_text(WRONG + "\nMQA 中每个查询与多个键值对交互。\n", encoding="utf-8")
    import lint_notes.safewrite as sw

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sw.os, "fsync", boom)
    with pytest.raises(OSError):
        run_cli("lint", "--write-baseline", base, note)
    assert base.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".base")] == []
