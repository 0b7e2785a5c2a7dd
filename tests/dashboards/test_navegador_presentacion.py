"""The meeting material in a real browser: the presentation ``cauce informe`` writes, and the
dashboard's *Modo reunión*, both walked with the keyboard as a presenter does.

The presentation (``informe_P.html``) is opened from disk (file://) at the widths of a laptop
and of the meeting room's screens. On every slide its chart must read: y tick labels that are
not just "0", the months on x, a legend naming the indicator, and no label cut off by the
chart's box (plotly draws tick labels as SVG ``<text>``: ``libraries.md``). Neither the deck
nor the meeting mode may jump from the last slide to the first or back: at an end the key does
nothing and the button is disabled.

The warehouse is the shared browser-test demo (``navegador.py``): the small demo up to 2026-09.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.dashboards.navegador import entrar, ir, quieta, titulo

PERIODO = "2026-09"
# The 13 months of the trend ending in September 2026, as the axis writes them.
ABREVIADOS = "ene feb mar abr may jun jul ago sep oct nov dic".split()
MESES = [f"{ABREVIADOS[m - 1]} {a}" for a, m in [(2025, m) for m in range(9, 13)]
         + [(2026, m) for m in range(1, 10)]]
PANTALLAS = [(1280, 720), (1440, 900), (1920, 1080)]
ADELANTE = ["ArrowRight", "PageDown", " "]      # what a keyboard and a presenter's clicker send
ATRAS = ["ArrowLeft", "PageUp"]

# Every tick label and legend entry of the visible slide's chart whose box falls outside the
# chart's box (or the chart outside the window), and every tick label the legend covers, as
# "label: why".
FUERA_DE_CAJA = """() => {
  const g = document.querySelector('.diapositiva.visible .js-plotly-plot');
  const caja = g.getBoundingClientRect(), fuera = [];
  const leyenda = g.querySelector('.legend .bg').getBoundingClientRect();
  const cruza = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
                          && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  if (caja.right > window.innerWidth || caja.bottom > window.innerHeight || caja.width < 300)
    fuera.push('el gráfico: ' + JSON.stringify(caja));
  g.querySelectorAll('.xtick text, .ytick text, .legendtext').forEach(t => {
    const b = t.getBoundingClientRect();
    if (b.left < caja.left - 1 || b.right > caja.right + 1 || b.top < caja.top - 1
        || b.bottom > caja.bottom + 1)
      fuera.push(t.textContent + ': fuera, ' + JSON.stringify(b));
    else if (!t.classList.contains('legendtext') && cruza(b, leyenda))
      fuera.push(t.textContent + ': bajo la leyenda, ' + JSON.stringify(b));
  });
  return fuera;
}"""


@pytest.fixture(scope="module")
def presentacion(demo):
    """The presentation of September 2026, written by ``cauce informe`` as a user runs it."""
    raiz, config, url, _ = demo
    salida = raiz / "informes"
    out = subprocess.run([sys.executable, "-m", "cauce", "informe", "--periodo", PERIODO,
                          "--salida", str(salida), "--config", str(config), "--almacen", url],
                         cwd=raiz, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return salida / f"informe_{PERIODO}.html"


def _contador(pagina) -> str:
    return pagina.locator("#n").inner_text().strip()


def _grafico_legible(pagina, donde: str) -> None:
    """The visible slide's chart, once drawn: values on y, months on x, a legend with the
    slide's indicator, nothing outside the chart's box."""
    visible = pagina.locator(".diapositiva.visible")
    pagina.wait_for_function("""() => {
        const g = document.querySelector('.diapositiva.visible .js-plotly-plot');
        return g && g.querySelector('.xtick text') && g.querySelector('.legendtext'); }""")
    pagina.wait_for_timeout(150)                 # a revisited chart's resize waits 100 ms
    nombre = visible.locator("h1").inner_text().strip()
    y = [t.strip() for t in visible.locator(".ytick text").all_text_contents()]
    x = [t.strip() for t in visible.locator(".xtick text").all_text_contents()]
    leyenda = [t.strip() for t in visible.locator(".legendtext").all_text_contents()]
    assert set(y) - {"0", ""}, f"{donde} ({nombre}): el eje y solo dice {y}"
    assert len(y) >= 2, f"{donde} ({nombre}): el eje y tiene {y}"
    assert x and set(x) <= set(MESES), f"{donde} ({nombre}): el eje x dice {x}"
    assert MESES[-1] in x and len(x) >= 7, f"{donde} ({nombre}): faltan meses en x: {x}"
    assert nombre in leyenda, f"{donde} ({nombre}): la leyenda dice {leyenda}"
    fuera = pagina.evaluate(FUERA_DE_CAJA)
    assert not fuera, f"{donde} ({nombre}): fuera de la caja del gráfico: {fuera}"


@pytest.mark.parametrize("ancho,alto", PANTALLAS, ids=[f"{a}px" for a, _ in PANTALLAS])
def test_presentacion_cada_grafico_se_lee_y_no_da_la_vuelta(presentacion, navegador, artefactos,
                                                            pw, ancho, alto):
    expect = pw.expect
    contexto = navegador.new_context(viewport={"width": ancho, "height": alto}, locale="es-CO")
    pagina = contexto.new_page()
    errores = []
    pagina.on("pageerror", lambda e: errores.append(str(e)))
    pagina.route(re.compile(r"^(?!file:).*"), lambda ruta: ruta.abort())   # offline, as e-mailed
    try:
        pagina.goto(presentacion.as_uri())
        n = pagina.locator(".diapositiva").count()
        assert n >= 8                                       # the headline indicators at least
        anterior, siguiente = pagina.locator("#anterior"), pagina.locator("#siguiente")
        vistos = []
        for k in range(n):                                  # forward, with every forward key
            assert _contador(pagina) == f"{k + 1} de {n}"
            _grafico_legible(pagina, f"{ancho} px, diapositiva {k + 1}")
            vistos.append(pagina.locator(".diapositiva.visible h1").inner_text())
            if k in (0, 1, n - 1):
                pagina.screenshot(path=artefactos / f"presentacion_{ancho}_{k + 1:02d}.png")
            if k == 0:
                expect(anterior).to_be_disabled()
            else:
                expect(anterior).to_be_enabled()
            if k < n - 1:
                expect(siguiente).to_be_enabled()
                pagina.keyboard.press(ADELANTE[k % len(ADELANTE)])
        assert len(set(vistos)) == n                        # every key moved one slide

        expect(siguiente).to_be_disabled()                  # the last slide: nowhere to go
        for tecla in ADELANTE:
            pagina.keyboard.press(tecla)
        assert _contador(pagina) == f"{n} de {n}"
        assert pagina.locator(".diapositiva.visible h1").inner_text() == vistos[-1]

        for k in range(n - 1, 0, -1):                       # and back, with the back keys
            pagina.keyboard.press(ATRAS[k % len(ATRAS)])
            assert _contador(pagina) == f"{k} de {n}"
            _grafico_legible(pagina, f"{ancho} px, de vuelta en la diapositiva {k}")
        expect(anterior).to_be_disabled()
        for tecla in ATRAS:
            pagina.keyboard.press(tecla)
        assert _contador(pagina) == f"1 de {n}"
        assert pagina.locator(".diapositiva.visible h1").inner_text() == vistos[0]
        assert not errores, f"errores de JavaScript: {errores}"
    except BaseException:
        pagina.screenshot(path=artefactos / f"presentacion_{ancho}_FALLO.png")
        raise
    finally:
        contexto.close()


def test_modo_reunion_con_el_teclado_sin_dar_la_vuelta(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    ir(pagina, "Modo reunión")
    contador = pagina.get_by_text(re.compile(r"^\d+ de \d+ · "))
    expect(contador).to_contain_text(re.compile(r"^1 de \d+ · "))
    quieta(pagina)
    n = int(re.match(r"1 de (\d+)", contador.inner_text())[1])
    anterior = pagina.get_by_role("button", name="◀ Anterior")
    siguiente = pagina.get_by_role("button", name="Siguiente ▶")
    assert pagina.get_by_role("button").filter(has_text=re.compile("Anterior|Siguiente")).count() == 2
    expect(anterior).to_be_disabled()
    pestana.captura("Modo reunión, primera")

    def tecla(nombre: str, esperada: int) -> str:
        pagina.keyboard.press(nombre)
        expect(contador).to_contain_text(re.compile(rf"^{esperada} de {n} · "))
        quieta(pagina)
        return titulo(pagina).inner_text()

    primera = titulo(pagina).inner_text()
    segunda = tecla("ArrowRight", 2)
    assert segunda != primera
    tecla("PageDown", 3)
    assert tecla("ArrowLeft", 2) == segunda
    assert tecla("PageUp", 1) == primera
    assert tecla("ArrowLeft", 1) == primera             # at the first slide: nothing happens
    assert tecla("PageUp", 1) == primera
    expect(anterior).to_be_disabled()

    vistos = {primera}
    for k in range(2, n + 1):
        vistos.add(tecla(["ArrowRight", "PageDown"][k % 2], k))
    assert len(vistos) == n
    expect(siguiente).to_be_disabled()
    expect(anterior).to_be_enabled()
    ultima = titulo(pagina).inner_text()
    pestana.captura("Modo reunión, última")
    assert tecla("ArrowRight", n) == ultima             # no jump back to the first
    assert tecla("PageDown", n) == ultima
    pestana.paso("modo reunión con el teclado")
