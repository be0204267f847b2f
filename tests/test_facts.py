"""Fact tables through the CLI: sizes, numbers with units, misleading per-size values, methods, extensions.

A small table of made-up models (so that the tests do not depend on the bundled data) is written to a
user claims folder and merged with the bundled knowledge base.
"""

from __future__ import annotations

import json

import pytest

CITE = "{title: t, url: 'https://example.org/t', locator: 'Table 1'}"
TABLE = f"""schema_version: 1
models:
  toy-2:
    aliases: [Toy 2, Toy-2]
    released: 2023-07
    facts:
      attention: {{value: mha, citation: {CITE}}}
      vocab-size: {{value: 32000, citation: {CITE}}}
    sizes:
      toy-2-7b:
        aliases: [Toy-2-7B]
        facts:
          layers: {{value: 32, citation: {CITE}}}
          params: {{value: 6.7B, citation: {CITE}}}
      toy-2-70b:
        aliases: [Toy-2-70B]
        facts:
          layers: {{value: 80, citation: {CITE}}}
          attention: {{value: gqa, citation: {CITE}}}
          training-tokens: {{value: 2T, citation: {CITE}}}
methods:
  widget-norm:
    aliases: [WidgetNorm]
    kind: norm
    facts:
      norm-type: {{value: rmsnorm, citation: {CITE}}}
entities:
  rmsnorm:
    extend: true
    aliases: [均方根规范化器]
"""


@pytest.fixture()
def lint(run_cli, tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "toy.yaml").write_text(TABLE, encoding="utf-8")

    def run(text: str) -> list[dict]:
        note = tmp_path / "n.md"
        note.write_text(text + "\n", encoding="utf-8")
        r = run_cli("lint", "--no-cache", "--no-config", "--claims", kb, "--format", "json", "--fail-on", "never", note)
        assert r.exit_code == 0, r.output
        return json.loads(r.output)["findings"]

    return run


@pytest.mark.parametrize("text,claim,verdict", [
    ("Toy-2-7B 有 40 层。", "model-facts/toy-2-7b/layers", "false"),
    ("Toy-2-70B 的层数为 64。", "model-facts/toy-2-70b/layers", "false"),
    ("Toy-2-7B has 48 layers.", "model-facts/toy-2-7b/layers", "false"),
    ("Toy-2-7B 有 130亿参数。", "model-facts/toy-2-7b/params", "false"),
    ("Toy-2-70B 训练了 3T tokens。", "model-facts/toy-2-70b/training-tokens", "false"),
    ("Toy 2 使用了 GQA。", "model-facts/toy-2/attention/gqa", "misleading"),  # only the 70B does
    ("Toy 2 使用了 MQA。", "model-facts/toy-2/attention", "false"),
    ("Toy-2-7B 使用 GQA。", "model-facts/toy-2-7b/attention", "false"),  # a size inherits or overrides
    ("WidgetNorm 其实就是 LayerNorm。", "method-facts/widget-norm/norm-type", "false"),
    ("WidgetNorm 采用 LayerNorm 而非均方根规范化器。", "method-facts/widget-norm/norm-type", "false"),
])
def test_flags(lint, text, claim, verdict):
    found = [(f["claim"], f["verdict"]) for f in lint(text)]
    assert (claim, verdict) in found, found


@pytest.mark.parametrize("text", [
    "Toy-2-7B 有 32 层。",
    "Toy 2 有 80 层。",  # a number of any size is right for the model
    "Toy-2-70B 训练了 2T tokens。",
    "Toy-2-7B 的参数量约为 70亿。",  # sizes are named loosely
    "Toy-2-7B 需要 16GB 显存来存放参数。",  # memory is not a parameter count
    "Toy-2-70B 使用 GQA，Toy-2-7B 使用 MHA。",
    "Toy 2 的上下文从 2048 扩展到 4096 层。",  # a change states no single value
    "WidgetNorm 使用均方根规范化器。",  # an extension alias of rmsnorm
])
def test_passes(lint, text):
    assert lint(text) == []


def test_generated_claims_are_listed_and_checked(run_cli, tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "toy.yaml").write_text(TABLE, encoding="utf-8")
    r = run_cli("claims", "check", "--claims", kb)
    assert r.exit_code == 0, r.output
    shown = run_cli("claims", "show", "model-facts/toy-2/attention/gqa", "--claims", kb)
    assert "misleading" in shown.output and "Toy-2-70B" in shown.output


USER_EXTENSION = """schema_version: 1
entities:
  gpt-3:
    extend: true
    aliases: [GPT三代]
  llama-2:
    extend: true
    aliases: [羊驼二代]
"""


def test_user_folder_extends_bundled_entities(run_cli, tmp_path, monkeypatch):
    """A plain claims file in the user's folder adds spellings to a bundled entity (gpt-3, from a topic
    file) and to a bundled model of the fact table (llama-2); the bundled claims then read them, through
    --claims and through the config's claims folders."""
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "mine.yaml").write_text(USER_EXTENSION, encoding="utf-8")
    note = tmp_path / "n.md"
    note.write_text("GPT三代 采用 Post-LN 结构。\n\n羊驼二代 使用 LayerNorm 做归一化。\n", encoding="utf-8")

    def claims_of(*args):
        r = run_cli("lint", "--no-cache", "--format", "json", "--fail-on", "never", *args, note)
        assert r.exit_code == 0, r.output
        return {(f["line"], f["claim"]) for f in json.loads(r.output)["findings"]}

    assert claims_of("--no-config") == set()  # without the extension neither spelling is known
    found = claims_of("--no-config", "--claims", kb)
    assert (1, "gpt3-uses-post-ln") in found, found
    assert any(line == 3 and "llama" in claim for line, claim in found), found  # Llama 2 uses RMSNorm
    (tmp_path / ".lint-notes.yaml").write_text("claims: [kb]\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert (1, "gpt3-uses-post-ln") in claims_of("--config", tmp_path / ".lint-notes.yaml")
    shown = run_cli("claims", "check", "--no-config", "--claims", kb, "--claim", "gpt3-uses-post-ln")
    assert shown.exit_code == 0, shown.output


def test_user_extension_cannot_take_another_entitys_alias(run_cli, tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "bad.yaml").write_text("schema_version: 1\nentities:\n  gpt-3:\n    extend: true\n    aliases: [BERT]\n",
                                 encoding="utf-8")
    r = run_cli("claims", "check", "--no-config", "--claims", kb)
    assert r.exit_code != 0
    assert "bad.yaml:5" in r.output and "already an alias of 'bert'" in r.output, r.output


MORE = f"""schema_version: 1
models:
  toy-2:
    sizes:
      toy-2-7b:
        facts:
          heads: {{value: 32, citation: {CITE}}}
"""


def test_a_later_table_adds_cells_to_a_size_named_elsewhere(run_cli, tmp_path):
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "toy.yaml").write_text(TABLE, encoding="utf-8")
    (kb / "toy-more.yaml").write_text(MORE, encoding="utf-8")
    assert run_cli("claims", "check", "--claims", kb).exit_code == 0
    note = tmp_path / "n.md"
    note.write_text("Toy-2-7B 有 40 个注意力头。\n", encoding="utf-8")
    r = run_cli("lint", "--no-cache", "--no-config", "--claims", kb, "--format", "json", "--fail-on", "never", note)
    assert ("model-facts/toy-2-7b/heads", "false") in [(f["claim"], f["verdict"]) for f in json.loads(r.output)["findings"]]
    # a size may not be moved under another model
    (kb / "toy-more.yaml").write_text(MORE.replace("toy-2:", "toy-3:\n    aliases: [Toy 3]"), encoding="utf-8")
    assert run_cli("claims", "check", "--claims", kb).exit_code != 0
