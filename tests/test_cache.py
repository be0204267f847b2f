"""Speed without a change in output: the compiled knowledge base cache, the per-file result cache,
and the collector settings of a lint run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from lint_notes.knowledge.cache import cache_dir, load_linter
from lint_notes.resultcache import FORMAT

from conftest import ROOT


def _kb_copy(tmp_path):
    claims = tmp_path / "claims"
    shutil.copytree(ROOT / "claims", claims)
    return claims


def test_cache_is_reused_and_invalidated(tmp_path, monkeypatch):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    claims = _kb_copy(tmp_path)
    first = load_linter([claims], [ROOT / "rules"], bundled=False)
    files = list((tmp_path / "cache").glob("kb-*.pickle"))
    assert len(files) == 1 and (files[0].stat().st_mode & 0o777) == 0o600
    again = load_linter([claims], [ROOT / "rules"], bundled=False)
    assert again.kb.fingerprint == first.kb.fingerprint
    assert again.lint_text("GPT-3 采用 Post-LN 结构。").findings[0].claim == "gpt3-uses-post-ln"
    # edit a claim: a new key, and the change is seen
    seed = claims / "seed-notes.yaml"
    seed.write_text(seed.read_text(encoding="utf-8").replace("id: gpt3-uses-post-ln", "id: gpt3-post-ln-renamed"),
                    encoding="utf-8")
    changed = load_linter([claims], [ROOT / "rules"], bundled=False)
    assert changed.lint_text("GPT-3 采用 Post-LN 结构。").findings[0].claim == "gpt3-post-ln-renamed"
    assert len(list((tmp_path / "cache").glob("kb-*.pickle"))) == 2


def test_a_cached_claim_unpacks_its_texts_when_first_read_and_equals_the_original():
    import pickle

    from lint_notes.knowledge.load import load_knowledge

    kb = load_knowledge()
    original = kb.claims["gpt3-uses-post-ln"]
    loaded = pickle.loads(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL)).claims["gpt3-uses-post-ln"]
    assert loaded.verdict == original.verdict and "_details" in vars(loaded)  # matching reads no texts
    assert loaded.correction == original.correction != "" and "_details" not in vars(loaded)
    assert loaded == original and hash(loaded) == hash(original)
    # packed or not, a claim pickles again to an equal claim, and defaults still apply to new claims
    again = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(original)), protocol=pickle.HIGHEST_PROTOCOL))
    assert again == original and again.examples_flag == original.examples_flag
    bare = type(original)(id="x", topic="t", statement="s", statement_zh="s", verdict="true", match=original.match,
                          citations=())
    assert bare.correction == "" and bare.examples_pass == () and pickle.loads(pickle.dumps(bare)) == bare


def test_a_cached_knowledge_base_unpacks_its_entities_and_fact_tables_when_first_read():
    import pickle

    from lint_notes.knowledge.load import load_knowledge

    kb = load_knowledge()
    loaded = pickle.loads(pickle.dumps(kb, protocol=pickle.HIGHEST_PROTOCOL))
    assert "entities" not in vars(loaded) and "model_facts" not in vars(loaded)  # a lint reads neither
    assert loaded.claims.keys() == kb.claims.keys() and loaded.fingerprint == kb.fingerprint
    assert loaded.entities == kb.entities and len(loaded.entities) > 1000 and "entities" in vars(loaded)
    # pickled again with one field still packed, and then read: nothing is lost
    again = pickle.loads(pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.model_facts == kb.model_facts != [] and again.entities == kb.entities
    with pytest.raises(AttributeError):
        loaded.no_such_field
    # the entity ids of the match specs are shared strings, so the cache stores each once
    specs = [c.match for c in kb.claims.values() if c.match.form == "slot"]
    subjects = {}
    for spec in specs:
        for eid in spec.subject:
            assert subjects.setdefault(eid, eid) is eid


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    claims = _kb_copy(tmp_path)
    load_linter([claims], [ROOT / "rules"], bundled=False)
    [f] = list(cache_dir().glob("kb-*.pickle"))
    f.write_bytes(b"not a pickle")
    linter = load_linter([claims], [ROOT / "rules"], bundled=False)
    assert linter.lint_text("GPT-3 采用 Post-LN 结构。").findings
    assert f.read_bytes() != b"not a pickle"


# --- results of unchanged files -------------------------------------------------------------
def _lint(run_cli, *args):
    return run_cli("lint", "--format", "json", "--fail-on", "never", "--jobs", "1", *args)


def _entries(root):
    return sorted(root.glob("results-*/*/*.json"))


def _notes(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    shutil.copy(ROOT / "examples" / "llm-interview-notes.md", notes / "seed.md")
    (notes / "short.md").write_text("GPT-3 采用 Post-LN 结构。\n\n<!-- lint-notes-disable-next-line bert-* -->\n"
                                    "LLaMA 用 RMSNorm。\n", encoding="utf-8")
    return notes


def test_unchanged_files_come_from_the_cache_with_identical_output(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    first = _lint(run_cli, "--report-unused-suppressions", "--statistics", notes)
    assert len(_entries(tmp_path / "cache")) == 2
    stamps = [p.stat().st_mtime_ns for p in _entries(tmp_path / "cache")]

    from lint_notes import engine

    def refuse(*args, **kwargs):
        raise AssertionError("an unchanged file was linted again")

    monkeypatch.setattr(engine.Linter, "lint_bytes", refuse)
    second = _lint(run_cli, "--report-unused-suppressions", "--statistics", notes)
    assert second.output == first.output
    assert [p.stat().st_mtime_ns for p in _entries(tmp_path / "cache")] == stamps  # nothing rewritten
    data = json.loads(second.output)
    assert len(data["findings"]) >= 24
    assert any(f["claim"] == "unused-suppression" for f in data["findings"])  # suppressions survive the cache
    assert all(f["citations"] for f in data["findings"] if f["claim"] != "unused-suppression")


def test_an_edited_file_is_linted_again(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    before = json.loads(_lint(run_cli, notes).output)["findings"]
    (notes / "short.md").write_text("GPT-3 采用 Pre-LN 结构。\n", encoding="utf-8")
    after = json.loads(_lint(run_cli, notes).output)["findings"]
    assert any(f["path"].endswith("short.md") for f in before)
    assert not any(f["path"].endswith("short.md") for f in after)
    assert len(_entries(tmp_path / "cache")) == 3


def test_policy_changes_apply_to_cached_results(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    _lint(run_cli, notes)
    only = json.loads(_lint(run_cli, "--select", "gpt3-uses-post-ln", notes).output)["findings"]
    assert {f["claim"] for f in only} == {"gpt3-uses-post-ln"}


def test_damaged_or_foreign_entries_are_ignored(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    expected = _lint(run_cli, notes).output
    a, b = _entries(tmp_path / "cache")
    a.write_bytes(b"{not json")
    entry = json.loads(b.read_text(encoding="utf-8"))
    entry["findings"] = [["too", "short"]]
    b.write_text(json.dumps(entry), encoding="utf-8")
    assert _lint(run_cli, notes).output == expected
    assert json.loads(a.read_text(encoding="utf-8"))["format"] == FORMAT  # rewritten


def test_a_changed_knowledge_base_uses_other_entries(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    _lint(run_cli, notes)
    extra = tmp_path / "more-claims"
    extra.mkdir()
    (extra / "x.yaml").write_text("schema_version: 1\ntopic: extra\nentities:\n  extra-thing:\n"
                                  "    aliases: [ExtraThing]\n", encoding="utf-8")
    assert _lint(run_cli, "--claims", extra, notes).exit_code == 0
    assert len(list((tmp_path / "cache").glob("results-*"))) == 2


def test_no_cache_writes_nothing(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    result = _lint(run_cli, "--no-cache", notes)
    assert json.loads(result.output)["findings"]
    assert _entries(tmp_path / "cache") == []
    assert list((tmp_path / "cache").glob("kb-*.pickle"))  # the compiled knowledge base is still cached


def test_parallel_runs_fill_and_use_the_cache(tmp_path, monkeypatch):
    notes = tmp_path / "many"
    notes.mkdir()
    for i in range(8):
        (notes / f"n{i}.md").write_text(f"# {i}\n\nGPT-3 采用 Post-LN 结构。第 {i} 条。\n", encoding="utf-8")
    env = dict(os.environ, LINT_NOTES_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, str(ROOT / "cli.py"), "lint", "--format", "json", "--fail-on", "never", str(notes)]
    cold = subprocess.run([*cmd, "--jobs", "2"], capture_output=True, text=True, env=env, check=True)
    assert len(_entries(tmp_path / "cache")) == 8
    warm = subprocess.run([*cmd, "--jobs", "2"], capture_output=True, text=True, env=env, check=True)
    serial = subprocess.run([*cmd, "--jobs", "1", "--no-cache"], capture_output=True, text=True, env=env, check=True)
    assert cold.stdout == warm.stdout == serial.stdout
    assert len(json.loads(warm.stdout)["findings"]) == 8


def test_a_cache_that_cannot_be_written_only_costs_speed(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    notes = _notes(tmp_path)
    expected = _lint(run_cli, "--no-cache", notes).output
    from lint_notes import safewrite

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(safewrite, "write_bytes_atomic", full_disk)
    assert _lint(run_cli, notes).output == expected
    assert _entries(tmp_path / "cache") == []


def test_old_entries_and_other_keys_are_pruned(tmp_path):
    from lint_notes.findings import FileResult
    from lint_notes.resultcache import ResultCache

    root = tmp_path / "cache"
    old_key = root / "results-old"
    (old_key / "ab").mkdir(parents=True)
    (old_key / "ab" / "ab00.json").write_text("{}", encoding="utf-8")
    long_ago = time.time() - 40 * 86400
    os.utime(old_key, (long_ago, long_ago))
    cache = ResultCache(root, "new", {})
    cache.put("cd00", FileResult("a.md"))
    cache.put("ef00", FileResult("b.md"))
    stale = root / "results-new" / "ef" / "ef00.json"
    os.utime(stale, (long_ago, long_ago))
    cache.prune()
    assert not old_key.exists()
    assert not stale.exists()
    assert (root / "results-new" / "cd" / "cd00.json").exists()
    assert cache.get("cd00", "a.md").path == "a.md"
    cache.put("gh00", FileResult("c.md", error="cannot read: Permission denied"))
    assert cache.get("gh00", "c.md") is None  # a skipped file is never cached


def test_options_that_change_results_have_their_own_entries(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    note = tmp_path / "typo.md"
    note.write_text("LLaMAA 使用 LayerNorm。\n", encoding="utf-8")  # found only by typo tolerance
    fuzzy = json.loads(_lint(run_cli, note).output)["findings"]
    exact = json.loads(_lint(run_cli, "--no-fuzzy", note).output)["findings"]
    again = json.loads(_lint(run_cli, note).output)["findings"]
    assert len(fuzzy) == 1 and fuzzy[0]["confidence"] == "low"
    assert exact == []
    assert again == fuzzy


def test_collector_settings_are_restored_after_a_run(tmp_path, run_cli):
    import gc

    from lint_notes.runner import tuned_gc

    before = gc.get_threshold()
    with tuned_gc():
        assert gc.get_threshold()[0] == 50_000 and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    with pytest.raises(KeyError):
        with tuned_gc():
            raise KeyError("a failing run")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
    note = tmp_path / "n.md"
    note.write_text("GPT-3 采用 Post-LN 结构。\n", encoding="utf-8")
    assert json.loads(_lint(run_cli, "--no-cache", note).output)["findings"]
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_clean_removes_only_what_lint_notes_cached(tmp_path, monkeypatch, run_cli):
    cache = tmp_path / "cache"
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(cache))
    notes = _notes(tmp_path)
    _lint(run_cli, notes)
    (cache / "someone-elses.txt").write_text("keep me", encoding="utf-8")
    assert list(cache.glob("kb-*.pickle")) and len(_entries(cache)) == 2
    result = run_cli("clean")
    assert result.exit_code == 0
    assert "removed 1 compiled knowledge base(s) and 2 cached file result(s)" in result.output
    assert not list(cache.glob("kb-*.pickle")) and not list(cache.glob("results-*"))
    assert (cache / "someone-elses.txt").read_text(encoding="utf-8") == "keep me"
    assert json.loads(_lint(run_cli, notes).output)["findings"]  # and linting still works


def test_a_resident_linter_is_out_of_the_collectors_sight(tmp_path, monkeypatch):
    """A linter loaded from the cache for the rest of the process (a command, a worker) is frozen for the
    cycle collector, which stays enabled; one loaded otherwise (the language server) is not."""
    import gc

    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    claims = ROOT / "claims"
    load_linter([claims], [ROOT / "rules"], bundled=False)  # fills the cache
    gc.unfreeze()
    try:
        plain = load_linter([claims], [ROOT / "rules"], bundled=False)
        assert gc.isenabled() and gc.get_freeze_count() == 0
        resident = load_linter([claims], [ROOT / "rules"], bundled=False, resident=True)
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert len(plain.kb.claims) == len(resident.kb.claims)
    finally:
        gc.unfreeze()
