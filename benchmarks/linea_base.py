"""The pandas baseline of the indicator catalogue: every indicator of indicators.md for
one period P, without breakdown, the way an analyst would write it.

Written from the specification (``/work/shared/spec/indicators.md``), not from the
catalogue's SQL, so that the two can check each other. Two steps, timed apart:

- :func:`leer`: the rows P needs, table by table, with plain ``pd.read_sql``
  (PostgreSQL) or DuckDB ``.df()``: a column list and a plain ``WHERE`` on the period
  or on a date range, nothing joined or aggregated in the warehouse (only two small
  look-ups: which periods of readings and of invoices exist, and the first payment
  date). What the spec reaches beyond P is read too: the six periods of readings before
  P (the reference average), the twelve periods of billing (receivables turnover), every
  invoice number (a payment to "a known invoice"), every payment dated up to the last
  due date of P's invoices (timely collection), every filing and every work order (what
  is still pending at end(P)). The large ones are read a period (a month) at a time and
  reduced at once, so memory stays bounded at ``grande``; that pandas work is timed
  apart (``Lectura.reduccion``) and counted as computing, not reading.
- :func:`calcular`: pandas and numpy only; business days with ``numpy.busday_count`` /
  ``numpy.busday_offset`` and the holidays of ``holidays.CO``; the deviation rule in
  exact integer arithmetic, so a consumption on the boundary is judged as written.

    valores = calcular(leer(conn, "2026-10", settings), "2026-10", settings)

returns {id: value or None}.
"""
from __future__ import annotations

import contextlib
import math
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction

import holidays
import numpy as np
import pandas as pd
import sqlalchemy as sa

ACTIVO = "activo"
TIPOS_RECLAMO = ("reclamo", "recurso_reposicion", "recurso_reposicion_apelacion")
A_FAVOR = ("accede", "accede_parcial", "revoca", "modifica")
EDADES = [("cartera.edad_no_vencida", None, 0), ("cartera.edad_1_30", 1, 30),
          ("cartera.edad_31_60", 31, 60), ("cartera.edad_61_90", 61, 90),
          ("cartera.edad_91_180", 91, 180), ("cartera.edad_181_360", 181, 360),
          ("cartera.edad_mas_360", 361, None)]


# --- Periods ----------------------------------------------------------------------------------

def mes(periodo: str, k: int = 0) -> str:
    """P + k months, as YYYY-MM."""
    return (pd.Period(periodo, freq="M") + k).strftime("%Y-%m")


def limites(periodo: str) -> tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp]:
    """The first day of month(P), end(P) and the day after end(P)."""
    inicio = pd.Timestamp(f"{periodo}-01")
    fin = inicio + pd.offsets.MonthEnd(0)
    return inicio, fin, fin + pd.Timedelta(days=1)


def ronda(periodo: str) -> str:
    return f"{periodo[:4]}-S{1 if int(periodo[5:7]) <= 6 else 2}"


# --- Reading ----------------------------------------------------------------------------------

@dataclass
class Lectura:
    """The frames read for P, and what reading them took."""
    periodo: str
    t: dict[str, pd.DataFrame] = field(default_factory=dict)
    x: dict[str, object] = field(default_factory=dict)     # small facts (loaded periods…)
    filas: int = 0                                          # rows read in all
    reduccion: float = 0.0       # seconds of pandas work done while reading (compute, not read)

    @contextlib.contextmanager
    def reduciendo(self):
        t = time.perf_counter()
        try:
            yield
        finally:
            self.reduccion += time.perf_counter() - t


class _Lector:
    """``sql`` with :name parameters into a frame, with dates as datetime64."""

    def __init__(self, conn: sa.Connection):
        self.conn = conn
        self.duck = conn.dialect.name == "duckdb"
        self.filas = 0

    def df(self, sql: str, fechas: tuple[str, ...] = (), **params) -> pd.DataFrame:
        if self.duck:
            raw = self.conn.connection.driver_connection
            frame = raw.execute(re.sub(r":(\w+)", r"$\1", sql), params).df()
        else:
            frame = pd.read_sql(sa.text(sql), self.conn, params=params)
        for col in fechas:
            frame[col] = pd.to_datetime(frame[col])
        self.filas += len(frame)
        return frame


def leer(conn: sa.Connection, periodo: str, settings) -> Lectura:
    r = _Lector(conn)
    out = Lectura(periodo)
    t = out.t
    inicio, _, siguiente = limites(periodo)
    d = {"inicio": inicio.date(), "siguiente": siguiente.date()}

    # Cadastre: the snapshots of P and P−1.
    t["sus"] = r.df("SELECT codigo, estado, uso, estrato, medidor, medidor_instalacion, "
                    "fecha_vinculacion FROM suscriptores WHERE periodo = :p",
                    ("medidor_instalacion", "fecha_vinculacion"), p=periodo)
    t["sus_ant"] = r.df("SELECT estado FROM suscriptores WHERE periodo = :p", p=mes(periodo, -1))

    # Readings: P whole; then the periods before P that the spec reaches, each reduced at
    # once to what it needs of them: the sum and count of each reviewable account's rows
    # in the up to 6 (3 bimonthly) periods immediately before P that exist in lecturas
    # (the reference average), and the accounts with 0 m³ in P−1 and P−2.
    t["lec"] = r.df("SELECT codigo, lectura_anterior, lectura_actual, causal_no_lectura, "
                    "consumo_facturado, tipo_consumo FROM lecturas WHERE periodo = :p",
                    p=periodo)
    antes = r.df("SELECT DISTINCT periodo FROM lecturas WHERE periodo < :p", p=periodo)
    n_ref = 3 if settings.periodicidad == "bimestral" else 6
    previos = sorted(antes["periodo"])[-n_ref:]
    cero_previos = {mes(periodo, -1), mes(periodo, -2)} & set(antes["periodo"])
    with out.reduciendo():
        cuentas = t["lec"].loc[t["lec"]["tipo_consumo"] == "medido", "codigo"]
        historia, ceros = [], {}
    for p in sorted(set(previos) | cero_previos):
        f = r.df("SELECT codigo, consumo_facturado FROM lecturas WHERE periodo = :p", p=p)
        with out.reduciendo():
            if p in previos:
                historia.append(f[_en(f["codigo"], cuentas)])
            if p in cero_previos:
                ceros[p] = f.loc[f["consumo_facturado"] == 0, "codigo"]
    with out.reduciendo():
        h = pd.concat(historia, ignore_index=True) if historia else \
            pd.DataFrame({"codigo": pd.Series([], dtype=object), "consumo_facturado": []})
        h["c"] = _diezmilesimas(h["consumo_facturado"])     # 1/10 000 m³, exact
        t["referencia"] = h.groupby("codigo")["c"].agg(suma="sum", n="count")
        t["lec_ceros"] = ceros
        out.x["lecturas_periodos"] = set(antes["periodo"]) | ({periodo} if len(t["lec"]) else set())

    # Invoices of P; the billing of each of the 12 periods ending at P; every invoice number.
    t["fac"] = r.df("SELECT numero, codigo, fecha_entrega, fecha_vencimiento, subsidio, "
                    "contribucion, valor_total FROM facturas WHERE periodo = :p",
                    ("fecha_entrega", "fecha_vencimiento"), p=periodo)
    periodos_fac = r.df("SELECT DISTINCT periodo FROM facturas")["periodo"].tolist()
    doce = {mes(periodo, -k) for k in range(12)}
    anual = {}
    pag = r.df("SELECT id, codigo, numero_factura, valor FROM pagos "
               "WHERE fecha_pago >= :inicio AND fecha_pago < :siguiente", **d)
    t["pag"] = pag
    # Which payment invoice numbers are invoices: probe every period's numbers against
    # the (hashed once) numbers the month's payments carry.
    with out.reduciendo():
        buscados = pd.Series(pag["numero_factura"].dropna().unique())
        conocidos = np.zeros(len(buscados), dtype=bool)
    for p in sorted(periodos_fac):
        if p == periodo:
            f = t["fac"]
        elif p in doce:
            f = r.df("SELECT numero, valor_total FROM facturas WHERE periodo = :p", p=p)
        else:
            f = r.df("SELECT numero FROM facturas WHERE periodo = :p", p=p)
        with out.reduciendo():
            if p in doce:
                anual[p] = float(f["valor_total"].sum())
            conocidos |= _en(buscados, f["numero"])
    with out.reduciendo():
        t["facturas_conocidas"] = pd.Series(conocidos, index=buscados.to_numpy())
    out.x["facturacion_anual"] = anual

    # Payments to P's invoices up to their due dates (any payment date before the last one).
    if len(t["fac"]):
        tope = t["fac"]["fecha_vencimiento"].max().date()
        desde = r.df("SELECT min(fecha_pago) AS m FROM pagos")["m"].iloc[0]
        partes = []
        with out.reduciendo():
            numeros = t["fac"]["numero"]
        for a, b in _meses(pd.Timestamp(desde), pd.Timestamp(tope)):
            f = r.df("SELECT numero_factura, fecha_pago, valor FROM pagos "
                     "WHERE fecha_pago >= :a AND fecha_pago < :b", ("fecha_pago",),
                     a=a.date(), b=min(b, pd.Timestamp(tope) + pd.Timedelta(days=1)).date())
            with out.reduciendo():
                partes.append(f[_en(f["numero_factura"], numeros)])
        with out.reduciendo():
            t["pag_fac"] = pd.concat(partes, ignore_index=True) if partes else None
    else:
        t["pag_fac"] = None

    # Receivables: the cut-offs in month(P).
    t["car"] = r.df("SELECT fecha_corte, codigo, fecha_vencimiento, saldo FROM cartera "
                    "WHERE fecha_corte >= :inicio AND fecha_corte < :siguiente",
                    ("fecha_corte", "fecha_vencimiento"), **d)

    # Filings and work orders: all (what is pending at end(P) may be old).
    t["pqr"] = r.df("SELECT radicado, fecha_radicacion, tipo, fecha_respuesta, tipo_respuesta, "
                    "fecha_traslado_sspd FROM pqr",
                    ("fecha_radicacion", "fecha_respuesta", "fecha_traslado_sspd"))
    t["ord"] = r.df("SELECT codigo, tipo, referencia, fecha_generacion, fecha_vencimiento, "
                    "fecha_ejecucion, estado, valor_cargo, facturado FROM ordenes",
                    ("fecha_generacion", "fecha_vencimiento", "fecha_ejecucion"))

    t["enc"] = r.df("SELECT encuesta, pregunta, valor FROM encuestas WHERE ronda = :r",
                    r=ronda(periodo))
    t["cal"] = r.df("SELECT fecha_programada, fecha_ejecutada FROM calendario WHERE periodo = :p",
                    ("fecha_programada", "fecha_ejecutada"), p=periodo)
    t["cor"] = r.df("SELECT fecha_recibido, fecha_limite, fecha_respuesta FROM correspondencia",
                    ("fecha_recibido", "fecha_limite", "fecha_respuesta"))
    # The data's cut-off: the latest event date of the exports (one small look-up per column).
    ultimas = [r.df(f"SELECT max({col}) AS m FROM {tabla}")["m"].iloc[0] for tabla, col in (
        ("pagos", "fecha_pago"), ("pqr", "fecha_radicacion"), ("pqr", "fecha_respuesta"),
        ("ordenes", "fecha_ejecucion"), ("calendario", "fecha_ejecutada"),
        ("cartera", "fecha_corte"), ("correspondencia", "fecha_recibido"),
        ("correspondencia", "fecha_respuesta"))]
    ultimas = [pd.Timestamp(m).floor("D") for m in ultimas if m is not None and not pd.isna(m)]
    out.x["corte"] = max(ultimas) if ultimas else None
    out.filas = r.filas
    return out


def _en(a: pd.Series, b: pd.Series) -> np.ndarray:
    """``a.isin(b)`` for millions of strings: both factorized together (Arrow's hashing),
    then compared as integer codes. (``Series.isin`` on Arrow strings builds its value set
    one Python scalar at a time, and ``Index.get_indexer`` goes through Python objects:
    each takes minutes at grande.)"""
    a, b = pd.Series(a, copy=False), pd.Series(b, copy=False)
    codes, _ = pd.factorize(pd.concat([a, b], ignore_index=True))
    ca, cb = codes[:len(a)], codes[len(a):]
    marca = np.zeros(codes.max() + 1 if len(codes) else 0, dtype=bool)
    marca[cb[cb >= 0]] = True
    return (ca >= 0) & marca[np.maximum(ca, 0)] if len(marca) else np.zeros(len(a), dtype=bool)


def _meses(desde: pd.Timestamp, hasta: pd.Timestamp):
    """[start, next start) of every month from ``desde`` to ``hasta``."""
    a = desde.to_period("M").to_timestamp()
    while a <= hasta:
        b = a + pd.offsets.MonthBegin(1)
        yield a, b
        a = b


# --- Computing (pandas only) -------------------------------------------------------------------

def _vacio(s: pd.Series) -> pd.Series:
    """Null or the empty string."""
    return s.isna() | (s.astype("string").str.len() == 0)


def _razon(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def _en_mes(s: pd.Series, inicio, siguiente) -> pd.Series:
    """The date of ``s`` (date or date-time) is in month(P)."""
    return (s >= inicio) & (s < siguiente)


def _dias(s: pd.Series) -> np.ndarray:
    """Dates (of dates or date-times) as numpy datetime64[D]."""
    return s.dt.floor("D").to_numpy().astype("datetime64[D]")


def _juzgado(plazo: pd.Series, corte) -> pd.Series:
    """The date of the deadline is on or before the data's cut-off (else not judged yet)."""
    return pd.Series(True, index=plazo.index) if corte is None else plazo.dt.floor("D") <= corte


def calcular(lectura: Lectura, periodo: str, settings) -> dict[str, float | None]:
    t, x = lectura.t, lectura.x
    corte = x.get("corte")
    inicio, fin, siguiente = limites(periodo)
    v: dict[str, float | None] = {}

    # Cadastre.
    sus = t["sus"]
    hay_sus = len(sus) > 0
    activos = sus[sus["estado"] == ACTIVO]
    con_medidor = activos[~_vacio(activos["medidor"])]
    n_activos = len(activos) if hay_sus else None
    v["catastro.suscriptores"] = float(len(sus)) if hay_sus else None
    v["catastro.activos"] = float(len(activos)) if hay_sus else None
    v["catastro.crecimiento_neto"] = (float(len(activos) - (t["sus_ant"]["estado"] == ACTIVO).sum())
                                      if hay_sus and len(t["sus_ant"]) else None)
    v["catastro.nuevos"] = (float(_en_mes(sus["fecha_vinculacion"], inicio, siguiente).sum())
                            if hay_sus else None)
    v["catastro.inactivos"] = float((sus["estado"] == "inactivo").sum()) if hay_sus else None
    v["catastro.cobertura_micromedicion"] = (_razon(len(con_medidor), len(activos))
                                             if hay_sus else None)
    limite_vida = fin - pd.DateOffset(years=settings.vida_util_anios)
    vencidos = (con_medidor["medidor_instalacion"] < limite_vida).sum()
    v["catastro.medidores_vida_util_vencida"] = (_razon(vencidos, len(con_medidor))
                                                 if hay_sus else None)

    # Billing and consumption.
    fac, lec = t["fac"], t["lec"]
    hay_fac, hay_lec = len(fac) > 0, len(lec) > 0
    valor_fac = float(fac["valor_total"].sum()) if hay_fac else None
    v["facturacion.usuarios"] = float(fac["codigo"].nunique()) if hay_fac else None
    v["facturacion.valor"] = valor_fac
    m3 = float(lec["consumo_facturado"].sum()) if hay_lec else None
    v["facturacion.m3"] = m3
    v["facturacion.consumo_promedio"] = _razon(m3, len(lec)) if hay_lec else None
    leida = lec["lectura_actual"].notna() & _vacio(lec["causal_no_lectura"])
    con_medidor_lec = lec["causal_no_lectura"].isna() | (lec["causal_no_lectura"] != "sin_medidor")
    v["facturacion.lectura_efectiva"] = (_razon(leida.sum(), con_medidor_lec.sum())
                                         if hay_lec else None)
    v["facturacion.consumo_no_medido"] = (
        _razon(lec["tipo_consumo"].isin(["promedio", "estimado"]).sum(), len(lec))
        if hay_lec else None)
    sub = float(fac["subsidio"].sum()) if hay_fac else None
    con = float(fac["contribucion"].sum()) if hay_fac else None
    v["facturacion.subsidios"] = sub
    v["facturacion.contribuciones"] = con
    v["facturacion.balance_solidario"] = con - sub if hay_fac else None
    entregadas = fac[fac["fecha_entrega"].notna()]
    a_tiempo = entregadas[entregadas["fecha_entrega"] <= entregadas["fecha_vencimiento"]
                          - pd.Timedelta(days=settings.dias_entrega_antes_vencimiento)]
    v["facturacion.reparto_oportuno"] = (_razon(a_tiempo["numero"].nunique(),
                                                entregadas["numero"].nunique())
                                         if hay_fac else None)

    # Pre-billing review.
    v.update(_critica(t, x, periodo, settings, n_activos is not None))

    # Collection.
    pag = t["pag"]
    hay_pag = len(pag) > 0
    recaudo = float(pag["valor"].sum()) if hay_pag else None
    v["recaudo.valor"] = recaudo
    v["recaudo.eficiencia"] = _razon(recaudo, valor_fac) if hay_pag and hay_fac else None
    oportuno = None
    if hay_fac and t["pag_fac"] is not None:
        vence = fac.groupby("numero")["fecha_vencimiento"].min()
        pf = t["pag_fac"]
        dentro = pf["fecha_pago"].to_numpy() <= vence.reindex(pf["numero_factura"]).to_numpy()
        oportuno = _razon(pf.loc[dentro, "valor"].sum(), valor_fac)
    v["recaudo.eficiencia_oportuna"] = oportuno
    conocida = pag["numero_factura"].map(t["facturas_conocidas"]).fillna(False).astype(bool)
    sin_id = _vacio(pag["codigo"]) | _vacio(pag["numero_factura"]) | ~conocida
    v["recaudo.por_identificar"] = float(pag.loc[sin_id, "valor"].sum()) if hay_pag else None

    # Receivables.
    car = t["car"]
    if len(car):
        foto = car[car["fecha_corte"] == car["fecha_corte"].max()]
        dias = (foto["fecha_corte"] - foto["fecha_vencimiento"]).dt.days
        total = float(foto["saldo"].sum())
        v["cartera.total"] = total
        v["cartera.vencida"] = float(foto.loc[dias > 0, "saldo"].sum())
        for id, desde, hasta in EDADES:
            banda = pd.Series(True, index=foto.index)
            if desde is not None:
                banda &= dias >= desde
            if hasta is not None:
                banda &= dias <= hasta
            v[id] = float(foto.loc[banda, "saldo"].sum())
        v["cartera.usuarios_morosos"] = float(foto.loc[dias > 0, "codigo"].nunique())
        anual = x["facturacion_anual"]
        n = len(anual)
        base = sum(anual.values()) * 12 / n if n else 0.0
        v["cartera.dias_rotacion"] = total * 365 / base if base else None
    else:
        for id in ["cartera.total", "cartera.vencida", *[e[0] for e in EDADES],
                   "cartera.usuarios_morosos", "cartera.dias_rotacion"]:
            v[id] = None

    v.update(_pqr(t["pqr"], periodo, settings, n_activos, corte))
    v.update(_ordenes(t["ord"], periodo, corte))
    v.update(_nsu(t["enc"], settings, n_activos))

    cal = t["cal"]
    cal = cal[_juzgado(cal["fecha_programada"], corte)]
    v["calendario.cumplimiento"] = (
        _razon((cal["fecha_ejecutada"] <= cal["fecha_programada"]).sum(), len(cal))
        if len(t["cal"]) else None)
    cor = t["cor"]
    if _en_mes(cor["fecha_recibido"], inicio, siguiente).any():
        vencen = cor[_en_mes(cor["fecha_limite"], inicio, siguiente)
                     & _juzgado(cor["fecha_limite"], corte)]
        v["correspondencia.oportunidad"] = _razon(
            (vencen["fecha_respuesta"] <= vencen["fecha_limite"]).sum(), len(vencen))
    else:
        v["correspondencia.oportunidad"] = None
    return v


def _diezmilesimas(x) -> np.ndarray:
    """m³ (the warehouse keeps 4 decimals) as exact integers of 1/10 000 m³."""
    return np.round(np.asarray(x, dtype=float) * 10_000).astype(np.int64)


def _critica(t, x, periodo, settings, hay_sus) -> dict:
    """The significant-deviation rule in exact arithmetic: consumptions as integers of
    1/10 000 m³ and each threshold k as a fraction p/q, so "|c − a| > k·a" with a = s/n is
    q·|n·c − s| > p·s, and a value exactly on the boundary is judged as the spec says."""
    lec, sus = t["lec"], t["sus"]
    v = {}
    if not len(lec):
        return {k: None for k in ("critica.desviaciones", "critica.desviaciones_sin_visita",
                                  "critica.consumo_cero_recurrente", "critica.lectura_regresiva")}
    cr = settings.critica
    rev = lec[lec["tipo_consumo"] == "medido"][["codigo", "consumo_facturado"]].copy()
    rev["c"] = _diezmilesimas(rev["consumo_facturado"])
    # The reference average a = s/n: the account's rows in the periods before P.
    rev = rev.join(t["referencia"], on="codigo")
    rev[["suma", "n"]] = rev[["suma", "n"]].fillna(0).astype(np.int64)   # n = 0: no history
    # Without history: m = S/N over the reviewable rows of P of the same uso and estrato
    # (estrato "0 or empty" is one value); an account missing from the cadastre of P has no
    # uso, hence no yardstick.
    cuenta = sus[["codigo", "uso", "estrato"]].drop_duplicates("codigo").set_index("codigo")
    rev = rev.join(cuenta, on="codigo")
    rev["estrato"] = rev["estrato"].fillna(0)
    grupo = rev.groupby(["uso", "estrato"], dropna=False)["c"]
    rev["S"], rev["N"] = grupo.transform("sum"), grupo.transform("count")
    rev.loc[rev["uso"].isna(), "N"] = 0

    def frac(k: float) -> Fraction:
        return Fraction(str(k))
    c, s_, n_ = rev["c"].to_numpy(), rev["suma"].to_numpy(), rev["n"].to_numpy()
    S, N = rev["S"].to_numpy(), rev["N"].to_numpy()
    alto, bajo = frac(cr.variacion_promedio_alto), frac(cr.variacion_promedio_bajo)
    limite = frac(cr.promedio_limite_m3) * 10_000
    lo, hi = (frac(k) for k in cr.rango_sin_historia)
    con_historia = n_ > 0
    a_alta = limite.denominator * s_ >= limite.numerator * n_          # a >= limite
    k_p = np.where(a_alta, alto.numerator, bajo.numerator)
    k_q = np.where(a_alta, alto.denominator, bajo.denominator)
    fuera_promedio = k_q * np.abs(n_ * c - s_) > k_p * s_
    fuera_grupo = (N > 0) & ((lo.denominator * N * c < lo.numerator * S)
                             | (hi.denominator * N * c > hi.numerator * S))
    desv = np.where(con_historia, fuera_promedio, fuera_grupo)
    desviadas = rev.loc[desv, "codigo"]
    v["critica.desviaciones"] = float(len(desviadas))
    o = t["ord"]
    visitadas = o.loc[(o["tipo"] == "revision_desviacion") & (o["referencia"] == periodo)
                      & (o["estado"] != "anulada"), "codigo"]
    v["critica.desviaciones_sin_visita"] = float(desviadas[~desviadas.isin(visitadas)].nunique())

    # Stopped meters: active with a meter, consumption 0 in P, P−1 and P−2.
    periodos = x["lecturas_periodos"]
    if hay_sus and mes(periodo, -1) in periodos and mes(periodo, -2) in periodos:
        activos = sus[(sus["estado"] == ACTIVO) & ~_vacio(sus["medidor"])]["codigo"]
        cero = set(lec.loc[lec["consumo_facturado"] == 0, "codigo"])
        for k in (-1, -2):
            cero &= set(t["lec_ceros"].get(mes(periodo, k), ()))
        v["critica.consumo_cero_recurrente"] = float(activos.isin(cero).sum())
    else:
        v["critica.consumo_cero_recurrente"] = None
    regresiva = (lec["lectura_actual"] < lec["lectura_anterior"]) & \
        (lec["tipo_consumo"] != "cambio_medidor")
    v["critica.lectura_regresiva"] = float(regresiva.sum())
    return v


def _festivos(desde: int, hasta: int) -> np.ndarray:
    return np.array(sorted(holidays.CO(years=range(desde, hasta + 1))), dtype="datetime64[D]")


def _pqr(pqr: pd.DataFrame, periodo: str, settings, n_activos, corte) -> dict:
    ids = ["pqr.radicadas", "pqr.reclamos_por_1000", "pqr.oportunidad", "pqr.fuera_de_termino",
           "pqr.dias_habiles_promedio", "pqr.vencidas_sin_respuesta", "pqr.en_riesgo",
           "pqr.a_favor_usuario", "pqr.traslados_sspd"]
    inicio, fin, siguiente = limites(periodo)
    radicadas = _en_mes(pqr["fecha_radicacion"], inicio, siguiente)
    if not radicadas.any():
        return {k: None for k in ids}
    v = {}
    anios = pqr["fecha_radicacion"].dt.year
    H = _festivos(int(anios.min()), int(anios.max()) + 2)
    v["pqr.radicadas"] = float(radicadas.sum())
    reclamos = (radicadas & (pqr["tipo"] == "reclamo")).sum()
    v["pqr.reclamos_por_1000"] = _razon(reclamos * 1000, n_activos) if n_activos else None

    plazo = pqr["tipo"].map(settings.pqr_plazos).fillna(0).astype(int)
    con = pqr[plazo > 0].copy()
    a = _dias(con["fecha_radicacion"])
    venc = np.busday_offset(a, plazo[plazo > 0].to_numpy(), roll="backward", holidays=H)
    con["venc"] = pd.to_datetime(venc)
    resp = con["fecha_respuesta"].dt.floor("D")
    a_tiempo = resp.notna() & (resp <= con["venc"])
    vencen = _en_mes(con["venc"], inicio, siguiente) & _juzgado(con["venc"], corte)
    v["pqr.oportunidad"] = _razon((vencen & a_tiempo).sum(), vencen.sum())
    v["pqr.fuera_de_termino"] = float((vencen & ~a_tiempo).sum())

    respondidas = pqr[_en_mes(pqr["fecha_respuesta"], inicio, siguiente)]
    dias = np.busday_count(_dias(respondidas["fecha_radicacion"]) + 1,
                           _dias(respondidas["fecha_respuesta"]) + 1, holidays=H)
    v["pqr.dias_habiles_promedio"] = float(dias.mean()) if len(dias) else None

    sin_respuesta = con["fecha_respuesta"].isna() | (con["fecha_respuesta"] >= siguiente)
    v["pqr.vencidas_sin_respuesta"] = float((sin_respuesta & (con["venc"] < fin)).sum())
    fin_d = np.datetime64(fin.date(), "D")
    restantes = np.busday_count(fin_d + 1, con["venc"].to_numpy().astype("datetime64[D]") + 1,
                                holidays=H)
    v["pqr.en_riesgo"] = float((sin_respuesta & (con["venc"] >= fin) & (restantes <= 3)).sum())

    decididas = respondidas[respondidas["tipo"].isin(TIPOS_RECLAMO)]
    v["pqr.a_favor_usuario"] = _razon(decididas["tipo_respuesta"].isin(A_FAVOR).sum(),
                                      len(decididas))
    v["pqr.traslados_sspd"] = float(_en_mes(pqr["fecha_traslado_sspd"], inicio, siguiente).sum())
    return v


def _ordenes(o: pd.DataFrame, periodo: str, corte) -> dict:
    inicio, fin, siguiente = limites(periodo)
    if not _en_mes(o["fecha_generacion"], inicio, siguiente).any():
        return {k: None for k in ("ordenes.cumplimiento", "ordenes.vencidas_pendientes",
                                  "ordenes.reinstalacion_24h", "ordenes.cargos_sin_facturar")}
    o = o[o["estado"] != "anulada"]
    v = {}
    vencen = o[_en_mes(o["fecha_vencimiento"], inicio, siguiente)
               & _juzgado(o["fecha_vencimiento"], corte)]
    v["ordenes.cumplimiento"] = _razon(
        (vencen["fecha_ejecucion"] <= vencen["fecha_vencimiento"]).sum(), len(vencen))
    pendiente = o["fecha_ejecucion"].isna() | (o["fecha_ejecucion"] >= siguiente)
    v["ordenes.vencidas_pendientes"] = float((pendiente & (o["fecha_vencimiento"] < fin)).sum())
    rein = o[o["tipo"].isin(["reinstalacion", "reconexion"])
             & _en_mes(o["fecha_generacion"], inicio, siguiente)]
    rapidas = (rein["fecha_ejecucion"] - rein["fecha_generacion"]) <= pd.Timedelta(hours=24)
    v["ordenes.reinstalacion_24h"] = _razon(rapidas.sum(), len(rein))
    cargos = o[_en_mes(o["fecha_ejecucion"], inicio, siguiente) & (o["valor_cargo"] > 0)
               & (o["facturado"] == False).fillna(False).astype(bool)]
    v["ordenes.cargos_sin_facturar"] = float(cargos["valor_cargo"].sum())
    return v


def _nsu(enc: pd.DataFrame, settings, n_activos) -> dict:
    dims: dict[str, list[str]] = {}
    for pid, p in settings.nsu_preguntas.items():
        dims.setdefault(p["dimension"], []).append(pid)
    ids = ["nsu.indice", "nsu.encuestas", "nsu.margen_error", "nsu.muestra_requerida",
           *[f"nsu.dimension.{d}" for d in dims]]
    N = n_activos
    n0 = 1.96 ** 2 * 0.25 / 0.05 ** 2
    muestra = float(math.ceil(n0 / (1 + (n0 - 1) / N))) if N else None
    if not len(enc):
        return {**{k: None for k in ids}, "nsu.muestra_requerida": muestra}
    validas = enc[enc["valor"].between(1, 5)]
    v = {}
    p = _razon((validas["valor"] >= 4).sum(), len(validas))
    n = enc["encuesta"].nunique()
    v["nsu.indice"] = p
    v["nsu.encuestas"] = float(n)
    if p is None or not n or not N or N <= 1 or n > N:
        v["nsu.margen_error"] = None
    else:
        v["nsu.margen_error"] = 1.96 * math.sqrt(p * (1 - p) / n) * math.sqrt((N - n) / (N - 1))
    v["nsu.muestra_requerida"] = muestra
    for d, preguntas in dims.items():
        r = validas[validas["pregunta"].isin(preguntas)]
        v[f"nsu.dimension.{d}"] = _razon((r["valor"] >= 4).sum(), len(r))
    return v


# Every id of indicators.md, in its order; the NSU dimensions come from [nsu.preguntas].
IDS = ["catastro.suscriptores", "catastro.activos", "catastro.crecimiento_neto", "catastro.nuevos",
       "catastro.inactivos", "catastro.cobertura_micromedicion",
       "catastro.medidores_vida_util_vencida",
       "facturacion.usuarios", "facturacion.valor", "facturacion.m3",
       "facturacion.consumo_promedio", "facturacion.lectura_efectiva",
       "facturacion.consumo_no_medido", "facturacion.subsidios", "facturacion.contribuciones",
       "facturacion.balance_solidario", "facturacion.reparto_oportuno",
       "critica.desviaciones", "critica.desviaciones_sin_visita",
       "critica.consumo_cero_recurrente", "critica.lectura_regresiva",
       "recaudo.valor", "recaudo.eficiencia", "recaudo.eficiencia_oportuna",
       "recaudo.por_identificar",
       "cartera.total", "cartera.vencida", *[e[0] for e in EDADES], "cartera.usuarios_morosos",
       "cartera.dias_rotacion",
       "pqr.radicadas", "pqr.reclamos_por_1000", "pqr.oportunidad", "pqr.fuera_de_termino",
       "pqr.dias_habiles_promedio", "pqr.vencidas_sin_respuesta", "pqr.en_riesgo",
       "pqr.a_favor_usuario", "pqr.traslados_sspd",
       "ordenes.cumplimiento", "ordenes.vencidas_pendientes", "ordenes.reinstalacion_24h",
       "ordenes.cargos_sin_facturar",
       "nsu.indice", "nsu.encuestas", "nsu.margen_error", "nsu.muestra_requerida",
       "nsu.dimension.*",
       "calendario.cumplimiento", "correspondencia.oportunidad"]


def ids(settings) -> list[str]:
    """Every id of indicators.md with the NSU dimensions of ``settings``."""
    dims = dict.fromkeys(p["dimension"] for p in settings.nsu_preguntas.values())
    i = IDS.index("nsu.dimension.*")
    return IDS[:i] + [f"nsu.dimension.{d}" for d in dims] + IDS[i + 1:]
