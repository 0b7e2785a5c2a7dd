"""Tariff assurance (``tariffs.md``): every invoice row of P re-computed from the tariff table.

A tiny tariff table and a few invoices of P = 2026-10, loaded through the real load job on
DuckDB and PostgreSQL; every expected charge is worked out by hand in the comments. Each test
reads them computed when asked and as the load's last step keeps them on the rows, and the
kept ones follow a new tariff, a new cadastre and another rounding.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import openpyxl
import pytest
import sqlalchemy as sa

from cauce.acciones import tarifas as acc_tarifas
from indicators import catalogo, informe, listas, sui, tarifas
from indicators.definicion import Contexto
from indicators.sui import construir
from indicators.sui.formato import CARPETA
from indicators.tarifas import redondear
from tests.indicators.conftest import almacen_vacio, cargar, indicadores, registros

P = "2026-10"

# Valledupar (20001, 169 m: basic block 16 m³) and Pueblo Bello (20570, 1,100 m: 13 m³).
TARIFAS = ("municipio_dane,servicio,vigente_desde,uso,estrato,cargo_fijo,cargo_consumo,"
           "consumo_basico_m3,factor\n" + "".join([
               # the old tariff (replaced on 2026-07-01) and a future one (2026-11-01): neither
               # is in force for P
               "20001,acueducto,2026-01-01,residencial,1,9000,2800,16,-0.70\n",
               "20001,acueducto,2026-11-01,residencial,1,99999,9999,16,-0.70\n",
               # in force for P
               "20001,acueducto,2026-07-01,residencial,1,10000,3000,16,-0.70\n",
               "20001,acueducto,2026-07-01,residencial,5,10000,3000,16,0.50\n",
               "20001,acueducto,2026-07-01,comercial,0,10000,3000,16,0.50\n",
               "20001,aseo,2026-07-01,residencial,1,4000,12000,,-0.70\n",
               "20001,aseo,2026-07-01,comercial,0,4000,12000,,0.50\n",
               # in force from P's very first day
               "20570,acueducto,2026-10-01,residencial,2,8000,2500,13,-0.40\n",
               # (no alcantarillado row at all: a class without tariff)
           ]))

SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado,unidades\n" + "".join([
                    "A1,2026-10,CL 1,20001,residencial,1,S,S,S,01,0101,activo,\n",   # u empty = 1
                    "A2,2026-10,CL 2,20001,residencial,1,S,N,N,01,0101,activo,3\n",  # 3 units
                    "A3,2026-10,CL 3,20001,comercial,0,S,N,S,01,0102,activo,0\n",    # u 0 = 1
                    "A4,2026-10,CL 4,20570,residencial,2,S,N,N,02,0201,activo,1\n",
                    "A5,2026-10,CL 5,20001,residencial,5,S,N,N,01,0101,activo,1\n",
                ]))

CAB = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,consumo_m3,cargo_fijo,"
       "valor_consumo,subsidio,contribucion,valor_total\n")


def _f(numero, codigo, servicio, m3, cf, vc, sub, con):
    total = cf + vc - sub + con
    return f"{numero},{codigo},{P},{servicio},2026-10-05,2026-10-20,{m3},{cf},{vc},{sub},{con},{total}\n"


FACTURAS = CAB + "".join([
    # N1 acueducto, A1 (estrato 1, f = −0.70, u = 1), q = 20, the 2026-07-01 tariff:
    # cf = 10000; vc = 20 × 3000 = 60000; subsidy only on the fixed charge and the basic block:
    # 0.70 × (10000 + min(20, 16) × 3000) = 0.70 × 58000 = 40600. Billed so: conforme.
    _f("N1", "A1", "acueducto", "20", 10000, 60000, 40600, 0),
    # N1 aseo: cf 4000, vc 12000, subsidy 0.70 × 16000 = 11200; billed 11201: 1 peso off is
    # conforme, its diferencia −1 is under-billed.
    _f("N1", "A1", "aseo", "", 4000, 12000, 11201, 0),
    # N1 alcantarillado: no tariff row for the class: sin tarifa
    _f("N1", "A1", "alcantarillado", "20", 5000, 40000, 0, 0),
    # N2 A2, 3 units, q = 50: cf = 3 × 10000 = 30000; vc = 150000; basic block 3 × 16 = 48 m³:
    # subsidy 0.70 × (30000 + 48 × 3000) = 0.70 × 174000 = 121800; expected net 58200.
    # Billed as one unit: cf 10000, subsidy 0.70 × (10000 + 16 × 3000) = 40600; net 119400:
    # diferencia +61200 (over-billed).
    _f("N2", "A2", "acueducto", "50", 10000, 150000, 40600, 0),
    # N3 A3 comercial (u 0 counts as 1), q = 10.5: cf 10000, vc 31500, contribution on the
    # whole bill 0.50 × 41500 = 20750; billed 20752: 2 pesos off, not conforme; +2.
    _f("N3", "A3", "acueducto", "10.5", 10000, 31500, 0, 20752),
    # N7 A3 aseo: cf 4000, vc 12000, contribution 0.50 × 16000 = 8000: conforme
    _f("N7", "A3", "aseo", "", 4000, 12000, 0, 8000),
    # N4 A4, Pueblo Bello (tariff from 2026-10-01, basic 13 m³), q = 13.5: cf 8000,
    # vc 13.5 × 2500 = 33750, subsidy 0.40 × (8000 + 13 × 2500) = 16200. Billed with the
    # subsidy on every m³: 0.40 × (8000 + 33750) = 16700: diferencia −500 (under-billed).
    _f("N4", "A4", "acueducto", "13.5", 8000, 33750, 16700, 0),
    # N5 A5 estrato 5 (f = +0.50), q = 12.3455: vc = 37036.5 → 37037 (half away from zero);
    # contribution 0.50 × (10000 + 37036.5) = 23518.25 → 23518. Conforme.
    _f("N5", "A5", "acueducto", "12.3455", 10000, 37037, 0, 23518),
    # N6: an account missing from the cadastre of P: sin tarifa
    _f("N6", "X9", "acueducto", "8", 10000, 24000, 0, 0),
])


# The price index: the base of a tariff in force from D is the month before D.
INDICES = "periodo,indice\n2026-06,100\n2026-09,102\n2026-10,104\n"

# Orders, for ordenes.cargos_perdidos of P: executed before 2026-05-31 (end(P) − 5 months)
# and still not billed.
ORDENES = ("numero,codigo,tipo,fecha_generacion,fecha_vencimiento,fecha_ejecucion,estado,"
           "valor_cargo,facturado\n" + "".join([
               # lost: executed the day before the limit, not billed: 50000
               "O1,A1,reconexion,2026-05-29 08:00,2026-05-30 08:00,2026-05-30 10:00,ejecutada,50000,N\n",
               # exactly 5 months before end(P): still billable
               "O2,A1,reconexion,2026-05-30 08:00,2026-05-31 08:00,2026-05-31 08:00,ejecutada,30000,N\n",
               # billed
               "O3,A2,conexion_nueva,2026-01-05 08:00,2026-01-20 08:00,2026-01-10 09:00,cerrada,20000,S\n",
               # lost: facturado empty counts as not billed: 10000
               "O4,A3,reconexion,2026-01-30 08:00,2026-02-01 08:00,2026-02-01 09:00,ejecutada,10000,\n",
               # annulled
               "O5,A4,reconexion,2025-12-30 08:00,2026-01-01 08:00,2026-01-01 09:00,anulada,7000,N\n",
               # generated in P: the orders of P are loaded
               "O6,A5,corte,2026-10-02 08:00,2026-10-05 08:00,,pendiente,0,N\n",
           ]))


ARCHIVOS = {"tarifas.csv": TARIFAS, f"suscriptores_{P}.csv": SUSCRIPTORES,
            f"facturas_{P}.csv": FACTURAS, "indices.csv": INDICES, f"ordenes_{P}.csv": ORDENES}


@pytest.fixture(scope="module", params=[(motor, modo) for motor in ("duckdb", "postgresql")
                                        for modo in ("al_consultar", "guardados")],
                ids="-".join)
def cargado(request, tmp_path_factory):
    """The hand-made exports loaded; "guardados": then the load's last step, which keeps each
    invoice row's class and expected charges, so the tests read those instead."""
    motor, modo = request.param
    with almacen_vacio(motor, tmp_path_factory) as url:
        settings = cargar(url, ARCHIVOS, tmp_path_factory.mktemp("tarifas"))
        if modo == "guardados":
            assert _guardar(url, settings) is True
        yield url, settings


def _guardar(url, settings) -> bool:
    """The load's last step (``cauce cargar``); whether P's rows now hold what it keeps."""
    engine = sa.create_engine(url)
    try:
        catalogo.guardar_ultimos(engine, settings)
        with engine.connect() as conn:
            return tarifas.al_dia(conn, Contexto(conn, P, settings))
    finally:
        engine.dispose()


IDS = ["tarifas.exactitud", "tarifas.sin_tarifa", "tarifas.sobrefacturado",
       "tarifas.subfacturado"]


def test_the_four_figures(cargado):
    url, settings = cargado
    v = indicadores(url, settings, P, ids=IDS)
    # verifiable: N1 acueducto, N1 aseo, N2, N3, N7, N4, N5 = 7; conforme: N1 ×2, N7, N5 = 4
    assert v["tarifas.exactitud"]["numerador"] == 4
    assert v["tarifas.exactitud"]["denominador"] == 7
    assert v["tarifas.exactitud"]["valor"] == pytest.approx(4 / 7)
    assert v["tarifas.sin_tarifa"]["valor"] == 2           # N1 alcantarillado, N6
    assert v["tarifas.sobrefacturado"]["valor"] == pytest.approx(61200 + 2)
    assert v["tarifas.subfacturado"]["valor"] == pytest.approx(1 + 500)


def test_by_municipio_and_servicio(cargado):
    url, settings = cargado
    m = indicadores(url, settings, P, por="municipio", ids=["tarifas.exactitud"])
    # Pueblo Bello: N4 only, not conforme
    pueblo = m["tarifas.exactitud", "20570"]
    assert pueblo["numerador"] == 0 and pueblo["denominador"] == 1
    s = indicadores(url, settings, P, por="servicio", ids=["tarifas.exactitud"])
    # aseo: N1 (1 peso off), N7: both conforme
    assert s["tarifas.exactitud", "aseo"]["valor"] == pytest.approx(1.0)


def test_records_show_billed_against_expected_and_the_tariff_used(cargado):
    url, settings = cargado
    filas = {(r["numero"], r["servicio"]): r for r in
             registros(url, settings, "tarifas.exactitud", P)}
    n1 = filas["N1", "acueducto"]
    assert str(n1["tarifa_vigente_desde"])[:10] == "2026-07-01"
    assert Decimal(str(n1["esperado_subsidio"])) == 40600
    n2 = filas["N2", "acueducto"]
    assert int(n2["unidades"]) == 3
    assert Decimal(str(n2["esperado_cargo_fijo"])) == 30000
    assert Decimal(str(n2["esperado_subsidio"])) == 121800
    assert Decimal(str(n2["diferencia"])) == 61200
    n4 = filas["N4", "acueducto"]
    assert str(n4["tarifa_vigente_desde"])[:10] == "2026-10-01"
    assert Decimal(str(n4["esperado_subsidio"])) == 16200
    n5 = filas["N5", "acueducto"]
    assert Decimal(str(n5["esperado_valor_consumo"])) == 37037
    assert Decimal(str(n5["esperado_contribucion"])) == 23518
    # sin tarifa: not among the verifiable rows; its records leave expected empty, never a zero
    assert ("N6", "acueducto") not in filas
    sin = {(r["numero"], r["servicio"]): r for r in registros(url, settings, "tarifas.sin_tarifa", P)}
    assert set(sin) == {("N6", "acueducto"), ("N1", "alcantarillado")}
    assert all(r["esperado_cargo_fijo"] is None for r in sin.values())


def test_la_lista_diferencias_tarifa(cargado, tmp_path):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            frame = listas.obtener(conn, "diferencias_tarifa", P, settings)
    finally:
        engine.dispose()
    # the rows not conforme, largest absolute difference first: N2 +61200, N4 −500, N3 +2
    assert list(zip(frame.numero, frame.servicio)) == [("N2", "acueducto"), ("N4", "acueducto"),
                                                       ("N3", "acueducto")]
    assert [Decimal(str(d)) for d in frame.diferencia] == [61200, -500, 2]
    assert list(frame.columns[:4]) == ["codigo", "nombre", "direccion", "ruta"]
    n4 = frame.iloc[1]
    assert (Decimal(str(n4.facturado_subsidio)), Decimal(str(n4.esperado_subsidio))) == (16700, 16200)
    assert n4.municipio == "20570" and int(n4.estrato) == 2 and n4.uso == "residencial"
    # the file people get: Spanish headers, read back
    ruta = tmp_path / "diferencias.xlsx"
    listas.escribir(frame, ruta, "diferencias_tarifa", settings)
    hoja = openpyxl.load_workbook(ruta).active
    encabezados = [c.value for c in hoja[1]]
    assert "Subsidio según tarifa" in encabezados and "Diferencia (facturado − tarifa)" in encabezados
    assert hoja.title == "Diferencias con la tarifa"


def _sui(cargado, formato):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {f.clave: f.valores for f in construir.filas(conn, formato, P, settings)}
    finally:
        engine.dispose()


def test_sui_tariff_fields_from_the_tariff_in_force(cargado, tmp_path):
    _, settings = cargado
    filas = _sui(cargado, sui.leer(CARPETA / "facturacion_acueducto.toml", settings))
    campos = lambda clave: filas[clave][24:27]     # noqa: E731  fields 25, 26, 27
    # A1 estrato 1 (f −0.70, 3000 $/m³): basic 3000 × 0.30 = 900; complementary and luxury
    # 3000 (no subsidy reaches them)
    assert campos("factura N1 de la cuenta A1") == ["900", "3000", "3000"]
    # A5 estrato 5 (f +0.50): 4500 in every block
    assert campos("factura N5 de la cuenta A5") == ["4500", "4500", "4500"]
    # A4 Pueblo Bello estrato 2 (f −0.40, 2500 $/m³): 1500 and 2500
    assert campos("factura N4 de la cuenta A4") == ["1500", "2500", "2500"]
    # X9 is not in the cadastre: no class, empty (the validator names it)
    assert campos("factura N6 de la cuenta X9") == ["", "", ""]
    # the utility's own [defectos] win over the tariff table
    ruta = tmp_path / "facturacion_acueducto.toml"
    ruta.write_text('[formato]\nhereda = "facturacion_acueducto"\n[defectos]\n'
                    'cargo_basico = "1234.5"\n', encoding="utf-8")
    propias = _sui(cargado, sui.leer(ruta, settings))
    assert propias["factura N1 de la cuenta A1"][24:27] == ["1234.5", "3000", "3000"]


def test_la_tabla_publica_y_la_indexada(cargado):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            t = acc_tarifas.del_periodo(conn, settings, P)
    finally:
        engine.dispose()
    publica = {(r.municipio, r.servicio, r.uso, int(r.estrato)):
               (r.cargo_fijo_final, r.precio_basico, r.precio_complementario)
               for r in t.publica.itertuples()}

    def d(x):
        return None if x is None else Decimal(str(x))
    # the rows in force for 2026-10: fixed × (1 + f), basic m³ × (1 + f), complementary
    # m³ × (1 + max(f, 0)); aseo: its variable charge × (1 + f), no m³
    assert {k: tuple(d(x) for x in v) for k, v in publica.items()} == {
        ("20001", "acueducto", "residencial", 1): (3000, 900, 3000),      # f −0.70
        ("20001", "acueducto", "residencial", 5): (15000, 4500, 4500),    # f +0.50
        ("20001", "acueducto", "comercial", 0): (15000, 4500, 4500),
        ("20001", "aseo", "residencial", 1): (1200, 3600, None),
        ("20001", "aseo", "comercial", 0): (6000, 18000, None),
        ("20570", "acueducto", "residencial", 2): (4800, 1500, 2500),     # f −0.40
    }
    # Valledupar: 104 / 100 − 1 = 4 % ≥ 3 %: to update; Pueblo Bello 104 / 102 − 1 ≈ 1.96 %
    assert t.para_actualizar == ["20001"]
    indexada = {(r.municipio, r.servicio, r.uso, int(r.estrato)): (d(r.cargo_fijo),
                                                                   d(r.cargo_consumo))
                for r in t.indexada.itertuples()}
    assert indexada["20001", "acueducto", "residencial", 1] == (10400, 3120)
    assert indexada["20001", "aseo", "comercial", 0] == (4160, 12480)
    # 8000 × 104 / 102 = 8156.86… → 8157; 2500 × 104 / 102 = 2549.02… → 2549
    assert indexada["20570", "acueducto", "residencial", 2] == (8157, 2549)


def test_el_libro_trae_la_hoja_de_tarifas_vigentes(cargado, tmp_path):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            datos = informe.reunir(conn, P, settings)
    finally:
        engine.dispose()
    ruta = informe.escribir(datos, settings, tmp_path / "informe.xlsx")
    libro = openpyxl.load_workbook(ruta)
    assert {"Tarifas", "Tarifas vigentes", "Diferencias con la tarifa"} <= set(libro.sheetnames)
    filas = list(libro["Tarifas vigentes"].iter_rows(values_only=True))
    cab = filas[0]
    assert cab[:4] == ("Municipio", "Servicio", "Uso", "Estrato")
    # Pueblo Bello's estrato 2: 8000 × 0.60 = 4800 fixed, 1500 basic m³, 2500 complementary
    pueblo = next(f for f in filas[1:] if f[0] == "Pueblo Bello")
    assert (pueblo[cab.index("Cargo fijo")],
            pueblo[cab.index("Precio del m³ básico (aseo: cargo variable)")],
            pueblo[cab.index("Precio del m³ complementario")]) == (4800, 1500, 2500)
    assert len(filas) == 1 + 6


def test_variacion_del_indice(cargado):
    url, settings = cargado
    v = indicadores(url, settings, P, ids=["tarifas.variacion_indice"])["tarifas.variacion_indice"]
    # the latest date in force at end(P) = 2026-10-31 is 2026-10-01 (Pueblo Bello; 2026-11-01
    # is not in force yet): base 2026-09 = 102; 104 / 102 − 1
    assert v["valor"] == pytest.approx(104 / 102 - 1)
    m = indicadores(url, settings, P, por="municipio", ids=["tarifas.variacion_indice"])
    # Valledupar: from 2026-07-01, base 2026-06 = 100: 4 %, past the 3 % threshold
    assert m["tarifas.variacion_indice", "20001"]["valor"] == pytest.approx(0.04)
    assert m["tarifas.variacion_indice", "20570"]["valor"] == pytest.approx(104 / 102 - 1)
    # without the index of P: empty, not 0
    antes = indicadores(url, settings, "2026-08", ids=["tarifas.variacion_indice"])
    assert antes["tarifas.variacion_indice"]["valor"] is None


def test_cargos_perdidos(cargado):
    url, settings = cargado
    v = indicadores(url, settings, P, ids=["ordenes.cargos_perdidos"])
    assert v["ordenes.cargos_perdidos"]["valor"] == pytest.approx(50000 + 10000)
    assert {r["numero"] for r in registros(url, settings, "ordenes.cargos_perdidos", P)} == {
        "O1", "O4"}


@pytest.mark.parametrize("valor,multiplo,esperado", [
    ("2.5", 1, 3), ("-2.5", 1, -3), ("2.4999", 1, 2), ("-2.4999", 1, -2), ("0.5", 1, 1),
    ("15", 10, 20), ("-15", 10, -20), ("14.9999", 10, 10), ("-25", 50, -50), ("24", 50, 0),
    ("150", 100, 200), ("-150", 100, -200), ("149.9999", 100, 100), ("75", 50, 100),
])
def test_rounding_half_away_from_zero(almacen_modulo, valor, multiplo, esperado):
    engine = sa.create_engine(almacen_modulo)
    try:
        with engine.connect() as conn:
            got = conn.execute(sa.select(redondear(sa.literal(Decimal(valor), sa.Numeric(18, 4)),
                                                   multiplo))).scalar()
    finally:
        engine.dispose()
    assert Decimal(got) == esperado


def test_what_the_load_keeps_follows_new_tariffs_cadastre_and_rounding(almacen, tmp_path):
    settings = cargar(almacen, ARCHIVOS, tmp_path / "base")
    assert _guardar(almacen, settings) is True

    def cifras(s=settings):
        v = indicadores(almacen, s, P, ids=IDS)
        return (v["tarifas.exactitud"]["numerador"], v["tarifas.exactitud"]["denominador"],
                v["tarifas.sobrefacturado"]["valor"], v["tarifas.subfacturado"]["valor"])

    assert cifras() == (4, 7, 61202, 501)
    # The cadastre of P loaded again with A2 as one dwelling: N2, billed as one unit, is now
    # conforme (cf 10000, subsidy 0.70 × (10000 + 16 × 3000) = 40600): 5 of 7, over-billed
    # only N3's 2 pesos.
    cargar(almacen, {f"suscriptores_{P}.csv": SUSCRIPTORES.replace(
        "activo,3\n", "activo,1\n")}, tmp_path / "catastro")
    assert cifras() == (5, 7, 2, 501)
    assert _guardar(almacen, settings) is True and cifras() == (5, 7, 2, 501)
    # Pueblo Bello's price per m³ 2500 → 2600: N4 expects vc 13.5 × 2600 = 35100 and subsidy
    # 0.40 × (8000 + 13 × 2600) = 16720; billed 8000 + 33750 − 16700 = 25050 against 26380:
    # under-billed 1330 more than the 1 of N1 aseo.
    cargar(almacen, {"tarifas.csv": TARIFAS.splitlines()[0] + "\n"
                     "20570,acueducto,2026-10-01,residencial,2,8000,2600,13,-0.40\n"},
           tmp_path / "tarifa")
    assert cifras() == (5, 7, 2, 1331)
    assert _guardar(almacen, settings) is True and cifras() == (5, 7, 2, 1331)
    # To multiples of 100 pesos: N5 expects vc 37036.5 → 37000 (billed 37037) and N3 a
    # contribution of 20750 → 20800 (billed 20752): conforme N1 ×2, N2, N7.
    cien = dataclasses.replace(settings, tarifas=dataclasses.replace(settings.tarifas,
                                                                     redondeo=100))
    assert cifras(cien)[:2] == (4, 7)
