"""docs/ is the user's documentation, written from the code (``cauce.documentacion``): the
committed pages must be exactly what the code says now, and the README may only send its
readers to files of the repository."""
from __future__ import annotations

import re
from pathlib import Path

from cauce import documentacion
from etl.contract import SIGNIFICADOS, SOURCES

RAIZ = Path(__file__).resolve().parents[2]


def test_the_committed_docs_are_what_the_code_says():
    esperadas = documentacion.paginas()
    en_disco = sorted(p.name for p in (RAIZ / "docs").glob("*.md"))
    assert en_disco == sorted(esperadas), (
        f"docs/ tiene {en_disco} y el generador escribe {sorted(esperadas)}: regenere la "
        f"documentación con «{documentacion.COMANDO}».")
    for nombre, texto in esperadas.items():
        assert (RAIZ / "docs" / nombre).read_text(encoding="utf-8") == texto, (
            f"docs/{nombre} no está al día con el código: regenere la documentación con "
            f"«{documentacion.COMANDO}» y revise el cambio antes de confirmarlo.")


def test_every_column_of_the_contract_says_what_it_is():
    assert {f: set(s.names) for f, s in SOURCES.items()} == {
        f: set(columnas) for f, columnas in SIGNIFICADOS.items()}


def test_the_export_layout_shows_each_rule_of_the_contract():
    texto = documentacion.exportaciones()
    fila = next(x for x in texto.splitlines() if x.startswith("| `estrato` |"))
    assert "| entero | si `uso` es `residencial` |" in fila            # required_if
    fila = next(x for x in texto.splitlines() if x.startswith("| `municipio_dane` |"))
    assert "texto de 5 caracteres | sí |" in fila                        # length, required
    fila = next(x for x in texto.splitlines() if x.startswith("| `telefono` |"))
    assert "**Dato personal.**" in fila
    assert "Clave de una fila: `fecha_corte` + `numero_factura` + `servicio`. Una exportación " \
           "nueva reemplaza todas las fechas de corte que trae." in texto


def test_the_sui_layouts_say_where_each_field_comes_from():
    texto = documentacion.sui()
    assert ("| 9 | Número de Cuenta | texto | hasta 30 caracteres | sí |  | La columna "
            "`pqr.codigo`. Sin valor: «0000». |") in texto
    assert "| 25 | Cargo por consumo básico | decimal | hasta 4 decimales | sí |  | El precio " \
           "por m³ del consumo (o vertimiento) básico de la tarifa vigente para la clase de la " \
           "cuenta (fuente tarifas)" in texto
    assert "| 28 | Costo medio de tasa (CMT) | decimal | hasta 4 decimales | sí |  | Vacío: " \
           "la exportación no lo trae; fíjelo en `[defectos]` de un formato propio. |" in texto


def test_the_readme_sends_readers_only_to_files_of_the_repository():
    texto = (RAIZ / "README.md").read_text(encoding="utf-8")
    assert "shared/spec" not in texto and "../" not in texto
    for pagina in [RAIZ / "README.md", *sorted((RAIZ / "docs").glob("*.md"))]:
        assert not re.search(r"\bissue\s*\d", pagina.read_text(encoding="utf-8"), re.I), pagina
    rutas = set(re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", texto))            # [x](ruta)
    rutas |= set(re.findall(r"`([\w./-]+\.md)`", texto))                   # `docs/x.md`
    assert "docs/exportaciones.md" in rutas and "docs/indicadores.md" in rutas
    faltan = sorted(r for r in rutas if not (RAIZ / r).exists())
    assert not faltan, f"el README nombra archivos que no están en el repositorio: {faltan}"
