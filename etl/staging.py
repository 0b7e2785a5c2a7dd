"""The staging table of one file: its typed rows before they replace anything.

The load (``etl.load``) streams a file's chunks into a temporary table of the source's
columns and ``_fila``, the row in the file. Here is what it does there, in SQL, before the
data checks judge the rows: the chunks' and the repeated keys' quarantine, the slice the
file replaces (its periods, cut-off dates or survey rounds, or its keys) and the periods
it touches, and the keys another slice holds already.
"""
from __future__ import annotations

import pyarrow as pa
import sqlalchemy as sa

from etl import contract as c
from etl import warehouse as w
from etl.bulk import insert_arrow
from etl.reader import ROW_COLUMN, Chunk


def table(conn: sa.Connection, source: c.Source) -> sa.Table:
    """A new, empty staging table of ``source``, temporary: it lives in the file's transaction."""
    table = sa.Table(f"_staging_{source.name}", sa.MetaData(), *w.source_columns(source),
                     sa.Column(ROW_COLUMN, sa.BigInteger), prefixes=["TEMPORARY"])
    table.drop(conn, checkfirst=True)
    table.create(conn)
    return table


def quarantine_chunk(conn: sa.Connection, carga_id: int, archivo: str, source: c.Source,
                     chunk: Chunk) -> None:
    """The rows of a chunk that could not be typed, each with why (``etl.reader``)."""
    q = chunk.quarantine
    if q.num_rows == 0:
        return
    for name, value, kind in (("carga_id", carga_id, pa.int64()), ("archivo", archivo, pa.string()),
                              ("fuente", source.name, pa.string())):
        q = q.append_column(name, pa.repeat(pa.scalar(value, kind), q.num_rows))
    insert_arrow(conn, w.cuarentena.name, q)


def quarantine_repeated_keys(conn: sa.Connection, staging: sa.Table, carga_id: int,
                              archivo: str, source: c.Source) -> None:
    """The first row of a key stays; every later row with the same key is quarantined."""
    keys = [staging.c[k] for k in source.key]
    any_repeated = sa.select(sa.literal(1)).select_from(staging).group_by(*keys).having(
        sa.func.count() > 1).limit(1)
    if conn.execute(any_repeated).first() is None:
        return
    ranked = sa.select(
        staging.c[ROW_COLUMN].label("fila"),
        sa.func.row_number().over(partition_by=keys, order_by=staging.c[ROW_COLUMN]).label("n"),
        sa.func.min(staging.c[ROW_COLUMN]).over(partition_by=keys).label("primera"),
        *keys).subquery()
    motivo = sa.func.concat("clave repetida en el archivo: ya aparece en la fila ",
                            sa.cast(ranked.c.primera, sa.Text))
    _to_quarantine(conn, carga_id, archivo, source, ranked.c.fila, ranked.c, motivo,
                   where=ranked.c.n > 1)
    conn.execute(staging.delete().where(staging.c[ROW_COLUMN].in_(
        sa.select(ranked.c.fila).where(ranked.c.n > 1))))


def replace(conn: sa.Connection, staging: sa.Table, target: sa.Table, source: c.Source):
    """Delete what the file replaces; returns the scope for the load record."""
    if source.replaces_by:
        col = source.replaces_by
        values = conn.execute(sa.select(staging.c[col]).distinct()
                              .order_by(staging.c[col])).scalars()
        scope = [str(v) for v in values]
        conn.execute(target.delete().where(target.c[col].in_(sa.select(staging.c[col]).distinct())))
        return {col: scope}
    match = sa.and_(*[staging.c[k] == target.c[k] for k in source.key])
    replaced = sa.exists(sa.select(1).select_from(staging).where(match))
    # The months of the rows replaced: a corrected date moves a row out of its old month,
    # whose indicators change too (the kept indicators recompute them).
    before = periods(conn, sa.select(target).where(replaced).subquery(), source)
    conn.execute(target.delete().where(replaced))
    return {"claves": list(source.key), "periodos_reemplazados": before}


def periods(conn: sa.Connection, staging: sa.FromClause, source: c.Source) -> list[str]:
    """The periods (``YYYY-MM``) the file's rows belong to, by the column that dates them.

    A survey round ``2026-S1`` is June's, ``2026-S2`` December's (when they are taken).
    """
    col = staging.c[source.fecha]
    kind = source.column(source.fecha).type
    if kind in (c.DATE, c.DATETIME):
        rows = conn.execute(sa.select(sa.extract("year", col), sa.extract("month", col))
                            .where(col.is_not(None)).distinct()).all()
        return sorted(f"{int(y):04d}-{int(m):02d}" for y, m in rows)
    values = conn.execute(sa.select(col).where(col.is_not(None)).distinct()).scalars().all()
    if source.fecha == "ronda":
        values = [f"{v[:4]}-{'06' if v.endswith('S1') else '12'}" for v in values]
    return sorted(set(values))


def quarantine_keys_of_other_slices(conn: sa.Connection, staging: sa.Table, target: sa.Table,
                                     carga_id: int, archivo: str, source: c.Source) -> None:
    """An invoice number already held by another period cannot be stored twice.

    Only where the key does not contain the replaced column (``facturas``: the key
    is numero + servicio, the file replaces periods): after the file's periods are
    deleted, a row whose key remains in the warehouse belongs to another period.
    """
    col = source.replaces_by
    if not col or col in source.key:
        return
    match = sa.and_(*[staging.c[k] == target.c[k] for k in source.key])
    if not conn.execute(sa.select(sa.exists().where(match))).scalar():
        return
    _to_quarantine(conn, carga_id, archivo, source, staging.c[ROW_COLUMN], staging.c,
                   sa.func.concat(f"la clave ya está en el almacén con {col} ",
                                  sa.cast(target.c[col], sa.Text),
                                  "; corrija el número en el sistema de origen"),
                   desde=staging.join(target, match))
    conn.execute(staging.delete().where(sa.exists(sa.select(1).select_from(target).where(match))))


def _to_quarantine(conn: sa.Connection, carga_id: int, archivo: str, source: c.Source, fila,
                   columnas, motivo, *, where=sa.true(), desde=None) -> None:
    """Quarantine whole rows by their key: their row in the file, the key's columns and
    values (from ``columnas``), and why."""
    clave = sa.func.concat_ws(" | ", *[sa.cast(columnas[k], sa.Text) for k in source.key])
    filas = sa.select(sa.literal(carga_id, sa.BigInteger), sa.literal(archivo),
                      sa.literal(source.name), fila, clave, sa.literal(", ".join(source.key)),
                      clave, motivo).where(where)
    conn.execute(w.cuarentena.insert().from_select(
        ["carga_id", "archivo", "fuente", "fila", "clave", "columna", "valor", "motivo"],
        filas if desde is None else filas.select_from(desde)))
