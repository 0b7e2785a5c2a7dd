"""Business days (días hábiles): Monday to Friday minus Colombia's national holidays.

The holidays come from the maintained ``holidays`` package (``holidays.CO``), which
follows Ley 51 de 1983 (most holidays move to the next Monday) and new laws such as
Ley 2578 de 2026; a hand-written list would go stale. ``indicators.md``:
``dias_habiles(a, b)`` counts the business days d with a < d ≤ b, and the deadline of
a filing on date a with a term of n business days is the n-th business day after a.

The same two rules run in Python (for one date) and in SQL (for every filing at once):
the SQL side is a calendar of days with the running count of business days up to each
one, so ``dias_habiles(a, b) = acumulado(b) − acumulado(a)`` and the deadline is the
business day whose running count is ``acumulado(a) + n``.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
import sqlalchemy as sa


@lru_cache(maxsize=64)
def _festivos(anio: int) -> frozenset[dt.date]:
    return frozenset(holidays.CO(years=anio))


def es_habil(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in _festivos(d.year)


def festivos(desde: dt.date, hasta: dt.date) -> list[dt.date]:
    """The national holidays between two dates, inclusive."""
    return sorted(f for a in range(desde.year, hasta.year + 1) for f in _festivos(a)
                  if desde <= f <= hasta)


def dias_habiles(a: dt.date, b: dt.date) -> int:
    """Business days d with a < d ≤ b (negative when b is before a)."""
    if b < a:
        return -dias_habiles(b, a)
    return sum(es_habil(a + dt.timedelta(days=i)) for i in range(1, (b - a).days + 1))


def vencimiento(a: dt.date, n: int) -> dt.date:
    """The n-th business day after a (n ≥ 1)."""
    d = a
    while n > 0:
        d += dt.timedelta(days=1)
        n -= es_habil(d)
    return d


def calendario(desde: dt.date, hasta: dt.date, nombre: str = "calendario") -> sa.CTE:
    """Every day from ``desde`` to ``hasta`` with ``habil`` and ``acumulado`` (business days
    from ``desde`` up to and including the day), as a CTE both warehouses run alike."""
    serie = sa.func.generate_series(
        sa.cast(sa.literal(desde), sa.DateTime), sa.cast(sa.literal(hasta), sa.DateTime),
        sa.literal_column("INTERVAL '1 day'")).table_valued("dia").render_derived()
    dia = sa.cast(serie.c.dia, sa.Date)
    libres = festivos(desde, hasta)
    habil = sa.and_(sa.extract("isodow", dia) < 6, dia.not_in(libres) if libres else sa.true())
    return sa.select(
        dia.label("fecha"), habil.label("habil"),
        sa.func.sum(sa.case((habil, 1), else_=0)).over(order_by=dia).label("acumulado"),
    ).cte(nombre)
