"""The data checks inside the load: the gate, ``--forzar``, what is stored, and the demo.

The gate: a cadastre or consumption rule that flags more than its tolerance
(a share of the file's rows) refuses the file, leaving the warehouse exactly as
it was; ``forzar`` loads it and the load record says so.
"""
from __future__ import annotations

import dataclasses
import json

import pytest

from cauce.cli import main
from cauce.settings import SHIPPED_CONFIG, load_settings
from data_checks.reglas import REGLAS
from etl.load import Remedio, load_folder
from tests.conftest import rows, snapshot, write

HEADER = ("codigo,periodo,direccion,municipio_dane,uso,estrato,acueducto,alcantarillado,aseo,"
          "ciclo,ruta,estado\n")


def catastro(n: int, fuera: int) -> str:
    """``n`` accounts of 2026-10; the first ``fuera`` in municipality 05001 (Medellín),
    which the shipped config does not serve."""
    return HEADER + "".join(
        f"C{i:02d},2026-10,CL {i},{'05001' if i < fuera else '20001'},residencial,2,S,S,S,01,0101,"
        f"activo\n" for i in range(n))


@pytest.fixture
def carpeta(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    return folder


def test_a_file_past_the_tolerance_is_refused_and_changes_nothing(almacen, settings_for, carpeta):
    settings = settings_for(almacen)
    write(carpeta / "suscriptores_2026-09.csv", catastro(4, 0).replace("2026-10", "2026-09"))
    load_folder(carpeta, settings)
    before = snapshot(almacen)
    (carpeta / "suscriptores_2026-09.csv").unlink()
    # 1 row of 10 outside the configured municipalities: 10 % > the default 2 %.
    write(carpeta / "suscriptores_2026-10.csv", catastro(10, 1))
    [r] = load_folder(carpeta, settings)
    assert r.estado == "rechazado"
    assert "catastro.municipio_configurado: 1 de 10 filas (10,0 %; tolerancia 2,0 %)" in r.mensaje
    assert r.remedio is Remedio.FORZAR      # the CLI words it «cauce cargar --forzar»
    assert snapshot(almacen) == before
    assert not (settings.archivo_dir.exists() and any(
        p.name.startswith(r.archivo) for p in settings.archivo_dir.iterdir()))


def test_forzar_loads_it_and_the_load_record_says_so(almacen, settings_for, carpeta):
    settings = settings_for(almacen)
    write(carpeta / "suscriptores_2026-10.csv", catastro(10, 1))
    [r] = load_folder(carpeta, settings, forzar=True)
    assert (r.estado, r.cargadas, r.cuarentena) == ("forzado", 10, 0)
    assert rows(almacen, "SELECT forzada, estado FROM carga") == [(True, "forzado")]
    assert rows(almacen, "SELECT count(*) FROM suscriptores") == [(10,)]
    got = rows(almacen, "SELECT regla, fallidas, total, tolerancia FROM resultado_regla "
                        "WHERE fallidas > 0")
    assert got == [("catastro.municipio_configurado", 1, 10, 0.02)]
    # The flagged row: C00 is the file's first data row, row 2 (the header is row 1).
    assert rows(almacen, "SELECT regla, fila, clave FROM hallazgo") == [
        ("catastro.municipio_configurado", 2, "C00 | 2026-10")]


def test_within_the_tolerance_the_file_loads_with_its_findings(almacen, settings_for, carpeta):
    # 1 of 10 rows is 10 %: within a tolerance of 20 % set for this rule only.
    settings = settings_for(almacen, tolerancias={"catastro.municipio_configurado": 0.2})
    write(carpeta / "suscriptores_2026-10.csv", catastro(10, 1))
    [r] = load_folder(carpeta, settings)
    assert r.estado == "cargado"
    assert rows(almacen, "SELECT forzada, estado FROM carga") == [(False, "cargado")]
    [b] = [b for b in r.calidad if b.fallidas]
    assert (b.regla, b.fallidas, b.total, b.tolerancia) == (
        "catastro.municipio_configurado", 1, 10, 0.2)


def test_rules_that_do_not_gate_never_refuse(almacen, settings_for, carpeta):
    # Two of three payments without a positive value: 67 % flagged, but payments are
    # real money and their rules only report.
    write(carpeta / "pagos.csv", "id,fecha_pago,valor\nP1,2026-10-01,100\nP2,2026-10-02,0\n"
                                 "P3,2026-10-03,-5\n")
    [r] = load_folder(carpeta, settings_for(almacen))
    assert (r.estado, r.cargadas) == ("cargado", 3)
    assert rows(almacen, "SELECT clave FROM hallazgo WHERE regla = 'recaudo.valor_no_positivo' "
                         "ORDER BY clave") == [("P2",), ("P3",)]


def test_the_command_exits_1_and_prints_the_report(tmp_path, carpeta, capsys):
    config = tmp_path / "config.toml"
    config.write_text(SHIPPED_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    write(carpeta / "suscriptores_2026-10.csv", catastro(10, 1))
    assert main(["cargar", str(carpeta), "--config", str(config)]) == 1
    out = capsys.readouterr().out
    assert "rechazado" in out and "catastro.municipio_configurado" in out
    assert main(["cargar", str(carpeta), "--config", str(config), "--forzar"]) == 0
    out = capsys.readouterr().out
    assert "forzado" in out and "Hallazgos de calidad" in out


# --- the demo: every planted defect is found where the contract puts it ---------------

# Each planted kind and where it must show: a rule's findings, or the quarantine.
DONDE = {
    "codigo_duplicado": "cuarentena",            # a key repeated in the file
    "residencial_sin_estrato": "cuarentena",     # estrato is required for residential use
    "lectura_regresiva": "consumo.lectura_regresiva",
    "consumo_cero_recurrente": "consumo.repetido",
    "pago_sin_identificar": "recaudo.pago_sin_identificar",
    "orden_vencida": "ordenes.ejecutada_vencida",
    "contribucion_estrato_4": "facturacion.contribucion_indebida",
}
# Not data errors but findings of the indicators: the crítica's working list
# (tests/indicators/test_critica.py) and PQR timeliness (the indicator catalogue).
FUERA_DE_LAS_REGLAS = {"desviacion_significativa", "pqr_respuesta_tardia",
                       # found by the tariff assurance (indicators.tarifas), not by a rule
                       "tarifa_anterior", "subsidio_todo_consumo", "bloque_basico_errado",
                       "multiusuario_como_uno", "clase_sin_tarifa"}


def _settings(base):
    """The shipped settings on a DuckDB file under ``base``."""
    return dataclasses.replace(
        load_settings(SHIPPED_CONFIG, almacen=f"duckdb:///{base / 'almacen.duckdb'}"),
        archivo_dir=base / "archivo", calidad_dir=base / "calidad")


@pytest.fixture(scope="module")
def cargada(demo, tmp_path_factory):
    """The demo with defects, loaded as the README's first command does (no --forzar)."""
    settings = _settings(tmp_path_factory.mktemp("cargada"))
    return demo[0], settings.almacen_url, load_folder(demo[0], settings)


def _key(clave: dict) -> str:
    return " | ".join(clave.values())


def test_the_demo_loads_without_forcing(cargada):
    _, _, results = cargada
    assert {r.estado for r in results} == {"cargado"}


def test_every_planted_defect_is_found_by_its_rule(cargada):
    folder, url, _ = cargada
    planted = json.loads((folder / "defectos.json").read_text(encoding="utf-8"))
    assert {d["tipo"] for d in planted} == set(DONDE) | FUERA_DE_LAS_REGLAS
    found = set(rows(url, "SELECT fuente, regla, clave FROM hallazgo"))
    quarantined = set(rows(url, "SELECT fuente, clave FROM cuarentena"))
    for d in planted:
        where = DONDE.get(d["tipo"])
        if where == "cuarentena":
            assert (d["fuente"], _key(d["clave"])) in quarantined, d
        elif where:
            assert (d["fuente"], where, _key(d["clave"])) in found, d


def test_the_demo_rules_flag_nothing_but_the_planted_rows(cargada):
    """Precision: each finding of a rule tied to a planted kind is a planted row."""
    folder, url, _ = cargada
    planted = json.loads((folder / "defectos.json").read_text(encoding="utf-8"))
    for kind, regla in DONDE.items():
        if regla == "cuarentena":
            continue
        expected = {_key(d["clave"]) for d in planted if d["tipo"] == kind}
        got = {k for (k,) in rows(url, f"SELECT clave FROM hallazgo WHERE regla = '{regla}'")}
        assert got == expected, (regla, sorted(got - expected)[:5], sorted(expected - got)[:5])


def test_a_clean_demo_flags_nothing(limpio, tmp_path):
    settings = _settings(tmp_path)
    results = load_folder(limpio[0], settings)
    assert {r.estado for r in results} == {"cargado"}
    url = settings.almacen_url
    assert rows(url, "SELECT regla, sum(fallidas) FROM resultado_regla GROUP BY regla "
                     "HAVING sum(fallidas) > 0") == []
    assert rows(url, "SELECT count(*) FROM hallazgo") == [(0,)]
    assert rows(url, "SELECT count(*) FROM cuarentena") == [(0,)]
    # Every rule but the contract's own was judged (none skipped for lack of context).
    judged = {r for (r,) in rows(url, "SELECT DISTINCT regla FROM resultado_regla")}
    assert judged == {r.id for r in REGLAS if not r.estructural}
