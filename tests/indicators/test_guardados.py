"""The 13 months of indicators a load keeps (``indicators.guardados``): ``cauce cargar``
computes them last, the catalogue answers from them only while they are current (the last
load, the same settings), and a refused file leaves them as they were."""
from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl import warehouse as w
from etl.load import load_folder
from indicators import catalogo
from tests.cauce.test_cli import cauce
from tests.conftest import rows, snapshot, write

# C1 in Valledupar (20001), C2 in Aguachica (20011), in the cadastres of September and October.
SUSCRIPTORES = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,"
                "aseo,ciclo,ruta,estado\n" + "".join(
                    f"{c},{p},CL {c},{m},residencial,2,S,S,S,01,0101,activo\n"
                    for p in ("2026-09", "2026-10") for c, m in (("C1", "20001"), ("C2", "20011"))))
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n"
            "F1,C1,2026-10,acueducto,2026-10-01,2026-10-20,10000,50000,0,0,60000\n"
            "F1,C1,2026-10,alcantarillado,2026-10-01,2026-10-20,10000,30000,0,0,40000\n"
            "F2,C2,2026-10,acueducto,2026-10-01,2026-10-20,10000,40000,0,0,50000\n"
            "F0,C1,2026-09,acueducto,2026-09-01,2026-09-20,10000,70000,0,0,80000\n")
PAGOS = ("id,codigo,numero_factura,fecha_pago,valor\n"
         "P1,C1,F1,2026-10-15,50000\n"
         "P2,,,2026-10-03,10000\n"        # no account: in no municipality
         "P4,C2,F2,2026-10-18,25000\n"
         "P0,C1,F0,2026-09-10,40000\n")
# October's collection efficiency: (50.000 + 10.000 + 25.000) / (100.000 + 50.000);
# Valledupar 50.000 / 100.000, Aguachica 25.000 / 50.000; September 40.000 / 80.000.
OCTUBRE, VALLEDUPAR, AGUACHICA, SEPTIEMBRE = 85000 / 150000, 0.5, 0.5, 0.5
# A later payment to F1 in October, loaded after the first load.
# November's billing, due in December: its payments are loaded later.
FACTURAS_NOVIEMBRE = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,"
                      "cargo_fijo,valor_consumo,subsidio,contribucion,valor_total\n"
                      "F11,C1,2026-11,acueducto,2026-11-25,2026-12-10,10000,50000,0,0,60000\n"
                      "F12,C2,2026-11,aseo,2026-11-25,2026-12-10,10000,20000,0,0,30000\n")
PAGOS_NUEVOS = "id,codigo,numero_factura,fecha_pago,valor\nP3,C1,F1,2026-10-28,30000\n"
T = w.resultado_indicador


def ajustes(url: str, **cambios):
    return dataclasses.replace(load_settings(SHIPPED_CONFIG, almacen=url), **cambios)


def valor(url: str, settings, id: str, periodo: str, **kw) -> float | None:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            frame = catalogo.calcular(conn, periodo, settings, ids=[id], **kw)
    finally:
        engine.dispose()
    return frame.loc[0, "valor"]


@pytest.fixture
def cargado(almacen, tmp_path):
    """A warehouse loaded with ``cauce cargar``: billing of 2026-09 and 2026-10, payments."""
    carpeta = tmp_path / "exportes"
    carpeta.mkdir()
    write(carpeta / "suscriptores.csv", SUSCRIPTORES)
    write(carpeta / "facturas.csv", FACTURAS)
    write(carpeta / "pagos.csv", PAGOS)
    out = cauce("cargar", str(carpeta), "--almacen", almacen, "--forzar", cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    return almacen


def test_cargar_keeps_the_13_months_ending_at_the_latest_period(cargado):
    # the latest period with billing is 2026-10: 2025-10 … 2026-10, every indicator of each
    guardado = rows(cargado, sa.select(T.c.periodo, T.c.id, T.c.valor).where(T.c.por.is_(None)))
    ids = [x.id for x in catalogo.catalogo(ajustes(cargado))]
    assert sorted({p for p, _, _ in guardado}) == [f"2025-{m}" for m in ("10", "11", "12")] + [
        f"2026-{m:02d}" for m in range(1, 11)]
    assert len(guardado) == 13 * len(ids)
    kept = {(p, id): v for p, id, v in guardado}
    assert kept["2026-10", "recaudo.eficiencia"] == pytest.approx(OCTUBRE)
    assert kept["2026-09", "recaudo.eficiencia"] == pytest.approx(SEPTIEMBRE)
    # a period without billing or payments has no value, kept as such
    assert kept["2026-08", "recaudo.eficiencia"] is None
    # and by municipality: a payment without an account is in none ("sin catastro")
    grupos = dict(rows(cargado, sa.select(T.c.grupo, T.c.valor).where(
        T.c.periodo == "2026-10", T.c.id == "recaudo.eficiencia", T.c.por == "municipio")))
    assert grupos == {"20001": pytest.approx(VALLEDUPAR), "20011": pytest.approx(AGUACHICA),
                      "sin catastro": None}
    # the same numbers the catalogue computes, row for row: whole, broken down, filtered
    engine = sa.create_engine(cargado)
    try:
        with engine.connect() as conn:
            for pedido in ({}, {"por": "municipio"}, {"por": "servicio"},
                           {"filtro": {"municipio": "20011"}},
                           {"filtro": {"servicio": "alcantarillado"}}):
                computado = catalogo.tendencia(conn, "2026-10", ajustes(cargado), **pedido,
                                               guardados=False)
                leido = catalogo.tendencia(conn, "2026-10", ajustes(cargado), **pedido)
                assert leido.equals(computado), pedido
    finally:
        engine.dispose()
    # of the latest month, also by estrato and by uso (the pages' bars); of the others, not
    por_mes = rows(cargado, sa.select(T.c.periodo, T.c.por).distinct().where(
        T.c.por.in_(["estrato", "uso"])))
    assert sorted(por_mes) == [("2026-10", "estrato"), ("2026-10", "uso")]
    _alterar(cargado, "2026-10", "recaudo.eficiencia", 0.456, "estrato", "2")
    engine = sa.create_engine(cargado)
    try:
        with engine.connect() as conn:     # read from what is kept: the altered value shows
            frame = catalogo.calcular(conn, "2026-10", ajustes(cargado), por="estrato",
                                      ids=["recaudo.eficiencia"])
        assert dict(zip(frame.grupo.astype(str), frame.valor))["2"] == 0.456
    finally:
        engine.dispose()
    # the load's number is the last one
    ultima = rows(cargado, sa.select(sa.func.max(w.carga.c.id)))[0][0]
    assert {c for (c,) in rows(cargado, sa.select(T.c.carga_id).distinct())} == {ultima}


def test_the_catalogue_answers_from_what_is_kept(cargado):
    # a kept value altered by hand is what the catalogue (and so the dashboard) shows …
    _alterar(cargado, "2026-10", "recaudo.eficiencia", 0.123)
    _alterar(cargado, "2026-10", "recaudo.eficiencia", 0.321, "municipio", "20011")
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10") == 0.123
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10",
                 filtro={"municipio": "20011"}) == 0.321
    # … but not when asked to compute, nor for two filters at once
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10",
                 guardados=False) == pytest.approx(OCTUBRE)
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10",
                 filtro={"municipio": "20011"}, guardados=False) == pytest.approx(AGUACHICA)
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10",
                 filtro={"municipio": "20011", "servicio": "acueducto"}) == pytest.approx(0.5)
    # a municipality with no rows is not kept: computed (nothing billed: no value)
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10",
                 filtro={"municipio": "20621"}) is None


def test_other_settings_make_what_is_kept_stale(cargado):
    _alterar(cargado, "2026-10", "recaudo.eficiencia", 0.123)
    # another threshold of the pre-billing review: kept results are not these settings'
    otros = ajustes(cargado, critica=dataclasses.replace(ajustes(cargado).critica,
                                                          promedio_limite_m3=50.0))
    assert valor(cargado, otros, "recaudo.eficiencia", "2026-10") == pytest.approx(OCTUBRE)
    # a goal is not part of a value: changing it keeps them
    metas = ajustes(cargado, metas={"recaudo.eficiencia": 0.5})
    assert valor(cargado, metas, "recaudo.eficiencia", "2026-10") == 0.123


def test_a_later_load_is_never_answered_with_older_results(cargado, tmp_path):
    _alterar(cargado, "2026-10", "recaudo.eficiencia", 0.123)
    nuevos = tmp_path / "nuevos"
    nuevos.mkdir()
    write(nuevos / "pagos_2.csv", PAGOS_NUEVOS)
    # a load that does not keep them (the load job alone): computed again
    load_folder(nuevos, ajustes(cargado), forzar=True)
    # October: (85.000 + 30.000) / 150.000
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10") == pytest.approx(
        115000 / 150000)
    # `cauce cargar` of files already loaded keeps them for the new last load
    out = cauce("cargar", str(nuevos), "--almacen", cargado, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    kept = dict(rows(cargado, sa.select(T.c.id, T.c.valor).where(T.c.periodo == "2026-10",
                                                                  T.c.por.is_(None))))
    assert kept["recaudo.eficiencia"] == pytest.approx(115000 / 150000)


def test_a_load_recomputes_only_the_months_it_can_change(cargado, tmp_path):
    # Marks by hand on months no later file touches: a month recomputed loses its mark.
    _alterar(cargado, "2026-01", "recaudo.valor", 1.0)
    _alterar(cargado, "2026-06", "recaudo.valor", 6.0)
    _alterar(cargado, "2026-10", "recaudo.valor", 10.0)
    nuevos = tmp_path / "nuevos"
    nuevos.mkdir()
    write(nuevos / "pagos_2.csv", PAGOS_NUEVOS)
    out = cauce("cargar", str(nuevos), "--almacen", cargado, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    # October's payments change October (50.000 + 10.000 + 25.000 + 30.000) and may change
    # the two months before it; January and June are carried over, now under the new load.
    assert _guardado(cargado, "2026-10", "recaudo.valor") == 115000
    assert _guardado(cargado, "2026-01", "recaudo.valor") == 1.0
    assert _guardado(cargado, "2026-06", "recaudo.valor") == 6.0
    ultima = rows(cargado, sa.select(sa.func.max(w.carga.c.id)))[0][0]
    assert {c for (c,) in rows(cargado, sa.select(T.c.carga_id).distinct())} == {ultima}
    # Loading the same folder again recomputes nothing.
    _alterar(cargado, "2026-10", "recaudo.valor", 10.0)
    out = cauce("cargar", str(nuevos), "--almacen", cargado, cwd=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert _guardado(cargado, "2026-10", "recaudo.valor") == 10.0
    # A payment whose date is corrected from January to October changes January too: the
    # month it left (a keyed source replaces the row whatever its month).
    write(nuevos / "pagos_3.csv", "id,codigo,numero_factura,fecha_pago,valor\n"
                                  "P9,C1,,2026-01-10,7000\n")
    corregido = tmp_path / "corregido"
    corregido.mkdir()
    write(corregido / "pagos_4.csv", "id,codigo,numero_factura,fecha_pago,valor\n"
                                     "P9,C1,,2026-10-10,7000\n")
    assert cauce("cargar", str(nuevos), "--almacen", cargado, cwd=tmp_path).returncode == 0
    assert _guardado(cargado, "2026-01", "recaudo.valor") == 7000
    _alterar(cargado, "2025-10", "recaudo.valor", 3.0)
    assert cauce("cargar", str(corregido), "--almacen", cargado, cwd=tmp_path).returncode == 0
    assert _guardado(cargado, "2026-01", "recaudo.valor") is None      # no payment left
    assert _guardado(cargado, "2026-10", "recaudo.valor") == 115000 + 7000
    # from two months before January on, all recomputed; the first of the 13 carried over
    assert _guardado(cargado, "2025-10", "recaudo.valor") == 3.0


def test_what_is_kept_after_many_loads_is_what_the_catalogue_computes(cargado, tmp_path):
    """Every later file shape: a new month's billing and cadastre, payments of months before,
    a survey round, a cut-off of the receivables; after each load, what is kept equals the
    catalogue computed from the facts, for the whole utility and each kept breakdown."""
    cargas = {
        "noviembre": {"suscriptores_11.csv": SUSCRIPTORES.replace("2026-10", "2026-11"),
                      "facturas_11.csv": FACTURAS_NOVIEMBRE,
                      "pagos_11.csv": "id,codigo,numero_factura,fecha_pago,valor\n"
                                      "P19,C1,F11,2026-11-28,20000\n"
                                      # late: the cut-off passes November's due date
                                      "P18,C1,F11,2026-12-15,5000\n"},
        # December's payment of a November invoice before its due date, reported late:
        # November's timely collection, no longer provisional, changes with a file of
        # December alone
        "pagos": {"pagos_tarde.csv": "id,codigo,numero_factura,fecha_pago,valor\n"
                                     "P20,C2,F12,2026-12-05,30000\n"},
        "encuesta": {"encuestas_s2.csv": "ronda,encuesta,municipio_dane,pregunta,valor\n"
                                         "2026-S2,E1,20001,p01,5\n"
                                         "2026-S2,E2,20011,p01,2\n"},
    }
    for nombre, archivos in cargas.items():
        carpeta = tmp_path / nombre
        carpeta.mkdir()
        for archivo, texto in archivos.items():
            write(carpeta / archivo, texto)
        out = cauce("cargar", str(carpeta), "--almacen", cargado, "--forzar", cwd=tmp_path)
        assert out.returncode == 0, out.stdout + out.stderr
        engine = sa.create_engine(cargado)
        try:
            with engine.connect() as conn:
                fin = catalogo.ultimo_periodo(conn)
                for por in (None, "municipio", "servicio"):
                    computado = catalogo.tendencia(conn, fin, ajustes(cargado), por=por,
                                                   guardados=False)
                    leido = catalogo.tendencia(conn, fin, ajustes(cargado), por=por)
                    assert w.resultado_indicador is T
                    assert leido.equals(computado), (nombre, por)
                for por in ("estrato", "uso"):      # the latest month's bars
                    computado = catalogo.calcular(conn, fin, ajustes(cargado), por=por,
                                                  guardados=False)
                    leido = catalogo.calcular(conn, fin, ajustes(cargado), por=por)
                    assert leido.equals(computado), (nombre, por)
                # and it was read from what is kept: all 13 months are there
                assert len({p for (p,) in conn.execute(sa.select(T.c.periodo).distinct())}) == 13
        finally:
            engine.dispose()


def _guardado(url: str, periodo: str, id: str):
    (v,), = rows(url, sa.select(T.c.valor).where(T.c.periodo == periodo, T.c.id == id,
                                                 T.c.por.is_(None)))
    return v


def test_a_refused_file_leaves_them_as_they_were(almacen, tmp_path):
    # loaded by the load job alone: nothing kept yet
    buenos, malos = tmp_path / "buenos", tmp_path / "malos"
    buenos.mkdir()
    malos.mkdir()
    write(buenos / "facturas.csv", FACTURAS)
    load_folder(buenos, ajustes(almacen), forzar=True)
    antes = snapshot(almacen)
    # a billing file without the invoice number column: refused
    write(malos / "facturas_2.csv", FACTURAS.replace("numero,", "", 1))
    out = cauce("cargar", str(malos), "--almacen", almacen, cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert snapshot(almacen) == antes


def test_a_warehouse_of_an_older_cauce_is_computed(cargado):
    engine = sa.create_engine(cargado)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {T.name}"))
    finally:
        engine.dispose()
    w._al_dia.clear()                   # this process saw the table before
    assert valor(cargado, ajustes(cargado), "recaudo.eficiencia", "2026-10") == pytest.approx(
        OCTUBRE)


def _alterar(url: str, periodo: str, id: str, nuevo: float, por: str | None = None,
             grupo: str | None = None) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            n = conn.execute(T.update().where(T.c.periodo == periodo, T.c.id == id,
                                              T.c.por.is_(por) if por is None else T.c.por == por,
                                              T.c.grupo.is_(grupo) if grupo is None
                                              else T.c.grupo == grupo)
                             .values(valor=nuevo)).rowcount
        assert n == 1
    finally:
        engine.dispose()
