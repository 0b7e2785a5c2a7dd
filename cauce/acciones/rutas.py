"""The routes of a period: the *Rutas* page (``planning.md``, "Routes")."""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from indicators import rutas

MAXIMO_EN_EL_MAPA = rutas.MAXIMO_EN_EL_MAPA


def por_ruta(conn: sa.Connection, settings: Settings, periodo: str,
             filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """Each route with its cycle, its accounts against the cycle's mean and its indicators."""
    return rutas.por_ruta(conn, periodo, settings, filtro)


def causas(conn: sa.Connection, settings: Settings, periodo: str,
           filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The readings not taken, by cause."""
    return rutas.causas(conn, periodo, settings, filtro)


def puntos(conn: sa.Connection, settings: Settings, periodo: str,
           filtro: dict[str, str] | None = None) -> tuple[pd.DataFrame, int, int]:
    """The active accounts' coordinates by route (a sample beyond the map's maximum), how
    many active accounts there are and how many lack coordinates."""
    return rutas.puntos(conn, periodo, settings, filtro)
