"""The tariffs of a period as the utility publishes them: the dashboard's *Tarifas* page and
the workbook's sheet. Aggregates of the tariff table, no personal data."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from indicators import tarifas
from indicators.definicion import Contexto


@dataclass
class Tarifas:
    periodo: str
    publica: pd.DataFrame          # the tariff in force, final price per class
    variaciones: pd.DataFrame      # per municipality: index since its latest tariff
    indexada: pd.DataFrame         # what an update would publish (where the index is known)
    umbral: float                  # [tarifas] umbral_actualizacion

    @property
    def para_actualizar(self) -> list[str]:
        """The municipalities whose index moved past the threshold since their tariff."""
        v = self.variaciones
        if v.empty:
            return []
        return [m for m, x in zip(v.municipio, v.variacion) if x is not None and x == x
                and float(x) >= self.umbral]


def del_periodo(conn: sa.Connection, settings: Settings, periodo: str) -> Tarifas:
    q = Contexto(conn, periodo, settings)

    def frame(stmt):
        r = conn.execute(stmt)
        return pd.DataFrame(r.all(), columns=list(r.keys()))
    variaciones = pd.DataFrame(tarifas.variaciones(q), columns=[
        "municipio", "vigente_desde", "periodo_base", "indice_base", "indice_periodo",
        "variacion"])
    return Tarifas(periodo, frame(tarifas.tabla_publica(q)), variaciones,
                   frame(tarifas.tabla_indexada(q)), settings.tarifas.umbral_actualizacion)
