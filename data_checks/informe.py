"""The data-quality report in its three forms: a terminal table, JSON and GX Data Docs.

The checks' figures come from the load's audit trail (``etl.auditoria.calidad``, through the
use case ``cauce.acciones.calidad``);
this module only presents them, in the users' Spanish and number formats
(``look-and-feel.md``), or builds the browsable Great Expectations report from
the validation results each load kept in the file context.
"""
from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse
from urllib.request import url2pathname

from rich.table import Table
from rich.text import Text

from cauce import CauceError, SinCargas
from cauce.formato import mes, miles, porcentaje
from cauce.settings import Settings
from data_checks import sin_conexion

if TYPE_CHECKING:       # for the annotations only
    from rich.console import Console

    from data_checks.revision import Control

EJEMPLOS_EN_TABLA = 3


def tabla(controles: Sequence[Control], console: Console, periodo: str | None = None,
          pie: str = "") -> None:
    """Print one row per check: rows flagged of rows judged, share, tolerance, state, first keys."""
    titulo = "Calidad de los datos" + (f" de {mes(periodo)}" if periodo else
                                       " (cargas vigentes)")
    if not controles:
        console.print(f"{titulo}: las cargas vigentes no tienen controles registrados.",
                      highlight=False)
        return
    table = Table(title=titulo, title_justify="left", caption_justify="left", caption=(
        "Señaladas: filas que el control marcó, de las filas que revisó. Las claves completas "
        "están en la tabla «hallazgo» del almacén (las filas no guardadas, en «cuarentena»)."
        + (f" {pie}" if pie else "")))
    for name, justify in (("Fuente", "left"), ("Regla", "left"), ("Señaladas", "right"),
                          ("Proporción", "right"), ("Tolerancia", "right"), ("Estado", "left")):
        table.add_column(name, justify=justify, no_wrap=True)   # the examples wrap instead
    table.add_column("Ejemplos", ratio=1)
    for ctl in controles:
        ejemplos = ", ".join(ctl.ejemplos[:EJEMPLOS_EN_TABLA])
        if ejemplos and ctl.fallidas > EJEMPLOS_EN_TABLA:
            ejemplos += ", …"
        table.add_row(ctl.fuente, ctl.regla, f"{miles(ctl.fallidas)} / {miles(ctl.total)}",
                      porcentaje(ctl.proporcion) if ctl.total else "—",
                      "—" if ctl.tolerancia is None else porcentaje(ctl.tolerancia),
                      estado(ctl), Text(ejemplos))     # Text: keys are data, not rich markup
    console.print(table)


def estado(control: Control) -> Text:
    """The check's state in a word, coloured (never the colour alone: look-and-feel.md)."""
    if not control.fallidas:
        return Text("sin hallazgos", style="green")
    if control.tolerancia is None:
        return Text("aviso", style="yellow")
    if control.excede:
        return Text("excede", style="bold red")
    return Text("dentro", style="green")


def como_json(controles: Sequence[Control]) -> str:
    """A JSON array, one object per check (``cli.md``); ``tolerancia`` is null when it does not gate."""
    return json.dumps([{
        "fuente": ctl.fuente, "regla": ctl.regla, "descripcion": ctl.descripcion,
        "severidad": ctl.severidad, "fallidas": ctl.fallidas, "total": ctl.total,
        "tolerancia": ctl.tolerancia, "ejemplos": list(ctl.ejemplos),
    } for ctl in controles], ensure_ascii=False, indent=2)


def html(settings: Settings, salida: Path | None = None) -> Path:
    """Build the GX Data Docs of the loads' validation results; the path of its ``index.html``.

    The site takes its styles, scripts and fonts from copies of its own
    (:mod:`data_checks.sin_conexion`): it opens without a network.

    With ``salida`` the whole site is copied into that folder (its earlier
    content replaced), to share it or keep it with the month's reports.
    """
    from data_checks import suites      # Great Expectations: seconds to import, only for this
    if not Path(settings.calidad_dir).is_dir():
        raise _sin_resultados(settings)
    ctx = suites.contexto(settings.calidad_dir)
    if not ctx.validation_results_store.list_keys():
        raise _sin_resultados(settings)
    with suites.condiciones_como_texto():      # rendering reads the rules' row conditions
        url = ctx.build_data_docs()["local_site"]
    index = Path(url2pathname(urlparse(url).path))
    sin_conexion.localizar(index.parent)       # it opens offline: no CDN, no GX beacon
    if salida is None:
        return index
    salida = Path(salida)
    _puede_reemplazarse(salida)
    try:
        if salida.exists():
            shutil.rmtree(salida)
        shutil.copytree(index.parent, salida)
    except OSError as e:
        raise CauceError(f"No se pudo escribir el informe en {salida}: {e.strerror or e}. "
                         f"Revise los permisos o elija otra carpeta con --salida.") from None
    return salida / index.name


def _puede_reemplazarse(salida: Path) -> None:
    """Only an empty folder or an earlier report is replaced: never a folder with other files."""
    if salida.exists() and not salida.is_dir():
        raise CauceError(f"{salida} es un archivo. El informe html es una carpeta: indique con "
                         f"--salida una carpeta nueva o la de un informe anterior.")
    if salida.is_dir() and any(salida.iterdir()) and not (salida / "index.html").is_file():
        raise CauceError(f"La carpeta {salida} ya tiene archivos y no es un informe de calidad "
                         f"anterior; no se reemplaza. Indique con --salida una carpeta nueva.")


def _sin_resultados(settings: Settings) -> CauceError:
    return SinCargas(f"Todavía no hay resultados de calidad en {settings.calidad_dir}: se "
                     f"guardan al cargar cada archivo, cuando se revisa.")
