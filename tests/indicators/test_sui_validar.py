"""The SUI validator, rule by rule: each field rule and each cross-field rule of the shipped
layouts has a failing case (and the edge that passes), on rows written here; and a layout
file with a mistake is refused with a Spanish message that names it."""
from __future__ import annotations

import pytest

from cauce import CauceError
from indicators import sui
from indicators.sui.formato import CARPETA

PQR = sui.leer(CARPETA / "pqr.toml")
ACUEDUCTO = sui.leer(CARPETA / "facturacion_acueducto.toml")

# A valid answered filing and a valid pending one (Formato A, 16 fields).
RESPONDIDA = ["20", "001", "000", "R01", "03-08-2026", "1", "F", "101", "A01", "F100", "1",
              "10-08-2026", "R01", "12-08-2026", "1", ""]
PENDIENTE = ["20", "011", "000", "R02", "20-07-2026", "6", "P", "201", "A02", "N", "9", "",
             "R02", "", "3", ""]

# A valid water invoice of a residential estrato 2 account (48 fields): 10000 + 30000 −
# 12000 + 0 + 0·5 + 0 + 0 + 500 − 0 = 28500.
FACTURA = ("A01,A01,20001,,,,,,,CL 1,F1,05-08-2026,01-08-2026,31,2,0,0,2,1,1,100,115,15,10000,"
           "2000,2000,2500,1500.5,2000,30000,12000,0,-0.4,-0.4,0,0,0,0,0,0,42,0,0,500,,,28500,"
           "10000").split(",")


def fila(valores, **contexto):
    return sui.Fila(list(valores), f"fila {valores[3]}", {"servicio": "acueducto"} | contexto)


def con(base, **cambios):
    """``base`` with some fields changed, by field number: con(RESPONDIDA, c4="X")."""
    out = list(base)
    for k, v in cambios.items():
        out[int(k[1:]) - 1] = v
    return out


def errores(formato, *filas):
    v = sui.validar(formato, filas)
    return [(e.fila, e.campo.numero, e.valor, e.mensaje) for e in v.errores]


def test_the_valid_rows_pass():
    assert errores(PQR, fila(RESPONDIDA), fila(PENDIENTE)) == []
    assert errores(ACUEDUCTO, fila(FACTURA, uso="residencial")) == []
    assert len(FACTURA) == 48


# --- Field rules ------------------------------------------------------------------------------

@pytest.mark.parametrize("cambio, campo, mensaje", [
    ({"c1": "2A"}, 1, "debe tener solo dígitos"),                         # DANE numeric
    ({"c2": "01"}, 2, "debe tener exactamente 3 caracteres"),
    ({"c8": "1O1"}, 8, "debe tener solo dígitos"),
    ({"c4": "R" * 21}, 4, "tiene 21 caracteres; el máximo es 20"),
    ({"c4": "R,1"}, 4, "contiene una coma o un salto de línea, que el archivo plano no admite"),
    ({"c5": "2026-08-03"}, 5, "debe ser una fecha dd-mm-aaaa válida"),
    ({"c5": "31-02-2026"}, 5, "debe ser una fecha dd-mm-aaaa válida"),
    ({"c6": "3"}, 6, "no es un código permitido (1, 2, 4, 5, 6)"),
    ({"c7": "X"}, 7, "no es un código permitido (F, P)"),
    ({"c15": "7"}, 15, "no es un código permitido (1, 2, 3, 4, 5)"),
    ({"c9": ""}, 9, "es obligatorio y está vacío"),
])
def test_field_rules_of_formato_a(cambio, campo, mensaje):
    valor = next(iter(cambio.values()))
    assert errores(PQR, fila(con(RESPONDIDA, **cambio))) == [(1, campo, valor, mensaje)]


@pytest.mark.parametrize("cambio, campo, mensaje", [
    ({"c14": "31.5"}, 14, "debe ser un número entero sin signo, sin puntos ni comas"),
    ({"c14": "1234"}, 14, "tiene 4 dígitos; el máximo es 3"),
    ({"c41": "-3"}, 41, "debe ser un número entero sin signo, sin puntos ni comas"),
    ({"c28": "1500.12345"}, 28, "tiene 5 decimales; el máximo es 4"),
    ({"c28": "1,500"}, 28, "contiene una coma o un salto de línea, que el archivo plano no admite"),
    ({"c28": "1.500,5"}, 28, "contiene una coma o un salto de línea, que el archivo plano no admite"),
    ({"c28": "1500.5.1"}, 28, "debe ser un número con punto decimal y sin separador de miles"),
    ({"c28": "-1500"}, 28, "no puede ser negativo"),
    ({"c28": ""}, 28, "es obligatorio y está vacío"),
    ({"c15": "8"}, 15, "no es un código permitido (1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14)"),
    ({"c3": "2000"}, 3, "debe tener exactamente 5 caracteres"),
])
def test_field_rules_of_water_billing(cambio, campo, mensaje):
    valor = next(iter(cambio.values()))
    assert errores(ACUEDUCTO, fila(con(FACTURA, **cambio), uso="residencial")) == [
        (1, campo, valor, mensaje)]


def test_a_factor_may_be_negative_and_an_optional_field_empty():
    assert errores(ACUEDUCTO, fila(con(FACTURA, c33="-0.7", c34="-0.7", c21="", c22="", c4=""),
                                   uso="residencial")) == []


def test_mandatory_empty_fields_are_counted_per_field():
    v = sui.validar(ACUEDUCTO, [fila(con(FACTURA, c25="", c28=""), uso="residencial"),
                                fila(con(FACTURA, c28=""), uso="residencial")])
    assert v.vacios == {25: 1, 28: 2} and v.total == 3 and v.filas == 2


def test_only_the_first_errors_are_kept_but_all_are_counted():
    filas = [fila(con(RESPONDIDA, c4=f"R{i}", c9="")) for i in range(30)]
    v = sui.validar(PQR, filas, max_errores=10)
    assert v.total == 30 and len(v.errores) == 10 and v.errores[-1].fila == 10


# --- Cross-field rules of Formato A -------------------------------------------------------------

def test_radicado_unique_per_cause_service_and_invoice():
    otra = fila(RESPONDIDA)
    assert errores(PQR, fila(RESPONDIDA), otra) == [
        (2, 4, "R01", "se repite (ya está en la fila 1) con los mismos campo 7 «Causal», "
                      "campo 8 «Detalle de Causal», campo 10 «Número o Identificador de Factura», "
                      "servicio")]
    # the same filing number for another cause, invoice or service is another row
    assert errores(PQR, fila(RESPONDIDA), fila(con(RESPONDIDA, c8="102"))) == []
    assert errores(PQR, fila(RESPONDIDA), fila(con(RESPONDIDA, c10="F101"))) == []
    assert errores(PQR, fila(RESPONDIDA), fila(RESPONDIDA, servicio="alcantarillado")) == []


def test_dates_in_order_filing_answer_notification():
    assert errores(PQR, fila(con(RESPONDIDA, c12="02-08-2026"))) == [
        (1, 12, "02-08-2026", "es anterior al campo 5 «Fecha Radicación» (03-08-2026)")]
    assert errores(PQR, fila(con(RESPONDIDA, c14="09-08-2026"))) == [
        (1, 14, "09-08-2026", "es anterior al campo 12 «Fecha Respuesta» (10-08-2026)")]
    # the same day is in order
    assert errores(PQR, fila(con(RESPONDIDA, c12="03-08-2026", c14="03-08-2026"))) == []


def test_tipo_respuesta_9_exactly_when_the_answer_date_is_empty():
    assert errores(PQR, fila(con(RESPONDIDA, c11="9"))) == [
        (1, 11, "9", "es 9, que exige el campo 12 «Fecha Respuesta» vacío, y ese campo tiene "
                     "«10-08-2026»")]
    assert errores(PQR, fila(con(PENDIENTE, c11="1"))) == [
        (1, 11, "1", "debe ser 9 porque el campo 12 «Fecha Respuesta» está vacío")]


def test_transfer_to_the_sspd_only_for_tipo_5():
    assert errores(PQR, fila(con(RESPONDIDA, c16="20-08-2026"))) == [
        (1, 16, "20-08-2026", "solo puede tener valor cuando el campo 6 «Tipo de Trámite» es 5, "
                              "y aquí es «1»")]
    assert errores(PQR, fila(con(RESPONDIDA, c6="5", c16="20-08-2026"))) == []


# --- Cross-field rules of water billing ---------------------------------------------------------

def test_the_sum_rule_within_one_cent():
    # 24 + 30 − 31 + 32 + 35 + 36 + 37 + 38 + 39 + 42 + 43 + 44 − 40 = 28500
    assert errores(ACUEDUCTO, fila(con(FACTURA, c47="28500.01"), uso="residencial")) == []
    assert errores(ACUEDUCTO, fila(con(FACTURA, c47="28500.02"), uso="residencial")) == [
        (1, 47, "28500.02", "no cuadra con 24 + 30 + 32 + 35 + 36 + 37 + 38 + 39 + 42 + 43 + 44 "
                            "− 31 − 40 = 28500 (diferencia 0.02; se admite hasta 0.01)")]
    # each term counts: a reconnection charge (36) and an advance payment (40)
    assert errores(ACUEDUCTO, fila(con(FACTURA, c36="700", c40="200", c47="29000"),
                                   uso="residencial")) == []
    assert errores(ACUEDUCTO, fila(con(FACTURA, c36="700"), uso="residencial"))[0][:2] == (1, 47)


def test_class_of_use_by_the_accounts_use():
    assert errores(ACUEDUCTO, fila(con(FACTURA, c31="0", c47="40500"), uso="comercial")) == [
        (1, 15, "2", "la cuenta es de uso comercial: su clase de uso debe ser 10 o más")]
    assert errores(ACUEDUCTO, fila(con(FACTURA, c15="10", c31="0", c47="40500"),
                                   uso="residencial")) == [
        (1, 15, "10", "la cuenta es residencial: su clase de uso debe ser 6 o menos")]


def test_only_estratos_1_to_3_carry_a_subsidy():
    assert errores(ACUEDUCTO, fila(con(FACTURA, c15="4"), uso="residencial")) == [
        (1, 31, "12000", "solo puede tener valor cuando el campo 15 «Código clase de uso» es 1 o "
                         "2 o 3, y aquí es «4»")]


def test_only_estratos_5_6_commercial_and_industrial_contribute():
    # estrato 2 with a contribution (and without its subsidy, to keep the sum)
    fila2 = con(FACTURA, c31="0", c32="5000", c47="45500")
    assert errores(ACUEDUCTO, fila(fila2, uso="residencial")) == [
        (1, 32, "5000", "solo puede tener valor cuando el campo 15 «Código clase de uso» es 5 o "
                        "6 o 10 o 11, y aquí es «2»")]
    assert errores(ACUEDUCTO, fila(con(fila2, c15="10"), uso="comercial")) == []
    assert errores(ACUEDUCTO, fila(con(fila2, c15="12"), uso="oficial"))[0][:2] == (1, 32)


def test_the_error_reads_in_spanish_with_row_field_and_value():
    v = sui.validar(PQR, [fila(RESPONDIDA), fila(con(PENDIENTE, c6="3"))])
    assert str(v.errores[0]) == ("Fila 2 (fila R02), campo 6 «Tipo de Trámite» = «3»: no es un "
                                 "código permitido (1, 2, 4, 5, 6).")


# --- How values are written ------------------------------------------------------------------

def test_values_are_written_as_the_flat_file_wants_them():
    import datetime as dt
    from decimal import Decimal

    from indicators.sui.escritura import formateador
    decimal, fecha, texto, codigo = (formateador(ACUEDUCTO.campo(x)) for x in (
        "cargo_fijo", "fecha_expedicion", "direccion", "clase_uso"))
    assert [decimal(x) for x in (Decimal("10000.0000"), Decimal("-0.7000"), Decimal("0E-4"),
                                 Decimal("-0.0000"), 2000.0167, 12500.0, 42,
                                 Decimal("1234567.5"))] == [
        "10000", "-0.7", "0", "0", "2000.0167", "12500", "42", "1234567.5"]
    assert fecha(dt.date(2026, 8, 5)) == fecha(dt.datetime(2026, 8, 5, 23, 59)) == "05-08-2026"
    assert texto(' KR 5, APTO 2\n "B" ') == "KR 5 APTO 2 B"
    assert codigo(" 10 ") == "10"


# --- Layout files ------------------------------------------------------------------------------

BASE = (CARPETA / "pqr.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("cambio, mensaje", [
    (('derivacion = "departamento"', 'derivacion = "provincia"'),
     "la derivación 'provincia' no existe para el conjunto pqr"),
    (('columna = "pqr.radicado"', 'columna = "pqr.radicadoo"'),
     "la tabla pqr no tiene la columna 'radicadoo'"),
    (('columna = "pqr.radicado"', 'columna = "pagos.id"'),
     "la columna 'pagos.id' debe ser tabla.columna con una tabla de pqr, suscriptores"),
    (('tipo = "texto"', 'tipo = "cadena"'), "tiene tipo 'cadena'"),
    (('codigos = "tipo_tramite"', 'codigos = "tramites"'), "[codigos.tramites] no existe"),
    (('conjunto = "pqr"', 'conjunto = "ventas"'), "[filas] conjunto debe ser uno de"),
    (('si_vacio = "fecha_respuesta"', 'si_vacio = "fecha_respuestaa"'),
     "si_vacio nombra el campo 'fecha_respuestaa', que no existe"),
    (('tipo = "unico"', 'tipo = "distinto"'), "debe tener tipo, uno de unico"),
    (('resolucion = ', 'resolucio = '), "[formato] tiene clave(s) desconocida(s) resolucio"),
    (('claves = ["recurso_reposicion_apelacion"]', 'claves = ["apelacion"]'),
     "la tabla [codigos.tipo_tramite] no tiene apelacion"),
    (('[filas]', '[filas]\nservicio = "gas"'), "[filas] servicio debe ser uno de"),
    (('longitud = 20\n', 'longitud = "20"\n'), "longitud debe ser un número entero"),
    (('conjunto = "pqr"', 'conjunto = "facturacion"\nservicio = "acueducto"'),
     "excluir_tipos sirve solo para el conjunto pqr"),
])
def test_a_layout_with_a_mistake_is_refused(tmp_path, cambio, mensaje):
    ruta = tmp_path / "malo.toml"
    ruta.write_text(BASE.replace(*cambio, 1), encoding="utf-8")
    with pytest.raises(CauceError) as e:
        sui.leer(ruta)
    assert e.value.codigo == 2
    assert e.value.mensaje.startswith(f"Formato SUI inválido en {ruta}: ")
    assert mensaje in e.value.mensaje


def test_a_layout_that_is_not_toml(tmp_path):
    ruta = tmp_path / "roto.toml"
    ruta.write_text("[formato\n", encoding="utf-8")
    with pytest.raises(CauceError, match="no es TOML válido"):
        sui.leer(ruta)


def test_inheriting_a_layout_changes_only_what_the_file_says(tmp_path):
    ruta = tmp_path / "pqr_2031.toml"
    ruta.write_text('[formato]\nhereda = "pqr"\nresolucion = "Resolución SSPD 1 de 2031"\n'
                    '[codigos.tipo_tramite]\nreclamo = "01"\nqueja = "02"\npeticion = "04"\n'
                    'recurso_reposicion = "02"\nrecurso_reposicion_apelacion = "03"\n'
                    '[defectos]\ncentro_poblado = "001"\n', encoding="utf-8")
    f = sui.leer(ruta)
    assert (f.nombre, f.resolucion, f.titulo) == ("pqr_2031", "Resolución SSPD 1 de 2031",
                                                  PQR.titulo)
    assert [c.id for c in f.campos] == [c.id for c in PQR.campos]
    assert f.campo("tipo_tramite").codigos == ("01", "02", "04", "03")
    assert f.campo("centro_poblado").defecto == "001"
    # the rule on appeals follows the new code of recurso_reposicion_apelacion
    assert next(r for r in f.reglas if r.tipo == "solo_si").parametros["valores"] == ["03"]


def test_unknown_defaults_and_unknown_parents_are_refused(tmp_path):
    ruta = tmp_path / "x.toml"
    ruta.write_text('[formato]\nhereda = "pqr"\n[defectos]\ncmt = "1"\n', encoding="utf-8")
    with pytest.raises(CauceError, match="nombra campos que no existen: cmt"):
        sui.leer(ruta)
    ruta.write_text('[formato]\nhereda = "pqr_1990"\n', encoding="utf-8")
    with pytest.raises(CauceError, match="hereda nombra el formato «pqr_1990», que no existe"):
        sui.leer(ruta)
