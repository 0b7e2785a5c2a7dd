"""A file of several periods loads as its periods would one file each (``data-contract.md``).

The expected warehouse comes from the independent path: the same rows split one period
per file and loaded as usual. The multi-period file is read in small blocks, so chunk
boundaries fall inside its periods.
"""
from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa

from etl import warehouse as w
from etl.load import load_folder
from tests.conftest import pg_schema, rows
from tests.etl.conftest import PERIODOS

FUENTES = ("suscriptores", "lecturas", "facturas", "pagos")
MESES = PERIODOS[-3:]


def _por_periodo(demo, tmp_path):
    folder = tmp_path / "por_periodo"
    folder.mkdir()
    for fuente in FUENTES:
        for mes in MESES:
            os.link(demo / f"{fuente}_{mes}.csv", folder / f"{fuente}_{mes}.csv")
    return folder


def _un_archivo(demo, tmp_path):
    """Each source's three months in one file, the header once."""
    folder = tmp_path / "un_archivo"
    folder.mkdir()
    for fuente in FUENTES:
        partes = [(demo / f"{fuente}_{mes}.csv").read_text(encoding="utf-8").splitlines(True)
                  for mes in MESES]
        texto = "".join(partes[0]) + "".join(line for p in partes[1:] for line in p[1:])
        (folder / f"{fuente}_{MESES[0]}_{MESES[-1]}.csv").write_text(texto, encoding="utf-8")
    return folder


def _contenido(url: str) -> dict[str, list]:
    """What the loads left, without what names the file (its name, row numbers, load ids)."""
    out = {f: sorted(rows(url, sa.select(*[c for c in w.tables[f].c if c.name != "carga_id"])),
                     key=repr) for f in FUENTES}
    out["hallazgo"] = sorted(rows(url, "SELECT fuente, regla, clave FROM hallazgo"))
    out["cuarentena"] = sorted(((f, k, c, v, re.sub(r"fila \d+", "fila N", m)) for f, k, c, v, m
                                in rows(url, "SELECT fuente, clave, columna, valor, motivo "
                                             "FROM cuarentena")), key=repr)
    out["resultado_regla"] = sorted(rows(url, "SELECT fuente, regla, sum(fallidas), sum(total) "
                                              "FROM resultado_regla GROUP BY fuente, regla"))
    return out


@pytest.fixture
def dos_almacenes(almacen, tmp_path):
    """Two empty warehouses of ``almacen``'s kind."""
    if "duckdb" in almacen:
        yield [almacen, f"duckdb:///{tmp_path / 'otro.duckdb'}"]
        return
    with pg_schema() as otro:
        yield [almacen, otro]


def test_a_file_of_several_periods_loads_as_one_file_per_period(demo, dos_almacenes,
                                                               settings_for, tmp_path):
    folder = demo[0]
    uno, varios = dos_almacenes
    esperado = load_folder(_por_periodo(folder, tmp_path), settings_for(uno))
    assert {r.estado for r in esperado} == {"cargado"}
    # 64 KB blocks: a file of each source is several chunks, some cut inside a period
    hecho = load_folder(_un_archivo(folder, tmp_path), settings_for(varios, bloque_bytes=1 << 16))
    assert [r.estado for r in hecho] == ["cargado"] * len(FUENTES)
    for fuente in FUENTES:
        de_la_fuente = [r for r in esperado if r.fuente == fuente]
        [r] = [r for r in hecho if r.fuente == fuente]
        assert (r.leidas, r.cargadas, r.cuarentena) == (
            sum(e.leidas for e in de_la_fuente), sum(e.cargadas for e in de_la_fuente),
            sum(e.cuarentena for e in de_la_fuente)), fuente
    a, b = _contenido(uno), _contenido(varios)
    assert a["hallazgo"] and a["cuarentena"], "the demo's defects are in these months"
    for tabla in a:
        assert b[tabla] == a[tabla], tabla
