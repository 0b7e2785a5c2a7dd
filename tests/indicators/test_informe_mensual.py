"""The monthly report (`cauce informe`): the workbook read back with openpyxl and the meeting
presentation, on a small hand-made warehouse (every figure worked out in the comments)."""
from __future__ import annotations

import re
import subprocess
import sys

import openpyxl
import pytest

from indicators import exportar
from tests.indicators.conftest import cargar

P = "2026-10"
NOMBRE_PELIGROSO = '=HYPERLINK("http://x.example/robo","ver")'
SUSCRIPTORES = ("codigo,periodo,nombre,documento,direccion,municipio_dane,uso,estrato,acueducto,"
                "alcantarillado,aseo,ciclo,ruta,estado,telefono\n"
                "S01,2026-10,Ana Pérez,1001,CL 1,20001,residencial,2,S,S,S,01,0101,activo,3001\n"
                f"S02,2026-10,\"{NOMBRE_PELIGROSO.replace(chr(34), chr(34) * 2)}\",1002,CL 2,"
                "20011,residencial,3,S,S,S,01,0101,activo,3002\n")
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,S01,2026-10,acueducto,2026-10-05,2026-10-20,4000,6000,0,0,10000\n"
            "F2,S02,2026-10,acueducto,2026-10-05,2026-10-20,10000,20000,0,0,30000\n"
            "F0,S01,2026-09,acueducto,2026-09-05,2026-09-20,4000,16000,0,0,20000\n")
# Collected in October: 10.000 of the 40.000 billed for October -> eficiencia 25,0 %.
# In September: 20.000 of 20.000 -> 100,0 %; the change is 25,0 − 100,0 = −75,0 pp.
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor,canal\n"
         "P1,S01,F1,2026-10-15,10000,banco\n"
         "P0,S01,F0,2026-09-15,20000,banco\n")
# S02 owes F2 (30.000), 11 days past due at the cut-off of 31/10: on the persuasive list.
CARTERA = ("fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n"
           "2026-10-31,S02,F2,acueducto,2026-10-20,30000\n")


@pytest.fixture(scope="module")
def informe(almacen_modulo, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("informe")
    settings = cargar(almacen_modulo, {
        "suscriptores_2026-10.csv": SUSCRIPTORES,
        "suscriptores_2026-09.csv": SUSCRIPTORES.replace("2026-10", "2026-09"),
        "facturas.csv": FACTURAS, "pagos.csv": PAGOS, "cartera.csv": CARTERA},
        carpeta / "exportes")
    salida = carpeta / "salida"
    out = subprocess.run([sys.executable, "-m", "cauce", "informe", "--periodo", P, "--salida",
                          str(salida), "--almacen", almacen_modulo], cwd=carpeta,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return salida, settings


def fila_de(ws, columna: int, texto: str):
    return next(r for r in ws.iter_rows() if r[columna].value == texto)


def test_the_summary_has_every_indicator_with_goal_state_and_change(informe):
    salida, _ = informe
    libro = openpyxl.load_workbook(salida / f"informe_{P}.xlsx")
    assert libro.sheetnames[:3] == ["Portada", "Resumen", "Catastro"]
    assert "Octubre de 2026".lower() in libro["Portada"]["A1"].value.lower()
    ws = libro["Resumen"]
    encabezados = [c.value for c in ws[1]]
    assert encabezados[:7] == ["Área", "Indicador", "Código", "Valor", "Meta", "Estado",
                               "Cambio frente a septiembre de 2026"]
    eficiencia = fila_de(ws, 2, "recaudo.eficiencia")
    assert eficiencia[3].value == pytest.approx(0.25)
    assert eficiencia[3].number_format == "0.0 %"
    assert eficiencia[4].value == pytest.approx(0.95)          # [metas] 2026
    assert eficiencia[5].value == "No cumple"
    assert eficiencia[6].value == pytest.approx(-0.75)         # 25,0 % − 100,0 %
    assert eficiencia[6].number_format == '+0.0 "pp";-0.0 "pp";0.0 "pp"'
    assert eficiencia[7].value == 10000 and eficiencia[8].value == 40000
    assert eficiencia[7].number_format == '"$" #,##0'           # a ratio of two sums of pesos
    valor = fila_de(ws, 2, "recaudo.valor")
    assert valor[3].value == 10000 and valor[3].number_format == '"$" #,##0'
    rangos = [str(r.sqref) for r in ws.conditional_formatting]
    assert any(r.startswith("F2:F") for r in rangos)           # the state's colours


def test_each_area_has_its_trend_chart_and_cartera_its_ages(informe):
    salida, _ = informe
    libro = openpyxl.load_workbook(salida / f"informe_{P}.xlsx")
    for hoja in ("Catastro", "Facturación", "Crítica", "Recaudo", "Cartera", "PQR"):
        assert len(libro[hoja]._charts) >= 1, hoja
    assert len(libro["Cartera"]._charts) == 2                   # trend and ages
    ws = libro["Recaudo"]
    encabezado = [c.value for c in fila_de(ws, 0, "Indicador")]
    assert encabezado[1] == "oct 2025" and encabezado[13] == "oct 2026"
    eficiencia = fila_de(ws, 0, "Eficiencia del recaudo")
    assert eficiencia[12].value == pytest.approx(1.0) and eficiencia[13].value == pytest.approx(0.25)
    assert eficiencia[1].value is None                          # no data in 2025-10: empty, not 0
    por_municipio = [r for r in ws.iter_rows() if r[0].value == "municipio"]
    grupos = {r[1].value: r for r in por_municipio}
    # S01 and S02's towns (20001 and 20011), named as config.toml and the dashboard name them
    assert set(grupos) == {"Valledupar", "Aguachica"}
    columna = [c.value for c in fila_de(ws, 0, "Desglose")].index("Eficiencia del recaudo")
    assert grupos["Valledupar"][columna].value == pytest.approx(1.0)   # S01: 10.000 of 10.000
    assert grupos["Valledupar"][columna].number_format == "0.0 %"
    por_estrato = {r[1].value for r in ws.iter_rows() if r[0].value == "estrato"}
    assert por_estrato == {"estrato 2", "estrato 3"}


def test_lists_are_in_the_workbook_and_user_text_is_never_a_formula(informe):
    salida, _ = informe
    libro = openpyxl.load_workbook(salida / f"informe_{P}.xlsx")
    # each list in a sheet named with its Spanish title, as on the dashboard
    assert libro.sheetnames[-11:] == ["Cobro persuasivo", "Cobro prejurídico", "Cobro jurídico",
                                      "Suspensión del servicio", "Protección especial",
                                      "Desviaciones significativas", "PQR en riesgo de vencer",
                                      "Órdenes vencidas", "Avisos de suspensión abiertos",
                                      "Diferencias con la tarifa", "Reparto tardío"]
    assert "Tarifas" in libro.sheetnames          # the tariff indicators' area
    ws = libro["Cobro persuasivo"]
    filas = list(ws.iter_rows(values_only=True))
    assert filas[0][:3] == ("Cuenta", "Nombre", "Dirección")
    assert filas[1][:3] == ("S02", NOMBRE_PELIGROSO, "CL 2")
    assert filas[1][filas[0].index("Municipio")] == "Aguachica"     # not its DANE code 20011
    for hoja in libro.worksheets:
        for fila in hoja.iter_rows():
            for celda in fila:
                assert celda.data_type != "f", (hoja.title, celda.coordinate)


def test_a_list_longer_than_a_sheet_goes_on_in_the_next_one(tmp_path, monkeypatch):
    import pandas as pd
    monkeypatch.setattr(exportar, "MAX_FILAS_EXCEL", 3)
    libro = exportar.nuevo_libro(tmp_path / "x.xlsx")
    nombres = exportar.hojas(libro, "Lista larga", pd.DataFrame({"cuenta": list("abcdefg")}))
    libro.close()
    assert nombres == ["Lista larga", "Lista larga (2)", "Lista larga (3)"]
    leido = openpyxl.load_workbook(tmp_path / "x.xlsx")
    assert [c.value for c in leido["Lista larga (3)"]["A"]] == ["cuenta", "g"]
    assert "7 filas" in leido["Lista larga (nota)"]["A1"].value


def test_the_presentation_stands_alone_and_shows_no_personal_data(informe):
    salida, _ = informe
    texto = (salida / f"informe_{P}.html").read_text(encoding="utf-8")
    # nothing fetched from outside: no script, style or image by address
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)\s*=', texto, re.I)
    assert "@import" not in texto and "url(http" not in texto
    assert texto.count('class="diapositiva"') == 15        # 8 headline + 7 more with a goal
    assert "Eficiencia del recaudo" in texto and "25,0 %" in texto
    # the slides and the charts' data, without plotly's own library (the first script)
    propio = re.sub(r"<script>.*?</script>", "", texto, count=1, flags=re.S)
    assert len(propio) < len(texto) / 10
    for dato in ("Ana Pérez", "HYPERLINK", "1001", "1002", "CL 1", "CL 2", "3001", "3002", "S02"):
        assert dato not in propio, dato
