"""The catalogue on the demo utility: both warehouses agree, breakdowns add up, the lists
match the indicators that count them, and every id of indicators.md is computed.

One demo (pequena, 24 periods to 2026-10) is loaded into DuckDB and into PostgreSQL once
for this module, without the data checks (they are not under test here).
"""
from __future__ import annotations

import dataclasses
import math

import pytest
import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.demo import generate
from etl.load import load_folder
from indicators import catalogo, listas
from tests.conftest import pg_schema

P = "2026-08"
POR = ("municipio", "ciclo", "estrato", "uso", "servicio")
SPEC_IDS = {  # every id of ../shared/spec/indicators.md and documents.md (NSU dimensions: config)
    "calendario.cumplimiento", "cartera.dias_rotacion", "cartera.edad_181_360",
    "cartera.edad_1_30", "cartera.edad_31_60", "cartera.edad_61_90", "cartera.edad_91_180",
    "cartera.edad_mas_360", "cartera.edad_no_vencida", "cartera.total",
    "cartera.usuarios_morosos", "cartera.vencida", "catastro.activos",
    "catastro.cobertura_micromedicion", "catastro.crecimiento_neto", "catastro.inactivos",
    "catastro.medidores_vida_util_vencida", "catastro.nuevos", "catastro.suscriptores",
    "correspondencia.oportunidad", "critica.consumo_cero_recurrente", "critica.desviaciones",
    "critica.desviaciones_sin_visita", "critica.lectura_regresiva",
    "facturacion.balance_solidario", "facturacion.consumo_no_medido",
    "facturacion.consumo_promedio", "facturacion.contribuciones",
    "facturacion.lectura_efectiva", "facturacion.m3", "facturacion.reparto_oportuno",
    "facturacion.subsidios", "facturacion.usuarios", "facturacion.valor", "nsu.encuestas",
    "nsu.indice", "nsu.margen_error", "nsu.muestra_requerida", "ordenes.cargos_sin_facturar",
    "ordenes.cumplimiento", "ordenes.reinstalacion_24h", "ordenes.vencidas_pendientes",
    "pqr.a_favor_usuario", "pqr.dias_habiles_promedio", "pqr.en_riesgo", "pqr.fuera_de_termino",
    "pqr.oportunidad", "pqr.radicadas", "pqr.reclamos_por_1000", "pqr.traslados_sspd",
    "pqr.vencidas_sin_respuesta", "recaudo.eficiencia", "recaudo.eficiencia_oportuna",
    "recaudo.por_identificar", "recaudo.valor",
    # documents.md, the notices' control
    "cobro.avisos_emitidos", "cobro.avisos_cerrados", "cobro.avisos_vencidos",
    # tariff assurance: indicators.md defers to tariffs.md
    "tarifas.exactitud", "tarifas.sin_tarifa", "tarifas.sobrefacturado", "tarifas.subfacturado",
    "tarifas.variacion_indice", "ordenes.cargos_perdidos",
}
# Distinct counts: an account (or invoice) with two services is one in the total, but one in
# each service's group.
DISTINTOS = {"facturacion.usuarios", "facturacion.reparto_oportuno", "cartera.usuarios_morosos"}
# Each municipality's own base month (the month before its latest tariff, tariffs.md): the
# parts are not shares of the utility's.
NO_ADITIVOS = {"tarifas.variacion_indice"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, load_settings(SHIPPED_CONFIG), "pequena", 5, "2026-10", True)
    return folder


@pytest.fixture(scope="module")
def almacenes(demo, tmp_path_factory):
    """The demo loaded into a DuckDB file and a PostgreSQL schema: {backend: (url, settings)}."""
    out = {}
    with pg_schema() as pg:
        for nombre, url in (("duckdb", f"duckdb:///{tmp_path_factory.mktemp('d') / 'a.duckdb'}"),
                            ("postgresql", pg)):
            base = load_settings(SHIPPED_CONFIG, almacen=url)
            settings = dataclasses.replace(base, archivo_dir=demo.parent / f"archivo-{nombre}",
                                           calidad_dir=demo.parent / f"calidad-{nombre}")
            load_folder(demo, settings, revisar=False)
            out[nombre] = (url, settings)
        yield out


def calcular(url, settings, por=None, periodo=P):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return catalogo.calcular(conn, periodo, settings, por).to_dict("records")
    finally:
        engine.dispose()


def igual(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@pytest.mark.parametrize("por", (None,) + POR)
def test_duckdb_and_postgresql_give_the_same_numbers(almacenes, por):
    duck = calcular(*almacenes["duckdb"], por)
    pg = calcular(*almacenes["postgresql"], por)
    assert len(duck) == len(pg)
    diferentes = [(a["id"], a["grupo"], k, a[k], b[k]) for a, b in zip(duck, pg)
                  for k in a if not igual(a[k], b[k])]
    assert diferentes == []


def test_every_id_of_the_spec_is_given(almacenes):
    """Every id of indicators.md, each NSU dimension of the config, and nothing else."""
    url, settings = almacenes["duckdb"]
    dimensiones = {q["dimension"] for q in settings.nsu_preguntas.values()}
    esperados = SPEC_IDS | {f"nsu.dimension.{d}" for d in dimensiones}
    dados = [f["id"] for f in calcular(url, settings)]
    assert len(dados) == len(set(dados))
    assert set(dados) == esperados
    assert len(SPEC_IDS) == 64 and len(esperados) == 69


@pytest.mark.parametrize("por", POR)
def test_groups_add_up_to_the_total(almacenes, por):
    url, settings = almacenes["duckdb"]
    total = {f["id"]: f for f in calcular(url, settings)}
    grupos: dict[str, list[dict]] = {}
    for f in calcular(url, settings, por):
        grupos.setdefault(f["id"], []).append(f)
    formulas = {x.id for x in catalogo.catalogo(settings) if x.formula is not None}
    revisados = 0
    for id, filas in grupos.items():
        if id in formulas or id in NO_ADITIVOS or total[id]["valor"] is None:
            continue
        for parte in ("numerador", "denominador"):
            if total[id][parte] is None:
                continue
            suma = sum(f[parte] for f in filas)
            if id in DISTINTOS and por == "servicio":
                assert suma >= total[id][parte], (id, parte)
            else:
                assert suma == pytest.approx(total[id][parte], rel=1e-9, abs=1e-6), (id, parte)
        revisados += 1
    assert revisados >= 40


def test_the_lists_match_the_indicators_that_count_them(almacenes):
    url, settings = almacenes["duckdb"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for periodo in ("2026-06", P, "2026-10"):
                frame = catalogo.calcular(conn, periodo, settings)
                v = dict(zip(frame["id"], frame["valor"]))
                n = {t: listas.obtener(conn, t, periodo, settings) for t in listas.LISTAS}
                assert len(n["desviaciones"]) == v["critica.desviaciones"]
                assert (~n["desviaciones"]["visita"]).sum() == v["critica.desviaciones_sin_visita"]
                assert len(n["pqr_en_riesgo"]) == v["pqr.en_riesgo"]
                assert len(n["ordenes_vencidas"]) == v["ordenes.vencidas_pendientes"]
                cobro = [n[t] for t in ("persuasivo", "prejuridico", "juridico")]
                assert sum(len(x) for x in cobro) == v["cartera.usuarios_morosos"]
                assert float(sum(x["saldo_vencido"].sum() for x in cobro)) == pytest.approx(
                    v["cartera.vencida"])
                assert v["critica.desviaciones"] > 0 and v["cartera.usuarios_morosos"] > 0
                # the invoices delivered late: those reparto_oportuno judges and does not count
                r = frame.set_index("id").loc["facturacion.reparto_oportuno"]
                tarde = n["reparto_tardio"][n["reparto_tardio"]["reparto"] == "entregada tarde"]
                assert len(tarde) == r["denominador"] - r["numerador"]
    finally:
        engine.dispose()


def test_records_behind_a_count_are_as_many_as_the_count(almacenes):
    url, settings = almacenes["postgresql"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            v = {f["id"]: f for f in catalogo.calcular(conn, P, settings).to_dict("records")}
            for id in ("catastro.activos", "critica.desviaciones", "pqr.radicadas",
                       "pqr.fuera_de_termino", "cartera.usuarios_morosos"):
                filas = catalogo.detalle(conn, id, P, settings)
                assert len(filas) == v[id]["valor"] == catalogo.contar_detalle(conn, id, P,
                                                                               settings), id
            # A ratio's records are its denominator's rows; the numerator is their sum.
            filas = catalogo.detalle(conn, "pqr.oportunidad", P, settings)
            assert len(filas) == v["pqr.oportunidad"]["denominador"]
            assert filas["numerador"].sum() == v["pqr.oportunidad"]["numerador"]
            assert {"radicado", "fecha_radicacion", "vencimiento", "fecha_respuesta"} <= set(
                filas.columns)
            # Paged: the second page of five starts where the first ended.
            uno = catalogo.detalle(conn, "catastro.activos", P, settings, limite=5)
            dos = catalogo.detalle(conn, "catastro.activos", P, settings, limite=5,
                                   desplazamiento=5)
            assert len(uno) == len(dos) == 5
            assert uno["codigo"].max() < dos["codigo"].min()
    finally:
        engine.dispose()


def test_a_period_without_data_is_empty_not_zero(almacenes):
    url, settings = almacenes["duckdb"]
    filas = calcular(url, settings, periodo="2030-01")
    assert {f["valor"] for f in filas} == {None}
    assert {f["cumple"] for f in filas} == {None}


def test_a_trend_is_the_period_values_of_the_last_13_months(almacenes):
    url, settings = almacenes["duckdb"]
    ids = ["recaudo.eficiencia", "catastro.activos"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            serie = catalogo.tendencia(conn, "2026-10", settings, ids)
            # 2025-10 .. 2026-10: the same month of last year is the first
            assert list(serie["periodo"].unique()) == [f"2025-{m}" for m in ("10", "11", "12")] + [
                f"2026-{m:02d}" for m in range(1, 11)]
            assert len(serie) == 26
            for periodo in ("2025-10", "2026-04", "2026-10"):
                uno = catalogo.calcular(conn, periodo, settings, ids=ids)
                assert list(serie[serie["periodo"] == periodo]["valor"]) == list(uno["valor"])
            assert serie["valor"].notna().all()
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ("duckdb", "postgresql"))
@pytest.mark.parametrize("dimension, grupo", (("municipio", "20011"), ("servicio", "aseo")))
def test_a_filter_gives_the_value_of_its_group(almacenes, backend, dimension, grupo):
    """The dashboard's filter: each indicator with that breakdown takes the value of its group
    in the breakdown; the others stay the whole utility's."""
    url, settings = almacenes[backend]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            filtrado = catalogo.calcular(conn, P, settings, filtro={dimension: grupo})
            por_grupo = catalogo.calcular(conn, P, settings, por=dimension)
            total = catalogo.calcular(conn, P, settings)
    finally:
        engine.dispose()
    del_grupo = {f["id"]: f for f in por_grupo.to_dict("records") if f["grupo"] == grupo}
    todos = {f["id"]: f for f in total.to_dict("records")}
    comparados = 0
    for f in filtrado.to_dict("records"):
        x = catalogo.buscar(settings, f["id"])
        if dimension not in x.desgloses:
            esperado = todos[f["id"]]
        elif f["id"] in del_grupo:
            esperado = del_grupo[f["id"]]
            comparados += 1
        else:       # no row of the group: nothing to sum
            assert f["valor"] in (None, 0.0), f["id"]
            continue
        for k in ("valor", "numerador", "denominador"):
            a, b = f[k], esperado[k]
            assert (a is None and b is None) or a == pytest.approx(b, rel=1e-9), (f["id"], k)
    assert comparados >= 10


def test_two_filters_keep_the_rows_of_both(almacenes):
    """Billed value of Aguachica's sewerage: the invoice rows of P for service alcantarillado
    whose account is in municipality 20011 in the snapshot of P, summed here from the tables."""
    url, settings = almacenes["duckdb"]
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            esperado = conn.exec_driver_sql(
                "SELECT sum(f.valor_total) FROM facturas f JOIN suscriptores s "
                "ON s.codigo = f.codigo AND s.periodo = f.periodo "
                "WHERE f.periodo = ? AND f.servicio = 'alcantarillado' "
                "AND s.municipio_dane = '20011'", (P,)).scalar()
            filtrado = catalogo.calcular(conn, P, settings, ids=["facturacion.valor"],
                                         filtro={"municipio": "20011",
                                                 "servicio": "alcantarillado"})
            registros = catalogo.contar_detalle(conn, "facturacion.valor", P, settings,
                                                filtro={"municipio": "20011",
                                                        "servicio": "alcantarillado"})
            filas = conn.exec_driver_sql(
                "SELECT count(*) FROM facturas f JOIN suscriptores s "
                "ON s.codigo = f.codigo AND s.periodo = f.periodo "
                "WHERE f.periodo = ? AND f.servicio = 'alcantarillado' "
                "AND s.municipio_dane = '20011' AND f.valor_total <> 0", (P,)).scalar()
    finally:
        engine.dispose()
    assert esperado > 0
    assert filtrado["valor"].iloc[0] == pytest.approx(float(esperado), rel=1e-12)
    assert registros == filas
