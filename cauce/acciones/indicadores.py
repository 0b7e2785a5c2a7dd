"""The indicators of a period, their trend, and the records behind them.

Every number the terminal and the dashboard show comes from here, which asks the catalogue
(``indicators.catalogo``): page → ``dashboards.datos`` (its cache) → this module → the
catalogue. The functions take an open connection: each interface opens the warehouse its
own way (``cauce.acciones.almacen``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from indicators import MESES_DE_TENDENCIA, catalogo, critica


def elegir_periodo(conn: sa.Connection, periodo: str | None) -> str | None:
    """The period asked for, else the latest: the last billed one. None: nothing loaded."""
    return periodo or catalogo.ultimo_periodo(conn)


def ultimo_periodo(conn: sa.Connection) -> str | None:
    """The latest period, the last billed (``catalogo.ultimo_periodo``): the one definition."""
    return catalogo.ultimo_periodo(conn)


def periodos(conn: sa.Connection) -> list[str]:
    """The periods one may ask for, latest first."""
    return catalogo.periodos(conn)


@dataclass
class DelPeriodo:
    """The catalogue of a period for a report: its rows, whether they are all empty, the
    periods the warehouse holds (what an empty one is told against) and the data's cut-off."""
    periodo: str
    filas: pd.DataFrame                    # catalogo.COLUMNAS
    vacio: bool
    cargados: tuple[str, str] | None
    corte: dt.date | None


def del_periodo(conn: sa.Connection, settings: Settings, periodo: str,
                por: str | None = None) -> DelPeriodo:
    """The whole catalogue of ``periodo`` (``por``: broken down), with what explains it."""
    filas = calcular(conn, settings, periodo, por)
    return DelPeriodo(periodo, filas, bool(filas["valor"].isna().all()),
                      catalogo.periodos_cargados(conn), catalogo.corte(conn))


def calcular(conn: sa.Connection, settings: Settings, periodo: str, por: str | None = None,
             ids: list[str] | None = None, filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The indicators of ``periodo``: ``catalogo.calcular``."""
    return catalogo.calcular(conn, periodo, settings, por, ids, filtro)


def tendencia(conn: sa.Connection, settings: Settings, periodo: str, ids: list[str],
              n: int = MESES_DE_TENDENCIA, filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The indicators over the n periods ending at ``periodo``."""
    return catalogo.tendencia(conn, periodo, settings, ids, n, filtro=filtro)


def ultima_ronda(conn: sa.Connection, settings: Settings, id: str, periodo: str,
                 filtro: dict[str, str] | None = None) -> dict | None:
    """The last survey round with answers before ``periodo``'s, with the indicator's value."""
    return catalogo.ultima_ronda(conn, id, periodo, settings, filtro)


def corte(conn: sa.Connection) -> dt.date | None:
    """The data's cut-off: the latest event date in the exports."""
    return catalogo.corte(conn)


def hay_datos(conn: sa.Connection, settings: Settings, fuente: str, periodo: str) -> bool:
    return catalogo.hay_datos(conn, fuente, periodo, settings)


# --- The records behind an indicator: personal data (the interfaces check who asks) -------

def registros(conn: sa.Connection, settings: Settings, id: str, periodo: str, *,
              filtro: dict[str, str] | None = None, por: str | None = None,
              grupo: str | None = None, limite: int | None = None, desplazamiento: int = 0,
              solo_numerador: bool = False) -> pd.DataFrame:
    return catalogo.detalle(conn, id, periodo, settings, por, grupo, limite=limite,
                            desplazamiento=desplazamiento, filtro=filtro,
                            solo_numerador=solo_numerador)


def contar_registros(conn: sa.Connection, settings: Settings, id: str, periodo: str, *,
                     filtro: dict[str, str] | None = None, por: str | None = None,
                     grupo: str | None = None, solo_numerador: bool = False) -> int:
    return catalogo.contar_detalle(conn, id, periodo, settings, por, grupo, filtro=filtro,
                                   solo_numerador=solo_numerador)


def historia_de_cuenta(conn: sa.Connection, codigo: str, periodo: str,
                       n: int = MESES_DE_TENDENCIA) -> pd.DataFrame:
    """An account's readings and consumptions over the n periods ending at ``periodo``."""
    return critica.historia(conn, codigo, periodo, n)


# --- Aggregates of those records: for every role ------------------------------------------

def sumar_registros(conn: sa.Connection, settings: Settings, id: str, periodo: str, *,
                    filtro: dict[str, str] | None = None, por: str | None = None,
                    grupo: str | None = None) -> dict:
    return catalogo.sumar_detalle(conn, id, periodo, settings, por, grupo, filtro=filtro)


def agrupar(conn: sa.Connection, settings: Settings, id: str, periodo: str, columna: str,
            filtro: dict[str, str] | None = None) -> pd.DataFrame:
    return catalogo.agrupar(conn, id, periodo, settings, columna, filtro)
