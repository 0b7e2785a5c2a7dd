"""Routes (``planning.md``, "Routes"): each route of a period with its indicators, how
unbalanced it is against its cycle, and the accounts' coordinates for the offline map.

The figures per route are the catalogue's own breakdown by ``ruta`` (``catalogo.calcular``
and ``catalogo.cruzar``), so the page and ``cauce indicadores --por ruta`` agree.
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from indicators import catalogo
from indicators.definicion import Contexto

# The route's columns of the page's table, in its order.
INDICADORES = ("catastro.activos", "facturacion.lectura_efectiva", "critica.desviaciones",
               "facturacion.reparto_oportuno")
MAXIMO_EN_EL_MAPA = 20_000     # accounts drawn on the map (a sample beyond)


def por_ruta(conn: sa.Connection, periodo: str, settings: Settings,
             filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per route (of the filter's groups): its cycle, its active accounts, its
    cycle's mean, the deviation from it and whether it is unbalanced (``[rutas]
    desbalance``), and the indicators of ``INDICADORES`` (with the late deliveries: delivered
    less than the term before due)."""
    columnas = ["ruta", "ciclo", "activos", "media_ciclo", "desviacion", "desbalanceada",
                *INDICADORES[1:], "entregas_tardias"]
    valores = catalogo.calcular(conn, periodo, settings, "ruta", list(INDICADORES), filtro)
    activos = valores[(valores["id"] == "catastro.activos") & valores["valor"].notna()]
    if activos.empty:
        return pd.DataFrame(columns=columnas)
    ciclos = catalogo.cruzar(conn, ["catastro.activos"], periodo, settings, ("ruta", "ciclo"))
    ciclo = dict(zip(ciclos["ruta"].astype(str), ciclos["ciclo"].astype(str)))
    t = pd.DataFrame({"ruta": activos["grupo"].astype(str).to_numpy(),
                      "activos": activos["valor"].astype(float).to_numpy()})
    t["ciclo"] = t["ruta"].map(ciclo)
    t["media_ciclo"] = t.groupby("ciclo")["activos"].transform("mean")
    t["desviacion"] = [(a - m) / m if m else None for a, m in zip(t["activos"], t["media_ciclo"])]
    t["desbalanceada"] = [d is not None and abs(d) > settings.rutas_desbalance
                          for d in t["desviacion"]]
    for id in INDICADORES[1:]:
        v = valores[valores["id"] == id]
        t[id] = t["ruta"].map(dict(zip(v["grupo"].astype(str), v["valor"])))
    # a route with readings and no deviation has 0 of them, not "no data"
    if t["critica.desviaciones"].notna().any():
        t["critica.desviaciones"] = t["critica.desviaciones"].fillna(0.0)
    reparto = valores[valores["id"] == "facturacion.reparto_oportuno"]
    tardias = {str(g): (d - n if d is not None and n is not None else None)
               for g, n, d in zip(reparto["grupo"], reparto["numerador"],
                                  reparto["denominador"])}
    t["entregas_tardias"] = t["ruta"].map(tardias)
    return t.sort_values(["ciclo", "ruta"], ignore_index=True)[columnas]


def puntos(conn: sa.Connection, periodo: str, settings: Settings,
           filtro: dict[str, str] | None = None) -> tuple[pd.DataFrame, int, int]:
    """The active accounts' coordinates (ruta, latitud, longitud; no account code: a
    location alone), at most ``MAXIMO_EN_EL_MAPA`` of them (an even sample beyond); with
    how many active accounts there are and how many lack coordinates."""
    s = Contexto(conn, periodo, settings).foto(activos=True).subquery("foto")
    donde = [s.c[{"municipio": "municipio_dane"}.get(d, d)] == g
             for d, g in (filtro or {}).items() if d in ("municipio", "ciclo", "ruta")]
    con = sa.and_(s.c.latitud.is_not(None), s.c.longitud.is_not(None))
    total, sin = conn.execute(sa.select(sa.func.count(), sa.func.sum(
        sa.case((con, 0), else_=1))).select_from(s).where(*donde)).one()
    total, sin = int(total or 0), int(sin or 0)
    paso = max(1, -(-(total - sin) // MAXIMO_EN_EL_MAPA))
    orden = sa.func.row_number().over(order_by=s.c.codigo)
    con_orden = (sa.select(s.c.ruta, s.c.latitud, s.c.longitud, orden.label("n"))
                 .where(con, *donde).subquery("con_orden"))
    filas = conn.execute(sa.select(con_orden.c.ruta, con_orden.c.latitud, con_orden.c.longitud)
                         .where(con_orden.c.n % paso == 0)).all()
    frame = pd.DataFrame(filas, columns=["ruta", "latitud", "longitud"])
    frame[["latitud", "longitud"]] = frame[["latitud", "longitud"]].astype(float)
    return frame, total, sin


def causas(conn: sa.Connection, periodo: str, settings: Settings,
           filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The readings not taken in P by their cause of non-reading (``causa``, ``lecturas``):
    the rows of ``facturacion.lectura_efectiva`` that count in its denominator and not in its
    numerator; those without a cause are "sin causal"."""
    g = catalogo.agrupar(conn, "facturacion.lectura_efectiva", periodo, settings,
                         "causal_no_lectura", filtro)
    g = g.assign(lecturas=g["denominador"].astype(float) - g["numerador"].astype(float))
    g["causa"] = g["causal_no_lectura"].replace({catalogo.SIN_DATO: "sin causal"})
    g = g[g["lecturas"] > 0]
    return g[["causa", "lecturas"]].sort_values("lecturas", ascending=False, ignore_index=True)
