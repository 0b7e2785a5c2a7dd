"""The settings a command or the dashboard starts with.

``cauce.settings`` reads and types ``config.toml`` and knows nothing above the contract;
whether ``[metas]`` names indicators of the catalogue and ``[calidad]`` rules that gate the
load is for the catalogue and the rules to say. Both are asked here, once, at the start.
"""
from __future__ import annotations

import os

from cauce.settings import Settings, load_settings
from indicators.catalogo import revisar_metas


def leer(ruta: str | os.PathLike | None = None, almacen: str | None = None) -> Settings:
    """``load_settings`` with the names of ``[metas]`` and ``[calidad]`` checked."""
    settings = load_settings(ruta, almacen)
    revisar_metas(settings)
    if settings.tolerancias:      # the rules load Great Expectations (seconds): only when named
        from data_checks.reglas import revisar_tolerancias
        revisar_tolerancias(settings)
    return settings
