"""The where language: a condition over the index frame's columns, parsed (never run as code).

Grammar, a subset of Python expressions read with `ast`:
  column names, literals (numbers, text, True/False/None), lists/tuples of literals,
  comparisons (chained too: `1 < prompt_tokens <= 10`), `in` / `not in`, `and` / `or` / `not`,
  and a few tests: `col.str.contains("x")`, `col.str.startswith("x")`, `col.str.endswith("x")`,
  `col.isna()`, `col.notna()`.
Anything else (calls, attributes, subscripts, `@` names, lambdas, arithmetic) is a `WhereError`
saying what is allowed.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from collections.abc import Callable

import pandas as pd

from explorer.errors import ExplorerError

ALLOWED = ("column names, literals (numbers, 'text', True, False, None), lists, comparisons "
           "(== != < <= > >=, chained), in / not in, and / or / not, col.str.contains('x'), "
           "col.str.startswith('x'), col.str.endswith('x'), col.isna(), col.notna()")
EXAMPLE = "prompt_tokens > 1000 and provider == 'openai'"
MAX_LENGTH = 2000
MAX_NODES = 500

_COMPARE: dict[type, Callable] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
}
_STR_TESTS = ("contains", "startswith", "endswith")
_NA_TESTS = ("isna", "notna")


class WhereError(ExplorerError, ValueError):
    """A where expression outside the language; the message says what is allowed."""


def evaluate(frame: pd.DataFrame, expression: str) -> pd.Series:
    """One boolean per row of `frame` (NA counts as false)."""
    tree = parse(expression, list(frame.columns))
    evaluator = _Evaluator(frame)
    result = evaluator.value(tree.body)
    if isinstance(result, pd.Series):
        return evaluator.truth(result)
    raise WhereError(f"where {_short(expression)} does not give one true/false per row; write a "
                     f"condition on a column, e.g. {EXAMPLE}")


def parse(expression: str, columns: list[str]) -> ast.Expression:
    """The checked syntax tree; `WhereError` when anything is outside the language."""
    text = expression.strip()
    if len(text) > MAX_LENGTH:
        raise WhereError(f"where expression is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise WhereError(f"where {_short(text)} is not a condition; allowed: {ALLOWED}; "
                         f"e.g. {EXAMPLE}") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_NODES:
        raise WhereError(f"where expression has more than {MAX_NODES} parts; shorten it")
    _check(tree.body, set(columns), text)
    return tree


def _short(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


def _refuse(node: ast.AST, text: str) -> WhereError:
    part = ast.get_source_segment(text, node) or type(node).__name__
    return WhereError(f"where: {_short(part)} is not allowed; allowed: {ALLOWED}")


def _check(node: ast.AST, columns: set[str], text: str) -> None:
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, columns, text)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        if isinstance(node.op, ast.USub) and not _is_number(node.operand):
            raise _refuse(node, text)
        _check(node.operand, columns, text)
    elif isinstance(node, ast.Compare):
        for part in (node.left, *node.comparators):
            _check(part, columns, text)
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)) and not isinstance(right, (ast.List, ast.Tuple)):
                raise WhereError("where: `in` takes a list of values, e.g. "
                                 "provider in ['openai', 'ollama']")
            if not isinstance(op, (ast.In, ast.NotIn, *_COMPARE)):
                raise _refuse(node, text)
    elif isinstance(node, ast.Name):
        _check_column(node.id, columns)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise _refuse(node, text)
        _check_range(node, text)
    elif isinstance(node, (ast.List, ast.Tuple)):
        for item in node.elts:
            if not (isinstance(item, ast.Constant) or _is_number(item)):
                raise _refuse(item, text)
            _check(item, columns, text)
    elif isinstance(node, ast.Call):
        _check_call(node, columns, text)
    else:
        raise _refuse(node, text)


INT64_MAX = 2**63 - 1


def _check_range(node: ast.Constant, text: str) -> None:
    """Numbers a column can be compared with: integers within int64, finite floats."""
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if (isinstance(value, int) and abs(value) > INT64_MAX) or (
            isinstance(value, float) and not math.isfinite(value)):
        part = ast.get_source_segment(text, node) or str(value)
        raise WhereError(f"where: the number {_short(part)} is out of range; numbers must lie "
                         f"within ±{INT64_MAX:,} (and be finite)")


def _is_number(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _is_number(node.operand)
    return (isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
            and not isinstance(node.value, bool))


def _check_column(name: str, columns: set[str]) -> None:
    if name in columns:
        return
    near = difflib.get_close_matches(name, sorted(columns), n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(near)}?" if near else f"columns: {', '.join(sorted(columns))}"
    raise WhereError(f"where: unknown column {name!r}; {hint}")


def _method_target(node: ast.Call) -> tuple[str, str] | None:
    """(column, method) for `col.isna()` / `col.str.contains(...)`, else None."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _NA_TESTS and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    inner = func.value
    if (func.attr in _STR_TESTS and isinstance(inner, ast.Attribute) and inner.attr == "str"
            and isinstance(inner.value, ast.Name)):
        return inner.value.id, func.attr
    return None


def _check_call(node: ast.Call, columns: set[str], text: str) -> None:
    target = _method_target(node)
    if target is None or node.keywords:
        raise _refuse(node, text)
    column, method = target
    _check_column(column, columns)
    wants = 0 if method in _NA_TESTS else 1
    if len(node.args) != wants or not all(
            isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
        usage = f"{column}.{method}()" if wants == 0 else f"{column}.str.{method}('text')"
        raise WhereError(f"where: write {usage}; allowed: {ALLOWED}")


class _Evaluator:
    """Evaluates a checked tree with pandas operations only."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def value(self, node: ast.AST):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return self.frame[node.id]
        if isinstance(node, (ast.List, ast.Tuple)):
            return [self.value(item) for item in node.elts]
        if isinstance(node, ast.UnaryOp):
            operand = self.value(node.operand)
            if isinstance(node.op, ast.USub):
                return -operand
            return ~self.truth(operand)
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(self.value(v)) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            result = parts[0]
            for part in parts[1:]:
                result = combine(result, part)
            return result
        if isinstance(node, ast.Compare):
            return self._compare(node)
        return self._call(node)

    def truth(self, value) -> pd.Series:
        if isinstance(value, pd.Series):
            if not pd.api.types.is_bool_dtype(value.dtype):
                raise WhereError(f"where: column {value.name} is not true/false; compare it, "
                                 f"e.g. {value.name} == 'value' or {value.name}.notna()")
            return value.astype("boolean").fillna(False).astype(bool)
        return pd.Series(bool(value), index=self.frame.index)

    def _compare(self, node: ast.Compare) -> pd.Series:
        result = pd.Series(True, index=self.frame.index)
        left = self.value(node.left)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.value(right_node)
            result &= self.truth(self._one(op, left, right))
            left = right
        return result

    def _one(self, op: ast.cmpop, left, right):
        if isinstance(op, (ast.In, ast.NotIn)):
            if isinstance(left, pd.Series):
                hit = left.isin([v for v in right if v is not None]).astype("boolean")
                hit = hit.fillna(False).astype(bool) | (left.isna() if None in right else False)
            else:
                hit = pd.Series(left in right, index=self.frame.index)
            return ~hit if isinstance(op, ast.NotIn) else hit
        if right is None or left is None:
            other = left if right is None else right
            if isinstance(other, pd.Series):
                na = other.isna()
                return na if isinstance(op, ast.Eq) else ~na
        if isinstance(left, list) or isinstance(right, list):
            raise WhereError("where: a list goes after in / not in, e.g. provider in ['a', 'b']")
        try:
            return _COMPARE[type(op)](left, right)
        except (TypeError, ValueError) as exc:
            raise WhereError(f"where: cannot compare {_describe(left)} with {_describe(right)} "
                             f"({exc})") from None

    def _call(self, node: ast.Call) -> pd.Series:
        column, method = _method_target(node)  # type: ignore[misc]  # checked by _check_call
        series = self.frame[column]
        if method == "isna":
            return series.isna()
        if method == "notna":
            return series.notna()
        text = series.astype("string")
        needle = node.args[0].value  # type: ignore[attr-defined]
        if method == "contains":
            return text.str.contains(needle, regex=False)
        return getattr(text.str, method)(needle)


def _describe(value) -> str:
    if isinstance(value, pd.Series):
        return f"column {value.name} ({value.dtype})"
    return repr(value)
