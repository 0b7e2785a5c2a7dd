"""Benchmark of the planning commands on one warehouse (by default the ``mediana`` demo on
DuckDB, loaded as ``benchmarks/indicadores.py`` prepares it): the wall time of each, run as a
user runs it, in a process of its own (so the libraries' import is counted):

- ``cauce proyeccion --formato json`` (objective: under 10 s, statsmodels' import included);
- ``cauce informe --anio AAAA`` (objective: under 2 minutes);
- ``cauce indicadores --por ruta`` (the route breakdown, computed on demand).

Record the figures in benchmarks/RESULTS.md.

    python benchmarks/planificacion.py [--almacen URL] [--anio AAAA]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALMACEN = "duckdb:///" + str(ROOT / "datos" / "bench" / "mediana.duckdb")


def correr(*args: str, env: dict) -> tuple[float, int]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "cauce", *args], env=env, capture_output=True,
                       text=True)
    return time.perf_counter() - t, r.returncode


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--almacen", default=ALMACEN)
    p.add_argument("--anio", default="2026")
    a = p.parse_args()
    env = {**os.environ, "CAUCE_ALMACEN": a.almacen}
    with tempfile.TemporaryDirectory() as d:
        medidas = {
            "proyeccion": correr("proyeccion", "--formato", "json", env=env),
            "informe_anual": correr("informe", "--anio", a.anio, "--salida", d, env=env),
            "indicadores_por_ruta": correr("indicadores", "--por", "ruta", "--formato", "json",
                                           env=env),
        }
    print(json.dumps({k: {"segundos": round(s, 1), "codigo": c} for k, (s, c) in medidas.items()},
                     indent=2))


if __name__ == "__main__":
    main()
