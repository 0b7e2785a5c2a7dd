"""Dates of the demo: the periods, Colombian business days and the commercial calendar.

Dates are whole days since 1970-01-01 (``int64``) and date-times whole seconds,
so every rule is integer arithmetic on numpy arrays.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np

from cauce import CauceError
from etl.contract import SOURCES

from .salida import NUNCA

ACTIVIDADES = SOURCES["calendario"].column("actividad").codes


def ultimo_mes_completo(hoy: date | None = None) -> str:
    """``YYYY-MM`` of the last complete month before ``hoy`` (default: today)."""
    prev = (hoy or date.today()).replace(day=1) - timedelta(days=1)
    return f"{prev.year:04d}-{prev.month:02d}"


def dia(anio: int, mes: int, d: int = 1) -> int:
    return (date(anio, mes, d) - date(1970, 1, 1)).days


def periodos(hasta: str, n: int = 24) -> list[tuple[int, int]]:
    """The ``n`` monthly periods ending at ``hasta``, as (year, month)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", hasta) if isinstance(hasta, str) else None
    if not m or not 1 <= int(m[2]) <= 12 or not 1990 <= int(m[1]) <= 2200:
        raise CauceError(f"El periodo final {hasta!r} no es válido: escríbalo como AAAA-MM, "
                         f"por ejemplo 2026-10.", 2)
    last = int(m[1]) * 12 + int(m[2]) - 1
    return [(i // 12, i % 12 + 1) for i in range(last - n + 1, last + 1)]


class Habiles:
    """Business days: Monday to Friday minus Colombian national holidays (``holidays.CO``)."""

    def __init__(self, desde: int, hasta: int):
        fer = holidays.CO(years=range(desde, hasta + 1))
        self.feriados = np.array(sorted(fer), dtype="datetime64[D]")

    def sumar(self, dias, n) -> np.ndarray:
        """The n-th business day after each date (n = 0: the date itself if hábil, else the next)."""
        d = np.asarray(dias, dtype=np.int64).astype("datetime64[D]")
        roll = "forward" if np.all(np.asarray(n) == 0) else "backward"
        out = np.busday_offset(d, n, roll=roll, holidays=self.feriados)
        return out.astype(np.int64)

    def es_habil(self, dias) -> np.ndarray:
        return np.is_busday(np.asarray(dias, dtype=np.int64).astype("datetime64[D]"),
                            holidays=self.feriados)


@dataclass
class Calendario:
    """One period's planned and executed date of each activity, per cycle: arrays [activity, cycle]."""
    programada: np.ndarray
    ejecutada: np.ndarray

    def ejec(self, actividad: str) -> np.ndarray:
        return self.ejecutada[ACTIVIDADES.index(actividad)]

    def prog(self, actividad: str) -> np.ndarray:
        return self.programada[ACTIVIDADES.index(actividad)]


# Planned offset (days) of each activity from the cycle's first day, up to impresión; the rest
# follow the due date. Cycles of a municipality start two days apart.
_OFFSET = {"revision_predios": 0, "lectura": 2, "critica": 5, "liquidacion": 6, "impresion": 7,
           "reparto": 8}
_CHAIN = ("lectura", "critica", "liquidacion", "impresion", "reparto")


def calendarios(rng: np.random.Generator, meses: list[tuple[int, int]], orden_ciclo: np.ndarray,
                habiles: Habiles, fin: int) -> list[Calendario]:
    """The commercial calendar of every period; nothing is executed after ``fin`` (the last day)."""
    out = []
    n = len(orden_ciclo)
    for anio, mes in meses:
        base = dia(anio, mes, 2) + 2 * orden_ciclo.astype(np.int64)
        prog = np.zeros((len(ACTIVIDADES), n), np.int64)
        prev = base - 1
        for act, off in _OFFSET.items():
            d = habiles.sumar(np.maximum(base + off, prev + 1), 0)
            prog[ACTIVIDADES.index(act)] = prev = d
        due = habiles.sumar(prog[ACTIVIDADES.index("impresion")] + 15, 0)
        prog[ACTIVIDADES.index("vencimiento")] = due
        prog[ACTIVIDADES.index("suspension")] = habiles.sumar(due, 2)
        prog[ACTIVIDADES.index("cierre_recaudo")] = cierre = habiles.sumar(due, 4)
        prog[ACTIVIDADES.index("informe")] = habiles.sumar(cierre, 2)

        late = rng.choice(4, size=prog.shape, p=[0.93, 0.045, 0.02, 0.005])
        early = rng.random(prog.shape) < 0.03
        ejec = prog + late - (early & (late == 0))
        ejec[ACTIVIDADES.index("vencimiento")] = due          # a due date simply arrives
        prev = None
        for act in _CHAIN:                                      # the billing chain keeps its order
            k = ACTIVIDADES.index(act)
            ejec[k] = np.maximum(ejec[k], prog[k]) if prev is None else np.maximum(ejec[k], prev + 1)
            prev = ejec[k] + (1 if act == "lectura" else 0)     # readings take two days
        ejec = np.where(ejec > fin, NUNCA, ejec)
        out.append(Calendario(prog, ejec))
    return out


def fin_de_mes(anio: int, mes: int) -> int:
    return dia(anio + mes // 12, mes % 12 + 1) - 1
