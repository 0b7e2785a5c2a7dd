"""Official correspondence (tutelas, requirements of control bodies): answered on time."""
from __future__ import annotations

import sqlalchemy as sa

from etl import warehouse as w
from indicators.definicion import AUN_NO_VENCE, PROPORCION, Contexto, indicador, si

D = w.tables["correspondencia"]


@indicador("correspondencia.oportunidad", "Correspondencia respondida a tiempo",
           "Documentos con fecha límite en el mes respondidos a más tardar ese día / "
           "documentos con fecha límite en el mes, hasta el corte de los datos.", PROPORCION,
           mayor_es_mejor=True, razon=True, desgloses=(), fuentes=["correspondencia"],
           provisional=True)
def correspondencia(q: Contexto) -> sa.Select:
    """The documents due in month(P); those due after the data's cut-off are not judged."""
    por_vencer = q.aun_no_vence(D.c.fecha_limite)
    return (sa.select(D.c.radicado, D.c.tipo, D.c.remitente, D.c.responsable,
                      D.c.fecha_recibido, D.c.fecha_limite, D.c.fecha_respuesta,
                      si(sa.and_(~por_vencer, D.c.fecha_respuesta <= D.c.fecha_limite))
                      .label("numerador"),
                      si(~por_vencer).label("denominador"), si(por_vencer).label(AUN_NO_VENCE))
            .where(q.en_mes(D.c.fecha_limite)))
