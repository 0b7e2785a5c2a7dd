"""The SUI reports a lot at a time: each field written a column at a time gives the text the
row-by-row writer (``formateador``) gives, and the column-wise validation (a sieve, then the
checks on what it doubts) gives the errors, messages and order of the row-by-row validator,
whatever the lot size. Expected texts by hand; the row-by-row path is the reference."""
from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

import pyarrow as pa
import pytest

from indicators import sui
from indicators.sui.escritura import BLANCOS, escrita, formateador
from indicators.sui.formato import Campo
from indicators.sui.validar import Validador
from tests.indicators.test_sui_validar import ACUEDUCTO, FACTURA, PENDIENTE, PQR, RESPONDIDA, con


def campo(tipo, **k) -> Campo:
    return Campo(numero=1, id="x", nombre="X", tipo=tipo, obligatorio=False, **k)


DECIMAL, FECHA, TEXTO, CODIGO = (campo("decimal", decimales=4), campo("fecha"), campo("texto"),
                                 campo("codigo"))


@pytest.mark.parametrize("c, valores, tipo, esperado", [
    (DECIMAL, [Decimal("1.5"), Decimal(0), Decimal("-0.7"), Decimal("10000"),
               Decimal("12345678901234.0001"), None], pa.decimal128(18, 4),
     ["1.5", "0", "-0.7", "10000", "12345678901234.0001", ""]),
    (DECIMAL, [Decimal("5"), Decimal("-40")], pa.decimal128(18, 0), ["5", "-40"]),
    # scale above 6: value by value
    (DECIMAL, [Decimal("0.0000001"), Decimal("2.5")], pa.decimal128(38, 10), ["0.0000001", "2.5"]),
    (DECIMAL, [42, -3, None], pa.int64(), ["42", "-3", ""]),
    (DECIMAL, [2000.0167, 12500.0, -0.0], pa.float64(), ["2000.0167", "12500", "0"]),
    (DECIMAL, [" 7.50 "], pa.string(), ["7.50"]),
    (FECHA, [dt.date(2026, 8, 5), dt.date(999, 1, 2), None], pa.date32(),
     ["05-08-2026", "02-01-0999", ""]),
    (FECHA, [dt.datetime(2026, 8, 5, 23, 59)], pa.timestamp("us"), ["05-08-2026"]),
    (FECHA, ["\t05-08-2026 "], pa.string(), ["05-08-2026"]),
    (TEXTO, [' KR 5, APTO 2\n "B" ', "CL 1 # 2-3", "A\u00a0B", "A\tB", "  ", "", None, "x\u3000",
             "ÁRBOL  ñ", "a,b"], pa.string(),
     ["KR 5 APTO 2 B", "CL 1 # 2-3", "A B", "A B", "", "", "", "x", "ÁRBOL ñ", "a b"]),
    (TEXTO, [12], pa.int64(), ["12"]),
    (CODIGO, [" 10 ", "10", "\u200a7", "0 1"], pa.string(), ["10", "10", "7", "0 1"]),
    (CODIGO, [True], pa.bool_(), ["True"]),
])
def test_a_column_is_written_as_each_value_would_be(c, valores, tipo, esperado):
    columna = pa.array(valores, tipo)
    assert escrita(c, columna, len(valores)).to_pylist() == esperado
    escribir = formateador(c)
    assert esperado == ["" if x is None else escribir(x) for x in columna.to_pylist()]


def test_constants_defaults_and_missing_columns():
    con_defecto = campo("texto", defecto="N")
    assert escrita(con_defecto, pa.array(["A", "", None, "  "]), 4).to_pylist() == [
        "A", "N", "N", "N"]
    assert escrita(campo("entero", constante="2030"), None, 2).to_pylist() == ["2030", "2030"]
    assert escrita(campo("decimal", constante="", defecto="0"), None, 2).to_pylist() == ["0", "0"]
    assert escrita(campo("codigo", defecto="000"), None, 1).to_pylist() == ["000"]
    assert escrita(campo("codigo"), None, 1).to_pylist() == [""]


def test_the_blanks_are_pythons():
    assert set(BLANCOS) == {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()}


# --- The validation a lot at a time ----------------------------------------------------------

def lotes(filas, tamano):
    """``filas`` ((values, uso) pairs) as consecutive lots of ``tamano`` rows."""
    for i in range(0, len(filas), tamano):
        parte = filas[i:i + tamano]
        yield sui.Lote(i + 1, [pa.array(c, pa.string()) for c in zip(*[v for v, _ in parte])],
                       pa.array([f"fila {i + j + 1}" for j in range(len(parte))]),
                       {"uso": pa.array([u for _, u in parte], pa.string()),
                        "servicio": pa.array(["acueducto"] * len(parte))})


def por_lotes(formato, filas, tamano, max_errores=1000):
    v = Validador(formato, max_errores)
    for lote in lotes(filas, tamano):
        v.revisar_lote(lote)
    return v.terminar()


def fila_a_fila(formato, filas, max_errores=1000):
    return sui.validar(formato, [sui.Fila(list(v), f"fila {n}", {"uso": u, "servicio": "acueducto"})
                                 for n, (v, u) in enumerate(filas, 1)], max_errores)


def como_texto(v):
    return [str(e) for e in v.errores], v.total, v.filas, v.vacios


RES, COM = "residencial", "comercial"
FACTURAS = [
    (FACTURA, RES),
    (con(FACTURA, c24="10000.00001"), RES),                  # 5 decimals
    (con(FACTURA, c24="١٠٠٠٠"), RES),                         # other digits: Python takes them
    (con(FACTURA, c12="29-02-2025"), RES),
    (con(FACTURA, c12="29-02-2024"), RES),
    (con(FACTURA, c12="00-01-2026"), RES),
    (con(FACTURA, c12="31-04-2026"), RES),
    (con(FACTURA, c12="01-01-0000"), RES),
    (con(FACTURA, c15="1"), COM),                            # residential class, commercial
    (con(FACTURA, c15="10"), RES),
    (FACTURA, None),                                         # not in the snapshot
    (con(FACTURA, c15="5", c31="0.00", c47="40500"), RES),   # no subsidy: zero in any form
    (con(FACTURA, c15="5", c31="0.01", c47="40499.99"), RES),
    (con(FACTURA, c47="28500.01"), RES),                     # within one cent
    (con(FACTURA, c47="28500.0101"), RES),
    (con(FACTURA, c47="28499.9901"), RES),
    (con(FACTURA, c10="CL 1, 2"), RES),
    (con(FACTURA, c10="X" * 101), RES),
    (con(FACTURA, c25="", c28=""), RES),
    (con(FACTURA, c41="-1"), RES),
    (con(FACTURA, c41="123456"), RES),
    (con(FACTURA, c3="2001"), RES),
    (con(FACTURA, c3="2000a"), RES),
    (con(FACTURA, c24="1e4", c47="x"), RES),
]


@pytest.mark.parametrize("tamano", [1, 2, 7, 100])
def test_water_billing_a_lot_at_a_time_as_row_by_row(tamano):
    esperado = fila_a_fila(ACUEDUCTO, FACTURAS)
    assert como_texto(por_lotes(ACUEDUCTO, FACTURAS, tamano)) == como_texto(esperado)
    # rows 1, 3, 5, 11, 12, 14 and 16 pass; row 10 fails the class and the subsidy (class 10),
    # row 19 has two empty mandatory fields, row 24 two fields that are not numbers (the sum
    # is not judged)
    assert esperado.vacios == {25: 1, 28: 1}
    assert [e.fila for e in esperado.errores] == [
        2, 4, 6, 7, 8, 9, 10, 10, 13, 15, 17, 18, 19, 19, 20, 21, 22, 23, 24, 24]
    assert str(esperado.errores[0]) == (
        "Fila 2 (fila 2), campo 24 «Cargo fijo» = «10000.00001»: tiene 5 decimales; el máximo "
        "es 4.")


def test_the_first_errors_are_kept_across_lots():
    # 25 rows without field 25; the last 5 also with 5 decimals in field 24: 30 errors
    filas = [(con(FACTURA, c25=""), RES)] * 20 + [(con(FACTURA, c25="", c24="1.00001"), RES)] * 5
    for tamano in (1, 4, 100):
        v = por_lotes(ACUEDUCTO, filas, tamano, max_errores=10)
        assert (v.total, len(v.errores), v.errores[-1].fila, v.vacios) == (30, 10, 10, {25: 25})
        assert como_texto(v) == como_texto(fila_a_fila(ACUEDUCTO, filas, max_errores=10))


SOLICITUDES = [
    (RESPONDIDA, None),
    (PENDIENTE, None),
    (con(RESPONDIDA, c13="R01b"), None),      # R01 again, same cause, service and invoice
    (con(RESPONDIDA, c12="02-08-2026"), None),  # and again, answered before it was filed
    (con(RESPONDIDA, c12="31-02-2026"), None),  # and again, not a date (the dates' order and
                                                # the answer type are not judged)
    (con(PENDIENTE, c11="1"), None),          # R02 again, type 1 without an answer date
    (con(PENDIENTE, c16="25-08-2026"), None),   # R02 again, sent to the SSPD but a tipo 6
    (con(PENDIENTE, c4="R99", c9="A09"), None),
]


@pytest.mark.parametrize("tamano", [1, 3, 100])
def test_pqr_a_lot_at_a_time_as_row_by_row(tamano):
    esperado = fila_a_fila(PQR, SOLICITUDES)
    assert como_texto(por_lotes(PQR, SOLICITUDES, tamano)) == como_texto(esperado)
    assert [(e.fila, e.campo.numero) for e in esperado.errores] == [
        (3, 4), (4, 4), (4, 12), (5, 12), (5, 4), (6, 4), (6, 11), (7, 4), (7, 16)]
