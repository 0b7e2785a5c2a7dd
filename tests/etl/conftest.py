"""Shared by the demo tests: one generated demo with defects and one clean, per test run.

Expectations are computed independently of the generator: business days with
``holidays.CO`` and a plain loop, deviations from the lecturas files themselves,
tariff rules from the settings.
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.demo import generate

HASTA = "2026-10"
FIN = date(2026, 10, 31)
MENSUALES = ("suscriptores", "lecturas", "facturas", "pagos", "cartera", "pqr", "ordenes",
             "calendario", "correspondencia")
KINDS = {"codigo_duplicado", "residencial_sin_estrato", "lectura_regresiva",
         "desviacion_significativa", "consumo_cero_recurrente", "pago_sin_identificar",
         "pqr_respuesta_tardia", "orden_vencida",
         # invoice rows billed off the tariff table the demo writes (tariffs.md)
         "tarifa_anterior", "subsidio_todo_consumo", "contribucion_estrato_4",
         "bloque_basico_errado", "multiusuario_como_uno", "clase_sin_tarifa"}
TARIFA_ERRADA = {"tarifa_anterior", "subsidio_todo_consumo", "contribucion_estrato_4",
                 "bloque_basico_errado", "multiusuario_como_uno"}


def _periodos(hasta: str, n: int = 24) -> list[str]:
    y, m = map(int, hasta.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


PERIODOS = _periodos(HASTA)


@pytest.fixture(scope="session")
def settings():
    return load_settings(SHIPPED_CONFIG)


@pytest.fixture(scope="session")
def demo(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("demo")
    return folder, generate(folder, settings, "pequena", 3, HASTA, True)


@pytest.fixture(scope="session")
def limpio(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("limpio")
    return folder, generate(folder, settings, "pequena", 3, HASTA, False)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load(folder: Path, fuente: str) -> pd.DataFrame:
    frames = [read(p).assign(_archivo=p.name) for p in sorted(folder.glob(f"{fuente}_*.csv"))]
    return pd.concat(frames, ignore_index=True)


def cents(s: pd.Series) -> np.ndarray:
    return np.round(s.astype(float).to_numpy() * 100).astype(np.int64)


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def deadline(filed: date, n: int, fer) -> date:
    """The n-th business day after ``filed`` (Monday–Friday, not a Colombian holiday)."""
    d, k = filed, 0
    while k < n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in fer:
            k += 1
    return d


