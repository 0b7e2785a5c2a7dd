"""Bulk writers: an Arrow table into a warehouse table, through each engine's fast path.

DuckDB reads a registered Arrow table directly (no copy through Python
objects); PostgreSQL receives the rows with ``COPY ... FROM STDIN`` in CSV.
Both write inside the caller's transaction.
"""
from __future__ import annotations

import io
import itertools

import pyarrow as pa
import pyarrow.csv as pcsv
import sqlalchemy as sa

_names = itertools.count()


def insert_arrow(conn: sa.Connection, table: str, data: pa.Table) -> None:
    """Append ``data`` to ``table``; its column names must be columns of the table."""
    if data.num_rows == 0:
        return
    columns = ", ".join(_quote(conn, n) for n in data.column_names)
    if conn.dialect.name == "duckdb":
        raw = conn.connection.driver_connection
        view = f"_lote_{next(_names)}"
        raw.register(view, data)
        try:
            conn.exec_driver_sql(
                f"INSERT INTO {_quote(conn, table)} ({columns}) SELECT {columns} FROM {view}")
        finally:
            raw.unregister(view)
    elif conn.dialect.name == "postgresql":
        buffer = io.BytesIO()
        pcsv.write_csv(data, buffer, pcsv.WriteOptions(include_header=False))
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY {_quote(conn, table)} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
    else:  # pragma: no cover - the settings accept only the two engines above
        raise ValueError(conn.dialect.name)


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)
