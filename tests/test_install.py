"""An installed lint-notes finds its bundled claims and rules (wheel and editable installs)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT

pytest.importorskip("hatchling")

RUN = (
    "import site, sys; site.addsitedir(sys.argv[1]); "
    "from lint_notes.cli import main; sys.argv = ['lint-notes'] + sys.argv[2:]; main()"
)


def _pip(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
                          capture_output=True, text=True, cwd=cwd)


def _run_installed(target, *args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-c", RUN, str(target), *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_wheel_ships_claims_and_rules(tmp_path):
    out = _pip("wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(ROOT))
    assert out.returncode == 0, out.stderr
    wheel = next((tmp_path / "dist").glob("lint_notes-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "lint_notes/_data/claims/entities.yaml" in names
    assert "lint_notes/_data/rules/default.yaml" in names
    target = tmp_path / "site"
    out = _pip("install", "--no-deps", "--target", str(target), str(wheel))
    assert out.returncode == 0, out.stderr
    assert (target / "bin" / "lint-notes").exists()
    r = _run_installed(target, "lint", "--format", "json", str(ROOT / "examples" / "llm-interview-notes.md"),
                       cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert '"claim": "gpt3-uses-post-ln"' in r.stdout
    r = _run_installed(target, "claims", "list", cwd=tmp_path)
    assert "gpt3-uses-post-ln" in r.stdout


def test_editable_install_uses_the_source_tree(tmp_path):
    target = tmp_path / "site"
    out = _pip("install", "--no-deps", "--no-build-isolation", "--target", str(target), "-e", str(ROOT))
    assert out.returncode == 0, out.stderr
    r = _run_installed(target, "claims", "show", "gpt3-uses-post-ln", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert str(ROOT / "claims") in r.stdout
