"""The demo generator (``cauce demo``): contract layout, determinism, planted defects, clean data.

Expectations are computed here independently of the generator: business days with
``holidays.CO`` and a plain loop, deviations from the lecturas files themselves,
tariff rules from the settings.
"""
from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

from cauce import CauceError
from cauce.settings import SHIPPED_CONFIG, load_settings
from etl.contract import SOURCES
from etl.demo import ESCALAS, generate, ultimo_mes_completo

HASTA = "2026-10"
FIN = date(2026, 10, 31)
MENSUALES = ("suscriptores", "lecturas", "facturas", "pagos", "cartera", "pqr", "ordenes",
             "calendario", "correspondencia")
KINDS = {"codigo_duplicado", "residencial_sin_estrato", "lectura_regresiva",
         "desviacion_significativa", "consumo_cero_recurrente", "pago_sin_identificar",
         "pqr_respuesta_tardia", "orden_vencida"}


def _periodos(hasta: str, n: int = 24) -> list[str]:
    y, m = map(int, hasta.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


PERIODOS = _periodos(HASTA)


@pytest.fixture(scope="module")
def settings():
    return load_settings(SHIPPED_CONFIG)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("demo")
    return folder, generate(folder, settings, "pequena", 3, HASTA, True)


@pytest.fixture(scope="module")
def limpio(tmp_path_factory, settings):
    folder = tmp_path_factory.mktemp("limpio")
    return folder, generate(folder, settings, "pequena", 3, HASTA, False)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def load(folder: Path, fuente: str) -> pd.DataFrame:
    frames = [read(p).assign(_archivo=p.name) for p in sorted(folder.glob(f"{fuente}_*.csv"))]
    return pd.concat(frames, ignore_index=True)


def cents(s: pd.Series) -> np.ndarray:
    return np.round(s.astype(float).to_numpy() * 100).astype(np.int64)


def hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def deadline(filed: date, n: int, fer) -> date:
    """The n-th business day after ``filed`` (Monday–Friday, not a Colombian holiday)."""
    d, k = filed, 0
    while k < n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in fer:
            k += 1
    return d


# --------------------------------------------------------------------------- API and files

def test_same_seed_and_period_give_identical_bytes(tmp_path, settings):
    generate(tmp_path / "a", settings, "pequena", 5, HASTA, True)
    generate(tmp_path / "b", settings, "pequena", 5, HASTA, True)
    a, b = hashes(tmp_path / "a"), hashes(tmp_path / "b")
    assert len(a) == 221 and a == b


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
    assert info["archivos"] == len(names) == 9 * 24 + 4
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
        else:
            raise AssertionError(tipo)


# --------------------------------------------------------------------------- clean data

def test_clean_run_plants_nothing(limpio):
    folder, info = limpio
    assert json.loads((folder / "defectos.json").read_text()) == [] and info["defectos"] == 0
    for fuente, source in SOURCES.items():
        for p in folder.glob(f"{fuente}_*.csv"):
            assert not read(p).duplicated(list(source.key)).any(), p.name


def test_clean_cadastre(limpio):
    folder, _ = limpio
    sus = load(folder, "suscriptores")
    res = sus.uso == "residencial"
    assert sus.estrato[res].isin(list("123456")).all()
    assert (sus.estrato[~res] == "0").all()
    for p, q in zip(PERIODOS, PERIODOS[1:]):
        before, after = sus[sus.periodo == p], sus[sus.periodo == q]
        gone = before[~before.codigo.isin(after.codigo)]
        assert (gone.estado == "inactivo").all(), p
    assert sus.medidor[sus.medidor != ""].groupby(sus.periodo).apply(lambda m: m.is_unique).all()
    metered = sus[sus.medidor != ""]                    # brand, install year, serial
    assert metered.medidor.str.fullmatch(r"[A-Z]{3}\d{9}").all()
    assert (metered.medidor.str[3:5] == metered.medidor_instalacion.str[2:4]).all()
    assert (sus.medidor_instalacion[sus.medidor == ""] == "").all()


def test_clean_readings(limpio, settings):
    folder, _ = limpio
    sus = load(folder, "suscriptores")
    lec = load(folder, "lecturas").merge(sus[["codigo", "periodo", "uso", "estrato", "estado", "medidor"]],
                                         on=["codigo", "periodo"], how="left", indicator=True)
    assert (lec._merge == "both").all()                          # every reading has its account
    c = cents(lec.consumo_facturado)
    assert (c >= 0).all()
    med = (lec.tipo_consumo == "medido").to_numpy()
    diff = cents(lec.lectura_actual[med]) - cents(lec.lectura_anterior[med])
    assert (diff == c[med]).all()
    read_rows = lec.lectura_actual != ""
    regressive = read_rows & (lec.lectura_actual.replace("", "0").astype(float)
                              < lec.lectura_anterior.replace("", "0").astype(float))
    assert (lec.tipo_consumo[regressive] == "cambio_medidor").all()
    guessed = lec.tipo_consumo.isin(["promedio", "estimado"])
    assert (lec.causal_no_lectura[guessed] != "").all()
    # estimado = mean of the measured rows of the same uso and estrato, that period
    lec["c"] = c / 100
    mean = lec[med].groupby(["periodo", "uso", "estrato"]).c.mean().rename("m")
    est = lec[lec.tipo_consumo == "estimado"].join(mean, on=["periodo", "uso", "estrato"])
    assert est.m.notna().all() and (abs(est.c - est.m) <= 0.005 + 1e-9).all()
    # no consumption repeated four periods in a row, no stopped meter on an active account
    wide = lec.pivot(index="codigo", columns="periodo", values="c").reindex(columns=PERIODOS)
    v = wide.to_numpy()
    same = (v[:, 3:] == v[:, 2:-1]) & (v[:, 2:-1] == v[:, 1:-2]) & (v[:, 1:-2] == v[:, :-3])
    assert not (same & (v[:, 3:] > 0)).any()
    zero = lec.assign(z=(lec.c == 0) & (lec.estado == "activo") & (lec.medidor != ""))
    z = zero.pivot(index="codigo", columns="periodo", values="z").reindex(columns=PERIODOS)
    z = z.fillna(False).astype(bool).to_numpy()
    assert not (z[:, 2:] & z[:, 1:-1] & z[:, :-2]).any()


def test_clean_deviations_are_rare(limpio):
    """Without planted ones, significant deviations are occasional findings, not a flood."""
    folder, _ = limpio
    lec = load(folder, "lecturas")
    share = lec.groupby("periodo").critica.apply(lambda s: s.isin(["desviacion", "visita"]).mean())
    assert share.iloc[1:].max() < 0.01 and share.iloc[0] < 0.02


def test_clean_payments_and_receivables(limpio):
    folder, _ = limpio
    fac = load(folder, "facturas")
    pag = load(folder, "pagos")
    assert (pag.valor.astype(int) > 0).all()
    assert (pag.fecha_pago <= FIN.isoformat()).all() and (pag.fecha_aplicacion >= pag.fecha_pago).all()
    owner = fac.drop_duplicates("numero").set_index("numero")
    assert pag.numero_factura.isin(owner.index).all()
    assert (owner.codigo[pag.numero_factura].to_numpy() == pag.codigo.to_numpy()).all()
    assert (pag.fecha_pago.to_numpy() > owner.fecha_expedicion[pag.numero_factura].to_numpy()).all()
    # paid at most the invoice's total, and chronic debts age past a year
    total = fac.assign(v=fac.valor_total.astype(int)).groupby("numero").v.sum()
    paid = pag.assign(v=pag.valor.astype(int)).groupby("numero_factura").v.sum()
    assert (paid <= total[paid.index]).all()
    invoices = fac[["numero", "servicio", "codigo", "fecha_vencimiento", "valor_total"]]
    car = load(folder, "cartera").merge(invoices, left_on=["numero_factura", "servicio"],
                                        right_on=["numero", "servicio"])
    assert (car.codigo_x == car.codigo_y).all()
    assert (car.fecha_vencimiento_x == car.fecha_vencimiento_y).all()
    assert ((car.saldo.astype(int) > 0) & (car.saldo.astype(int) <= car.valor_total.astype(int))).all()
    last = car[car.fecha_corte == FIN.isoformat()]
    age = (pd.to_datetime(last.fecha_corte) - pd.to_datetime(last.fecha_vencimiento_x)).dt.days
    assert (age > 360).any() and (age <= 0).any()


def test_clean_pqr_orders_and_surveys(limpio, settings):
    folder, _ = limpio
    pqr = load(folder, "pqr")
    final = pqr.drop_duplicates("radicado", keep="last")
    answered = final[final.fecha_respuesta != ""]
    assert (answered.fecha_respuesta > answered.fecha_radicacion).all()
    notified = final[final.fecha_notificacion != ""]
    assert (notified.fecha_notificacion >= notified.fecha_respuesta.str[:10]).all()
    fer = holidays.CO(years=range(2024, 2028))
    for r in answered.itertuples():
        term = settings.pqr_plazos[r.tipo]
        if term:
            limit = deadline(date.fromisoformat(r.fecha_radicacion[:10]), term, fer)
            assert date.fromisoformat(r.fecha_respuesta[:10]) <= limit, r.radicado
    recursos = final[final.tipo.str.startswith("recurso")]
    assert len(recursos) and (recursos.radicado_origen != "").all()
    origen = final.set_index("radicado").loc[recursos.radicado_origen]
    assert (origen.tipo == "reclamo").all()
    assert (origen.fecha_notificacion.to_numpy() < recursos.fecha_radicacion.str[:10].to_numpy()).all()
    assert (final.radicado_origen[~final.tipo.str.startswith("recurso")] == "").all()

    ordenes = load(folder, "ordenes").drop_duplicates("numero", keep="last")
    done = ordenes[ordenes.fecha_ejecucion != ""]
    assert (done.fecha_ejecucion >= done.fecha_generacion).all()
    assert (done.fecha_ejecucion <= done.fecha_vencimiento).all()
    closed = ordenes[ordenes.estado == "cerrada"]
    assert (closed.fecha_cierre <= closed.fecha_vencimiento).all()

    enc = load(folder, "encuestas")
    assert enc.valor[enc.valor != ""].astype(int).between(1, 5).all()


# --------------------------------------------------------------------------- every invoice

@pytest.mark.parametrize("which", ["demo", "limpio"])
def test_invoice_identity_subsidies_and_contributions(which, request, settings):
    folder, _ = request.getfixturevalue(which)
    fac = load(folder, "facturas")
    sus = load(folder, "suscriptores").drop_duplicates(["codigo", "periodo"])
    f = fac.merge(sus[["codigo", "periodo", "uso", "estrato", "municipio_dane", "unidades"]],
                  on=["codigo", "periodo"], how="left")
    assert f.uso.notna().all()
    num = {c: f[c].replace("", "0").astype(np.int64) for c in (
        "cargo_fijo", "valor_consumo", "subsidio", "contribucion", "otros_cargos", "valor_total")}
    assert (num["valor_total"] == num["cargo_fijo"] + num["valor_consumo"] - num["subsidio"]
            + num["contribucion"] + num["otros_cargos"]).all()
    assert (f.fecha_vencimiento > f.fecha_expedicion).all()
    assert (f.consumo_m3[f.servicio == "aseo"] == "").all()
    assert f.groupby("numero").codigo.nunique().eq(1).all()

    res = f.uso == "residencial"
    share_sub = np.select([res & (f.estrato == e) for e in "123"],
                          [settings.subsidios[e] for e in (1, 2, 3)], 0.0)
    share_con = np.select([res & (f.estrato == "5"), res & (f.estrato == "6"), f.uso == "comercial",
                           f.uso == "industrial"],
                          [settings.contribuciones[k] for k in ("estrato_5", "estrato_6", "comercial",
                                                                "industrial")], 0.0)
    assert (num["subsidio"][share_sub == 0] == 0).all()
    assert (num["contribucion"][share_con == 0] == 0).all()
    assert (num["subsidio"][share_sub > 0] > 0).all() and (num["contribucion"][share_con > 0] > 0).all()
    altitud = {m.dane: m.altitud_msnm for m in settings.municipios}
    basic = f.municipio_dane.map(lambda d: settings.consumo_basico_m3(altitud[d])) * f.unidades.astype(int)
    m3 = f.consumo_m3.replace("", "0").astype(float)
    water = f.servicio != "aseo"
    # the basic block's part of the consumption charge (aseo: its whole monthly value)
    block = num["valor_consumo"] * np.minimum(m3, basic) / m3.where(m3 > 0, 1)
    basic_part = np.where(water, np.where(m3 > 0, block, 0), num["valor_consumo"])
    assert (num["subsidio"] <= share_sub * (num["cargo_fijo"] + basic_part) + 1).all()
    assert (num["contribucion"] >= share_con * (num["cargo_fijo"] + num["valor_consumo"]) - 1).all()
    assert (num["contribucion"] <= share_con * (num["cargo_fijo"] + num["valor_consumo"]) + 1).all()


# --------------------------------------------------------------------------- movement exports

def test_pqr_and_orders_are_monthly_movements(demo):
    folder, _ = demo
    events = {"pqr": ("fecha_respuesta", "fecha_notificacion", "fecha_traslado_sspd"),
              "ordenes": ("fecha_ejecucion", "fecha_cierre")}
    keys = (("pqr", "radicado", "fecha_radicacion"), ("ordenes", "numero", "fecha_generacion"))
    for fuente, key, created in keys:
        df = load(folder, fuente)
        df["mes"] = df._archivo.str[len(fuente) + 1:len(fuente) + 8]
        first = df.drop_duplicates(key)
        assert (first[created].str[:7] == first.mes).all(), fuente
        assert (df[created].str[:7] <= df.mes).all()
        for col in events[fuente]:
            shown = df[col] != ""
            assert (df[col][shown].str[:7] <= df.mes[shown]).all(), (fuente, col)
        repeated = df[df.duplicated(key, keep=False)]
        assert len(repeated), fuente
    pqr = load(folder, "pqr")
    grew = pqr.groupby("radicado").fecha_respuesta.agg(lambda s: s.iloc[0] == "" and s.iloc[-1] != "")
    assert grew.any()                          # filed in one month, answered in the next


def test_the_calendar_drives_each_cycle(demo):
    """Meters are read in their cycle's reading window and billed after it, on the cycle's dates."""
    folder, _ = demo
    for p in PERIODOS[::5]:
        cal = read(folder / f"calendario_{p}.csv")
        assert len(cal) == cal.ciclo.nunique() * 10
        when = cal.pivot(index="ciclo", columns="actividad", values="fecha_programada")
        order = ["revision_predios", "lectura", "critica", "liquidacion", "impresion", "reparto",
                 "vencimiento", "suspension", "cierre_recaudo", "informe"]
        assert (when[order].apply(lambda r: list(r) == sorted(r), axis=1)).all()
        done = cal[cal.actividad == "lectura"].set_index("ciclo").fecha_ejecutada
        sus = read(folder / f"suscriptores_{p}.csv").drop_duplicates("codigo").set_index("codigo")
        lec = read(folder / f"lecturas_{p}.csv")
        lec = lec[lec.fecha_lectura != ""]
        start = pd.to_datetime(done[sus.ciclo[lec.codigo]].to_numpy())
        day = pd.to_datetime(lec.fecha_lectura.to_numpy())
        assert ((day >= start) & (day <= start + pd.Timedelta(days=1))).all()
        fac = read(folder / f"facturas_{p}.csv").drop_duplicates("numero")
        issued = cal[cal.actividad == "impresion"].set_index("ciclo").fecha_ejecutada
        due = cal[cal.actividad == "vencimiento"].set_index("ciclo").fecha_programada
        cyc = sus.ciclo[fac.codigo].to_numpy()
        assert (fac.fecha_expedicion.to_numpy() == issued[cyc].to_numpy()).all()
        assert (fac.fecha_vencimiento.to_numpy() == due[cyc].to_numpy()).all()
        read_on = fac.merge(lec[["codigo", "fecha_lectura"]], on="codigo")
        assert len(read_on) > 0.8 * len(fac) and (read_on.fecha_expedicion > read_on.fecha_lectura).all()


def test_demo_looks_like_a_caribbean_utility(demo):
    folder, _ = demo
    snap = read(folder / f"suscriptores_{HASTA}.csv").drop_duplicates("codigo")
    assert 4_800 < len(snap) < 5_600
    assert 0.88 < (snap.uso == "residencial").mean() < 0.94
    assert 0.88 < (snap.medidor != "").mean() < 0.96
    assert 0.62 < (snap.municipio_dane == "20001").mean() < 0.78
    assert set(snap.estado) == {"activo", "suspendido", "cortado", "inactivo"}
    lec = read(folder / f"lecturas_{HASTA}.csv")
    assert 0.015 < (lec.causal_no_lectura.isin(["predio_cerrado", "acceso_impedido"])).mean() + \
        (lec.tipo_consumo == "promedio").mean() < 0.08
    enc = load(folder, "encuestas")
    answers = enc.valor[enc.valor != ""].astype(int)
    assert 0.72 < (answers >= 4).mean() < 0.86
    assert enc.groupby("ronda").encuesta.nunique().between(300, 400).all()
    pqr = load(folder, "pqr").drop_duplicates("radicado")
    per_month = pqr.fecha_radicacion.str[:7].value_counts()
    assert per_month.between(0.008 * len(snap), 0.025 * len(snap)).all()
    cal = load(folder, "calendario")
    on_time = (cal.fecha_ejecutada != "") & (cal.fecha_ejecutada <= cal.fecha_programada)
    assert 0.75 < on_time.mean() < 0.98 and (cal.fecha_ejecutada[cal.periodo != HASTA] != "").all()
