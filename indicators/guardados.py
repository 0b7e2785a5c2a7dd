"""The catalogue of the latest 13 periods, kept in the warehouse after each load.

Every card of the dashboard draws its indicator's last 13 months (``MESES_DE_TENDENCIA``),
and so do the meeting's slides and the workbook: computed when asked, that is the catalogue
13 times over, seconds of waiting for whoever opens the first page after a load, more with
the sidebar's filter of a municipality or a service. So the load computes them once, as its last step
(``cauce.acciones.carga``: ``cauce cargar`` and the dashboard's *Cargar datos*), with
:func:`indicators.catalogo.guardar_ultimos`: for the whole utility and broken down by municipio
and by servicio, whose groups are exactly what a filter of that dimension counts, and for the
latest month also by estrato and by uso, which the pages' bars draw. This module
is their store; :func:`indicators.catalogo.calcular` answers from it the periods it holds (two
filters at once, or another breakdown, are computed as always).

They are the catalogue's own output, kept under the number of the load they are current
with and a *version*: a fingerprint of the settings the indicators read and of the catalogue's
code. A changed ``config.toml`` (a threshold, a PQR term) or another version of Cauce makes
them stale, and stale results are never read: the catalogue computes instead. A load makes
stale only what its files can change (:func:`por_calcular`): the months they wrote and the
months after, whose windows reach back to them, plus the few months before whose indicators
look past their end; the next keep recomputes those and carries the others over. Goals and
traffic lights are not kept: they are applied when read.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from etl.auditoria import periodos_cargados
from indicators import MESES_DE_TENDENCIA
from indicators.definicion import periodo_mas

N = MESES_DE_TENDENCIA      # what a card draws: the same month of last year is in it
DESGLOSES = (None, "municipio", "servicio")      # the whole utility, the sidebar's filters
DEL_ULTIMO = ("estrato", "uso")     # and of the latest month, the pages' bars by class
T = w.resultado_indicador

# Settings that change no indicator's value: where the warehouse and the files are, how
# exports are read and checked, the goals and the traffic light (applied when read), sign-in.
_AJENOS = {"path", "almacen_url", "memoria_mb", "archivo_dir", "calidad_dir", "formato_fecha",
           "formato_decimal", "bloque_bytes", "tolerancia_calidad", "tolerancias", "calidad",
           "semaforo_tolerancia", "metas", "mapeos", "acceso", "usuarios_archivo",
           "proveedor_oidc"}


def version(settings: Settings) -> str:
    """The fingerprint of what the kept results were computed with."""
    leidos = [(f.name, getattr(settings, f.name)) for f in dataclasses.fields(settings)
              if f.name not in _AJENOS]
    return hashlib.sha256(repr(leidos).encode() + _codigo()).hexdigest()


@functools.cache
def _codigo() -> bytes:
    """The catalogue's code: its area modules and how they are summed."""
    modulos = sorted(Path(__file__).parent.glob("*.py"))
    return hashlib.sha256(b"".join(m.read_bytes() for m in modulos)).digest()


def ultima_carga(conn: sa.Connection) -> int | None:
    """The number of the last load: what the kept results are kept under."""
    return conn.execute(sa.select(sa.func.max(w.carga.c.id))).scalar()


def cambios_desde(conn: sa.Connection, carga: int) -> dict[str, set[str]] | None:
    """{source: the periods its loads after load ``carga`` wrote or replaced}: what can have
    changed since something was kept with that load; None when the warehouse was rebuilt
    since (the archive's loads numbered anew: nothing kept before is current)."""
    ultima = ultima_carga(conn)
    if ultima is None or carga > ultima:
        return None
    return periodos_cargados(conn, carga)


# How many months past its end an indicator of P still reads: the payments to its invoices up
# to their due date and its PQR's legal term (15 business days) end within the next month, an
# order's term within the one after. A load of month M can change the months from M − 2 on.
MESES_HACIA_ADELANTE = 2


def por_calcular(conn: sa.Connection, carga: int, settings: Settings,
                 periodos: list[str]) -> list[str]:
    """Which of ``periodos`` (the N that should be kept) must be computed for load ``carga``:
    none when what is kept is current; after later loads, the months they can have changed
    and those not kept yet; all of them with other settings or code."""
    filas = conn.execute(sa.select(T.c.periodo, sa.func.min(T.c.carga_id),
                                   sa.func.max(T.c.provisional))
                         .where(T.c.version == version(settings)).group_by(T.c.periodo)).all()
    pendientes = {periodo: provisional for periodo, _, provisional in filas}
    al_dia_con = {carga_id for _, carga_id, _ in filas}     # every keep marks all rows
    if len(al_dia_con) != 1 or min(al_dia_con) > carga:     # none, or of a warehouse rebuilt
        return list(periodos)
    desde = _primer_mes_cambiado(conn, min(al_dia_con))
    if desde is None:                   # no load since: only the months not kept yet
        return [p for p in periodos if p not in pendientes]
    # A later cut-off also judges the items that were not yet due.
    return [p for p in periodos if p not in pendientes or p >= desde or pendientes[p]]


def _primer_mes_cambiado(conn: sa.Connection, carga: int) -> str | None:
    """The first month whose indicators the loads after ``carga`` can have changed."""
    meses = []
    for fuente, periodos in periodos_cargados(conn, carga).items():
        if fuente == "encuestas":       # a round, dated by its last month (June, December),
            periodos = {periodo_mas(p, -5) for p in periodos}   # is the NSU of its semester
        meses += [periodo_mas(p, -MESES_HACIA_ADELANTE) for p in periodos]
    return min(meses, default=None)


def reemplazar(conn: sa.Connection, carga: int, settings: Settings, periodos: list[str],
               por_desglose: dict[str | None, pd.DataFrame]) -> None:
    """Keep the N ``periodos``: the catalogue's frames (one per breakdown of ``DESGLOSES``, of
    the months :func:`por_calcular` chose) in place of what was kept of those months; the
    other months stay, now current with load ``carga``."""
    v = version(settings)
    nuevos = {f.periodo for frame in por_desglose.values() for f in frame.itertuples()}
    conn.execute(T.delete().where(sa.or_(T.c.version != v, T.c.periodo.not_in(periodos),
                                         T.c.periodo.in_(nuevos))))
    conn.execute(T.update().values(carga_id=carga))
    _insertar(conn, carga, v, por_desglose)


def actualizar(conn: sa.Connection, carga: int, settings: Settings, ids: list[str],
               por_desglose: dict[str | None, pd.DataFrame]) -> None:
    """Replace what is kept of the indicators ``ids`` alone (the notices' control, after a
    batch of documents changed the register between loads)."""
    v = version(settings)
    conn.execute(T.delete().where(T.c.carga_id == carga, T.c.version == v, T.c.id.in_(ids)))
    _insertar(conn, carga, v, por_desglose)


def _insertar(conn: sa.Connection, carga: int, version_: str,
              por_desglose: dict[str | None, pd.DataFrame]) -> None:
    """Keep the catalogue's frames, each breakdown's groups in their order."""
    filas = [{"carga_id": carga, "version": version_, "periodo": f.periodo, "id": f.id,
              "por": por, "grupo": f.grupo, "orden": i, "valor": f.valor,
              "numerador": f.numerador, "denominador": f.denominador,
              "provisional": f.provisional}
             for por, frame in por_desglose.items() for i, f in enumerate(frame.itertuples())]
    if filas:
        conn.execute(T.insert(), filas)


def leer(conn: sa.Connection, settings: Settings) -> dict[tuple, list[dict]]:
    """{(periodo, id, por): [{grupo, valor, numerador, denominador, provisional}, …]} as kept
    for the last load and these settings, the groups in the catalogue's order; empty when they
    are stale or not there (a warehouse of an older Cauce)."""
    if not w.al_dia(conn):
        return {}
    ultima = sa.select(sa.func.max(w.carga.c.id)).scalar_subquery()
    filas = conn.execute(sa.select(T.c.periodo, T.c.id, T.c.por, T.c.grupo, T.c.valor,
                                   T.c.numerador, T.c.denominador, T.c.provisional)
                         .where(T.c.carga_id == ultima, T.c.version == version(settings))
                         .order_by(T.c.orden))
    out: dict[tuple, list[dict]] = {}
    for f in filas:
        out.setdefault((f.periodo, f.id, f.por), []).append(
            {"grupo": f.grupo, "valor": f.valor, "numerador": f.numerador,
             "denominador": f.denominador, "provisional": f.provisional})
    return out
