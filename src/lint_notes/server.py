"""The language server: ``lint-notes server`` speaks the Language Server Protocol over standard
input and output (pygls), so that editors show findings while notes are written.

- Diagnostics when a note is opened, changed (after a pause in typing) and saved: severity, the
  claim id as the code, a link to the first source, the message in the note's language.
- Hover on a finding: the verdict, the claim, the correction and every source.
- Code actions: replace the sentence with the correction, add a suppression comment, open a source.
- Each note is linted as ``lint-notes lint`` would lint it from its own folder: the configuration
  found by walking up from the note (claims and rules folders, select, ignore, severity,
  max-file-size), the review decisions of its repository (dismissed findings are not shown), and the
  claims and rules folders given in the client's initialization options.
- A changed claim, rule or configuration file (saved in the editor, reported by the client's file
  watcher, or noticed on the next lint) reloads the knowledge base and lints the open notes again.

Linting runs on one background thread, so that messages keep flowing while a large note is
linted; a result is published only if the note has not changed since (no stale diagnostics).
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol

from lint_notes import __version__

logger = logging.getLogger("lint_notes.server")

OPEN_SOURCE = "lint-notes.openSource"
SOURCE = "lint-notes"
DEFAULT_DEBOUNCE_MS = 300
DEFAULT_MAX_DIAGNOSTICS = 1000
STAMP_INTERVAL = 1.0  # seconds between two looks at the knowledge files of a project
SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning,
            "info": lsp.DiagnosticSeverity.Information}
KNOWLEDGE_SUFFIXES = (".yaml", ".yml", ".toml")


# --- positions -------------------------------------------------------------------------------------
def _units(text: str, encoding: str) -> int:
    if encoding == lsp.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8"))
    if encoding == lsp.PositionEncodingKind.Utf32:
        return len(text)
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def to_position(src, offset: int, encoding: str) -> lsp.Position:
    """An offset in the LF text -> an LSP position in the client's units."""
    offset = max(0, min(offset, len(src.text)))
    line = src.line_of(offset)
    start = src.line_starts[line]
    return lsp.Position(line=line, character=_units(src.text[start:offset], encoding))


def to_offset(src, pos: lsp.Position, encoding: str) -> int:
    """An LSP position in the client's units -> an offset in the LF text."""
    if pos.line >= len(src.line_starts):
        return len(src.text)
    start, line = src.line(max(0, pos.line))
    if encoding == lsp.PositionEncodingKind.Utf32 or line.isascii():
        return start + min(pos.character, len(line))
    used = 0
    for i, ch in enumerate(line):
        if used >= pos.character:
            return start + i
        used += _units(ch, encoding)
    return start + len(line)


def to_range(src, start: int, end: int, encoding: str) -> lsp.Range:
    return lsp.Range(start=to_position(src, start, encoding), end=to_position(src, end, encoding))


def uri_to_path(uri: str) -> Path | None:
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


# --- one background thread, never joined at exit ---------------------------------------------------
class Worker:
    """Runs jobs one at a time on a daemon thread (a long lint never delays the process's exit)."""

    def __init__(self):
        self.jobs: queue.Queue = queue.Queue()
        threading.Thread(target=self._run, name="lint-notes-worker", daemon=True).start()

    def _run(self) -> None:
        while True:
            loop, future, fn, args = self.jobs.get()
            if future.cancelled():
                continue
            try:
                value = fn(*args)
            except BaseException as exc:  # handed to the awaiting coroutine
                loop.call_soon_threadsafe(_settle, future, None, exc)
            else:
                loop.call_soon_threadsafe(_settle, future, value, None)

    def submit(self, fn, *args) -> asyncio.Future:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.jobs.put((loop, future, fn, args))
        return future


def _settle(future: asyncio.Future, value, exc) -> None:
    if future.done():
        return
    if exc is not None:
        future.set_exception(exc)
    else:
        future.set_result(value)


# --- projects: configuration, knowledge base, decisions ---------------------------------------------
@dataclass
class Settings:
    """What the client may set in ``initializationOptions``."""

    claims: list[Path] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)
    bundled: bool = True
    fuzzy: bool = True
    debounce: float = DEFAULT_DEBOUNCE_MS / 1000
    max_diagnostics: int = DEFAULT_MAX_DIAGNOSTICS
    report_unused: bool = False

    @classmethod
    def of(cls, options) -> Settings:
        s = cls()
        if not isinstance(options, dict):
            return s
        folders = lambda key: [Path(os.path.expanduser(str(p))) for p in (options.get(key) or [])  # noqa: E731
                               if isinstance(p, str)]
        s.claims, s.rules = folders("claims"), folders("rules")
        s.bundled = options.get("bundled", True) is not False
        s.fuzzy = options.get("fuzzy", True) is not False
        if isinstance(options.get("debounceMs"), (int, float)) and options["debounceMs"] >= 0:
            s.debounce = options["debounceMs"] / 1000
        if isinstance(options.get("maxDiagnostics"), int) and options["maxDiagnostics"] > 0:
            s.max_diagnostics = options["maxDiagnostics"]
        s.report_unused = options.get("reportUnusedSuppressions") is True
        return s


@dataclass
class Project:
    """How notes under one configuration are linted."""

    key: str
    cfg: object
    linter: object
    opts: object  # runner.RunOptions
    vocab: object
    decisions: object  # decisions.DecisionSet
    folders: list[Path]
    stamp: tuple
    checked: float = 0.0
    decisions_stamp: tuple = ()


def _stamp(paths: list[Path]) -> tuple:
    """What changes when a knowledge or configuration file is edited, added or removed."""
    from lint_notes.knowledge.paths import yaml_files

    out = []
    for p in paths:
        try:
            files = yaml_files(p) if p.is_dir() else ([p] if p.exists() else [])
        except OSError:
            files = []
        for f in files:
            try:
                st = f.stat()
                out.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                pass
        if not files:
            out.append((str(p), 0, 0))
    return tuple(out)


@dataclass
class DocState:
    """The last published lint of a note."""

    version: int | None
    src: object  # report.frame.SourceText
    findings: list
    diagnostics: list
    markdown: bool
    project: Project | None = None


class _Protocol(LanguageServerProtocol):
    """Answers a request whose parameters cannot be read with an error, instead of dropping it
    (the client would wait for ever)."""

    def structure_message(self, data):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
                return _Answered()
            raise


class _Answered:
    """A message already answered with an error: nothing more to do."""

    jsonrpc = None


class NotesServer(LanguageServer):
    def __init__(self):
        super().__init__("lint-notes", __version__, protocol_cls=_Protocol,
                         text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental)
        self.settings = Settings()
        self.worker = Worker()
        self.projects: dict[str, Project] = {}
        self.linters: dict[tuple, object] = {}  # the same folders share one compiled linter
        self.states: dict[str, DocState] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.force_after = 0.0  # projects last checked before this look at their files again at once
        self.shown_problems: set[str] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.loop_thread: threading.Thread | None = None

    # --- errors ------------------------------------------------------------------------------------
    def report_server_error(self, error: Exception, source) -> None:
        """A malformed message or a failing handler: logged for the client, never fatal."""
        try:
            self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error,
                                                         message=f"lint-notes: {type(error).__name__}: {error}"))
        except Exception:  # pragma: no cover - nothing more can be done
            logger.exception("cannot report an error")

    def _on_loop(self, fn, *args) -> None:
        """Messages go out from the event loop's thread only (never interleaved with others)."""
        loop = self.loop
        if loop is not None and threading.current_thread() is not self.loop_thread:
            loop.call_soon_threadsafe(fn, *args)
        else:
            fn(*args)

    def tell(self, message: str, kind=lsp.MessageType.Error, once: bool = True) -> None:
        if once and message in self.shown_problems:
            return
        self.shown_problems.add(message)
        self._on_loop(self.window_show_message, lsp.ShowMessageParams(type=kind, message=message))

    def log(self, message: str) -> None:
        self._on_loop(self.window_log_message, lsp.LogMessageParams(type=lsp.MessageType.Info, message=message))

    @property
    def encoding(self) -> str:
        try:
            return self.workspace.position_encoding or lsp.PositionEncodingKind.Utf16
        except Exception:
            return lsp.PositionEncodingKind.Utf16

    # --- projects (called on the worker thread only) ---------------------------------------------
    def project_for(self, path: Path | None) -> tuple[Project, list[str]]:
        """The project a note belongs to, loaded or reloaded as needed; and problems to show."""
        from lint_notes.config import load_config
        from lint_notes.errors import KnowledgeError

        folder = path.parent if path is not None and path.parent.is_dir() else self._root()
        problems: list[str] = []
        try:
            cfg = load_config(None, True, cwd=folder)
        except KnowledgeError as exc:
            from lint_notes.config import Config

            problems.append("lint-notes: the configuration is invalid, so it is not used:\n"
                            + "\n".join(str(p) for p in exc.problems))
            cfg = Config(root=folder)
        key = str(cfg.path) if cfg.path is not None else f"<none>{folder}"
        project = self.projects.get(key)
        now = time.monotonic()
        if project is not None and (project.checked <= self.force_after or now - project.checked > STAMP_INTERVAL):
            project.checked = now
            if _stamp(project.folders) != project.stamp:
                project = None  # a claim, rule or configuration file changed: load again
        if project is None:
            project, more = self._load_project(key, cfg)
            problems += more
            if project is None:
                old = self.projects.get(key)
                if old is None:
                    raise _ProjectError(problems)
                old.stamp, old.checked = _stamp(old.folders), now  # keep the last good one
                return old, problems
            self.projects[key] = project
        self._refresh_decisions(project)
        return project, problems

    def _root(self) -> Path:
        try:
            root = self.workspace.root_path
        except Exception:
            root = None
        return Path(root) if root else Path.cwd()

    def _load_project(self, key: str, cfg) -> tuple[Project | None, list[str]]:
        from lint_notes.decisions import DecisionSet, DecisionStore, repo_root
        from lint_notes.engine import Options
        from lint_notes.errors import KnowledgeError
        from lint_notes.knowledge.cache import load_linter
        from lint_notes.knowledge.paths import bundled_dirs
        from lint_notes.runner import RunOptions
        from lint_notes.selectors import Vocabulary, check_config

        s = self.settings
        claims, rules = [*cfg.claims, *s.claims], [*cfg.rules, *s.rules]
        folders = [*claims, *rules, *(bundled_dirs() if s.bundled else ())]
        if cfg.path is not None:
            folders.append(Path(cfg.path))
        stamp = _stamp(folders)
        problems: list[str] = []
        lkey = (tuple(map(str, claims)), tuple(map(str, rules)), s.bundled, s.fuzzy, stamp)
        linter = self.linters.get(lkey)
        if linter is None:
            try:
                linter = load_linter(claims, rules, s.bundled, Options(fuzzy=s.fuzzy))
            except KnowledgeError as exc:
                return None, [f"lint-notes: the knowledge base is invalid ({len(exc.problems)} problem"
                              f"{'s' if len(exc.problems) != 1 else ''}); the last valid one is kept:\n"
                              + "\n".join(str(p) for p in exc.problems[:20])]
            self.linters = {k: v for k, v in self.linters.items() if k[:4] != lkey[:4]}
            self.linters[lkey] = linter
        vocab = Vocabulary(linter.kb)
        bad = check_config(vocab, cfg)
        select, ignore, severity = tuple(cfg.select), tuple(cfg.ignore), dict(cfg.severity)
        if bad:
            problems.append("lint-notes: unknown claim ids, topics or rules in the configuration (select, ignore "
                            "and severity are not applied until they are fixed):\n"
                            + "\n".join(str(p) for p in bad))
            select, ignore, severity = (), (), {}
        opts = RunOptions(claims=claims, rules=rules, bundled=s.bundled, fuzzy=s.fuzzy, select=select,
                          ignore=ignore, severity=severity, report_unused=s.report_unused)
        decisions = None
        try:
            if cfg.decisions:
                decisions = DecisionSet(DecisionStore(cfg.decisions, cfg.root))
            else:
                decisions = DecisionSet(default_root=repo_root(cfg.root),
                                        config_root=cfg.root if cfg.path else None)
        except KnowledgeError as exc:
            problems.append(_decisions_problem(exc))
        project = Project(key, cfg, linter, opts, vocab, decisions, folders, stamp, time.monotonic())
        self.log(f"lint-notes: loaded {len(linter.kb.claims)} claims for {cfg.path or 'notes without a configuration'}")
        return project, problems

    def _refresh_decisions(self, project: Project) -> None:
        if project.decisions is None:
            return
        stores = [project.decisions.fixed] if project.decisions.fixed is not None else \
            list(project.decisions.stores.values())
        for store in stores:
            try:
                st = store.path.stat()
                mark = (st.st_mtime_ns, st.st_size)
            except OSError:
                mark = None
            if getattr(store, "_mark", "unset") != mark:
                try:
                    store.reload()
                except Exception:  # a broken file: keep what was read before
                    pass
                store._mark = mark

    # --- linting (worker thread) -----------------------------------------------------------------
    def lint_document(self, uri: str, text: str, version, language_id: str | None) -> tuple[DocState, list[str]]:
        from lint_notes.engine import file_kind
        from lint_notes.findings import Finding
        from lint_notes.report.frame import SourceText
        from lint_notes.runner import finalize
        from lint_notes.selectors import check_suppressions

        path = uri_to_path(uri)
        name = str(path) if path is not None else uri
        if path is not None and path.suffix:
            kind = file_kind(name)
        else:
            kind = "text" if language_id == "plaintext" else "markdown"
        src = SourceText.of(text)
        markdown = kind != "text"
        if kind == "notebook" or name.lower().endswith(KNOWLEDGE_SUFFIXES):
            return DocState(version, src, [], [], markdown), []  # not notes
        try:
            project, problems = self.project_for(path)
        except _ProjectError as exc:
            return DocState(version, src, [], [], markdown), exc.problems
        size = len(text.encode("utf-8", "surrogatepass"))
        if project.cfg.max_file_size and size > project.cfg.max_file_size:
            problems.append(f"lint-notes: {Path(name).name} is not linted: {size} bytes is more than max-file-size "
                            f"({project.cfg.max_file_size})")
            return DocState(version, src, [], [], markdown, project), problems
        result = project.linter.lint_text(text, name, markdown)
        findings = finalize([result], project.opts)
        if project.decisions is not None:
            from lint_notes.errors import KnowledgeError

            try:
                store = project.decisions
                findings = [f for f in findings
                            if not ((d := store.for_finding(f)) is not None and d.decision == "dismissed")]
            except KnowledgeError as exc:
                problems.append(_decisions_problem(exc))
        for p in check_suppressions(project.vocab, [result]):
            start, line = src.line(min(p.line, len(src.line_starts)) - 1)
            findings.append(Finding(
                path=name, line=p.line, column=1, end_line=p.line, end_column=len(line) + 1,
                rule="suppression-comment", claim="suppression-comment", verdict="unknown-name", severity="error",
                message=p.message, text="", correction="", citations=(), start=start, end=start + len(line)))
        findings.sort(key=lambda f: (f.start, f.claim))
        diagnostics = [self.diagnostic(src, f, version) for f in findings[:self.settings.max_diagnostics]]
        if len(findings) > self.settings.max_diagnostics:
            self.log(f"lint-notes: {Path(name).name}: showing the first {self.settings.max_diagnostics} of "
                     f"{len(findings)} findings (maxDiagnostics)")
        return DocState(version, src, findings, diagnostics, markdown, project), problems

    def diagnostic(self, src, f, version) -> lsp.Diagnostic:
        href = f.citations[0].url if f.citations else None
        return lsp.Diagnostic(
            range=to_range(src, f.start, f.end, self.encoding),
            message=f.message,
            severity=SEVERITY.get(f.severity, lsp.DiagnosticSeverity.Warning),
            code=f.claim,
            code_description=lsp.CodeDescription(href=href) if href else None,
            source=SOURCE,
            data={"claim": f.claim, "fingerprint": f.fingerprint, "verdict": f.verdict, "version": version},
        )

    # --- scheduling (event loop) ------------------------------------------------------------------
    def schedule(self, uri: str, delay: float) -> None:
        if self.loop is None:
            self.loop, self.loop_thread = asyncio.get_running_loop(), threading.current_thread()
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, delay))

    def schedule_all(self, knowledge_changed: bool = False) -> None:
        if knowledge_changed:
            self.force_after = time.monotonic()
            self.shown_problems.clear()  # say again what is still wrong
        for doc in list(self.workspace.text_documents.values()):
            self.schedule(doc.uri, 0)

    async def _lint_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            doc = self.workspace.text_documents.get(unquote(uri)) or self.workspace.text_documents.get(uri)
            if doc is None:
                return
            version, text = doc.version, doc.source
            state, problems = await self.worker.submit(self.lint_document, uri, text, version, doc.language_id)
            for p in problems:
                self.tell(p)
            current = self.workspace.text_documents.get(unquote(uri)) or self.workspace.text_documents.get(uri)
            if current is None or current.version != version or current.source != text:
                return  # changed meanwhile: the lint of the newer text is on its way
            self.states[uri] = state
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=state.diagnostics, version=version))
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # a bug must not stop the server; say what happened
            logger.exception("lint failed")
            self.tell(f"lint-notes: linting {uri} failed: {type(exc).__name__}: {exc}", once=False)
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]

    def fresh_state(self, uri: str) -> DocState | None:
        """The published lint of a note, if the note has not changed since."""
        state = self.states.get(uri)
        doc = self.workspace.text_documents.get(unquote(uri)) or self.workspace.text_documents.get(uri)
        if state is None or doc is None or doc.version != state.version:
            return None
        return state


def _decisions_problem(exc) -> str:
    return ("lint-notes: the review decisions cannot be read, so dismissed findings are shown:\n"
            + "\n".join(str(p) for p in exc.problems))


class _ProjectError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def build_server() -> NotesServer:
    ls = NotesServer()

    @ls.feature(lsp.INITIALIZE)
    def initialize(ls: NotesServer, params: lsp.InitializeParams):
        ls.settings = Settings.of(params.initialization_options)

    @ls.feature(lsp.INITIALIZED)
    async def initialized(ls: NotesServer, params: lsp.InitializedParams):
        caps = ls.client_capabilities
        watch = caps.workspace and caps.workspace.did_change_watched_files
        if watch and watch.dynamic_registration:
            watchers = [lsp.FileSystemWatcher(glob_pattern=g) for g in
                        ("**/*.yaml", "**/*.yml", "**/pyproject.toml")]
            try:
                await ls.client_register_capability_async(lsp.RegistrationParams(registrations=[
                    lsp.Registration(id="lint-notes-knowledge", method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                     register_options=lsp.DidChangeWatchedFilesRegistrationOptions(
                                         watchers=watchers))]))
            except Exception:  # the client said no: saved files and the next lint still notice changes
                pass

    @ls.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: NotesServer, params: lsp.DidOpenTextDocumentParams):
        ls.schedule(params.text_document.uri, 0)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: NotesServer, params: lsp.DidChangeTextDocumentParams):
        ls.schedule(params.text_document.uri, ls.settings.debounce)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: NotesServer, params: lsp.DidSaveTextDocumentParams):
        uri = params.text_document.uri
        if uri.lower().endswith(KNOWLEDGE_SUFFIXES):
            ls.schedule_all(knowledge_changed=True)  # a claim, rule or configuration file: every note may change
        else:
            ls.schedule(uri, 0)

    @ls.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: NotesServer, params: lsp.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.states.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: NotesServer, params: lsp.DidChangeWatchedFilesParams):
        if any(c.uri.lower().endswith(KNOWLEDGE_SUFFIXES) for c in params.changes):
            ls.schedule_all(knowledge_changed=True)

    @ls.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration(ls: NotesServer, params: lsp.DidChangeConfigurationParams):
        ls.schedule_all(knowledge_changed=True)

    @ls.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: NotesServer, params: lsp.HoverParams):
        state = ls.fresh_state(params.text_document.uri)
        if state is None:
            return None
        at = to_offset(state.src, params.position, ls.encoding)
        hits = [f for f in state.findings if f.start <= at < max(f.end, f.start + 1)]
        if not hits:
            return None
        claims = state.project.linter.kb.claims if state.project is not None else {}
        text = "\n\n---\n\n".join(hover_markdown(f, claims.get(f.claim)) for f in hits)
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
                         range=to_range(state.src, hits[0].start, hits[0].end, ls.encoding))

    @ls.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]))
    def code_action(ls: NotesServer, params: lsp.CodeActionParams):
        uri = params.text_document.uri
        state = ls.fresh_state(uri)
        if state is None:
            return []
        a = to_offset(state.src, params.range.start, ls.encoding)
        b = to_offset(state.src, params.range.end, ls.encoding)
        hits = [f for f in state.findings if f.start <= b and a <= f.end and f.rule != "suppression-comment"]
        return [action for f in hits for action in code_actions(ls, uri, state, f)]

    @ls.command(OPEN_SOURCE)
    async def open_source(ls: NotesServer, *args):
        url = args[0] if args and isinstance(args[0], str) else (args[0][0] if args and args[0] else None)
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return None
        show = ls.client_capabilities.window and ls.client_capabilities.window.show_document
        if show and show.support:
            result = await ls.window_show_document_async(lsp.ShowDocumentParams(uri=url, external=True))
            return {"shown": bool(result and result.success)}
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=f"Source: {url}"))
        return {"shown": False}

    return ls


def hover_markdown(f, claim) -> str:
    """A finding for a hover: verdict, claim, correction, every source."""
    if f.rule == "suppression-comment":
        return f"**lint-notes** · {f.message}"
    from lint_notes.report.text import claim_text

    out = [f"**lint-notes: {f.verdict}** · `{f.claim}` ({f.severity})"]
    if claim is not None:
        out.append(f"**Claim:** {claim_text(f, claim)}")
    if f.correction:
        out.append(f"**Correction:** {f.correction}")
    if f.citations:
        cites = []
        for c in f.citations:
            line = f"- [{c.title}]({c.url}), {c.locator}"
            if c.quote:
                line += f': "{c.quote}"'
            cites.append(line)
        out.append("**Sources:**\n" + "\n".join(cites))
    return "\n\n".join(out)


def code_actions(ls: NotesServer, uri: str, state: DocState, f) -> list[lsp.CodeAction]:
    from lint_notes.sheet import _inline
    from lint_notes.suppress_add import plan

    enc = ls.encoding
    diag = next((d for d in state.diagnostics if d.code == f.claim
                 and d.range == to_range(state.src, f.start, f.end, enc)), None)
    diags = [diag] if diag is not None else None
    out = []
    if f.correction:
        new = _inline(f.correction) if state.markdown else " ".join(f.correction.split())
        out.append(lsp.CodeAction(
            title=f"Replace with the correction ({f.claim})", kind=lsp.CodeActionKind.QuickFix, diagnostics=diags,
            edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=to_range(state.src, f.start, f.end, enc),
                                                               new_text=new)]})))
    for ins in plan(state.src.text, [f], state.markdown):
        pos = to_position(state.src, ins.offset, enc)
        out.append(lsp.CodeAction(
            title=f"Suppress {f.claim} on this line", kind=lsp.CodeActionKind.QuickFix, diagnostics=diags,
            edit=lsp.WorkspaceEdit(changes={uri: [lsp.TextEdit(range=lsp.Range(start=pos, end=pos),
                                                               new_text=ins.text)]})))
    for c in f.citations[:3]:
        out.append(lsp.CodeAction(
            title=f"Open the source: {c.title}", kind=lsp.CodeActionKind.QuickFix, diagnostics=diags,
            command=lsp.Command(title=f"Open {c.url}", command=OPEN_SOURCE, arguments=[c.url])))
    return out


def main(log_file: str | None = None) -> None:
    """Serve over standard input and output until the client says exit (or closes the pipe)."""
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    else:
        logging.basicConfig(level=logging.WARNING)  # standard error; standard output is the protocol
    build_server().start_io()

