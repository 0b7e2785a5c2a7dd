"""User satisfaction (NSU): the survey round of P (YYYY-S1 January–June, YYYY-S2 July–December).

Answers are the rows of the round with ``valor`` 1–5; the index is the top-two-box share
(4 or 5). Each answer carries the respondent's own municipality, stratum and use.
"""
from __future__ import annotations

import dataclasses
import math

import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from indicators.definicion import (CONTEO, PROPORCION, REGISTRO, Contexto, Indicador, familia,
                                   formula, indicador, medida, ronda, si)

E = w.tables["encuestas"]
Z = 1.96                     # 95 % confidence
N0 = Z ** 2 * 0.25 / 0.05 ** 2   # ±5 % at 95 % with p = 0.5: 384.16


def _dimensiones(settings: Settings) -> dict[str, list[str]]:
    """{dimension: its question ids} from ``[nsu.preguntas]``, in order of appearance."""
    out: dict[str, list[str]] = {}
    for pid, pregunta in settings.nsu_preguntas.items():
        out.setdefault(pregunta["dimension"], []).append(pid)
    return out


@familia(
    medida("nsu.indice", "Nivel de satisfacción del usuario (NSU)",
           "Respuestas con 4 o 5 / respuestas de 1 a 5 de la ronda de encuestas del periodo.",
           PROPORCION, mayor_es_mejor=True, numerador="favorable", denominador="respuesta"),
    fuentes=["encuestas"])
def respuestas(q: Contexto) -> sa.Select:
    """The answers (valor 1–5) of the round of P, with one favourable/answer pair of columns
    per dimension of the questionnaire (``dim<i>_favorable``, ``dim<i>_respuesta``)."""
    favorable = E.c.valor >= 4
    por_dimension = []
    for i, preguntas in enumerate(_dimensiones(q.settings).values()):
        de_ella = E.c.pregunta.in_(preguntas)
        por_dimension += [si(sa.and_(de_ella, favorable)).label(f"dim{i}_favorable"),
                          si(de_ella).label(f"dim{i}_respuesta")]
    return (sa.select(E.c.ronda, E.c.encuesta, E.c.pregunta, E.c.valor, E.c.codigo,
                      E.c.municipio_dane.label("grupo_municipio"),
                      E.c.estrato.label("grupo_estrato"), E.c.uso.label("grupo_uso"),
                      si(favorable).label("favorable"), sa.literal(1).label("respuesta"),
                      *por_dimension)
            .where(E.c.ronda == ronda(q.periodo), E.c.valor.between(1, 5)))


@indicador("nsu.encuestas", "Encuestas aplicadas",
           "Encuestas (cuestionarios) distintas de la ronda del periodo.", CONTEO,
           fuentes=["encuestas"])
def encuestas(q: Contexto) -> sa.Select:
    return (sa.select(E.c.encuesta, sa.func.max(E.c.codigo).label("codigo"),
                      sa.func.max(E.c.municipio_dane).label("grupo_municipio"),
                      sa.func.max(E.c.estrato).label("grupo_estrato"),
                      sa.func.max(E.c.uso).label("grupo_uso"), sa.literal(1).label("numerador"))
            .where(E.c.ronda == ronda(q.periodo)).group_by(E.c.encuesta))


@formula("nsu.margen_error", "Margen de error del NSU",
         "1,96·√(p(1−p)/n)·√((N−n)/(N−1)), con p el NSU, n las encuestas y N los activos.",
         PROPORCION, mayor_es_mejor=False, de=("nsu.indice", "nsu.encuestas", "catastro.activos"))
def margen_error(v: dict) -> float | None:
    p, n, N = v["nsu.indice"], v["nsu.encuestas"], v["catastro.activos"]
    if p is None or not n or not N or N <= 1 or n > N:
        return None
    return Z * math.sqrt(p * (1 - p) / n) * math.sqrt((N - n) / (N - 1))


@formula("nsu.muestra_requerida", "Muestra requerida del NSU",
         "⌈n₀ / (1 + (n₀ − 1)/N)⌉ con n₀ = 1,96²·0,25/0,05² (±5 % al 95 %) y N los activos.",
         CONTEO, de=("catastro.activos",))
def muestra_requerida(v: dict) -> float | None:
    N = v["catastro.activos"]
    return None if not N else float(math.ceil(N0 / (1 + (N0 - 1) / N)))


def dimensiones(settings: Settings) -> list[Indicador]:
    """``nsu.dimension.<d>`` for each dimension of ``[nsu.preguntas]``, in order of appearance:
    more columns of the same answers as ``nsu.indice``."""
    base = REGISTRO["nsu.indice"]
    nombres = settings.nsu_dimensiones
    return [dataclasses.replace(
        base, id=f"nsu.dimension.{d}", nombre=f"NSU: {nombres.get(d, d)}",
        descripcion=f"NSU sobre las preguntas de la dimensión {nombres.get(d, d)} "
                    f"({', '.join(ids)}).",
        numerador=f"dim{i}_favorable", denominador=f"dim{i}_respuesta")
        for i, (d, ids) in enumerate(_dimensiones(settings).items())]
