"""Token cost: arithmetic against the database's published rates, unpriced reasons, user prices,
what-if pricing, the `explorer cost` command, and the real recordings."""

from __future__ import annotations

import json
import re
import socket
import sys
import types
from decimal import Decimal
from pathlib import Path

import genai_prices
import pandas as pd
import pytest
from click.testing import CliRunner
from genai_prices import Usage, calc_price
from genai_prices.data_snapshot import DataSnapshot, set_custom_snapshot
from support.paths import SHARED

from explorer.cli.main import main
from explorer.pricing.cost import cost_table, price_frame, unpriced_summary
from explorer.pricing.user_prices import PricesFileError, load_prices
from explorer.table.index import index_tree as load_index
from explorer.table.schema import frame_from_records

RECORDINGS = SHARED  # EXPLORER_SHARED_RECORDINGS, else ../shared/recordings
MTOK = 1_000_000


def rates(model: str, provider: str = "openai") -> tuple[Decimal, Decimal, Decimal]:
    """(input, cached input, output) USD per million tokens, as genai-prices publishes them."""
    def price(**usage: int) -> Decimal:
        return calc_price(Usage(**usage), model, provider_id=provider).total_price

    return price(input_tokens=MTOK), price(input_tokens=MTOK, cache_read_tokens=MTOK), \
        price(output_tokens=MTOK)


def by_hand(model: str, prompt: int, completion: int, cached: int = 0, provider: str = "openai",
            ) -> float:
    input_rate, cached_rate, output_rate = rates(model, provider)
    return float(((prompt - cached) * input_rate + cached * cached_rate
                  + completion * output_rate) / MTOK)


def chat(provider: str | None, model: str | None, prompt: int | None = None,
         completion: int | None = None, **extra) -> dict:
    return {"provider": provider, "model": model, "kind": "chat", "family": "openai",
            "prompt_tokens": prompt, "completion_tokens": completion, **extra}


def priced_one(row: dict, **kwargs) -> tuple[object, str]:
    out = price_frame(frame_from_records([row]), **kwargs)
    return out["cost_usd"].iloc[0], out["price_source"].iloc[0]


# --- arithmetic -----------------------------------------------------------------------------

def test_gpt4o_cost_is_tokens_times_published_rates_with_cached_at_cached_rate():
    cost, source = priced_one(chat("openai", "gpt-4o", 12_000, 3_000, cached_tokens=2_000))
    input_rate, cached_rate, output_rate = rates("gpt-4o")
    assert cached_rate < input_rate  # the cached discount is really exercised
    assert cost == pytest.approx(
        float((10_000 * input_rate + 2_000 * cached_rate + 3_000 * output_rate) / MTOK), rel=1e-12)
    assert f"genai-prices {genai_prices.__version__}" in source
    assert "openai/gpt-4o " in source
    assert f"in ${input_rate.normalize():f}/M" in source
    assert f"cached in ${cached_rate.normalize():f}/M" in source
    assert f"out ${output_rate.normalize():f}/M" in source


def test_reasoning_tokens_are_part_of_completion_not_billed_twice():
    cost, _ = priced_one(chat("openai", "o3-mini", 1_000, 5_000, reasoning_tokens=4_000))
    assert cost == pytest.approx(by_hand("o3-mini", 1_000, 5_000), rel=1e-12)


def test_provider_mapping_and_model_prefixes():
    frame = frame_from_records([
        chat("azure", "gpt-4o", 1_000, 100),
        chat("vertexai", "publishers/google/models/gemini-2.0-flash", 1_000, 100),
        chat("openai", "openai/gpt-4o-mini", 1_000, 100),
        chat("remote::openai", "gpt-4o", 1_000, 100),
        chat("bedrock", "openai.gpt-oss-20b", 1_000, 100),
    ])
    out = price_frame(frame)
    assert out["cost_usd"].notna().all(), out["price_source"].tolist()
    assert "google/gemini-2.0-flash" in out["price_source"].iloc[1]
    assert out["cost_usd"].iloc[1] == pytest.approx(
        by_hand("gemini-2.0-flash", 1_000, 100, provider="google"), rel=1e-12)
    assert out["cost_usd"].iloc[2] == pytest.approx(by_hand("gpt-4o-mini", 1_000, 100), rel=1e-12)
    assert out["cost_usd"].iloc[3] == pytest.approx(by_hand("gpt-4o", 1_000, 100), rel=1e-12)
    assert "aws/openai.gpt-oss-20b" in out["price_source"].iloc[4]


def test_embedding_without_completion_tokens_is_priced_on_input():
    row = {"provider": "openai", "model": "text-embedding-3-small", "kind": "embedding",
           "prompt_tokens": 5_000}
    cost, _ = priced_one(row)
    assert cost == pytest.approx(float(5_000 * rates("text-embedding-3-small")[0] / MTOK))


def test_result_types_and_input_untouched():
    frame = frame_from_records([chat("openai", "gpt-4o", 10, 5), chat("ollama", "llama3.2", 10, 5)])
    out = price_frame(frame)
    assert str(out["cost_usd"].dtype) == "Float64"
    assert str(out["price_source"].dtype) == "string"
    assert "cost_usd" not in frame.columns
    assert list(out.columns[: len(frame.columns)]) == list(frame.columns)


# --- unknown is not free --------------------------------------------------------------------

@pytest.mark.parametrize("provider", ["ollama", "vllm", "remote::vllm", "llamacpp", "localhost",
                                      "sentence-transformers"])
def test_self_hosted_is_unpriced_not_free(provider):
    cost, source = priced_one(chat(provider, "llama3.2:3b-instruct-fp16", 100, 50))
    assert cost is pd.NA
    assert source == f"unpriced: self-hosted ({provider.split('::')[-1]})"


def test_unknown_model_and_provider_are_unpriced_with_the_name():
    cost, source = priced_one(chat("openai", "gpt-9000", 100, 50))
    assert cost is pd.NA and source == "unpriced: no price for openai/gpt-9000"
    cost, source = priced_one(chat("watsonx", "meta-llama/llama-3-3-70b-instruct", 100, 50))
    assert cost is pd.NA
    assert source.startswith("unpriced: no price for watsonx/meta-llama/llama-3-3-70b-instruct")


@pytest.mark.parametrize("row, reason", [
    (chat("openai", "gpt-4o"), "no usage recorded"),
    (chat("openai", "gpt-4o", 100, None), "completion tokens unknown"),
    (chat("openai", "gpt-4o", None, 100), "prompt tokens unknown"),
    (chat("openai", None, 100, 10), "no model recorded"),
    ({"provider": "tavily", "kind": "tool", "family": "tool_runtime"}, "tool runtime call (tavily)"),
    ({"provider": "pypdf", "kind": "file_processor", "family": "file_processor"}, "file processor"),
    (chat("openai", "gpt-4o", 10, 5, cached_tokens=50), "invalid usage"),
])
def test_rows_without_usable_usage_have_unknown_cost(row, reason):
    cost, source = priced_one(row)
    assert cost is pd.NA
    assert source.startswith(f"unpriced: {reason}")


# --- offline ----------------------------------------------------------------------------------

def test_prices_offline_from_the_bundled_database(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("pricing tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    set_custom_snapshot(DataSnapshot(providers=[], from_auto_update=True))  # a foreign update
    try:
        cost, source = priced_one(chat("openai", "gpt-4o", 1_000, 100))
    finally:
        set_custom_snapshot(None)
    assert cost == pytest.approx(by_hand("gpt-4o", 1_000, 100), rel=1e-12)
    assert genai_prices.__version__ in source


# --- cost table and summary -----------------------------------------------------------------

def sample_frame() -> pd.DataFrame:
    return frame_from_records([
        chat("openai", "gpt-4o", 1_000, 100, cached_tokens=200, test_file="a.py", test_id="a.py::x"),
        chat("openai", "gpt-4o", 2_000, 300, test_file="b.py", test_id="b.py::y"),
        chat("openai", "gpt-4o", test_file="b.py", test_id="b.py::y"),
        chat("openai", "gpt-4o-mini", 500, 50, test_file="a.py", test_id="a.py::z"),
        chat("ollama", "llama3.2:3b", 400, 40, test_file="a.py", test_id="a.py::w"),
        chat("ollama", "llama3.2:3b", 600, 60, test_file="b.py", test_id="b.py::v"),
    ])


def test_cost_table_groups_costs_counts_and_sorts():
    table = cost_table(sample_frame(), by="model")
    assert table["model"].tolist() == ["gpt-4o", "gpt-4o-mini", "llama3.2:3b"]
    gpt4o = table.iloc[0]
    assert gpt4o["recordings"] == 3 and gpt4o["priced_recordings"] == 2
    assert gpt4o["unpriced_recordings"] == 1 and gpt4o["unpriced_tokens"] == 0
    assert gpt4o["prompt_tokens"] == 3_000 and gpt4o["cached_tokens"] == 200
    assert gpt4o["cost_usd"] == pytest.approx(
        by_hand("gpt-4o", 1_000, 100, 200) + by_hand("gpt-4o", 2_000, 300), rel=1e-12)
    assert "openai/gpt-4o " in gpt4o["price_source"]
    assert "unpriced: no usage recorded" in gpt4o["price_source"]
    llama = table.iloc[2]
    assert llama["cost_usd"] is pd.NA
    assert llama["unpriced_recordings"] == 2 and llama["unpriced_tokens"] == 1_100
    assert llama["cached_tokens"] is pd.NA  # never reported: unknown, not 0
    assert list(table.columns) == [
        "model", "recordings", "prompt_tokens", "completion_tokens", "cached_tokens", "cost_usd",
        "priced_recordings", "unpriced_recordings", "unpriced_tokens", "price_source"]


def test_cost_table_by_test_file_sums_to_the_frame_total():
    frame = sample_frame()
    total = price_frame(frame)["cost_usd"].sum()
    table = cost_table(frame, by="test_file")
    assert table["cost_usd"].sum() == pytest.approx(total, rel=1e-12)
    assert table["recordings"].tolist() == [3, 3]
    with pytest.raises(KeyError, match="no column 'nope'"):
        cost_table(frame, by="nope")


def test_unpriced_summary_counts_recordings_and_tokens():
    line = unpriced_summary(price_frame(sample_frame()))
    assert "3 priced recordings" in line
    assert "3 of 6 recordings unpriced" in line
    assert "(1,100 of 5,050 known tokens)" in line
    assert "self-hosted (ollama) 2" in line and "no usage recorded 1" in line
    assert "\n" not in line


# --- user prices ----------------------------------------------------------------------------

TOML = """
[[prices]]
model = "gpt-4o"
input = 2.0
output = 8.0
cached_input = 0.5

[[prices]]
model = "llama3.2:3b"
provider = "ollama"
input = 0.1
output = 0.2
"""
CSV = "model,provider,input,output,cached_input\ngpt-4o,,2.0,8.0,0.5\nllama3.2:3b,ollama,0.1,0.2,\n"


@pytest.mark.parametrize("name, text", [("my-prices.toml", TOML), ("my-prices.csv", CSV)])
def test_override_file_wins_and_is_named(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    out = price_frame(sample_frame(), prices=path)
    first = out.iloc[0]
    assert first["cost_usd"] == pytest.approx((800 * 2.0 + 200 * 0.5 + 100 * 8.0) / MTOK)
    assert first["price_source"].startswith(f"override {name}: gpt-4o (in $2/M")
    llama = out[out["model"] == "llama3.2:3b"]
    assert llama["cost_usd"].tolist() == pytest.approx([(400 * 0.1 + 40 * 0.2) / MTOK,
                                                        (600 * 0.1 + 60 * 0.2) / MTOK])
    mini = out[out["model"] == "gpt-4o-mini"]["price_source"].iloc[0]
    assert mini.startswith("genai-prices")  # models the file does not name keep the database price


def test_override_for_one_provider_leaves_others(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("model,provider,input,output\ngpt-4o,azure,1,1\n")
    out = price_frame(frame_from_records([chat("openai", "gpt-4o", 10, 1),
                                          chat("azure", "gpt-4o", 10, 1)]), prices=path)
    assert out["price_source"].iloc[0].startswith("genai-prices")
    assert out["price_source"].iloc[1].startswith("override p.csv: azure/gpt-4o")


@pytest.mark.parametrize("name, text, message", [
    ("p.csv", "model,input,output\ngpt-4o,2.0,lots\n", "line 2: 'output' must be a number"),
    ("p.csv", "model,input\ngpt-4o,2.0\n", "line 1: missing column output"),
    ("p.csv", "model,input,output,price\ngpt-4o,1,2,3\n", "unknown column price"),
    ("p.csv", "model,input,output\ngpt-4o,1,2\ngpt-4o,3,4\n", "line 3: 'gpt-4o' is already priced"),
    ("p.toml", "[[prices]]\nmodel = 'gpt-4o'\ninput = -1\noutput = 2\n", "entry 1: 'input'"),
    ("p.toml", "[[prices]]\nmodel = 'gpt-4o'\ninput = 1\nouput = 2\n", "unknown key ouput"),
    ("p.toml", "[[prices]\nmodel = 'x'\n", "not valid TOML"),
    ("p.toml", "[gpt-4o]\ninput = 1\n", "expected [[prices]] tables"),
    ("p.json", "{}", "name it .toml or .csv"),
])
def test_malformed_prices_file_names_file_place_and_fix(tmp_path, name, text, message):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(PricesFileError) as error:
        load_prices(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


# --- what-if ------------------------------------------------------------------------------

def test_as_model_reprices_all_usage():
    frame = sample_frame()
    out = price_frame(frame, as_model="gpt-4o-mini")
    with_usage = frame["prompt_tokens"].notna()
    expected = [by_hand("gpt-4o-mini", p, c, int(k) if pd.notna(k) else 0) for p, c, k in zip(
        frame["prompt_tokens"][with_usage], frame["completion_tokens"][with_usage],
        frame["cached_tokens"][with_usage])]
    assert out["cost_usd"][with_usage].tolist() == pytest.approx(expected, rel=1e-12)
    assert out["cost_usd"][~with_usage].isna().all()  # still no usage: still unknown
    assert out["price_source"][with_usage].str.startswith("as gpt-4o-mini: ").all()
    same = price_frame(frame, as_model="openai/gpt-4o-mini")["cost_usd"]
    assert same[with_usage].tolist() == pytest.approx(expected, rel=1e-12)


def test_as_model_unknown_raises():
    with pytest.raises(LookupError, match="no price for 'gpt-9000'"):
        price_frame(sample_frame(), as_model="gpt-9000")


# --- command line -------------------------------------------------------------------------

@pytest.fixture
def fake_index(monkeypatch):
    """`explorer.table.index.index_tree` returning sample_frame(), recording how it was called."""
    calls = []
    module = types.ModuleType("explorer.table.index")

    def load_index(root, *, cache=True, progress=None):
        calls.append({"root": Path(root), "cache": cache})
        return sample_frame()

    module.index_tree = load_index
    monkeypatch.setitem(sys.modules, "explorer.table.index", module)
    return calls


def run(*args: str):
    return CliRunner().invoke(main, ["cost", *args])


def test_cli_json_has_one_object_per_group(tmp_path, fake_index):
    result = run(str(tmp_path), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["model"] for row in rows] == ["gpt-4o", "gpt-4o-mini", "llama3.2:3b"]
    assert {"model", "recordings", "prompt_tokens", "completion_tokens", "cached_tokens",
            "cost_usd", "priced_recordings", "unpriced_recordings", "price_source"} <= set(rows[0])
    assert rows[2]["cost_usd"] is None and rows[2]["cached_tokens"] is None
    assert rows[0]["cost_usd"] == pytest.approx(
        by_hand("gpt-4o", 1_000, 100, 200) + by_hand("gpt-4o", 2_000, 300), rel=1e-9)
    assert fake_index == [{"root": tmp_path, "cache": False}]


def test_cli_table_ends_with_unpriced_summary_and_csv_parses(tmp_path, fake_index):
    result = run(str(tmp_path), "--by", "test_file")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split()[:2] == ["test_file", "recordings"]
    assert "3 of 6 recordings unpriced" in " ".join(" ".join(lines[-3:]).split())
    assert fake_index[-1]["cache"] is True
    result = run(str(tmp_path), "--format", "csv", "--by", "provider")
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("provider,recordings,prompt_tokens")


def test_cli_as_and_prices(tmp_path, fake_index):
    prices = tmp_path / "prices.toml"
    prices.write_text(TOML)
    result = run(str(tmp_path), "--as", "gpt-4o-mini", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["model"]: row for row in json.loads(result.output)}
    assert rows["llama3.2:3b"]["cost_usd"] == pytest.approx(
        by_hand("gpt-4o-mini", 400, 40) + by_hand("gpt-4o-mini", 600, 60), rel=1e-9)
    result = run(str(tmp_path), "--prices", str(prices), "--format", "json")
    rows = {row["model"]: row for row in json.loads(result.output)}
    assert "override prices.toml" in rows["gpt-4o"]["price_source"]


def test_cli_errors_are_one_line(tmp_path, fake_index):
    bad = tmp_path / "bad.csv"
    bad.write_text("model,input,output\ngpt-4o,x,1\n")
    result = run(str(tmp_path), "--prices", str(bad))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert str(bad) in result.output and "line 2" in result.output
    assert "Traceback" not in result.output
    result = run(str(tmp_path), "--as", "gpt-9000")
    assert result.exit_code == 1 and "--as gpt-9000: no price" in result.output
    assert fake_index == []  # both failed before reading the tree
    result = run(str(tmp_path / "missing"))
    assert result.exit_code == 2 and "does not exist" in result.output


# --- real recordings ----------------------------------------------------------------------

@pytest.mark.real
def test_real_recordings_gpt4o_group_costs_tokens_times_published_rate():
    if not RECORDINGS.is_dir():
        pytest.skip("../shared/recordings is absent")
    priced = price_frame(load_index(RECORDINGS, cache=False))
    table = cost_table(priced, by="model").set_index("model")
    gpt4o = table.loc["gpt-4o"]
    assert gpt4o["priced_recordings"] > 0
    expected = by_hand("gpt-4o", int(gpt4o["prompt_tokens"]), int(gpt4o["completion_tokens"]),
                       int(gpt4o["cached_tokens"]) if pd.notna(gpt4o["cached_tokens"]) else 0)
    assert gpt4o["cost_usd"] == pytest.approx(expected, rel=1e-9)
    assert gpt4o["unpriced_tokens"] == 0
    self_hosted = priced["provider"].isin(["ollama", "vllm"])
    assert self_hosted.any() and priced.loc[self_hosted, "cost_usd"].isna().all()
    free = (priced["cost_usd"] == 0).fillna(False)
    assert (priced.loc[free, "prompt_tokens"] + priced.loc[free, "completion_tokens"] == 0).all()


@pytest.mark.real
def test_real_recordings_cli_json(tmp_path):
    if not RECORDINGS.is_dir():
        pytest.skip("../shared/recordings is absent")
    result = run(str(RECORDINGS), "--format", "json", "--no-cache")
    assert result.exit_code == 0, result.output
    rows = {row["model"]: row for row in json.loads(result.output)}
    assert rows["gpt-4o"]["cost_usd"] > 0
    assert "openai/gpt-4o " in rows["gpt-4o"]["price_source"]


def test_cli_table_fits_100_columns_with_price_sources_as_notes(tmp_path, fake_index):
    narrow = run(str(tmp_path), "--by", "test_id")
    assert narrow.exit_code == 0, narrow.output
    lines = narrow.output.rstrip("\n").splitlines()
    assert max(map(len, lines)) <= 100
    assert lines[0].split()[-1] == "price" and "price_source" not in lines[0]
    notes = [line for line in lines if re.match(r"\[\d+\] ", line)]
    assert any("gpt-4o" in note for note in notes)
    rows = lines[1:lines.index("price sources (--wide shows them in the table):")]
    assert rows and all(re.search(r"\[\d+\]$", line) for line in rows)  # each cites a note
    wide = run(str(tmp_path), "--by", "test_id", "--wide")
    assert wide.output.splitlines()[0].split()[-1] == "price_source"
