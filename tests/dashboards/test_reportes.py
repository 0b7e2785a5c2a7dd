"""The Reportes page: the monthly workbook and the SUI reports, prepared from the page."""
from __future__ import annotations

import io

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboards.conftest import sesion


@pytest.fixture
def pagina(pequeno):
    """The Reportes page on the small warehouse of conftest.py."""
    at = sesion()
    at.run()
    at.switch_page("paginas/reportes.py")
    at.run()
    return at


def pulsar(at: AppTest, etiqueta: str) -> None:
    next(b for b in at.button if b.label == etiqueta).click().run()


def test_the_monthly_workbook_is_prepared_from_the_page(pagina):
    pulsar(pagina, "Preparar el informe")
    assert not pagina.exception
    _, periodo, libro, html = pagina.session_state["informe"]
    assert periodo == "2026-10"
    resumen = openpyxl.load_workbook(io.BytesIO(libro))["Resumen"]
    fila = next(r for r in resumen.iter_rows(values_only=True) if r[2] == "recaudo.eficiencia")
    assert fila[3] == pytest.approx(0.25)        # 10.000 collected of 40.000 billed
    assert html.startswith(b"<!DOCTYPE html>")


def test_an_invalid_sui_report_lists_its_errors_and_gives_no_file(pagina):
    """The shipped water-billing layout leaves the tariff's charges empty (mandatory): the
    page names them per row and offers nothing to download."""
    next(s for s in pagina.selectbox if s.label == "Formato").set_value("facturacion_acueducto")
    pagina.run()
    pulsar(pagina, "Preparar el reporte al SUI")
    assert not pagina.exception
    assert any("no pasa la validación" in e.value for e in pagina.error)
    errores = pagina.code[0].value
    assert "Fila 1 (factura F1" in errores and "«Cargo por consumo básico»" in errores
    filas, _, plano, libro = pagina.session_state["sui"][3:]
    assert filas == 2 and plano == b"" and libro == b""      # F1 and F2, nothing written
