"""The projection (``planning.md``, "Goals for next year"): intervals nested around the value,
the backtest on months the fit did not see, a hand-made seasonal series recovered, the
fallbacks for short histories, the goals it implies; and the history read from a warehouse
(DuckDB and PostgreSQL) through the catalogue."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from indicators import proyeccion as pr
from indicators.definicion import periodo_mas
from tests.indicators.conftest import cargar

# A known seasonal shape (sums to 0), a level of 1.000 growing 2 a month, and small noise.
FORMA = np.array([10, 5, 0, -5, -10, -5, 0, 5, 10, 15, 0, -20.0])


def serie(n: int, desde: str = "2024-01", ruido: float = 1.0, semilla: int = 1) -> pd.Series:
    rng = np.random.default_rng(semilla)
    t = np.arange(n)
    valores = 1000 + 2 * t + np.tile(FORMA, n // 12 + 1)[:n] + rng.normal(0, ruido, n)
    return pd.Series(valores, index=[periodo_mas(desde, k) for k in range(n)])


def verdad(n: int, meses: int) -> np.ndarray:
    """The noiseless values of the ``meses`` months after the first ``n``."""
    t = np.arange(n, n + meses)
    return 1000 + 2 * t + np.tile(FORMA, (n + meses) // 12 + 1)[n:n + meses]


def test_a_known_seasonal_series_is_recovered():
    p = pr.proyectar_serie(serie(36), 12)
    assert p.metodo in (pr.ESTACIONAL_ADITIVO, pr.ESTACIONAL_MULTIPLICATIVO)
    assert list(p.meses["periodo"]) == [f"2027-{m:02d}" for m in range(1, 13)]
    # every projected month within 4 of the true one (the seasonal swing is 35): the shape is found
    assert np.max(np.abs(p.meses["valor"].to_numpy() - verdad(36, 12))) < 4
    # the projected peak and trough are the true ones: October's, and May's (the trend lifts
    # December's −20 above May's −10 seven months earlier)
    valores = p.meses["valor"].to_numpy()
    assert int(np.argmax(valores)) == int(np.argmax(verdad(36, 12))) == 9
    assert int(np.argmin(valores)) == int(np.argmin(verdad(36, 12))) == 4


def test_intervals_are_nested_around_the_value():
    p = pr.proyectar_serie(serie(30, ruido=5), 12)
    m = p.meses
    assert (m["inferior_95"] <= m["inferior_80"]).all()
    assert (m["inferior_80"] <= m["valor"]).all() and (m["valor"] <= m["superior_80"]).all()
    assert (m["superior_80"] <= m["superior_95"]).all()
    assert (m["superior_95"] - m["inferior_95"] > 0).all()
    # further ahead, less certain
    ancho = (m["superior_95"] - m["inferior_95"]).to_numpy()
    assert ancho[-1] >= ancho[0]


def test_backtest_is_on_the_last_six_months_the_fit_did_not_see():
    s = serie(30, ruido=2)
    p = pr.proyectar_serie(s, 12)
    assert list(p.prueba["periodo"]) == list(s.index[-6:])
    assert list(p.prueba["real"]) == list(s.iloc[-6:])
    # the same method fitted on the first 24 months alone projects the same 6 months
    solo = pr.proyectar_serie(s.iloc[:-6], 6)
    assert np.allclose(solo.meses["valor"], p.prueba["proyectado"])
    # the MAPE by hand from the backtest's months
    a, f = p.prueba["real"].to_numpy(), p.prueba["proyectado"].to_numpy()
    assert p.mape == pytest.approx(np.mean(np.abs(f - a) / a))
    assert 0 < p.mape < 0.02
    # changing a month the backtest's fit saw not: the last 6 do not move its projection
    otra = s.copy()
    otra.iloc[-1] = otra.iloc[-1] * 3
    assert np.allclose(pr.proyectar_serie(otra, 12).prueba["proyectado"], p.prueba["proyectado"])


def test_short_histories_fall_back_and_say_so():
    corta = pr.proyectar_serie(serie(18), 12, nombre="Valor facturado")
    assert corta.metodo == pr.TENDENCIA and len(corta.meses) == 12
    assert corta.mape is not None               # fitted on 12, tested on 6
    assert "sin estacionalidad" in corta.explicacion and "24 meses" in corta.explicacion
    minima = pr.proyectar_serie(serie(5), 12, nombre="Valor facturado")
    assert minima.metodo == pr.SIN_PROYECCION and minima.meses.empty and minima.mape is None
    assert "sin proyección" in minima.explicacion and "6 meses" in minima.explicacion
    seis = pr.proyectar_serie(serie(7), 12)
    assert seis.metodo == pr.TENDENCIA and seis.mape is None     # 1 month left: no backtest
    assert "Sin prueba" in seis.explicacion


def _proyeccion(id, valores, desde="2027-01"):
    meses = pd.DataFrame({"periodo": [periodo_mas(desde, k) for k in range(len(valores))],
                          "valor": valores})
    return pr.Proyeccion(id, id, "", pd.Series(dtype=float), pr.TENDENCIA, meses, None,
                         pd.DataFrame())


def test_goals_implied_for_next_year(tmp_path):
    from cauce.settings import SHIPPED_CONFIG, load_settings
    settings = dataclasses.replace(load_settings(SHIPPED_CONFIG),
                                   metas={"recaudo.eficiencia": {"2026": 0.95},
                                          "pqr.oportunidad": 0.98})
    # billing 100 a month, collection 90 a month in 2027; 2026-12 is not of 2027
    ps = [_proyeccion("facturacion.valor", [1000.0] + [100.0] * 12, "2026-12"),
          _proyeccion("recaudo.valor", [0.0] + [90.0] * 12, "2026-12"),
          _proyeccion("catastro.activos", [5.0] * 13, "2026-12"),
          _proyeccion("pqr.radicadas", [1.0] * 13, "2026-12")]
    m = pr.metas(ps, settings, 2027)
    assert m.meses == 12
    filas = m.filas.set_index("id")
    assert filas.loc["recaudo.eficiencia", "propuesta"] == pytest.approx(0.9)
    assert filas.loc["recaudo.eficiencia", "actual"] == 0.95       # the latest goal it has
    assert pd.isna(filas.loc["pqr.oportunidad", "propuesta"])
    assert m.bloque == ('[metas]\n"recaudo.eficiencia" = { 2026 = 0.95, 2027 = 0.9 }\n'
                        '"pqr.oportunidad" = 0.98\n')
    import tomllib
    assert tomllib.loads(m.bloque)["metas"]["recaudo.eficiencia"] == {"2026": 0.95, "2027": 0.9}


# --- From a warehouse --------------------------------------------------------------------------

def _archivos(n: int) -> dict[str, str]:
    """n months from 2025-01: account A always active, B active from the 4th month; A billed
    100 + 10·k, paid 90 + 10·k the month after billing is issued (in month k itself)."""
    cab = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,aseo,"
           "ciclo,ruta,estado\n")
    sus, fac, pag = [cab], [("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,"
                             "cargo_fijo,valor_consumo,subsidio,contribucion,valor_total\n")], [
        "id,codigo,numero_factura,fecha_pago,valor\n"]
    for k in range(n):
        p = periodo_mas("2025-01", k)
        sus.append(f"A,{p},CL 1,20001,residencial,2,S,S,S,01,0101,activo\n")
        if k >= 3:
            sus.append(f"B,{p},CL 2,20001,residencial,2,S,S,S,01,0101,activo\n")
        v = 100 + 10 * k
        fac.append(f"F{k},A,{p},acueducto,{p}-05,{p}-20,0,{v},0,0,{v}\n")
        pag.append(f"P{k},A,F{k},{p}-15,{v - 10}\n")
    return {"suscriptores.csv": "".join(sus), "facturas.csv": "".join(fac),
            "pagos.csv": "".join(pag)}


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    settings = cargar(almacen_modulo, _archivos(10), tmp_path_factory.mktemp("proy") / "in")
    return almacen_modulo, settings


def test_history_from_the_catalogue(cargado):
    url, settings = cargado
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            ps = {p.id: p for p in pr.proyectar(conn, settings, meses=3)}
            antes = {p.id: p for p in pr.proyectar(conn, settings, hasta="2025-04", meses=3)}
    finally:
        engine.dispose()
    f = ps["facturacion.valor"]
    assert list(f.historia.index) == [periodo_mas("2025-01", k) for k in range(10)]
    assert list(f.historia) == [100 + 10 * k for k in range(10)]
    assert f.metodo == pr.TENDENCIA and list(f.meses["periodo"]) == ["2025-11", "2025-12",
                                                                    "2026-01"]
    # a straight line is projected on it: 200, 210, 220 (damped: at most that)
    assert f.meses["valor"].iloc[0] == pytest.approx(200, abs=3)
    assert list(ps["catastro.activos"].historia) == [1, 1, 1] + [2] * 7
    # no PQR loaded: no history, no projection, said
    assert ps["pqr.radicadas"].metodo == pr.SIN_PROYECCION
    # up to 2025-04 only 4 months: no projection either
    assert antes["facturacion.valor"].metodo == pr.SIN_PROYECCION
    assert len(antes["facturacion.valor"].historia) == 4
