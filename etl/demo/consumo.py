"""Meter readings and billed consumption (lecturas), with the pre-billing review (crítica).

Volumes are integer hundredths of m³, so a measured consumption is exactly the
difference of two register readings and an estimate is exactly a rounded mean.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.contract import SOURCES

from . import salida as s
from .catastro import ACTIVO, PUNTUAL, RES, SUSPENDIDO, Cuentas, Foto, pendientes
from .salida import DIA, NUNCA
from .textos import mezcla

TIPOS = SOURCES["lecturas"].column("tipo_consumo").codes
MEDIDO, PROMEDIO, ESTIMADO, AFORO, CAMBIO = (TIPOS.index(x) for x in (
    "medido", "promedio", "estimado", "aforo", "cambio_medidor"))
CAUSALES = SOURCES["lecturas"].column("causal_no_lectura").codes
SIN_MEDIDOR = CAUSALES.index("sin_medidor")
_NO_LEIDO = [CAUSALES.index(x) for x in ("predio_cerrado", "medidor_danado", "medidor_ilegible",
                                         "acceso_impedido", "medidor_enterrado", "otro")]
_NO_LEIDO_PESO = (0.45, 0.12, 0.10, 0.15, 0.10, 0.08)
CRITICA = SOURCES["lecturas"].column("critica").codes
NO_LEIDAS = 0.03


@dataclass
class Lecturas:
    idx: np.ndarray         # accounts billed this period (codigo order)
    consumo: np.ndarray     # m³ × 100
    estrato: np.ndarray     # as written in the snapshot (-1 = empty)


def leer(ctx, cu: Cuentas, t: int, foto: Foto) -> Lecturas:
    """Read, estimate and review the consumption of the active accounts.

    Suspended accounts are billed their fixed charges only: the route skips them, so
    they have no reading row and their history simply has a gap.
    """
    rng, periodo = ctx.rng, ctx.periodo(t)
    state = cu.estado[foto.idx]
    read = state == ACTIVO
    b, estr, dia = foto.idx[read], foto.estrato[read], foto.lectura[read]
    n = len(b)
    meter = cu.medidor[b] >= 0
    job = cu.ev_medidor[b]                       # 1 meter installed, 2 replaced since last reading
    new = cu.vinculacion[b] >= ctx.ms(t)
    prev = cu.hist[(t - 1) % 6, b] if t else np.full(n, -1)
    if ctx.defectos.activos and t == ctx.T - 3:
        _congelar(ctx, cu, b[meter & (job == 0) & ~new & (estr >= 0)])
    frozen = cu.congelado[b]

    # What each account used: its level, a drier-season peak around March, some noise.
    season = 1 + 0.08 * np.cos(2 * np.pi * (ctx.meses[t][1] - 3) / 12)
    noise = np.clip(rng.lognormal(0, 0.10, n), 0.75, 1.3)
    draw = np.maximum(np.round(cu.nivel[b] * season * noise * 100), 30).astype(np.int64)
    del noise
    c = draw.copy()
    tipo = np.full(n, MEDIDO, np.int8)
    causal = np.full(n, -1, np.int8)
    fecha = dia.astype(np.int64)

    # No meter: estimated from similar users, or gauged (aforo) for some businesses.
    aforo = ~meter & (cu.uso[b] != RES) & (mezcla(cu.h[b], 11) % np.uint64(2) == 0)
    tipo[~meter] = np.where(aforo[~meter], AFORO, ESTIMADO)
    causal[~meter] = SIN_MEDIDOR
    fecha[~meter] = NUNCA

    # The account's own history: the periods of the last six that have a reading row.
    hist = cu.hist[:, b]
    cnt = (hist >= 0).sum(0)
    tot = np.where(hist >= 0, hist, 0).sum(0, dtype=np.int64)
    steady = (hist > 0).all(0)                                   # six periods, none of them zero
    del hist
    prom = (2 * tot + cnt) // np.maximum(2 * cnt, 1)             # own mean, rounded half up

    # About 3 % of meters cannot be read: billed by the own average, or like similar users.
    regular = meter & (job == 0) & ~new & ~frozen & (estr >= 0)
    unread = regular & (rng.random(n) < NO_LEIDAS)
    by_avg = unread & (cnt > 0) & (prom > 0) & (rng.random(n) < 0.85)
    tipo[unread] = np.where(by_avg[unread], PROMEDIO, ESTIMADO)
    causal[unread] = rng.choice(_NO_LEIDO, int(unread.sum()), p=_NO_LEIDO_PESO)
    c = np.where(by_avg, prom, c)
    c[frozen] = 0

    # Planted defects, meter jobs, and no consumption repeated from the last period.
    anterior = cu.registro[b].copy()
    regres, desv = _defectos(ctx, t, regular & ~unread, anterior, steady, tot)
    c[regres] = 0
    c[desv] = np.maximum(np.round(tot[desv] / 6 * np.where(rng.random(desv.sum()) < 0.6, 3.0, 0.1)), 1)
    tipo[meter & (job == 2)] = CAMBIO
    anterior[job == 1] = 0
    repeat = np.isin(tipo, (MEDIDO, AFORO, CAMBIO)) & (c > 0) & (c == prev)
    c[repeat] += 1                               # two equal consumptions in a row never happen
    # Estimates: exactly the rounded mean of the measured rows of the same uso and estrato.
    estimated = tipo == ESTIMADO
    med = tipo == MEDIDO
    key = cu.uso[b].astype(np.int64) * 8 + estr + 1
    sums = np.bincount(key[med], weights=c[med], minlength=64).astype(np.int64)
    cnts = np.bincount(key[med], minlength=64)
    group = (2 * sums + cnts) // np.maximum(2 * cnts, 1)       # mean of similar users, half up
    fallback = estimated & ((cnts[key] == 0) | (group[key] == 0))
    tipo[fallback] = AFORO
    c = np.where(estimated & ~fallback, group[key], c)

    # Register readings: a new meter starts near zero; a misread one goes backwards.
    actual = np.where(regres, anterior - rng.integers(100, 5_000, n).clip(max=anterior), anterior + c)
    changed = tipo == CAMBIO
    actual[changed] = np.round(c[changed] * rng.uniform(0.3, 0.9, int(changed.sum())))   # new meter
    critica = _critica(ctx, cu, t, b, c, med, cnt, tot, sums, cnts, key)

    cols = {
        "codigo": s.relleno(s.Filas(cu.codigo, b), 8), "periodo": s.constante(periodo),
        "fecha_lectura": s.fecha(fecha),
        "lectura_anterior": s.fijo(anterior, 2, nulos=~meter),
        "lectura_actual": s.fijo(actual, 2, nulos=~meter | unread),
        "causal_no_lectura": s.vocab(causal, CAUSALES, nulos=causal < 0),
        "consumo_facturado": s.fijo(c, 2), "tipo_consumo": s.vocab(tipo, TIPOS),
        "critica": s.vocab(critica, CRITICA, nulos=critica < 0),
    }
    ctx.escribir("lecturas", t, n, cols)
    archivo = ctx.archivo("lecturas", t)
    for kind, which in (("lectura_regresiva", regres), ("desviacion_significativa", desv)):
        _anotar(ctx, kind, archivo, periodo, cu.codigo(b[which]))

    # What the next period needs: the register, the history and stopped meters.
    cu.registro[b] = np.select([regres, unread, meter], [anterior + draw, anterior + c, actual], 0)
    cu.hist[t % 6, :cu.n] = -1
    cu.hist[t % 6, b] = c
    zero = meter & (c == 0)
    racha = cu.racha_cero[b]
    cu.racha_cero[:cu.n] = 0
    cu.racha_cero[b] = np.where(zero, racha + 1, 0)
    cu.ev_medidor[b], cu.ev_medidor_dia[b] = 0, 0
    if t == ctx.T - 1:
        stopped = zero & (cu.racha_cero[b] >= 3)
        _anotar(ctx, "consumo_cero_recurrente", archivo, periodo, cu.codigo(b[stopped]))
    bill = read | (state == SUSPENDIDO)
    billed = np.zeros(int(bill.sum()), np.int64)
    billed[read[bill]] = c
    return Lecturas(foto.idx[bill], billed, foto.estrato[bill])


def _anotar(ctx, tipo: str, archivo: str, periodo: str, codigos: np.ndarray) -> None:
    ctx.defectos.anotar(tipo, "lecturas", archivo, {"codigo": [f"{x:08d}" for x in codigos],
                                                    "periodo": [periodo] * len(codigos)})


def _congelar(ctx, cu: Cuentas, cand: np.ndarray) -> None:
    """Stopped meters (planted): punctual active accounts that will read zero three times."""
    cand = cand[(cu.conducta[cand] == PUNTUAL) & ~pendientes(cu)[cand]]
    k = min(len(cand), max(2, round(len(cand) * 0.0005)))
    cu.congelado[ctx.rng.choice(cand, k, replace=False)] = True


def _defectos(ctx, t, regular, anterior, steady, tot):
    """Planted regressive readings and unmistakable deviations (×3 or ×0.1 the account's average)."""
    n = len(regular)
    regres, desv = np.zeros(n, bool), np.zeros(n, bool)
    if not ctx.defectos.activos or t == 0:
        return regres, desv
    rng = ctx.rng
    cand = np.flatnonzero(regular & (anterior >= 10_000))
    regres[rng.choice(cand, min(len(cand), max(1, round(n * 0.0005))), replace=False)] = True
    cand = np.flatnonzero(regular & ~regres & steady & (tot >= 6 * 300))
    desv[rng.choice(cand, min(len(cand), max(1, round(n * 0.001))), replace=False)] = True
    return regres, desv


def _critica(ctx, cu, t, b, c, med, cnt, tot, sums, cnts, key) -> np.ndarray:
    """Flag significant deviations (Res. CRA 151 de 2001) and order a visit for most of them."""
    cfg = ctx.settings.critica
    limit = cfg.promedio_limite_m3 * 100
    high = cfg.variacion_promedio_alto        # for averages of 40 m³ or more
    low = cfg.variacion_promedio_bajo
    lo, hi = cfg.rango_sin_historia
    a = tot / np.maximum(cnt, 1)
    m = sums[key] / np.maximum(cnts[key], 1)
    dev = med & np.where(cnt > 0, np.abs(c - a) > np.where(a >= limit, high, low) * a,
                         (c < lo * m) | (c > hi * m))
    rng = ctx.rng
    visit = dev & (rng.random(len(b)) < 0.7)
    who = b[visit]
    day = ctx.cal[t].ejec("critica")[cu.ciclo[who]]
    gen = day * DIA + rng.integers(8 * 3600, 17 * 3600, len(who))
    ctx.ordenes.agregar("revision_desviacion", "critica", cu.codigo(who), gen,
                        referencia=("periodo", t))
    critica = np.where(med, CRITICA.index("normal"), -1)
    critica[dev] = CRITICA.index("desviacion")
    critica[visit] = CRITICA.index("visita")
    return critica
