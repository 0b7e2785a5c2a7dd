"""The demo's approved tariff table (tarifas) and its price index (indices).

One row per municipality, service, date in force, use and estrato: the reference
fixed charge and price (the same for every class of one municipality, service and
date) and the class's factor (``config.toml``'s subsidies and contributions). One
municipality changes its tariff six periods before the end (an indexation), so the
invoices are billed with two dates in force there. The invoices are billed from
this table (``facturacion``); with defects on, the table lacks one class
(``CLASE_SIN_TARIFA``), whose invoice rows cannot be verified.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.contract import SERVICIOS, USOS

from . import salida as s
from .catastro import COM, ESP, IND, RES

# Reference costs (COP) per dwelling unit: fixed charge and price per m³ of acueducto and
# alcantarillado; aseo: fixed charge and the monthly variable charge.
REFERENCIA = np.array([(9_500, 2_900), (5_200, 2_400), (4_800, 16_000)], np.int64)
AUMENTO = 1.06                  # the indexation of the municipality that changes its tariff
MESES_ANTES_DEL_CAMBIO = 6      # the change comes in force this many periods before the end
CLASE_SIN_TARIFA = (0, ESP, 2)  # (municipality, use, service) left out of the table (defects on)
ACUERDO = ("Resolución de Junta Directiva 012 de {anio} y Acuerdo municipal 008 de {anio} "
           "(factores)")


@dataclass
class Tarifas:
    """The table as the billing uses it: reference costs per date, factors per class."""
    precios: list[np.ndarray]        # per period t: (municipality, service, 2) reference costs
    anteriores: list[np.ndarray]     # per period t: the costs in force the period before
    cambio: tuple[int, int]          # (municipality, first period t) of the tariff change
    sin_tarifa: tuple[int, int, int] | None


def factor_pct(settings, uso: np.ndarray, estrato: np.ndarray) -> np.ndarray:
    """Each class's factor in hundredths (−70 is a 70 % subsidy, 50 a 50 % contribution)."""
    pct = np.zeros(len(uso), np.int64)
    res = uso == RES
    for e, share in settings.subsidios.items():
        pct[res & (estrato == e)] = -round(share * 100)
    for e in (5, 6):
        pct[res & (estrato == e)] = round(settings.contribuciones[f"estrato_{e}"] * 100)
    pct[uso == COM] = round(settings.contribuciones["comercial"] * 100)
    pct[uso == IND] = round(settings.contribuciones["industrial"] * 100)
    return pct


def crear(ctx, terr) -> Tarifas:
    """Decide the table, write ``tarifas_P.csv`` and ``indices_P.csv`` (P: the last period)."""
    m = len(terr.dane)
    cambio = (1 % m, max(1, ctx.T - MESES_ANTES_DEL_CAMBIO))
    base = np.broadcast_to(REFERENCIA, (m, 3, 2)).copy()
    nuevo = base.copy()
    nuevo[cambio[0]] = np.round(base[cambio[0]] * AUMENTO).astype(np.int64)
    precios = [nuevo if t >= cambio[1] else base for t in range(ctx.T)]
    anteriores = [base] * ctx.T
    sin = CLASE_SIN_TARIFA if ctx.defectos.activos else None
    _escribir(ctx, terr, [(0, base), (cambio[1], nuevo[cambio[0]:cambio[0] + 1])], cambio, sin)
    _indices(ctx)
    return Tarifas(precios, anteriores, cambio, sin)


def _clases():
    """Every (use, estrato) class: estratos 1–6 for residencial, 0 for the other uses."""
    return [(RES, e) for e in range(1, 7)] + [(u, 0) for u in range(len(USOS)) if u != RES]


def _escribir(ctx, terr, fechas, cambio, sin) -> None:
    clases = _clases()
    rows = []
    for t, costos in fechas:
        munis = range(len(terr.dane)) if t == 0 else [cambio[0]]
        for i, mi in enumerate(munis):
            for k in range(3):
                for uso, estrato in clases:
                    if sin is not None and (mi, uso, k) == sin:
                        continue
                    rows.append((mi, k, t, uso, estrato, *costos[i if t else mi, k]))
    a = np.array(rows, np.int64)
    mi, k, t, uso, estrato, fijo, var = a.T
    fechas_dia = np.array([ctx.ms(x) for x in t])
    factor = factor_pct(ctx.settings, uso, estrato)
    agua = k < 2
    basico = terr.basico[mi] * 100
    anio = [str(ctx.meses[x][0]) for x in t]
    cols = {
        "municipio_dane": s.vocab(mi, terr.dane), "servicio": s.vocab(k, SERVICIOS),
        "vigente_desde": s.fecha(fechas_dia), "uso": s.vocab(uso, USOS),
        "estrato": s.entero(estrato), "cargo_fijo": s.entero(fijo),
        "cargo_consumo": s.entero(var), "consumo_basico_m3": s.fijo(basico, 2, nulos=~agua),
        "factor": s.fijo(factor, 2),
        "acuerdo": s.vocab(np.array([sorted(set(anio)).index(x) for x in anio]),
                           [ACUERDO.format(anio=x) for x in sorted(set(anio))]),
    }
    ctx.escribir("tarifas", ctx.T - 1, len(a), cols)


def _indices(ctx) -> None:
    """The monthly price index from the month before the first period: about 0.4 % a month."""
    anio, mes = ctx.meses[0]
    previo = f"{anio - (mes == 1):04d}-{12 if mes == 1 else mes - 1:02d}"
    periodos = [previo] + [ctx.periodo(t) for t in range(ctx.T)]
    nivel = np.round(14_000 * np.cumprod(np.r_[1.0, np.full(ctx.T, 1.004)])).astype(np.int64)
    cols = {"periodo": s.vocab(np.arange(len(periodos)), periodos), "indice": s.fijo(nivel, 2)}
    ctx.escribir("indices", ctx.T - 1, len(periodos), cols)
