"""Load a folder of exports, then keep the indicators: ``cauce cargar`` and *Cargar datos*.

The load (``etl.load``) says what happened to each file, a refusal with its remedy as data
(``Remedio``); its last step keeps the catalogue of the latest months in the warehouse
(``indicators.catalogo.guardar_ultimos``), so every page and report opens from it.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from cauce.settings import Settings
from data_checks.reglas import REGLAS
from etl import warehouse as w
from etl.contract import SOURCES, source_of_filename
from etl.load import CargaInterrumpida, FileResult, Progress, Remedio, load_folder
from indicators.catalogo import guardar_ultimos

__all__ = ["FUENTES", "Carga", "CargaInterrumpida", "FileResult", "Remedio", "cargar",
           "fuente_de_archivo", "que_revisa"]

FUENTES = tuple(SOURCES)         # what an export file's name starts with
_QUE_REVISA = {r.id: r.descripcion for r in REGLAS}


@dataclass
class Carga:
    archivos: list[FileResult]
    # False: the warehouse failed writing them; the data stay loaded and the indicators are
    # computed when asked, until the next load keeps them.
    indicadores_guardados: bool


def _nada(_archivos: list[FileResult]) -> AbstractContextManager:
    return contextlib.nullcontext()


def cargar(settings: Settings, carpeta: Path, *, forzar: bool = False, usuario: str | None = None,
           progreso: Progress | None = None,
           calculando: Callable[[list[FileResult]], AbstractContextManager] = _nada,
           al_esperar: Callable[[float], None] | None = None) -> Carga:
    """Load every export of ``carpeta``, then keep the indicators inside
    ``calculando(archivos)``: the interface's way of showing the files loaded and that it is
    at that step. ``CargaInterrumpida`` when the warehouse or the disk failed: the files
    before stay loaded, and no indicator is kept. ``al_esperar(segundos)``: another process
    holds the embedded warehouse and the load waits up to that long for it."""
    archivos = load_folder(carpeta, settings, progreso, forzar=forzar, usuario=usuario,
                           al_esperar=al_esperar)
    with calculando(archivos):
        guardados = _guardar_indicadores(settings, archivos, al_esperar)
    return Carga(archivos, guardados)


def _guardar_indicadores(settings: Settings, archivos: list[FileResult],
                         al_esperar: Callable[[float], None] | None = None) -> bool:
    """Keep the latest months' indicators, unless every file was refused (then the warehouse
    stays exactly as it was). False when the warehouse failed to write them."""
    if all(r.estado == "rechazado" for r in archivos):
        return True
    engine = w.create_engine(settings.almacen_url, settings.memoria_mb, al_esperar=al_esperar)
    try:
        guardar_ultimos(engine, settings)
        return True
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def fuente_de_archivo(nombre: str) -> str | None:
    """The source an export's file name starts with (None: none of ``FUENTES``)."""
    fuente = source_of_filename(nombre)
    return None if fuente is None else fuente.name


def que_revisa(regla: str) -> str:
    """What a data-quality rule checks, in a sentence (its id when unknown)."""
    return _QUE_REVISA.get(regla, regla)
