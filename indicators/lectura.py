"""The one sentence that reads an indicator's trend, for people (``look-and-feel.md``):
"Subió 2,4 pp frente a septiembre de 2026; cumple la meta por tercer mes seguido."

Aggregates only: the dashboard's meeting mode and the HTML presentation both use it.
"""
from __future__ import annotations

from cauce.formato import cambio, mes
from indicators.catalogo import cumple

_ORDINALES = ("primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "séptimo", "octavo",
              "noveno", "décimo", "undécimo", "duodécimo")


def lectura(serie: list[dict], unidad: str, mayor_es_mejor: bool | None) -> str:
    """``serie``: the periods oldest first, each {"periodo", "valor", "meta"}; the last one
    is the month read."""
    actual = serie[-1]
    if actual["valor"] is None:
        return f"Sin datos en {mes(actual['periodo'])}."
    partes = [_variacion(serie, unidad)]
    meta = actual["meta"]
    if meta is not None and mayor_es_mejor is not None:
        seguidos = 0
        for f in reversed(serie):
            if not cumple(f["valor"], f["meta"], mayor_es_mejor):
                break
            seguidos += 1
        if seguidos == 0:
            partes.append("no cumple la meta")
        elif seguidos == 1:
            partes.append("cumple la meta")
        elif seguidos <= len(_ORDINALES):
            partes.append(f"cumple la meta por {_ORDINALES[seguidos - 1]} mes seguido")
        else:
            partes.append(f"cumple la meta desde hace {seguidos} meses")
    texto = "; ".join(partes)
    return texto[0].upper() + texto[1:] + "."


def _variacion(serie: list[dict], unidad: str) -> str:
    if len(serie) < 2 or serie[-2]["valor"] is None:
        return "sin dato del mes anterior para comparar"
    antes = serie[-2]
    delta = serie[-1]["valor"] - antes["valor"]
    if abs(delta) < 1e-9:
        return f"se mantuvo igual que en {mes(antes['periodo'])}"
    verbo = "subió" if delta > 0 else "bajó"
    return f"{verbo} {cambio(abs(delta), unidad).removeprefix('+')} frente a {mes(antes['periodo'])}"
