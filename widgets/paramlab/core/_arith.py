"""A learner's arithmetic, read safely: numbers, + - * / and parentheses, nothing else.

A small tokenizer and a recursive-descent parser that computes exact `Fraction`s as it reads;
no `eval`, `exec` or `ast` (whose parser has crashed kernels: CPython gh-106905). Length,
nesting depth and every intermediate value are bounded, so no input can make the kernel work
hard. Pure: no keras, no widgets.

    expression := product (("+" | "-") product)*
    product    := factor (("*" | "/") factor)*
    factor     := ("+" | "-") factor | number | "(" expression ")"
"""

from __future__ import annotations

import re
from fractions import Fraction

MAX_LENGTH = 200
MAX_DEPTH = 30
MAX_MAGNITUDE = 10**15
MAX_EXPONENT = 3 * MAX_LENGTH  # 10**600 is still quick to build, and then refused

EXAMPLE = "2*(3 + 4)"
_REPLACEMENTS = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "\u00a0": " "}
_NUMBER = re.compile(
    r"(\d[\d_]*(?:,\d[\d_]*)*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE]([+-]?\d+))?", re.ASCII
)
_NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_COMMAS = re.compile(r"\d{1,3}(?:,\d{3})+", re.ASCII)
_UNDERSCORES = re.compile(r"\d+(?:_\d+)*", re.ASCII)
_OPERATORS = frozenset("+-*/()")
_CODE = frozenset("'\"[]{}:,.%@<>!&|~\\`$?")  # Python punctuation that is not arithmetic

UNREADABLE = "That is not an expression I can read: use digits, + - * / and parentheses."
NOT_ARITHMETIC = (
    "Only numbers, + - * / and parentheses are allowed here (no names, calls or other operators)."
)
TOO_LARGE = "That number is far larger than any layer here."
TOO_PRECISE = "That has more decimal places than I can check: a parameter count is a whole number."


class ArithmeticInputError(ValueError):
    """The input is not a plain arithmetic expression; the message says why, for a learner."""


def parse(text: object) -> Fraction:
    """The exact value of an expression like `2*(3 + 4)`, `7,232` or `7_232`."""
    if not isinstance(text, str):
        raise ArithmeticInputError(
            f"Type a number or an arithmetic expression. Received: {type(text).__name__}"
        )
    cleaned = text.strip()
    if len(cleaned) > MAX_LENGTH:
        raise ArithmeticInputError(
            f"That is longer than {MAX_LENGTH} characters: a shorter expression, please."
        )
    cleaned = cleaned.split("#", 1)[0].strip()  # a comment, as in Python
    if not cleaned:
        raise ArithmeticInputError(f"Type a number, or arithmetic such as {EXAMPLE}.")
    for old, new in _REPLACEMENTS.items():
        cleaned = cleaned.replace(old, new)
    if "**" in cleaned or "^" in cleaned:
        raise ArithmeticInputError("Powers are not needed here: write 3*3 instead of 3**2.")
    return _Parser(_tokens(cleaned)).parse()


def _tokens(text: str) -> list[Fraction | str]:
    """Numbers as Fractions, operators as one-character strings; anything else is refused."""
    tokens: list[Fraction | str] = []
    code = False  # names, quotes, brackets: Python, but not arithmetic
    bad_number: ArithmeticInputError | None = None  # said after `code`, which explains more
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif number := _NUMBER.match(text, i):
            try:
                tokens.append(_number(number.group(1), number.group(2)))
            except ArithmeticInputError as err:
                bad_number = bad_number or err
            i = number.end()
        elif char in _OPERATORS:
            tokens.append(char)
            i += 1
        elif name := _NAME.match(text, i):
            code = True
            i = name.end()
        elif char in _CODE:
            code = True
            i += 1
        else:  # '=', ';', digits of other scripts, letters of other alphabets...
            raise ArithmeticInputError(UNREADABLE)
    if code:
        raise ArithmeticInputError(NOT_ARITHMETIC)
    if bad_number is not None:
        raise bad_number
    return tokens


def _number(digits: str, exponent: str | None) -> Fraction:
    whole, _, decimals = digits.partition(".")
    if "," in whole:
        if "_" in whole or not _COMMAS.fullmatch(whole):
            raise ArithmeticInputError(
                "Commas may only separate thousands, as in 7,232 (or write 7232)."
            )
        whole = whole.replace(",", "")
    for part in (whole, decimals):
        if part and not _UNDERSCORES.fullmatch(part):
            raise ArithmeticInputError(UNREADABLE)
    value = Fraction(int(whole.replace("_", "") or "0"))
    if decimals:
        value += Fraction(int(decimals.replace("_", "")), 10 ** len(decimals.replace("_", "")))
    if exponent is not None:
        power = int(exponent)
        if power > MAX_EXPONENT and value:
            raise ArithmeticInputError(TOO_LARGE)
        if power < -MAX_EXPONENT and value:
            raise ArithmeticInputError(TOO_PRECISE)
        value *= Fraction(10) ** max(-MAX_EXPONENT, min(power, MAX_EXPONENT))
    return _bounded(value)


def _bounded(value: Fraction) -> Fraction:
    if abs(value) > MAX_MAGNITUDE:
        raise ArithmeticInputError(TOO_LARGE)
    if value.denominator > MAX_MAGNITUDE:
        raise ArithmeticInputError(TOO_PRECISE)
    return value


class _Parser:
    def __init__(self, tokens: list[Fraction | str]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def parse(self) -> Fraction:
        value = self.expression()
        if self.at < len(self.tokens):
            if self.tokens[self.at] == ")":
                raise ArithmeticInputError("There is a ')' without its '('.")
            raise ArithmeticInputError(UNREADABLE)
        return value

    def peek(self) -> Fraction | str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Fraction | str | None:
        token = self.peek()
        self.at += 1
        return token

    def expression(self) -> Fraction:
        value = self.product()
        while (op := self.peek()) in ("+", "-"):
            self.take()
            right = self.product()
            value = _bounded(value + right if op == "+" else value - right)
        return value

    def product(self) -> Fraction:
        value = self.factor()
        while (op := self.peek()) in ("*", "/"):
            self.take()
            right = self.factor()
            if op == "*":
                value = _bounded(value * right)
            elif right == 0:
                raise ArithmeticInputError("That divides by zero.")
            else:
                value = _bounded(value / right)
        return value

    def factor(self) -> Fraction:
        token = self.take()
        if isinstance(token, Fraction):
            return token
        if token not in ("+", "-", "("):
            raise ArithmeticInputError(UNREADABLE)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ArithmeticInputError("That nests too deeply: fewer parentheses or signs, please.")
        if token == "(":
            value = self.expression()
            closing = self.take()
            if closing is None:
                raise ArithmeticInputError("A '(' is never closed: add its ')'.")
            if closing != ")":
                raise ArithmeticInputError(UNREADABLE)
        else:
            inner = self.factor()
            value = inner if token == "+" else -inner
        self.depth -= 1
        return value
