"""Pre-billing review (crítica): the significant-deviation rule, defined once.

Ley 142 art. 149 obliges the utility to investigate significant deviations before
billing; Res. CRA 151 de 2001 art. 1.3.20.6 fixes when a consumption is one
(``indicators.md``, "Pre-billing review"). The indicator ``critica.desviaciones``
counts the rows of :func:`desviaciones` and the working list
``cauce listas desviaciones`` prints them, so both always agree.

The decision is exact decimal arithmetic: "more than 35 % of the average" is
written without dividing (|n·c − s| > 0.35·s, with s the sum of n earlier
consumptions), because DuckDB divides decimals in floating point and a
consumption exactly on the boundary must be judged alike on both warehouses.
The reported ratios (``promedio``, ``promedio_grupo``, ``variacion``) are only
shown, so they are IEEE doubles, which both databases compute bit for bit alike.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from indicators import MESES_DE_TENDENCIA
from indicators.definicion import (CONTEO, CUENTAS, Contexto, familia, indicador, medida,
                                   periodo_mas, si)
from indicators.guardados import cambios_desde, ultima_carga

# Earlier periods in the reference average, by billing frequency (Res. CRA 151 de 2001).
PERIODOS_REFERENCIA = {"mensual": 6, "bimestral": 3}
L, H, M = w.tables["lecturas"], w.historia_consumo, w.historia_calculada


def periodos_previos(conn: sa.Connection, periodo: str, settings: Settings) -> list[str]:
    """The up to 6 periods (3 when billing is bimonthly) immediately before P that exist in
    lecturas, latest first."""
    return _previos(Contexto(conn, periodo, settings))


def _previos(q: Contexto) -> list[str]:
    n = PERIODOS_REFERENCIA[q.settings.periodicidad]
    primero = q.primer_periodo("lecturas")
    out, k = [], 0
    while primero is not None and len(out) < n and periodo_mas(q.periodo, k) > primero:
        k -= 1
        if q.hay_datos("lecturas", k):
            out.append(periodo_mas(q.periodo, k))
    return out


def desviaciones(periodo: str, settings: Settings, previos: list[str],
                 guardada: bool = False) -> sa.Select:
    """One row per reviewable reading of `periodo` that is a significant deviation, judged
    against the periods ``previos`` (:func:`periodos_previos`; ``guardada``: their sums as the
    load kept them, :func:`guardar`, which the caller checked are current), with columns:
    codigo, periodo, consumo (c), promedio (a, the reference average; NULL when the account has no
    row in ``previos``), periodos_referencia (how many of its rows made a), promedio_grupo (m, the
    mean of the reviewable rows of P with the same uso and estrato; used only without history),
    variacion (c − a)/a or (c − m)/m, uso, estrato, direccion, ruta, ciclo (from the account's
    suscriptores snapshot of P; NULL when missing), visita (true when an `ordenes` row of
    tipo = 'revision_desviacion' and referencia = P exists for the account).

    Unordered: the indicator only counts it and each list orders it its own way.
    """
    lecturas, suscriptores = w.tables["lecturas"], w.tables["suscriptores"]
    cfg = settings.critica
    p = lambda: sa.literal(periodo, sa.String)  # noqa: E731  (a fresh bound parameter)

    # The reviewable rows of P, with the account's snapshot of P. A reading of an account
    # missing from the cadastre is still real water (data-contract.md): it stays, without uso.
    foto = (sa.select(suscriptores.c.codigo, suscriptores.c.uso, suscriptores.c.estrato,
                      suscriptores.c.direccion, suscriptores.c.ruta, suscriptores.c.ciclo)
            .where(suscriptores.c.periodo == p()).cte("foto"))
    revisables = (
        sa.select(lecturas.c.codigo, lecturas.c.periodo,
                  lecturas.c.consumo_facturado.label("consumo"),
                  foto.c.uso, foto.c.estrato, foto.c.direccion, foto.c.ruta, foto.c.ciclo,
                  # estrato is "0 (or empty)" for non-residential uses: one group, not two.
                  sa.func.coalesce(foto.c.estrato, 0).label("grupo_estrato"))
        .select_from(lecturas.outerjoin(foto, foto.c.codigo == lecturas.c.codigo))
        .where(lecturas.c.periodo == p(), lecturas.c.tipo_consumo == "medido")
        .cte("revisables"))

    # The account's rows in the up to n periods immediately before P that exist in lecturas
    # (``previos``): their mean is the reference average.
    historia = (sa.select(H.c.codigo, H.c.suma, H.c.n).where(H.c.periodo == p()) if guardada
                else _historia(previos)).cte("historia")

    # Similar users (same uso and estrato) in P: the yardstick without history.
    grupo = (
        sa.select(revisables.c.uso, revisables.c.grupo_estrato,
                  sa.func.sum(revisables.c.consumo).label("suma"), sa.func.count().label("n"))
        .where(revisables.c.uso.is_not(None))
        .group_by(revisables.c.uso, revisables.c.grupo_estrato).cte("grupo"))

    r, h, g = revisables, historia, grupo
    c = r.c.consumo
    umbral = sa.case((h.c.suma >= _decimal(cfg.promedio_limite_m3) * h.c.n,
                      _decimal(cfg.variacion_promedio_alto)),
                     else_=_decimal(cfg.variacion_promedio_bajo))
    bajo, alto = (_decimal(x) for x in cfg.rango_sin_historia)
    desviada = sa.or_(
        # |c − a| > k·a, times n: |n·c − s| > k·s
        sa.and_(h.c.n.is_not(None), sa.func.abs(h.c.n * c - h.c.suma) > umbral * h.c.suma),
        # c outside [lo·m, hi·m], times N: N·c < lo·S or N·c > hi·S
        sa.and_(h.c.n.is_(None), sa.or_(g.c.n * c < bajo * g.c.suma, g.c.n * c > alto * g.c.suma)))

    promedio = _ratio(h.c.suma, h.c.n)
    promedio_grupo = _ratio(g.c.suma, g.c.n)
    referencia = sa.func.coalesce(promedio, promedio_grupo)
    # An average of 0 (a stopped meter) has no relative change: NULL, not an error on PostgreSQL.
    variacion = ((sa.cast(c, sa.Double) - referencia)
                 / sa.func.nullif(referencia, 0, type_=sa.Double))
    ordenes = w.tables["ordenes"]
    visita = sa.exists().where(
        ordenes.c.codigo == r.c.codigo, ordenes.c.tipo == "revision_desviacion",
        ordenes.c.referencia == p(), ordenes.c.estado != "anulada")

    return (
        sa.select(r.c.codigo, r.c.periodo, c.label("consumo"), promedio.label("promedio"),
                  sa.func.coalesce(h.c.n, 0).label("periodos_referencia"),
                  promedio_grupo.label("promedio_grupo"),
                  variacion.label("variacion"),
                  r.c.uso, r.c.estrato, r.c.direccion, r.c.ruta, r.c.ciclo,
                  visita.label("visita"))
        .select_from(r.outerjoin(h, h.c.codigo == r.c.codigo)
                     .outerjoin(g, sa.and_(g.c.uso == r.c.uso,
                                           g.c.grupo_estrato == r.c.grupo_estrato)))
        .where(desviada))


def _historia(previos: list[str]) -> sa.Select:
    """codigo, suma, n: each account's billed consumption in the periods ``previos``, summed
    and counted. For every account of those periods, joined afterwards: aggregating first is
    cheaper than filtering by a join."""
    return (sa.select(L.c.codigo, sa.func.sum(L.c.consumo_facturado).label("suma"),
                      sa.func.count().label("n"))
            .where(L.c.periodo.in_(previos)).group_by(L.c.codigo))


def guardar(conn: sa.Connection, settings: Settings, periodos: list[str]) -> None:
    """Keep each account's reference history (:func:`_historia` of the periods that judge
    P) for each P of ``periodos`` whose kept history is not current (:func:`al_dia`). The
    load's last step does it for the months whose indicators it keeps
    (``indicators.catalogo.guardar_ultimos``), in the same transaction, before them."""
    carga = ultima_carga(conn)
    if carga is None or not w.al_dia(conn):   # an earlier Cauce's warehouse: when asked
        return
    sondeos: dict = {}          # which periods hold readings: asked once for all of them
    for periodo in periodos:
        q = Contexto(conn, periodo, settings, sondeos=sondeos)
        previos = _previos(q)
        if al_dia(q, previos):
            continue
        conn.execute(H.delete().where(H.c.periodo == periodo))
        conn.execute(H.insert().from_select(
            ["periodo", "codigo", "suma", "n"],
            sa.select(sa.literal(periodo, sa.String), *_historia(previos).subquery().c)))
        conn.execute(M.delete().where(M.c.periodo == periodo))
        conn.execute(M.insert().values(periodo=periodo, carga_id=carga,
                                       previos=",".join(previos)))


def al_dia(q: Contexto, previos: list[str]) -> bool:
    """Whether the history kept for P is what :func:`_historia` of ``previos`` sums now: kept
    over these same periods (another billing frequency, a period loaded in between, change
    them), and no load since brought readings of any of them (a warehouse rebuilt from the
    archive numbers its loads anew: nothing is current)."""
    if not q.uno("al_dia", w.al_dia):
        return False
    kept = q.conn.execute(sa.select(M.c.carga_id, M.c.previos)
                          .where(M.c.periodo == q.periodo)).first()
    if kept is None or kept.previos != ",".join(previos):
        return False
    cambios = cambios_desde(q.conn, kept.carga_id)
    return cambios is not None and not cambios.get("lecturas", set()) & set(previos)


def contar_desviaciones(conn: sa.Connection, periodo: str, settings: Settings) -> int:
    """``critica.desviaciones``: how many rows :func:`desviaciones` lists, counted in the
    database (the list itself may be long; the indicator needs one number)."""
    q = desviaciones(periodo, settings, periodos_previos(conn, periodo, settings)).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(q)).scalar_one()


def _decimal(x: float) -> sa.ColumnElement:
    """A setting as an exact decimal parameter: 0.35 must mean 0.35, not the nearest double."""
    return sa.cast(sa.literal(Decimal(str(x))), sa.Numeric(18, 6))


def _ratio(suma, n) -> sa.ColumnElement:
    """suma / n as a double: DuckDB divides decimals in floating point anyway, so both do."""
    return sa.cast(suma, sa.Double) / sa.cast(n, sa.Double)


# --- The indicators of the area -------------------------------------------------------------

@familia(
    medida("critica.desviaciones", "Desviaciones significativas",
           "Lecturas medidas del periodo cuyo consumo se aparta del promedio de la cuenta más "
           "del 35 % (promedio ≥ 40 m³) o del 65 % (promedio < 40 m³), o, sin historia, fuera "
           "de 0,35 a 1,65 veces el promedio de su uso y estrato.", CONTEO,
           mayor_es_mejor=False, numerador="desviacion"),
    medida("critica.desviaciones_sin_visita", "Desviaciones sin visita",
           "Desviaciones significativas de cuentas sin orden de revisión de desviación para "
           "el periodo.", CONTEO, mayor_es_mejor=False, numerador="sin_visita"),
    fuentes=["lecturas"])
def filas_desviaciones(q: Contexto) -> sa.Select:
    previos = q.uno("critica.previos", lambda conn: _previos(q))
    guardada = q.uno("critica.guardada", lambda conn: al_dia(q, previos))
    d = desviaciones(q.periodo, q.settings, previos, guardada).subquery()
    return sa.select(d, sa.literal(1).label("desviacion"), si(~d.c.visita).label("sin_visita"))


@indicador("critica.consumo_cero_recurrente", "Medidores frenados",
           "Activos con medidor cuyo consumo facturado fue 0 en el periodo y en los dos "
           "anteriores (programar verificación).", CUENTAS, mayor_es_mejor=False,
           fuentes=["suscriptores", "lecturas", ("lecturas", -1), ("lecturas", -2)])
def consumo_cero_recurrente(q: Contexto) -> sa.Select:
    lecturas = w.tables["lecturas"]
    ceros = (sa.select(lecturas.c.codigo)
             .where(lecturas.c.periodo.in_([q.p(-2), q.p(-1), q.p()]),
                    lecturas.c.consumo_facturado == 0)
             .group_by(lecturas.c.codigo).having(sa.func.count() == 3).subquery())
    s = q.foto(activos=True).subquery()
    return (sa.select(s.c.codigo, s.c.medidor, s.c.direccion, s.c.ruta,
                      sa.literal(1).label("numerador"))
            .join_from(s, ceros, ceros.c.codigo == s.c.codigo)
            .where(sa.func.coalesce(s.c.medidor, "") != ""))


@indicador("critica.lectura_regresiva", "Lecturas regresivas",
           "Lecturas del periodo con lectura actual menor que la anterior, salvo cambio de "
           "medidor.", CONTEO, mayor_es_mejor=False, fuentes=["lecturas"])
def lectura_regresiva(q: Contexto) -> sa.Select:
    lecturas = w.tables["lecturas"]
    return (sa.select(lecturas.c.codigo, lecturas.c.periodo, lecturas.c.lectura_anterior,
                      lecturas.c.lectura_actual, lecturas.c.tipo_consumo,
                      sa.literal(1).label("numerador"))
            .where(lecturas.c.periodo == q.p(),
                   lecturas.c.lectura_actual < lecturas.c.lectura_anterior,
                   lecturas.c.tipo_consumo != "cambio_medidor"))


def historia(conn: sa.Connection, codigo: str, periodo: str,
             n: int = MESES_DE_TENDENCIA) -> pd.DataFrame:
    """An account's readings over the n periods ending at P, oldest first (the chart beside a
    deviation): periodo, consumo, tipo_consumo, critica, lectura_anterior, lectura_actual."""
    lecturas = w.tables["lecturas"]
    stmt = (sa.select(lecturas.c.periodo, sa.cast(lecturas.c.consumo_facturado, sa.Double)
                      .label("consumo"), lecturas.c.tipo_consumo, lecturas.c.critica,
                      lecturas.c.lectura_anterior, lecturas.c.lectura_actual)
            .where(lecturas.c.codigo == codigo,
                   lecturas.c.periodo.between(periodo_mas(periodo, 1 - n), periodo))
            .order_by(lecturas.c.periodo))
    result = conn.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys()))
