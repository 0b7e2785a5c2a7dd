"""The monthly workbook and the meeting presentation: ``cauce informe`` and *Reportes*.

Both are drawn from one gathering of the catalogue (``indicators.informe.reunir``), so they
show the same numbers; the presentation holds aggregates only and is written without the
working lists, so a role that sees no personal data is given it without them ever being read.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from cauce.settings import Settings
from indicators import anual, informe, presentacion
from indicators.anual import DatosAnio
from indicators.informe import Datos

__all__ = ["Datos", "DatosAnio", "escribir", "escribir_anual", "escribir_presentacion",
           "reunir", "reunir_anio"]


def reunir(conn: sa.Connection, settings: Settings, periodo: str,
           con_listas: bool = True) -> Datos:
    """What the report of ``periodo`` shows, asked of the warehouse once (``con_listas``: the
    working lists too, personal data)."""
    return informe.reunir(conn, periodo, settings, con_listas)


def escribir(datos: Datos, settings: Settings, carpeta: Path) -> tuple[Path, Path]:
    """The workbook ``informe_P.xlsx`` and the presentation ``informe_P.html`` in ``carpeta``."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return (informe.escribir(datos, settings, carpeta / f"informe_{datos.periodo}.xlsx"),
            escribir_presentacion(datos, settings, carpeta))


def escribir_presentacion(datos: Datos, settings: Settings, carpeta: Path) -> Path:
    """The meeting presentation alone: aggregates only."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return presentacion.escribir(datos, settings, carpeta / f"informe_{datos.periodo}.html")


def reunir_anio(conn: sa.Connection, settings: Settings, anio: int) -> DatosAnio:
    """What the year's report of ``anio`` shows (aggregates only), asked of the warehouse once."""
    return anual.reunir(conn, anio, settings)


def escribir_anual(datos: DatosAnio, settings: Settings, carpeta: Path) -> tuple[Path, Path]:
    """The year's workbook ``informe_AAAA.xlsx`` and its public ``informe_AAAA.html``."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return (anual.escribir_libro(datos, settings, carpeta / f"informe_{datos.anio}.xlsx"),
            anual.escribir_html(datos, settings, carpeta / f"informe_{datos.anio}.html"))
