"""The billing, payment, PQR, order and survey rules, each on a hand-made frame."""
from __future__ import annotations

from datetime import date, datetime

from data_checks.validar import validar
from tests.data_checks.conftest import HOY, fallidas, lote


# --- facturas -----------------------------------------------------------------

def test_valor_total(settings):
    df = lote("facturas",
              {},                                                    # 0 ok: 1000 + 9000
              {"subsidio": 2000.0, "valor_total": 8000.0},           # 1 ok
              {"contribucion": 500.0, "otros_cargos": None,
               "valor_total": 10500.0},                              # 2 ok: otros empty = 0
              {"otros_cargos": 300.0, "valor_total": 10301.0},       # 3 ok: 1 peso off
              {"valor_total": 10002.0},                              # 4 fails: 2 pesos off
              {"subsidio": 2000.0, "valor_total": 12000.0})          # 5 fails: subsidy added
    assert fallidas("facturas", df, settings, "facturacion.valor_total") == [4, 5]


def test_vencimiento_antes_expedicion(settings):
    df = lote("facturas", {},
              {"fecha_vencimiento": date(2026, 10, 15)},   # 1 fails: same day
              {"fecha_vencimiento": date(2026, 10, 1)})    # 2 fails: before
    assert fallidas("facturas", df, settings, "facturacion.vencimiento_antes_expedicion") == [1, 2]


def test_subsidio_indebido(settings):
    # Shipped shares: estrato 1 70 %, 2 40 %, 3 15 %; base cargo_fijo + valor_consumo = 10 000.
    df = lote("facturas",
              {"subsidio": 7000.0, "valor_total": 3000.0},   # 0 ok: estrato 1 at 70 %
              {"subsidio": 4500.0, "valor_total": 5500.0},   # 1 fails: estrato 2 above 40 %
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 2 fails: estrato 4 has none
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 3 fails: comercial has none
              {},                                            # 4 ok: no subsidy
              {"subsidio": 1000.0, "valor_total": 9000.0},   # 5 ok: no context (unknown account)
              {"subsidio": 1500.0, "valor_total": 8500.0},   # 6 ok: estrato 3 at 15 %
              {"subsidio": 1501.0, "valor_total": 8499.0},   # 7 ok: 1 peso of rounding
              ctx_uso=["residencial", "residencial", "residencial", "comercial", "industrial",
                       None, "residencial", "residencial"],
              ctx_estrato=[1, 2, 4, 0, 0, None, 3, 3])
    assert fallidas("facturas", df, settings, "facturacion.subsidio_indebido") == [1, 2, 3]


def test_contribucion_indebida(settings):
    con = {"contribucion": 5000.0, "valor_total": 15000.0}
    df = lote("facturas", con, con, con, con, con, con, {},
              ctx_uso=["residencial", "residencial", "comercial", "industrial", "oficial",
                       None, "oficial"],
              ctx_estrato=[5, 3, 0, 0, 0, None, 0])
    # 1 fails (estrato 3), 4 fails (oficial); 5 has no context; 6 has no contribution.
    assert fallidas("facturas", df, settings, "facturacion.contribucion_indebida") == [1, 4]


def test_reglas_con_contexto_se_omiten_sin_el(settings):
    df = lote("facturas", {"subsidio": 9000.0, "valor_total": 1000.0})
    ids = [r.regla for r in validar("facturas", df, settings, HOY)]
    assert "facturacion.valor_total" in ids
    assert "facturacion.subsidio_indebido" not in ids
    assert "facturacion.contribucion_indebida" not in ids
    # With only one of the two context columns the rules are still skipped.
    df["ctx_uso"] = "comercial"
    ids = [r.regla for r in validar("facturas", df, settings, HOY)]
    assert "facturacion.subsidio_indebido" not in ids


# --- pagos --------------------------------------------------------------------

def test_valor_no_positivo(settings):
    df = lote("pagos", {"valor": 1.0}, {"valor": 0.0}, {"valor": -50.0})  # 1, 2 fail
    assert fallidas("pagos", df, settings, "recaudo.valor_no_positivo") == [1, 2]


def test_pago_futuro_segun_hoy(settings):
    df = lote("pagos", {"fecha_pago": date(2026, 11, 5)}, {"fecha_pago": date(2026, 11, 6)},
              {"fecha_pago": date(2026, 1, 2)})
    # With hoy = 5 Nov only row 1 is in the future; with hoy = 1 Nov rows 0 and 1 are.
    assert fallidas("pagos", df, settings, "recaudo.pago_futuro", hoy=date(2026, 11, 5)) == [1]
    assert fallidas("pagos", df, settings, "recaudo.pago_futuro", hoy=date(2026, 11, 1)) == [0, 1]


def test_pago_futuro_con_un_anio_que_los_nanosegundos_no_alcanzan(settings):
    # 3026 is past 2262, the last year pandas holds in nanoseconds: the batch is judged in
    # milliseconds, and the mistyped year is still the one future payment.
    df = lote("pagos", {"fecha_pago": date(2026, 10, 20)}, {"fecha_pago": date(3026, 10, 20)})
    assert str(df["fecha_pago"].dtype) == "datetime64[ms]"
    assert fallidas("pagos", df, settings, "recaudo.pago_futuro") == [1]


def test_pago_sin_identificar_y_referencia_desconocida(settings):
    df = lote("pagos", {"codigo": "A1", "numero_factura": "F1"},   # 0 ok
              {"codigo": "A1"},                                    # 1 ok: the account is known
              {},                                                  # 2 unidentified
              {"codigo": "A9", "numero_factura": "F9"},            # 3 unknown to the warehouse
              ctx_factura_conocida=[1, None, None, 0], ctx_cuenta_conocida=[1, 1, None, 0])
    assert fallidas("pagos", df, settings, "recaudo.pago_sin_identificar") == [2]
    assert fallidas("pagos", df, settings, "recaudo.referencia_desconocida") == [3]


# --- pqr ----------------------------------------------------------------------

def test_respuesta_antes_radicacion(settings):
    df = lote("pqr", {}, {"fecha_respuesta": datetime(2026, 10, 1, 9, 0)},
              {"fecha_respuesta": datetime(2026, 10, 1, 8, 59)},   # 2 fails: a minute before
              {"fecha_respuesta": datetime(2026, 10, 9, 10, 0)})
    assert fallidas("pqr", df, settings, "pqr.respuesta_antes_radicacion") == [2]


def test_notificacion_antes_respuesta(settings):
    resp = {"fecha_respuesta": datetime(2026, 10, 9, 16, 30)}
    df = lote("pqr", {**resp, "fecha_notificacion": date(2026, 10, 9)},   # 0 ok: same day
              {**resp, "fecha_notificacion": date(2026, 10, 8)},          # 1 fails
              {**resp},                                                   # 2 ok: not notified
              {"fecha_notificacion": date(2026, 10, 8)})                  # 3 ok: no answer yet
    assert fallidas("pqr", df, settings, "pqr.notificacion_antes_respuesta") == [1]


def test_recurso_sin_origen(settings):
    df = lote("pqr", {"tipo": "recurso_reposicion", "radicado_origen": "R0"},
              {"tipo": "recurso_reposicion"},              # 1 fails
              {"tipo": "recurso_reposicion_apelacion"},    # 2 fails
              {"tipo": "reclamo"})
    assert fallidas("pqr", df, settings, "pqr.recurso_sin_origen") == [1, 2]


# --- ordenes, encuestas ---------------------------------------------------------

def test_ejecucion_antes_generacion(settings):
    df = lote("ordenes", {"fecha_ejecucion": datetime(2026, 10, 1, 14, 0)},
              {"fecha_ejecucion": datetime(2026, 9, 30, 14, 0)},   # 1 fails
              {})
    assert fallidas("ordenes", df, settings, "ordenes.ejecucion_antes_generacion") == [1]


def test_ejecutada_vencida(settings):
    # BASE: generated 1 Oct 09:00, due 2 Oct 09:00.
    df = lote("ordenes", {"fecha_ejecucion": datetime(2026, 10, 2, 9, 0)},   # 0 ok: on time
              {"fecha_ejecucion": datetime(2026, 10, 2, 9, 1)},              # 1 fails
              {})                                                            # 2 ok: pending
    assert fallidas("ordenes", df, settings, "ordenes.ejecutada_vencida") == [1]


def test_valor_fuera_de_escala(settings):
    df = lote("encuestas", {"valor": 1}, {"valor": 5}, {"valor": 0}, {"valor": 6},
              {"valor": None})   # 2, 3 fail; empty = no answer
    assert fallidas("encuestas", df, settings, "nsu.valor_fuera_de_escala") == [2, 3]


def test_pregunta_configurada(settings):
    df = lote("encuestas", {"pregunta": "p11"}, {"pregunta": "p12"})   # 1 fails
    assert fallidas("encuestas", df, settings, "nsu.pregunta_configurada") == [1]


def test_posiciones_con_indice_propio(settings):
    df = lote("pagos", {"valor": 1.0}, {"valor": 0.0})
    df.index = [10, 20]
    assert fallidas("pagos", df, settings, "recaudo.valor_no_positivo") == [1]
