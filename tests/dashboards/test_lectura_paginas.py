"""What the office reads on every page, run headless with Streamlit's AppTest on the demo:
Spanish words instead of internals (column names, codes without accents, "None",
configuration sections), money in words, and charts that say what they are.

The demo (pequena, 24 periods to 2026-10) is loaded once for the module, without the data
checks. Every expected word is written here by hand or read from the shipped config.toml,
never from the code under test.
"""
from __future__ import annotations

import json
import os
import re
import shutil

import pyarrow as pa
import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.contract import SOURCES, CODE, nombre_de_codigo
from etl.demo import generate
from etl.load import load_folder
from indicators import catalogo
from indicators.listas import ENCABEZADOS
from tests.dashboards.conftest import sesion, texto

HASTA = "2026-10"
PAGINAS = ["resumen", "recaudo", "cartera", "facturacion", "critica", "pqr", "ordenes", "nsu",
           "tarifas", "calendario", "rutas", "metas", "calidad", "cargar", "reportes", "reunion"]
# A page must not send: a bare "M" after pesos, a signed zero, a configuration section,
# Python's None, an indicator's name lower-cased whole.
PROHIBIDO = {
    "millones en M": re.compile(r"\$ ?[\d.,]+ M\b"),
    "cero con signo": re.compile(r"[-+]0,0\b(?!\d)"),
    "sección de la configuración": re.compile(r"\[(critica|calidad|pqr|mapeo|nsu|facturacion|"
                                              r"micromedicion)[a-z_.]*\]"),
    "None": re.compile(r"\bNone\b"),
    "(nsu)": re.compile(r"\(nsu\)"),
}


@pytest.fixture(scope="module")
def almacen(tmp_path_factory):
    """The demo in a DuckDB file, and the dashboard pointed at it (CAUCE_CONFIG and
    CAUCE_ALMACEN as found, and Streamlit's caches empty, afterwards)."""
    carpeta = tmp_path_factory.mktemp("lectura")
    config = shutil.copy(SHIPPED_CONFIG, carpeta / "config.toml")
    url = f"duckdb:///{carpeta / 'almacen.duckdb'}"
    settings = load_settings(config, almacen=url)
    generate(carpeta / "demo", settings, "pequena", 5, HASTA, True)
    load_folder(carpeta / "demo", settings, revisar=False)
    antes = {k: os.environ.get(k) for k in ("CAUCE_CONFIG", "CAUCE_ALMACEN")}
    os.environ.update(CAUCE_CONFIG=str(config), CAUCE_ALMACEN=url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield settings
    st.cache_data.clear()
    st.cache_resource.clear()
    for k, v in antes.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def abrir(pagina: str, rol: str = "administrador") -> AppTest:
    at = sesion(rol)
    at.run()
    if pagina != "resumen":
        at.switch_page(f"paginas/{pagina}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def graficos(at: AppTest) -> list[dict]:
    """The plotly figures the page sends (data and layout)."""
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def mostrado(tabla):
    """A table's cells as the browser shows them (the styler's display values)."""
    return pa.ipc.open_stream(tabla.proto.arrow_data.styler.display_values).read_all().to_pandas()


# --- Every page --------------------------------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS)
def test_ninguna_pagina_muestra_internos(almacen, pagina):
    at = abrir(pagina)
    todo = re.sub(r'^id: ".*"$', "", texto(at), flags=re.M)    # widget ids are not read
    assert len(todo) > 2000                                     # the dump sees the page
    hallados = {nombre: m.group(0) for nombre, patron in PROHIBIDO.items()
                if (m := patron.search(todo))}
    assert hallados == {}
    for tabla in at.dataframe:                                  # Spanish headers, no codes
        columnas = [str(c) for c in tabla.value.columns]
        crudas = [c for c in columnas if "_" in c or c[:1].islower()]
        assert crudas == [], f"{pagina}: columnas sin encabezado en español {crudas}"


@pytest.mark.parametrize("pagina", ["recaudo", "cartera", "facturacion", "critica", "pqr",
                                    "ordenes", "nsu", "calendario", "rutas", "metas"])
def test_cada_grafico_tiene_titulo_y_leyendas_distintas(almacen, pagina):
    at = abrir(pagina)
    figuras = graficos(at)
    assert figuras, f"{pagina} no dibujó gráficos"
    for fig in figuras:
        titulo = re.sub(r"<[^>]+>", "", fig["layout"].get("title", {}).get("text", ""))
        assert len(titulo) > 5, f"{pagina}: un gráfico sin título"
        nombres = [t["name"] for t in fig["data"] if t.get("name") and t.get("showlegend", True)]
        assert len(nombres) == len(set(nombres)), f"{pagina}, «{titulo}»: leyendas {nombres}"


@pytest.mark.parametrize("pagina", ["recaudo", "pqr", "ordenes", "facturacion", "rutas"])
def test_los_grupos_de_los_graficos_se_leen_con_tildes(almacen, pagina):
    """No bar is named with a code as stored (an underscore, a word without its accent)."""
    sin_tilde = {"peticion", "telefonico", "recurso_reposicion", "reinstalacion", "suspension",
                 "pse", "revision_desviacion", "instalacion_medidor"}
    for fig in graficos(abrir(pagina)):
        for traza in fig["data"]:
            if traza.get("type") == "bar":
                grupos = traza["y"] if traza.get("orientation") == "h" else traza["x"]
                assert not [g for g in grupos if "_" in str(g) or str(g) in sin_tilde], grupos


def test_las_causales_de_pqr_son_categorias_con_su_nombre(almacen):
    """Read from the shipped configuration: each cause drawn is its code and its name, on a
    category axis (not a number scale from 120 to 200)."""
    causales = load_settings(SHIPPED_CONFIG).pqr_causales
    [fig] = [f for f in graficos(abrir("pqr")) if "causal" in f["layout"]["title"]["text"]]
    assert fig["layout"]["yaxis"]["type"] == "category"
    etiquetas = fig["data"][0]["y"]
    assert len(etiquetas) >= 5
    for etiqueta in etiquetas:
        codigo, nombre = etiqueta.split(" · ")
        assert causales[codigo]["nombre"] == nombre
    assert "101 · Inconformidad con el consumo facturado" in etiquetas


def test_cada_meta_lleva_el_nombre_de_su_indicador(almacen):
    fig = next(f for f in graficos(abrir("recaudo"))
               if len([t for t in f["data"] if t.get("mode") == "lines"]) == 2)
    metas = [t["name"] for t in fig["data"] if t.get("mode") == "lines"]
    assert metas == ["Meta: eficiencia del recaudo", "Meta: recaudo oportuno"]


def test_el_calendario_cabe_en_una_pantalla(almacen):
    """One row per activity (ten in the demo), one column per cycle: not one row per activity
    and cycle (140 rows, 3.000 px)."""
    [fig] = [f for f in graficos(abrir("calendario")) if f["data"][0]["type"] == "heatmap"]
    grilla = fig["data"][0]
    assert len(grilla["y"]) == 10 and len(grilla["x"]) == 14
    assert "revisión de predios" in grilla["y"] and "cierre de recaudo" in grilla["y"]
    assert fig["layout"]["height"] <= 800


def test_los_ejes_de_conteos_van_de_uno_en_uno(almacen):
    """Two stopped meters and two regressive readings: ticks 0, 1, 2, never 0,5."""
    fig = next(f for f in graficos(abrir("critica"))
               if f["layout"]["title"]["text"].startswith("<b>Medidores frenados"))
    assert fig["layout"]["yaxis"]["dtick"] == 1


# --- Tables ------------------------------------------------------------------------------------

def test_cada_columna_de_los_registros_tiene_encabezado(almacen):
    """Every column the records behind any indicator can have (what ``registros`` shows)
    has its Spanish title in ENCABEZADOS."""
    from dashboards.componentes import para_leer
    engine = sa.create_engine(almacen.almacen_url)
    try:
        with engine.connect() as conn:
            sin_titulo = {c: x.id for x in catalogo.catalogo(almacen)
                          for c in para_leer(catalogo.detalle(conn, x.id, HASTA, almacen,
                                                              limite=5)).columns
                          if c not in ENCABEZADOS}
    finally:
        engine.dispose()
    assert sin_titulo == {}


def test_los_registros_de_las_pqr_se_leen_en_espanol(almacen):
    at = abrir("pqr")
    at.button(key="registros_pqr.radicadas").click().run()
    tabla = at.dataframe[-2]           # the records; the last table is their total
    columnas = list(tabla.value.columns)
    assert {"Radicado", "Tipo", "Canal", "Causal", "Aporta al numerador"} <= set(columnas)
    celdas = mostrado(tabla)
    tipos, canales = set(celdas["Tipo"]), set(celdas["Canal"])
    assert tipos <= {"petición", "queja", "reclamo", "recurso de reposición",
                     "recurso de reposición y apelación", "sugerencia"}
    assert canales <= {"presencial", "telefónico", "escrito", "correo", "web", ""}
    assert "petición" in tipos and "telefónico" in canales       # the demo has both


def test_todo_codigo_del_contrato_tiene_nombre_para_leer():
    """A code with an underscore, or one of these known to need an accent, reads otherwise."""
    con_tilde = {"peticion": "petición", "telefonico": "telefónico",
                 "recurso_reposicion": "recurso de reposición", "suspension": "suspensión",
                 "critica": "crítica", "liquidacion": "liquidación", "impresion": "impresión",
                 "desviacion": "desviación", "electronica": "electrónica", "pse": "PSE"}
    codigos = {c for s in SOURCES.values() for col in s.columns if col.type == CODE
               for c in col.codes}
    assert set(con_tilde) <= codigos
    assert {c: nombre_de_codigo(c) for c in con_tilde} == con_tilde
    assert [c for c in codigos if "_" in nombre_de_codigo(c)] == []


# --- Messages ----------------------------------------------------------------------------------

def test_la_critica_dice_sus_umbrales_en_palabras(almacen):
    """The shipped thresholds: 35 % from an average of 40 m³, 65 % below it."""
    at = abrir("critica")
    leyenda = at.caption[0].value
    assert "más de 35,0 %" in leyenda and "40 m³" in leyenda and "65,0 %" in leyenda
    assert "configuración" not in leyenda


def test_las_pqr_dicen_sus_plazos_en_palabras(almacen):
    leyenda = abrir("pqr").caption[0].value
    assert "15 días hábiles para petición, queja, reclamo" in leyenda
    assert "sugerencia: sin término" in leyenda


def test_falta_una_columna_dice_que_hacer_y_aparte_el_detalle(pequeno):
    """A payments file without «valor»: the error says what to do in plain words; the
    configuration's section goes on a second, smaller line, for the administrator."""
    at = sesion("administrador", 60)
    at.run()
    at.switch_page("paginas/cargar.py").run()
    pagos = "id,codigo,numero_factura,fecha_pago,canal\nP9,S02,F2,2026-11-03,banco\n"
    at.file_uploader[0].set_value([("pagos_2026-11.csv", pagos.encode(), "text/csv")])
    at.run()
    next(b for b in at.button if b.label == "Cargar").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "valor" in error and "pida al administrador" in error
    assert "[" not in error and "config.toml" not in error
    assert any("config.toml, sección [mapeo.pagos.columnas]" in c.value for c in at.caption)
