"""A small hand-made warehouse for the dashboard's tests: two accounts billed in October
2026 (10.000 and 30.000) and one payment of 10.000 (recaudo.eficiencia = 25,0 %)."""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from cauce.settings import SHIPPED_CONFIG
from tests.indicators.conftest import cargar

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")
SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n"
                "S01,2026-10,CL 1,20001,residencial,2,S,S,S,01,0101,activo\n"
                "S02,2026-10,CL 2,20011,residencial,3,S,S,S,01,0101,activo\n")
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,6000,0,0,10000\n"
            "F2,S02,2026-10,acueducto,2026-10-05,2026-10-20,10000,20000,0,0,30000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor,canal\n"
         "P1,S01,F1,2026-10-15,10000,banco\n")      # 10.000 of 40.000 billed: 25,0 %


@pytest.fixture
def pequeno(tmp_path, monkeypatch):
    """The small warehouse as the dashboard's (CAUCE_ALMACEN), with fresh caches."""
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar(url, {"suscriptores_2026-10.csv": SUSCRIPTORES, "facturas_2026-10.csv": FACTURAS,
                 "pagos_2026-10.csv": PAGOS}, tmp_path / "exportes")
    monkeypatch.setenv("CAUCE_CONFIG", str(SHIPPED_CONFIG))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path / "almacen.duckdb"
    st.cache_data.clear()
    st.cache_resource.clear()
