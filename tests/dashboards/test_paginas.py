"""The dashboard's pages, run headless with Streamlit's AppTest on real warehouses.

One demo (pequena, 24 periods to 2026-10) is generated and loaded into a DuckDB file once
for this module, without the data checks; a config.toml copy next to it keeps every file
the app writes under the test's temporary folder. Every expected number is computed here
with the catalogue (``indicators.catalogo``) on the same warehouse and formatted with
``cauce.formato``: never read back from a page.

Besides the demo: three empty DuckDB warehouses (no file, a file without tables, the schema
without a load), a first load through the "Cargar datos" page, and a small PostgreSQL
warehouse (three months of cadastre, billing and payments) for parity.
"""
from __future__ import annotations

import base64
import json

import dataclasses
import os
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from cauce.formato import compacto, mes
from cauce.settings import SHIPPED_CONFIG, Settings, load_settings
from etl import migracion
from etl import warehouse as w
from etl.demo import generate
from etl.load import load_folder
from indicators import catalogo, listas
from indicators.rutas import MAXIMO_EN_EL_MAPA
from tests.conftest import pg_schema
from tests.dashboards.conftest import sesion, texto

HASTA = "2026-10"          # the demo's last period
ANTERIOR = "2026-09"
PAGINAS = ["resumen", "recaudo", "cartera", "facturacion", "critica", "pqr", "ordenes", "nsu",
           "tarifas", "calendario", "rutas", "metas", "calidad", "cargar", "reportes", "reunion",
           "documentos"]
RECAUDO = ["recaudo.eficiencia", "recaudo.eficiencia_oportuna", "recaudo.valor",
           "recaudo.por_identificar"]
FILAS = 500                # rows a records table shows at once
VACIO = "Todavía no hay datos en el almacén"


@dataclasses.dataclass(frozen=True)
class Almacen:
    url: str
    config: Path           # the config.toml the dashboard reads (CAUCE_CONFIG)
    settings: Settings     # the same file's settings on this warehouse

    def consultar(self, fn):
        """``fn(conn)`` on a connection of its own, closed before the app reads again (DuckDB
        holds one configuration per file in a process)."""
        engine = sa.create_engine(self.url)
        try:
            with engine.connect() as conn:
                return fn(conn)
        finally:
            engine.dispose()

    def valores(self, periodo: str, ids: list[str] | None = None,
                filtro: dict | None = None) -> dict[str, dict]:
        """{id: catalogue row} of P: nombre, valor, unidad..."""
        frame = self.consultar(lambda c: catalogo.calcular(c, periodo, self.settings, None, ids,
                                                           filtro))
        return {f["id"]: f for f in frame.to_dict("records")}


def _config(carpeta: Path) -> Path:
    """A copy of the shipped config.toml: its relative archive and GX folders land in carpeta."""
    carpeta.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(SHIPPED_CONFIG, carpeta / "config.toml"))


def _almacen(url: str, config: Path) -> Almacen:
    return Almacen(url, config, load_settings(config, almacen=url))


# --- Warehouses --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, load_settings(SHIPPED_CONFIG), "pequena", 5, HASTA, True)
    return folder


@pytest.fixture(scope="module")
def duck(demo, tmp_path_factory) -> Almacen:
    carpeta = tmp_path_factory.mktemp("duck")
    alm = _almacen(f"duckdb:///{carpeta / 'almacen.duckdb'}", _config(carpeta))
    load_folder(demo, alm.settings, revisar=False)
    return alm


@pytest.fixture(scope="module")
def vacios(tmp_path_factory) -> dict[str, Almacen]:
    """Empty DuckDB warehouses: no file; a file without tables; the schema without a load."""
    carpeta = tmp_path_factory.mktemp("vacios")
    config = _config(carpeta)
    duckdb.connect(str(carpeta / "vacio.duckdb")).close()
    engine = w.create_engine(f"duckdb:///{carpeta / 'esquema.duckdb'}")
    migracion.ensure_schema(engine)
    engine.dispose()
    return {k: _almacen(f"duckdb:///{carpeta / f'{k}.duckdb'}", config)
            for k in ("sin_archivo", "vacio", "esquema")}


@pytest.fixture(scope="module")
def pg(demo, tmp_path_factory):
    """Three months of cadastre, billing and payments of the demo in a PostgreSQL schema (a
    partial warehouse: the other sources are missing)."""
    carpeta = tmp_path_factory.mktemp("pg")
    parte = carpeta / "exportaciones"
    parte.mkdir()
    for f in demo.glob("*.csv"):
        fuente, periodo = f.stem.split("_", 1)
        if fuente in ("suscriptores", "facturas", "pagos") and periodo >= "2026-08":
            shutil.copy(f, parte)
    with pg_schema() as url:
        alm = _almacen(url, _config(carpeta))
        resultados = load_folder(parte, alm.settings, revisar=False)
        assert {r.estado for r in resultados} == {"cargado"}
        yield alm
        _soltar(url)


# --- Running the app ---------------------------------------------------------------------------

_en_uso: dict[str, str | None] = {"url": None}


def _soltar(url: str | None) -> None:
    """Close the dashboard's PostgreSQL pool of url (so its schema can be dropped)."""
    if url and url.startswith("postgresql"):
        from dashboards import datos
        datos._motor_pg(url).dispose()   # the cached engine of that URL


@pytest.fixture(scope="module", autouse=True)
def _entorno():
    """CAUCE_CONFIG/CAUCE_ALMACEN as found, and Streamlit's caches empty, after the module."""
    antes = {k: os.environ.get(k) for k in ("CAUCE_CONFIG", "CAUCE_ALMACEN")}
    yield
    _soltar(_en_uso["url"])
    _en_uso["url"] = None
    st.cache_data.clear()
    st.cache_resource.clear()
    for k, v in antes.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def abrir(alm: Almacen, pagina: str | None = None, rol: str = "administrador") -> AppTest:
    """The app on ``alm`` (its caches cleared when the warehouse changes), on ``pagina``,
    signed in with ``rol``."""
    if _en_uso["url"] != alm.url:
        _soltar(_en_uso["url"])
        os.environ["CAUCE_CONFIG"] = str(alm.config)
        os.environ["CAUCE_ALMACEN"] = alm.url
        st.cache_data.clear()
        st.cache_resource.clear()
        _en_uso["url"] = alm.url
    at = sesion(rol)
    at.run()
    if pagina and pagina != "resumen":
        at.switch_page(f"paginas/{pagina}.py")
        at.run()
    return at


def sin_fallas(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metricas(at: AppTest) -> dict[str, str]:
    out = {}
    for m in at.metric:
        assert m.label not in out, f"two cards named {m.label!r}"
        out[m.label] = m.value
    return out


def esperadas(filas: dict[str, dict]) -> dict[str, str]:
    """{Spanish name: card value} as a card must show the catalogue's rows."""
    return {f["nombre"]: compacto(f["valor"], f["unidad"]) for f in filas.values()}


def boton(at: AppTest, etiqueta: str):
    return next(b for b in at.button if b.label == etiqueta)


# --- 1. Every page renders on the demo ---------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS)
def test_cada_pagina_se_dibuja_con_la_demo(duck, pagina):
    at = abrir(duck, pagina)
    sin_fallas(at)
    if pagina == "tarifas":
        # the demo's index rose about 10 % since the tariffs of Valledupar, La Paz and Pueblo
        # Bello came in force (2.4 % since Aguachica's change): the update notice, and only it
        assert [x.value for x in at.warning] and all(
            "se puede actualizar" in x.value and "Aguachica" not in x.value for x in at.warning)
    else:
        assert not at.warning, [x.value for x in at.warning]
    assert at.title, "the page drew nothing"
    assert not any(VACIO in i.value for i in at.info)
    if pagina not in ("cargar", "calidad", "reunion"):
        assert mes(HASTA).capitalize() in at.title[0].value     # "Octubre de 2026"


# --- 2. Empty warehouses -----------------------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS)
@pytest.mark.parametrize("tipo", ["sin_archivo", "vacio", "esquema"])
def test_almacen_vacio(vacios, tipo, pagina):
    alm = vacios[tipo]
    at = abrir(alm, pagina)
    sin_fallas(at)
    assert not at.metric and not at.dataframe
    assert not at.selectbox, "no period to choose without data"
    if pagina == "cargar":
        assert at.title[0].value == "Cargar datos"
        assert any("Suba los archivos de exportación del mes" in m.value for m in at.markdown)
        assert [u.label for u in at.file_uploader] == ["Archivos de exportación"]
        assert not at.info
    else:
        assert len(at.info) == 1
        assert VACIO in at.info[0].value and "Cargar datos" in at.info[0].value
        assert [x.proto.label for x in at.get("page_link")] == ["Ir a Cargar datos"]
    if tipo == "sin_archivo":      # looking does not create a warehouse
        assert not Path(sa.engine.make_url(alm.url).database).exists()


def test_primera_carga_desde_la_pagina(demo, tmp_path):
    """From no warehouse at all: upload a month's cadastre, billing and payments on "Cargar
    datos", load them, and the summary shows that month with the catalogue's numbers."""
    alm = _almacen(f"duckdb:///{tmp_path / 'nuevo.duckdb'}", _config(tmp_path))
    at = abrir(alm, "cargar")
    nombres = [f"{f}_{HASTA}.csv" for f in ("suscriptores", "facturas", "pagos")]
    at.file_uploader[0].set_value([(n, (demo / n).read_bytes(), "text/csv") for n in nombres])
    at.run()
    boton(at, "Cargar").click().run()
    sin_fallas(at)
    resumen = at.dataframe[0].value
    assert list(resumen["Archivo"]) == nombres
    assert set(resumen["Estado"]) == {"✔ cargado"}
    # its last step: the catalogue of October 2025 … October 2026, kept under this load
    kept = alm.consultar(lambda c: c.execute(sa.text(
        "SELECT min(periodo), max(periodo), count(DISTINCT periodo) FROM resultado_indicador "
        "WHERE carga_id = (SELECT max(id) FROM carga)")).one())
    assert tuple(kept) == ("2025-10", "2026-10", 13)

    at.switch_page("paginas/resumen.py").run()
    sin_fallas(at)
    assert at.selectbox(key="periodo").options == [mes(HASTA).capitalize()]
    fila = alm.valores(HASTA, ["recaudo.eficiencia"])["recaudo.eficiencia"]
    assert fila["valor"] is not None
    assert metricas(at)[fila["nombre"]] == compacto(fila["valor"], fila["unidad"])
    assert metricas(at)["Cartera vencida"] == "sin datos"      # no cartera file was loaded


# --- 3. The summary's headline indicators ------------------------------------------------------

def test_resumen_muestra_los_principales(duck):
    ultimo = duck.consultar(lambda c: c.execute(sa.text("SELECT max(periodo) FROM facturas"))
                            .scalar())
    assert ultimo == HASTA
    at = abrir(duck)
    sin_fallas(at)
    assert at.selectbox(key="periodo").value == ultimo
    filas = duck.valores(ultimo, list(catalogo.PRINCIPALES))
    assert sum(f["valor"] is not None for f in filas.values()) >= 6    # a real check
    assert metricas(at) == esperadas(filas)


# --- 4. Filters --------------------------------------------------------------------------------

@pytest.mark.parametrize("cambios", [
    {"municipio": "20011"},
    {"servicio": "acueducto"},
    {"municipio": "20001", "servicio": "alcantarillado"},
    {"periodo": ANTERIOR},
], ids=lambda c: "-".join(c.values()))
def test_filtros_cambian_el_recaudo(duck, cambios):
    at = abrir(duck, "recaudo")
    sin_fallas(at)
    todos = duck.valores(HASTA, RECAUDO)
    assert metricas(at) == esperadas(todos)

    for clave, valor in cambios.items():
        at.selectbox(key=clave).set_value(valor)
    at.run()
    sin_fallas(at)
    periodo = cambios.get("periodo", HASTA)
    filtro = {k: v for k, v in cambios.items() if k != "periodo"}
    filtradas = duck.valores(periodo, RECAUDO, filtro)
    assert metricas(at) == esperadas(filtradas)
    # the change matters: the efficiency is not the whole utility's of the month, and the
    # cards moved (acueducto's efficiency rounds to the same 95,9 %, its value does not)
    assert filtradas["recaudo.eficiencia"]["valor"] != todos["recaudo.eficiencia"]["valor"]
    assert metricas(at) != esperadas(todos)
    nombres = {m.dane: m.nombre for m in duck.settings.municipios}
    titulo = at.title[0].value
    assert mes(periodo).capitalize() in titulo
    if "municipio" in cambios:
        assert nombres[cambios["municipio"]] in titulo


# --- 5. Meeting mode ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def personales(duck) -> dict[str, list[str]]:
    """Names, addresses, e-mails, documents and phones of 300 of the demo's subscribers."""
    filas = duck.consultar(lambda c: c.execute(sa.text(
        "SELECT nombre, direccion, correo, documento, telefono FROM suscriptores "
        "WHERE periodo = :p ORDER BY codigo LIMIT 300"), {"p": HASTA}).all())
    cols = ("nombre", "direccion", "correo", "documento", "telefono")
    out = {c: sorted({str(f[i]) for f in filas if f[i]}) for i, c in enumerate(cols)}
    assert len(out["nombre"]) > 100 and len(out["direccion"]) > 100
    return out


def datos_personales(texto_: str, personales: dict[str, list[str]]) -> list[str]:
    hallados = [x for c in ("nombre", "direccion", "correo") for x in personales[c]
                if x in texto_]
    hallados += [x for c in ("documento", "telefono") for x in personales[c]
                 if re.search(rf"(?<![\d.,]){re.escape(x)}(?![\d.,])", texto_)]
    return hallados


def test_reunion_recorre_las_diapositivas_sin_datos_personales(duck, personales):
    diapositivas = list(dict.fromkeys([*catalogo.PRINCIPALES, *duck.settings.metas]))
    filas = duck.valores(HASTA, diapositivas)
    at = abrir(duck, "reunion")
    vistos = []
    for k, id in enumerate(diapositivas):
        sin_fallas(at)
        fila = filas[id]
        assert [t.value for t in at.title] == [fila["nombre"]]
        assert at.caption[0].value.startswith(f"{k + 1} de {len(diapositivas)} ·")
        grande = f'<div class="valor-reunion">{compacto(fila["valor"], fila["unidad"])}</div>'
        assert grande in [m.value for m in at.markdown]
        todo = texto(at)
        assert fila["nombre"] in todo                              # the dump sees the page
        assert datos_personales(todo, personales) == []
        assert not at.dataframe
        assert boton(at, "◀ Anterior").disabled == (k == 0)
        assert boton(at, "Siguiente ▶").disabled == (k == len(diapositivas) - 1)
        vistos.append(at.title[0].value)
        if k < len(diapositivas) - 1:
            boton(at, "Siguiente ▶").click().run()
    assert len(set(vistos)) == len(diapositivas)                 # each click changed the slide


def test_reunion_no_salta_de_la_ultima_a_la_primera(duck):
    """The page keys' buttons (hidden: PageUp, PageDown) stop at the ends as the others do."""
    diapositivas = list(dict.fromkeys([*catalogo.PRINCIPALES, *duck.settings.metas]))
    ultima = catalogo.buscar(duck.settings, diapositivas[-1]).nombre
    at = abrir(duck, "reunion")
    at.session_state["diapositiva"] = len(diapositivas) - 2
    at.run()
    boton(at, "Siguiente (AvPág)").click().run()
    sin_fallas(at)
    assert at.title[0].value == ultima
    assert boton(at, "Siguiente (AvPág)").disabled and boton(at, "Siguiente ▶").disabled
    boton(at, "Anterior (RePág)").click().run()
    assert at.title[0].value == catalogo.buscar(duck.settings, diapositivas[-2]).nombre


def test_reunion_anterior_y_salir(duck):
    diapositivas = list(dict.fromkeys([*catalogo.PRINCIPALES, *duck.settings.metas]))
    at = abrir(duck, "reunion")
    at.session_state["diapositiva"] = 1
    at.run()
    boton(at, "◀ Anterior").click().run()
    sin_fallas(at)
    assert at.title[0].value == catalogo.buscar(duck.settings, diapositivas[0]).nombre
    assert boton(at, "◀ Anterior").disabled and boton(at, "Anterior (RePág)").disabled
    boton(at, "Salir").click().run()
    sin_fallas(at)
    assert at.title[0].value.startswith("Resumen del mes")


# --- 6. The records behind a card --------------------------------------------------------------

def _contar(alm: Almacen, id: str, periodo: str = HASTA, filtro: dict | None = None) -> int:
    return alm.consultar(lambda c: catalogo.contar_detalle(c, id, periodo, alm.settings,
                                                           filtro=filtro))


def test_registros_cubren_ambos_casos(duck):
    """The drill-down cases below include a table cut at 500 rows and a whole one."""
    conteos = [_contar(duck, id) for id in catalogo.PRINCIPALES]
    assert any(n > FILAS for n in conteos) and any(0 < n < FILAS for n in conteos)


@pytest.mark.parametrize("id", catalogo.PRINCIPALES)
def test_ver_registros_de_una_tarjeta(duck, id):
    at = abrir(duck)
    at.button(key=f"registros_{id}").click().run()
    sin_fallas(at)
    assert next(s for s in at.selectbox if s.label == "Indicador").value == id
    total = _contar(duck, id)
    if total:        # the records and their total row
        assert [len(d.value) for d in at.dataframe] == [min(FILAS, total), 1]
    else:
        assert not at.dataframe
        nombre = catalogo.buscar(duck.settings, id).nombre
        assert any(i.value.startswith(f"{nombre}: ningún registro") for i in at.info)


def test_registros_paginados(duck):
    id = "recaudo.eficiencia"
    total = _contar(duck, id)
    paginas = (total - 1) // FILAS + 1
    assert paginas > 1
    at = abrir(duck)
    at.button(key=f"registros_{id}").click().run()
    at.number_input(key="registros_pagina").set_value(paginas).run()
    sin_fallas(at)
    assert [len(d.value) for d in at.dataframe] == [total - FILAS * (paginas - 1), 1]


def test_ver_registros_con_filtro(duck):
    """On Recaudo with a municipality chosen, a card's records are that municipality's."""
    id, filtro = "recaudo.eficiencia_oportuna", {"municipio": "20621"}
    total = _contar(duck, id, filtro=filtro)
    assert 0 < total != _contar(duck, id)
    at = abrir(duck, "recaudo")
    at.selectbox(key="municipio").set_value("20621").run()
    at.button(key=f"registros_{id}").click().run()
    sin_fallas(at)
    assert [len(d.value) for d in at.dataframe] == [min(FILAS, total), 1]


# --- PostgreSQL --------------------------------------------------------------------------------

@pytest.mark.parametrize("pagina", PAGINAS)
def test_cada_pagina_en_postgresql(pg, pagina):
    """A partial warehouse on PostgreSQL: every page renders (missing sources say so)."""
    at = abrir(pg, pagina)
    sin_fallas(at)
    assert at.title


def test_recaudo_en_postgresql(pg):
    at = abrir(pg, "recaudo")
    assert metricas(at) == esperadas(pg.valores(HASTA, RECAUDO))
    at.selectbox(key="municipio").set_value("20011").run()
    sin_fallas(at)
    filtradas = pg.valores(HASTA, RECAUDO, {"municipio": "20011"})
    assert filtradas["recaudo.eficiencia"]["valor"] is not None
    assert metricas(at) == esperadas(filtradas)


def test_una_lista_muestra_sus_primeras_filas_y_cuenta_todas(duck):
    """A working list on its page: its first rows in the list's order, and how many it has
    (a list of a big utility has hundreds of thousands: the download brings them all)."""
    from cauce.formato import miles
    entera = duck.consultar(lambda c: listas.obtener(c, "persuasivo", HASTA, duck.settings))
    at = abrir(duck, "cartera")
    sin_fallas(at)
    dicho = next(c.value for c in at.caption if "Las descargas traen la lista completa" in c.value)
    assert len(entera) > FILAS, "the demo's persuasive list runs past one page"
    assert dicho.startswith(f"{miles(len(entera))} filas; se muestran las primeras {FILAS}.")
    tabla = next(d.value for d in at.dataframe
                 if listas.ENCABEZADOS["dias_mora"] in d.value.columns)
    assert list(tabla[listas.ENCABEZADOS["codigo"]]) == list(entera["codigo"].head(FILAS))


# --- Rutas, Metas y proyección, the year's report ----------------------------------------------

def test_rutas_desbalance_y_mapa(duck):
    from cauce.formato import miles
    por = duck.consultar(lambda c: catalogo.cruzar(c, ["catastro.activos"], HASTA, duck.settings,
                                                   ("ciclo", "ruta")))
    media = por.groupby("ciclo")["catastro.activos"].transform("mean")
    malas = int(((por["catastro.activos"] - media).abs() > 0.25 * media).sum())
    activos = duck.valores(HASTA, ["catastro.activos"])["catastro.activos"]["valor"]
    at = abrir(duck, "rutas")
    sin_fallas(at)
    metricas_ = {m.label: m.value for m in at.metric}
    assert metricas_["Rutas"] == miles(len(por))
    assert metricas_["Cuentas activas"] == miles(round(activos))
    assert metricas_["Desbalanceadas (±25,0 %)"] == miles(malas)
    sin_coordenadas = duck.consultar(lambda c: c.execute(sa.text(
        "SELECT count(*) FROM suscriptores WHERE periodo = :p AND estado = 'activo' AND "
        "(latitud IS NULL OR longitud IS NULL)"), {"p": HASTA}).scalar())
    pie = " ".join(x.value for x in at.caption)
    if sin_coordenadas:
        assert f"{miles(sin_coordenadas)} de {miles(round(activos))} cuentas activas no tienen" in pie
    assert "Sin servidor de mapas" in pie
    # More routes than a legend holds: the accounts in one layer, each point of its route's
    # colour and named by it (a layer per route took the browser seconds at 5,000 routes).
    rutas, con_coordenadas = duck.consultar(lambda c: c.execute(sa.text(
        "SELECT count(DISTINCT ruta), count(*) FROM suscriptores WHERE periodo = :p AND "
        "estado = 'activo' AND latitud IS NOT NULL AND longitud IS NOT NULL"), {"p": HASTA}).one())
    mapa = next(f for f in (json.loads(e.proto.spec) for e in at.get("plotly_chart"))
                if "Cuentas activas por ruta" in json.dumps(f["layout"], ensure_ascii=False))
    assert rutas > 30 and len(mapa["data"]) == 1 and not mapa["layout"]["showlegend"]
    capa = mapa["data"][0]
    assert len(capa["customdata"]) == min(con_coordenadas, MAXIMO_EN_EL_MAPA)
    color_de = {}
    assert all(color_de.setdefault(r, c) == c
               for r, c in zip(capa["customdata"], _colores_dibujados(capa["marker"])))
    assert len(color_de) == rutas and len(set(color_de.values())) > 1
    # the consulta role sees the routes' figures, not where the accounts are
    consulta = abrir(duck, "rutas", rol="consulta")
    sin_fallas(consulta)
    assert "Sin servidor de mapas" not in " ".join(x.value for x in consulta.caption)


def _colores_dibujados(marker: dict) -> list[str]:
    """Each point's colour as the browser draws it: a number on the marker's colour scale
    (Plotly sends a typed array) read at its place on the scale, the colour of the last stop
    at or below it."""
    valores = marker["color"]
    if isinstance(valores, dict):
        valores = np.frombuffer(base64.b64decode(valores["bdata"]), dtype=valores["dtype"])
    cmin, cmax = marker["cmin"], marker["cmax"]
    return [[c for lugar, c in marker["colorscale"] if lugar <= (v - cmin) / (cmax - cmin)][-1]
            for v in valores]


def test_metas_y_proyeccion(duck):
    at = abrir(duck, "metas")
    sin_fallas(at)
    todo = texto(at)
    assert "Holt-Winters" in todo and "MAPE" in todo
    bloque = at.code[0].value
    assert bloque.startswith("[metas]") and '"recaudo.eficiencia" = { 2025 = 0.93, 2026 = 0.95, ' \
                                            '2027 = ' in bloque
    # each chart reads left to right in time: the demo's 24 months (nov 2024 – oct 2026), then
    # the 12 projected (nov 2026 – oct 2027), whatever order the traces were drawn in
    for figura in (json.loads(e.proto.spec) for e in at.get("plotly_chart")):
        eje = figura["layout"]["xaxis"]
        assert eje["categoryorder"] == "array"
        assert eje["categoryarray"][0] == "nov 2024" and eje["categoryarray"][23] == "oct 2026"
        assert eje["categoryarray"][24] == "nov 2026" and eje["categoryarray"][-1] == "oct 2027"


def test_el_calculo_anticipado_deja_lista_la_proyeccion(duck):
    # After a load the dashboard computes ahead, in the background, what the pages ask first
    # for the month it opens on: Metas then draws its projection without a single query.
    from dashboards import datos
    abrir(duck)
    huella = datos.huella()
    for _, paso in datos.pasos_de_calentar(huella, HASTA, [], ()):
        paso()
    consultas = []

    def contar(conn, cursor, statement, *args):
        consultas.append(statement)
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", contar)
    try:
        r = datos.proyeccion(huella, HASTA)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", contar)
    assert consultas == [] and r.series


def test_reportes_informe_anual(duck):
    at = abrir(duck, "reportes", rol="consulta")
    sin_fallas(at)
    next(b for b in at.button if b.label == "Preparar el informe anual").click().run()
    sin_fallas(at)
    etiquetas = [b.proto.label for b in at.get("download_button")]
    assert "Descargar la versión para publicar (.html)" in etiquetas
    assert any("Faltan 2 de los 12 meses de 2026" in i.value for i in at.info)
