"""Data Docs that open without a network, from a USB stick or a zip sent by e-mail.

Great Expectations' pages ask CDNs for Bootstrap, jQuery, Font Awesome, Vega and the rest,
and its assets bucket for its logo (with the context's id in the address). Cauce keeps a copy
of each file in ``terceros/`` (with its licence: ``terceros/LICENCIAS.md``), copies them into
the site and points the pages and styles at them.

GX 1.x has no setting for where its pages take these files from: its templates write the
addresses, and a custom views folder cannot replace those templates (GX's own come first in
its template loader). So the written files are rewritten, address by known address. An
upgrade of GX that asks for something new is left pointing at the internet, and the tests
(``tests/data_checks/test_sin_conexion.py``) say so.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

TERCEROS = Path(__file__).with_name("terceros")
DESTINO = Path("static") / "terceros"                 # inside the site
LOGO = Path("static") / "images" / "logo-long.png"    # GX writes it with the site

# Each address GX's templates write -> its copy in terceros/.
RECURSOS = {
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega/vega-embed.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css":
        "fontawesome/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js":
        "popper/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js":
        "bootstrap/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css":
        "bootstrap/bootstrap.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-dark/bootstrap-prefers-dark.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js":
        "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css":
        "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": "bootstrap-table/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css":
        "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/"
    "bootstrap-datepicker.min.js": "bootstrap-datepicker/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/"
    "bootstrap-datepicker.min.css": "bootstrap-datepicker/bootstrap-datepicker.min.css",
}
_DIRECCION = re.compile("(?:" + "|".join(map(re.escape, sorted(RECURSOS, key=len, reverse=True)))
                        + r""")(?=["'])""")
# GX's logos (light and dark) from its bucket, the query carrying the context's id: the
# site's own copy of the logo stands for both.
_LOGO_REMOTO = re.compile(r"https://great-expectations-web-assets\.s3\.[\w.-]+\.amazonaws\.com/"
                          r"[\w.-]+\.(?:png|svg)(?:\?[^\"')\s]*)?")
# Subresource integrity asks for a CORS fetch, which a page opened from disk cannot make.
_SRI = re.compile(r'\s+(?:integrity|crossorigin)="[^"]*"')
# A page's own reference to the site's static folder. GX counts the folders up to it as if
# every suite name had one dot; ours have two, so a validation page's favicon was missed.
_ESTATICO = re.compile(r"""((?:src|href)=["'])(?:\.{1,2}/)*static/""")


def localizar(sitio: Path) -> None:
    """Copy the third-party files into the site at ``sitio`` and point its pages and its
    style sheets at them."""
    sitio = Path(sitio)
    shutil.copytree(TERCEROS, sitio / DESTINO, dirs_exist_ok=True)
    for archivo in [*sitio.rglob("*.html"), *(sitio / "static" / "styles").glob("*.css")]:
        _reescribir(archivo, sitio)


def _reescribir(archivo: Path, sitio: Path) -> None:
    texto = archivo.read_text(encoding="utf-8")
    nuevo = _DIRECCION.sub(lambda m: _relativa(sitio / DESTINO / RECURSOS[m[0]], archivo), texto)
    nuevo = _LOGO_REMOTO.sub(lambda m: _relativa(sitio / LOGO, archivo), nuevo)
    nuevo = _SRI.sub("", nuevo)
    if archivo.suffix == ".html":
        nuevo = _ESTATICO.sub(lambda m: m[1] + _relativa(sitio / "static", archivo) + "/", nuevo)
    if nuevo != texto:
        archivo.write_text(nuevo, encoding="utf-8")


def _relativa(destino: Path, archivo: Path) -> str:
    """``destino`` as ``archivo`` refers to it: relative, so the site works wherever it is
    copied or unzipped."""
    return Path(os.path.relpath(destino, archivo.parent)).as_posix()
