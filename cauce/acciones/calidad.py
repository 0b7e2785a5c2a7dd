"""The checks report: ``cauce calidad`` and the dashboard's *Calidad de datos*.

The figures come from the load's audit trail (``etl.auditoria``); their forms (a terminal
table, JSON, the browsable Data Docs) from ``data_checks.informe``.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from cauce.settings import Settings
from data_checks import informe
from data_checks.revision import Control
from etl import auditoria

__all__ = ["Control", "como_json", "controles", "estado", "html", "tabla"]

tabla = informe.tabla          # the terminal's table (rich)
como_json = informe.como_json


def controles(conn: sa.Connection, periodo: str | None = None) -> list[Control]:
    """Each check over the current loads (``periodo``: only those with rows of it)."""
    return auditoria.calidad(conn, periodo)


def estado(control: Control) -> str:
    """The check's state in a word: sin hallazgos, aviso, excede or dentro."""
    return informe.estado(control).plain


def html(settings: Settings, salida: Path | None = None) -> Path:
    """The Data Docs of the loads' validation results (copied into ``salida``); its index."""
    return informe.html(settings, salida)
