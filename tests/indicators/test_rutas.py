"""Routes (``planning.md``, "Routes"): ``ruta`` as a breakdown of every indicator that has
``ciclo``, and the working list ``reparto_tardio`` in route order.

Hand-written exports for P = 2026-10 and P−1 = 2026-09, loaded once per backend. Cycles 01
and 02 have one route each (0101, 0201); cycle 03 has two (0301, 0302).
"""
from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from indicators import catalogo, listas
from tests.indicators.conftest import cargar, indicadores

P = "2026-10"

CAB = ("codigo,periodo,nombre,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
       "aseo,ciclo,ruta,secuencia,estado,medidor,fecha_vinculacion,latitud,longitud\n")
SUSCRIPTORES = CAB + "".join([
    "A1,2026-10,Ana,CL 1,20001,residencial,2,S,S,S,01,0101,2,activo,M1,2026-10-03,10.47,-73.25\n",
    "A2,2026-10,Beto,CL 2,20001,residencial,3,S,S,N,01,0101,1,activo,,,10.48,-73.26\n",
    "B1,2026-10,Caro,CL 3,20011,comercial,0,S,S,S,02,0201,1,activo,M3,,,\n",
    "C1,2026-10,Dora,CL 4,20011,residencial,1,S,N,N,03,0301,1,activo,M4,,,\n",
    "C2,2026-10,Eva,CL 5,20011,residencial,1,S,S,S,03,0302,1,suspendido,M5,,,\n",
    "C3,2026-10,Fito,CL 6,20011,residencial,2,S,S,S,03,0302,2,activo,M6,,,\n",
    # active, nothing billed or read: route 0302 has 2 active accounts, 0301 one
    "C4,2026-10,Gabo,CL 7,20011,residencial,2,S,S,S,03,0302,3,activo,,,,\n",
    # P−1: A2 was not there yet; C2 was active
    "A1,2026-09,Ana,CL 1,20001,residencial,2,S,S,S,01,0101,2,activo,M1,,,\n",
    "B1,2026-09,Caro,CL 3,20011,comercial,0,S,S,S,02,0201,1,activo,M3,,,\n",
    "C1,2026-09,Dora,CL 4,20011,residencial,1,S,N,N,03,0301,1,activo,M4,,,\n",
    "C2,2026-09,Eva,CL 5,20011,residencial,1,S,S,S,03,0302,1,activo,M5,,,\n",
    "C3,2026-09,Fito,CL 6,20011,residencial,2,S,S,S,03,0302,2,activo,M6,,,\n",
])

LECTURAS = ("codigo,periodo,lectura_actual,causal_no_lectura,consumo_facturado,tipo_consumo\n"
            + "".join([
                "A1,2026-10,120,,20,medido\n",
                "A2,2026-10,,sin_medidor,10,estimado\n",
                "B1,2026-10,,predio_cerrado,30,promedio\n",
                "C1,2026-10,50,,12,medido\n",
                "C3,2026-10,,acceso_impedido,18,promedio\n",
                "X9,2026-10,40,,8,medido\n",                 # not in the cadastre of P
            ]))

# Due date 2026-10-20 for all; 5 days before is 2026-10-15.
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_entrega,fecha_vencimiento,"
            "cargo_fijo,valor_consumo,subsidio,contribucion,otros_cargos,valor_total\n"
            + "".join([
                # on time (exactly 5 days before)
                "F1,A1,2026-10,acueducto,2026-10-05,2026-10-15,2026-10-20,1000,3000,1200,0,0,2800\n",
                "F1,A1,2026-10,alcantarillado,2026-10-05,2026-10-15,2026-10-20,800,2000,800,0,0,2000\n",
                # late: 4 days before
                "F2,A2,2026-10,acueducto,2026-10-05,2026-10-16,2026-10-20,1000,2500,300,0,0,3200\n",
                # not delivered
                "F3,B1,2026-10,acueducto,2026-10-05,,2026-10-20,2000,6000,0,3000,0,11000\n",
                # late: delivered after its due date (−2 days)
                "F4,C1,2026-10,acueducto,2026-10-05,2026-10-22,2026-10-20,1000,2000,1400,0,0,1600\n",
                # on time (10 days before)
                "F5,C3,2026-10,acueducto,2026-10-05,2026-10-10,2026-10-20,1000,1000,0,0,0,2000\n",
                # late (1 day before), an account not in the cadastre of P: listed last
                "F6,X9,2026-10,acueducto,2026-10-05,2026-10-19,2026-10-20,500,500,0,0,0,1000\n",
                # not delivered, second in route 0302 (secuencia 2) after C2... C2 has none
                "F7,C3,2026-10,aseo,2026-10-06,,2026-10-21,700,0,0,0,0,700\n",
                # another period: never in the list of P
                "F0,A1,2026-09,acueducto,2026-09-05,,2026-09-20,1000,1000,0,0,0,2000\n",
            ]))

PAGOS = "id,codigo,numero_factura,fecha_pago,valor\n" + "".join([
    "p1,A1,F1,2026-10-18,4800\n",
    "p2,B1,F3,2026-10-25,5000\n",
    "p3,C3,F5,2026-10-12,2000\n",
])

ARCHIVOS = {"suscriptores.csv": SUSCRIPTORES, "lecturas.csv": LECTURAS,
            "facturas.csv": FACTURAS, "pagos.csv": PAGOS}


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, ARCHIVOS, tmp_path_factory.mktemp("rutas") / "in")
    return almacen_modulo, settings


def _con_ruta(settings):
    return [x for x in catalogo.catalogo(settings) if "ruta" in x.desgloses]


def test_ruta_is_a_breakdown_of_every_indicator_with_ciclo(cargado):
    _, settings = cargado
    for x in catalogo.catalogo(settings):
        # the calendar is programmed per cycle, not per route: its rows carry no account
        if "ciclo" in x.desgloses and x.area != "calendario":
            assert "ruta" in x.desgloses, x.id


def test_por_ruta_equals_por_ciclo_where_the_cycle_has_one_route(cargado):
    url, settings = cargado
    ids = [x.id for x in _con_ruta(settings)]
    por_ruta = indicadores(url, settings, P, "ruta", ids)
    por_ciclo = indicadores(url, settings, P, "ciclo", ids)
    comparados = 0
    for id in ids:
        for ciclo, ruta in (("01", "0101"), ("02", "0201"), ("sin catastro", "sin catastro")):
            a, b = por_ciclo.get((id, ciclo)), por_ruta.get((id, ruta))
            assert (a is None) == (b is None), (id, ciclo)
            if a is not None:
                assert (a["valor"], a["numerador"], a["denominador"]) == (
                    b["valor"], b["numerador"], b["denominador"]), (id, ciclo)
                comparados += 1
    assert comparados > 20


def test_por_ruta_by_hand(cargado):
    url, settings = cargado
    r = indicadores(url, settings, P, "ruta", ["catastro.activos", "facturacion.valor",
                                               "facturacion.lectura_efectiva",
                                               "facturacion.reparto_oportuno"])
    # activos: 0101 A1 A2; 0201 B1; 0301 C1; 0302 C3 C4 (C2 suspendido)
    assert {g: r[("catastro.activos", g)]["valor"] for g in ("0101", "0201", "0301", "0302")} == {
        "0101": 2, "0201": 1, "0301": 1, "0302": 2}
    # billed: 0101 = 2800 + 2000 + 3200; 0302 = 2000 + 700; sin catastro = 1000 (X9)
    assert r[("facturacion.valor", "0101")]["valor"] == 8000
    assert r[("facturacion.valor", "0302")]["valor"] == 2700
    assert r[("facturacion.valor", "sin catastro")]["valor"] == 1000
    # on-time delivery, per invoice: 0101 F1 on time, F2 late -> 1/2; 0201 F3 undelivered: no
    # denominator -> None; 0302 F5 on time, F7 undelivered -> 1/1
    assert r[("facturacion.reparto_oportuno", "0101")]["valor"] == 0.5
    assert r[("facturacion.reparto_oportuno", "0201")]["valor"] is None
    assert r[("facturacion.reparto_oportuno", "0302")]["valor"] == 1


def test_additive_indicators_by_route_sum_to_the_total(cargado):
    url, settings = cargado
    aditivos = [x.id for x in _con_ruta(settings) if not x.razon and x.formula is None]
    total = indicadores(url, settings, P, None, aditivos)
    por_ruta = indicadores(url, settings, P, "ruta", aditivos)
    for id in aditivos:
        if total[id]["valor"] is None:
            continue
        suma = sum(f["valor"] for (i, _), f in por_ruta.items() if i == id and f["valor"])
        assert suma == pytest.approx(total[id]["valor"]), id


def test_reparto_tardio_in_route_order(cargado):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            frame = listas.obtener(conn, "reparto_tardio", P, settings)
            filas = frame.astype(object).where(frame.notna(), None).to_dict("records")
    finally:
        engine.dispose()
    # late or undelivered: F2 (A2, 0101/1), F3 (B1, 0201/1), F4 (C1, 0301/1), F7 (C3, 0302/2),
    # F6 (X9, no route: last). F1 and F5 are on time; F0 is of another period.
    assert [(f["numero"], f["codigo"], f["ruta"], f["secuencia"]) for f in filas] == [
        ("F2", "A2", "0101", 1), ("F3", "B1", "0201", 1), ("F4", "C1", "0301", 1),
        ("F7", "C3", "0302", 2), ("F6", "X9", None, None)]
    por_numero = {f["numero"]: f for f in filas}
    assert por_numero["F2"]["dias_de_anticipacion"] == 4
    assert por_numero["F4"]["dias_de_anticipacion"] == -2
    assert por_numero["F3"]["dias_de_anticipacion"] is None
    assert por_numero["F3"]["reparto"] == "no entregada"
    assert por_numero["F2"]["reparto"] == "entregada tarde"
    assert por_numero["F2"]["direccion"] == "CL 2"
    assert por_numero["F2"]["nombre"] == "Beto"
    f3 = por_numero["F3"]
    assert f3["fecha_vencimiento"] == dt.date(2026, 10, 20) and f3["fecha_entrega"] is None


def test_unbalanced_routes_and_the_map(cargado):
    import dataclasses

    from indicators import rutas
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            t = rutas.por_ruta(conn, P, settings).set_index("ruta")
            holgado = rutas.por_ruta(conn, P, dataclasses.replace(settings, rutas_desbalance=0.4))
            puntos, total, sin = rutas.puntos(conn, P, settings)
    finally:
        engine.dispose()
    # cycle 03: 0301 has 1 active account, 0302 has 2; their mean 1,5: −1/3 and +1/3, beyond
    # the 0.25 of config.toml; cycles 01 and 02 have one route each: their own mean
    assert t.loc["0301", "media_ciclo"] == 1.5
    assert t.loc["0301", "desviacion"] == pytest.approx(-1 / 3)
    assert t.loc["0302", "desviacion"] == pytest.approx(1 / 3)
    assert list(t.index[t["desbalanceada"]]) == ["0301", "0302"]
    assert not holgado["desbalanceada"].any()
    assert t.loc["0101", "ciclo"] == "01" and t.loc["0101", "desviacion"] == 0
    # on-time delivery of 0101: F1 on time, F2 late -> 0.5, one late
    assert t.loc["0101", "facturacion.reparto_oportuno"] == 0.5
    assert t.loc["0101", "entregas_tardias"] == 1
    # 6 active accounts (A1 A2 B1 C1 C3 C4), only A1 and A2 with coordinates
    assert (total, sin) == (6, 4)
    assert sorted(map(tuple, puntos.to_numpy().tolist())) == [("0101", 10.47, -73.25),
                                                              ("0101", 10.48, -73.26)]
