"""Next year's projection and the goals it implies: ``cauce proyeccion`` and the *Metas y
proyección* page (``planning.md``)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from cauce import SinCargas
from cauce.settings import Settings
from indicators import catalogo
from indicators import proyeccion as calculo
from indicators.proyeccion import Metas, Proyeccion

__all__ = ["Metas", "Proyeccion", "Resultado", "proyectar"]


@dataclass
class Resultado:
    hasta: str                       # the last month of the history
    series: list[Proyeccion]
    metas: Metas

    @property
    def alguna(self) -> bool:
        """Whether at least one series could be projected."""
        return any(p.metodo != calculo.SIN_PROYECCION for p in self.series)


def proyectar(conn: sa.Connection, settings: Settings, hasta: str | None = None,
              meses: int = 12) -> Resultado:
    """The four series projected ``meses`` months after ``hasta`` (default: the latest
    period, the last billed) and the goals they imply for the year after ``hasta``'s."""
    hasta = hasta or catalogo.ultimo_periodo(conn)
    if hasta is None:
        raise SinCargas("El almacén no tiene periodos cargados: no hay historia que proyectar.")
    series = calculo.proyectar(conn, settings, hasta, meses)
    return Resultado(hasta, series, calculo.metas(series, settings, int(hasta[:4]) + 1))
