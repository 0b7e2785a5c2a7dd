"""Official correspondence and the user satisfaction survey (NSU).

Correspondence is exported like PQR: each month the letters received and the ones
answered that month. The survey is a round in June and one in December.
"""
from __future__ import annotations

import math

import numpy as np

from etl.contract import USOS

from . import salida as s
from . import vocabulario as v
from .catastro import ACTIVO, Cuentas, Foto
from .salida import NUNCA


# --------------------------------------------------------------------------- correspondence

_TIPOS = [x[0] for x in v.CORRESPONDENCIA]
TARDE = 0.04                      # letters answered after their limit


class Correspondencia:
    """Official letters: received on business days, answered within their limit (mostly)."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.filas: dict[str, np.ndarray] | None = None     # letters not answered yet
        self.anio, self.seq = 0, 0

    def recibir(self, t: int) -> None:
        ctx, rng = self.ctx, self.ctx.rng
        n = rng.poisson(15 + 8 * math.log10(max(ctx.escala, 1000) / 1000))
        days = np.arange(ctx.ms(t), ctx.me(t) + 1)
        rec = np.sort(rng.choice(days[ctx.habiles.es_habil(days)], n))
        kind = rng.choice(len(_TIPOS), n, p=[x[1] for x in v.CORRESPONDENCIA])
        term = np.array([x[2] for x in v.CORRESPONDENCIA])[kind]
        business = np.array([x[3] for x in v.CORRESPONDENCIA])[kind]
        limit = np.where(business, ctx.habiles.sumar(rec, term), rec + term)
        k = 1 + (rng.random(n) * term).astype(np.int64)              # 1..term
        answer = np.where(business, ctx.habiles.sumar(rec, k), rec + k)
        answer = np.where(rng.random(n) < TARDE, limit + rng.integers(1, 10, n), answer)
        judge = np.array(["Juzgado" in r for r in v.REMITENTES])      # tutelas come from judges
        sender = np.where(kind == _TIPOS.index("tutela"), rng.choice(np.flatnonzero(judge), n),
                          rng.choice(np.flatnonzero(~judge), n))
        year = ctx.meses[t][0]
        if year != self.anio:
            self.anio, self.seq = year, 0
        new = {"anio": np.full(n, year), "seq": self.seq + 1 + np.arange(n), "rec": rec, "tipo": kind,
               "rem": sender, "resp": rng.integers(0, len(v.RESPONSABLES), n), "limite": limit,
               "respuesta": answer}
        self.seq += n
        old = self.filas
        self.filas = new if old is None else {c: np.concatenate([old[c], new[c]]) for c in new}

    def emitir(self, t: int) -> None:
        """Write ``correspondencia_P.csv``: letters received or answered this month."""
        ctx, f = self.ctx, self.filas
        a, b = ctx.ms(t), ctx.me(t)
        show = ((f["rec"] >= a) & (f["rec"] <= b)) | ((f["respuesta"] >= a) & (f["respuesta"] <= b))
        r = {c: x[show] for c, x in f.items()}
        cols = {
            "radicado": s.texto([f"CE-{y}-{q:05d}" for y, q in zip(r["anio"], r["seq"])]),
            "fecha_recibido": s.fecha(r["rec"]), "tipo": s.vocab(r["tipo"], _TIPOS),
            "remitente": s.calculado(s.vocab(r["rem"], v.REMITENTES), libre=True),
            "responsable": s.vocab(r["resp"], v.RESPONSABLES), "fecha_limite": s.fecha(r["limite"]),
            "fecha_respuesta": s.fecha(np.where(r["respuesta"] <= b, r["respuesta"], NUNCA)),
        }
        ctx.escribir("correspondencia", t, int(show.sum()), cols)
        self.filas = {c: x[f["respuesta"] > b] for c, x in f.items()}


# --------------------------------------------------------------------------- survey

_NSU_PESO = {"servicio": (0.03, 0.05, 0.12, 0.38, 0.42), "facturacion": (0.04, 0.07, 0.14, 0.40, 0.35),
             "atencion": (0.04, 0.06, 0.13, 0.39, 0.38), "saneamiento": (0.03, 0.06, 0.13, 0.40, 0.38),
             "general": (0.02, 0.05, 0.12, 0.45, 0.36)}
_NSU_OTRA = (0.03, 0.05, 0.13, 0.40, 0.39)


def encuestar(ctx, cu: Cuentas, t: int, foto: Foto) -> None:
    """June and December: a survey round of about the required sample (±5 % at 95 %)."""
    anio, mes = ctx.meses[t]
    if mes not in (6, 12):
        return
    rng = ctx.rng
    ronda = f"{anio}-S{1 if mes == 6 else 2}"
    active = foto.idx[cu.estado[foto.idx] == ACTIVO]
    n0 = 1.96**2 * 0.25 / 0.05**2
    need = math.ceil(n0 / (1 + (n0 - 1) / len(active)))
    n = min(len(active), need + int(rng.integers(0, 15)))
    who = rng.choice(active, n, replace=False)
    known = rng.random(n) < 0.97
    days = np.arange(ctx.ms(t) + 4, ctx.ms(t) + 25)
    fecha = rng.choice(days[ctx.habiles.es_habil(days)], n)
    preguntas = list(ctx.settings.nsu_preguntas.items())
    q = len(preguntas)
    if not q or not n:
        return
    valor = np.stack([rng.choice(5, n, p=_NSU_PESO.get(p["dimension"], _NSU_OTRA)) + 1
                      for _, p in preguntas], axis=1)
    empty = rng.random((n, q)) < 0.02
    for j, (_, p) in enumerate(preguntas):
        text = p["texto"].lower()
        if "alcantarillado" in text:
            empty[:, j] |= ~cu.alc[who]
        if "residuos" in text or "aseo" in text:
            empty[:, j] |= ~cu.ase[who]
    r = np.repeat(np.arange(n), q)
    cols = {
        "ronda": s.constante(ronda),
        "encuesta": s.texto([f"{ronda}-{i + 1:05d}" for i in r]),
        "fecha": s.fecha(fecha[r]),
        "codigo": s.relleno(cu.codigo(who)[r], 8, nulos=~known[r]),
        "municipio_dane": s.vocab(cu.muni[who][r], [m.dane for m in ctx.settings.municipios]),
        "estrato": s.entero(cu.estrato[who][r], ~known[r]),
        "uso": s.vocab(cu.uso[who][r], USOS, nulos=~known[r]),
        "pregunta": s.vocab(np.tile(np.arange(q), n), [pid for pid, _ in preguntas]),
        "valor": s.entero(valor.ravel(), empty.ravel()),
    }
    ctx.escribir("encuestas", ronda, n * q, cols)
