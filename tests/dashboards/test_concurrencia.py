"""The dashboard and a command-line load share the embedded DuckDB file, which has one writer:
while the load holds it, the dashboard serves what it had already read and says a load is in
progress; while the dashboard reads, the load waits a moment instead of failing."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl import warehouse as w
from tests.dashboards.conftest import FACTURAS, PAGOS, SUSCRIPTORES, sesion
from tests.indicators.conftest import cargar

# Holds the file as a writing process does, until the test removes the flag file.
RETENER = """
import sys, time, duckdb, pathlib
con = duckdb.connect(sys.argv[1])
pathlib.Path(sys.argv[2]).write_text("tomado")
while pathlib.Path(sys.argv[2]).exists():
    time.sleep(0.05)
con.close()
"""


def retener(ruta: Path, bandera: Path) -> subprocess.Popen:
    proceso = subprocess.Popen([sys.executable, "-c", RETENER, str(ruta), str(bandera)])
    for _ in range(200):
        if bandera.exists():
            return proceso
        time.sleep(0.05)
    proceso.kill()
    raise AssertionError("the holding process did not open the file")


def textos(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("markdown", "info", "warning", "caption", "title")
                    for e in getattr(at, kind)) + " " + " ".join(
        str(e.value) for e in at.sidebar.warning) + " " + " ".join(
        str(e.value) for e in at.sidebar.info)


def test_while_a_load_holds_the_file_the_dashboard_serves_the_last_data(pequeno, tmp_path):
    at = sesion(timeout=60)
    at.run()
    assert not at.exception
    eficiencia = [m for m in at.metric if m.label == "Eficiencia del recaudo"]
    assert eficiencia and eficiencia[0].value == "25,0 %"

    bandera = tmp_path / "tomado"
    proceso = retener(pequeno, bandera)
    try:
        at.run()                                   # the same page: from the cache
        assert not at.exception
        assert [m.value for m in at.metric if m.label == "Eficiencia del recaudo"] == ["25,0 %"]
        assert "Carga en curso" in textos(at)
        at.switch_page("paginas/cartera.py")       # never read: says so, does not crash
        at.run()
        assert not at.exception
        assert "Carga en curso" in textos(at)
    finally:
        bandera.unlink()
        proceso.wait(timeout=30)
    at.switch_page("paginas/resumen.py")
    at.run()
    assert not at.exception
    assert "Carga en curso" not in textos(at)


def test_a_load_waits_while_the_dashboard_reads(pequeno, tmp_path):
    """A read-only connection (what a page holds while it is drawn) makes a command-line load
    wait, not fail, and say it waits; the load goes through once the page lets the file go."""
    lector = w.create_engine(f"duckdb:///{pequeno}", solo_lectura=True)
    conn = lector.connect()
    carpeta = tmp_path / "nuevos"
    carpeta.mkdir()
    (carpeta / "pagos_2026-10.csv").write_text(PAGOS.replace("P1,S01,F1", "P2,S02,F2"),
                                               encoding="utf-8")
    carga = subprocess.Popen([sys.executable, "-m", "cauce", "cargar", str(carpeta), "--almacen",
                              f"duckdb:///{pequeno}", "--forzar"], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        primera = carga.stderr.readline()          # blocks until the load says something
        assert primera.startswith("El almacén está abierto en otro proceso"), primera
        time.sleep(1)
        assert carga.poll() is None                # it reached the lock, and waits there
    finally:
        conn.close()
        lector.dispose()
    salida, errores = carga.communicate(timeout=120)
    assert carga.returncode == 0, errores
    assert "Traceback" not in errores
    with w.create_engine(f"duckdb:///{pequeno}", solo_lectura=True).connect() as leer:
        assert sorted(i for (i,) in leer.exec_driver_sql("SELECT id FROM pagos")) == ["P1", "P2"]


def test_a_rebuilt_warehouse_is_not_served_from_the_cache_of_the_old_one(pequeno, tmp_path):
    """Rebuilding the warehouse (from the archive) counts its loads from 1 again: the pages
    must show the new data, not what was cached for the old file's load number."""
    at = sesion(timeout=60)
    at.run()
    assert at.selectbox(key="periodo").value == "2026-10"
    pequeno.unlink()
    # as many files as the first warehouse had: the last load's number is 3 again
    julio = {"suscriptores_2026-07.csv": SUSCRIPTORES.replace("2026-10", "2026-07"),
             "facturas_2026-07.csv": FACTURAS.replace("2026-10", "2026-07"),
             "pagos_2026-07.csv": PAGOS.replace("2026-10", "2026-07")}
    cargar(f"duckdb:///{pequeno}", julio, tmp_path / "julio")
    at = sesion(timeout=60)
    at.run()
    assert not at.exception
    assert at.selectbox(key="periodo").options == ["Julio de 2026"]
