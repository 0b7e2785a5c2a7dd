"""The demo generator (``cauce demo``): contract layout, determinism and planted defects.

Expectations are computed here independently of the generator: business days with
``holidays.CO`` and a plain loop, deviations from the lecturas files themselves,
tariff rules from the settings.
"""
from __future__ import annotations

import csv
import json
import re
from datetime import date

import holidays
import numpy as np
import pandas as pd
import pytest

from cauce import CauceError
from etl.contract import SOURCES
from etl.demo import ESCALAS, generate, ultimo_mes_completo
from tests.etl.conftest import (HASTA, KINDS, MENSUALES, PERIODOS, TARIFA_ERRADA, _periodos, deadline,
                                hashes, load, read)

# --------------------------------------------------------------------------- API and files

def test_same_seed_and_period_give_identical_bytes(tmp_path, settings):
    generate(tmp_path / "a", settings, "pequena", 5, HASTA, True)
    generate(tmp_path / "b", settings, "pequena", 5, HASTA, True)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert len(a) == 223 and a == b      # with tarifas and indices, written once


def test_another_seed_gives_other_data(tmp_path, settings):
    generate(tmp_path / "a", settings, "pequena", 5, HASTA, True)
    generate(tmp_path / "b", settings, "pequena", 6, HASTA, True)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert a.keys() == b.keys()
    differ = [k for k in a if a[k] != b[k]]
    assert len(differ) > 0.9 * len(a)


def test_rerun_replaces_previous_files_only(tmp_path, settings):
    (tmp_path / "pagos_1999-01.csv").write_text("viejo")
    (tmp_path / "defectos.json").write_text("[]")
    (tmp_path / "notas.txt").write_text("mías")
    info = generate(tmp_path, settings, "pequena", 1, "2025-03", False)
    assert not (tmp_path / "pagos_1999-01.csv").exists()
    assert (tmp_path / "notas.txt").read_text() == "mías"
    assert json.loads((tmp_path / "defectos.json").read_text()) == [] and info["defectos"] == 0
    assert len(list(tmp_path.glob("*.csv"))) == info["archivos"]


def test_24_periods_ending_at_hasta(demo):
    folder, info = demo
    names = {p.name for p in folder.glob("*.csv")}
    for fuente in MENSUALES:
        assert {n for n in names if n.startswith(fuente + "_")} == {f"{fuente}_{p}.csv" for p in PERIODOS}
    # survey rounds in June and December inside 2024-11 .. 2026-10
    assert {n for n in names if n.startswith("encuestas_")} == {
        "encuestas_2024-S2.csv", "encuestas_2025-S1.csv", "encuestas_2025-S2.csv", "encuestas_2026-S1.csv"}
    assert {n for n in names if n.startswith(("tarifas_", "indices_"))} == {
        f"tarifas_{PERIODOS[-1]}.csv", f"indices_{PERIODOS[-1]}.csv"}
    assert info["archivos"] == len(names) == 9 * 24 + 4 + 2
    assert set(info["filas"]) == set(SOURCES)
    for fuente, filas in info["filas"].items():
        counted = sum(len(read(p)) for p in folder.glob(f"{fuente}_*.csv"))
        assert counted == filas > 0, fuente
    snap = read(folder / f"suscriptores_{HASTA}.csv")
    assert set(snap.periodo) == {HASTA}
    assert set(read(folder / f"cartera_{HASTA}.csv").fecha_corte) == {"2026-10-31"}


def test_progress_is_reported_per_period(tmp_path, settings):
    calls = []
    generate(tmp_path, settings, "pequena", 1, "2025-02", False, lambda p, i, n: calls.append((p, i, n)))
    assert calls == [(p, i + 1, 24) for i, p in enumerate(_periodos("2025-02"))]


def test_bad_arguments_are_usage_errors(tmp_path, settings):
    with pytest.raises(CauceError) as e:
        generate(tmp_path, settings, "enorme", 1, HASTA)
    assert e.value.codigo == 2 and "pequena" in e.value.mensaje
    for bad in ("2026-13", "202610", "oct-2026", "2026-1"):
        with pytest.raises(CauceError) as e:
            generate(tmp_path, settings, "pequena", 1, bad)
        assert e.value.codigo == 2 and "AAAA-MM" in e.value.mensaje
    assert ESCALAS == {"pequena": 5_000, "mediana": 200_000, "grande": 2_000_000}


def test_last_complete_month():
    assert ultimo_mes_completo(date(2026, 11, 29)) == "2026-10"
    assert ultimo_mes_completo(date(2026, 1, 1)) == "2025-12"
    assert re.fullmatch(r"\d{4}-\d{2}", ultimo_mes_completo())


_PATTERNS = {"date": r"\d{4}-\d{2}-\d{2}", "datetime": r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}",
             "dec": r"-?\d+(\.\d+)?", "int": r"-?\d+", "bool": r"[SN]", "period": r"\d{4}-\d{2}"}


def test_files_follow_the_contract(demo):
    folder, _ = demo
    for fuente, source in SOURCES.items():
        files = sorted(folder.glob(f"{fuente}_*.csv"))
        raw = files[-1].read_bytes()
        assert raw.decode("utf-8").splitlines()[0] == ",".join(source.names)
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8").splitlines()))
        assert all(len(r) == len(source.names) for r in rows), fuente
        df = load(folder, fuente)
        for col in source.columns:
            values = df[col.name]
            filled = values[values != ""]
            if col.required and col.required_if is None:
                assert (values != "").all(), (fuente, col.name)
            if col.codes:
                assert set(filled) <= set(col.codes), (fuente, col.name, set(filled) - set(col.codes))
            if col.type in _PATTERNS:
                assert filled.str.fullmatch(_PATTERNS[col.type]).all(), (fuente, col.name)
            if col.length:
                assert filled.str.len().eq(col.length).all(), (fuente, col.name)
        if "codigo" in df:
            codes = df.codigo[df.codigo != ""]
            assert codes.str.fullmatch(r"\d{8}").all() and codes.str.startswith("0").all()
    # free text with commas and quotes survives (quoted fields)
    pqr = load(folder, "pqr")
    assert pqr.descripcion.str.contains(",").any() and pqr.descripcion.str.contains('"').any()


# --------------------------------------------------------------------------- planted defects

def test_every_listed_defect_is_in_its_file(demo, settings):
    folder, info = demo
    listed = json.loads((folder / "defectos.json").read_text(encoding="utf-8"))
    assert len(listed) == info["defectos"] > 0
    assert {d["tipo"] for d in listed} == KINDS
    key = [(d["fuente"], d["archivo"], d["tipo"], json.dumps(d["clave"], sort_keys=True)) for d in listed]
    assert key == sorted(key)
    cache: dict[str, pd.DataFrame] = {}

    def file(name):
        if name not in cache:
            cache[name] = read(folder / name)
        return cache[name]

    fer = holidays.CO(years=range(2024, 2028))
    for d in listed:
        df = file(d["archivo"])
        assert d["archivo"].startswith(d["fuente"] + "_")
        assert set(d["clave"]) == set(SOURCES[d["fuente"]].key)
        match = np.logical_and.reduce([df[k] == v for k, v in d["clave"].items()])
        rows = df[match]
        assert len(rows) >= 1, d
        r = rows.iloc[0]
        tipo = d["tipo"]
        if tipo == "codigo_duplicado":
            assert len(rows) == 2
        elif tipo == "residencial_sin_estrato":
            assert r.uso == "residencial" and r.estrato == ""
        elif tipo == "lectura_regresiva":
            assert r.tipo_consumo == "medido" and float(r.lectura_actual) < float(r.lectura_anterior)
        elif tipo == "desviacion_significativa":
            assert r.tipo_consumo == "medido"
            i = PERIODOS.index(r.periodo)
            history = [file(f"lecturas_{p}.csv") for p in PERIODOS[max(0, i - 6):i]]
            past = [float(h.consumo_facturado[h.codigo == r.codigo].iloc[0]) for h in history
                    if (h.codigo == r.codigo).any()]
            assert past, d
            a, c = sum(past) / len(past), float(r.consumo_facturado)
            assert abs(c - a) > (0.35 if a >= 40 else 0.65) * a, (d, c, a)
        elif tipo == "consumo_cero_recurrente":
            assert r.periodo == PERIODOS[-1]
            for p in PERIODOS[-3:]:
                lec, sus = file(f"lecturas_{p}.csv"), file(f"suscriptores_{p}.csv")
                assert float(lec.consumo_facturado[lec.codigo == r.codigo].iloc[0]) == 0
                acct = sus[sus.codigo == r.codigo].iloc[0]
                assert acct.estado == "activo" and acct.medidor != ""
        elif tipo == "pago_sin_identificar":
            assert r.codigo == "" and r.numero_factura == "" and float(r.valor) > 0
        elif tipo == "pqr_respuesta_tardia":
            filed = date.fromisoformat(r.fecha_radicacion[:10])
            limit = deadline(filed, settings.pqr_plazos[r.tipo], fer)
            assert r.fecha_respuesta and date.fromisoformat(r.fecha_respuesta[:10]) > limit
        elif tipo == "orden_vencida":
            assert r.fecha_ejecucion and r.fecha_ejecucion > r.fecha_vencimiento
        elif tipo in TARIFA_ERRADA:
            assert r.servicio == "acueducto" and float(r.cargo_fijo) > 0
        elif tipo == "clase_sin_tarifa":
            sus = file(f"suscriptores_{r.periodo}.csv")
            assert (sus.uso[sus.codigo == r.codigo] == "especial").all()
        else:
            raise AssertionError(tipo)
