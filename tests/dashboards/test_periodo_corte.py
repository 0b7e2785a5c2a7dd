"""One "latest period", the data's cut-off and the last NSU round, wherever a user meets them.

The hand-made exports of ``tests/indicators/test_corte.py`` (billed up to November 2026;
December's payments, PQR, orders and letters reach Sunday 2026-12-06, the cut-off), plus a
December cadastre (so the dashboard's list of periods reaches December, not billed yet) and
the survey round 2026-S1 (answers 5, 4, 4, 2: 3 of 4 favourable, 75,0 %; November's round
2026-S2 has no survey). Loaded with ``cauce cargar``, as a user does, which keeps the
indicators of the 13 months it calls the latest.

The latest period is the last billed one, November, for ``cauce indicadores``, the window
the load keeps, the month the dashboard opens on and ``cauce informe``'s default. November's
calendar judges 80 of 125 activities, 15 not due yet; its on-time collection waits for one
invoice (``test_corte.py`` works both out).
"""
from __future__ import annotations

import json
import os
import shutil

import openpyxl
import pytest
import sqlalchemy as sa
import streamlit as st

from cauce.settings import SHIPPED_CONFIG
from etl import warehouse as w
from tests.cauce.test_cli import cauce
from tests.conftest import rows, write
from tests.dashboards.conftest import sesion, texto
from tests.indicators import test_corte as corte

ULTIMO, SIN_FACTURAR = "2026-11", "2026-12"
ENCUESTAS = ("ronda,encuesta,municipio_dane,pregunta,valor\n"
             "2026-S1,E1,20001,p01,5\n2026-S1,E1,20001,p11,4\n"
             "2026-S1,E2,20011,p01,4\n2026-S1,E2,20011,p11,2\n")


def exportes() -> dict[str, str]:
    """{file name: CSV text}: what the warehouse is loaded from (also the browser test's)."""
    return {"suscriptores_2026-11.csv": corte.SUSCRIPTORES,
            "suscriptores_2026-12.csv": corte.SUSCRIPTORES.replace("2026-11", "2026-12"),
            "facturas.csv": corte.FACTURAS, "pagos.csv": corte.PAGOS,
            "calendario.csv": corte.CALENDARIO, "pqr.csv": corte.PQR, "ordenes.csv": corte.ORDENES,
            "correspondencia.csv": corte.CORRESPONDENCIA, "encuestas.csv": ENCUESTAS}


@pytest.fixture(scope="module")
def almacen(tmp_path_factory):
    """The warehouse loaded by ``cauce cargar`` and the dashboard pointed at it."""
    raiz = tmp_path_factory.mktemp("periodo_corte")
    carpeta = raiz / "exportes"
    carpeta.mkdir()
    for nombre, contenido in exportes().items():
        write(carpeta / nombre, contenido)
    config = shutil.copy(SHIPPED_CONFIG, raiz / "config.toml")
    url = f"duckdb:///{raiz / 'almacen.duckdb'}"
    out = cauce("cargar", str(carpeta), "--forzar", "--config", str(config), "--almacen", url,
                cwd=raiz)
    assert out.returncode == 0, out.stdout + out.stderr
    antes = {k: os.environ.get(k) for k in ("CAUCE_CONFIG", "CAUCE_ALMACEN")}
    os.environ.update(CAUCE_CONFIG=str(config), CAUCE_ALMACEN=url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield raiz, url
    st.cache_data.clear()
    st.cache_resource.clear()
    for k, v in antes.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def abrir(pagina: str | None = None, **estado):
    at = sesion("administrador")
    for k, v in estado.items():
        at.session_state[k] = v
    at.run()
    if pagina:
        at.switch_page(f"paginas/{pagina}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_latest_period_is_the_last_billed_one_everywhere(almacen):
    raiz, url = almacen
    # cauce indicadores without --periodo
    out = cauce("indicadores", "--formato", "json", "--almacen", url, cwd=raiz)
    assert out.returncode == 0, out.stderr
    assert {f["periodo"] for f in json.loads(out.stdout)} == {ULTIMO}
    # the 13 months the load kept end there: 2025-11 … 2026-11
    T = w.resultado_indicador
    assert rows(url, sa.select(sa.func.min(T.c.periodo), sa.func.max(T.c.periodo),
                               sa.func.count(sa.distinct(T.c.periodo)))) == [
        ("2025-11", ULTIMO, 13)]
    # the dashboard opens on it, and still offers December
    at = abrir()
    periodo = at.selectbox(key="periodo")
    assert periodo.value == ULTIMO
    assert periodo.options[:2] == ["Diciembre de 2026", "Noviembre de 2026"]
    assert at.title[0].value == "Resumen del mes: Noviembre de 2026"
    assert "Eficiencia del recaudo" in [m.label for m in at.metric]
    assert next(m for m in at.metric if m.label == "Eficiencia del recaudo").value != "sin datos"


def test_a_card_says_it_is_provisional_and_nsu_points_to_its_last_round(almacen):
    at = abrir()
    todo = texto(at)
    assert "Provisional: 15 aún no vencen" in todo       # the calendar's card
    assert "Última ronda: 2026-S1, 75,0 %" in todo         # the NSU card, November has none
    at = abrir("recaudo")
    assert "Provisional: 1 aún no vence" in texto(at)     # F2 is due 12-10
    at = abrir("nsu")
    avisos = [i.value for i in at.info]
    assert any("No hay encuestas de la ronda 2026-S2" in a
               and "La última ronda con encuestas es 2026-S1: NSU 75,0 %" in a for a in avisos)


def test_the_records_say_which_are_not_judged_yet(almacen):
    at = abrir("calendario")
    assert any("«Aún no vence»" in c.value and "06/12/2026" in c.value for c in at.caption)
    tabla, total = at.dataframe[-2].value, at.dataframe[-1].value    # the records, their total
    assert len(tabla) == 140 and tabla["Aún no vence"].sum() == 15
    assert total.iloc[0].tolist() == ["140 registros", "80", "125", "64,0 %"]


def test_the_meeting_slides(almacen):
    from indicators import catalogo
    ids = list(dict.fromkeys([*catalogo.PRINCIPALES]))
    at = abrir("reunion", diapositiva=ids.index("calendario.cumplimiento"))
    assert at.title[0].value == "Cumplimiento del calendario comercial"
    assert "### Provisional: 15 aún no vencen" in [m.value for m in at.markdown]
    at = abrir("reunion", diapositiva=ids.index("nsu.indice"))
    assert "### Última ronda: 2026-S1, 75,0 %" in [m.value for m in at.markdown]


def test_the_report_defaults_to_it_and_says_what_is_provisional(almacen):
    raiz, url = almacen
    out = cauce("informe", "--salida", str(raiz / "informes"), "--almacen", url, cwd=raiz)
    assert out.returncode == 0, out.stderr
    libro = openpyxl.load_workbook(raiz / "informes" / f"informe_{ULTIMO}.xlsx")
    ws = libro["Resumen"]
    encabezados = [c.value for c in ws[1]]
    col = encabezados.index("Provisional")
    provisional = {r[1].value: r[col].value for r in ws.iter_rows(min_row=2) if r[1].value}
    assert provisional["Cumplimiento del calendario comercial"] == "15 aún no vencen"
    assert provisional["Recaudo oportuno"] == "1 aún no vence"
    assert provisional["Eficiencia del recaudo"] is None
    assert any("corte de los datos (06/12/2026" in str(c.value) for c in ws["A"])
    html = (raiz / "informes" / f"informe_{ULTIMO}.html").read_text(encoding="utf-8")
    assert "Provisional: 15 aún no vencen al corte de los datos (06/12/2026)" in html
    assert "Última ronda: 2026-S1, 75,0 %" in html
