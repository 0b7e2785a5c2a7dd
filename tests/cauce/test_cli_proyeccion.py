"""`cauce proyeccion` as a user runs it (cli.md): the JSON, the table with the fallbacks said
in words, the [metas] block, and the exit codes."""
from __future__ import annotations

import json
import tomllib

import pytest

from indicators.definicion import periodo_mas
from tests.cauce.test_cli import cauce
from tests.conftest import write

MESES = 14


def _facturas_y_pagos() -> tuple[str, str]:
    """14 months from 2025-09: C1 billed 1.000 + 100·k in month k, and pays 900 + 90·k."""
    fac = ["numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
           "valor_consumo,subsidio,contribucion,valor_total\n"]
    pag = ["id,codigo,numero_factura,fecha_pago,valor\n"]
    for k in range(MESES):
        p = periodo_mas("2025-09", k)
        v = 1000 + 100 * k
        fac.append(f"F{k},C1,{p},acueducto,{p}-01,{p}-20,0,{v},0,0,{v}\n")
        pag.append(f"P{k},C1,F{k},{p}-10,{900 + 90 * k}\n")
    return "".join(fac), "".join(pag)


@pytest.fixture(scope="module")
def almacen(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("proy")
    facturas, pagos = _facturas_y_pagos()
    write(carpeta / "facturas.csv", facturas)
    write(carpeta / "pagos.csv", pagos)
    url = f"duckdb:///{carpeta / 'a.duckdb'}"
    out = cauce("cargar", str(carpeta), "--almacen", url, cwd=carpeta)
    assert out.returncode == 0, out.stdout + out.stderr
    return url, carpeta


def proyeccion(almacen, *args):
    url, carpeta = almacen
    return cauce("proyeccion", "--almacen", url, *args, cwd=carpeta)


def test_json(almacen):
    out = proyeccion(almacen, "--formato", "json", "--meses", "3")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["hasta"] == "2026-10"                        # the last billed month
    series = {s["id"]: s for s in r["series"]}
    assert list(series) == ["catastro.activos", "facturacion.valor", "recaudo.valor",
                            "pqr.radicadas"]
    f = series["facturacion.valor"]
    assert f["meses_de_historia"] == 14 and f["metodo"] == "tendencia"
    assert [m["periodo"] for m in f["meses"]] == ["2026-11", "2026-12", "2027-01"]
    # a straight line: its next value 1.000 + 100·14 = 2.400 (damped: not above)
    assert f["meses"][0]["valor"] == pytest.approx(2400, abs=30)
    assert [m["periodo"] for m in f["prueba"]] == [periodo_mas("2026-05", k) for k in range(6)]
    assert [m["real"] for m in f["prueba"]] == [1000 + 100 * k for k in range(8, 14)]
    assert f["mape"] < 0.05
    # no cadastre, no PQR loaded: said, not projected
    assert series["catastro.activos"]["metodo"] == "sin_proyeccion"
    assert series["catastro.activos"]["meses"] == []
    assert "sin proyección" in series["pqr.radicadas"]["explicacion"]
    # the goals: 2027, one month of it projected; collection is 90 % of billing
    m = r["metas"]
    assert m["anio"] == 2027 and m["meses"] == 1
    eficiencia = next(p for p in m["propuestas"] if p["id"] == "recaudo.eficiencia")
    assert eficiencia["propuesta"] == pytest.approx(0.9, abs=0.01)
    bloque = tomllib.loads(m["bloque"])["metas"]
    assert bloque["recaudo.eficiencia"]["2026"] == 0.95                # kept
    assert bloque["recaudo.eficiencia"]["2027"] == pytest.approx(0.9, abs=0.01)
    assert bloque["pqr.oportunidad"] == 0.98


def test_table_says_the_fallbacks_and_the_block(almacen):
    out = proyeccion(almacen)
    assert out.returncode == 0, out.stderr
    texto = " ".join(out.stdout.split())
    assert "Valor facturado" in texto and "Intervalo del 95 %" in texto
    assert "sin estacionalidad (hay menos de 24 meses de historia)" in texto
    assert "sin proyección (hay menos de 6 meses de historia)" in texto
    assert "[metas]" in out.stdout and "Traceback" not in out.stderr


def test_short_history_exits_1_and_bad_usage_2(almacen):
    out = proyeccion(almacen, "--hasta", "2025-11")        # 3 months of history
    assert out.returncode == 1
    assert "al menos 6 meses" in out.stdout
    malo = proyeccion(almacen, "--meses", "0")
    assert malo.returncode == 2 and "de 1 a 36" in malo.stderr
    assert proyeccion(almacen, "--hasta", "2026-13").returncode == 2


# --- cauce informe --anio ----------------------------------------------------------------------

def test_informe_anual(almacen, tmp_path):
    url, carpeta = almacen
    out = cauce("informe", "--anio", "2026", "--salida", str(tmp_path), "--almacen", url,
                cwd=carpeta)
    assert out.returncode == 0, out.stderr
    texto = " ".join(out.stdout.split())
    assert "Faltan 2 de los 12 meses de 2026 (noviembre de 2026, diciembre de 2026)" in texto
    assert (tmp_path / "informe_2026.xlsx").exists() and (tmp_path / "informe_2026.html").exists()
    vacio = cauce("informe", "--anio", "2019", "--salida", str(tmp_path / "v"), "--almacen", url,
                  cwd=carpeta)
    assert vacio.returncode == 1 and "ningún mes de 2019" in vacio.stdout
    assert not (tmp_path / "v").exists()
    assert cauce("informe", "--anio", "26", "--almacen", url, cwd=carpeta).returncode == 2
    ambos = cauce("informe", "--anio", "2026", "--periodo", "2026-01", "--almacen", url,
                  cwd=carpeta)
    assert ambos.returncode == 2 and "Traceback" not in ambos.stderr
