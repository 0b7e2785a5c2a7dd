"""In a real browser: the dashboard opens on the last billed month, not on a later month of
payments and PQR alone; its cards say what is provisional at the data's cut-off and where NSU's
last round is (the data: ``test_periodo_corte.py``)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from cauce.settings import SHIPPED_CONFIG
from indicators import catalogo
from tests.conftest import write
from tests.dashboards.navegador import (CLAVE, USUARIO, elegido, entrar, ir, opciones, quieta,
                                        sin_errores, titulo)
from tests.dashboards.test_periodo_corte import exportes

NOVIEMBRE, DICIEMBRE = "Noviembre de 2026", "Diciembre de 2026"


@pytest.fixture(scope="module")
def demo(pw, tmp_path_factory):
    """The hand-made exports loaded with ``cauce cargar`` (which keeps the indicators) and the
    test's administrator; nothing to upload."""
    raiz = tmp_path_factory.mktemp("tablero_periodo")
    carpeta = raiz / "exportes"
    carpeta.mkdir()
    for nombre, contenido in exportes().items():
        write(carpeta / nombre, contenido)
    config = shutil.copy(SHIPPED_CONFIG, raiz / "config.toml")
    url = f"duckdb:///{raiz / 'almacen.duckdb'}"
    for orden, entrada in ((["cargar", str(carpeta), "--forzar"], None),
                           (["usuarios", "agregar", USUARIO, "--rol", "administrador"],
                            CLAVE + "\n")):
        hecho = subprocess.run([sys.executable, "-m", "cauce", *orden, "--config", str(config),
                                "--almacen", url], input=entrada, capture_output=True, text=True,
                               cwd=raiz, timeout=300)
        assert hecho.returncode == 0, hecho.stdout + hecho.stderr
    return raiz, config, url, []


def tarjeta(principal, nombre: str):
    """The card of an indicator: the innermost block holding its name (blocks nest in
    document order, the outer first)."""
    return principal.locator('[data-testid="stVerticalBlock"]').filter(has_text=nombre).last


def test_abre_en_el_ultimo_mes_facturado(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_have_text(f"Resumen del mes: {NOVIEMBRE}")
    quieta(pagina)
    sin_errores(pagina, "Resumen del mes")
    assert elegido(pagina, "Periodo") == NOVIEMBRE
    assert opciones(pagina, "Periodo")[:2] == [DICIEMBRE, NOVIEMBRE]    # December still offered
    principal = pagina.locator('[data-testid="stMain"]')
    calendario = tarjeta(principal, "Cumplimiento del calendario comercial")
    expect(calendario.get_by_text("Provisional: 15 aún no vencen").first).to_be_visible()
    expect(calendario.get_by_text("64,0 %")).to_be_visible()                # 80 of 125
    nsu = tarjeta(principal, "Nivel de satisfacción")
    expect(nsu.get_by_text("Última ronda: 2026-S1, 75,0 %")).to_be_visible()
    pestana.captura("Resumen del mes")

    ir(pagina, "Calendario comercial")
    expect(titulo(pagina)).to_have_text(f"Calendario comercial: {NOVIEMBRE}")
    quieta(pagina)
    sin_errores(pagina, "Calendario comercial")
    expect(principal.get_by_text("Provisional: 15 aún no vencen").first).to_be_visible()
    pestana.captura("Calendario comercial")

    ir(pagina, "NSU")
    expect(titulo(pagina)).to_have_text(f"NSU: {NOVIEMBRE}")
    quieta(pagina)
    expect(principal.get_by_text("La última ronda con encuestas es 2026-S1")).to_be_visible()
    pestana.captura("NSU")

    # Modo reunión: the NSU slide and the calendar's, in the order of the headline indicators
    ir(pagina, "Modo reunión")
    quieta(pagina)
    for nombre, texto in (("Nivel de satisfacción del usuario (NSU)", "Última ronda: 2026-S1, 75,0 %"),
                          ("Cumplimiento del calendario comercial",
                           "Provisional: 15 aún no vencen")):
        for _ in range(len(catalogo.PRINCIPALES)):
            if titulo(pagina).inner_text().strip() == nombre:
                break
            pagina.get_by_role("button", name="Siguiente ▶").click()
            quieta(pagina)
        expect(titulo(pagina)).to_have_text(nombre)
        expect(principal.get_by_text(texto)).to_be_visible()
        sin_errores(pagina, f"Modo reunión: {nombre}")
        pestana.captura(f"Modo reunión {nombre}")


def test_la_presentacion_dice_lo_provisional(pestana, demo, pw):
    """The meeting presentation (``cauce informe`` without a period: November) opened from
    the disk, as it is e-mailed: the calendar's slide says what is not due yet."""
    raiz, config, url, _ = demo
    hecho = subprocess.run([sys.executable, "-m", "cauce", "informe", "--salida",
                            str(raiz / "informes"), "--config", str(config), "--almacen", url],
                           capture_output=True, text=True, cwd=raiz, timeout=300)
    assert hecho.returncode == 0, hecho.stderr
    pagina = pestana.pagina
    pagina.goto((raiz / "informes" / "informe_2026-11.html").as_uri())
    k = catalogo.PRINCIPALES.index("calendario.cumplimiento")
    for _ in range(k):
        pagina.keyboard.press("ArrowRight")
    diapositiva = pagina.locator(".diapositiva.visible")
    pw.expect(diapositiva.locator("h1")).to_have_text("Cumplimiento del calendario comercial")
    pw.expect(diapositiva.get_by_text(
        "Provisional: 15 aún no vencen al corte de los datos (06/12/2026)")).to_be_visible()
    pestana.captura("Presentación: calendario")
