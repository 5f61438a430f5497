"""The index frame and the file list as Arrow IPC bytes, and back, checked against the schema.

Reading never trusts the bytes: a stream whose columns or types differ from the declaration
in `explorer.table.schema` is refused (None), so the caller rebuilds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from explorer.table.schema import COLUMNS, DTYPES, NAMES

ARROW_TYPES = {"string": pa.large_string(), "boolean": pa.bool_(), "Int64": pa.int64(),
               "object": pa.list_(pa.large_string()), "datetime64[us]": pa.timestamp("us")}
FRAME_SCHEMA = pa.schema([(c.name, ARROW_TYPES[c.dtype]) for c in COLUMNS])
FILES_SCHEMA = pa.schema([("path", pa.large_string()), ("size", pa.int64()),
                          ("mtime_ns", pa.int64())])
_PANDAS_TYPES = {pa.large_string(): pd.StringDtype(), pa.bool_(): pd.BooleanDtype(),
                 pa.int64(): pd.Int64Dtype()}


def schema_declaration() -> tuple:
    """What the cache key fingerprints: every column's name and dtype, and the Arrow layout."""
    return tuple((c.name, c.dtype) for c in COLUMNS), str(FRAME_SCHEMA), str(FILES_SCHEMA)


def table_to_bytes(table: pa.Table) -> bytes:
    """The table as one Arrow IPC stream."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def table_from_bytes(data) -> pa.Table:
    """The table `table_to_bytes` wrote (any schema)."""
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def _from_bytes(data, schema: pa.Schema) -> pa.Table | None:
    table = table_from_bytes(data)
    return table if table.schema.equals(schema, check_metadata=False) else None


def frame_to_bytes(frame: pd.DataFrame) -> bytes:
    columns = []
    for column in COLUMNS:
        values = frame[column.name]
        if column.dtype == "object":
            array = pa.array([list(v) for v in values], type=ARROW_TYPES["object"])
        else:
            array = pa.array(values, type=ARROW_TYPES[column.dtype], from_pandas=True)
        columns.append(array)
    return table_to_bytes(pa.Table.from_arrays(columns, schema=FRAME_SCHEMA))


def frame_from_bytes(data) -> pd.DataFrame | None:
    table = _from_bytes(data, FRAME_SCHEMA)
    return None if table is None else frame_from_table(table)


def frame_from_table(table: pa.Table) -> pd.DataFrame | None:
    """The typed frame from a table of FRAME_SCHEMA, each column made from its Arrow data as
    its declared dtype asks (no pass through pandas' generic conversion: a third faster); None
    when a column came out otherwise."""
    frame = pd.DataFrame({column.name: _values(column.dtype, table.column(column.name))
                          for column in COLUMNS}, copy=False)
    if list(frame.columns) != list(NAMES):
        return None
    if [str(dtype) for dtype in frame.dtypes] != [DTYPES[name] for name in NAMES]:
        return None
    return frame


def _values(dtype: str, data: pa.ChunkedArray):
    if dtype == "object":  # lists of strings: Python lists, filled in by one assignment
        values = np.empty(len(data), dtype=object)
        values[:] = data.to_pylist()
        return values
    if dtype == "datetime64[us]":
        return data.to_numpy()  # NaT where null
    return _PANDAS_TYPES[ARROW_TYPES[dtype]].__from_arrow__(data)


def files_to_bytes(files: dict[str, tuple[int, int]]) -> bytes:
    paths = list(files)
    stats = list(files.values())
    table = pa.Table.from_arrays([pa.array(paths, pa.large_string()),
                                  pa.array([s[0] for s in stats], pa.int64()),
                                  pa.array([s[1] for s in stats], pa.int64())],
                                 schema=FILES_SCHEMA)
    return table_to_bytes(table)


def files_from_bytes(data) -> dict[str, tuple[int, int]] | None:
    table = _from_bytes(data, FILES_SCHEMA)
    if table is None:
        return None
    paths, sizes, mtimes = (table.column(i).to_pylist() for i in range(3))
    return dict(zip(paths, zip(sizes, mtimes)))
