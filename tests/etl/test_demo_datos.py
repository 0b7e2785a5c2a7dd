"""The demo generator's data: clean runs, every invoice, the monthly movement exports.

Expectations are computed here independently of the generator: business days with
``holidays.CO`` and a plain loop, deviations from the lecturas files themselves,
tariff rules from the settings.
"""
from __future__ import annotations

import json
from datetime import date

import holidays
import numpy as np
import pandas as pd
import pytest

from etl.contract import SOURCES
from tests.etl.conftest import FIN, HASTA, PERIODOS, TARIFA_ERRADA, cents, deadline, load, read


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

    # The rows planted off the tariff (tests/indicators/test_tarifas_demo.py finds them) aside.
    planted = {(d["clave"]["numero"], d["clave"]["servicio"])
               for d in json.loads((folder / "defectos.json").read_text(encoding="utf-8"))
               if d["tipo"] in TARIFA_ERRADA}
    f = f[[k not in planted for k in zip(f.numero, f.servicio)]].reset_index(drop=True)
    num = {c: f[c].replace("", "0").astype(np.int64) for c in num}
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
