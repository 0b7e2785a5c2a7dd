"""Bulk paths between Arrow and the warehouse, each engine's fastest.

Writing, DuckDB reads the Arrow table directly (no copy through
Python objects) and PostgreSQL receives the rows with ``COPY ... FROM STDIN``
in CSV. Reading a query's result in batches, DuckDB hands over Arrow record
batches and PostgreSQL streams ``COPY (...) TO STDOUT`` CSV into Arrow's
reader. Both work inside the caller's transaction (they see its temporary tables).
"""
from __future__ import annotations

import io
import tempfile
from typing import Iterator

import pyarrow as pa
import pyarrow.csv as pcsv
import sqlalchemy as sa


def insert_arrow(conn: sa.Connection, table: str, data: pa.Table) -> None:
    """Append ``data`` to ``table``; its column names must be columns of the table."""
    if data.num_rows == 0:
        return
    columns = ", ".join(_quote(conn, n) for n in data.column_names)
    if conn.dialect.name == "duckdb":
        # The rows are read from a relation over the table, named only inside this statement.
        # A view registered on the connection would keep every table it was given alive
        # until the transaction ends: a file's whole content, gigabytes for a year's export.
        conn.connection.driver_connection.from_arrow(data).query(
            "lote", f"INSERT INTO {_quote(conn, table)} ({columns}) SELECT {columns} FROM lote")
    elif conn.dialect.name == "postgresql":
        buffer = io.BytesIO()
        pcsv.write_csv(data, buffer, pcsv.WriteOptions(include_header=False))
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY {_quote(conn, table)} ({columns}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(buffer.getbuffer())
    else:  # pragma: no cover - the settings accept only the two engines above
        raise ValueError(conn.dialect.name)


def read_arrow(conn: sa.Connection, query: sa.Select, schema: pa.Schema,
               batch_rows: int) -> Iterator[pa.Table]:
    """The rows of ``query`` as Arrow tables of at most ``batch_rows`` rows.

    ``schema`` names and types the query's columns, in order, so both engines
    give identical tables. Parameters are rendered as literals: COPY takes none.
    """
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    raw = conn.connection.driver_connection
    if conn.dialect.name == "duckdb":
        # A relation streams its rows (a DB-API result's Arrow reader copies them all first:
        # gigabytes for a file of several periods); it cannot start while the transaction's
        # last DB-API result is open, so that one is run to its end first.
        raw.complete()
        reader = raw.sql(sql).to_arrow_reader(batch_rows)
        yield from _rebatch((pa.Table.from_batches([b]).rename_columns(schema.names)
                             for b in reader), schema, batch_rows)
        return
    with tempfile.SpooledTemporaryFile(max_size=64 << 20) as spool:
        with raw.cursor() as cur, cur.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
            for block in copy:
                spool.write(block)
        if spool.tell() == 0:           # no rows: Arrow's reader refuses an empty file
            return
        spool.seek(0)
        reader = pcsv.open_csv(
            spool, read_options=pcsv.ReadOptions(column_names=schema.names, block_size=8 << 20),
            convert_options=pcsv.ConvertOptions(
                column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False,
                true_values=["t"], false_values=["f"]))
        yield from _rebatch((pa.Table.from_batches([b]) for b in reader), schema, batch_rows)


def _rebatch(tables: Iterator[pa.Table], schema: pa.Schema, rows: int) -> Iterator[pa.Table]:
    """Join the readers' small batches into tables of about ``rows`` rows (fewer, larger
    batches: each costs the data checks a fixed overhead)."""
    pending, n = [], 0
    for table in tables:
        pending.append(table.cast(schema))
        n += table.num_rows
        if n >= rows:
            yield pa.concat_tables(pending)
            pending, n = [], 0
    if pending:
        yield pa.concat_tables(pending)


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)
