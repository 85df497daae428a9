"""What of a notebook's code can run in the browser edition, read from its syntax alone.

The browser (JupyterLite's Pyodide kernel) lacks `MISSING_MODULES`; of paramlab it lacks the
names that load from `paramlab.bridge` (`explain`, `compare`: the bridge imports keras), read
from the package's one list of lazy names, `paramlab._LAZY`. `Reach` follows a notebook's cells
top to bottom, statement by statement, and knows which names are unavailable there:

- a name bound by an import of a missing module, or by any statement of a cell that does not
  run in the browser, is LACKING;
- a function (or a lambda bound to a name) whose body loads a lacking name is DEFERRED: it
  needs Keras only when called. Function and lambda bodies run when called; decorators,
  default arguments and annotations run at definition time and are checked then (and so does
  a class's body: a class that needs a lacking name is unavailable);
- a statement is unavailable when, run at top level, it loads a lacking or deferred name (or
  `paramlab.explain` and the like), or imports a missing module. The one exception: a deferred
  name or lambda passed as the `reveal` of `paramlab.Predict(...)` (its second positional
  argument or `reveal=`), which a Predict in the browser never calls.

Comprehensions and lambdas have scopes of their own (their targets and parameters shadow the
notebook's names); a function's locals are every name it stores.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from paramlab import _LAZY

MISSING_MODULES = frozenset({"keras", "tensorflow", "numpy", "matplotlib", "scipy", "PIL", "torch"})
"""Top-level modules the browser edition's kernel does not have."""
KERAS_BOUND = frozenset(name for name, mod in _LAZY.items() if mod.startswith("paramlab.bridge."))
"""paramlab's names that load the Keras bridge (`paramlab.explain`, `paramlab.compare`)."""
KERAS_MODULES = frozenset(_LAZY[name] for name in KERAS_BOUND)
WIDGETS = frozenset(name for name, mod in _LAZY.items() if mod.startswith("paramlab.ui."))
"""paramlab's names that show something (explorers, pictures, questions, the set-up)."""

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (*_FUNCTIONS, ast.ClassDef, ast.Lambda, *_COMPREHENSIONS)


def missing_module(module: str | None) -> bool:
    """Whether importing `module` fails in the browser."""
    if not module:
        return False
    return module.split(".")[0] in MISSING_MODULES or any(
        module == bound or module.startswith(f"{bound}.") for bound in KERAS_MODULES
    )


def is_paramlab(node: ast.expr, name: str | None = None) -> bool:
    """`node` is `paramlab.<name>` (any name when `name` is None)."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "paramlab"
        and (name is None or node.attr == name)
    )


def widget_calls(tree: ast.AST) -> list[str]:
    """The paramlab widgets a cell's code calls (`paramlab.DenseExplorer(...)`), in order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and is_paramlab(node.func) and node.func.attr in WIDGETS:
            found.append(node.func.attr)
    return found


def bound_names(node: ast.AST) -> Iterator[str]:
    """The names a statement binds in the scope it runs in (not inside functions, lambdas,
    classes' bodies or comprehensions)."""
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
        yield node.name
        return
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            if alias.name != "*":
                yield alias.asname or alias.name.split(".")[0]
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id
    if isinstance(node, ast.ExceptHandler) and node.name:
        yield node.name
    if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
        yield node.name
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, (ast.Lambda, *_COMPREHENSIONS)):
            yield from bound_names(child)


def _arguments(args: ast.arguments) -> list[ast.arg]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return [arg for arg in every if arg is not None]


def _at_definition(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> list[ast.expr]:
    """What a `def` or lambda evaluates when it is defined: decorators, defaults, annotations."""
    args = node.args
    found = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if not isinstance(node, ast.Lambda):
        found += node.decorator_list
        found += [a.annotation for a in _arguments(args) if a.annotation]
        found += [node.returns] if node.returns else []
    return found


@dataclass
class Reach:
    """The names the browser lacks as a notebook's cells run top to bottom."""

    lacking: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)

    def copy(self) -> Reach:
        return copy.deepcopy(self)

    def lack(self, names: Iterable[str]) -> None:
        for name in names:
            self.lacking.add(name)
            self.deferred.discard(name)

    def free(self, names: Iterable[str]) -> None:
        for name in names:
            self.lacking.discard(name)
            self.deferred.discard(name)

    # Expressions -------------------------------------------------------------------------

    def needs(self, node: ast.AST, local: frozenset[str] = frozenset()) -> str | None:
        """The first unavailable name `node` loads when evaluated (names in `local` shadow the
        notebook's), or None."""
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id not in local and (node.id in self.lacking or node.id in self.deferred):
                return node.id
            return None
        if is_paramlab(node) and "paramlab" not in local and node.attr in KERAS_BOUND:
            return f"paramlab.{node.attr}"
        if isinstance(node, ast.Lambda):
            return self._first(_at_definition(node), local) or self.body_needs(node, local)
        if isinstance(node, _COMPREHENSIONS):
            return self._comprehension(node, local)
        if isinstance(node, ast.Call) and is_paramlab(node.func, "Predict"):
            return self._predict(node, local)
        return self._first(ast.iter_child_nodes(node), local)

    def _first(self, nodes: Iterable[ast.AST], local: frozenset[str]) -> str | None:
        for node in nodes:
            if (need := self.needs(node, local)) is not None:
                return need
        return None

    def _comprehension(self, node: ast.AST, local: frozenset[str]) -> str | None:
        generators: list[ast.comprehension] = node.generators  # type: ignore[attr-defined]
        inner = local
        for index, generator in enumerate(generators):
            # The first iterable is evaluated outside the comprehension's scope.
            if (need := self.needs(generator.iter, local if index == 0 else inner)) is not None:
                return need
            inner = inner | set(bound_names(generator.target))
            if (need := self._first(generator.ifs, inner)) is not None:
                return need
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]  # type: ignore[attr-defined]
        return self._first(parts, inner)

    def _predict(self, call: ast.Call, local: frozenset[str]) -> str | None:
        """`paramlab.Predict(question, reveal, ...)`: its reveal is never called in the browser,
        so a deferred function or a lambda that needs Keras may be passed there."""
        reveal = [*call.args[1:2], *(k.value for k in call.keywords if k.arg == "reveal")]
        rest = [*call.args[:1], *call.args[2:], *(k.value for k in call.keywords)]
        for node in reveal:
            if isinstance(node, ast.Name) and node.id in self.deferred and node.id not in local:
                continue
            targets = _at_definition(node) if isinstance(node, ast.Lambda) else [node]
            if (need := self._first(targets, local)) is not None:
                return need
        return self.needs(call.func, local) or self._first(
            (n for n in rest if all(n is not r for r in reveal)), local
        )

    def body_needs(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef,
        local: frozenset[str] = frozenset(),
    ) -> str | None:  # fmt: skip
        """The first unavailable name a function's body needs when it is called, or None."""
        body = node.body if isinstance(node.body, list) else [node.body]
        inner = set(local)
        if not isinstance(node, ast.ClassDef):
            inner |= {a.arg for a in _arguments(node.args)}
        for part in body:  # a function's locals: every name it stores, its parameters
            for child in ast.walk(part):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store | ast.Del):
                    inner.add(child.id)
                elif isinstance(child, ast.arg):
                    inner.add(child.arg)
                elif isinstance(child, (ast.Import, ast.ImportFrom, ast.ClassDef, *_FUNCTIONS)):
                    inner.update(bound_names(child))
        for part in body:
            for child in ast.walk(part):
                if isinstance(child, ast.Import):
                    for alias in child.names:
                        if missing_module(alias.name):
                            return alias.name.split(".")[0]
                elif isinstance(child, ast.ImportFrom) and child.level == 0:
                    if missing_module(child.module):
                        return (child.module or "").split(".")[0]
                elif isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
                    if child.id not in inner and (
                        child.id in self.lacking or child.id in self.deferred
                    ):
                        return child.id
                elif is_paramlab(child) and child.attr in KERAS_BOUND and "paramlab" not in inner:
                    return f"paramlab.{child.attr}"
        return None

    # Statements --------------------------------------------------------------------------

    def run(self, stmt: ast.stmt) -> str | None:
        """Run `stmt` at top level in the model: the first unavailable name it needs (then every
        name it binds is lacking), or None (its names are bound: free, or deferred for a
        function whose body needs Keras)."""
        need = self._statement(stmt)
        if need is not None:
            self.lack(bound_names(stmt))
        return need

    def _statement(self, stmt: ast.stmt) -> str | None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if missing_module(alias.name):
                    return alias.name.split(".")[0]
        elif isinstance(stmt, ast.ImportFrom):
            if stmt.level == 0 and missing_module(stmt.module):
                return (stmt.module or "").split(".")[0]
            if stmt.module == "paramlab" and (bad := {a.name for a in stmt.names} & KERAS_BOUND):
                return f"paramlab.{min(bad)}"
        elif isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            return self._definition(stmt)
        elif isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Lambda):
            if need := self._first([*stmt.targets, *_at_definition(stmt.value)], frozenset()):
                return need
            deferred = self.body_needs(stmt.value) is not None
            self.free(bound_names(stmt))
            if deferred:
                self.deferred.update(bound_names(stmt))
            return None
        elif isinstance(stmt, _COMPOUND):
            return self._compound(stmt)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            if (need := self.needs(ast.Name(stmt.target.id, ast.Load()))) is not None:
                return need  # `x += 1` reads x
            return self.needs(stmt.value)
        elif (need := self.needs(stmt)) is not None:
            return need
        self.free(bound_names(stmt))
        return None

    def _definition(
        self, stmt: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ) -> str | None:
        if isinstance(stmt, ast.ClassDef):
            at_definition = [*stmt.decorator_list, *stmt.bases, *(k.value for k in stmt.keywords)]
        else:
            at_definition = _at_definition(stmt)
        if (need := self._first(at_definition, frozenset())) is not None:
            return need
        body_need = self.body_needs(stmt)
        if isinstance(stmt, ast.ClassDef) and body_need is not None:
            return body_need  # a class's body runs when it is defined
        self.free([stmt.name])
        if body_need is not None:
            self.deferred.add(stmt.name)
        return None

    def _compound(self, stmt: ast.stmt) -> str | None:
        """if / for / while / with / try / match: their headers, then every body in order."""
        needs: list[str | None] = []
        for name, value in ast.iter_fields(stmt):
            values = value if isinstance(value, list) else [value]
            for part in values:
                if isinstance(part, ast.stmt):
                    needs.append(self.run(part))
                elif isinstance(part, ast.ExceptHandler):
                    needs.append(self.needs(part.type) if part.type else None)
                    self.free([part.name] if part.name else [])
                    needs.extend(self.run(s) for s in part.body)
                elif isinstance(part, ast.match_case):
                    guard = [part.guard] if part.guard else []
                    needs.append(self._first([part.pattern, *guard], frozenset()))
                    self.free(bound_names(part.pattern))
                    needs.extend(self.run(s) for s in part.body)
                elif isinstance(part, ast.AST) and name != "type_comment":
                    needs.append(self.needs(part))
                    if name in ("target", "optional_vars", "items"):
                        self.free(bound_names(part))
        return next((need for need in needs if need is not None), None)


_COMPOUND = (
    ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match,
    *((ast.TryStar,) if hasattr(ast, "TryStar") else ()),
)  # fmt: skip


def cell_needs(reach: Reach, tree: ast.Module) -> str | None:
    """Run a whole cell in the model: None when every statement is available (its names are
    bound), else the first unavailable name (and every name the cell binds is lacking)."""
    trial = reach.copy()
    need = next((n for n in (trial.run(s) for s in tree.body) if n is not None), None)
    if need is None:
        reach.lacking, reach.deferred = trial.lacking, trial.deferred
    else:
        for stmt in tree.body:
            reach.lack(bound_names(stmt))
    return need
