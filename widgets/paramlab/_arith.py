"""A learner's arithmetic, parsed safely: numbers, + - * / and parentheses, nothing else.

An AST walk over a whitelist of node types, never `eval`. Sizes are bounded so that no input
can make the kernel work hard.
"""

from __future__ import annotations

import ast
import math
import re
from fractions import Fraction

MAX_LENGTH = 200
MAX_MAGNITUDE = 10**15

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_REPLACEMENTS = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "\u00a0": " "}


class ArithmeticInputError(ValueError):
    """The input is not a plain arithmetic expression; the message says why, for a learner."""


def parse(text: object) -> Fraction:
    """The exact value of an expression like `5*45*32 + 32` or `7,232`."""
    if not isinstance(text, str):
        raise ArithmeticInputError(
            f"Type a number or an arithmetic expression. Received: {type(text).__name__}"
        )
    cleaned = text.strip()
    if not cleaned:
        raise ArithmeticInputError("Type a number or an expression such as 5*45*32 + 32.")
    if len(cleaned) > MAX_LENGTH:
        raise ArithmeticInputError(
            f"That is longer than {MAX_LENGTH} characters: a shorter expression, please."
        )
    for old, new in _REPLACEMENTS.items():
        cleaned = cleaned.replace(old, new)
    cleaned = _THOUSANDS.sub("", cleaned)
    if "**" in cleaned or "^" in cleaned:
        raise ArithmeticInputError("Powers are not needed here: write 3*3 instead of 3**2.")
    try:
        tree = ast.parse(cleaned, mode="eval")
    except SyntaxError:
        raise ArithmeticInputError(
            "That is not an expression I can read: use digits, + - * / and parentheses."
        ) from None
    return _value(tree.body)


def _value(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        if not math.isfinite(node.value) or abs(node.value) > MAX_MAGNITUDE:
            raise ArithmeticInputError("That number is far larger than any layer here.")
        value = Fraction(node.value)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        inner = _value(node.operand)
        value = inner if isinstance(node.op, ast.UAdd) else -inner
    elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _value(node.left), _value(node.right)
        if isinstance(node.op, ast.Add):
            value = left + right
        elif isinstance(node.op, ast.Sub):
            value = left - right
        elif isinstance(node.op, ast.Mult):
            value = left * right
        else:
            if right == 0:
                raise ArithmeticInputError("That divides by zero.")
            value = left / right
    else:
        raise ArithmeticInputError(
            "Only numbers, + - * / and parentheses are allowed here "
            "(no names, calls or other operators)."
        )
    if abs(value) > MAX_MAGNITUDE or value.denominator > MAX_MAGNITUDE:
        raise ArithmeticInputError("That number is far larger than any layer here.")
    return value
