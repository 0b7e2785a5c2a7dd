"""The demonstration exports: ``cauce demo``."""
from __future__ import annotations

from pathlib import Path

from cauce.settings import Settings
from etl import demo

ESCALAS = tuple(demo.ESCALAS)      # the registry of sizes


def generar(settings: Settings, escala: str, semilla: int, hasta: str | None, salida: Path,
            defectos: bool, progreso=None) -> dict:
    """Write a whole coherent set of exports of a fictitious utility; {"archivos", "filas":
    {fuente: filas}, "defectos"}."""
    return demo.generate(salida, settings, escala, semilla, hasta, defectos, progreso)
