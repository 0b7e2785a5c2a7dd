"""Collection actions (gestión de cartera): notices, suspensions, cuts, reinstatements, agreements.

On each cycle's suspension day the ledger says who owes how many past-due
invoices. Since every invoice's payment day is already known, a suspension's
outcome is too: it is annulled when the user pays before the crew arrives, and
the service is reinstated when the invoices behind it are paid.
"""
from __future__ import annotations

import numpy as np

from .catastro import ACTIVO, CORTADO, CRONICO, PUNTUAL, SUSPENDIDO, Cuentas, pendientes
from .facturacion import Libro
from .ordenes import HORA
from .salida import DIA, NUNCA

CARGO = {"reinstalacion": 38_000, "reconexion": 76_000}


def decidir(ctx, cu: Cuentas, t: int, libro: Libro) -> None:
    rng, n = ctx.rng, cu.n
    day = ctx.cal[t].ejec("suspension")                 # NUNCA where it falls after the last month
    d = day[cu.ciclo[libro.cuenta]]
    owed = (libro.due < d) & (libro.pay2 > d)
    count = np.bincount(libro.cuenta[owed], minlength=n)
    paid = np.zeros(n, np.int64)
    np.maximum.at(paid, libro.cuenta[owed], libro.pay2[owed])
    oldest = _oldest_invoice(libro, owed, n)
    free = cu.presente[:n] & ~pendientes(cu)
    k = ctx.settings.facturas_para_suspension
    state = cu.estado[:n]
    u = rng.random(n)
    when = day[cu.ciclo[:n]]
    _suspender(ctx, cu, np.flatnonzero(free & (state == ACTIVO) & (count >= k)), when, paid, oldest)
    aviso = np.flatnonzero(free & (state == ACTIVO) & (count == k - 1) & (count > 0) & (u < 0.15))
    gen = when[aviso] * DIA + rng.integers(7 * HORA, 11 * HORA, len(aviso))
    ctx.ordenes.agregar("aviso_suspension", "cartera", cu.codigo(aviso), gen,
                        referencia=("factura", oldest[aviso]))
    long_ago = when - cu.suspendido_desde[:n] >= 60
    never_pays = paid == NUNCA
    cut = np.flatnonzero(free & (state == SUSPENDIDO) & (count >= k + 2) & never_pays & long_ago & (u < 0.5))
    gen = when[cut] * DIA + rng.integers(7 * HORA, 11 * HORA, len(cut))
    done = ctx.ordenes.agregar("corte", "cartera", cu.codigo(cut), gen, referencia=("factura", oldest[cut]))
    _evento(cu, cut, done, CORTADO)
    _acuerdos(ctx, cu, t, libro, free)


def _oldest_invoice(libro: Libro, owed: np.ndarray, n: int) -> np.ndarray:
    """The number of each account's oldest past-due invoice (-1 where it owes none)."""
    e = np.flatnonzero(owed)
    e = e[np.lexsort((libro.due[e], libro.cuenta[e]))]
    acct, first = np.unique(libro.cuenta[e], return_index=True)
    out = np.full(n, -1, np.int64)
    out[acct] = libro.numero[e[first]]
    return out


def _suspender(ctx, cu: Cuentas, who, when, paid, oldest) -> None:
    """Suspension orders; annulled if the user pays first, followed by a reinstatement when paid."""
    rng = ctx.rng
    gen = when[who] * DIA + rng.integers(7 * HORA, 11 * HORA, len(who))
    hour = rng.integers(8 * HORA, 17 * HORA, len(who))
    pay_time = np.where(paid[who] >= NUNCA, NUNCA, paid[who] * DIA + hour)
    plan = gen + (rng.uniform(0.08, 0.92, len(who)) * 120 * HORA).astype(np.int64)
    annul = np.where(pay_time <= plan, np.maximum(pay_time, gen + HORA), NUNCA)
    done = ctx.ordenes.agregar("suspension", "cartera", cu.codigo(who), gen,
                               referencia=("factura", oldest[who]),
                               ejecucion=plan, anulacion=annul)
    executed = done < NUNCA
    _evento(cu, who[executed], done[executed], SUSPENDIDO)
    back = executed & (pay_time < NUNCA)
    _reinstalar(ctx, cu, who[back], np.maximum(pay_time[back], done[back] + HORA), "reinstalacion", slot=1)


def _reinstalar(ctx, cu: Cuentas, who, paid_at, tipo: str, slot: int) -> None:
    """Restore service after payment: within 24 hours (a few late when defects are planted)."""
    rng = ctx.rng
    gen = paid_at + rng.integers(HORA, 6 * HORA, len(who))
    run = gen + rng.integers(HORA, 22 * HORA, len(who))
    billed = rng.random(len(who)) < 0.9
    done = ctx.ordenes.agregar(tipo, "cartera", cu.codigo(who), gen, ejecucion=run,
                               valor=CARGO[tipo], facturado=billed)
    _evento(cu, who, done, ACTIVO, slot)
    charged = who[billed]
    cu.cargo[charged] += CARGO[tipo]
    cu.cargo_desde[charged] = np.maximum(cu.cargo_desde[charged], done[billed] // DIA)


def _evento(cu: Cuentas, who, at_seconds, estado: int, slot: int = 0) -> None:
    day = np.asarray(at_seconds) // DIA
    if slot == 0:
        cu.ev_dia0[who], cu.ev_est0[who] = day, estado
    else:
        cu.ev_dia1[who], cu.ev_est1[who] = day, estado


def _acuerdos(ctx, cu: Cuentas, t: int, libro: Libro, free: np.ndarray) -> None:
    """Payment agreements: a few chronic debtors finance their debt and pay one invoice a month."""
    if t + 1 >= ctx.T:
        return
    rng, n = ctx.rng, cu.n
    unpaid = (libro.pay2 >= NUNCA) & ~libro.fin
    count = np.bincount(libro.cuenta[unpaid], minlength=n)
    free = free & ~pendientes(cu)            # not the accounts just given an order above
    who = np.flatnonzero(free & (cu.conducta[:n] == CRONICO) & (count >= 3) & (rng.random(n) < 0.03))
    if not len(who):
        return
    signed = ctx.cal[t].ejec("lectura")[cu.ciclo[who]] + rng.integers(3, 20, len(who))
    e = np.flatnonzero(unpaid & np.isin(libro.cuenta, who))
    e = e[np.lexsort((libro.due[e], libro.cuenta[e]))]
    first = np.searchsorted(libro.cuenta[e], libro.cuenta[e], side="left")
    rank = np.arange(len(e)) - first
    libro.fin[e] = True
    libro.pay1[e] = libro.pay2[e] = ctx.ms(t + 1) + 30 * rank + rng.integers(0, 20, len(e))
    cu.conducta[who] = PUNTUAL
    for estado, tipo in ((SUSPENDIDO, "reinstalacion"), (CORTADO, "reconexion")):
        back = cu.estado[who] == estado
        _reinstalar(ctx, cu, who[back], signed[back] * DIA + 9 * HORA, tipo, slot=0)
