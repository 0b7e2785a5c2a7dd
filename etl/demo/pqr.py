"""PQR: petitions, complaints, claims and appeals (peticiones, quejas, reclamos, recursos).

A filing's whole course is decided when it is filed: its answer within the legal
term (Colombian business days), the notification, an appeal of a rejected claim
and its transfer to the SSPD. Each month's export is a movement file: the month's
filings plus the earlier ones answered, notified or transferred that month, each
as it stood at month end.
"""
from __future__ import annotations

import numpy as np

from etl.contract import SERVICIOS, SOURCES

from . import salida as s
from . import vocabulario as v
from .catastro import ACTIVO, Cuentas, Foto
from .salida import DIA, NUNCA

TIPOS = SOURCES["pqr"].column("tipo").codes
CANALES = SOURCES["pqr"].column("canal").codes
RESPUESTAS = SOURCES["pqr"].column("tipo_respuesta").codes
NOTIFICACIONES = SOURCES["pqr"].column("tipo_notificacion").codes
GRUPOS = ("F", "P")
HORA = 3600
POR_CUENTA = 0.015                # filings per active account and month
APELA = 0.14                      # share of rejected claims that are appealed
TARDE = 0.02                      # answered after the term (a planted defect)
# New filings: tipo, share, share about billing (grupo F).
_NUEVAS = (("reclamo", 0.58, 0.85), ("peticion", 0.31, 0.5), ("queja", 0.085, 0.15),
           ("sugerencia", 0.025, 0.0))
_PESO_CAUSAL = {"101": 3.0, "107": 2.0}       # high consumption and unapplied payments lead
_CANAL_PESO = {"presencial": 0.38, "telefonico": 0.14, "escrito": 0.12, "correo": 0.12, "web": 0.24}
_DECIDE_RECURSO = (("confirma", "modifica", "revoca"), (0.6, 0.25, 0.15))
_RESPUESTA = {
    "reclamo": (("accede", "accede_parcial", "no_accede", "rechaza", "traslado_competencia"),
                (0.35, 0.15, 0.44, 0.03, 0.03)),
    "peticion": (("accede", "no_accede", "traslado_competencia", "archiva"), (0.70, 0.18, 0.06, 0.06)),
    "queja": (("accede", "no_accede", "archiva"), (0.5, 0.4, 0.1)),
    "sugerencia": (("archiva",), (1.0,)),
    "recurso_reposicion": _DECIDE_RECURSO,
    "recurso_reposicion_apelacion": _DECIDE_RECURSO,
}
_NOTIFICACION = (("personal", "electronica", "aviso", "conducta_concluyente", "edicto"),
                 (0.4, 0.35, 0.15, 0.08, 0.02))
_COLS = ("num", "orig", "origen", "codigo", "fecha", "tipo", "servicio", "causal", "grupo", "canal",
         "factura", "resp", "tresp", "notif", "tnotif", "traslado", "desc", "tarde")


class Pqr:
    def __init__(self, ctx):
        self.ctx = ctx
        self.filas: dict[str, np.ndarray] | None = None     # filings with something still to happen
        self.recursos: dict[str, np.ndarray] | None = None  # appeals decided but not yet filed
        self.anio, self.seq = 0, 0
        causales = sorted(ctx.settings.pqr_causales.items()) or [
            ("101", {"grupo": "F"}), ("201", {"grupo": "P"})]
        self.causales = [c for c, _ in causales]
        self.grupo = np.array([GRUPOS.index(x["grupo"]) for _, x in causales])
        by_group = {g: [k for k, (_, x) in enumerate(causales) if x["grupo"] == g] for g in GRUPOS}
        self.por_grupo = {g: by_group[g] or by_group[o] for g, o in (("F", "P"), ("P", "F"))}
        # What users write: the texts of each cause, then suggestions, then appeals.
        self.textos, first, count = [], [], []
        for c in self.causales:
            options = v.DESCRIPCIONES.get(c, v.DESCRIPCIONES_OTRAS)
            first.append(len(self.textos))
            count.append(len(options))
            self.textos += options
        self.texto0, self.textos_n = np.array(first), np.array(count)
        self.sugerencia0 = len(self.textos)
        self.textos += v.SUGERENCIAS
        self.recurso0 = len(self.textos)
        self.textos += v.RECURSOS
        self.plazo = np.array([ctx.settings.pqr_plazos[t] for t in TIPOS])

    def radicar(self, t: int, cu: Cuentas, foto: Foto) -> None:
        """This month's filings: new ones, appeals falling due, and appeals filed the same month."""
        ctx, rng = self.ctx, self.ctx.rng
        fin = (ctx.me(t) + 1) * DIA - 1
        new = self._nuevas(t, cu, foto)
        if self.recursos is not None:
            due = self.recursos["fecha"] <= fin
            new = _concat(new, _take(self.recursos, due))
            self.recursos = _take(self.recursos, ~due)
        self._responder(new)
        rec = self._apelaciones(new)
        now = rec["fecha"] <= fin
        soon = _take(rec, now)
        self._responder(soon)
        new = _concat(new, soon)
        year = ctx.meses[t][0]
        if year != self.anio:
            self.anio, self.seq = year, 0
        order = np.lexsort((rng.random(len(new["fecha"])), new["fecha"]))      # numbered as filed
        new["num"][order] = year * 1_000_000 + self.seq + 1 + np.arange(len(order))
        self.seq += len(order)
        appeal = new["orig"] >= 0
        new["origen"][appeal] = new["num"][new["orig"][appeal]]
        later = _take(rec, ~now)
        later["origen"] = new["num"][later["orig"]]
        later["orig"][:] = new["orig"][:] = -1
        self.recursos = later if self.recursos is None else _concat(self.recursos, later)
        self._verificaciones(new)
        self.filas = new if self.filas is None else _concat(self.filas, new)

    def _nuevas(self, t: int, cu: Cuentas, foto: Foto) -> dict[str, np.ndarray]:
        """Users' new filings, mostly on business days, from active accounts and a few outsiders."""
        ctx, rng = self.ctx, self.ctx.rng
        active = foto.idx[cu.estado[foto.idx] == ACTIVO]
        n = rng.poisson(POR_CUENTA * len(active))
        days = np.arange(ctx.ms(t), ctx.me(t) + 1)
        saturday = (days + 3) % 7 == 5                          # 1970-01-01 was a Thursday
        w = np.where(ctx.habiles.es_habil(days), 1.0, np.where(saturday, 0.35, 0.08))
        day = rng.choice(days, n, p=w / w.sum())
        canal = rng.choice(len(CANALES), n, p=[_CANAL_PESO[c] for c in CANALES])
        web = canal == CANALES.index("web")
        fecha = day * DIA + np.where(web, rng.integers(0, DIA, n), rng.integers(7 * HORA, 18 * HORA, n))
        acct = rng.choice(active, n)
        known = rng.random(n) < 0.95
        kind = rng.choice(len(_NUEVAS), n, p=[x[1] for x in _NUEVAS])
        billing = rng.random(n) < np.array([x[2] for x in _NUEVAS])[kind]
        causal = np.zeros(n, np.int64)
        for g, mask in (("F", billing), ("P", ~billing)):
            codes = self.por_grupo[g]
            weight = np.array([_PESO_CAUSAL.get(self.causales[k], 1.0) for k in codes])
            causal[mask] = np.array(codes)[rng.choice(len(codes), int(mask.sum()), p=weight / weight.sum())]
        servicio = np.where(billing, rng.choice(3, n, p=[0.6, 0.2, 0.2]), rng.choice(2, n, p=[0.8, 0.2]))
        if "206" in self.causales:                              # waste collection
            servicio[causal == self.causales.index("206")] = SERVICIOS.index("aseo")
        grupo = np.where(rng.random(n) < 0.1, -1, self.grupo[causal])
        last = np.where(cu.factura_exp[acct] < day, cu.factura[acct], cu.factura_ant[acct])
        tipo = np.array([TIPOS.index(x[0]) for x in _NUEVAS])[kind]
        suggestion = tipo == TIPOS.index("sugerencia")
        desc = np.where(suggestion, self.sugerencia0 + rng.integers(0, len(v.SUGERENCIAS), n),
                        self.texto0[causal] + (rng.random(n) * self.textos_n[causal]).astype(np.int64))
        def empty():
            return np.full(n, -1)

        return {"num": np.zeros(n, np.int64), "orig": empty(), "origen": empty(),
                "codigo": np.where(known, cu.codigo(acct), -1), "fecha": fecha, "tipo": tipo,
                "servicio": servicio, "causal": causal, "grupo": grupo, "canal": canal,
                "factura": np.where(billing & known & (tipo == TIPOS.index("reclamo")), last, -1),
                "resp": np.full(n, NUNCA), "tresp": empty(), "notif": np.full(n, NUNCA), "tnotif": empty(),
                "traslado": np.full(n, NUNCA), "desc": desc, "tarde": np.zeros(n, bool)}

    def _responder(self, f: dict) -> None:
        """Answers within the term (a few late when defects are planted), then notification."""
        ctx, rng = self.ctx, self.ctx.rng
        n = len(f["num"])
        day = f["fecha"] // DIA
        term = self.plazo[f["tipo"]]
        k = 1 + rng.binomial(np.maximum(term - 1, 0), 0.45)
        late = ctx.defectos.activos & (term > 0) & (rng.random(n) < TARDE)
        k = np.where(late, term + rng.integers(1, 9, n), k)
        no_term = term == 0                                     # suggestions: answered or not
        k = np.where(no_term, rng.integers(2, 21, n), k)
        answered = ~no_term | (rng.random(n) < 0.75)
        ans_day = ctx.habiles.sumar(day, k)
        f["resp"] = np.where(answered, ans_day * DIA + rng.integers(8 * HORA, 17 * HORA + 1800, n), NUNCA)
        f["tarde"] = late
        for tipo, (codes, probs) in _RESPUESTA.items():
            m = f["tipo"] == TIPOS.index(tipo)
            answers = np.array([RESPUESTAS.index(c) for c in codes])
            f["tresp"][m] = answers[rng.choice(len(codes), int(m.sum()), p=probs)]
        notified = answered & ~no_term
        wait = rng.choice([0, 1, 2, 3, 5], n, p=[0.3, 0.3, 0.2, 0.1, 0.1])
        f["notif"] = np.where(notified, ans_day + wait, NUNCA)
        how = np.array([NOTIFICACIONES.index(c) for c in _NOTIFICACION[0]])
        f["tnotif"] = np.where(notified, how[rng.choice(len(how), n, p=_NOTIFICACION[1])], -1)
        to_sspd = (f["tipo"] == TIPOS.index("recurso_reposicion_apelacion")) & answered & \
            np.isin(f["tresp"], [RESPUESTAS.index("confirma"), RESPUESTAS.index("modifica")])
        f["traslado"] = np.where(to_sspd, ctx.habiles.sumar(ans_day, rng.integers(1, 6, n)), NUNCA)

    def _apelaciones(self, f: dict) -> dict[str, np.ndarray]:
        """Some rejected claims are appealed within five business days of their notification."""
        ctx, rng = self.ctx, self.ctx.rng
        rejected = (f["tipo"] == TIPOS.index("reclamo")) & (f["codigo"] >= 0) & (f["notif"] < NUNCA) & \
            np.isin(f["tresp"], [RESPUESTAS.index("no_accede"), RESPUESTAS.index("accede_parcial")])
        a = np.flatnonzero(rejected & (rng.random(len(rejected)) < APELA))
        n = len(a)
        day = ctx.habiles.sumar(f["notif"][a], rng.integers(1, 6, n))
        rec = _take(f, a)
        rec.update(
            orig=a, fecha=day * DIA + rng.integers(8 * HORA, 17 * HORA, n),
            tipo=np.where(rng.random(n) < 0.55, TIPOS.index("recurso_reposicion"),
                          TIPOS.index("recurso_reposicion_apelacion")),
            canal=np.where(rng.random(n) < 0.6, CANALES.index("escrito"), CANALES.index("presencial")),
            desc=self.recurso0 + rng.integers(0, len(v.RECURSOS), n),
            resp=np.full(n, NUNCA), tresp=np.full(n, -1), notif=np.full(n, NUNCA),
            tnotif=np.full(n, -1), traslado=np.full(n, NUNCA), tarde=np.zeros(n, bool))
        return rec

    def _verificaciones(self, f: dict) -> None:
        """A filing about a damaged meter sends a crew to check it."""
        if "205" not in self.causales:
            return
        ctx, rng = self.ctx, self.ctx.rng
        m = np.flatnonzero((f["causal"] == self.causales.index("205")) & (f["codigo"] >= 0)
                           & (f["tipo"] != TIPOS.index("sugerencia")))
        gen = ctx.habiles.sumar(f["fecha"][m] // DIA, 1) * DIA + rng.integers(8 * HORA, 12 * HORA, len(m))
        ctx.ordenes.agregar("verificacion_medidor", "pqr", f["codigo"][m], gen,
                            referencia=("radicado", f["num"][m]))

    def emitir(self, t: int) -> None:
        """Write ``pqr_P.csv``: the month's filings and the earlier ones that moved, at month end."""
        ctx, f = self.ctx, self.filas
        d0, d1 = ctx.ms(t), ctx.me(t)
        ini, fin = d0 * DIA, (d1 + 1) * DIA - 1
        show = ((f["fecha"] >= ini) & (f["fecha"] <= fin)) | ((f["resp"] >= ini) & (f["resp"] <= fin)) | \
            ((f["notif"] >= d0) & (f["notif"] <= d1)) | ((f["traslado"] >= d0) & (f["traslado"] <= d1))
        r = _take(f, np.flatnonzero(show))
        r = _take(r, np.argsort(r["num"], kind="stable"))
        answered, notified = r["resp"] <= fin, r["notif"] <= d1
        cols = {
            "radicado": s.calculado(lambda lo, hi: s.radicado(r["num"][lo:hi])),
            "codigo": s.relleno(r["codigo"], 8, nulos=r["codigo"] < 0),
            "fecha_radicacion": s.fecha_hora(r["fecha"]), "tipo": s.vocab(r["tipo"], TIPOS),
            "servicio": s.vocab(r["servicio"], SERVICIOS), "causal": s.vocab(r["causal"], self.causales),
            "grupo_causal": s.vocab(r["grupo"].clip(0), GRUPOS, nulos=r["grupo"] < 0),
            "canal": s.vocab(r["canal"], CANALES),
            "numero_factura": s.entero(r["factura"], r["factura"] < 0),
            "radicado_origen": s.calculado(lambda lo, hi: s.radicado(r["origen"][lo:hi])),
            "fecha_respuesta": s.fecha_hora(np.where(answered, r["resp"], NUNCA)),
            "tipo_respuesta": s.vocab(r["tresp"].clip(0), RESPUESTAS, nulos=~answered),
            "fecha_notificacion": s.fecha(np.where(notified, r["notif"], NUNCA)),
            "tipo_notificacion": s.vocab(r["tnotif"].clip(0), NOTIFICACIONES, nulos=~notified),
            "fecha_traslado_sspd": s.fecha(np.where(r["traslado"] <= d1, r["traslado"], NUNCA)),
            "descripcion": s.calculado(s.vocab(r["desc"], self.textos), libre=True),
        }
        ctx.escribir("pqr", t, len(r["num"]), cols)
        late = r["tarde"] & (r["resp"] >= ini) & (r["resp"] <= fin)
        ctx.defectos.anotar("pqr_respuesta_tardia", "pqr", ctx.archivo("pqr", t),
                            {"radicado": s.radicado(r["num"][late]).to_pylist()})
        pending = ((f["resp"] > fin) & (f["resp"] < NUNCA)) | ((f["notif"] > d1) & (f["notif"] < NUNCA)) | \
            ((f["traslado"] > d1) & (f["traslado"] < NUNCA))
        self.filas = _take(f, pending)


def _take(f: dict, which) -> dict:
    return {c: x[which].copy() for c, x in f.items()}


def _concat(a: dict, b: dict) -> dict:
    return {c: np.concatenate([a[c], b[c]]) for c in a}
