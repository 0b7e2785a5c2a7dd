"""Queries on the load's audit trail: which loads are current, and what their checks found.

A newer export of a period (a cut-off date, a survey round) replaces the
older one's rows, so only the latest load of each slice still describes the
warehouse: the quality report adds up the results of those loads only
(``cauce calidad``). The ``carga`` table is small (one row per loaded file),
so its JSON scope is read and filtered here, in Python, and never with a
database's JSON functions, which DuckDB and PostgreSQL spell differently.
The per-row tables (``hallazgo``, ``cuarentena``) can be large: they are only
counted, or read with a ``LIMIT``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from cauce import CauceError, SinCargas
from data_checks.reglas import REGLAS
from data_checks.revision import Control
from etl import contract as c
from etl import warehouse as w

EJEMPLOS = 20          # keys shown per check
CUARENTENA = "cuarentena"
DESCRIPCION_CUARENTENA = ("Filas que no se pudieron guardar (valor inválido, falta un dato "
                          "obligatorio, clave repetida).")
_ESTADOS = ("cargado", "forzado")
_DESCRIPCIONES = {r.id: r.descripcion for r in REGLAS}
_ORDEN_REGLAS = {r.id: i for i, r in enumerate(REGLAS)}
_ORDEN_FUENTES = {name: i for i, name in enumerate(c.SOURCES)}


@dataclass(frozen=True)
class _Carga:
    id: int
    fuente: str
    filas_leidas: int


def cargas_vigentes(conn: sa.Connection, periodo: str | None = None) -> list[int]:
    """The ids of the loads whose data the warehouse still holds, in load order.

    A load of a source that replaces slices (``replaces_by``) is current while
    it is the latest load of at least one of its slices (a load that stored no
    row has no slice: it is current while it is its source's latest); a load of a keyed
    source (``pagos``, ``pqr``...) always is, since each of its rows replaced
    only the same keys. With ``periodo``, only the loads with rows of that
    month. Raises a Spanish ``CauceError`` when there is nothing to report.
    """
    return [carga.id for carga in _vigentes(conn, periodo)]


def calidad(conn: sa.Connection, periodo: str | None = None) -> list[Control]:
    """Each check's result over the current loads, in the order of the sources and of ``REGLAS``.

    A check's failed and judged rows are added up over the loads; the examples
    are the first keys it flagged (by load, then row in the file). Each source
    with quarantined rows gets a ``cuarentena`` check too, last in its source.
    """
    cargas = _vigentes(conn, periodo)
    ids = [carga.id for carga in cargas]
    controles = _reglas(conn, ids) + _cuarentena(conn, cargas)
    return sorted(controles, key=_orden)


def _vigentes(conn: sa.Connection, periodo: str | None) -> list[_Carga]:
    if periodo is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", periodo):
        raise CauceError(f"El periodo «{periodo}» no es válido: escríbalo como AAAA-MM, "
                         f"por ejemplo 2026-10.")
    t = w.carga.c
    rows = (conn.execute(sa.select(t.id, t.fuente, t.alcance, t.filas_leidas)
                         .where(t.estado.in_(_ESTADOS)).order_by(t.id)).all()
            if sa.inspect(conn).has_table(w.carga.name) else [])     # never loaded: no tables
    if not rows:
        raise SinCargas("No hay cargas en el almacén, así que no hay resultados de calidad que "
                        "mostrar.")
    ultima = ultima_por_porcion(rows)
    ultima_de_fuente = {row.fuente: row.id for row in rows}
    vigentes = []
    for row in rows:
        valores = porciones(row.fuente, row.alcance)
        # A file whose every row was quarantined replaced no slice; it is reported
        # until the source's next load, or its quarantine would never be seen.
        sin_filas = not valores and ultima_de_fuente[row.fuente] == row.id
        if (_reemplaza(row.fuente) and not sin_filas
                and not any(ultima[row.fuente, v].id == row.id for v in valores)):
            continue
        if periodo is not None and periodo not in json.loads(row.alcance or "{}").get(
                "periodos", []):
            continue
        vigentes.append(_Carga(row.id, row.fuente, row.filas_leidas or 0))
    if not vigentes:
        raise SinCargas(f"No hay cargas vigentes con datos del periodo {periodo}: revise el "
                        f"periodo (AAAA-MM) o cargue sus exportaciones.")
    return vigentes


def periodos_cargados(conn: sa.Connection, despues_de: int) -> dict[str, set[str]]:
    """{source: the periods (``YYYY-MM``) its loads after load ``despues_de`` wrote or
    replaced rows of}: what those loads can have changed."""
    t = w.carga.c
    out: dict[str, set[str]] = {}
    for fuente, alcance in conn.execute(sa.select(t.fuente, t.alcance).where(
            t.id > despues_de, t.estado.in_(_ESTADOS))):
        a = json.loads(alcance or "{}")
        out.setdefault(fuente, set()).update(a.get("periodos", []),
                                             a.get("periodos_reemplazados", []))
    return out


def porciones(fuente: str, alcance: str | None) -> list[str]:
    """The slices (periods, cut-off dates, survey rounds) a load replaced, from its
    ``alcance``; none for a keyed source."""
    columna = _reemplaza(fuente)
    return [str(v) for v in json.loads(alcance or "{}").get(columna, [])] if columna else []


def ultima_por_porcion(rows) -> dict[tuple[str, str], object]:
    """The latest of ``rows`` (loads with ``fuente`` and ``alcance``, in load order) for
    each (source, slice): the load whose rows the warehouse holds for that slice."""
    return {(row.fuente, v): row for row in rows for v in porciones(row.fuente, row.alcance)}


def _reemplaza(fuente: str) -> str | None:
    """The column whose values a newer export of ``fuente`` replaces (None: a keyed source)."""
    source = c.SOURCES.get(fuente)
    return source.replaces_by if source else None


def _reglas(conn: sa.Connection, ids: list[int]) -> list[Control]:
    r = w.resultado_regla.c
    rows = conn.execute(sa.select(r.carga_id, r.fuente, r.regla, r.severidad, r.fallidas,
                                  r.total, r.tolerancia)
                        .where(r.carga_id.in_(ids)).order_by(r.carga_id)).all()
    # One row per load and rule: few, so they are added up here. The tolerance and
    # severity shown are the latest load's, the ones the next load is judged by.
    suma: dict[tuple[str, str], dict] = {}
    for row in rows:
        s = suma.setdefault((row.fuente, row.regla), {"fallidas": 0, "total": 0, "con_fallas": []})
        s["fallidas"] += row.fallidas
        s["total"] += row.total
        s["severidad"], s["tolerancia"] = row.severidad, row.tolerancia
        if row.fallidas:
            s["con_fallas"].append(row.carga_id)
    return [Control(regla, s["severidad"], s["fallidas"], s["total"], s["tolerancia"], fuente,
                    _DESCRIPCIONES.get(regla, ""),
                    _flagged_keys(conn, fuente, regla, s["con_fallas"]))
            for (fuente, regla), s in suma.items()]


def _flagged_keys(conn: sa.Connection, fuente: str, regla: str, ids: list[int]) -> list[str]:
    """The first keys a rule flagged, load by load (each query limited, using the load's index)."""
    h = w.hallazgo.c
    out: list[str] = []
    for carga_id in ids:
        out += conn.execute(sa.select(h.clave).where(
            h.carga_id == carga_id, h.fuente == fuente, h.regla == regla,
        ).order_by(h.fila.asc().nulls_last(), h.clave).limit(EJEMPLOS - len(out))).scalars()
        if len(out) >= EJEMPLOS:
            break
    return out


def _cuarentena(conn: sa.Connection, cargas: list[_Carga]) -> list[Control]:
    q = w.cuarentena.c
    ids = [carga.id for carga in cargas]
    cuenta = dict(conn.execute(sa.select(q.fuente, sa.func.count()).where(q.carga_id.in_(ids))
                               .group_by(q.fuente)).all())
    out = []
    for fuente, fallidas in cuenta.items():
        propias = [carga for carga in cargas if carga.fuente == fuente]
        out.append(Control(CUARENTENA, "error", fallidas,
                           sum(carga.filas_leidas for carga in propias), None, fuente,
                           DESCRIPCION_CUARENTENA,
                           _motivos(conn, fuente, [carga.id for carga in propias])))
    return out


def _motivos(conn: sa.Connection, fuente: str, ids: list[int]) -> list[str]:
    """«clave: motivo» of the first quarantined rows (by load, then row in the file)."""
    q = w.cuarentena.c
    rows = conn.execute(sa.select(q.fila, q.clave, q.motivo)
                        .where(q.carga_id.in_(ids), q.fuente == fuente)
                        .order_by(q.carga_id, q.fila.asc().nulls_last())
                        .limit(EJEMPLOS)).all()
    return [f"{row.clave or f'fila {row.fila}'}: {row.motivo}" for row in rows]


def _orden(control: Control) -> tuple:
    ultimo = len(_ORDEN_REGLAS) + 1
    regla = ultimo if control.regla == CUARENTENA else _ORDEN_REGLAS.get(control.regla, ultimo - 1)
    return (_ORDEN_FUENTES.get(control.fuente, len(_ORDEN_FUENTES)), control.fuente, regla,
            control.regla)
