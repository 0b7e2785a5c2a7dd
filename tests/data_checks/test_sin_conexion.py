"""The data-quality report (GX Data Docs) opens without a network: every script, style sheet,
font and image it asks for is a file of the site itself, and each one is there.

Chromium opening it with the network cut is in ``tests/dashboards/test_navegador_calidad.py``.
"""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from data_checks import informe
from etl.load import load_folder
from tests.conftest import write
from tests.data_checks.test_informe import OCTUBRE

# What a page or a style sheet fetches by itself (a link the reader clicks is not fetched).
ETIQUETAS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
             "embed": "src", "object": "data"}
URL_CSS = re.compile(r"""url\(\s*["']?([^"')]+?)["']?\s*\)|@import\s+["']([^"']+)["']""")
EXTERNA = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


def docs_de_prueba(carpeta: Path) -> Path:
    """A cadastre of October loaded with its checks (one row flagged, one quarantined), and
    its Data Docs copied to ``carpeta/docs`` as ``cauce calidad --formato html --salida``
    does; the path of the copy's index.html."""
    config = carpeta / "config.toml"
    shutil.copyfile(SHIPPED_CONFIG, config)
    settings = load_settings(config, almacen=f"duckdb:///{carpeta / 'almacen.duckdb'}")
    exportes = carpeta / "exportes"
    exportes.mkdir()
    write(exportes / "suscriptores_2026-10.csv", OCTUBRE)
    write(exportes / "pagos_2026-10.csv",
          "id,codigo,fecha_pago,valor\nP1,001,2026-10-14,0\nP2,001,2026-10-15,5000\n")
    load_folder(exportes, settings, forzar=True)
    return informe.html(settings, carpeta / "docs")


@pytest.fixture(scope="module")
def sitio(tmp_path_factory) -> Path:
    return docs_de_prueba(tmp_path_factory.mktemp("calidad")).parent


class _Referencias(HTMLParser):
    """The addresses a page fetches: its tags' sources, and the url()s of its <style>s and
    style attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.encontradas: list[tuple[str, str]] = []      # (what, address)
        self._en_estilo = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "alternate" in (attrs.get("rel") or ""):
            return
        if tag in ETIQUETAS and attrs.get(ETIQUETAS[tag]):
            self.encontradas.append((f"<{tag}>", attrs[ETIQUETAS[tag]]))
        if attrs.get("style"):
            self.encontradas += [("style=", u) for u in _urls_css(attrs["style"])]
        self._en_estilo = tag == "style"

    def handle_endtag(self, tag):
        self._en_estilo = False

    def handle_data(self, data):
        if self._en_estilo:
            self.encontradas += [("<style>", u) for u in _urls_css(data)]


def _urls_css(texto: str) -> list[str]:
    return [a or b for a, b in URL_CSS.findall(texto) if not (a or b).startswith("data:")]


def referencias(sitio: Path) -> list[tuple[Path, str, str]]:
    """(file, what, address) for every resource every page and style sheet of the site asks
    for."""
    todas = []
    for pagina in sorted(sitio.rglob("*.html")):
        lector = _Referencias()
        lector.feed(pagina.read_text(encoding="utf-8"))
        todas += [(pagina, que, url) for que, url in lector.encontradas]
    for hoja in sorted(sitio.rglob("*.css")):
        todas += [(hoja, "css", url) for url in _urls_css(hoja.read_text(encoding="utf-8"))]
    return todas


def test_no_pide_nada_a_internet(sitio):
    todas = referencias(sitio)
    # the index, a suite and a validation page, with their scripts, styles and the fonts' CSS
    assert len(list(sitio.rglob("*.html"))) >= 3
    assert any(u.endswith(".js") for _, q, u in todas if q == "<script>")
    assert any(u.endswith(".woff2") for _, q, u in todas if q == "css")
    externas = sorted({(a.relative_to(sitio).as_posix(), q, u) for a, q, u in todas
                       if EXTERNA.match(u)})
    assert externas == []


def test_cada_archivo_que_pide_esta_en_el_sitio(sitio):
    faltan = []
    for archivo, que, url in referencias(sitio):
        destino = (archivo.parent / unquote(urlsplit(url).path)).resolve()
        if not destino.is_file() or not destino.is_relative_to(sitio.resolve()):
            faltan.append((archivo.relative_to(sitio).as_posix(), que, url))
    assert faltan == []


def test_sin_atributos_que_impiden_abrir_desde_el_disco(sitio):
    """A script asked with integrity/crossorigin is a CORS fetch: from file:// it is refused."""
    for pagina in sitio.rglob("*.html"):
        texto = pagina.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)\b[^>]*\b(integrity|crossorigin)=", texto), pagina


def test_cada_carpeta_de_terceros_lleva_su_licencia(sitio):
    terceros = sitio / "static" / "terceros"
    carpetas = [c for c in terceros.iterdir() if c.is_dir()]
    assert len(carpetas) >= 8
    sin_licencia = [c.name for c in carpetas if not list(c.glob("LICENSE*"))]
    assert sin_licencia == []
    indice = (terceros / "LICENCIAS.md").read_text(encoding="utf-8")
    assert all(c.name in indice for c in carpetas)
