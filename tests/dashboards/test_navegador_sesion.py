"""The session and the address in a real browser: a reload keeps the sign-in, a link opens the
same page, month and filters for another user (after the sign-in when signed out), *Cerrar
sesión* hides the menu at once and closes the session for good, an expired token opens
nothing; and a click on a bar filters the whole page by its group.

The module serves a small hand-made warehouse, so every number is worked out here:

=========  =======  =========  ==========  =====================  ===================
account    estrato  municipio  billed Sep  billed Oct             paid
=========  =======  =========  ==========  =====================  ===================
S01        2        Valledupar 20.000      10.000                 10.000 of Oct's, 15 Oct
S02        3        Aguachica  20.000      30.000                 20.000 of Sep's, 15 Sep
=========  =======  =========  ==========  =====================  ===================

Eficiencia de recaudo: October 10.000 / 40.000 = 25,0 % (Valledupar 100,0 %, Aguachica
0,0 %); September 20.000 / 40.000 = 50,0 % (Valledupar 0,0 %, Aguachica 100,0 %).
Valor facturado in October: 40.000 (estrato 2: 10.000; estrato 3: 30.000).
"""
from __future__ import annotations

import re

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from cauce.acciones import cuentas
from tests.dashboards.navegador import (CLAVE, USUARIO, Sesion, elegido, elegir, ir, quieta,
                                        sin_errores, titulo)
from tests.dashboards.test_sesion import FACTURAS, PAGOS, SUSCRIPTORES
from tests.indicators.conftest import cargar

CUENTAS = {USUARIO: "administrador", "auxiliar": "analista", "gerencia": "consulta"}
COOKIE = "cauce_sesion"
METRICA = '[data-testid="stMetric"]'
MENU = 'a[data-testid="stSidebarNavLink"]'


@pytest.fixture(scope="module")
def demo(pw, tmp_path_factory):
    """The hand-made warehouse, a config of its own and an account per role (what the
    shared ``servidor`` fixture serves)."""
    raiz = tmp_path_factory.mktemp("sesion")
    config = raiz / "config.toml"
    shutil.copyfile(SHIPPED_CONFIG, config)
    url = f"duckdb:///{raiz / 'almacen.duckdb'}"
    cargar(url, {"suscriptores.csv": SUSCRIPTORES, "facturas.csv": FACTURAS, "pagos.csv": PAGOS},
           raiz / "exportes")
    for nombre, rol in CUENTAS.items():
        hecho = subprocess.run([sys.executable, "-m", "cauce", "usuarios", "agregar", nombre,
                                "--rol", rol, "--config", str(config)],
                               input=CLAVE + "\n", capture_output=True, text=True, timeout=120)
        assert hecho.returncode == 0, hecho.stderr
    return raiz, config, url, []


def archivo_de_cuentas(demo):
    return load_settings(demo[1], almacen=demo[2]).usuarios_archivo


def firmar(pagina, expect, nombre: str = USUARIO) -> None:
    """Signed out, the page shows the sign-in and nothing else: no card, no menu. Sign in."""
    expect(titulo(pagina)).to_contain_text("Cauce")
    quieta(pagina)
    assert pagina.locator(METRICA).count() == 0
    assert pagina.locator(MENU).count() == 0
    pagina.get_by_label("Usuario").fill(nombre)
    pagina.get_by_label("Contraseña", exact=True).fill(CLAVE)
    pagina.get_by_role("button", name="Entrar").click()


def cookie(s: Sesion, espera_s: float = 15) -> dict | None:
    """The session cookie the browser keeps (waiting for the page to hand it over)."""
    limite = time.monotonic() + espera_s
    while True:
        hallada = next((c for c in s.contexto.cookies() if c["name"] == COOKIE), None)
        if hallada is not None or time.monotonic() > limite:
            return hallada
        s.pagina.wait_for_timeout(200)


def tarjeta(pagina, nombre: str):
    """The value a KPI card shows."""
    return pagina.locator(METRICA).filter(has_text=nombre).locator(
        '[data-testid="stMetricValue"]')


def parametros(pagina) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(pagina.url).query).items()}


def otra_pestana(request, navegador, servidor, artefactos, nombre: str) -> Sesion:
    s = Sesion(navegador, servidor[0], artefactos, nombre)
    request.addfinalizer(lambda: s.cerrar(fallo=False))
    return s


# --- Item 4: the session across reloads ---------------------------------------------------------

def test_recargar_conserva_la_sesion(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    firmar(pagina, expect)
    expect(titulo(pagina)).to_have_text("Resumen del mes: Octubre de 2026")
    galleta = cookie(pestana)
    assert galleta is not None, "el navegador no recibió la cookie de la sesión"
    assert galleta["httpOnly"] and galleta["sameSite"] == "Lax"
    assert COOKIE not in pagina.evaluate("document.cookie")      # no script can read it
    assert CLAVE not in galleta["value"]
    assert 7.9 * 3600 < galleta["expires"] - time.time() <= 8 * 3600 + 60

    pagina.reload()
    expect(titulo(pagina)).to_have_text("Resumen del mes: Octubre de 2026")
    quieta(pagina)
    assert pagina.get_by_label("Contraseña", exact=True).count() == 0
    expect(pagina.locator(MENU).first).to_be_visible()
    expect(pagina.get_by_text(f"{USUARIO} · administrador")).to_be_visible()
    pestana.captura("tras recargar")
    sin_errores(pagina, "tras recargar")


def test_un_enlace_abre_la_misma_vista_para_otro_usuario(request, pestana, navegador, servidor,
                                                          artefactos, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    firmar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    ir(pagina, "Recaudo")
    expect(titulo(pagina)).to_have_text("Recaudo: Octubre de 2026")
    quieta(pagina)
    elegir(pagina, "Periodo", "Septiembre de 2026")
    expect(titulo(pagina)).to_have_text("Recaudo: Septiembre de 2026")
    quieta(pagina)
    elegir(pagina, "Municipio", "Aguachica")
    expect(titulo(pagina)).to_have_text("Recaudo: Septiembre de 2026 · Aguachica")
    expect(tarjeta(pagina, "Eficiencia del recaudo").first).to_have_text("100,0 %")
    quieta(pagina)
    assert urlparse(pagina.url).path == "/recaudo"
    assert parametros(pagina) == {"periodo": "2026-09", "municipio": "20011"}
    enlace = pagina.url
    pestana.captura("la vista que se comparte")

    # Another user, signed out: the sign-in only; then the same view.
    otra = otra_pestana(request, navegador, servidor, artefactos, "auxiliar")
    otra.pagina.goto(enlace)
    expect(titulo(otra.pagina)).to_contain_text("Cauce")
    quieta(otra.pagina)
    assert "100,0" not in otra.pagina.locator("body").inner_text()
    otra.captura("el enlace sin sesión")
    firmar(otra.pagina, expect, "auxiliar")
    expect(titulo(otra.pagina)).to_have_text("Recaudo: Septiembre de 2026 · Aguachica")
    quieta(otra.pagina)
    assert elegido(otra.pagina, "Periodo") == "Septiembre de 2026"
    assert elegido(otra.pagina, "Municipio") == "Aguachica"
    expect(tarjeta(otra.pagina, "Eficiencia del recaudo").first).to_have_text("100,0 %")
    assert parametros(otra.pagina) == {"periodo": "2026-09", "municipio": "20011"}
    otra.captura("el enlace tras entrar")
    sin_errores(otra.pagina, "el enlace tras entrar")

    # consulta sees the same aggregates, and the usual notice where the records would be.
    consulta = otra_pestana(request, navegador, servidor, artefactos, "gerencia")
    consulta.pagina.goto(enlace)
    firmar(consulta.pagina, expect, "gerencia")
    expect(titulo(consulta.pagina)).to_have_text("Recaudo: Septiembre de 2026 · Aguachica")
    quieta(consulta.pagina)
    expect(tarjeta(consulta.pagina, "Eficiencia del recaudo").first).to_have_text("100,0 %")
    expect(consulta.pagina.get_by_text("Su rol (consulta) ve solo cifras agregadas").first
           ).to_be_visible()
    assert consulta.pagina.locator('[data-testid="stDataFrame"]').count() == 0
    consulta.captura("el enlace para consulta")


def test_cerrar_sesion_oculta_el_menu_y_cierra_la_sesion(request, pestana, navegador, servidor,
                                                        artefactos, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(f"{pestana.direccion}/recaudo")
    firmar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Recaudo: ")
    quieta(pagina)
    copia = cookie(pestana)
    assert copia is not None
    expect(pagina.locator(MENU).first).to_be_visible()

    pagina.get_by_role("button", name="Cerrar sesión").click()
    expect(pagina.get_by_label("Contraseña", exact=True)).to_be_visible(timeout=5_000)
    expect(pagina.locator(MENU)).to_have_count(0, timeout=5_000)
    # the signed-in page's cards go too (Streamlit may show them faded until its rerun ends)
    expect(pagina.locator(METRICA)).to_have_count(0, timeout=5_000)
    pestana.captura("al cerrar la sesión")
    limite = time.monotonic() + 15
    while cookie(pestana, 0) is not None and time.monotonic() < limite:
        pagina.wait_for_timeout(200)
    assert cookie(pestana, 0) is None, "el navegador conserva la cookie tras cerrar la sesión"

    pagina.reload()
    expect(titulo(pagina)).to_contain_text("Cauce")
    quieta(pagina)
    assert pagina.get_by_label("Contraseña", exact=True).is_visible()
    assert pagina.locator(MENU).count() == 0 and pagina.locator(METRICA).count() == 0

    # A copy of the old cookie opens nothing: the session was closed on the server.
    otra = otra_pestana(request, navegador, servidor, artefactos, "cookie_copiada")
    otra.contexto.add_cookies([{k: copia[k] for k in ("name", "value", "domain", "path")}])
    otra.pagina.goto(f"{otra.direccion}/recaudo")
    expect(titulo(otra.pagina)).to_contain_text("Cauce")
    quieta(otra.pagina)
    assert otra.pagina.get_by_label("Contraseña", exact=True).is_visible()
    assert otra.pagina.locator(METRICA).count() == 0


def test_un_token_vencido_no_abre_la_sesion(request, demo, navegador, servidor, artefactos, pw):
    """A token issued 8 h and 1 s ago (the token's own clock) is refused; one issued now opens
    the page without the form (the same way in, so the refusal is the expiry's)."""
    expect = pw.expect
    archivo = archivo_de_cuentas(demo)
    u = cuentas.Usuario(USUARIO, "administrador")
    vencido = cuentas.emitir(archivo, u, 8, reloj=lambda: time.time() - 8 * 3600 - 1)
    vigente = cuentas.emitir(archivo, u, 8)
    host = urlparse(servidor[0]).hostname
    for token, entra in ((vencido, False), (vigente, True)):
        s = otra_pestana(request, navegador, servidor, artefactos,
                         "token_vigente" if entra else "token_vencido")
        s.contexto.add_cookies([{"name": COOKIE, "value": token, "domain": host, "path": "/"}])
        s.pagina.goto(f"{s.direccion}/recaudo")
        expect(titulo(s.pagina)).to_contain_text("Recaudo: " if entra else "Cauce")
        quieta(s.pagina)
        assert s.pagina.get_by_label("Contraseña", exact=True).count() == (0 if entra else 1)
        assert (s.pagina.locator(METRICA).count() > 0) == entra


def test_la_ruta_de_la_sesion_no_da_cookie_sin_boleto_ni_a_otro_sitio(servidor):
    """Only a ticket a sign-in just gave, posted by the dashboard's own page, sets the cookie."""
    for cuerpo, origen in ((b"inventado", None), (b"", None), (b"x", "http://otro.sitio")):
        pedido = urllib.request.Request(f"{servidor[0]}/_cauce/sesion", data=cuerpo,
                                        method="POST",
                                        headers={"Origin": origen} if origen else {})
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(pedido, timeout=10)
        assert e.value.code == 403 and "set-cookie" not in {k.lower() for k in e.value.headers}


# --- Item 16: a click on a bar filters the page -------------------------------------------------

def barra(pagina, titulo_: str, grupo: str):
    """Click the bar of ``grupo`` on the chart titled ``titulo_`` (breakdowns are horizontal
    bars named on the y axis; the mouse over the bar, then pressed and released where it is:
    plotly listens on the plot, not on the bar's shape)."""
    grafico = pagina.locator('[data-testid="stPlotlyChart"]').filter(
        has=pagina.locator("text.gtitle", has_text=re.compile(rf"^{re.escape(titulo_)}$")))
    grafico.scroll_into_view_if_needed()
    etiqueta = grafico.locator("g.ytick text").filter(
        has_text=re.compile(rf"^\s*{re.escape(grupo)}\s*$")).bounding_box()
    centro = etiqueta["y"] + etiqueta["height"] / 2
    barras_ = grafico.locator("g.trace.bars g.point path")
    cajas = [barras_.nth(i).bounding_box() for i in range(barras_.count())]
    cerca = min(range(len(cajas)), key=lambda i: abs(cajas[i]["y"] + cajas[i]["height"] / 2
                                                       - centro))          # the bar on its row
    barras_.nth(cerca).hover(force=True)
    pagina.wait_for_timeout(200)
    pagina.mouse.down()
    pagina.mouse.up()


def test_un_clic_en_una_barra_filtra_la_pagina(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(f"{pestana.direccion}/facturacion")
    firmar(pagina, expect)
    expect(titulo(pagina)).to_have_text("Facturación y consumo: Octubre de 2026")
    quieta(pagina)
    valor = tarjeta(pagina, "Valor facturado").first
    expect(valor).to_have_text("$ 40.000")

    barra(pagina, "Valor facturado por estrato", "estrato 2")
    expect(titulo(pagina)).to_have_text("Facturación y consumo: Octubre de 2026 · estrato 2")
    expect(valor).to_have_text("$ 10.000")
    quita = pagina.get_by_role("button", name="Filtrado por estrato 2 · quitar")
    expect(quita).to_be_visible()
    quieta(pagina)
    assert parametros(pagina) == {"periodo": "2026-10", "estrato": "2"}
    pestana.captura("filtrada por estrato 2")
    sin_errores(pagina, "filtrada por estrato 2")
    # The records below are the group's: F1 (estrato 2), not F2 (estrato 3).
    registros = pagina.locator('[data-testid="stDataFrame"]').nth(-2).text_content()  # -1: total
    assert "F1" in registros and "F2" not in registros, registros

    quita.click()
    expect(titulo(pagina)).to_have_text("Facturación y consumo: Octubre de 2026")
    expect(valor).to_have_text("$ 40.000")
    expect(quita).to_have_count(0)
    quieta(pagina)
    assert parametros(pagina) == {"periodo": "2026-10"}

    # A municipality's bar chooses it in the sidebar; the same bar again clears it.
    ir(pagina, "Recaudo")
    expect(titulo(pagina)).to_have_text("Recaudo: Octubre de 2026")
    quieta(pagina)
    eficiencia = tarjeta(pagina, "Eficiencia del recaudo").first
    expect(eficiencia).to_have_text("25,0 %")
    barra(pagina, "Eficiencia del recaudo por municipio", "Valledupar")
    expect(titulo(pagina)).to_have_text("Recaudo: Octubre de 2026 · Valledupar")
    expect(eficiencia).to_have_text("100,0 %")
    quieta(pagina)
    assert elegido(pagina, "Municipio") == "Valledupar"
    pestana.captura("filtrada por Valledupar")
    barra(pagina, "Eficiencia del recaudo por municipio", "Valledupar")
    expect(titulo(pagina)).to_have_text("Recaudo: Octubre de 2026")
    expect(eficiencia).to_have_text("25,0 %")
    quieta(pagina)
    assert elegido(pagina, "Municipio") == "Todos"
