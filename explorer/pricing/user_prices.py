"""The user's own prices (TOML or CSV), which override the price database for the models they name.

TOML::

    [[prices]]
    model = "gpt-4o"
    provider = "openai"        # optional: without it the price applies to the model on any provider
    input = 2.5                # USD per million input tokens
    output = 10.0              # USD per million output tokens
    cached_input = 1.25        # optional: USD per million cached input tokens (default: input)

CSV: a header row `model,provider,input,output,cached_input` (provider and cached_input optional,
as columns or as empty cells), then one row per model.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from explorer.errors import ExplorerError

REQUIRED = ("model", "input", "output")
OPTIONAL = ("provider", "cached_input")
KEYS = REQUIRED + OPTIONAL
EXAMPLE = 'model = "gpt-4o", input = 2.5, output = 10.0'


class PricesFileError(ExplorerError, ValueError):
    """A prices file that cannot be used; the message names the file, the place and the fix."""


@dataclass(frozen=True)
class UserPrice:
    model: str
    provider: str | None
    input: Decimal
    output: Decimal
    cached_input: Decimal | None
    where: str  # "line 3" or "[[prices]] entry 2", for messages


@dataclass(frozen=True)
class PriceList:
    path: Path
    entries: tuple[UserPrice, ...]

    def find(self, provider: str | None, provider_id: str | None, model: str) -> UserPrice | None:
        """The entry for this model: one naming the provider (or its database id) first, else a
        provider-less one."""
        model = model.lower()
        same_model = [e for e in self.entries if e.model.lower() == model]
        names = {name for name in (provider, provider_id) if name}
        for entry in same_model:
            if entry.provider and entry.provider.lower() in names:
                return entry
        return next((e for e in same_model if not e.provider), None)


def load_prices(path: str | Path) -> PriceList:
    """Read a TOML or CSV prices file; raises PricesFileError naming what to fix."""
    path = Path(path).expanduser()
    if path.suffix.lower() not in (".toml", ".csv"):
        raise PricesFileError(f"{path}: unknown prices file type; name it .toml or .csv")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise PricesFileError(f"{path}: cannot read prices file ({error.strerror or error})") from None
    raw = _toml_entries(path, text) if path.suffix.lower() == ".toml" else _csv_entries(path, text)
    entries = tuple(_entry(path, where, values) for where, values in raw)
    if not entries:
        raise PricesFileError(f"{path}: no prices in the file; add at least one ({EXAMPLE})")
    _check_duplicates(path, entries)
    return PriceList(path, entries)


def _toml_entries(path: Path, text: str) -> list[tuple[str, dict]]:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PricesFileError(f"{path}: not valid TOML ({error})") from None
    tables = document.get("prices")
    others = sorted(set(document) - {"prices"})
    if others or not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        found = f"found {', '.join(others)}" if others else "found no [[prices]] tables"
        raise PricesFileError(f"{path}: expected [[prices]] tables ({EXAMPLE}); {found}")
    return [(f"[[prices]] entry {number}", table) for number, table in enumerate(tables, 1)]


def _csv_entries(path: Path, text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(text.splitlines())
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    unknown = [name for name in header if name not in KEYS]
    if missing or unknown:
        problem = f"missing column {', '.join(missing)}" if missing else \
            f"unknown column {', '.join(unknown)}"
        raise PricesFileError(f"{path}: line 1: {problem}; the header must be "
                              f"model,input,output (optional: provider,cached_input)")
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise PricesFileError(f"{path}: line {reader.line_num}: more cells than header columns")
        values = {key: (value or "").strip() for key, value in row.items()}
        if any(values.values()):
            rows.append((f"line {reader.line_num}", {k: v for k, v in values.items() if v}))
    return rows


def _entry(path: Path, where: str, values: dict) -> UserPrice:
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise PricesFileError(f"{path}: {where}: unknown key {', '.join(unknown)}; "
                              f"allowed keys: {', '.join(KEYS)}")
    for key in REQUIRED:
        if key not in values:
            raise PricesFileError(f"{path}: {where}: missing {key!r} ({EXAMPLE})")
    model, provider = _text(path, where, values, "model"), values.get("provider")
    return UserPrice(
        model=model,
        provider=_text(path, where, values, "provider") if provider is not None else None,
        input=_rate(path, where, values, "input"),
        output=_rate(path, where, values, "output"),
        cached_input=_rate(path, where, values, "cached_input") if "cached_input" in values else None,
        where=where,
    )


def _text(path: Path, where: str, values: dict, key: str) -> str:
    value = values[key]
    if not isinstance(value, str) or not value.strip():
        raise PricesFileError(f"{path}: {where}: {key!r} must be a non-empty text, got {value!r}")
    return value.strip()


def _rate(path: Path, where: str, values: dict, key: str) -> Decimal:
    value = values[key]
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        rate = Decimal(str(value).strip().removeprefix("$"))
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or rate < 0:
        raise PricesFileError(f"{path}: {where}: {key!r} must be a number of USD per million "
                              f"tokens (e.g. 2.5), got {value!r}")
    return rate


def _check_duplicates(path: Path, entries: tuple[UserPrice, ...]) -> None:
    seen: dict[tuple[str, str], UserPrice] = {}
    for entry in entries:
        key = ((entry.provider or "").lower(), entry.model.lower())
        if key in seen:
            raise PricesFileError(f"{path}: {entry.where}: {entry.model!r} is already priced at "
                                  f"{seen[key].where}; keep one of them")
        seen[key] = entry
