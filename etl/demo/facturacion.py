"""Invoices (facturas), what is collected (pagos) and what is still owed (cartera).

When an invoice is issued its payment days are decided from how the account pays
(punctual, late, episodes of arrears, chronic non-payer). The open invoices wait
in a ledger (``Libro``) until paid; each month end the ledger is the receivables.
"""
from __future__ import annotations

import numpy as np

from etl.contract import SERVICIOS

from . import salida as s
from . import vocabulario as v
from .catastro import CRONICO, OCASIONAL, OFI, PUNTUAL, RES, Cuentas, Territorio
from .consumo import Lecturas
from .salida import NUNCA
from .tarifas import Tarifas, factor_pct

BLOQUE = 100_000                                   # accounts billed per block (bounds memory)
_LAG = np.array([1, 2, 0, 0, 3])                   # days from payment to application, by canal
_ENTIDADES = [e for c in v.CANALES for e in v.ENTIDADES[c]]
_ENT0 = np.cumsum([0] + [len(v.ENTIDADES[c]) for c in v.CANALES])


class Libro:
    """Open invoices: account, number, issue and due day, total per service, payment days."""
    COLS = ("cuenta", "numero", "exp", "due", "tot", "pay1", "pay2", "fin")

    def __init__(self):
        self.cuenta = self.numero = self.exp = self.due = np.zeros(0, np.int32)
        self.pay1 = self.pay2 = np.zeros(0, np.int64)          # NUNCA: never paid
        self.tot = np.zeros((0, 3), np.int32)
        self.fin = np.zeros(0, bool)

    def agregar(self, **cols) -> None:
        for c in self.COLS:
            old = getattr(self, c)
            setattr(self, c, np.concatenate([old, np.asarray(cols[c]).astype(old.dtype)]))

    def filtrar(self, keep: np.ndarray) -> None:
        for c in self.COLS:
            setattr(self, c, getattr(self, c)[keep])


def facturar(ctx, cu: Cuentas, terr: Territorio, t: int, lect: Lecturas, libro: Libro,
             tarifas: Tarifas) -> None:
    """Write ``facturas_P.csv``: one row per billed account and service, charged as the tariff
    table in force says (``tariffs.md``), but for the planted rows billed off the tariff."""
    nuevas = []
    with ctx.abrir("facturas", t) as out:
        for lo in range(0, len(lect.idx), BLOQUE):
            part = slice(lo, lo + BLOQUE)
            nuevas.append(_bloque(ctx, cu, terr, t, lect.idx[part], lect.consumo[part],
                                  lect.estrato[part], out, tarifas, lo == 0))
    if nuevas:
        libro.agregar(**{c: np.concatenate([x[c] for x in nuevas]) for c in Libro.COLS})


def _cargos(precios, muni, u, c, basico, pct):
    """The four charges (pesos) of each account and service, in exact integers: ``c`` is m³ in
    hundredths, ``basico`` the basic block in hundredths of m³ per account, ``pct`` the factor in
    hundredths. Rounded half away from zero to the peso (every amount here is positive)."""
    n = len(muni)
    cf, vc, sub, con = (np.zeros((3, n), np.int64) for _ in range(4))
    sp, cp = np.maximum(-pct, 0), np.maximum(pct, 0)
    for k in range(2):
        fijo, precio = precios[muni, k, 0], precios[muni, k, 1]
        cf[k] = fijo * u
        vc[k] = (c * precio + 50) // 100
        sub[k] = (sp * (cf[k] * 100 + np.minimum(c, basico) * precio) + 5000) // 10000
        con[k] = (cp * (cf[k] * 100 + c * precio) + 5000) // 10000
    cf[2] = precios[muni, 2, 0] * u
    vc[2] = precios[muni, 2, 1] * u
    sub[2] = (sp * (cf[2] + vc[2]) + 50) // 100
    con[2] = (cp * (cf[2] + vc[2]) + 50) // 100
    return cf, vc, sub, con


def _fuera_de_tarifa(ctx, cu, terr, t, b, c, estrato, tarifas, has):
    """The planted invoice rows billed off the tariff: {kind: (rows, charges billed)} of the
    acueducto service. The first three accounts that fit each kind (no random draw)."""
    if not ctx.defectos.activos:
        return {}
    uso, u, muni = cu.uso[b], cu.unidades[b].astype(np.int64), cu.muni[b].astype(np.int64)
    pct = factor_pct(ctx.settings, uso, estrato)
    basico = terr.basico[muni] * u * 100
    libre = has[0].copy()            # acueducto rows not planted yet
    out = {}

    def plantar(tipo, elegibles, precios=None, unidades=None, bloque=None, factor=None):
        rows = np.flatnonzero(elegibles & libre)[:3]
        libre[rows] = False
        if len(rows):
            uu = (u if unidades is None else unidades)[rows]
            bb = (basico if bloque is None else bloque)[rows]
            out[tipo] = rows, _cargos(tarifas.precios[t] if precios is None else precios,
                                      muni[rows], uu, c[rows], bb,
                                      (pct if factor is None else factor)[rows])

    mc, tc = tarifas.cambio
    if t == tc:
        plantar("tarifa_anterior", muni == mc, precios=tarifas.anteriores[t])
    if t == ctx.T - 1:
        res = uso == RES
        plantar("subsidio_todo_consumo", res & (estrato == 1) & (c > basico) & (muni != mc),
                bloque=np.full(len(b), np.iinfo(np.int64).max // 10**9))
        plantar("contribucion_estrato_4", res & (estrato == 4),
                factor=np.where(estrato == 4, 50, pct))
        alto = terr.basico < terr.basico.max()
        if alto.any():
            plantar("bloque_basico_errado", res & (pct < 0) & alto[muni] & (c > basico),
                    bloque=terr.basico.max() * u * 100)
        plantar("multiusuario_como_uno", (u > 1) & (c > 0), unidades=np.ones(len(b), np.int64),
                bloque=terr.basico[muni] * 100)
    return out


def _bloque(ctx, cu, terr, t, b, c, estrato, out, tarifas, primero) -> dict[str, np.ndarray]:
    """Bill a block of accounts; returns their invoices for the ledger."""
    rng, cal, n = ctx.rng, ctx.cal[t], len(b)
    cyc = cu.ciclo[b]
    exp, due = cal.ejec("impresion")[cyc], cal.prog("vencimiento")[cyc]
    entrega = cal.ejec("reparto")[cyc] + rng.integers(0, 4, n)
    entrega = np.where(rng.random(n) < 0.012, due - rng.integers(0, 5, n), entrega)
    numero = ctx.siguiente_factura + np.arange(n)
    ctx.siguiente_factura += n
    u, muni = cu.unidades[b].astype(np.int64), cu.muni[b].astype(np.int64)
    pct = factor_pct(ctx.settings, cu.uso[b], estrato)
    has = np.stack([cu.acu[b], cu.alc[b], cu.ase[b]])
    cf, vc, sub, con = _cargos(tarifas.precios[t], muni, u, c, terr.basico[muni] * u * 100, pct)
    planted = _fuera_de_tarifa(ctx, cu, terr, t, b, c, estrato, tarifas, has) if primero else {}
    for rows, cargos in planted.values():
        for mine, theirs in zip((cf, vc, sub, con), cargos):
            mine[0, rows] = theirs[0]
    otros = np.zeros((3, n), np.int64)
    otros[np.argmax(has, axis=0), np.arange(n)] = _otros_cargos(cu, b, exp)
    total = (cf + vc - sub + con + otros) * has

    pay1, pay2 = _pagos_previstos(ctx, cu, t, b, exp, due)
    cu.factura_ant[b], cu.factura[b], cu.factura_exp[b] = cu.factura[b], numero, exp

    sel = has.T.ravel()
    row = np.repeat(np.arange(n), 3)[sel]
    serv = np.tile(np.arange(3), n)[sel]

    def rows(x):
        return x.T.ravel()[sel]

    cols = {
        "numero": s.entero(numero[row]), "codigo": s.relleno(cu.codigo(b)[row], 8),
        "periodo": s.constante(ctx.periodo(t)), "servicio": s.vocab(serv, SERVICIOS),
        "fecha_expedicion": s.fecha(exp[row]), "fecha_entrega": s.fecha(entrega[row]),
        "fecha_vencimiento": s.fecha(due[row]), "consumo_m3": s.fijo(c[row], 2, nulos=serv == 2),
        "cargo_fijo": s.entero(rows(cf)), "valor_consumo": s.entero(rows(vc)),
        "subsidio": s.entero(rows(sub)), "contribucion": s.entero(rows(con)),
        "otros_cargos": s.entero(rows(otros)), "valor_total": s.entero(rows(total)),
    }
    out.agregar(len(row), cols)
    archivo = ctx.archivo("facturas", t)
    for tipo, (r, _) in planted.items():
        ctx.defectos.anotar(tipo, "facturas", archivo,
                            {"numero": list(numero[r]), "servicio": ["acueducto"] * len(r)})
    if tarifas.sin_tarifa is not None:
        m, uso, k = tarifas.sin_tarifa
        r = np.flatnonzero((muni == m) & (cu.uso[b] == uso) & has[k])
        ctx.defectos.anotar("clase_sin_tarifa", "facturas", archivo,
                            {"numero": list(numero[r]), "servicio": [SERVICIOS[k]] * len(r)})
    return {"cuenta": b.astype(np.int32), "numero": numero.astype(np.int32), "exp": exp.astype(np.int32),
            "due": due.astype(np.int32), "tot": total.T.astype(np.int32), "pay1": pay1, "pay2": pay2,
            "fin": np.zeros(n, bool)}


def _otros_cargos(cu: Cuentas, b: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """Reconnection charges done before this issue, and instalments of meters and connections."""
    charge = np.where((cu.cargo[b] > 0) & (cu.cargo_desde[b] < exp), cu.cargo[b], 0)
    cu.cargo[b] -= charge
    cuota = np.where(cu.cuotas[b] > 0, cu.cuota[b], 0)
    cu.cuotas[b] = np.maximum(cu.cuotas[b] - 1, 0)
    return charge + cuota


def _pagos_previstos(ctx, cu, t, b, exp, due):
    """When each new invoice will be paid (``NUNCA`` for chronic non-payers)."""
    rng, n = ctx.rng, len(b)
    cond = cu.conducta[b]
    on_time = exp + 1 + np.floor(rng.random(n) ** 0.7 * (due - exp)).astype(np.int64)
    late = due + np.minimum(rng.geometric(1 / 20, n), 90)
    late = np.where(cu.uso[b] == OFI, due + rng.integers(20, 120, n), late)   # public entities pay late
    start = (cond == OCASIONAL) & (cu.episodio_fin[b] < t) & (rng.random(n) < 0.08)
    k = rng.integers(2, 5, n)
    cu.episodio_fin[b[start]] = t + k[start] - 1
    cu.episodio_pago[b[start]] = due[start] + 30 * (k[start] - 1) + rng.integers(3, 26, int(start.sum()))
    episode = (cond == OCASIONAL) & (cu.episodio_fin[b] >= t)
    pay = np.where(cond == PUNTUAL, on_time, late)
    pay = np.where((cond == OCASIONAL) & (rng.random(n) < 0.75), on_time, pay)
    pay = np.where(episode, np.maximum(cu.episodio_pago[b], exp + 1), pay)
    pay = np.where(cond == CRONICO, NUNCA, pay)
    partial = (cond != CRONICO) & ~episode & (rng.random(n) < 0.015)
    return pay, np.where(partial, pay + rng.integers(10, 46, n), pay)


def pagos(ctx, cu: Cuentas, t: int, libro: Libro) -> None:
    """Write ``pagos_P.csv``: every payment made in the month (a partial payment pays half)."""
    rng, ms, me = ctx.rng, ctx.ms(t), ctx.me(t)
    first = np.flatnonzero((libro.pay1 >= ms) & (libro.pay1 <= me))
    second = np.flatnonzero((libro.pay2 > libro.pay1) & (libro.pay2 >= ms) & (libro.pay2 <= me))
    entry = np.concatenate([first, second])
    fecha = np.concatenate([libro.pay1[first], libro.pay2[second]])
    half = (libro.tot[entry] // 2).sum(1)
    whole = libro.tot[first].sum(1)
    partial = libro.pay2[first] > libro.pay1[first]
    valor = np.concatenate([np.where(partial, whole - half[:len(first)], whole), half[len(first):]])
    numero = libro.numero[entry]
    codigo = cu.codigo(libro.cuenta[entry])
    part = np.repeat([0, 1], [len(first), len(second)])
    if ctx.defectos.activos and len(valor):
        k = max(1, round(len(valor) * 0.001))       # unidentified payments (planted)
        fecha = np.concatenate([fecha, rng.integers(ms, me + 1, k)])
        valor = np.concatenate([valor, rng.choice(valor, k)])
        numero = np.concatenate([numero, np.full(k, -1)])
        codigo = np.concatenate([codigo, np.full(k, -1)])
        part = np.concatenate([part, np.full(k, 2)])
    order = np.lexsort((part, numero, fecha))
    fecha, valor, numero = fecha[order], valor[order], numero[order]
    codigo, part = codigo[order], part[order]
    n = len(order)
    ids = ctx.siguiente_pago + np.arange(n)
    ctx.siguiente_pago += n
    canal = rng.choice(len(v.CANALES), n, p=v.CANAL_PESO)
    canal = np.where(part == 2, rng.integers(0, 2, n), canal)
    entidad = _ENT0[canal] + (rng.random(n) * (_ENT0[canal + 1] - _ENT0[canal])).astype(np.int64)
    cols = {
        "id": s.relleno(ids, 10, "RC"), "codigo": s.relleno(codigo, 8, nulos=codigo < 0),
        "numero_factura": s.entero(numero, numero < 0), "fecha_pago": s.fecha(fecha),
        "fecha_aplicacion": s.fecha(np.minimum(fecha + _LAG[canal], me)), "valor": s.entero(valor),
        "canal": s.vocab(canal, v.CANALES), "entidad": s.vocab(entidad, _ENTIDADES),
    }
    ctx.escribir("pagos", t, n, cols)
    ctx.defectos.anotar("pago_sin_identificar", "pagos", ctx.archivo("pagos", t),
                        {"id": [f"RC{x:010d}" for x in ids[part == 2]]})


def cartera(ctx, cu: Cuentas, t: int, libro: Libro) -> None:
    """Write ``cartera_P.csv``: each invoice and service still owed at the month's last day."""
    me = ctx.me(t)
    entries = np.flatnonzero((libro.exp <= me) & (libro.pay2 > me))
    entries = entries[np.lexsort((libro.numero[entries], libro.cuenta[entries]))]
    with ctx.abrir("cartera", t) as out:
        for lo in range(0, len(entries), BLOQUE):
            e = entries[lo:lo + BLOQUE]
            saldo = np.where((libro.pay1[e] <= me)[:, None], libro.tot[e] // 2, libro.tot[e])
            sel = (saldo > 0).ravel()
            row = np.repeat(e, 3)[sel]
            cols = {
                "fecha_corte": s.fecha(np.full(len(row), me)),
                "codigo": s.relleno(cu.codigo(libro.cuenta[row]), 8),
                "numero_factura": s.entero(libro.numero[row]),
                "servicio": s.vocab(np.tile(np.arange(3), len(e))[sel], SERVICIOS),
                "fecha_vencimiento": s.fecha(libro.due[row]),
                "saldo": s.entero(saldo.ravel()[sel]), "financiado": s.booleano(libro.fin[row]),
            }
            out.agregar(len(row), cols)
    libro.filtrar(libro.pay2 > me)
