"""A real LSP client session with ``lint-notes server`` (a subprocess, JSON-RPC over its standard
input and output), for the language-server tests: pytest-lsp's client (pygls), with every message
recorded, diagnostics kept per version, and a timeout on every wait so that nothing can hang."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field

from lsprotocol import types as lsp
from pytest_lsp import client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, LanguageClient, register_lsp_features
from pygls.protocol import default_converter

SERVER = [sys.executable, "-m", "lint_notes", "server"]
TIMEOUT = float(os.environ.get("LINT_NOTES_LSP_TIMEOUT", "120"))


@dataclass
class Published:
    uri: str
    version: int | None
    diagnostics: list
    at: float


@dataclass
class Transcript:
    """Every JSON-RPC message, in order: ("client", message) or ("server", message)."""

    messages: list = field(default_factory=list)
    start: float = field(default_factory=time.monotonic)

    def add(self, who: str, message: dict) -> None:
        self.messages.append((round(time.monotonic() - self.start, 3), who, message))

    def dump(self, path, limit: int = 600) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            for t, who, msg in self.messages:
                text = json.dumps(msg, ensure_ascii=False)
                if len(text) > limit:
                    text = text[:limit] + f"… ({len(text)} characters)"
                arrow = "-->" if who == "client" else "<--"
                fh.write(f"[{t:8.3f}s] {arrow} {text}\n")


class _Recorder:
    """Wraps the server's standard input: records what the client sends."""

    def __init__(self, writer, transcript: Transcript):
        self.writer, self.transcript = writer, transcript

    def write(self, data: bytes):
        try:
            body = data.split(b"\r\n\r\n", 1)[1]
            self.transcript.add("client", json.loads(body))
        except (IndexError, ValueError):
            self.transcript.add("client", {"raw": data.decode("utf-8", "replace")})
        return self.writer.write(data)

    def close(self):
        return self.writer.close()

    def raw(self, data: bytes) -> None:
        """Bytes sent as they are (malformed messages)."""
        self.transcript.add("client", {"raw": data.decode("utf-8", "replace")})
        self.writer.write(data)


class Session:
    def __init__(self, cwd, options: dict | None = None, client: str = "visual-studio-code",
                 position_encodings: list[str] | None = None):
        self.cwd = cwd
        self.options = options or {}
        self.capabilities = client_capabilities(client)
        if position_encodings:
            import attrs

            general = self.capabilities.general or lsp.GeneralClientCapabilities()
            self.capabilities.general = attrs.evolve(
                general, position_encodings=[lsp.PositionEncodingKind(e) for e in position_encodings])
        self.transcript = Transcript()
        self.published: list[Published] = []
        self.registrations: list = []
        self.changed = asyncio.Event()
        self.client: LanguageClient | None = None
        self.versions: dict[str, int] = {}
        self.encoding = "utf-16"  # what the server chose
        self.texts: dict[str, str] = {}

    # --- set-up ---------------------------------------------------------------------------------
    async def start(self) -> lsp.InitializeResult:
        client = LanguageClient(converter_factory=default_converter)
        session = self

        def publish(ls, params: lsp.PublishDiagnosticsParams):
            session.published.append(Published(params.uri, params.version, list(params.diagnostics),
                                               time.monotonic()))
            session.changed.set()

        def register(ls, params: lsp.RegistrationParams):
            session.registrations.extend(params.registrations)

        register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
                                       lsp.CLIENT_REGISTER_CAPABILITY: register})
        original = client.protocol.structure_message

        def structure(data):
            if isinstance(data, dict) and "jsonrpc" in data:
                session.transcript.add("server", data)
                session.changed.set()
            return original(data)

        client.protocol.structure_message = structure
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        await client.start_io(*SERVER, cwd=str(self.cwd), env=env)
        client.protocol.writer = self.recorder = _Recorder(client.protocol.writer, self.transcript)
        self.client = client
        result = await self.wait(client.initialize_session(lsp.InitializeParams(
            capabilities=self.capabilities, root_uri=self.cwd.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=self.cwd.as_uri(), name="notes")],
            initialization_options=self.options)))
        self.encoding = str(getattr(result.capabilities.position_encoding, "value", None)
                            or result.capabilities.position_encoding or "utf-16")
        return result

    def position(self, uri: str, offset: int) -> lsp.Position:
        return position_of(self.texts[uri], offset, self.encoding)

    def offset(self, uri: str, pos: lsp.Position) -> int:
        return offset_of(self.texts[uri], pos, self.encoding)

    async def stop(self) -> None:
        client = self.client
        if client is None:
            return
        server = client._server
        try:
            await asyncio.wait_for(client.shutdown_session(), 20)
        except Exception:
            pass
        if server is not None and server.returncode is None:
            try:
                await asyncio.wait_for(server.wait(), 10)
            except asyncio.TimeoutError:
                server.kill()
                await server.wait()
        try:
            await asyncio.wait_for(client.stop(), 10)
        except Exception:
            pass

    # --- waiting ------------------------------------------------------------------------------------
    async def wait(self, awaitable, timeout: float = TIMEOUT):
        return await asyncio.wait_for(awaitable, timeout)

    async def until(self, test, timeout: float = TIMEOUT, what: str = "a message"):
        """Wait until ``test()`` returns something true; returns it."""
        deadline = time.monotonic() + timeout
        while True:
            value = test()
            if value:
                return value
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
            except asyncio.TimeoutError:
                pass

    async def diagnostics(self, uri: str, version: int | None = None, timeout: float = TIMEOUT,
                          fresh: bool = False) -> list:
        """The diagnostics published for this version of the note (any version if ``None``); with
        ``fresh``, only those published from now on."""
        seen = len(self.published) if fresh or version is None else 0

        def found():
            for p in self.published[seen:]:
                if p.uri == uri and (version is None or p.version == version):
                    return p
            return None

        p = await self.until(found, timeout, f"diagnostics of {uri} version {version}")
        return p.diagnostics

    async def code_actions(self, uri: str, rng: lsp.Range, diagnostics: list) -> list[lsp.CodeAction]:
        """textDocument/codeAction, read as code actions (the client library would read an action that
        carries a command as a bare Command)."""
        import uuid

        msg_id = str(uuid.uuid4())
        params = lsp.CodeActionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), range=rng,
                                      context=lsp.CodeActionContext(diagnostics=diagnostics))
        await self.wait(self.client.protocol.send_request_async(lsp.TEXT_DOCUMENT_CODE_ACTION, params, msg_id=msg_id))
        raw = self.response_to(msg_id)
        converter = self.client.protocol._converter
        return [converter.structure(a, lsp.CodeAction) for a in raw.get("result") or []]

    def response_to(self, msg_id):
        for _, who, msg in self.transcript.messages:
            if who == "server" and msg.get("id") == msg_id and ("result" in msg or "error" in msg):
                return msg
        return None

    # --- documents ----------------------------------------------------------------------------------
    def open(self, path, text: str, language: str = "markdown") -> str:
        uri = path.as_uri()
        self.versions[uri], self.texts[uri] = 1, text
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=lsp.TextDocumentItem(
            uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, uri: str, edits: list[lsp.TextEdit]) -> int:
        """Apply edits as an editor would, and send them as incremental changes (in one message)."""
        self.versions[uri] += 1
        changes = []
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            self.texts[uri] = apply_edit(self.texts[uri], e, self.encoding)
            changes.append(lsp.TextDocumentContentChangePartial(range=e.range, text=e.new_text))
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=changes))
        return self.versions[uri]

    def replace_all(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]


def _units(ch: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(ch.encode("utf-8"))
    if encoding == "utf-32":
        return 1
    return 2 if ord(ch) > 0xFFFF else 1


def offset_of(text: str, pos: lsp.Position, encoding: str = "utf-16") -> int:
    """A position in ``text`` (in the negotiated units) -> a character offset."""
    lines = text.split("\n")
    base = sum(len(x) + 1 for x in lines[:pos.line])
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = 0
    for i, ch in enumerate(line):
        if units >= pos.character:
            return base + i
        units += _units(ch, encoding)
    return base + len(line)


def position_of(text: str, offset: int, encoding: str = "utf-16") -> lsp.Position:
    before = text[:offset]
    line = before.count("\n")
    col = before[before.rfind("\n") + 1:]
    return lsp.Position(line=line, character=sum(_units(ch, encoding) for ch in col))


def apply_edit(text: str, edit: lsp.TextEdit, encoding: str = "utf-16") -> str:
    a, b = offset_of(text, edit.range.start, encoding), offset_of(text, edit.range.end, encoding)
    return text[:a] + edit.new_text + text[b:]


def run(coro, timeout: float = 600):
    """Run a session scenario with an overall limit."""
    return asyncio.run(asyncio.wait_for(coro, timeout))
