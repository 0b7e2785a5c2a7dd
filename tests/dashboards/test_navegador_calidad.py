"""The data-quality report (GX Data Docs) in Chromium with the network cut: it opens from disk
with its styles, scripts and icon font, and asks nothing of the internet.

The report is built from a hand-made load (``tests/data_checks/test_sin_conexion.py``); no
dashboard server is needed. Screenshots go to ``tests/artefactos/navegador/``.
"""
from __future__ import annotations

import pytest

from tests.data_checks.test_sin_conexion import docs_de_prueba

# Bootstrap 4 writes .text-danger (a failed check: the load has one) in its red, #dc3545,
# pads an .alert 1,25rem (20 px) at the sides and lays a .row out as a flex box; without its
# style sheet the text is black, the alert unpadded and the row a block.
ROJO_BOOTSTRAP = "rgb(220, 53, 69)"
COMPROBAR = """async () => {
  const q = s => document.querySelector(s);
  const fuentes = await document.fonts.load('900 16px "Font Awesome 6 Free"');
  return {
    fallo: q('.text-danger') && getComputedStyle(q('.text-danger')).color,
    aviso: q('.alert') && getComputedStyle(q('.alert')).paddingLeft,
    fila: q('.row') && getComputedStyle(q('.row')).display,
    jquery: typeof window.jQuery === 'function',
    tabla: !!(window.jQuery && window.jQuery.fn.bootstrapTable),
    vega: typeof window.vegaEmbed === 'function',
    iconos: fuentes.length > 0,
  };
}"""


@pytest.fixture(scope="module")
def indice(pw, tmp_path_factory):
    return docs_de_prueba(tmp_path_factory.mktemp("calidad_docs"))


@pytest.fixture
def sin_red(navegador):
    """A tab whose every request but file:// is refused and written down, and the JavaScript
    errors it saw."""
    contexto = navegador.new_context(viewport={"width": 1440, "height": 1000}, locale="es-CO")
    pagina = contexto.new_page()
    pedidas, errores = [], []
    pagina.on("pageerror", lambda e: errores.append(str(e)))

    def cortar(ruta):
        pedidas.append(ruta.request.url)
        ruta.abort()
    pagina.route(lambda url: not url.startswith("file:"), cortar)
    yield pagina, pedidas, errores
    contexto.close()


@pytest.mark.parametrize("cual", ["indice", "validacion"])
def test_data_docs_abren_sin_red_con_sus_estilos(indice, sin_red, artefactos, cual):
    pagina, pedidas, errores = sin_red
    sitio = indice.parent
    archivo = indice if cual == "indice" else next(sitio.glob("validations/**/suscriptores*.html"))
    pagina.goto(archivo.as_uri())
    pagina.wait_for_load_state("load")
    estado = pagina.evaluate(COMPROBAR)
    pagina.screenshot(path=artefactos / f"data_docs_{cual}.png", full_page=False)
    assert pedidas == [], f"pidió a la red: {pedidas}"
    assert errores == [], f"errores de JavaScript: {errores}"
    assert estado == {"fallo": ROJO_BOOTSTRAP, "aviso": "20px", "fila": "flex", "jquery": True,
                      "tabla": True, "vega": True, "iconos": True}, estado
