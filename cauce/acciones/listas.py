"""A working list of a period: ``cauce listas`` and the dashboard's list tabs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cauce.settings import Settings
from indicators import catalogo
from indicators import listas as registro

TIPOS = registro.LISTAS          # the registry: a new list is registered there


@dataclass
class Lista:
    tipo: str
    periodo: str
    filas: pd.DataFrame
    hay_datos: bool              # False: the warehouse has no rows of the list's source in P


def obtener(conn: sa.Connection, settings: Settings, tipo: str, periodo: str,
            filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The list's rows: personal data (the interfaces check who asks)."""
    return registro.obtener(conn, tipo, periodo, settings, filtro=filtro)


def primeras(conn: sa.Connection, settings: Settings, tipo: str, periodo: str, filas: int,
             filtro: dict[str, str] | None = None) -> tuple[pd.DataFrame, int]:
    """The list's first ``filas`` rows, in its order, and how many it has: what a page shows
    (a list of a utility of a million accounts may have hundreds of thousands of rows; its
    downloads have them all)."""
    return registro.primeras(conn, tipo, periodo, settings, filas, filtro)


def del_periodo(conn: sa.Connection, settings: Settings, tipo: str, periodo: str) -> Lista:
    """The list with whether its source has data in ``periodo`` (an empty list may be either)."""
    return Lista(tipo, periodo, obtener(conn, settings, tipo, periodo),
                 catalogo.hay_datos(conn, registro.FUENTES[tipo], periodo, settings))


def escribir(lista: Lista, salida: Path, settings: Settings) -> None:
    """The whole list into an ``.xlsx`` (formatted) or a ``.csv`` for Excel."""
    registro.escribir(lista.filas, salida, lista.tipo, settings)
