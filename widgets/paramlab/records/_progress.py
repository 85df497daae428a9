"""A learner's record of the questions: what each one saw, tried, slipped on, and solved.

Every question widget (`Quiz`, `Choice`, `Predict`) reports here when it is displayed and when
the learner makes an attempt. The record lives in a small JSON file in the learner's home,
`~/.paramlab/progress.json`, or wherever the environment variable `PARAMLAB_PROGRESS` points
(a file, or a directory to hold `progress.json`), so it survives kernel restarts. In the
browser edition (Pyodide, `sys.platform == "emscripten"`) the home folder lives in memory only,
so the default there is `/drive/.paramlab-progress.json`: a file at the top of JupyterLite's
drive, which keeps it in the browser's storage across reloads (a folder of its own would be
one JupyterLite creates as "Untitled Folder" and then renames, asking the static server for
contents it does not have):

    {"version": 1,
     "notebooks": {"01_dense.ipynb": {"<question text>": {
         "kind": "Quiz", "shown": true, "attempts": 2, "solved": true,
         "slips": {"the forgotten bias": 1}, "prediction": null, "actual": null}}}}

A question is known by the notebook it is in (the kernel's `__session__`, which ipykernel sets
from JupyterLab's `JPY_SESSION_NAME`; the file name only) and its text. Each event reads the
file, updates one record and writes it back atomically (a temporary file, then `os.replace`),
so two notebooks open at once rarely lose each other's records (there is no lock).

Saving never breaks a question. A file that cannot be read or written (no home, a read-only
home) gives one warning per kernel, saying where and how to choose another place, and the
record is kept in memory until the kernel stops. A file that is not a progress record is kept
as `progress.json.corrupt` (then `-2`, `-3`, ...) with a warning, and a new one is started.

Pure: no ipywidgets, no keras (IPython is consulted only if the kernel already imported it).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

ENV = "PARAMLAB_PROGRESS"
BROWSER_DRIVE = Path("/drive")
"""Where JupyterLite mounts its drive (the browser's storage) in a Pyodide kernel."""
FILE_NAME = "progress.json"
BROWSER_FILE = ".paramlab-progress.json"
"""The record's name at the top of the browser edition's drive."""
VERSION = 1
UNKNOWN_NOTEBOOK = "unknown notebook"
SOLVED, OPEN, NOT_ATTEMPTED = "solved", "open", "not attempted"


class ProgressWarning(UserWarning):
    """The learner's progress could not be read or saved; the questions still work."""


@dataclass(frozen=True)
class QuestionRecord:
    """What happened to one question, over every kernel that showed it.

    `attempts` counts distinct answers checked (a Predict: predictions revealed); `slips`
    counts each slip diagnosed by name (Quiz: a classic slip; Choice: a wrong option picked;
    Predict: a prediction too low or too high). `solved` stays True once reached (a Predict is
    solved once its figure is revealed). `prediction` and `actual` are a Predict's latest
    prediction and real figure, as exact fractions in text ("7232", "31401/2"). `answer` is the
    right answer as the learner gave it (a Quiz's figure, a Choice's picks); `revealed` says the
    answer was shown to them (on request, or after the second wrong try) before or without it.
    """

    kind: str
    shown: bool = False
    attempts: int = 0
    solved: bool = False
    slips: dict[str, int] = field(default_factory=dict)
    prediction: str | None = None
    actual: str | None = None
    answer: str | None = None
    revealed: bool = False

    @property
    def status(self) -> str:
        """`solved`, `open` (attempted, not solved) or `not attempted` (only displayed)."""
        if self.solved:
            return SOLVED
        return OPEN if self.attempts else NOT_ATTEMPTED

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "shown": self.shown,
            "attempts": self.attempts,
            "solved": self.solved,
            "slips": dict(self.slips),
            "prediction": self.prediction,
            "actual": self.actual,
            "answer": self.answer,
            "revealed": self.revealed,
        }

    @classmethod
    def from_json(cls, data: object) -> QuestionRecord:
        if not isinstance(data, dict):
            raise ValueError(f"a question's record must be an object, not {data!r}")
        record = cls(
            kind=data.get("kind"),
            shown=data.get("shown", False),
            attempts=data.get("attempts", 0),
            solved=data.get("solved", False),
            slips=data.get("slips", {}),
            prediction=data.get("prediction"),
            actual=data.get("actual"),
            answer=data.get("answer"),
            revealed=data.get("revealed", False),
        )
        checks = [
            isinstance(record.kind, str),
            isinstance(record.shown, bool) and isinstance(record.solved, bool),
            _count(record.attempts),
            isinstance(record.slips, dict) and all(map(_count, record.slips.values())),
            all(
                v is None or isinstance(v, str)
                for v in (record.prediction, record.actual, record.answer)
            ),
            isinstance(record.revealed, bool),
        ]
        if not all(checks):
            raise ValueError(f"not a question's record: {data!r}")
        return record


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


Records = dict[str, dict[str, QuestionRecord]]  # notebook -> question text -> record


def progress_path() -> Path:
    """Where the record is kept: `$PARAMLAB_PROGRESS` (a file, or a directory to hold
    `progress.json`), else `~/.paramlab/progress.json`, or in the browser edition
    `/drive/.paramlab-progress.json` (`BROWSER_FILE`). OSError if there is no home."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        path = Path(chosen).expanduser()
        return path / FILE_NAME if path.is_dir() else path
    if sys.platform == "emscripten":
        return BROWSER_DRIVE / BROWSER_FILE
    try:
        home = Path.home()
    except RuntimeError as err:  # no HOME and no password entry
        raise OSError(f"no home directory ({err})") from None
    return home / ".paramlab" / FILE_NAME


def current_notebook() -> str:
    """The notebook the kernel runs, by file name, or "unknown notebook"."""
    shell = None
    ipython = sys.modules.get("IPython")  # only if already imported: never import it here
    if ipython is not None:
        shell = ipython.get_ipython()
    user_ns = getattr(shell, "user_ns", {}) if shell is not None else {}
    for name in (
        user_ns.get("__session__"),  # ipykernel, from JupyterLab's JPY_SESSION_NAME
        user_ns.get("__vsc_ipynb_file__"),  # VS Code
        os.environ.get("JPY_SESSION_NAME"),
    ):
        if isinstance(name, str) and name.strip():
            return os.path.basename(name.strip().rstrip("/\\")) or UNKNOWN_NOTEBOOK
    return UNKNOWN_NOTEBOOK


_WARNED: set[str] = set()  # which warnings this kernel has given: each is given once


def _warn_once(key: str, message: str) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, ProgressWarning, stacklevel=3)


def _cannot_save(where: str, err: BaseException) -> str:
    return (
        f"paramlab could not save your progress to {where} ({type(err).__name__}: {err}). "
        "The questions still work; this kernel's answers are kept only until it stops. "
        f"To save them elsewhere, set the environment variable {ENV} to a writable file, "
        f"e.g. in a cell: import os; os.environ[{ENV!r}] = '/tmp/paramlab-progress.json' "
        f"(or `export {ENV}=...` before starting Jupyter)."
    )


class Store:
    """The record in the file at `path`: read afresh for every change, written atomically.

    When the file cannot be written, the record is kept in memory (`saved` turns False) and
    every later change tries to write it again.
    """

    def __init__(self, path: Path, *, make_parents: bool = True) -> None:
        self.path = Path(path)
        self._make_parents = make_parents  # False: make only the file's own folder
        self._memory: Records | None = None  # the record, while the file cannot hold it
        self._unreadable = False  # the file exists but cannot be read: never overwrite it
        self._lock = threading.Lock()

    @property
    def saved(self) -> bool:
        """Whether the file holds everything recorded so far."""
        return self._memory is None

    def records(self) -> Records:
        """Every question's record, by notebook, in the order they were first met."""
        with self._lock:
            return self._records()

    def shown(self, notebook: str, question: str, kind: str) -> QuestionRecord | None:
        """The question was displayed; its record from before, or None if it had none."""
        return self._update(notebook, question, kind, lambda r: replace(r, shown=True))

    def attempted(
        self,
        notebook: str,
        question: str,
        kind: str,
        *,
        solved: bool,
        slips: Iterable[str] = (),
        prediction: str | None = None,
        actual: str | None = None,
        answer: str | None = None,
    ) -> None:
        """One attempt: solved or not, the slips it showed, a Predict's two figures, the right
        answer as given."""

        def change(r: QuestionRecord) -> QuestionRecord:
            counts = dict(r.slips)
            for slip in slips:
                counts[slip] = counts.get(slip, 0) + 1
            return replace(
                r,
                attempts=r.attempts + 1,
                solved=r.solved or solved,
                slips=counts,
                prediction=r.prediction if prediction is None else prediction,
                actual=r.actual if actual is None else actual,
                answer=r.answer if answer is None else answer,
            )

        self._update(notebook, question, kind, change)

    def revealed(self, notebook: str, question: str, kind: str) -> None:
        """The answer was shown to the learner."""
        self._update(notebook, question, kind, lambda r: replace(r, revealed=True))

    def _update(self, notebook: str, question: str, kind: str, change) -> QuestionRecord | None:
        """Change one question's record (read afresh, written back); its record before."""
        with self._lock:
            records = self._records()
            questions = records.setdefault(notebook, {})
            earlier = questions.get(question)
            before = earlier or QuestionRecord(kind=kind)
            questions[question] = change(replace(before, kind=kind))
            if self._unreadable or not self._write(records):
                self._memory = records
            else:
                self._memory = None
            return earlier

    def _records(self) -> Records:
        if self._memory is not None:
            return {nb: dict(qs) for nb, qs in self._memory.items()}
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as err:  # not a file, or not ours to read: never overwrite it
            self._unreadable = True
            _warn_once("save", _cannot_save(str(self.path), err))
            return {}
        try:
            return parse_records(raw.decode("utf-8"))
        except ValueError as err:  # as are UnicodeDecodeError and json.JSONDecodeError
            return self._start_afresh(err)

    def _start_afresh(self, err: ValueError) -> Records:
        """Keep the unreadable file as a backup, then start a new record."""
        backup = _free_name(self.path)
        try:
            os.replace(self.path, backup)
        except OSError as move_err:
            self._unreadable = True  # no backup: leave the file as it is
            _warn_once("save", _cannot_save(str(self.path), move_err))
            return {}
        warnings.warn(
            f"paramlab could not read your progress file {self.path} ({err}); it was kept as "
            f"{backup} and a new record was started.",
            ProgressWarning,
            stacklevel=4,
        )
        return {}

    def _write(self, records: Records) -> bool:
        data = {
            "version": VERSION,
            "notebooks": {
                nb: {q: r.to_json() for q, r in qs.items()} for nb, qs in records.items()
            },
        }
        temporary = None
        written = False
        try:
            self.path.parent.mkdir(parents=self._make_parents, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w",
                encoding="utf-8",
                dir=self.path.parent,
                prefix=f".{self.path.name}.",
                suffix=".tmp",
                delete=False,
            ) as handle:
                temporary = handle.name
                json.dump(data, handle, indent=1, ensure_ascii=False)
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
            written = True
        except OSError as err:
            _warn_once("save", _cannot_save(str(self.path), err))
        finally:
            if temporary is not None and not written:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
        return written


def parse_records(text: str) -> Records:
    """A version-1 record from its JSON text; ValueError for anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ValueError(f"not a version-{VERSION} paramlab progress record")
    notebooks = data.get("notebooks")
    if not isinstance(notebooks, dict) or not all(isinstance(q, dict) for q in notebooks.values()):
        raise ValueError("its `notebooks` is not an object of objects")
    return {
        nb: {q: QuestionRecord.from_json(r) for q, r in qs.items()} for nb, qs in notebooks.items()
    }


def _free_name(path: Path) -> Path:
    """`progress.json.corrupt`, or the first of `-2`, `-3`, ... that does not exist yet."""
    candidate = path.with_name(f"{path.name}.corrupt")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{n}")
        n += 1
    return candidate


_STORES: dict[Path, Store] = {}  # one per file in this kernel, so memory survives between calls


def store() -> Store:
    """The store at `progress_path()` (OSError if there is no home). In the default place
    only `~/.paramlab` is made, never a missing home."""
    path = progress_path()
    if path not in _STORES:
        _STORES[path] = Store(path, make_parents=bool(os.environ.get(ENV, "").strip()))
    return _STORES[path]


@contextlib.contextmanager
def scratch_record() -> Iterator[Path]:
    """A throw-away record for the duration: `PARAMLAB_PROGRESS` names a file in a new temporary
    directory (kernels started meanwhile inherit it), then the old value comes back and the
    directory is removed. For tools and tests that answer questions but are not a learner."""
    before = os.environ.get(ENV)
    with tempfile.TemporaryDirectory(prefix="paramlab-progress-") as folder:
        path = Path(folder) / FILE_NAME
        os.environ[ENV] = str(path)
        try:
            yield path
        finally:
            if before is None:
                os.environ.pop(ENV, None)
            else:
                os.environ[ENV] = before
            _STORES.pop(path, None)


def record_shown(kind: str, question: str) -> QuestionRecord | None:
    """Note that a question was displayed; its record from earlier sessions, or None. Never
    raises (a record that cannot be read or written gives None)."""
    found: list[QuestionRecord | None] = [None]

    def show(s: Store) -> None:
        found[0] = s.shown(current_notebook(), str(question), kind)

    _safely(show)
    return found[0]


def record_attempt(
    kind: str,
    question: str,
    *,
    solved: bool,
    slips: Iterable[str] = (),
    prediction: str | None = None,
    actual: str | None = None,
    answer: str | None = None,
) -> None:
    """Note one attempt at a question; never raises."""
    _safely(
        lambda s: s.attempted(
            current_notebook(),
            str(question),
            kind,
            solved=solved,
            slips=tuple(slips),
            prediction=prediction,
            actual=actual,
            answer=answer,
        )
    )


def record_revealed(kind: str, question: str) -> None:
    """Note that a question's answer was shown; never raises."""
    _safely(lambda s: s.revealed(current_notebook(), str(question), kind))


def _safely(action) -> None:
    try:
        action(store())
    except OSError as err:  # no home to save in
        _warn_once("save", _cannot_save(f"~/.paramlab/{FILE_NAME}", err))
    except Exception as err:  # a bug in recording must never break a question
        _warn_once("bug", f"paramlab could not record your progress ({type(err).__name__}: {err}).")
