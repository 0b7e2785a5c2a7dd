"""Official correspondence (tutelas, requirements of control bodies): answered on time."""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import PROPORCION, Contexto, indicador, si

D = w.tables["correspondencia"]


@indicador("correspondencia.oportunidad", "Correspondencia respondida a tiempo",
           "Documentos con fecha límite en el mes respondidos a más tardar ese día / "
           "documentos con fecha límite en el mes.", PROPORCION, mayor_es_mejor=True,
           razon=True, desgloses=(), fuentes=["correspondencia"])
def correspondencia(q: Contexto) -> sa.Select:
    return (sa.select(D.c.radicado, D.c.tipo, D.c.remitente, D.c.responsable,
                      D.c.fecha_recibido, D.c.fecha_limite, D.c.fecha_respuesta,
                      si(D.c.fecha_respuesta <= D.c.fecha_limite).label("numerador"),
                      sa.literal(1).label("denominador"))
            .where(q.en_mes(D.c.fecha_limite)))
