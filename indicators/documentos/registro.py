"""The register of the documents written: the warehouse's ``documento`` table.

Numbers are consecutive per kind and year of issue (``AS-2026-000123``) and never reused: a
re-issued batch's rows stay, ``anulado``, and the new one continues the count. Each row keeps
its placeholders' values (``datos``), so asking again for a kind and period gives the very
same documents, even after later loads changed the warehouse.
"""
from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import sqlalchemy as sa

from etl import bulk
from etl import warehouse as w
from indicators import cobro
from indicators.documentos import TIPOS

D = w.documento
EMITIDO, ANULADO = "emitido", "anulado"


def asegurar_tabla(conn: sa.Connection) -> None:
    """The register exists (a warehouse loaded by an earlier Cauce lacks it)."""
    D.create(conn, checkfirst=True)


def numero(tipo: str, anio: int, consecutivo: int) -> str:
    return f"{TIPOS[tipo].prefijo}-{anio}-{consecutivo:06d}"


def vigentes(conn: sa.Connection, tipo: str, periodo: str) -> list[sa.Row]:
    """The documents of the batch in force for the kind and period (empty: none)."""
    return conn.execute(sa.select(D).where(D.c.tipo == tipo, D.c.periodo == periodo,
                                           D.c.estado == EMITIDO)
                        .order_by(D.c.anio, D.c.consecutivo)).all()


def anular(conn: sa.Connection, tipo: str, periodo: str) -> int:
    """Void the batch in force for the kind and period; its rows stay, ``anulado``."""
    return conn.execute(D.update().where(D.c.tipo == tipo, D.c.periodo == periodo,
                                         D.c.estado == EMITIDO)
                        .values(estado=ANULADO)).rowcount


def registrar(conn: sa.Connection, tipo: str, periodo: str, filas: list[dict],
              emision: dt.date) -> list[dict]:
    """Number ``filas`` (each with codigo, entidad, municipio, valor, fecha_limite and datos,
    the placeholders' values) as one new batch issued on ``emision``, and write them;
    the rows come back with their ``numero``, which ``datos`` holds too."""
    anio = emision.year
    # .one(), not .scalar(): DuckDB must see the result read to its end before the insert
    ultimo = conn.execute(sa.select(sa.func.max(D.c.consecutivo))
                          .where(D.c.tipo == tipo, D.c.anio == anio)).one()[0] or 0
    lote = (conn.execute(sa.select(sa.func.max(D.c.lote))).one()[0] or 0) + 1
    out = []
    for k, fila in enumerate(filas, ultimo + 1):
        n = numero(tipo, anio, k)
        out.append({**fila, "numero": n, "tipo": tipo, "anio": anio, "consecutivo": k,
                    "periodo": periodo, "lote": lote, "fecha_emision": emision,
                    "estado": EMITIDO, "datos": {**fila["datos"], "numero": n}})
    columnas = [c.name for c in D.columns]
    tabla = pa.table({
        c: pa.array([json.dumps(f[c], ensure_ascii=False) if c == "datos" else f.get(c)
                     for f in out],
                     type=_tipo_arrow(D.c[c])) for c in columnas})
    bulk.insert_arrow(conn, D.name, tabla)
    return out


def _tipo_arrow(col: sa.Column) -> pa.DataType:
    if isinstance(col.type, sa.Date):
        return pa.date32()
    if isinstance(col.type, (sa.Integer, sa.BigInteger)):
        return pa.int64()
    if isinstance(col.type, sa.Numeric):
        return pa.float64()
    return pa.string()


def datos(fila: sa.Row) -> dict:
    """A registered document's placeholders' values."""
    return json.loads(fila.datos)


def con_estado(conn: sa.Connection, dia: dt.date, tipo: str | None = None,
               periodo: str | None = None) -> pd.DataFrame:
    """The register (newest batch first) with each document's state on ``dia``: the notices'
    and letters' closure (``indicators.cobro``); a statement is emitido or anulado."""
    if not cobro.hay_registro(conn):
        return pd.DataFrame(columns=["numero", "tipo", "periodo", "codigo", "entidad",
                                     "municipio", "fecha_emision", "valor", "fecha_limite",
                                     "lote", "estado"])
    c = cobro.cierres(tuple(TIPOS)).subquery("c")
    seguido = c.c.tipo.in_(cobro.CONTROLADOS)
    estado = sa.case((seguido, cobro.estado(c.c, sa.literal(dia, sa.Date))),
                     (c.c.anulado, cobro.ANULADO), else_=EMITIDO)
    stmt = (sa.select(c.c.numero, c.c.tipo, c.c.periodo, c.c.codigo, c.c.entidad, c.c.municipio,
                      c.c.fecha_emision, c.c.valor, c.c.fecha_limite, c.c.lote,
                      estado.label("estado"), c.c.fecha_cierre)
            .order_by(c.c.lote.desc(), c.c.tipo, c.c.numero))
    if tipo:
        stmt = stmt.where(c.c.tipo == tipo)
    if periodo:
        stmt = stmt.where(c.c.periodo == periodo)
    result = conn.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys()))
