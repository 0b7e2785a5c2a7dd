"""The bulk write path (``etl.bulk.insert_arrow``) on both engines: inside the caller's
transaction, and without holding on to the tables it was given."""
from __future__ import annotations

import gc

import pyarrow as pa
import pytest
import sqlalchemy as sa

from etl.bulk import insert_arrow


@pytest.fixture
def tabla(almacen):
    """A warehouse with a table ``t`` (a, b, and c with a default)."""
    engine = sa.create_engine(almacen)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (a BIGINT, b VARCHAR, c VARCHAR DEFAULT 'x')")
    yield engine
    engine.dispose()


def lote(n: int, desde: int = 0) -> pa.Table:
    """``n`` rows of new buffers: a = desde.., b = 'fila <a>'."""
    return pa.table({"a": pa.array(range(desde, desde + n), pa.int64()),
                     "b": pa.array([f"fila {i}" for i in range(desde, desde + n)])})


def test_the_rows_go_to_the_named_columns_and_the_others_take_their_default(tabla):
    with tabla.begin() as conn:
        insert_arrow(conn, "t", lote(3))
        insert_arrow(conn, "t", lote(0))
    with tabla.connect() as conn:
        assert conn.exec_driver_sql("SELECT a, b, c FROM t ORDER BY a").all() == [
            (0, "fila 0", "x"), (1, "fila 1", "x"), (2, "fila 2", "x")]


def test_a_transaction_rolled_back_leaves_none_of_its_rows(tabla):
    with pytest.raises(RuntimeError), tabla.begin() as conn:
        insert_arrow(conn, "t", lote(5))
        raise RuntimeError("the file fails after its rows were staged")
    with tabla.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0


def test_a_long_transaction_does_not_keep_the_tables_it_inserted(tabla):
    """A file of a year is hundreds of chunks in one transaction: each chunk's Arrow memory
    must be free once it is written, not when the transaction ends (on DuckDB a registered
    view kept them all: a file's whole content, gigabytes)."""
    pool = pa.default_memory_pool()
    un_lote = 100_000
    with tabla.begin() as conn:
        gc.collect()
        antes = pool.bytes_allocated()
        for k in range(20):
            insert_arrow(conn, "t", lote(un_lote, k * un_lote))
            gc.collect()
        vivos = pool.bytes_allocated() - antes
        tamano = lote(un_lote).nbytes
        assert vivos < 2 * tamano, f"{vivos / tamano:.1f} chunks still held in Arrow memory"
    with tabla.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*), count(DISTINCT a) FROM t").one() == (
            20 * un_lote, 20 * un_lote)
