"""A payment's invoice, linked when either side is loaded (``etl.enlaces``): whatever order
the files come in, ``recaudo.por_identificar`` counts exactly the payments whose invoice is
not in the warehouse, and a warehouse of an earlier Cauce is completed when opened."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from etl import migracion
from etl import warehouse as w
from etl.load import load_folder
from indicators import catalogo
from tests.conftest import rows, write

P = "2026-10"
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor\n"
         "G1,C1,F9,2026-10-05,30000\n"       # to F9, an invoice of September
         "G2,C2,F1,2026-10-10,50000\n"       # to F1, an invoice of October
         "G3,C3,,2026-10-12,7000\n")         # no invoice: never identified
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n")
SEPTIEMBRE = FACTURAS + "F9,C1,2026-09,acueducto,2026-09-05,2026-09-20,0,0,0,0,30000\n"
OCTUBRE = FACTURAS + "F1,C2,2026-10,acueducto,2026-10-05,2026-10-20,0,0,0,0,50000\n"
# September again, F9 replaced by F8 (a corrected export).
SEPTIEMBRE_OTRA = FACTURAS + "F8,C1,2026-09,acueducto,2026-09-05,2026-09-20,0,0,0,0,1000\n"


def cargar(url: str, settings, carpeta, **archivos) -> None:
    carpeta.mkdir()
    for nombre, texto in archivos.items():
        write(carpeta / f"{nombre}.csv", texto)
    assert all(r.estado != "rechazado" for r in load_folder(carpeta, settings, forzar=True))


def por_identificar(url: str, settings) -> float:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            [fila] = catalogo.calcular(conn, P, settings, ids=["recaudo.por_identificar"],
                                       guardados=False).itertuples()
    finally:
        engine.dispose()
    return fila.valor


def enlaces(url: str) -> dict[str, str | None]:
    return dict(rows(url, "SELECT id, periodo_factura FROM pagos"))


def test_payments_are_linked_whichever_side_comes_first(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    cargar(almacen, settings, tmp_path / "1", pagos=PAGOS)
    # no invoice loaded yet: 30.000 + 50.000 + 7.000
    assert por_identificar(almacen, settings) == pytest.approx(87000)
    assert enlaces(almacen) == {"G1": None, "G2": None, "G3": None}

    cargar(almacen, settings, tmp_path / "2", facturas_2026_09=SEPTIEMBRE, facturas_2026_10=OCTUBRE)
    # the invoices arrive after their payments: only G3, without invoice, is left
    assert por_identificar(almacen, settings) == pytest.approx(7000)
    assert enlaces(almacen) == {"G1": "2026-09", "G2": "2026-10", "G3": None}

    cargar(almacen, settings, tmp_path / "3", facturas_2026_09=SEPTIEMBRE_OTRA)
    # September loaded again without F9: G1 names an invoice the warehouse no longer holds,
    # 30.000 + 7.000
    assert por_identificar(almacen, settings) == pytest.approx(37000)
    assert enlaces(almacen) == {"G1": None, "G2": "2026-10", "G3": None}

    cargar(almacen, settings, tmp_path / "4",
           pagos_2=PAGOS.splitlines()[0] + "\nG4,C1,F8,2026-10-20,1000\n")
    # a payment to an invoice already loaded is linked by its own load: still 37.000
    assert por_identificar(almacen, settings) == pytest.approx(37000)
    assert enlaces(almacen)["G4"] == "2026-09"


def test_a_warehouse_of_an_earlier_cauce_is_read_then_completed(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    cargar(almacen, settings, tmp_path / "1", pagos=PAGOS, facturas=SEPTIEMBRE)
    engine = sa.create_engine(almacen)
    try:
        with engine.begin() as conn:        # as an earlier Cauce left it
            conn.exec_driver_sql("ALTER TABLE pagos DROP COLUMN periodo_factura")
            conn.exec_driver_sql(f"DROP TABLE {w.resultado_indicador.name}")
        w._al_dia.clear()                   # this process saw the current schema before
        # read as it is (the dashboard opens it only to read): G2 to F1, unknown, and G3,
        # without invoice: 50.000 + 7.000
        assert por_identificar(almacen, settings) == pytest.approx(57000)
        migracion.ensure_schema(engine)             # any command that opens it to write
    finally:
        engine.dispose()
    assert enlaces(almacen) == {"G1": "2026-09", "G2": None, "G3": None}
    assert por_identificar(almacen, settings) == pytest.approx(57000)


def test_a_number_left_in_another_period_keeps_its_payment_identified(almacen, settings_for,
                                                                       tmp_path):
    settings = settings_for(almacen)
    agosto = FACTURAS + "F9,C1,2026-08,aseo,2026-08-05,2026-08-20,0,0,0,0,9000\n"
    cargar(almacen, settings, tmp_path / "1", pagos=PAGOS, facturas_2026_08=agosto,
           facturas_2026_09=SEPTIEMBRE)
    # F9 is in August (aseo) and in September (acueducto): the latest period
    assert enlaces(almacen)["G1"] == "2026-09"
    cargar(almacen, settings, tmp_path / "2", facturas_2026_09=SEPTIEMBRE_OTRA)
    # September without F9: G1 still names an invoice the warehouse holds, August's
    assert enlaces(almacen)["G1"] == "2026-08"
    # G2 (F1, October not loaded) 50.000 + G3 (no invoice) 7.000
    assert por_identificar(almacen, settings) == pytest.approx(57000)
