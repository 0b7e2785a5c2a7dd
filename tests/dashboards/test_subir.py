"""The Cargar datos page takes only export files, whatever their names, and stores each under
a name Cauce makes (its source, a number, the letters and digits of its name)."""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from etl import warehouse as w
from tests.dashboards.conftest import SUSCRIPTORES, sesion

PAGOS_NOV = "id,codigo,numero_factura,fecha_pago,valor,canal\nP9,S02,F2,2026-11-03,5000,banco\n"


def subir(archivos: dict[str, str]):
    """The Cargar datos page, signed in as an administrator, with ``archivos`` (name: text)
    chosen in its uploader."""
    at = sesion("administrador", 60)
    at.run()
    at.switch_page("paginas/cargar.py").run()
    assert not at.exception
    at.file_uploader[0].set_value([(n, t.encode(), "text/csv") for n, t in archivos.items()])
    return at.run()


def cargas(url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(f) for f in conn.execute(
                sa.select(w.carga.c.archivo, w.carga.c.estado, w.carga.c.usuario)
                .order_by(w.carga.c.id))]
    finally:
        engine.dispose()


def test_a_file_of_no_known_source_is_refused_before_loading(pequeno):
    url = f"duckdb:///{pequeno}"
    antes = cargas(url)
    at = subir({"clientes_2026-11.csv": SUSCRIPTORES, "pagos_2026-11.csv": PAGOS_NOV})
    assert "No se reconoce la fuente de clientes_2026-11.csv" in at.error[0].value
    assert "Cargar" not in [b.label for b in at.button]       # nothing to press
    assert cargas(url) == antes


def test_a_name_with_dots_slashes_and_spaces_is_stored_under_a_generated_name(pequeno):
    url = f"duckdb:///{pequeno}"
    antes = cargas(url)
    original = "../../pagos de noviembre; DROP TABLE pagos.csv"
    at = subir({original: PAGOS_NOV})
    next(b for b in at.button if b.label == "Cargar").click().run()
    assert not at.exception and not at.error
    assert list(at.dataframe[0].value["Archivo"]) == [original]   # the user's name on screen
    nuevas = cargas(url)[len(antes):]
    # stored as pagos + number + the name's letters, digits, dots and dashes only; the load
    # record names who loaded it from the dashboard
    assert nuevas == [("pagos_001_de_noviembre__DROP_TABLE_pagos.csv", "cargado",
                       "administrador (tablero)")]


def test_a_load_stopped_by_the_disk_says_so_and_shows_what_did_load(pequeno, monkeypatch):
    """The archive folder cannot be written (a file stands where its folder should): the load
    stops at the first file that must be archived; the page says why and lists the files
    before it (here the cadastre, already loaded: nothing to archive)."""
    import os

    import streamlit as st
    config = Path(os.environ["CAUCE_CONFIG"])
    (config.parent / "bloqueado").write_text("no es una carpeta")
    config.write_text(config.read_text(encoding="utf-8").replace(
        'archivo = "datos/archivo"', 'archivo = "bloqueado/archivo"'), encoding="utf-8")
    st.cache_resource.clear()
    url = f"duckdb:///{pequeno}"
    antes = cargas(url)
    at = subir({"suscriptores_2026-10.csv": SUSCRIPTORES, "pagos_2026-11.csv": PAGOS_NOV})
    next(b for b in at.button if b.label == "Cargar").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "pagos_2026-11.csv" in error and "el almacén quedó como estaba" in error
    resumen = at.dataframe[0].value
    assert list(resumen["Archivo"]) == ["suscriptores_2026-10.csv"]
    assert list(resumen["Estado"]) == ["● ya estaba cargado"]
    assert cargas(url) == antes
