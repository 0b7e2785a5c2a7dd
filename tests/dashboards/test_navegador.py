"""The dashboard in a real browser: the walk a user takes through every page, and leaving
the meeting mode (the fixtures and the ways to drive a page are in ``navegador.py``)."""
from __future__ import annotations

import re

import pytest

from tests.dashboards.navegador import (MES_SUBIDO, PAGINAS, elegido, elegir, entrar, ir,
                                        opciones, quieta, sin_errores, titulo)


@pytest.mark.lento
def test_recorrido_completo(pestana, demo, pw):
    """Load a month on Cargar datos, every page on it, another period, Modo reunión."""
    expect, pagina = pw.expect, pestana.pagina
    archivos = demo[3]

    pagina.goto(f"{pestana.direccion}/cartera")       # signed out: only the sign-in
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Cartera: ")  # then the page the address names
    quieta(pagina)
    pestana.captura("inicio")
    sin_errores(pagina, "Inicio")
    pestana.paso("abrir la app")

    # Cargar datos: the month's export files through the file uploader, then "Cargar".
    ir(pagina, "Cargar datos")
    expect(titulo(pagina)).to_have_text("Cargar datos")
    quieta(pagina)
    pagina.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        [str(f) for f in archivos])
    boton = pagina.get_by_role("button", name="Cargar", exact=True)
    expect(boton).to_be_visible()
    quieta(pagina)
    pestana.paso(f"subir {len(archivos)} archivos")
    boton.click()
    expect(pagina.get_by_text("Resumen de la carga", exact=True)).to_be_visible()
    quieta(pagina)
    pestana.captura("Cargar datos (resumen de la carga)")
    sin_errores(pagina, "Cargar datos")
    assert "Rechazado" not in pagina.locator('[data-testid="stMain"]').inner_text()
    tabla = pagina.locator('[data-testid="stDataFrame"]').first.text_content()
    for f in archivos:         # the grid is drawn on a canvas; its text is in the DOM still
        assert re.search(rf"{re.escape(f.name)}\w+✔ cargado", tabla), \
            f"{f.name} no figura cargado en el resumen de la carga: {tabla}"
    pestana.paso("cargar")

    # The uploaded month is a period from the next run on (the sidebar is drawn before the
    # page loads the files); every page is looked at on it.
    ir(pagina, "Resumen del mes")
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    assert MES_SUBIDO in opciones(pagina, "Periodo")
    if elegido(pagina, "Periodo") != MES_SUBIDO:
        elegir(pagina, "Periodo", MES_SUBIDO)
        expect(titulo(pagina)).to_have_text(f"Resumen del mes: {MES_SUBIDO}")
        quieta(pagina)
    pestana.paso("elegir el mes cargado")

    for nombre, encabezado in PAGINAS.items():
        ir(pagina, nombre)
        expect(titulo(pagina)).to_have_text(encabezado.format(periodo=MES_SUBIDO))
        quieta(pagina)
        pestana.captura(nombre)
        sin_errores(pagina, nombre)
        assert elegido(pagina, "Periodo") == MES_SUBIDO, f"{nombre}: el periodo cambió solo"
        pestana.paso(nombre)

    # Another period: the title follows it.
    ir(pagina, "Resumen del mes")
    expect(titulo(pagina)).to_have_text(f"Resumen del mes: {MES_SUBIDO}")
    quieta(pagina)
    otro = next(o for o in opciones(pagina, "Periodo") if o != MES_SUBIDO)
    elegir(pagina, "Periodo", otro)
    expect(titulo(pagina)).to_have_text(f"Resumen del mes: {otro}")
    quieta(pagina)
    assert elegido(pagina, "Periodo") == otro
    pestana.captura(f"Resumen del mes ({otro})")
    sin_errores(pagina, f"Resumen del mes ({otro})")
    pestana.paso(f"cambiar a {otro}")

    # Modo reunión: one indicator per slide on the chosen period; "Siguiente ▶" moves on.
    ir(pagina, "Modo reunión")
    contador = pagina.get_by_text(re.compile(r"^\d+ de \d+ · "))
    expect(contador).to_contain_text(re.compile(rf"^1 de \d+ · {re.escape(otro)}"))
    quieta(pagina)
    primera = titulo(pagina).inner_text()
    pestana.captura("Modo reunión (1)")
    sin_errores(pagina, "Modo reunión")
    pagina.get_by_role("button", name="Siguiente ▶").click()
    expect(contador).to_contain_text(re.compile(rf"^2 de \d+ · {re.escape(otro)}"))
    expect(titulo(pagina)).not_to_have_text(primera)
    quieta(pagina)
    pestana.captura("Modo reunión (2)")
    sin_errores(pagina, "Modo reunión, segunda diapositiva")
    pagina.get_by_role("button", name="◀ Anterior").click()
    expect(contador).to_contain_text(re.compile(r"^1 de "))
    expect(titulo(pagina)).to_have_text(primera)
    quieta(pagina)
    pestana.paso("modo reunión")

    # "Salir" goes back to the summary.
    pagina.get_by_role("button", name="Salir").click()
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    sin_errores(pagina, "Resumen del mes, al salir del modo reunión")
    pestana.paso("salir del modo reunión")


def test_salir_del_modo_reunion_conserva_el_periodo(pestana, pw):
    expect, pagina = pw.expect, pestana.pagina
    pagina.goto(pestana.direccion)
    entrar(pagina, expect)
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    primero = elegido(pagina, "Periodo")
    otro = next(o for o in opciones(pagina, "Periodo") if o != primero)
    elegir(pagina, "Periodo", otro)
    expect(titulo(pagina)).to_have_text(f"Resumen del mes: {otro}")
    quieta(pagina)
    ir(pagina, "Modo reunión")
    expect(pagina.get_by_text(re.compile(r"^\d+ de \d+ · "))).to_contain_text(otro)
    quieta(pagina)
    pagina.get_by_role("button", name="Salir").click()
    expect(titulo(pagina)).to_contain_text("Resumen del mes: ")
    quieta(pagina)
    pestana.captura("al salir del modo reunión")
    assert titulo(pagina).inner_text().strip() == f"Resumen del mes: {otro}"
    assert elegido(pagina, "Periodo") == otro
