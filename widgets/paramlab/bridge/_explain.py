"""`explain(model)`: every layer's parameters by formula, checked weight by weight against Keras."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Any

import keras

from paramlab.bridge import _adapters, _costs  # noqa: F401  (_adapters registers every adapter)
from paramlab.bridge._optimizer import optimizer_row
from paramlab.bridge._registry import Adapter, NoFormula, adapter_for
from paramlab.bridge.report import Report, Row
from paramlab.core import _checks
from paramlab.core.terms import Breakdown, Term, term

_UNNAMED = re.compile(r"variable(_\d+)?")


def explain(model_or_layer: Any, *, batch_size: int | None = None) -> Report:
    """Explain the parameter count of a built Keras model or layer, term by term.

    Totals are exactly Keras' (`count_params()`, the sums over `trainable_weights` and
    `non_trainable_weights`); each row says which formula produced its terms, or that none did.
    A compiled model's built optimizer adds what `model.summary()` adds: its variables.

    With `batch_size`, each row also gets its cost for a batch of that many samples (`Row.cost`):
    the activations it outputs (numbers, and bytes at its output dtype) and its multiply-adds,
    by the convention of `paramlab.core.costs` (torchinfo's Mult-Adds: each weight once per
    position it is applied at, biases included; elementwise arithmetic not counted); the
    report adds both columns and their totals.
    """
    obj = model_or_layer
    if not isinstance(obj, keras.layers.Layer):
        raise TypeError(
            "`explain()` expects a Keras model or layer. "
            f"Received: model_or_layer={_short_repr(obj)} (of type {type(obj).__name__})"
        )
    if batch_size is not None:
        _checks.positive("batch_size", batch_size)
    if not obj.built:
        kind = "model" if isinstance(obj, keras.Model) else "layer"
        raise ValueError(
            f"The {kind} '{obj.name}' has not been built yet, so it has no weights to count. "
            f"Build it first: start it with `keras.Input(shape=...)`, call "
            f"`{kind}.build(input_shape)` (for example `{kind}.build((None, 28, 28, 1))`), "
            f"or call it on a batch of data. Received: {kind}={obj.name} (built=False)"
        )
    walker = _Walker(trainable_ids={id(w) for w in obj.trainable_weights})
    walker.visit(obj, prefix="", root=True)
    rows = tuple(walker.rows)
    if batch_size is not None:
        costs = _costs.row_costs(obj, walker.layers, batch_size)
        rows = tuple(replace(r, cost=c) for r, c in zip(rows, costs, strict=True))
    return Report(
        name=obj.name,
        rows=rows,
        total=int(obj.count_params()),
        trainable=sum(_size(w) for w in obj.trainable_weights),
        non_trainable=sum(_size(w) for w in obj.non_trainable_weights),
        optimizer=optimizer_row(obj),
        batch_size=batch_size,
    )


def _short_repr(obj: Any) -> str:
    text = repr(obj)
    return text if len(text) <= 60 else text[:57] + "..."


def _size(weight: Any) -> int:
    return math.prod(weight.shape)


def _children(layer: Any) -> list[Any]:
    if isinstance(layer, keras.Model):
        return list(layer.layers)
    # A custom layer of an unknown class: explain the layers it is made of.
    return list(layer._flatten_layers(include_self=False, recursive=False))


def _output_shape(layer: Any) -> str:
    try:
        output = layer.output
    except (AttributeError, ValueError, RuntimeError):
        return ""
    shapes = keras.tree.map_structure(lambda t: tuple(t.shape), output)
    return str(shapes)


def same_weight_name(keras_name: str, term_name: str) -> bool:
    """Equal names, or an unnamed weight: Keras calls those 'variable', 'variable_1', ..."""
    if keras_name == term_name:
        return True
    return term_name == "variable" and _UNNAMED.fullmatch(keras_name) is not None


def _match(terms: tuple[Term, ...], weights: list[Any]) -> list[Any] | None:
    """Pair each term with a weight of the same name and shape; None if any is left over."""
    pool = list(weights)
    matched = []
    for t in terms:
        for i, w in enumerate(pool):
            if same_weight_name(w.name, t.name) and tuple(w.shape) == t.shape:
                matched.append(pool.pop(i))
                break
        else:
            return None
    return None if pool else matched


def _weight_terms(weights: list[Any], layer_path: str) -> tuple[Term, ...]:
    """Terms read straight from the weights, for a layer no formula explains."""
    out = []
    for w in weights:
        scope = w.path.rsplit("/", 1)[0] if "/" in w.path else ""
        scope = scope.removeprefix(layer_path).strip("/")
        shape = tuple(int(d) for d in w.shape)
        out.append(
            term(
                w.name,
                shape,
                [(str(d), d) for d in shape],
                trainable=bool(w.trainable),
                scope=scope,
                note="read from the weight",
            )
        )
    return tuple(out)


@dataclass
class _Walker:
    trainable_ids: set[int]
    rows: list[Row] = field(default_factory=list)
    layers: list[Any] = field(default_factory=list)  # the layer each row stands for
    seen_layers: set[int] = field(default_factory=set)
    seen_weights: set[int] = field(default_factory=set)

    def visit(self, layer: Any, prefix: str, root: bool = False) -> None:
        """Add `layer`'s rows: by its formula if it has one, else by its children, else read
        from its weights."""
        if id(layer) in self.seen_layers:
            return  # a shared layer counts once, where it first appears
        self.seen_layers.add(id(layer))
        adapter = adapter_for(layer)
        if adapter is not None:
            self._visit_formula(layer, prefix, adapter)
            return
        children = _children(layer)
        if children:
            self._visit_children(layer, prefix, children, root)
            return
        why = f"no formula for {type(layer).__name__}; its count is read from its weights"
        self._add_unexplained(layer, prefix, list(layer.weights), why)

    def _visit_children(self, layer: Any, prefix: str, children: list[Any], root: bool) -> None:
        """A model, or a layer of an unknown class made of layers: its children's rows, then
        a row for the weights it created itself, or one saying where its weights were counted."""
        inner = prefix if root else f"{prefix}{layer.name}/"
        for child in children:
            self.visit(child, inner)
        covered = {id(w) for c in children for w in c.weights}
        own = [w for w in layer.weights if id(w) not in covered]
        if own:
            why = f"weights created by {type(layer).__name__} itself: no formula for them"
            self._add_unexplained(layer, prefix, own, why)
        elif not isinstance(layer, keras.Model) and not any(
            r.name.startswith(inner) for r in self.rows
        ):
            names = ", ".join(c.name for c in children)
            why = (
                f"no formula for {type(layer).__name__}; it is made of layers counted "
                f"where they first appear ({names})"
            )
            self._add_unexplained(layer, prefix, [], why)

    def _visit_formula(self, layer: Any, prefix: str, adapter: Adapter) -> None:
        """A layer with an adapter: its formula's row if the terms match the weights Keras
        built, else a row read from the weights that says why."""
        weights = list(layer.weights)
        try:
            breakdown = adapter(layer)
        except NoFormula as err:
            self._add_unexplained(layer, prefix, weights, str(err))
            return
        except (ValueError, TypeError) as err:
            why = f"the formula refused this configuration: {err}"
            self._add_unexplained(layer, prefix, weights, why)
            return
        matched = self._matched(breakdown, weights)
        if matched is None:
            why = (
                f"the {breakdown.layer} formula ({breakdown.formula}) does not match the "
                "weights Keras built; the count is read from the weights"
            )
            self._add_unexplained(layer, prefix, weights, why)
            return
        self._add_explained(layer, prefix, breakdown, matched)

    def _matched(self, breakdown: Breakdown, weights: list[Any]) -> list[Any] | None:
        """The weights in the order of the breakdown's terms; None if they do not match, or if
        the formula calls a weight non-trainable that Keras trains."""
        matched = _match(breakdown.terms, weights)
        if matched is not None and any(
            not t.trainable and id(w) in self.trainable_ids
            for t, w in zip(breakdown.terms, matched, strict=True)
        ):
            return None
        return matched

    def _add_explained(
        self, layer: Any, prefix: str, breakdown: Breakdown, matched: list[Any]
    ) -> None:
        """The formula's row: its terms as Keras trains them, shared weights noted."""
        terms, shared = [], 0
        for t, w in zip(breakdown.terms, matched, strict=True):
            t = replace(t, trainable=t.trainable and id(w) in self.trainable_ids)
            if id(w) in self.seen_weights:
                shared += t.count
                t = replace(t, note="shared with an earlier layer and counted there")
            terms.append(t)
        notes = list(breakdown.notes)
        if shared:
            notes.append(f"{shared:,} parameters are shared with an earlier layer, counted there")
        self._add(layer, prefix, matched, tuple(terms), True, "; ".join(notes), breakdown.formula)

    def _add_unexplained(self, layer: Any, prefix: str, weights: list[Any], why: str) -> None:
        terms = tuple(
            replace(t, trainable=t.trainable and id(w) in self.trainable_ids)
            for t, w in zip(_weight_terms(weights, layer.path), weights, strict=True)
        )
        self._add(layer, prefix, weights, terms, False, why, "")

    def _add(
        self,
        layer: Any,
        prefix: str,
        weights: list[Any],
        terms: tuple[Term, ...],
        explained: bool,
        note: str,
        formula: str,
    ) -> None:
        fresh = [w for w in weights if id(w) not in self.seen_weights]
        self.seen_weights.update(id(w) for w in fresh)
        trainable = sum(_size(w) for w in fresh if id(w) in self.trainable_ids)
        total = sum(_size(w) for w in fresh)
        self.layers.append(layer)
        self.rows.append(
            Row(
                name=f"{prefix}{layer.name}",
                class_name=type(layer).__name__,
                total=total,
                trainable=trainable,
                non_trainable=total - trainable,
                terms=terms,
                explained=explained,
                note=note,
                output_shape=_output_shape(layer),
                formula=formula,
            )
        )
