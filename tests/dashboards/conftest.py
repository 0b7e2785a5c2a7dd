"""What the dashboard's tests share: a session signed in with a given role, and a small
hand-made warehouse (two accounts billed in October 2026, 10.000 and 30.000, and one payment
of 10.000: recaudo.eficiencia = 25,0 %)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import streamlit as st
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from cauce.settings import SHIPPED_CONFIG, load_settings
from cauce.acciones import cuentas
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


CLAVE = "clave de prueba 123"       # every test account's password


def cuenta(rol: str) -> str:
    """An account of ``rol`` (named after it) in the accounts file of the configuration the
    dashboard reads (CAUCE_CONFIG), created when missing."""
    archivo = load_settings(os.environ["CAUCE_CONFIG"]).usuarios_archivo
    if rol not in cuentas.leer(archivo):
        cuentas.agregar(archivo, rol, rol, CLAVE)
    return rol


def sesion(rol: str = "administrador", timeout: int = 120) -> AppTest:
    """The dashboard, not yet run, in a session signed in as an account of ``rol`` (what the
    sign-in form leaves in the session; the form itself is tested in test_acceso.py)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["_usuario"] = cuenta(rol)
    return at


def texto(at: AppTest) -> str:
    """Everything the page sends to the browser, as text: every element's message (markdown,
    captions, titles, metrics, buttons...), the charts' data and the tables' cells, non-ASCII
    unescaped."""
    partes = []

    def visitar(nodo):
        proto = getattr(nodo, "proto", None)
        if proto is not None:
            partes.append(text_format.MessageToString(proto, as_utf8=True))
            if getattr(nodo, "type", None) == "plotly_chart":
                partes.append(json.dumps(json.loads(proto.spec), ensure_ascii=False))
        for hijo in getattr(nodo, "children", {}).values():
            visitar(hijo)
    visitar(at.main)
    visitar(at.sidebar)
    partes += [tabla.value.to_csv() for tabla in at.dataframe]
    return "\n".join(partes)


def config_propia(carpeta: Path) -> Path:
    """A copy of the shipped config.toml in carpeta: the accounts, archive and GX folders it
    names land there."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(SHIPPED_CONFIG, carpeta / "config.toml"))


@pytest.fixture
def pequeno(tmp_path, monkeypatch):
    """The small warehouse as the dashboard's (CAUCE_ALMACEN), with fresh caches."""
    url = f"duckdb:///{tmp_path / 'almacen.duckdb'}"
    cargar(url, {"suscriptores_2026-10.csv": SUSCRIPTORES, "facturas_2026-10.csv": FACTURAS,
                 "pagos_2026-10.csv": PAGOS}, tmp_path / "exportes")
    monkeypatch.setenv("CAUCE_CONFIG", str(config_propia(tmp_path / "config")))
    monkeypatch.setenv("CAUCE_ALMACEN", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path / "almacen.duckdb"
    st.cache_data.clear()
    st.cache_resource.clear()


# The browser tests' fixtures (a demo warehouse, ``cauce tablero`` on a free port, Chromium),
# for every ``test_navegador*.py``: each module gets its own server.
from tests.dashboards.navegador import (artefactos, demo, navegador, pestana, pw,  # noqa: E402,F401
                                        servidor)
