"""Work orders (órdenes de trabajo): their whole life is decided when they are generated.

Each month's export is a movement file: the orders generated that month and the
earlier ones whose state changed that month, each with its state at month end.
Loaded in order, the upsert by ``numero`` leaves every order in its last state.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import SOURCES

from . import salida as s
from . import vocabulario as v
from .salida import DIA, NUNCA

TIPOS = SOURCES["ordenes"].column("tipo").codes
ORIGENES = SOURCES["ordenes"].column("origen").codes
ESTADOS = SOURCES["ordenes"].column("estado").codes
HORA = 3600
# Hours to do each kind of job (fecha_vencimiento − fecha_generacion).
PLAZO_H = {"suspension": 120, "corte": 240, "reinstalacion": 24, "reconexion": 24,
           "aviso_suspension": 72, "revision_desviacion": 168, "instalacion_medidor": 360,
           "cambio_medidor": 360, "verificacion_medidor": 240, "conexion_nueva": 360, "otro": 240}
TARDE = 0.02            # share of orders executed after their deadline when defects are planted
ANULADAS = 0.01
_RESULTADOS = [r for t in TIPOS for r in v.RESULTADOS[t]]
_RES0 = {t: sum(len(v.RESULTADOS[x]) for x in TIPOS[:k]) for k, t in enumerate(TIPOS)}
_COLS = ("numero", "codigo", "tipo", "origen", "ref_tipo", "ref", "gen", "venc", "eje", "cie", "anu",
         "resultado", "valor", "facturado", "tarde")
REFERENCIAS = ("factura", "periodo", "radicado")     # what ``referencia`` names, kept as a number


class Ordenes:
    def __init__(self, ctx):
        self.ctx = ctx
        self.siguiente = 1
        self.filas = {c: [] for c in _COLS}

    def agregar(self, tipo: str, origen: str, codigo, gen, referencia=None, ejecucion=None,
                anulacion=None, valor=0, facturado=False, puede_tardar=True) -> np.ndarray:
        """Generate orders; returns when each is executed (``NUNCA`` if annulled).

        ``referencia`` is (kind, numbers): an invoice number, a period index or a PQR
        number (-1: none). Without ``ejecucion`` the crew does the job within its term;
        with defects on, a few are done late. ``anulacion`` annuls an order instead.
        """
        rng = self.ctx.rng
        gen = np.asarray(gen, np.int64)
        n = len(gen)
        plazo = PLAZO_H[tipo] * HORA
        venc = gen + plazo
        if ejecucion is None:
            eje = gen + (rng.uniform(0.08, 0.92, n) * plazo).astype(np.int64)
        else:
            eje = np.asarray(ejecucion, np.int64)
        tarde = np.zeros(n, bool)
        if self.ctx.defectos.activos and puede_tardar:
            tarde = rng.random(n) < TARDE
            eje = np.where(tarde, venc + rng.integers(2 * HORA, 96 * HORA, n), eje)
        eje = _jornada(rng, eje)
        eje = np.where(tarde, eje, np.clip(eje, gen + 600, venc - 600))
        cie = np.where(tarde, eje + rng.integers(HORA, 24 * HORA, n),
                       eje + (rng.random(n) * np.maximum(venc - eje, 0)).astype(np.int64))
        anu = np.full(n, NUNCA) if anulacion is None else np.asarray(anulacion, np.int64)
        if ejecucion is None:
            anu = np.where(rng.random(n) < ANULADAS, gen + rng.integers(HORA, plazo // 2, n), anu)
        annulled = anu < NUNCA
        eje = np.where(annulled, NUNCA, eje)
        cie = np.where(annulled, NUNCA, cie)
        tarde &= ~annulled
        k = len(v.RESULTADOS[tipo])
        cols = {
            "numero": self.siguiente + np.arange(n), "codigo": np.asarray(codigo, np.int64),
            "tipo": np.full(n, TIPOS.index(tipo), np.int8),
            "origen": np.full(n, ORIGENES.index(origen), np.int8),
            "ref_tipo": np.full(n, -1 if referencia is None else REFERENCIAS.index(referencia[0]), np.int8),
            "ref": np.broadcast_to(np.asarray(-1 if referencia is None else referencia[1], np.int64), (n,)),
            "gen": gen, "venc": venc, "eje": eje, "cie": cie, "anu": anu,
            "resultado": _RES0[tipo] + rng.integers(0, k, n),
            "valor": np.broadcast_to(np.asarray(valor, np.int64), (n,)),
            "facturado": np.broadcast_to(np.asarray(facturado, bool), (n,)),
            "tarde": tarde,
        }
        self.siguiente += n
        for c in _COLS:
            self.filas[c].append(cols[c])
        return eje

    def emitir(self, t: int) -> None:
        """Write ``ordenes_P.csv``: this month's new and changed orders, as they stand at month end."""
        ctx = self.ctx
        if not self.filas["numero"]:
            self.agregar("otro", "programada", [], [])
        f = {c: np.concatenate(x) for c, x in self.filas.items()}
        ini, fin = ctx.ms(t) * s.DIA, (ctx.me(t) + 1) * s.DIA - 1

        def within(x):
            return (x >= ini) & (x <= fin)

        moved = within(f["gen"]) | within(f["eje"]) | within(f["cie"]) | within(f["anu"])
        show = (f["gen"] <= fin) & moved
        r = {c: x[show] for c, x in f.items()}
        order = np.argsort(r["numero"], kind="stable")
        r = {c: x[order] for c, x in r.items()}
        done = r["eje"] <= fin
        closed = r["cie"] <= fin
        annulled = r["anu"] <= fin
        estado = np.select([annulled, closed, done], [3, 1, 2], 0)      # indexes into ESTADOS below
        estados = ("pendiente", "cerrada", "ejecutada", "anulada")
        valor = r["valor"]
        cols = {
            "numero": s.relleno(r["numero"], 8, "OT"),
            "codigo": s.relleno(r["codigo"], 8, nulos=r["codigo"] < 0),
            "tipo": s.vocab(r["tipo"], TIPOS), "origen": s.vocab(r["origen"], ORIGENES),
            "referencia": s.calculado(lambda lo, hi: _referencias(ctx, r["ref_tipo"][lo:hi],
                                                                   r["ref"][lo:hi])),
            "fecha_generacion": s.fecha_hora(r["gen"]), "fecha_vencimiento": s.fecha_hora(r["venc"]),
            "fecha_ejecucion": s.fecha_hora(np.where(done, r["eje"], NUNCA)),
            "fecha_cierre": s.fecha_hora(np.where(closed, r["cie"], np.where(annulled, r["anu"], NUNCA))),
            "estado": s.vocab(estado, estados),
            "resultado": s.calculado(s.vocab(r["resultado"], _RESULTADOS, nulos=~done), libre=True),
            "valor_cargo": s.entero(valor, valor <= 0),
            "facturado": s.booleano(r["facturado"] & done, valor <= 0),
        }
        ctx.escribir("ordenes", t, len(order), cols)
        late = r["tarde"] & within(r["eje"])
        ctx.defectos.anotar("orden_vencida", "ordenes", ctx.archivo("ordenes", t),
                            {"numero": [f"OT{x:08d}" for x in r["numero"][late]]})
        keep = (f["gen"] > fin) | ((f["eje"] > fin) & (f["eje"] < NUNCA)) | \
               ((f["cie"] > fin) & (f["cie"] < NUNCA)) | ((f["anu"] > fin) & (f["anu"] < NUNCA))
        self.filas = {c: [x[keep]] for c, x in f.items()}


def _jornada(rng, eje: np.ndarray) -> np.ndarray:
    """Crews work from 7:00 to 18:00: a job that would fall at night is done the next morning."""
    hour = eje % DIA
    morning = rng.integers(7 * HORA, 9 * HORA, len(eje))
    return np.where(hour < 7 * HORA, eje - hour + morning,
                    np.where(hour > 18 * HORA, eje - hour + DIA + morning, eje))


def _referencias(ctx, kind: np.ndarray, ref: np.ndarray) -> pa.Array:
    """The text of each reference: the invoice number, the period ``YYYY-MM`` or the radicado."""
    none = (kind < 0) | (ref < 0)
    invoice = pa.array(ref, mask=none).cast(pa.string())
    period = pa.array([ctx.periodo(t) for t in range(ctx.T)]).take(pa.array(ref.clip(0, ctx.T - 1)))
    out = pc.if_else(pa.array(kind == REFERENCIAS.index("periodo")), period, invoice)
    pqr = s.radicado(np.where(none, -1, ref))
    return pc.if_else(pa.array(kind == REFERENCIAS.index("radicado")), pqr, out)
