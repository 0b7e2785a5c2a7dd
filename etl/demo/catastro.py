"""The cadastre (catastro de usuarios): the accounts, how they change, and each period's snapshot.

Every account lives as one position in a set of numpy arrays (``Cuentas``), so a
period's work is a handful of vectorised operations. Stable texts (names,
addresses, phones) are not stored: ``textos`` derives them from one random 64-bit
value per account whenever a snapshot is written.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from etl.contract import SOURCES, USOS

from . import salida as s
from . import textos
from .textos import mezcla
from . import vocabulario as v
from .salida import DIA, NUNCA

ESTADOS = SOURCES["suscriptores"].column("estado").codes
ACTIVO, SUSPENDIDO, CORTADO, INACTIVO = (ESTADOS.index(e) for e in (
    "activo", "suspendido", "cortado", "inactivo"))
RES, COM, IND, OFI, ESP, PROV = range(len(USOS))
PUNTUAL, TARDIO, OCASIONAL, CRONICO = range(4)      # how an account pays (conducta)

USO_PESO = (0.91, 0.065, 0.005, 0.01, 0.005, 0.005)
ESTRATO_PESO = (0.38, 0.30, 0.18, 0.08, 0.04, 0.02)
CONDUCTA_PESO = (0.78, 0.135, 0.05, 0.035)
# Mean monthly consumption (m³ per dwelling) by use; residential by estrato 1..6.
NIVEL_RES = (13.0, 15.0, 18.0, 21.0, 25.0, 30.0)
NIVEL_USO = (0.0, 30.0, 150.0, 80.0, 40.0, 25.0)
CONEXION = 420_000                                   # connection charge, billed in 12 instalments

# The state of an account. Days are int32 days since 1970 and hold 0 where they do not
# apply (no meter, not suspended); only the queued state changes use the 64-bit NUNCA.
_FIELDS = {
    # who and where (texts are derived from h)
    "h": np.uint64, "muni": np.int8, "ciclo": np.int16, "ruta": np.int32, "secuencia": np.int32,
    "rural": bool, "lat": np.int32, "lon": np.int32,                 # micro-degrees
    "uso": np.int8, "estrato": np.int8, "unidades": np.int8, "vinculacion": np.int32,
    "acu": bool, "alc": bool, "ase": bool,
    # meter: serial (-1 none), brand, install day, register (m³ × 100), queued job (1 install,
    # 2 replacement) and its day
    "medidor": np.int32, "marca": np.int8, "instalacion": np.int32, "registro": np.int32,
    "ev_medidor": np.int8, "ev_medidor_dia": np.int32,
    # service state, with up to two queued changes (day, new state)
    "estado": np.int8, "presente": bool, "suspendido_desde": np.int32,
    "ev_dia0": np.int64, "ev_est0": np.int8, "ev_dia1": np.int64, "ev_est1": np.int8,
    # consumption: mean m³ a month, periods in a row at zero, planted stopped meter
    "nivel": np.float32, "racha_cero": np.int8, "congelado": bool,
    # billing: how it pays, an arrears episode (last period, payment day), its last two
    # invoices and the issue day of the last, one-off charge (and from when), instalments
    "conducta": np.int8, "episodio_fin": np.int16, "episodio_pago": np.int32,
    "factura": np.int32, "factura_ant": np.int32, "factura_exp": np.int32,
    "cargo": np.int32, "cargo_desde": np.int32, "cuota": np.int32, "cuotas": np.int8,
}
_START = {"medidor": -1, "ev_dia0": NUNCA, "ev_dia1": NUNCA, "episodio_fin": -1, "factura": -1,
          "factura_ant": -1}


class Cuentas:
    """Per-account state arrays (capacity fixed at creation); ``n`` accounts exist so far."""

    def __init__(self, cap: int):
        self.n = 0
        self.cap = cap
        for name, dtype in _FIELDS.items():
            setattr(self, name, np.full(cap, _START.get(name, 0), dtype=dtype))
        self.hist = np.full((6, cap), -1, np.int32)      # billed m³ (cents) of the last 6 periods
        self.serial = 0                                  # meters ever installed

    def codigo(self, i) -> np.ndarray:
        """The account code (8 digits when written): increasing with the position, 1 to 4 apart."""
        i = np.asarray(i, dtype=np.int64)
        return 1000 + 4 * i + (self.h[i] % np.uint64(4)).astype(np.int64)


@dataclass
class Territorio:
    dane: list[str]
    nombre: list[str]
    basico: np.ndarray          # consumo básico per municipality, m³
    peso: np.ndarray
    centro: np.ndarray          # (M, 2) lat, lon
    rural: np.ndarray
    barrios: list[tuple[str, ...]]
    ciclo_muni: np.ndarray
    ciclo_orden: np.ndarray     # position of the cycle inside its municipality's month
    ciclo_id: list[str]
    primer_ciclo: np.ndarray
    n_ciclos: np.ndarray
    ruta_id: list[str]
    primera_ruta: np.ndarray    # per cycle
    n_rutas: np.ndarray
    ruta_seq: np.ndarray        # last secuencia used in each route


def territorio(settings, n0: int) -> Territorio:
    """Municipalities from the settings, their cycles and routes (about 350 properties a route)."""
    info = [v.MUNICIPIOS.get(m.dane, v.MUNICIPIO_OTRO) for m in settings.municipios]
    peso = np.array([i[0] for i in info])
    peso = peso / peso.sum()
    n_ciclos = np.array([i[1] for i in info])
    ciclo_muni = np.repeat(np.arange(len(info)), n_ciclos)
    ciclo_orden = np.concatenate([np.arange(k) for k in n_ciclos])
    por_ciclo = n0 * peso[ciclo_muni] / n_ciclos[ciclo_muni]
    n_rutas = np.maximum(3, np.round(por_ciclo / 350)).astype(np.int64)
    ciclo_id = [f"{c + 1:02d}" for c in range(len(ciclo_muni))]
    ruta_id = [f"{ciclo_id[c]}{r + 1:03d}" for c in range(len(ciclo_muni)) for r in range(n_rutas[c])]
    return Territorio(
        dane=[m.dane for m in settings.municipios], nombre=[m.nombre for m in settings.municipios],
        basico=np.array([settings.consumo_basico_m3(m.altitud_msnm) for m in settings.municipios]),
        peso=peso, centro=np.array([i[2] for i in info]), rural=np.array([i[3] for i in info]),
        barrios=[v.BARRIOS.get(m.dane, v.BARRIOS_OTRO) for m in settings.municipios],
        ciclo_muni=ciclo_muni, ciclo_orden=ciclo_orden, ciclo_id=ciclo_id,
        primer_ciclo=np.concatenate([[0], np.cumsum(n_ciclos)[:-1]]), n_ciclos=n_ciclos,
        ruta_id=ruta_id, primera_ruta=np.concatenate([[0], np.cumsum(n_rutas)[:-1]]),
        n_rutas=n_rutas, ruta_seq=np.zeros(len(ruta_id), np.int64))


def dia_lectura(ctx, cu: Cuentas, idx: np.ndarray, t: int) -> np.ndarray:
    """The day each account's meter is read in period t (its cycle's reading takes two days)."""
    lect = ctx.cal[t].ejec("lectura")[cu.ciclo[idx]]
    return lect + (mezcla(cu.h[idx], 7) % np.uint64(2)).astype(np.int64)


# --------------------------------------------------------------------------- accounts

def crear(ctx, terr: Territorio, n0: int) -> Cuentas:
    """The utility at the start of the first period: n0 accounts with their history behind them."""
    cu = Cuentas(int(n0 * 1.15) + 1_000)            # room for two years of new connections
    i = _alta(ctx, cu, terr, n0)
    rng, start = ctx.rng, ctx.ms(0)
    years = rng.gamma(2.0, 6.0, n0).clip(0.1, 40)
    cu.vinculacion[i] = start - 1 - (years * 365.25).astype(np.int64)
    meter = cu.medidor[i] >= 0
    age = np.minimum(rng.uniform(0, 15 * 365.25, n0), start - 1 - cu.vinculacion[i]).astype(np.int64)
    cu.instalacion[i] = np.where(meter, start - 1 - age, 0)
    cu.registro[i] = np.where(meter, age / 30.4 * cu.nivel[i] * rng.uniform(0.8, 1.2, n0) * 100, 0)
    u = rng.random(n0)
    cu.estado[i] = np.select([u < 0.012, u < 0.015, u < 0.035], [SUSPENDIDO, CORTADO, INACTIVO], ACTIVO)
    cu.conducta[i] = np.where(np.isin(cu.estado[i], (SUSPENDIDO, CORTADO)), CRONICO, cu.conducta[i])
    cu.suspendido_desde[i] = np.where(cu.estado[i] == SUSPENDIDO, start - 40, 0)
    return cu


def _alta(ctx, cu: Cuentas, terr: Territorio, k: int) -> np.ndarray:
    """Allocate k accounts with their use, place, services, meter and consumption level."""
    rng = ctx.rng
    if cu.n + k > cu.cap:
        raise RuntimeError("demo: account capacity exceeded")
    i = np.arange(cu.n, cu.n + k)
    cu.n += k
    h = rng.integers(0, 2**63 - 1, k, dtype=np.int64).astype(np.uint64)
    cu.h[i] = h
    muni = rng.choice(len(terr.peso), k, p=terr.peso)
    ciclo = terr.primer_ciclo[muni] + (rng.random(k) * terr.n_ciclos[muni]).astype(np.int64)
    ruta = terr.primera_ruta[ciclo] + (rng.random(k) * terr.n_rutas[ciclo]).astype(np.int64)
    cu.muni[i], cu.ciclo[i], cu.ruta[i] = muni, ciclo, ruta
    cu.secuencia[i] = _secuencias(terr, ruta)
    rural = rng.random(k) < terr.rural[muni]
    cu.rural[i] = rural
    uso = rng.choice(len(USOS), k, p=USO_PESO)
    estrato = rng.choice(6, k, p=ESTRATO_PESO) + 1
    estrato = np.where(rural, np.minimum(estrato, rng.choice([1, 2], k, p=[0.8, 0.2])), estrato)
    cu.uso[i], cu.estrato[i] = uso, np.where(uso == RES, estrato, 0)
    extra = rng.random(k)
    cu.unidades[i] = np.where(extra < 0.985, 1, np.where(extra < 0.997, 2, rng.integers(3, 5, k)))
    cu.acu[i] = rng.random(k) < 0.99
    cu.alc[i] = rng.random(k) < np.where(rural, 0.25, 0.89)
    cu.ase[i] = (rng.random(k) < np.where(rural, 0.6, 0.97)) | ~(cu.acu[i] | cu.alc[i])
    spread = np.where(rural, 0.05, 0.012)
    cu.lat[i] = ((terr.centro[muni, 0] + rng.normal(0, 1, k) * spread) * 1e6).astype(np.int32)
    cu.lon[i] = ((terr.centro[muni, 1] + rng.normal(0, 1, k) * spread) * 1e6).astype(np.int32)
    conducta = rng.choice(4, k, p=CONDUCTA_PESO)
    cu.conducta[i] = np.where((uso == OFI) & (conducta != CRONICO), TARDIO, conducta)
    base = np.where(uso == RES, np.take(NIVEL_RES, cu.estrato[i] - 1, mode="clip"),
                    np.take(NIVEL_USO, uso))
    spread = np.clip(rng.lognormal(0, 0.18, k), 0.6, 1.45)
    cu.nivel[i] = base * cu.unidades[i] * spread
    meter = rng.random(k) < np.where(rural, 0.70, 0.935)
    _medidor(rng, cu, i[meter])
    cu.estado[i] = ACTIVO
    cu.presente[i] = True
    return i


def _secuencias(terr: Territorio, ruta: np.ndarray) -> np.ndarray:
    """New properties go to the end of their route, ten by ten."""
    order = np.argsort(ruta, kind="stable")
    r = ruta[order]
    first = np.searchsorted(r, r, side="left")
    seq = terr.ruta_seq[r] + 10 * (np.arange(len(r)) - first + 1)
    np.maximum.at(terr.ruta_seq, r, seq)
    out = np.empty_like(seq)
    out[order] = seq
    return out


def _medidor(rng, cu: Cuentas, i: np.ndarray) -> None:
    """Give accounts a new meter serial and brand (install date and register are set by callers)."""
    cu.medidor[i] = cu.serial + np.arange(len(i)) + 1
    cu.serial += len(i)
    cu.marca[i] = rng.integers(0, len(v.MARCAS_MEDIDOR), len(i))


def conectar(ctx, cu: Cuentas, terr: Territorio, t: int) -> np.ndarray:
    """New connections of period t: connected this month, before their cycle's reading."""
    rng = ctx.rng
    activos = int(np.count_nonzero(cu.presente[:cu.n] & (cu.estado[:cu.n] == ACTIVO)))
    i = _alta(ctx, cu, terr, rng.binomial(activos, 0.004))
    ms = ctx.ms(t)
    window = np.maximum(ctx.cal[t].ejec("lectura")[cu.ciclo[i]] - ms, 1)
    cu.vinculacion[i] = ms + (rng.random(len(i)) * window).astype(np.int64)
    cu.instalacion[i] = np.where(cu.medidor[i] >= 0, cu.vinculacion[i], 0)
    cu.conducta[i] = np.where(cu.conducta[i] == CRONICO, PUNTUAL, cu.conducta[i])
    run = cu.vinculacion[i].astype(np.int64) * DIA + rng.integers(8 * 3600, 16 * 3600, len(i))
    gen = np.maximum(run - rng.integers(1, 6, len(i)) * DIA, ms * DIA + 7 * 3600)
    ctx.ordenes.agregar("conexion_nueva", "solicitud", cu.codigo(i), gen, ejecucion=run,
                        valor=CONEXION, facturado=True, puede_tardar=False)
    cu.cuota[i], cu.cuotas[i] = CONEXION // 12, 12
    return i


def pendientes(cu: Cuentas) -> np.ndarray:
    """Accounts with a state change or a meter job still to happen (left alone by new decisions)."""
    n = cu.n
    return (cu.ev_dia0[:n] < NUNCA) | (cu.ev_medidor[:n] > 0) | cu.congelado[:n]


def avanzar(ctx, cu: Cuentas, t: int) -> None:
    """What changed since the last snapshot: retirements, state events, vacancies, meters."""
    rng, n = ctx.rng, cu.n
    idx = np.flatnonzero(cu.presente[:n])
    # An account leaves the cadastre only after a snapshot showed it inactivo.
    gone = idx[(cu.estado[idx] == INACTIVO) & (rng.random(len(idx)) < 0.015)]
    cu.presente[gone] = False
    idx = np.flatnonzero(cu.presente[:n])
    lect = dia_lectura(ctx, cu, idx, t)
    for _ in range(2):                                   # at most two queued state changes
        due = idx[cu.ev_dia0[idx] <= lect]
        if len(due):
            new_state = cu.ev_est0[due]
            cu.estado[due] = new_state
            since = np.where(new_state == ACTIVO, 0, cu.suspendido_desde[due])
            cu.suspendido_desde[due] = np.where(new_state == SUSPENDIDO, cu.ev_dia0[due], since)
            cu.ev_dia0[due], cu.ev_est0[due] = cu.ev_dia1[due], cu.ev_est1[due]
            cu.ev_dia1[due] = NUNCA
    free = idx[~pendientes(cu)[idx]]
    u = rng.random(len(free))
    st = cu.estado[free]
    cu.estado[free[(st == ACTIVO) & (cu.conducta[free] != CRONICO) & (u < 0.0012)]] = INACTIVO
    cu.estado[free[(st == INACTIVO) & (u < 0.04)]] = ACTIVO
    job = idx[(cu.ev_medidor[idx] > 0) & (cu.ev_medidor_dia[idx] <= lect)]
    _medidor(rng, cu, job)
    cu.instalacion[job] = cu.ev_medidor_dia[job]


def programar_medidores(ctx, cu: Cuentas, t: int) -> None:
    """Meter installations and replacements done between this reading and the next (orders)."""
    if t + 1 >= ctx.T:
        return
    rng, n = ctx.rng, cu.n
    idx = np.flatnonzero(cu.presente[:n] & (cu.estado[:n] == ACTIVO) & ~pendientes(cu))
    has = cu.medidor[idx] >= 0
    old = (ctx.ms(t) - cu.instalacion[idx]) > ctx.settings.vida_util_anios * 365.25
    u = rng.random(len(idx))
    install = idx[~has & (u < 0.012)]
    change = idx[has & ((old & (u < 0.02)) | (u < 0.0005))]
    for tipo, who, origen in (("instalacion_medidor", install, "solicitud"),
                              ("cambio_medidor", change, "programada")):
        a = ctx.cal[t].ejec("lectura")[cu.ciclo[who]] + 2
        b = ctx.cal[t + 1].ejec("lectura")[cu.ciclo[who]] - 1
        day = a + (rng.random(len(who)) * np.maximum(b - a, 1)).astype(np.int64)
        run = day * DIA + rng.integers(8 * 3600, 16 * 3600, len(who))
        gen = np.maximum(run - rng.integers(1, 7, len(who)) * DIA, (a - 1) * DIA + 7 * 3600)
        valor = 165_000 if tipo == "instalacion_medidor" else 0
        ctx.ordenes.agregar(tipo, origen, cu.codigo(who), gen, ejecucion=run, valor=valor,
                            facturado=valor > 0, puede_tardar=False)
        cu.ev_medidor[who] = 1 if tipo == "instalacion_medidor" else 2
        cu.ev_medidor_dia[who] = day
        if valor:
            cu.cuota[who], cu.cuotas[who] = valor // 6, 6


# --------------------------------------------------------------------------- snapshot

def _proteccion(cu: Cuentas, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which accounts hold a user of special constitutional protection: every special-use
    property (hospitals, schools) and about 1 home in 500, from the account's stable random
    value; the others are written empty (empty = no)."""
    protegida = (cu.uso[a] == ESP) | ((cu.uso[a] == RES) & (mezcla(cu.h[a], 77) % np.uint64(500) == 0))
    return protegida, ~protegida


@dataclass
class Foto:
    """A period's snapshot as written: which accounts, their estrato as written, reading day."""
    idx: np.ndarray
    estrato: np.ndarray         # -1 where written empty (a planted defect)
    lectura: np.ndarray


def escribir(ctx, cu: Cuentas, terr: Territorio, t: int) -> Foto:
    """Write ``suscriptores_P.csv`` (with planted duplicates and missing estratos)."""
    rng = ctx.rng
    idx = np.flatnonzero(cu.presente[:cu.n])
    estrato = cu.estrato[idx].copy()
    rows = np.arange(len(idx))
    if ctx.defectos.activos:
        cand = np.flatnonzero((cu.uso[idx] == RES) & (cu.medidor[idx] >= 0) & (cu.estado[idx] == ACTIVO)
                              & ~pendientes(cu)[idx] & (cu.vinculacion[idx] < ctx.ms(t)))
        sin = rng.choice(cand, min(len(cand), max(1, round(len(idx) * 0.0005))), replace=False)
        estrato[sin] = -1
        cand = np.flatnonzero(cu.estado[idx] == INACTIVO)
        dup = np.sort(rng.choice(cand, min(len(cand), max(1, round(len(idx) * 0.0003))), replace=False))
        rows = np.sort(np.concatenate([rows, dup]), kind="stable")
        archivo = ctx.archivo("suscriptores", t)
        for tipo, which in (("residencial_sin_estrato", np.sort(sin)), ("codigo_duplicado", dup)):
            ctx.defectos.anotar(tipo, "suscriptores", archivo,
                                {"codigo": [f"{c:08d}" for c in cu.codigo(idx[which])],
                                 "periodo": [ctx.periodo(t)] * len(which)})
    copia = np.zeros(len(rows), bool)
    copia[1:] = rows[1:] == rows[:-1]
    a = idx[rows]
    e = estrato[rows]

    def de(campo: str) -> s.Filas:
        values = getattr(cu, campo)
        return s.Filas(lambda i: values[i], a)

    cols = {
        "codigo": s.relleno(s.Filas(cu.codigo, a), 8),
        "periodo": s.constante(ctx.periodo(t)),
        "municipio_dane": s.vocab(de("muni"), terr.dane),
        "zona": s.vocab(de("rural"), ("urbana", "rural")),
        "uso": s.vocab(de("uso"), USOS),
        "estrato": s.entero(e, e < 0),
        "acueducto": s.booleano(de("acu")), "alcantarillado": s.booleano(de("alc")),
        "aseo": s.booleano(de("ase")),
        "ciclo": s.vocab(de("ciclo"), terr.ciclo_id),
        "ruta": s.vocab(de("ruta"), terr.ruta_id),
        "secuencia": s.entero(de("secuencia")),
        "medidor_instalacion": s.fecha(s.Filas(
            lambda i: np.where(cu.medidor[i] >= 0, cu.instalacion[i].astype(np.int64), NUNCA), a)),
        "estado": s.vocab(de("estado"), ESTADOS),
        "fecha_vinculacion": s.fecha(de("vinculacion")),
        "unidades": s.entero(de("unidades")),
        "latitud": s.fijo(de("lat"), 6), "longitud": s.fijo(de("lon"), 6),
        **textos.columnas(cu, terr, a, copia),
        "proteccion_especial": s.booleano(*_proteccion(cu, a)),
    }
    ctx.escribir("suscriptores", t, len(a), cols)
    return Foto(idx, estrato, dia_lectura(ctx, cu, idx, t).astype(np.int32))
