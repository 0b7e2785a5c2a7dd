"""The indicators each page shows in its cards (and draws in its trends): one list per page,
so the page draws them and the dashboard computes them ahead (``datos.calentar``)."""
from __future__ import annotations

from indicators.catalogo import PRINCIPALES

TARJETAS = {
    "resumen": list(PRINCIPALES),
    "recaudo": ["recaudo.eficiencia", "recaudo.eficiencia_oportuna", "recaudo.valor",
                "recaudo.por_identificar"],
    "cartera": ["cartera.total", "cartera.vencida", "cartera.usuarios_morosos",
                "cartera.dias_rotacion"],
    "facturacion": ["facturacion.valor", "facturacion.m3", "facturacion.lectura_efectiva",
                    "facturacion.consumo_no_medido", "facturacion.usuarios",
                    "facturacion.consumo_promedio", "facturacion.reparto_oportuno",
                    "facturacion.balance_solidario", "facturacion.subsidios",
                    "facturacion.contribuciones"],
    "critica": ["critica.desviaciones", "critica.desviaciones_sin_visita",
                "critica.consumo_cero_recurrente", "critica.lectura_regresiva"],
    "pqr": ["pqr.oportunidad", "pqr.radicadas", "pqr.dias_habiles_promedio",
            "pqr.vencidas_sin_respuesta", "pqr.en_riesgo", "pqr.fuera_de_termino",
            "pqr.a_favor_usuario", "pqr.reclamos_por_1000"],
    "ordenes": ["ordenes.cumplimiento", "ordenes.reinstalacion_24h",
                "ordenes.vencidas_pendientes", "ordenes.cargos_sin_facturar"],
    "nsu": ["nsu.indice", "nsu.encuestas", "nsu.margen_error", "nsu.muestra_requerida"],
    "calendario": ["calendario.cumplimiento", "correspondencia.oportunidad"],
    "tarifas": ["tarifas.exactitud", "tarifas.sin_tarifa", "tarifas.sobrefacturado",
                "tarifas.subfacturado", "tarifas.variacion_indice", "ordenes.cargos_perdidos"],
}

# The working list each page opens with (Cartera, Crítica, PQR, Órdenes).
LISTAS = ("persuasivo", "desviaciones", "pqr_en_riesgo", "ordenes_vencidas")

