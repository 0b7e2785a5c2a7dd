"""The commercial calendar (calendario comercial): planned against done, per cycle."""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import PROPORCION, Contexto, indicador, si

K = w.tables["calendario"]


@indicador("calendario.cumplimiento", "Cumplimiento del calendario comercial",
           "Actividades del periodo ejecutadas a más tardar en su fecha programada / "
           "actividades del periodo (sin ejecutar cuenta como tardía).", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=("ciclo",), fuentes=["calendario"])
def cumplimiento(q: Contexto) -> sa.Select:
    return (sa.select(K.c.periodo, K.c.ciclo, K.c.actividad, K.c.fecha_programada,
                      K.c.fecha_ejecutada, K.c.ciclo.label("grupo_ciclo"),
                      si(K.c.fecha_ejecutada <= K.c.fecha_programada).label("numerador"),
                      sa.literal(1).label("denominador"))
            .where(K.c.periodo == q.p()))
