"""The commercial calendar (calendario comercial): planned against done, per cycle."""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from etl.contract import SOURCES
from indicators.definicion import AUN_NO_VENCE, PROPORCION, Contexto, indicador, si

K = w.tables["calendario"]
# The calendar's activities, in the order a cycle goes through them (the dashboard's rows).
ACTIVIDADES = SOURCES["calendario"].column("actividad").codes


@indicador("calendario.cumplimiento", "Cumplimiento del calendario comercial",
           "Actividades del periodo ejecutadas a más tardar en su fecha programada / "
           "actividades del periodo programadas hasta el corte de los datos (sin ejecutar "
           "cuenta como tardía).", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=("ciclo",), fuentes=["calendario"],
           provisional=True)
def cumplimiento(q: Contexto) -> sa.Select:
    """The activities of periodo P; those planned after the data's cut-off are not judged."""
    por_vencer = q.aun_no_vence(K.c.fecha_programada)
    return (sa.select(K.c.periodo, K.c.ciclo, K.c.actividad, K.c.fecha_programada,
                      K.c.fecha_ejecutada, K.c.ciclo.label("grupo_ciclo"),
                      si(sa.and_(~por_vencer, K.c.fecha_ejecutada <= K.c.fecha_programada))
                      .label("numerador"),
                      si(~por_vencer).label("denominador"), si(por_vencer).label(AUN_NO_VENCE))
            .where(K.c.periodo == q.p()))
