"""The language server: pygls' LanguageServer with codex's state, and the one place a request
turns into a job on the worker (``run_action``) and its result into an edit.

Every failure ends here as a ``window/showMessage`` (CodexError: its one line; a bug: a short
line, the traceback to ``window/logMessage`` and stderr); the server never dies from a request.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import traceback
import uuid
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable, Mapping

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from codexcli import __version__
from codexcli.errors import CodexError, UsageError
from codexcli.lsp.actions import Outline, outline, outline_at
from codexcli.lsp.jobs import CancellableBackend, Cancelled, Job, Worker
from codexcli.lsp.protocol import message, path_of
from codexcli.lsp.runners import RUNNERS, Proposal, RunContext
from codexcli.lsp.settings import ServerOptions, parse_options, settings_for

log = logging.getLogger("codex.lsp")

MAX_CHARS = 2_000_000  # a bigger buffer gets no actions (and a message when one is asked for)


class Dropped(CodexError):
    """The buffer changed while the action ran: its edit is not applied."""

    kind = "dropped"


class CodexServer(LanguageServer):
    """codex's server state: the options, the worker and shared model, the jobs running, and
    each open document's outline (kept per version, so listing actions costs one parse)."""

    def __init__(self, defaults: Mapping[str, Any]) -> None:
        super().__init__("codex", __version__)
        self.base = ServerOptions(dict(defaults))
        self.options = self.base
        self.worker = Worker()
        self.jobs: set[Job] = set()
        self._outlines: dict[str, tuple[int | None, Outline]] = {}

    # documents -----------------------------------------------------------------------------

    def buffer(self, uri: str) -> tuple[str, int | None]:
        """The open document's text and version (the buffer, never the disk); a document that is
        not a Python buffer codex can work on is a UsageError."""
        if uri not in self.workspace.text_documents:
            raise UsageError(f"{uri} is not open in the editor")
        doc = self.workspace.get_text_document(uri)
        if not (doc.language_id == "python" or uri.endswith((".py", ".pyi"))):
            raise UsageError(f"{Path(uri).name}: codex works on Python files")
        if len(doc.source) > MAX_CHARS:
            raise UsageError(f"{Path(uri).name} is too big for codex ({len(doc.source)} characters)")
        return doc.source, doc.version

    def outline_of(self, uri: str, line: int | None = None) -> Outline | None:
        """The buffer's outline (computed once per version); with ``line`` (1-based), when this
        version has none yet, only the definition at that line's (actions.outline_at: what the
        actions at a cursor need). None for a buffer codex does not take."""
        try:
            text, version = self.buffer(uri)
        except UsageError:
            return None
        cached = self._outlines.get(uri)
        if cached is not None and cached[0] == version and version is not None:
            return cached[1]
        if line is not None:
            return outline_at(text, line)
        shape = outline(text)
        self._outlines[uri] = (version, shape)
        return shape

    def forget(self, uri: str) -> None:
        self._outlines.pop(uri, None)

    # messages ------------------------------------------------------------------------------

    def say(self, kind: str, text: str) -> None:
        """A message the user sees (window/showMessage), also logged."""
        self.tell(text)
        self.window_show_message(message(kind, text))

    def tell(self, text: str) -> None:
        """A line for the client's log (window/logMessage) and stderr."""
        log.info(text)
        self.window_log_message(lsp.LogMessageParams(lsp.MessageType.Log, text))

    # running an action ---------------------------------------------------------------------

    async def run_action(self, data: Any, token: lsp.ProgressToken | None = None) -> Proposal | None:
        """Run the action ``data`` describes (actions.Action.data) on the worker, with progress;
        the Proposal, or None after telling the user why (an error, a changed buffer).
        Cancelled (the request, its progress, shutdown) raises asyncio.CancelledError.

        Long: one try block is the error boundary of every action."""
        task, name, uri = _field(data, "task"), _field(data, "name"), _field(data, "uri")
        title = f"codex {task}: {name}"
        job = Job()
        progress = await self._begin(title, token, job)
        try:
            if task not in RUNNERS:
                raise UsageError(f"unknown codex action {task!r}")
            text, version = self.buffer(uri)
            if (error := outline(text).error) is not None:
                raise UsageError(f"{Path(uri).name} does not parse ({error}); fix it and try again")
            context = self._context(task, name, text, path_of(uri), job)
            proposal = await self._on_worker(job, lambda: RUNNERS[task](context))
            if self.buffer(uri)[1] != version or self.buffer(uri)[0] != text:
                raise Dropped(f"{Path(uri).name} changed while codex worked; the edit was dropped (run it again)")
            self.tell(f"{title}: {proposal.message}")
            return dataclasses.replace(proposal, version=version)
        except asyncio.CancelledError:
            job.cancelled.set()
            self.tell(f"{title}: cancelled")
            raise
        except CodexError as exc:
            self.say("warning" if isinstance(exc, Dropped) else "error", f"{title}: {exc.message}")
        except Exception as exc:  # a bug in a task: the server stays up
            log.error("%s", traceback.format_exc())
            self.tell(traceback.format_exc())
            self.say("error", f"{title}: internal error: {type(exc).__name__}: {exc}")
        finally:
            self._end(progress, job)
        return None

    def _context(self, task: str, name: str, text: str, path: Path, job: Job) -> RunContext:
        settings = settings_for(path, self.options)
        return RunContext(
            task,
            name,
            text,
            path,
            settings,
            self.options,
            lambda: CancellableBackend(self.worker.model.get(settings), job),
            job,
        )

    async def _on_worker(self, job: Job, work: Callable[[], Proposal]) -> Proposal:
        """``work`` on the worker thread; cancelling this coroutine sets the job's flag, which
        stops the model at its next token."""
        self.jobs.add(job)
        future = asyncio.wrap_future(self.worker.submit(work))
        try:
            return await asyncio.shield(future)
        except Cancelled:
            raise asyncio.CancelledError() from None
        except asyncio.CancelledError:
            job.cancelled.set()
            raise
        finally:
            self.jobs.discard(job)

    async def _begin(self, title: str, token: lsp.ProgressToken | None, job: Job) -> lsp.ProgressToken | None:
        """Work-done progress for the job: the client's token, or one we create when the client
        supports it; a cancelled progress cancels the job. Reports come from the worker thread
        and are sent on the event loop."""
        window = self.client_capabilities.window
        if token is None and window is not None and window.work_done_progress:
            token = str(uuid.uuid4())
            try:
                await self.work_done_progress.create_async(token)
            except Exception as exc:  # a client that refuses: no progress, the job still runs
                self.tell(f"no progress report: {exc}")
                return None
        if token is None:
            return None
        self.work_done_progress.begin(token, lsp.WorkDoneProgressBegin(title=title, cancellable=True))
        cancelled: Future[Any] | None = self.work_done_progress.tokens.get(token)
        if cancelled is not None:
            cancelled.add_done_callback(lambda f: job.cancelled.set() if f.cancelled() else None)
        loop = asyncio.get_running_loop()

        def report(text: str) -> None:
            value = lsp.WorkDoneProgressReport(message=text)
            loop.call_soon_threadsafe(self.work_done_progress.report, token, value)

        job.report = report
        return token

    def _end(self, token: lsp.ProgressToken | None, job: Job) -> None:
        job.report = lambda text: None
        if token is not None:
            self.work_done_progress.end(token, lsp.WorkDoneProgressEnd(message=job.describe() or "done"))
            self.work_done_progress.tokens.pop(token, None)

    def configure(self, raw: Any, initial: bool = False) -> None:
        """Options from the editor (initializationOptions, or the codex section of
        workspace/configuration over them); a bad value is a message, the old options stay."""
        from codexcli.lsp.settings import merge

        try:
            parsed = parse_options(raw)
        except CodexError as exc:
            self.say("error", f"codex: settings: {exc.message}")
            return
        self.options = merge(self.base if initial else self.options, parsed)

    def stop_jobs(self) -> None:
        """Cancel every running job and release the model (shutdown)."""
        for job in list(self.jobs):
            job.cancelled.set()
        self.worker.shutdown()


def _field(data: Any, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise UsageError(f"the action lacks its {key!r}")
    return value
