"""Files for people's Excel (``indicators.exportar``), asserted byte for byte as datasette
does: the CSV for Colombian regional settings (``[formato.csv]``) and the workbook's formats,
read back with openpyxl."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pandas as pd

from cauce.settings import SHIPPED_CONFIG, FormatoCsv, load_settings
from indicators import exportar, informe
from indicators.catalogo import COLUMNAS

BOM = b"\xef\xbb\xbf"


def pequena() -> pd.DataFrame:
    """Two rows with every kind of cell a list or a record table has."""
    return pd.DataFrame({
        "Cuenta": ["00012", "=1+2"],                    # user text: never a formula
        "Nombre": ["Ana; Pérez", "Luis \"Lucho\" Díaz"],
        "Saldo": [Decimal("680354.0000"), 1234.5],      # pesos: whole, half up
        "Variación": [0.13631666666666668, None],       # a proportion: a percentage, 2 decimals
        "Consumo": [13.631666666666668, 20.0],          # other numbers: at most 2 decimals
        "Días": [3, -0.001],                            # never "-0"
        "Fecha": [dt.date(2026, 10, 5), dt.datetime(2026, 10, 5, 14, 30)],
        "Con acuerdo": [True, False],
    }, dtype=object)


def test_csv_for_colombian_excel_byte_for_byte(tmp_path):
    ruta = tmp_path / "lista.csv"
    exportar.escribir(pequena(), ruta, dinero={"Saldo"}, porcentaje={"Variación"},
                      formato_csv=load_settings(SHIPPED_CONFIG).csv)
    assert ruta.read_bytes() == BOM + (
        "Cuenta;Nombre;Saldo;Variación;Consumo;Días;Fecha;Con acuerdo\r\n"
        "00012;\"Ana; Pérez\";680354;13,63%;13,63;3;05/10/2026;Sí\r\n"
        "'=1+2;\"Luis \"\"Lucho\"\" Díaz\";1235;;20;0;05/10/2026 14:30;No\r\n").encode("utf-8")


def test_csv_with_another_excels_separator_and_decimal_point(tmp_path):
    ruta = tmp_path / "lista.csv"
    exportar.escribir(pequena().iloc[:1], ruta, dinero={"Saldo"}, porcentaje={"Variación"},
                      formato_csv=FormatoCsv(separador=",", decimal="."))
    assert ruta.read_bytes() == BOM + (
        "Cuenta,Nombre,Saldo,Variación,Consumo,Días,Fecha,Con acuerdo\r\n"
        "00012,Ana; Pérez,680354,13.63%,13.63,3,05/10/2026,Sí\r\n").encode("utf-8")


def indicadores_hechos_a_mano() -> pd.DataFrame:
    """What ``catalogo.calcular`` gives for two indicators of different units: 60.000 of
    100.000 pesos collected (60 %, goal 95 %), and 40,9 m³ over 3 accounts."""
    return pd.DataFrame([
        {"id": "recaudo.eficiencia", "nombre": "Eficiencia del recaudo", "periodo": "2026-10",
         "valor": 0.6, "unidad": "proporcion", "meta": 0.95, "cumple": False, "grupo": None,
         "numerador": 60000.0, "denominador": 100000.0},
        {"id": "facturacion.consumo_promedio", "nombre": "Consumo promedio por cuenta",
         "periodo": "2026-10", "valor": 40.9 / 3, "unidad": "m3_por_cuenta", "meta": None,
         "cumple": None, "grupo": None, "numerador": 40.9, "denominador": 3}],
        columns=COLUMNAS, dtype=object)


def test_the_months_indicators_read_as_on_the_dashboard(tmp_path):
    settings = load_settings(SHIPPED_CONFIG)
    tabla, unidades = informe.indicadores_del_mes(indicadores_hechos_a_mano(), settings)
    csv, xlsx = tmp_path / "indicadores.csv", tmp_path / "indicadores.xlsx"
    for ruta in (csv, xlsx):
        exportar.escribir(tabla, ruta, "Indicadores del mes", formato_csv=settings.csv,
                          por_fila=unidades)
    assert csv.read_bytes() == BOM + (
        "Área;Indicador;Código;Periodo;Valor;Unidad;Meta;Estado;Numerador;Denominador\r\n"
        "Recaudo;Eficiencia del recaudo;recaudo.eficiencia;Octubre de 2026;60,00%;porcentaje;"
        "95,00%;No cumple;60000;100000\r\n"
        "Facturación;Consumo promedio por cuenta;facturacion.consumo_promedio;Octubre de 2026;"
        "13,63;m³ por cuenta;;Sin meta;40,90;3\r\n").encode("utf-8")
    hoja = openpyxl.load_workbook(xlsx)["Indicadores del mes"]
    filas = list(hoja.iter_rows(min_row=2))
    encabezado = [c.value for c in hoja[1]]
    valor, unidad, meta, numerador = (encabezado.index(c) for c in
                                      ("Valor", "Unidad", "Meta", "Numerador"))
    eficiencia, consumo = filas
    assert eficiencia[valor].value == 0.6 and eficiencia[valor].number_format == "0.0 %"
    assert eficiencia[meta].number_format == "0.0 %"
    assert eficiencia[unidad].value == "porcentaje"
    assert eficiencia[numerador].number_format == '"$" #,##0'    # a ratio of pesos
    assert consumo[valor].number_format == '#,##0.0 "m³"'
    assert consumo[unidad].value == "m³ por cuenta"
