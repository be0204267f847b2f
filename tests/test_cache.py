"""The compiled knowledge base cache: used when current, rebuilt when a file changes or it is damaged."""

from __future__ import annotations

import shutil

from lint_notes.knowledge.cache import cache_dir, load_linter

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


def test_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("LINT_NOTES_CACHE_DIR", str(tmp_path / "cache"))
    claims = _kb_copy(tmp_path)
    load_linter([claims], [ROOT / "rules"], bundled=False)
    [f] = list(cache_dir().glob("kb-*.pickle"))
    f.write_bytes(b"not a pickle")
    linter = load_linter([claims], [ROOT / "rules"], bundled=False)
    assert linter.lint_text("GPT-3 采用 Post-LN 结构。").findings
    assert f.read_bytes() != b"not a pickle"
