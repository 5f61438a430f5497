"""Token cost per recording, with the price used written next to it.

Prices come from the `genai-prices` database as shipped inside the installed package (never
fetched: the package's auto-update is not used, and the bundled snapshot is read directly so a
process-wide update elsewhere cannot change them), or from the user's own price file, which wins
for the models it names. Costs are today's list prices: what re-recording would cost now.

Unknown is not free: self-hosted models, models the database does not know, recordings without
usage and tool-runtime calls get `cost_usd` NA and a `price_source` of "unpriced: <reason>".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import genai_prices
import pandas as pd
from genai_prices import Usage
from genai_prices.data_snapshot import DataSnapshot, find_provider_by_id

from explorer.pricing.user_prices import PriceList, UserPrice, load_prices
from explorer.table.tokens import total_tokens

__all__ = [
    "PACKAGE", "PriceList", "UserPrice", "cost_table", "load_prices", "price_frame",
    "unpriced_summary",
]

PACKAGE = f"genai-prices {genai_prices.__version__}"
UNPRICED = "unpriced: "

# Providers that run on the user's own hardware: no list price exists, so no cost is invented.
SELF_HOSTED = frozenset({
    "ollama", "vllm", "llamacpp", "llama-cpp", "llama_cpp", "llamafile", "lmstudio", "tgi",
    "sentence-transformers", "sentence_transformers", "meta-reference", "localhost", "local",
    "127.0.0.1", "0.0.0.0", "::1",
})
# Frame provider names the database's own provider matching does not already recognise.
PROVIDER_ALIASES = {"vertex": "google", "vertex_ai": "google", "google-vertex": "google"}
# Bedrock model ids carry a version suffix that the OpenAI-compatible endpoint omits.
BEDROCK_SUFFIXES = ("", "-1:0", "-v1:0")
NOT_BILLED = {
    "tool": "tool runtime call ({provider}), not billed per token",
    "file_processor": "file processor ({provider}), no token usage",
    "models": "model listing, no token usage",
}
OUTPUTLESS_KINDS = frozenset({"embedding", "rerank"})
_PUBLISHER_PREFIX = re.compile(r"^(?:projects/[^/]+/locations/[^/]+/)?publishers/[^/]+/models/")
_ROW_COLUMNS = ("provider", "model", "response_model", "kind", "family", "prompt_tokens",
                "completion_tokens", "cached_tokens", "reasoning_tokens")


@cache
def _snapshot() -> DataSnapshot:
    """The database exactly as bundled with the installed package (no network, no updates)."""
    from genai_prices.data import providers

    return DataSnapshot(providers=providers, from_auto_update=False)


@dataclass(frozen=True)
class Tokens:
    """One recording's usage in OpenAI semantics (cached within prompt, reasoning within output)."""

    prompt: int
    completion: int
    cached: int
    reasoning: int


@dataclass(frozen=True)
class _DatabasePrice:
    model: object  # genai_prices.types.ModelInfo
    provider: object  # genai_prices.types.Provider
    source: str
    when: datetime

    def cost(self, tokens: Tokens) -> Decimal:
        usage = Usage(input_tokens=tokens.prompt, output_tokens=tokens.completion,
                      cache_read_tokens=tokens.cached or None,
                      output_reasoning_tokens=tokens.reasoning or None)
        return self.model.calc_price(usage, self.provider, genai_request_timestamp=self.when).total_price


@dataclass(frozen=True)
class _UserPrice:
    price: UserPrice
    source: str

    def cost(self, tokens: Tokens) -> Decimal:
        price = self.price
        cached_rate = price.input if price.cached_input is None else price.cached_input
        fresh = tokens.prompt - tokens.cached
        if fresh < 0:
            raise ValueError(f"cached_tokens ({tokens.cached}) exceed prompt_tokens ({tokens.prompt})")
        total = fresh * price.input + tokens.cached * cached_rate + tokens.completion * price.output
        return total / Decimal(1_000_000)


def normalize_provider(provider: object) -> str | None:
    """Lower-case a frame provider and drop llama-stack's `remote::` / `inline::` prefixes."""
    if provider is None or provider is pd.NA or not isinstance(provider, str) or not provider:
        return None
    return provider.strip().lower().split("::")[-1]


def normalize_model(model: object, provider: str | None = None) -> str | None:
    """The model name as a price list knows it: no provider or `publishers/.../models/` prefix."""
    if not isinstance(model, str) or not model.strip():
        return None
    name = model.strip()
    head, sep, tail = name.partition("/")
    if sep and provider and head.lower() == provider:
        name = tail
    name = _PUBLISHER_PREFIX.sub("", name)
    return name.removeprefix("models/")


def database_provider_id(provider: str | None) -> str | None:
    """The genai-prices provider id for a frame provider name, or None when it has none."""
    if provider is None:
        return None
    if provider in PROVIDER_ALIASES:
        return PROVIDER_ALIASES[provider]
    found = find_provider_by_id(_snapshot().providers, provider)
    return found.id if found else None


def _format_rate(value: object) -> str:
    base = getattr(value, "base", value)
    text = format(Decimal(base).normalize(), "f") if isinstance(base, Decimal) else str(base)
    return f"${text}/M" + (" (+tiers)" if base is not value else "")


def rates_text(input_rate: object, cached_rate: object, output_rate: object) -> str:
    """The per-million-token rates, e.g. "in $2.5/M, cached in $1.25/M, out $10/M"."""
    parts = [f"in {_format_rate(input_rate)}"] if input_rate is not None else []
    if cached_rate is not None:
        parts.append(f"cached in {_format_rate(cached_rate)}")
    if output_rate is not None:
        parts.append(f"out {_format_rate(output_rate)}")
    return ", ".join(parts) or "no per-token rates"


class Pricer:
    """Prices rows; resolves each (provider, model) once."""

    def __init__(self, prices: PriceList | None = None, as_model: str | None = None) -> None:
        self.prices = prices
        self.when = datetime.now(tz=UTC)
        self._found: dict[tuple[str | None, str], _DatabasePrice | _UserPrice | str] = {}
        self.target = self._as_target(as_model) if as_model else None

    def _as_target(self, ref: str) -> tuple[str | None, str]:
        """Split `provider/model` or a bare model, and insist that something prices it."""
        head, sep, tail = ref.strip().partition("/")
        provider = normalize_provider(head) if sep else None
        candidates = [(provider, tail)] if provider and database_provider_id(provider) else []
        candidates.append((None, ref.strip()))
        for candidate in candidates:
            if not isinstance(self.resolve(*candidate), str):
                return candidate
        raise LookupError(
            f"no price for {ref!r}: genai-prices {genai_prices.__version__} does not know it; "
            "use a model it lists (e.g. openai/gpt-4o-mini) or add it to a --prices file")

    def resolve(self, provider: str | None, model: str) -> _DatabasePrice | _UserPrice | str:
        """The price for a provider/model, or the reason there is none."""
        key = (provider, model)
        if key not in self._found:
            self._found[key] = self._user_price(provider, model) or self._database_price(provider, model)
        return self._found[key]

    def _user_price(self, provider: str | None, model: str) -> _UserPrice | None:
        if self.prices is None:
            return None
        price = self.prices.find(provider, database_provider_id(provider), model)
        if price is None:
            return None
        where = f"{price.provider}/{price.model}" if price.provider else price.model
        rates = rates_text(price.input, price.cached_input, price.output)
        return _UserPrice(price, f"override {self.prices.path.name}: {where} ({rates})")

    def _database_price(self, provider: str | None, model: str) -> _DatabasePrice | str:
        if provider in SELF_HOSTED and self.target is None:
            return f"self-hosted ({provider})"
        provider_id = database_provider_id(provider)
        if provider is not None and provider_id is None:
            return f"no price for {provider}/{model} (genai-prices has no provider {provider!r})"
        names = [model + suffix for suffix in BEDROCK_SUFFIXES] if provider_id == "aws" else [model]
        for name in names:
            try:
                found_provider, info = _snapshot().find_provider_model(name, None, provider_id, None)
            except LookupError:
                continue
            rate = info.get_prices(self.when)
            rates = rates_text(rate.input_mtok, rate.cache_read_mtok, rate.output_mtok)
            source = f"{PACKAGE}: {found_provider.id}/{info.id} ({rates})"
            return _DatabasePrice(info, found_provider, source, self.when)
        if provider is None:
            return f"no price for {model} (no provider recorded)"
        return f"no price for {provider}/{model}"

    def price_row(self, row: dict) -> tuple[float | None, str]:
        """(cost in USD or None, price_source) for one frame row."""
        provider = normalize_provider(row["provider"])
        reason = _not_billed(row, provider) or _usage_problem(row)
        if reason:
            return None, UNPRICED + reason
        tokens = _tokens(row)
        if self.target is not None:
            provider, model = self.target
        else:
            model = normalize_model(row["model"], provider) or normalize_model(
                row["response_model"], provider)
        if model is None:
            return None, UNPRICED + "no model recorded"
        price = self.resolve(provider, model)
        if isinstance(price, str):
            return None, UNPRICED + price
        return _cost(price, tokens, self.target)


def _cost(price: _DatabasePrice | _UserPrice, tokens: Tokens,
          target: tuple[str | None, str] | None) -> tuple[float | None, str]:
    try:
        cost = price.cost(tokens)
    except ValueError as error:
        return None, UNPRICED + f"invalid usage ({error})"
    prefix = f"as {'/'.join(p for p in target if p)}: " if target else ""
    return float(cost), prefix + price.source


def _present(value: object) -> bool:
    return value is not None and value is not pd.NA and not (
        isinstance(value, float) and math.isnan(value))


def _not_billed(row: dict, provider: str | None) -> str | None:
    kind = row["kind"] if _present(row["kind"]) else None
    if row["family"] == "tool_runtime" and kind != "tool":
        kind = "tool"
    if kind in NOT_BILLED:
        return NOT_BILLED[kind].format(provider=provider or "provider unknown")
    return None


def _usage_problem(row: dict) -> str | None:
    prompt, completion = _present(row["prompt_tokens"]), _present(row["completion_tokens"])
    if not prompt and not completion:
        return "no usage recorded"
    if not prompt:
        return "prompt tokens unknown"
    if not completion and row["kind"] not in OUTPUTLESS_KINDS:
        return "completion tokens unknown"
    return None


def _tokens(row: dict) -> Tokens:
    def count(name: str) -> int:
        return int(row[name]) if _present(row[name]) else 0

    return Tokens(count("prompt_tokens"), count("completion_tokens"), count("cached_tokens"),
                  count("reasoning_tokens"))


def _as_price_list(prices: PriceList | str | Path | None) -> PriceList | None:
    if prices is None or isinstance(prices, PriceList):
        return prices
    return load_prices(prices)


def _rows(df: pd.DataFrame) -> list[dict]:
    """The columns pricing reads, one dict per row, with None for NA."""
    columns = [[None if not _present(v) else v for v in df[name].tolist()]
               if name in df.columns else [None] * len(df) for name in _ROW_COLUMNS]
    return [dict(zip(_ROW_COLUMNS, values)) for values in zip(*columns)]


def price_frame(df: pd.DataFrame, prices: PriceList | str | Path | None = None,
                as_model: str | None = None) -> pd.DataFrame:
    """A copy of the frame with `cost_usd` (Float64, NA when unknown) and `price_source`.

    `prices` (a PriceList or a TOML/CSV path) overrides the database for the models it names;
    `as_model` ("gpt-4o-mini" or "openai/gpt-4o-mini") prices all usage as if sent to that model
    and raises LookupError when nothing prices it.
    """
    pricer = Pricer(_as_price_list(prices), as_model)
    results = [pricer.price_row(row) for row in _rows(df)]
    out = df.copy()
    out["cost_usd"] = pd.array([cost for cost, _ in results], dtype="Float64")
    out["price_source"] = pd.array([source for _, source in results], dtype="string")
    return out


def cost_table(df: pd.DataFrame, by: str = "model", prices: PriceList | str | Path | None = None,
               as_model: str | None = None) -> pd.DataFrame:
    """One row per `by` group: usage, cost (NA when nothing priced), priced/unpriced counts, sources.

    Prices the frame first unless it already carries `cost_usd` and no prices/as_model are given.
    Sorted by cost, most expensive first; groups with no priced recording last.
    """
    if by not in df.columns:
        raise KeyError(f"no column {by!r} to group by; use one of {', '.join(df.columns)}")
    if prices is not None or as_model is not None or "cost_usd" not in df.columns:
        df = price_frame(df, prices, as_model)
    work = df.assign(_tokens=total_tokens(df), _priced=df["cost_usd"].notna())
    work["_unpriced_tokens"] = work["_tokens"].where(~work["_priced"]).fillna(0).astype("Int64")
    groups = work.groupby(by, dropna=False, sort=False)
    table = pd.DataFrame({
        "recordings": groups.size(),
        **{name: groups[name].sum(min_count=1).astype("Int64")
           for name in ("prompt_tokens", "completion_tokens", "cached_tokens")},
        "cost_usd": groups["cost_usd"].sum(min_count=1).astype("Float64"),
        "priced_recordings": groups["_priced"].sum().astype("Int64"),
        "unpriced_tokens": groups["_unpriced_tokens"].sum().astype("Int64"),
        "price_source": groups["price_source"].agg(lambda s: "; ".join(sorted(set(s.dropna())))),
    })
    table["unpriced_recordings"] = (table["recordings"] - table["priced_recordings"]).astype("Int64")
    table = table.reset_index().rename(columns={"index": by})
    table = table.sort_values(["cost_usd", "recordings"], ascending=False, na_position="last",
                              kind="stable")
    order = [by, "recordings", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
             "priced_recordings", "unpriced_recordings", "unpriced_tokens", "price_source"]
    return table[order].reset_index(drop=True).astype({"recordings": "Int64",
                                                        "price_source": "string"})


def unpriced_summary(priced: pd.DataFrame) -> str:
    """One line: total cost, and how many recordings and tokens were left unpriced and why."""
    total = len(priced)
    is_priced = priced["cost_usd"].notna()
    tokens = total_tokens(priced)
    cost = priced["cost_usd"].sum()
    unpriced = priced.loc[~is_priced]
    spent = f"${cost:,.6f} for {int(is_priced.sum()):,} priced recordings" if is_priced.any() \
        else "no recording priced"
    line = (f"{spent}; "
            f"{len(unpriced):,} of {total:,} recordings unpriced "
            f"({int(tokens[~is_priced].sum()):,} of {int(tokens.sum()):,} known tokens)")
    reasons = unpriced["price_source"].str.removeprefix(UNPRICED).value_counts()
    if len(reasons):
        shown = [f"{reason} {count}" for reason, count in reasons.head(4).items()]
        more = f", {len(reasons) - 4} other reasons" if len(reasons) > 4 else ""
        line += ": " + ", ".join(shown) + more
    return line
