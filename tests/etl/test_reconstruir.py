"""The recovery procedure of the README: a lost warehouse is rebuilt from the archive folder
alone (``cauce cargar datos/archivo --forzar``), with the same data, even when a later export
replaced an earlier one of the same period."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG
from etl import warehouse as w
from etl.contract import SOURCES
from tests.conftest import write

SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n"
                "S01,2026-10,CL 1,20001,residencial,2,S,S,S,01,0101,activo\n"
                "S02,2026-10,CL 2,20011,residencial,3,S,S,S,01,0101,activo\n")
CABECERA = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n")
FACTURAS_1 = (CABECERA + "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,6000,0,0,10000\n"
                         "F2,S02,2026-10,acueducto,2026-10-05,2026-10-20,10000,20000,0,0,30000\n")
# the corrected export of the same period: F1 changes, F2 is gone, F3 is new
FACTURAS_2 = (CABECERA + "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,8000,0,0,12000\n"
                         "F3,S02,2026-10,acueducto,2026-10-06,2026-10-21,10000,5000,0,0,15000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor,canal\n"
         "P1,S01,F1,2026-10-15,10000,banco\n"
         "P2,S02,F9,2026-10-16,diez mil,banco\n")          # P2: quarantined (letters)


def cauce(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cauce", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def contenido(url: str) -> dict[str, list[tuple]]:
    """Every source table, and the quarantine, without the load numbers (a rebuild loads the
    sources in their own order) and the files' names, sorted."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tablas = {}
            for f in SOURCES:
                columnas = [c for c in w.tables[f].c if c.name != "carga_id"]
                tablas[f] = sorted(map(tuple, conn.execute(sa.select(*columnas))), key=repr)
            tablas["cuarentena"] = sorted(map(tuple, conn.execute(sa.text(
                "SELECT fuente, fila, clave, columna, valor, motivo FROM cuarentena"))), key=repr)
            return tablas
    finally:
        engine.dispose()


def test_the_archive_alone_rebuilds_the_warehouse(tmp_path):
    shutil.copy(SHIPPED_CONFIG, tmp_path / "config.toml")      # datos/archivo goes under tmp_path
    primero, despues = tmp_path / "octubre", tmp_path / "correccion"
    primero.mkdir(), despues.mkdir()
    write(primero / "suscriptores_2026-10.csv", SUSCRIPTORES)
    write(primero / "facturas_2026-10.csv", FACTURAS_1)
    write(primero / "pagos_2026-10.csv", PAGOS)
    write(despues / "facturas_2026-10.csv", FACTURAS_2)
    original = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    for carpeta in (primero, despues):
        assert cauce("cargar", str(carpeta), "--almacen", original, cwd=tmp_path).returncode == 0

    reconstruido = f"duckdb:///{tmp_path / 'reconstruido.duckdb'}"
    salida = cauce("cargar", "datos/archivo", "--forzar", "--almacen", reconstruido, cwd=tmp_path)
    assert salida.returncode == 0, salida.stdout + salida.stderr
    antes, ahora = contenido(original), contenido(reconstruido)
    assert ahora == antes
    # and it is the corrected billing, loaded last, that both hold
    total = [c.name for c in w.tables["facturas"].c if c.name != "carga_id"].index("valor_total")
    assert sorted((f[0], float(f[total])) for f in ahora["facturas"]) == [("F1", 12000.0),
                                                                            ("F3", 15000.0)]
    assert [f[1:4] for f in ahora["cuarentena"]] == [(3, "P2", "valor")]
    assert len(list((tmp_path / "datos" / "archivo").iterdir())) == 4   # nothing copied twice
