"""``cauce demo``: two years of a fictional regional utility, period by period.

Each period runs the commercial cycle in its real order: the cadastre changes and
is exported, meters are read and reviewed, invoices are issued, collection
decides suspensions, users pay, receivables are cut at month end, and customer
care files its PQR. Only per-account state crosses from one period to the next,
so memory stays flat whatever the number of periods.
"""
from __future__ import annotations

import ctypes
from pathlib import Path

import numpy as np
import pyarrow as pa

from cauce import CauceError
from cauce.settings import Settings

from . import atencion, catastro, cobro, consumo, facturacion, pqr, tarifas
from . import salida as s
from .contexto import Contexto
from .ordenes import Ordenes
from .tiempo import ACTIVIDADES, Habiles, calendarios, fin_de_mes, periodos, ultimo_mes_completo

ESCALAS = {"pequena": 5_000, "mediana": 200_000, "grande": 2_000_000}
PERIODOS = 24


def generate(salida: Path, settings: Settings, escala: str = "pequena", semilla: int = 1,
             hasta: str | None = None, defectos: bool = True, progreso=None) -> dict:
    """Write the demo export files; returns {"archivos", "filas": {fuente: filas}, "defectos"}."""
    if escala not in ESCALAS:
        raise CauceError(f"La escala {escala!r} no existe: use pequena, mediana o grande.", 2)
    meses = periodos(hasta or ultimo_mes_completo(), PERIODOS)
    salida = Path(salida)
    salida.mkdir(parents=True, exist_ok=True)
    for old in sorted(salida.glob("*.csv")) + sorted(salida.glob("defectos.json")):
        old.unlink()

    rng = np.random.Generator(np.random.PCG64(semilla))
    n0 = round(ESCALAS[escala] * 0.95)
    terr = catastro.territorio(settings, n0)
    habiles = Habiles(meses[0][0] - 1, meses[-1][0] + 2)
    cal = calendarios(rng, meses, terr.ciclo_orden, habiles, fin_de_mes(*meses[-1]))
    ctx = Contexto(settings, rng, salida, meses, cal, habiles, s.Defectos(defectos), ESCALAS[escala])
    ctx.ordenes = Ordenes(ctx)
    pqrs, correspondencia = pqr.Pqr(ctx), atencion.Correspondencia(ctx)
    libro = facturacion.Libro()
    cu = catastro.crear(ctx, terr, n0)
    tabla = tarifas.crear(ctx, terr)

    for t in range(ctx.T):
        if t:
            catastro.avanzar(ctx, cu, t)
            catastro.conectar(ctx, cu, terr, t)
        foto = catastro.escribir(ctx, cu, terr, t)
        lect = consumo.leer(ctx, cu, t, foto)
        facturacion.facturar(ctx, cu, terr, t, lect, libro, tabla)
        cobro.decidir(ctx, cu, t, libro)
        catastro.programar_medidores(ctx, cu, t)
        facturacion.pagos(ctx, cu, t, libro)
        facturacion.cartera(ctx, cu, t, libro)
        pqrs.radicar(t, cu, foto)
        correspondencia.recibir(t)
        atencion.encuestar(ctx, cu, t, foto)
        pqrs.emitir(t)
        ctx.ordenes.emitir(t)
        correspondencia.emitir(t)
        _calendario(ctx, terr, t)
        _devolver_memoria()
        if progreso is not None:
            progreso(ctx.periodo(t), t + 1, ctx.T)
    return {"archivos": ctx.archivos, "filas": dict(ctx.filas), "defectos": ctx.defectos.escribir(salida)}


def _devolver_memoria() -> None:
    """Give the period's freed buffers back to the system, so memory stays flat across periods."""
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):        # not glibc: nothing to trim
        pass


def _calendario(ctx: Contexto, terr: catastro.Territorio, t: int) -> None:
    """Write ``calendario_P.csv``: each cycle's ten activities, planned and done."""
    cal = ctx.cal[t]
    k, c = cal.programada.shape
    ciclo = np.repeat(np.arange(c), k)
    act = np.tile(np.arange(k), c)
    cols = {
        "periodo": s.constante(ctx.periodo(t)), "ciclo": s.vocab(ciclo, terr.ciclo_id),
        "actividad": s.vocab(act, ACTIVIDADES),
        "fecha_programada": s.fecha(cal.programada[act, ciclo]),
        "fecha_ejecutada": s.fecha(cal.ejecutada[act, ciclo]),
    }
    ctx.escribir("calendario", t, k * c, cols)
