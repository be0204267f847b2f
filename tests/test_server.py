"""``lint-notes server``: the language server, driven by a real LSP client over stdio.

Each test starts the server as a subprocess and talks JSON-RPC to it with pytest-lsp's client
(capabilities of a real editor), with a time limit on every wait. The transcript of the main
session is written to $LINT_NOTES_LSP_TRANSCRIPT when that is set.
"""

from __future__ import annotations

import asyncio
import os

import pytest

pytest.importorskip("pygls")
pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402

from conftest import EXAMPLES  # noqa: E402
from lsp_session import Session, position_of, run  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error::pytest_lsp.LspSpecificationWarning")

WRONG = "GPT-3 采用 Post-LN 结构。"
MQA = "MQA 中每个查询与多个键值对交互。"
NOTE = f"# 笔记\n\n前言。{WRONG}\n\n{MQA}\n"


@pytest.fixture()
def workspace(tmp_path):
    ws = tmp_path / "notes"
    ws.mkdir()
    (ws / ".git").mkdir()
    return ws


def by_code(diagnostics) -> dict:
    return {d.code: d for d in diagnostics}


def _off(text, pos):
    from lsp_session import offset_of

    return offset_of(text, pos)


# --- the main session: initialize -> diagnostics -> edit -> code action -> apply ----------------------
def test_session_diagnostics_hover_edits_and_code_actions(workspace):
    (workspace / ".lint-notes.yaml").write_text("severity: {mqa-each-query-many-kv-pairs: warning}\n")
    note = workspace / "n.md"
    note.write_text(NOTE, encoding="utf-8")

    async def scenario():
        s = Session(workspace, {"debounceMs": 50})
        try:
            init = await s.start()
            caps = init.capabilities
            assert init.server_info.name == "lint-notes"
            assert caps.hover_provider and caps.code_action_provider
            assert "lint-notes.openSource" in caps.execute_command_provider.commands
            assert caps.text_document_sync.change == lsp.TextDocumentSyncKind.Incremental

            # open: diagnostics with severity, claim id, link to the source
            uri = s.open(note, NOTE)
            diags = by_code(await s.diagnostics(uri, 1))
            assert set(diags) == {"gpt3-uses-post-ln", "mqa-each-query-many-kv-pairs"}
            gpt3 = diags["gpt3-uses-post-ln"]
            assert gpt3.severity == lsp.DiagnosticSeverity.Error and gpt3.source == "lint-notes"
            assert gpt3.range.start == lsp.Position(line=2, character=3)  # after 前言。 (UTF-16 units)
            assert _slice(NOTE, gpt3.range) == WRONG
            assert gpt3.code_description.href == "https://arxiv.org/abs/2005.14165"
            assert diags["mqa-each-query-many-kv-pairs"].severity == lsp.DiagnosticSeverity.Warning  # config

            # hover: the correction and the citations
            hover = await s.wait(s.client.text_document_hover_async(lsp.HoverParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=2, character=6))))
            assert "**Correction:**" in hover.contents.value and "Pre-LN" in hover.contents.value
            assert "(https://arxiv.org/abs/2005.14165)" in hover.contents.value
            assert hover.range == gpt3.range

            # edit: Post-LN -> Pre-LN; the updated diagnostics drop that finding
            start = NOTE.index("Post-LN")
            edit = lsp.TextEdit(range=lsp.Range(start=position_of(NOTE, start),
                                                end=position_of(NOTE, start + len("Post-LN"))), new_text="Pre-LN")
            v2 = s.change(uri, [edit])
            assert set(by_code(await s.diagnostics(uri, v2))) == {"mqa-each-query-many-kv-pairs"}

            # code actions for the remaining finding
            mqa = by_code(s.published[-1].diagnostics)["mqa-each-query-many-kv-pairs"]
            actions = await s.code_actions(uri, mqa.range, [mqa])
            titles = [a.title for a in actions]
            assert titles[0] == "Replace with the correction (mqa-each-query-many-kv-pairs)"
            assert "Suppress mqa-each-query-many-kv-pairs on this line" in titles
            assert any(t.startswith("Open the source: ") for t in titles)
            assert all(a.kind == lsp.CodeActionKind.QuickFix and a.diagnostics for a in actions)

            # apply "replace with the correction", as the editor would: the finding is gone
            replace = actions[0]
            [text_edit] = replace.edit.changes[uri]
            v3 = s.change(uri, [text_edit])
            assert "MQA" not in s.texts[uri].split("\n")[4] or s.texts[uri] != NOTE
            after = by_code(await s.diagnostics(uri, v3))
            assert "mqa-each-query-many-kv-pairs" not in after

            # put the wrong sentence back, and apply "suppress" instead
            v4 = s.replace_all(uri, NOTE)
            diags = by_code(await s.diagnostics(uri, v4))
            actions = await s.code_actions(uri, diags["gpt3-uses-post-ln"].range, [diags["gpt3-uses-post-ln"]])
            suppress = next(a for a in actions if a.title.startswith("Suppress gpt3-uses-post-ln"))
            v5 = s.change(uri, suppress.edit.changes[uri])
            assert "<!-- lint-notes-disable-line gpt3-uses-post-ln -->" in s.texts[uri]
            assert set(by_code(await s.diagnostics(uri, v5))) == {"mqa-each-query-many-kv-pairs"}

            # open the source: the server asks the editor to show the page
            source = next(a for a in actions if a.title.startswith("Open the source"))
            await s.wait(s.client.workspace_execute_command_async(lsp.ExecuteCommandParams(
                command=source.command.command, arguments=source.command.arguments)))
            shown = s.client.shown_documents[-1]
            assert shown.uri.startswith("https://") and shown.external is True

            # save: linted again; close: the diagnostics are cleared
            s.client.text_document_did_save(lsp.DidSaveTextDocumentParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri)))
            assert set(by_code(await s.diagnostics(uri, v5, fresh=True))) == {"mqa-each-query-many-kv-pairs"}
            s.client.text_document_did_close(lsp.DidCloseTextDocumentParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri)))
            assert await s.until(lambda: s.published[-1].diagnostics == [] and s.published[-1].uri == uri,
                                 what="cleared diagnostics")
        finally:
            await s.stop()
            out = os.environ.get("LINT_NOTES_LSP_TRANSCRIPT")
            if out:
                s.transcript.dump(out, int(os.environ.get("LINT_NOTES_LSP_TRANSCRIPT_LIMIT", "600")))
        assert not [m for m in s.client.messages if m.type == lsp.MessageType.Error]

    run(scenario())


def _slice(text: str, r: lsp.Range) -> str:
    return text[_off(text, r.start):_off(text, r.end)]


# --- the project: configuration, review decisions, user claims, reloading ------------------------------
WIDGET_CLAIM = """\
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


def test_project_config_decisions_user_claims_and_reload(workspace, tmp_path, run_cli, monkeypatch):
    kb = workspace / "kb"
    kb.mkdir()
    (kb / "widget.yaml").write_text(WIDGET_CLAIM, encoding="utf-8")
    user = tmp_path / "my-claims"  # a claims folder of the user's own, given by the editor
    user.mkdir()
    gadget = (WIDGET_CLAIM.replace("widget", "gadget").replace("WidgetX", "GadgetY").replace("blue", "green")
              .replace("蓝色", "绿色"))
    (user / "gadget.yaml").write_text(gadget, encoding="utf-8")
    (workspace / ".lint-notes.yaml").write_text("claims: [kb]\nignore: [mqa-*]\n")
    text = f"{WRONG}\n\n{MQA}\n\nWidgetX 是蓝色的。\n\nGadgetY 是绿色的。\n\nLLaMA 使用 GeLU 激活函数。\n"
    note = workspace / "sub" / "n.md"
    note.parent.mkdir()
    note.write_text(text, encoding="utf-8")
    # a reviewer dismissed one finding (recorded with the CLI, as a reviewer would)
    monkeypatch.chdir(workspace)
    ids = [line.split()[0] for line in run_cli("review", "--list", note).stdout.splitlines() if "[gpt3" in line]
    assert run_cli("review", note, "--decide", f"{ids[0]}=dismiss", "--reason", "quoted").exit_code == 0
    monkeypatch.chdir(tmp_path)

    async def scenario():
        s = Session(workspace, {"claims": [str(user)], "debounceMs": 50})
        try:
            await s.start()
            uri = s.open(note, text)
            codes = set(by_code(await s.diagnostics(uri, 1)))
            assert "widget-is-blue" in codes and "gadget-is-green" in codes  # project and user claims
            assert "gpt3-uses-post-ln" not in codes  # dismissed by a reviewer
            assert not any(c.startswith("mqa-") for c in codes)  # ignored by the configuration
            # the claim file changes: the knowledge base is reloaded and the note linted again
            (kb / "widget.yaml").write_text(WIDGET_CLAIM.replace("id: widget-is-blue", "id: widget-is-not-red"),
                                            encoding="utf-8")
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
                uri=(kb / "widget.yaml").as_uri(), type=lsp.FileChangeType.Changed)]))
            codes = set(by_code(await s.diagnostics(uri, 1, fresh=True)))
            assert "widget-is-not-red" in codes and "widget-is-blue" not in codes
            # a broken claim file: the last good knowledge base is kept, and the editor is told
            (kb / "widget.yaml").write_text("schema_version: 1\nclaims: [{id: broken}]\n", encoding="utf-8")
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
                uri=(kb / "widget.yaml").as_uri(), type=lsp.FileChangeType.Changed)]))
            codes = set(by_code(await s.diagnostics(uri, 1, fresh=True)))
            assert "widget-is-not-red" in codes
            assert any("knowledge base is invalid" in m.message and "widget.yaml" in m.message
                       for m in s.client.messages)
            # a typo in the configuration is reported with a suggestion
            (kb / "widget.yaml").write_text(WIDGET_CLAIM, encoding="utf-8")
            (workspace / ".lint-notes.yaml").write_text("claims: [kb]\nignore: [mqa-each-query-many-kv-pair]\n")
            s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(changes=[lsp.FileEvent(
                uri=(workspace / ".lint-notes.yaml").as_uri(), type=lsp.FileChangeType.Changed)]))
            await s.diagnostics(uri, 1, fresh=True)
            assert any("did you mean 'mqa-each-query-many-kv-pairs'" in m.message for m in s.client.messages)
            # a suppression comment with an unknown id is shown where it is
            bad = "<!-- lint-notes-disable-next-line gpt3-uses-post-lnn -->\n" + text
            v = s.replace_all(uri, bad)
            [d] = [d for d in await s.diagnostics(uri, v) if d.code == "suppression-comment"]
            assert d.range.start.line == 0 and "did you mean 'gpt3-uses-post-ln'" in d.message
        finally:
            await s.stop()

    run(scenario())


# --- robustness --------------------------------------------------------------------------------------
def _frame(body: bytes) -> bytes:
    return b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body


def test_malformed_messages_do_not_stop_the_server(workspace):
    note = workspace / "n.md"

    async def scenario():
        s = Session(workspace)
        try:
            await s.start()
            raw = s.recorder.raw
            raw(_frame(b"{not json"))
            raw(b"this is not a header\r\n\r\n")
            raw(_frame(b'{"foo": 1}'))
            raw(_frame(b"[1, 2, 3]"))
            raw(_frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 7}}'
                       .encode()))
            raw(_frame(b'{"jsonrpc": "2.0", "id": 901, "method": "textDocument/hover", "params": {"textDocument": 5}}'))
            raw(_frame(b'{"jsonrpc": "2.0", "id": 902, "method": "lint-notes/no-such-method", "params": {}}'))
            raw(_frame(b'{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": '
                       b'{"uri": "file:///nowhere/x.md", "version": 2}, "contentChanges": [{"text": "x"}]}}'))
            raw(_frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": '
                       '"file:///nowhere/\udcff.md", "languageId": "markdown", "version": 1, "text": "\\ud800"}}}'
                       .encode("utf-8", "surrogateescape")))
            # requests with unreadable parameters or unknown methods are answered with errors
            assert (await s.until(lambda: s.response_to(901), 30))["error"]["code"] == -32602
            assert (await s.until(lambda: s.response_to(902), 30))["error"]["code"] == -32601
            # and the server still works
            uri = s.open(note, NOTE)
            assert set(by_code(await s.diagnostics(uri, 1))) == {"gpt3-uses-post-ln", "mqa-each-query-many-kv-pairs"}
            assert s.client._server.returncode is None
        finally:
            await s.stop()

    run(scenario())


def test_a_5_mb_document_and_no_stale_result(workspace):
    seed = (EXAMPLES / "llm-interview-notes.md").read_text(encoding="utf-8")
    copies = 5_000_000 // len(seed.encode("utf-8")) + 1
    big = "\n\n".join([seed] * copies)
    assert len(big.encode("utf-8")) > 5_000_000
    note = workspace / "big.md"

    async def scenario():
        s = Session(workspace, {"debounceMs": 50})
        try:
            await s.start()
            uri = s.open(note, big)
            # edited at once, while version 1 is being linted: version 1 must never be published
            start = lsp.Position(line=0, character=0)
            v2 = s.change(uri, [lsp.TextEdit(range=lsp.Range(start=start, end=start), new_text=WRONG + "\n\n")])
            diags = await s.diagnostics(uri, v2, timeout=400)
            assert [p.version for p in s.published if p.uri == uri] == [v2]
            assert len(diags) == 1000  # capped (maxDiagnostics); sorted from the top
            assert diags[0].code == "gpt3-uses-post-ln" and diags[0].range.start.line == 0
            lines = s.texts[uri].count("\n")
            assert all(0 <= d.range.start.line <= d.range.end.line <= lines for d in diags)
            # the server still answers
            hover = await s.wait(s.client.text_document_hover_async(lsp.HoverParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=2))))
            assert "gpt3-uses-post-ln" in hover.contents.value
        finally:
            await s.stop()

    run(scenario(), timeout=600)


def test_100_rapid_edits_end_with_the_latest_result(workspace):
    note = workspace / "n.md"
    right = NOTE.replace("Post-LN", "Pre-LN")

    async def scenario():
        s = Session(workspace, {"debounceMs": 20}, client="neovim", position_encodings=["utf-8"])
        try:
            await s.start()
            assert s.encoding == "utf-8"  # positions in bytes: every CJK character counts 3
            uri = s.open(note, NOTE)
            first = by_code(await s.diagnostics(uri, 1))["gpt3-uses-post-ln"]
            assert first.range.start == lsp.Position(line=2, character=len("前言。".encode()))
            at = NOTE.index("Post-LN")
            for i in range(100):  # toggle Post-LN / Pre-LN, sometimes with a pause
                old, new = ("Post-LN", "Pre-LN") if s.texts[uri][at:at + 4] == "Post" else ("Pre-LN", "Post-LN")
                rng = lsp.Range(start=s.position(uri, at), end=s.position(uri, at + len(old)))
                s.change(uri, [lsp.TextEdit(range=rng, new_text=new)])
                if i % 10 == 9:
                    await asyncio.sleep(0.05)
            final = s.versions[uri]
            assert final == 101 and s.texts[uri] == NOTE  # 100 toggles: back to Post-LN
            diags = await s.diagnostics(uri, final)
            assert set(by_code(diags)) == {"gpt3-uses-post-ln", "mqa-each-query-many-kv-pairs"}
            # one more edit, the right statement: its result replaces the last one
            rng = lsp.Range(start=s.position(uri, at), end=s.position(uri, at + len("Post-LN")))
            final = s.change(uri, [lsp.TextEdit(range=rng, new_text="Pre-LN")])
            assert s.texts[uri] == right
            assert set(by_code(await s.diagnostics(uri, final))) == {"mqa-each-query-many-kv-pairs"}
            await asyncio.sleep(1.0)  # nothing older may arrive after the latest
            mine = [p for p in s.published if p.uri == uri]
            assert mine[-1].version == final
            versions = [p.version for p in mine]
            assert versions == sorted(versions)
            for p in mine:  # every published result is right for the text of its version
                wrong = p.version % 2 == 1  # odd versions hold Post-LN
                assert ("gpt3-uses-post-ln" in by_code(p.diagnostics)) == wrong, p.version
            assert s.client._server.returncode is None
        finally:
            await s.stop()

    run(scenario())


def test_server_command_help(run_cli):
    r = run_cli("server", "--help")
    assert r.exit_code == 0 and "language server" in r.output.lower()
