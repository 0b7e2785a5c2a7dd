"""The Documentos page: a batch generated from the page with its two downloads, the register
with each notice's state, and nothing for the consulta role.

S01 (Ana Pérez & Cía) owes two invoices of 10.000 and 15.000, 40 and 70 days past due at
the cut-off of 2026-10-31: one suspension notice of 25.000, issued today. The page judges its
state today, before its deadline (10 days later): abierto.
"""
from __future__ import annotations

import pytest
import streamlit as st

from tests.dashboards.conftest import config_propia, sesion, texto
from tests.indicators.conftest import cargar

SUSCRIPTORES = ("codigo,periodo,nombre,direccion,municipio_dane,uso,estrato,acueducto,"
                "alcantarillado,aseo,ciclo,ruta,estado\n"
                "S01,2026-10,Ana Pérez & Cía,CL 1,20001,residencial,2,S,S,S,01,0101,activo\n")
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,6000,0,0,10000\n")
CARTERA = ("fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n"
           "2026-10-31,S01,F8,acueducto,2026-09-21,10000\n"
           "2026-10-31,S01,F7,acueducto,2026-08-22,15000\n")


@pytest.fixture
def almacen(tmp_path, monkeypatch):
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar(url, {"suscriptores_2026-10.csv": SUSCRIPTORES, "facturas_2026-10.csv": FACTURAS,
                 "cartera.csv": CARTERA}, tmp_path / "exportes")
    monkeypatch.setenv("CAUCE_CONFIG", str(config_propia(tmp_path / "config")))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def pagina(rol: str):
    at = sesion(rol, 90)
    at.run()
    at.switch_page("paginas/documentos.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("rol", ["administrador", "analista"])
def test_a_batch_from_the_page_and_its_register(almacen, rol):
    at = pagina(rol)
    assert "Ana Pérez" not in texto(at)                 # nothing issued yet
    at.selectbox[0].select("aviso_suspension").run()
    next(b for b in at.button if b.label == "Generar el lote").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Lote 1: 1 documento, el AS-2026-000001."]
    botones = [b.proto for b in at.get("download_button")]
    # the batch's two files, then the register's own downloads
    assert [b.label for b in botones] == ["Descargar para imprimir (.docx)",
                                          "Descargar uno por documento (.zip)",
                                          "Descargar CSV", "Descargar Excel"]
    registro = at.dataframe[0].value
    fila = registro.iloc[0]
    assert (fila["Número"], fila["Cuenta"], float(fila["Valor"]), fila["Estado"]) == (
        "AS-2026-000001", "S01", 25000.0, "abierto")


def test_consulta_does_not_get_the_page(almacen):
    at = sesion("consulta", 60)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("paginas/documentos.py")
