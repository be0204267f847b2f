"""The HTML study sheet in a real headless browser (Debian's chromium), when one is installed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import EXAMPLES

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless browser installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_sheet_renders_in_a_browser(run_cli, tmp_path):
    page = tmp_path / "sheet.html"
    assert run_cli("sheet", EXAMPLES / "llm-interview-notes.md", "-o", page, "--format", "html").exit_code == 0
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run([BROWSER, *FLAGS, *profile, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert dom.count('class="lint-notes-correction"') >= 20  # every correction reached the rendered page
    assert "<del" in dom and 'class="toc"' in dom and 'href="https://arxiv.org/abs/2005.14165"' in dom
    shot = tmp_path / "sheet.png"
    subprocess.run([BROWSER, *FLAGS, *profile, "--window-size=1000,1400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
