"""The learner's arithmetic: exact values, and a plain word for everything else (no ast)."""

from __future__ import annotations

import ast
from fractions import Fraction

import pytest

from paramlab.core._arith import ArithmeticInputError, parse


@pytest.mark.parametrize(
    "text,value",
    [
        ("5*45*32 + 32", 7232),
        ("7,232", 7232),
        ("1,234,567", 1234567),
        ("7_232", 7232),
        ("2 + 3*4", 14),
        ("2*(3 + 4)", 14),
        ("10 - 4 - 3", 3),
        ("10/4", Fraction(5, 2)),
        ("31400.5", Fraction(62801, 2)),
        (".5 + 1.", Fraction(3, 2)),
        ("2.5e3", 2500),
        ("-3", -3),
        ("-(-3)", 3),
        ("+-+3", -3),
        ("5 × 45 − 5 ÷ 5", 224),
        ("7232 # my guess", 7232),
        ("(" * 30 + "1" + ")" * 30, 1),
    ],
)
def test_values_are_exact(text, value):
    assert parse(text) == value


def test_no_ast_involved(monkeypatch):
    def crash(*args, **kwargs):
        raise SystemError("AST constructor recursion depth mismatch")

    with monkeypatch.context() as patched:  # undone before pytest reads any traceback
        patched.setattr(ast, "parse", crash)
        value = parse("5*45*32 + 32")
    assert value == 7232


@pytest.mark.parametrize(
    "text,message",
    [
        ("", "Type a number, or arithmetic such as 2*(3 + 4)."),
        ("1,2", "Commas may only separate thousands, as in 7,232 (or write 7232)."),
        ("7232,0", "Commas may only separate thousands, as in 7,232 (or write 7232)."),
        ("1__2", "That is not an expression I can read: use digits, + - * / and parentheses."),
        ("3 4", "That is not an expression I can read: use digits, + - * / and parentheses."),
        ("3 +", "That is not an expression I can read: use digits, + - * / and parentheses."),
        ("x = 3", "That is not an expression I can read: use digits, + - * / and parentheses."),
        ("١٢٣", "That is not an expression I can read: use digits, + - * / and parentheses."),
        ("(3 + 4", "A '(' is never closed: add its ')'."),
        ("3 + 4)", "There is a ')' without its '('."),
        ("-" * 31 + "1", "That nests too deeply: fewer parentheses or signs, please."),
        ("(" * 31 + "1" + ")" * 31, "That nests too deeply: fewer parentheses or signs, please."),
        ("[1, 2]", "Only numbers, + - * / and parentheses are allowed here"),
        ("abs(-3)", "Only numbers, + - * / and parentheses are allowed here"),
        ("3 % 2", "Only numbers, + - * / and parentheses are allowed here"),
        ("2**3", "Powers are not needed here: write 3*3 instead of 3**2."),
        ("1/(2 - 2)", "That divides by zero."),
        ("1e999999999", "That number is far larger than any layer here."),
        ("10**15", "Powers are not needed"),
        ("1000000000000000 * 2", "That number is far larger than any layer here."),
        ("1e-999999999", "That has more decimal places than I can check"),
        ("1" + "/3" * 40, "That has more decimal places than I can check"),
        ("1" * 201, "That is longer than 200 characters: a shorter expression, please."),
    ],
)
def test_everything_else_gets_a_plain_word(text, message):
    with pytest.raises(ArithmeticInputError) as info:
        parse(text)
    assert str(info.value).startswith(message)


def test_not_a_string():
    with pytest.raises(ArithmeticInputError, match=r"Received: int"):
        parse(3)
