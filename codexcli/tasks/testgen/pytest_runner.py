"""Run candidate tests with pytest in the sandbox, in a temporary copy of the project.

The project is staged once per `codex testgen` run (a copy of the project folder without VCS,
virtualenv and cache folders); every pytest run then gets its own fresh sandbox holding that
copy plus the test file under evaluation (and, for mutation runs, a mutated module). Tests run
with the target project's interpreter (``--python``), never inside codex. A small harness
script inside the sandbox runs pytest with a plugin that records each test's outcome (and,
when asked, coverage.py's JSON report) into files the sandbox hands back.
"""

from __future__ import annotations

import json
import signal
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from codexcli.errors import UsageError
from codexcli.tasks.testgen.coverage_figures import FileCoverage, from_json_report
from codexcli.verify.sandbox.project import ProjectLayout, stage_project
from codexcli.verify.sandbox.sandbox import Limits, SandboxResult, run_python

HARNESS = r"""
import importlib, importlib.util, io, json, os, sys, threading, traceback
cfg = json.load(open("__codex_config__.json", encoding="utf-8"))
root = os.getcwd()
for rel in reversed(cfg["paths"]):
    sys.path.insert(0, os.path.join(root, rel) if rel else root)

def write(name, data):
    # Absolute: a test may have changed the working directory.
    with open(os.path.join(root, name), "w", encoding="utf-8") as fh:
        json.dump(data, fh)

def snapshot():
    seen = {}
    for folder, dirs, files in os.walk(root):
        for f in files:
            if not f.startswith("__codex_") and f != "sitecustomize.py":
                p = os.path.join(folder, f)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                seen[os.path.relpath(p, root)] = (st.st_size, st.st_mtime_ns)
    return seen

if cfg["mode"] == "import":
    out = {"has_pytest": importlib.util.find_spec("pytest") is not None,
           "has_coverage": importlib.util.find_spec("coverage") is not None}
    before = snapshot()
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cap = io.StringIO(), io.StringIO()
    try:
        importlib.import_module(cfg["module"])
    except SystemExit as exc:
        out["error"] = "calls sys.exit(%r) while being imported" % (exc.code,)
    except BaseException as exc:
        out["error"] = "raises %s while being imported" % type(exc).__name__
        out["traceback"] = traceback.format_exc()
    finally:
        sys.stdout, sys.stderr = real
    after = snapshot()
    out["stdout"] = cap[0].getvalue()[:400]
    out["changed_files"] = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))[:10]
    out["threads"] = [t.name for t in threading.enumerate() if t is not threading.main_thread()][:5]
    write("__codex_import__.json", out)
    sys.exit(0)

# Each job runs in a forked child: pytest is imported once, each job still starts from a clean
# interpreter state (its own imports of the module and tests), and a job that hangs is ended by
# its own alarm without losing the others.
import pytest, shutil, signal, time

def warm_up():
    # One pytest session on an empty folder before the forks loads pytest's plugins here, so
    # each job finds them imported: an entry-point plugin (hypothesis's imports all of
    # hypothesis, with assertion rewriting and no bytecode cache in the sandbox) otherwise costs
    # seconds in every job. Plain asserts: rewriting the plugins' own modules (seconds again)
    # changes nothing of the jobs, which still rewrite the asserts of the tests they import.
    # Nothing of the project is imported: no conftest, no tests, no module.
    empty = os.path.join(root, "__codex_warmup__")
    os.makedirs(empty, exist_ok=True)
    real = sys.stdout
    sys.stdout = io.StringIO()
    try:
        pytest.main([empty, "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--noconftest",
                     "--assert=plain", "--rootdir", empty], plugins=[])
    except BaseException:
        pass
    finally:
        sys.stdout = real
        shutil.rmtree(empty, ignore_errors=True)

warm_up()

def run_job(i, job):
    results, collect_errors = {}, []

    class Recorder:
        def pytest_runtest_logreport(self, report):
            name = report.nodeid.split("::")[-1].split("[")[0]
            entry = results.setdefault(name, {"outcome": "passed", "message": ""})
            if report.failed and entry["outcome"] not in ("failed", "error"):
                entry["outcome"] = "failed" if report.when == "call" else "error"
                crash = getattr(report.longrepr, "reprcrash", None)
                entry["message"] = (crash.message if crash is not None else str(report.longrepr))[-600:]
            elif report.skipped and entry["outcome"] == "passed":
                entry["outcome"] = "skipped"

        def pytest_collectreport(self, report):
            if report.failed:
                collect_errors.append(str(report.longrepr)[-1500:])

    for rel, text in job["files"].items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    signal.alarm(max(1, int(job["timeout"] + 0.999)))
    cov = None
    if job["coverage"]:
        import coverage
        cov = coverage.Coverage(branch=True, data_file=None, config_file=False,
                                include=[os.path.join(root, cfg["module_rel"])])
        cov.start()
        try:
            importlib.import_module(cfg["module"])
        except BaseException:
            pass
    code = 0
    if job["nodeids"]:
        code = int(pytest.main(job["nodeids"] + ["-q", "-p", "no:cacheprovider", "-o", "addopts=",
                                                  "--rootdir", root], plugins=[Recorder()]))
    report = {"returncode": code, "results": results, "collect_errors": collect_errors}
    if cov is not None:
        cov.stop()
        try:
            cov.json_report(outfile=os.path.join(root, "__codex_cov_%d.json" % i))
        except Exception as exc:
            report["coverage_error"] = str(exc)
    write("__codex_report_%d.json" % i, report)

def passed_in(k):
    try:
        with open(os.path.join(root, "__codex_report_%d.json" % k), encoding="utf-8") as fh:
            results = json.load(fh).get("results") or {}
    except (OSError, ValueError):
        return set()
    return {name for name, entry in results.items() if entry.get("outcome") == "passed"}

stopped = False
for i, job in enumerate(cfg["jobs"]):
    if stopped:
        write("__codex_report_%d.json" % i, {"signal": signal.SIGALRM, "skipped": True})
        continue
    if job.get("only_passed_in"):
        # Only the tests that passed in every one of those earlier jobs (e.g. mutants are run
        # against the tests that passed twice on the original code).
        keep = set.intersection(*(passed_in(k) for k in job["only_passed_in"]))
        job["nodeids"] = [n for n in job["nodeids"] if n.split("::")[-1] in keep]
        if not job["nodeids"]:
            write("__codex_report_%d.json" % i, {"returncode": 5, "results": {}, "collect_errors": []})
            continue
    saved = {}
    for rel in job["files"]:
        path = os.path.join(root, rel)
        saved[path] = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    sys.stdout.flush(); sys.stderr.flush()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            run_job(i, job)
        except BaseException:
            write("__codex_report_%d.json" % i, {"crash": traceback.format_exc()[-1500:]})
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        write("__codex_report_%d.json" % i, {"signal": os.WTERMSIG(status)})
        stopped = (cfg["stop_on_timeout"] and os.WTERMSIG(status) == signal.SIGALRM
                   and not job.get("only_passed_in"))
    with open(os.path.join(root, "__codex_seconds_%d.json" % i), "w", encoding="utf-8") as fh:
        json.dump(time.perf_counter() - started, fh)
    for path, text in saved.items():
        if text is None:
            if os.path.exists(path):
                os.remove(path)
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)

import resource
used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
write("__codex_cpu.json", sum(u.ru_utime + u.ru_stime for u in used))
"""


@dataclass(frozen=True)
class CaseOutcome:
    """How one test function ended: passed, failed, error, skipped, timeout or missing."""

    name: str
    outcome: str
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"


@dataclass(frozen=True)
class PytestRun:
    """One pytest process: per-test outcomes, collection errors, coverage when asked."""

    outcomes: dict[str, CaseOutcome]
    collect_error: str | None
    timed_out: bool
    coverage: FileCoverage | None
    sandbox: SandboxResult = field(repr=False)
    seconds: float = 0.0  # this job's own time in the sandbox (its pytest session), when it ran
    killed: bool = False  # its process died of a signal other than the timeout's (a test killed it)

    def outcome(self, name: str) -> CaseOutcome:
        """A test's outcome; one that never ran is 'timeout' or 'error' with the reason why."""
        if name in self.outcomes:
            return self.outcomes[name]
        if self.timed_out:
            return CaseOutcome(name, "timeout", "the test run did not finish in time")
        if self.collect_error:
            return CaseOutcome(name, "error", summarise_traceback(self.collect_error))
        return CaseOutcome(name, "error", f"pytest did not run it ({self.sandbox.describe()})")


def summarise_traceback(text: str, frames: int = 3) -> str:
    """The last few 'File ..., line N' frames and the final error line of a traceback."""
    lines = [ln.rstrip() for ln in text.strip().splitlines() if ln.strip()]
    if not lines:
        return ""
    where = [ln.strip() for ln in lines if ln.lstrip().startswith("File ") or ln.lstrip().startswith("E ")]
    errors = [ln.strip().removeprefix("E").strip() for ln in lines if ln.lstrip().startswith("E ")]
    final = errors[-1] if errors else lines[-1].strip()
    frames_txt = [ln for ln in where if ln.startswith("File ")][-frames:]
    return " | ".join([*frames_txt, final])


@dataclass(frozen=True)
class ImportProblem:
    """Why the module cannot be tested; ``message`` is for people."""

    message: str


class PytestRunner:
    """Runs pytest on test file texts against a staged copy of the project.

    Use as a context manager: the staged copy is deleted on exit.
    """

    def __init__(
        self,
        layout: ProjectLayout,
        python: str | None = None,
        *,
        timeout_s: float = 60.0,
        import_timeout_s: float = 15.0,
        memory_mb: int = 1024,
    ) -> None:
        self.layout = layout
        self.python = python
        self.limits = Limits(timeout_s=timeout_s, memory_mb=memory_mb)
        self.import_limits = Limits(timeout_s=import_timeout_s, memory_mb=memory_mb)
        self._staging: tempfile.TemporaryDirectory[str] | None = None
        self.has_coverage = True
        self.runs = 0
        self.cpu_seconds = 0.0  # CPU time of the pytest processes (the harness and its jobs)

    def __enter__(self) -> "PytestRunner":
        self._staging = tempfile.TemporaryDirectory(prefix="codex-testgen-")
        stage_project(self.layout, Path(self._staging.name))
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._staging is not None:
            self._staging.cleanup()
            self._staging = None

    @property
    def staged(self) -> Path:
        """The staged copy of the project (for other sandboxed runs against the same files)."""
        assert self._staging is not None, "use PytestRunner as a context manager"
        return Path(self._staging.name)

    def _run(
        self, config: dict[str, Any], files: dict[str, str], limits: Limits, collect: Sequence[str]
    ) -> SandboxResult:
        assert self._staging is not None, "use PytestRunner as a context manager"
        self.runs += 1
        config = {
            "paths": [self.layout.import_root_rel, ""],
            "module": self.layout.module_name,
            "module_rel": self.layout.module_rel,
            **config,
        }
        all_files = {**files, "__codex_config__.json": json.dumps(config)}
        try:
            return run_python(
                HARNESS,
                python=self.python,
                files=all_files,
                copy_from=Path(self._staging.name),
                limits=limits,
                collect=collect,
            )
        except OSError as exc:  # --python is not an executable
            raise UsageError(f"cannot run {self.python or 'python'}: {exc.strerror or exc}") from None

    def check_import(self) -> ImportProblem | None:
        """Import the module once in the sandbox; a problem if it fails, hangs, or has side
        effects (prints, writes files, starts threads, exits) while being imported."""
        name = self.layout.module_name
        result = self._run({"mode": "import"}, {}, self.import_limits, ["__codex_import__.json"])
        if result.timed_out:
            return ImportProblem(
                f"importing {name} did not finish within {self.import_limits.timeout_s:g}s "
                "(it runs forever at import?); codex only tests modules that import cleanly"
            )
        raw = result.files.get("__codex_import__.json")
        if raw is None:
            return ImportProblem(f"importing {name} crashed the interpreter ({result.describe()})")
        data = json.loads(raw)
        if not data.get("has_pytest"):
            raise UsageError(
                f"{self.python or 'the Python running codex'} has no pytest installed",
                hint="pip install 'codexcli[testgen]' (or pytest into the project's environment), or pass --python PATH",
            )
        self.has_coverage = bool(data.get("has_coverage"))
        if data.get("error"):
            detail = summarise_traceback(data.get("traceback", ""))
            return ImportProblem(f"{name} {data['error']}" + (f": {detail}" if detail else ""))
        effects = []
        if data.get("stdout", "").strip() or result.stdout.strip():
            shown = (data.get("stdout") or result.stdout).strip().splitlines()[0][:80]
            effects.append(f"prints to stdout ({shown!r})")
        if data.get("changed_files"):
            effects.append(f"creates or changes files ({', '.join(data['changed_files'][:3])})")
        if data.get("threads"):
            effects.append(f"starts threads ({', '.join(data['threads'])})")
        if effects:
            return ImportProblem(
                f"{name} has side effects when imported: {'; '.join(effects)}; "
                'move them under `if __name__ == "__main__":` so tests can import it'
            )
        return None

    def run(
        self,
        test_text: str,
        names: Sequence[str] | None = None,
        *,
        module_text: str | None = None,
        coverage: bool = False,
        timeout_s: float | None = None,
    ) -> PytestRun:
        """Run the tests ``names`` of ``test_text`` (all of the file when None; none when empty,
        which with ``coverage`` measures importing the module alone)."""
        return self.run_many(
            [Job(test_text, None if names is None else tuple(names), module_text, coverage)], timeout_s=timeout_s
        )[0]

    def run_many(
        self, jobs: Sequence["Job"], *, timeout_s: float | None = None, stop_on_timeout: bool = False
    ) -> list[PytestRun]:
        """Run several pytest jobs one after another in ONE sandbox (each in a forked child, so
        pytest and its plugins are loaded once); ``timeout_s`` applies to each job that sets
        none of its own. With ``stop_on_timeout`` the jobs after one that timed out are not run
        (and report a timeout). A job with ``only_passed_in`` runs only those of its tests that
        passed in all of those earlier jobs (none: it does not run); its own timeout stops
        nothing (a mutant that loops is a verdict on the tests, not a broken batch)."""
        default = self.limits.timeout_s if timeout_s is None else timeout_s
        specs = []
        total = 0.0
        for job in jobs:
            each = default if job.timeout_s is None else job.timeout_s
            total += each
            files = {self.layout.test_rel: job.test_text}
            if job.module_text is not None:
                files[self.layout.module_rel] = job.module_text
            if job.names is None:
                nodeids = [self.layout.test_rel] if job.test_text.strip() else []
            else:
                nodeids = [f"{self.layout.test_rel}::{n}" for n in job.names]
            specs.append(
                {
                    "files": files,
                    "nodeids": nodeids,
                    "timeout": each,
                    "coverage": job.coverage and self.has_coverage,
                    "only_passed_in": list(job.only_passed_in),
                }
            )
        # 15 s on top: starting the interpreter and loading pytest's plugins once (warm_up).
        limits = Limits(timeout_s=total + 15, memory_mb=self.limits.memory_mb, cpu_s=int(total) + 15)
        collect = [f"__codex_{kind}_{i}.json" for i in range(len(jobs)) for kind in ("report", "cov", "seconds")]
        collect.append("__codex_cpu.json")
        result = self._run({"mode": "pytest", "jobs": specs, "stop_on_timeout": stop_on_timeout}, {}, limits, collect)
        try:
            self.cpu_seconds += float(json.loads(result.files.get("__codex_cpu.json") or "0"))
        except (ValueError, TypeError):
            pass
        return [self._parse(result, i) for i in range(len(jobs))]

    def _parse(self, result: SandboxResult, i: int) -> PytestRun:
        raw = result.files.get(f"__codex_report_{i}.json")
        report = json.loads(raw) if raw else {}
        outcomes = {k: CaseOutcome(k, v["outcome"], v.get("message", "")) for k, v in report.get("results", {}).items()}
        timed_out = report.get("signal") == signal.SIGALRM or (not report and result.timed_out)
        errors = list(report.get("collect_errors") or [])
        if report.get("crash"):
            errors.append(report["crash"])
        elif report.get("signal") and not timed_out:
            errors.append(f"the test process was killed by signal {report['signal']}")
        elif not report and not timed_out:
            errors.append(result.stderr or result.describe())
        cov_raw = result.files.get(f"__codex_cov_{i}.json")
        cov = from_json_report(json.loads(cov_raw)) if cov_raw else None
        try:
            seconds = float(json.loads(result.files.get(f"__codex_seconds_{i}.json") or "0"))
        except (ValueError, TypeError):
            seconds = 0.0
        killed = bool(report.get("signal")) and not timed_out
        return PytestRun(outcomes, "\n".join(errors) or None, timed_out, cov, result, seconds, killed)


@dataclass(frozen=True)
class Job:
    """One pytest run: a test file text, the tests to run (None: all), a mutant of the module;
    its own timeout; and the earlier jobs (indexes in the same ``run_many``) whose passing
    tests are the only ones this job runs."""

    test_text: str
    names: tuple[str, ...] | None = None
    module_text: str | None = None
    coverage: bool = False
    timeout_s: float | None = None
    only_passed_in: tuple[int, ...] = ()
