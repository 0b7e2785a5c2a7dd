"""Loading the tariff table and the price index (``data-contract.md``): refused, quarantined,
flagged and replaced like every source, on DuckDB and PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

from etl.load import load_folder
from tests.conftest import rows, write

CAB = ("municipio_dane,servicio,vigente_desde,uso,estrato,cargo_fijo,cargo_consumo,"
       "consumo_basico_m3,factor\n")


def test_a_tariff_file_without_a_required_column_is_refused_naming_it(almacen, settings_for,
                                                                       tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "tarifas_2026.csv", "municipio_dane,servicio,vigente_desde,uso,estrato,"
          "cargo_fijo,cargo_consumo\n20001,acueducto,2026-07-01,residencial,1,10000,3000\n")
    [r] = load_folder(folder, settings_for(almacen))
    assert r.estado == "rechazado"
    assert "tarifas_2026.csv" in r.mensaje and "factor" in r.mensaje
    assert rows(almacen, "SELECT count(*) FROM tarifas") == [(0,)]
    assert rows(almacen, "SELECT count(*) FROM carga") == [(0,)]


def test_unstorable_tariff_rows_are_quarantined_and_a_bad_factor_is_flagged(
        almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "tarifas_2026.csv", CAB +
          "20001,acueducto,2026-07-01,residencial,1,10000,3000,16,-0.70\n"     # row 2: good
          "20001,acueducto,2026-07-01,residencial,2,diez mil,3000,16,-0.40\n"  # 3: not a number
          "20001,acueducto,2026-07-01,granja,0,10000,3000,16,0\n"              # 4: unknown use
          "20001,gas,2026-07-01,comercial,0,10000,3000,16,0.50\n"              # 5: unknown service
          "20001,acueducto,2026-07-01,residencial,1,10000,3000,16,-0.70\n"     # 6: repeated key
          "20001,acueducto,2026-07-01,industrial,0,10000,3000,16,1.50\n")      # 7: loads, flagged
    [r] = load_folder(folder, settings_for(almacen), forzar=True)
    assert (r.leidas, r.cargadas, r.cuarentena) == (6, 2, 4)
    got = rows(almacen, "SELECT fila, columna FROM cuarentena ORDER BY fila")
    assert got == [(3, "cargo_fijo"), (4, "uso"), (5, "servicio"),
                   (6, "municipio_dane, servicio, vigente_desde, uso, estrato")]
    assert rows(almacen, "SELECT regla, fila FROM hallazgo WHERE regla = "
                         "'tarifas.factor_fuera_de_rango'") == [("tarifas.factor_fuera_de_rango", 7)]


def test_a_newer_tariff_file_replaces_the_rows_with_the_same_key(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    v2.mkdir()
    write(v1 / "tarifas_2026-01.csv", CAB +
          "20001,acueducto,2026-07-01,residencial,1,10000,3000,16,-0.70\n"
          "20001,acueducto,2026-07-01,residencial,2,10000,3000,16,-0.40\n")
    write(v2 / "tarifas_2026-02.csv", CAB +
          "20001,acueducto,2026-07-01,residencial,1,10500,3100,16,-0.70\n"      # same key
          "20001,acueducto,2027-01-01,residencial,1,11000,3200,16,-0.70\n")     # a new date
    load_folder(v1, settings)
    load_folder(v2, settings)
    got = rows(almacen, "SELECT estrato, vigente_desde, cargo_fijo FROM tarifas "
                        "ORDER BY vigente_desde, estrato")
    assert [(e, str(d), Decimal(c)) for e, d, c in got] == [
        (1, "2026-07-01", 10500), (2, "2026-07-01", 10000), (1, "2027-01-01", 11000)]


def test_the_index_replaces_its_months(almacen, settings_for, tmp_path):
    settings = settings_for(almacen)
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    v1.mkdir()
    v2.mkdir()
    write(v1 / "indices_a.csv", "periodo,indice\n2026-08,140.5\n2026-09,141\n")
    write(v2 / "indices_b.csv", "periodo,indice\n2026-09,141.2\n2026-10,141.9\n")
    load_folder(v1, settings)
    load_folder(v2, settings)
    got = rows(almacen, "SELECT periodo, indice FROM indices ORDER BY periodo")
    assert [(p, Decimal(i)) for p, i in got] == [
        ("2026-08", Decimal("140.5")), ("2026-09", Decimal("141.2")), ("2026-10", Decimal("141.9"))]


def test_an_index_with_a_gap_loads_and_is_flagged(almacen, settings_for, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    # rows 2 to 4 of the file: August, September, then November (October is missing)
    write(folder / "indices.csv", "periodo,indice\n2026-08,140.5\n2026-09,141\n2026-11,142\n")
    [r] = load_folder(folder, settings_for(almacen))
    assert (r.estado, r.cargadas) == ("cargado", 3)
    assert rows(almacen, "SELECT regla, fila FROM hallazgo WHERE regla = "
                         "'indices.mes_faltante'") == [("indices.mes_faltante", 4)]
