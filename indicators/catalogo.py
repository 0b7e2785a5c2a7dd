"""The indicator catalogue (``indicators.md``): values, breakdowns, goals, trends and records.

Every consumer (``cauce indicadores``, the dashboard, the workbook, the presentation)
calls these functions; each indicator is defined once in its area module as the rows
that make it (``indicators.definicion``). Here those rows are summed in the warehouse,
per group for a breakdown, and a small frame comes back.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import sqlalchemy as sa

from cauce import CauceError
from cauce.settings import Settings
from etl import warehouse as w
from etl.contract import SERVICIOS, nombre_de_codigo  # noqa: F401  (SERVICIOS: the filter's groups)
from indicators import (MESES_DE_TENDENCIA, calendario, cartera, catastro, cobro,
                        correspondencia, critica, facturacion, nsu, ordenes, pqr, recaudo,
                        tarifas)
from indicators import guardados as kept
from indicators.definicion import (AUN_NO_VENCE, CUENTA, REGISTRO, Contexto, Indicador,
                                   periodo_mas, ronda, ultimo_mes_de_ronda)
# What the catalogue answers about the data themselves, defined with the indicators' context.
from indicators.definicion import corte, ultimo_periodo  # noqa: F401

# ``provisional``: how many of the indicator's items are not yet due at the data's cut-off
# (0: none), for the indicators that have such items; None for the others.
COLUMNAS = ["id", "nombre", "periodo", "valor", "unidad", "meta", "cumple", "grupo",
            "numerador", "denominador", "provisional"]
SIN_CATASTRO = "sin catastro"     # the group of accounts missing from the snapshot of P
SIN_DATO = "sin dato"             # a row's own group column is empty
SIN_SERVICIO = "sin servicio"     # a payment to an invoice the warehouse does not hold

# The headline indicators: the monthly summary's cards and the meeting's first slides.
PRINCIPALES = ("recaudo.eficiencia", "cartera.vencida", "pqr.oportunidad",
               "critica.desviaciones_sin_visita", "ordenes.cumplimiento", "nsu.indice",
               "calendario.cumplimiento", "facturacion.lectura_efectiva")


def diapositivas(settings: Settings) -> list[str]:
    """The meeting's slides (dashboard and presentation): the headline indicators, then every
    other one with a goal."""
    return list(dict.fromkeys([*PRINCIPALES, *settings.metas]))


# The areas in the order of indicators.md; each module registers its indicators on import.
AREAS = (catastro, facturacion, critica, recaudo, cartera, pqr, ordenes, nsu, calendario,
         correspondencia, cobro, tarifas)


def catalogo(settings: Settings) -> list[Indicador]:
    """Every indicator, in the order of ``indicators.md``; the NSU dimensions come from
    ``[nsu.preguntas]``."""
    orden = [m.__name__.rsplit(".", 1)[-1] for m in AREAS]
    todos = sorted(REGISTRO.values(), key=lambda x: orden.index(x.area))   # stable: file order
    i = next(k for k, x in enumerate(todos) if x.id == "nsu.muestra_requerida") + 1
    return todos[:i] + nsu.dimensiones(settings) + todos[i:]


def revisar_metas(settings: Settings) -> None:
    """A goal of ``[metas]`` must name an indicator of the catalogue (a typo would silently
    leave it without one). Checked once, where a command or the dashboard starts
    (``cauce.acciones.ajustes``)."""
    ids = {x.id for x in catalogo(settings)}
    for k in settings.metas:
        if k not in ids:
            raise CauceError(
                f"Configuración inválida en {settings.path}: [metas] nombra el indicador {k!r}, "
                f"que no está en el catálogo. Use un código de docs/indicadores.md (por ejemplo "
                f"\"recaudo.eficiencia\").")


def buscar(settings: Settings, id: str) -> Indicador:
    for x in catalogo(settings):
        if x.id == id:
            return x
    raise KeyError(id)


def calcular(conn: sa.Connection, periodo: str, settings: Settings, por: str | None = None,
             ids: list[str] | None = None, filtro: dict[str, str] | None = None, *,
             guardados: bool = True) -> pd.DataFrame:
    """The indicators (all, or ``ids``) for period P: one row per indicator, or per group
    with ``por``. Columns ``COLUMNAS``; ``valor`` is None where data is missing.

    ``filtro`` ({dimension: group}, e.g. {"municipio": "20001", "servicio": "acueducto"})
    keeps only the rows of those groups, where the indicator has that breakdown (see
    :func:`filtrable`); elsewhere the indicator is the whole utility's.

    The latest periods come from what the last load kept (:mod:`indicators.guardados`: the
    whole utility's, by municipio and by servicio, so a filter of one of them too) while it
    is current; ``guardados=False`` computes them."""
    return _filas_del_periodo(Contexto(conn, periodo, settings, por,
                                       tuple(sorted((filtro or {}).items()))), ids, guardados)


def _filas_del_periodo(q: Contexto, ids: list[str] | None, de_lo_guardado: bool) -> pd.DataFrame:
    """The frame of :func:`calcular`: each indicator's rows with its goal applied, read from
    what the last load kept when ``de_lo_guardado`` and it has them all, else summed."""
    todos = {x.id: x for x in catalogo(q.settings)}
    pedidos = ids or list(todos)
    hechos = ((de_lo_guardado and _leer_lo_guardado(q, todos, pedidos))
              or _sumar_en_el_almacen([q], todos, pedidos)[0])
    return _marco(q, todos, pedidos, hechos)


def _marco(q: Contexto, todos: dict[str, Indicador], pedidos: list[str],
           hechos: dict) -> pd.DataFrame:
    """The rows of :func:`calcular` from each indicator's sums (``hechos``), goals applied."""
    settings, periodo = q.settings, q.periodo
    anio = int(periodo[:4])
    out = []
    for id in pedidos:
        x = todos[id]
        meta = settings.meta(x.id, anio)
        for fila in hechos[x.id]:
            out.append({"id": x.id, "nombre": x.nombre, "periodo": periodo, "valor": fila["valor"],
                        "unidad": x.unidad, "meta": meta,
                        "cumple": cumple(fila["valor"], meta, x.mayor_es_mejor),
                        "grupo": fila["grupo"], "numerador": fila["numerador"],
                        "denominador": fila["denominador"],
                        "provisional": fila.get("provisional")})
    return pd.DataFrame(out, columns=COLUMNAS, dtype=object)


def tendencia(conn: sa.Connection, periodo: str, settings: Settings, ids: list[str] | None = None,
              n: int = MESES_DE_TENDENCIA, por: str | None = None,
              filtro: dict[str, str] | None = None, *, guardados: bool = True) -> pd.DataFrame:
    """The indicators over the n periods ending at P, oldest first."""
    return _de_los_periodos(conn, [periodo_mas(periodo, -k) for k in reversed(range(n))],
                            settings, ids, por, filtro, guardados=guardados)


def _de_los_periodos(conn: sa.Connection, periodos: list[str], settings: Settings,
                     ids: list[str] | None = None, por: str | None = None,
                     filtro: dict[str, str] | None = None, *, guardados: bool) -> pd.DataFrame:
    sondeos: dict = {}      # which periods hold data, what the load kept: asked once
    filtro_ = tuple(sorted((filtro or {}).items()))
    return pd.concat([_filas_del_periodo(Contexto(conn, p, settings, por, filtro_,
                                                  sondeos=sondeos), ids, guardados)
                      for p in periodos], ignore_index=True)


def guardar_ultimos(engine: sa.Engine, settings: Settings) -> bool:
    """Compute and keep (:mod:`indicators.guardados`) the catalogue of the N periods ending at
    the latest one (the last billed: the month the dashboard opens on), for the whole utility
    and each breakdown a sidebar filter reads (of the latest month, also those of the pages'
    bars: ``guardados.DEL_ULTIMO``), unless what is kept is current already; first,
    each invoice row's expected tariff charges (:func:`indicators.tarifas.guardar`) and each
    account's reference history for the deviations (:func:`indicators.critica.guardar`).
    False when nothing is loaded."""
    with engine.begin() as conn:
        carga, fin = kept.ultima_carga(conn), ultimo_periodo(conn)
        if carga is None or fin is None:
            return False
        periodos = [periodo_mas(fin, -k) for k in reversed(range(kept.N))]
        tarifas.guardar(conn, settings, periodos)
        critica.guardar(conn, settings, periodos)
        faltan = kept.por_calcular(conn, carga, settings, periodos)
        kept.reemplazar(conn, carga, settings, periodos,
                        _por_desglose(conn, faltan, settings, fin) if faltan else {})
    return True


def _por_desglose(conn: sa.Connection, periodos: list[str], settings: Settings,
                  ultimo: str) -> dict[str | None, pd.DataFrame]:
    """The whole catalogue of ``periodos`` by each breakdown kept (``guardados.DESGLOSES``;
    of the ``ultimo`` period also ``guardados.DEL_ULTIMO``), as :func:`tendencia` computes it
    one breakdown at a time; a family whose rows are the same for several breakdowns makes
    them once (:func:`_sumar_en_el_almacen`)."""
    todos = {x.id: x for x in catalogo(settings)}
    sondeos: dict = {}
    marcos: dict[str | None, list[pd.DataFrame]] = {}
    for periodo in periodos:
        qs = [Contexto(conn, periodo, settings, por, sondeos=sondeos)
              for por in kept.DESGLOSES + (kept.DEL_ULTIMO if periodo == ultimo else ())]
        for q, hechos in zip(qs, _sumar_en_el_almacen(qs, todos, list(todos))):
            marcos.setdefault(q.por, []).append(_marco(q, todos, list(todos), hechos))
    return {por: pd.concat(m, ignore_index=True) for por, m in marcos.items()}


def guardar_de_nuevo(conn: sa.Connection, settings: Settings, ids: list[str]) -> None:
    """Recompute what the last load kept of the indicators ``ids`` (those of the register, after
    a batch of documents), when what is kept is current; else nothing is read from it anyway."""
    carga, fin = kept.ultima_carga(conn), ultimo_periodo(conn)
    if carga is None or fin is None or not w.al_dia(conn):
        return
    if kept.por_calcular(conn, carga, settings, [periodo_mas(fin, -k) for k in range(kept.N)]):
        return
    kept.actualizar(conn, carga, settings, ids, {
        por: tendencia(conn, fin, settings, ids=ids, n=kept.N, por=por, guardados=False)
        for por in kept.DESGLOSES})


def nombre_de_grupo(settings: Settings, por: str | None, grupo) -> str:
    """A breakdown's group as people read it, the same on the dashboard, in the workbook
    and in the files: the municipio's name for its DANE code, "estrato 2" ("sin estrato"
    for 0); a code with its accents ("telefónico"); the other groups as they are."""
    grupo = "" if grupo is None else str(grupo)
    if por == "municipio":
        return {m.dane: m.nombre for m in settings.municipios}.get(grupo, grupo)
    if por == "estrato" and grupo.isdigit():
        return "sin estrato" if grupo == "0" else f"estrato {grupo}"
    return nombre_de_codigo(grupo)


def filtrable(x: Indicador, dimension: str) -> bool:
    """Whether a filter on ``dimension`` applies to indicator ``x`` (a formula: to its inputs)."""
    return dimension in x.desgloses


def cumple(valor: float | None, meta: float | None, mayor_es_mejor: bool | None) -> bool | None:
    """``valor ≥ meta`` where higher is better, ``valor ≤ meta`` where lower is; None without
    a goal or a value."""
    if valor is None or meta is None or mayor_es_mejor is None:
        return None
    return valor >= meta if mayor_es_mejor else valor <= meta


def estado(valor: float | None, meta: float | None, mayor_es_mejor: bool | None,
           tolerancia: float) -> str:
    """The traffic light (``look-and-feel.md``): "cumple", "cerca" (misses the goal by less
    than ``[semaforo] tolerancia``), "no cumple", "sin meta" or "sin datos"."""
    if valor is None:
        return "sin datos"
    ok = cumple(valor, meta, mayor_es_mejor)
    if ok is None:
        return "sin meta"
    if ok:
        return "cumple"
    return "cerca" if abs(valor - meta) <= tolerancia else "no cumple"


def detalle(conn: sa.Connection, id: str, periodo: str, settings: Settings,
            por: str | None = None, grupo: str | None = None, limite: int | None = None,
            desplazamiento: int = 0, filtro: dict[str, str] | None = None,
            solo_numerador: bool = False) -> pd.DataFrame:
    """The records behind an indicator (its numerator's and denominator's rows, with the
    columns that explain why each counts), optionally of one group, or only the rows that
    add to the numerator; paged with ``limite``/``desplazamiento``, whole without. A formula
    shows its first input's rows."""
    stmt = _detalle(conn, id, periodo, settings, por, grupo, filtro, solo_numerador)
    stmt = stmt.order_by(*list(stmt.selected_columns)[:2]).offset(desplazamiento or None)
    if limite is not None:
        stmt = stmt.limit(limite)
    result = conn.execute(stmt)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def contar_detalle(conn: sa.Connection, id: str, periodo: str, settings: Settings,
                   por: str | None = None, grupo: str | None = None,
                   filtro: dict[str, str] | None = None, solo_numerador: bool = False) -> int:
    """How many records :func:`detalle` has (to page it)."""
    sub = _detalle(conn, id, periodo, settings, por, grupo, filtro, solo_numerador).subquery()
    return conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one()


def sumar_detalle(conn: sa.Connection, id: str, periodo: str, settings: Settings,
                  por: str | None = None, grupo: str | None = None,
                  filtro: dict[str, str] | None = None) -> dict:
    """The total row of the records behind an indicator: how many, and their numerator's and
    denominator's sums (None for an indicator that is not a ratio), which make its value."""
    sub = _detalle(conn, id, periodo, settings, por, grupo, filtro).subquery()
    sumas = [sa.func.sum(sa.cast(sub.c[c], sa.Double)) if c in sub.c else sa.null()
             for c in ("numerador", "denominador")]
    n, numerador, denominador = conn.execute(sa.select(sa.func.count(), *sumas)
                                             .select_from(sub)).one()
    return {"registros": n, "numerador": numerador, "denominador": denominador}


def agrupar(conn: sa.Connection, id: str, periodo: str, settings: Settings, columna: str,
            filtro: dict[str, str] | None = None) -> pd.DataFrame:
    """The records of an indicator summed by one of their own columns (the PQR by cause or
    channel, the orders by type): columns ``columna``, numerador, denominador, valor; an
    empty value goes to "sin dato"."""
    x = buscar(settings, id)
    r = _detalle(conn, id, periodo, settings, None, None, filtro).subquery("registros")
    g = sa.func.coalesce(sa.cast(r.c[columna], sa.String), SIN_DATO).label(columna)
    sumas = [sa.func.sum(sa.cast(r.c[c], sa.Double)) for c in ("numerador", "denominador")
             if c in r.c]
    filas = conn.execute(sa.select(g, *sumas).group_by(g).order_by(g)).all()
    out = []
    for grupo, num, *den in filas:
        den = den[0] if den else None
        valor = (x.factor * num / den if den else None) if x.razon else x.factor * num
        out.append({columna: grupo, "numerador": num, "denominador": den, "valor": valor})
    return pd.DataFrame(out, columns=[columna, "numerador", "denominador", "valor"])


# --- How it is computed ------------------------------------------------------------------------

def _sumar_en_el_almacen(qs: list[Contexto], todos: dict[str, Indicador],
                         pedidos: list[str]) -> list[dict]:
    """For each context of ``qs`` (one period, a breakdown each): {id: rows (one per group)}
    of the asked indicators and the inputs of their formulas. The indicators over the same
    rows (a family) are summed by one query, for every breakdown whose rows are the same."""
    necesarios = list(dict.fromkeys(d for id in pedidos for d in (*todos[id].de, id)))
    familias: dict[object, list[Indicador]] = {}
    for id in necesarios:
        if todos[id].formula is None:
            familias.setdefault(todos[id].filas, []).append(todos[id])
    hechos: list[dict[str, list[dict]]] = [{} for _ in qs]
    for xs in familias.values():
        con_datos = [x for x in xs if all(qs[0].hay_datos(f, k) for f, k in x.requiere)]
        for h in hechos:
            h.update({x.id: [_vacio(x)] for x in xs if x not in con_datos})
        if con_datos:
            for i, sumas in _sumar_familia(qs, con_datos).items():
                hechos[i].update(sumas)
    for h in hechos:
        for id in necesarios:
            if todos[id].formula is not None:
                h[id] = _formula(todos[id], h)
    return hechos


def _sumar_familia(qs: list[Contexto], xs: list[Indicador]) -> dict[int, dict]:
    """{position in ``qs``: each indicator's rows} of one family. A breakdown the family lacks
    is its total; breakdowns whose rows are the same (the same SQL) share one query."""
    desgloses = {_por(q, xs[0]): q for q in qs}
    juntos: dict[str, list[Contexto]] = {}
    for por, q in desgloses.items():
        qx = q if por == q.por else dataclasses.replace(q, por=por)
        juntos.setdefault(_sql(q.conn, xs[0].filas(qx)) if len(desgloses) > 1 else "",
                          []).append(qx)
    sumas = {q.por: r for grupo in juntos.values() for q, r in zip(grupo, _sumar(grupo, xs))}
    return {i: sumas[_por(q, xs[0])] for i, q in enumerate(qs)}


def _sql(conn: sa.Connection, consulta: sa.Select) -> str:
    """A query's SQL with its parameters: equal for the same rows."""
    compilada = consulta.compile(dialect=conn.dialect)
    return f"{compilada} {sorted(compilada.params.items())!r}"


def _leer_lo_guardado(q: Contexto, todos: dict[str, Indicador],
                      pedidos: list[str]) -> dict | None:
    """The asked indicators of P as the last load kept them (:mod:`indicators.guardados`), if
    it kept them all: the whole utility's, a breakdown it keeps, or one group of it as the
    filter of that dimension (an indicator without the dimension: the whole utility's)."""
    filtro = dict(q.filtro)
    if len(filtro) > 1 or (q.por is not None and filtro):
        return None
    if "guardados" not in q.sondeos:
        q.sondeos["guardados"] = kept.leer(q.conn, q.settings)
    leidos = q.sondeos["guardados"]
    hechos = {}
    for id in pedidos:
        if not filtro:
            filas = leidos.get((q.periodo, id, q.por))
        elif (d := next(iter(filtro))) not in todos[id].desgloses:
            filas = leidos.get((q.periodo, id, None))
        else:
            grupos = leidos.get((q.periodo, id, d)) or []
            # the group's row; or the one row without a group: no data, the same for every group
            filas = ([{**f, "grupo": None} for f in grupos if f["grupo"] == filtro[d]]
                     or [f for f in grupos if f["grupo"] is None]) or None
        if filas is None:
            return None
        hechos[id] = filas
    return hechos


def _por(q: Contexto, x: Indicador) -> str | None:
    """The breakdown asked for, where the indicator has it (else its total)."""
    return q.por if q.por in x.desgloses else None


def _vacio(x: Indicador) -> dict:
    """No data of P: no value; no item is pending either."""
    return {"grupo": None, "valor": None, "numerador": None, "denominador": None,
            "provisional": 0 if x.pendiente else None}


def _sumar(qs: list[Contexto], xs: list[Indicador]) -> list[dict[str, list[dict]]]:
    """Each indicator of one family, per group of each context's breakdown: the sums of its
    columns of the shared rows (the rows of ``qs[0]``: the same for each of ``qs``). Several
    breakdowns are the parts of one query over the rows made once (a materialized CTE)."""
    filas = xs[0].filas(qs[0])
    b = filas.subquery("filas") if len(qs) == 1 else filas.cte("filas").prefix_with(
        "MATERIALIZED")
    columnas = list(dict.fromkeys(c for x in xs for c in (x.numerador, x.denominador, x.pendiente)
                                  if c))
    # Summed as doubles: exact for pesos with cents up to 10^13, and DuckDB sums DECIMAL in
    # 128-bit integers several times slower.
    sumas = [sa.func.sum(sa.cast(b.c[c], sa.Double)) for c in columnas]
    partes = []
    for i, q in enumerate(qs):
        grupo, desde, donde, _ = _grupo(q, xs[0], b)
        parte = sa.select(sa.literal(i).label("parte"),
                          sa.cast(sa.null(), sa.String) if grupo is None else grupo,
                          *sumas).select_from(desde).where(*donde)
        partes.append(parte if grupo is None else parte.group_by(grupo))
    consulta = partes[0] if len(partes) == 1 else sa.union_all(*partes)
    # ordered by part, then group: as each breakdown's own query orders its groups
    filas_por_parte: list[list] = [[] for _ in qs]
    for parte, *fila in qs[0].conn.execute(consulta.order_by(sa.literal_column("1"),
                                                             sa.literal_column("2"))):
        filas_por_parte[parte].append(fila)
    return [_resultados(xs, columnas, f) for f in filas_por_parte]


def _resultados(xs: list[Indicador], columnas: list[str], filas: list) -> dict[str, list[dict]]:
    """Each indicator's rows from its family's sums of ``columnas`` per group (``filas``:
    group, sums…)."""
    out = {}
    for x in xs:
        resultado = []
        for g, *valores in filas:
            suma = dict(zip(columnas, (0.0 if v is None else float(v) for v in valores)))
            num = suma[x.numerador]
            pendientes = int(suma[x.pendiente]) if x.pendiente else None
            if x.razon:
                den = suma[x.denominador]
                resultado.append({"grupo": g, "valor": x.factor * num / den if den else None,
                                  "numerador": num, "denominador": den,
                                  "provisional": pendientes})
            else:
                resultado.append({"grupo": g, "valor": x.factor * num, "numerador": num,
                                  "denominador": None, "provisional": pendientes})
        out[x.id] = resultado or [{"grupo": None, "valor": None if x.razon else 0.0,
                                   "numerador": 0.0, "denominador": 0.0 if x.razon else None,
                                   "provisional": 0 if x.pendiente else None}]
    return out


def cruzar(conn: sa.Connection, ids: list[str], periodo: str, settings: Settings,
           dimensiones: tuple[str, ...]) -> pd.DataFrame:
    """Indicators of one family summed by several breakdowns at once (subsidies by
    municipio, servicio and estrato): one query over the same rows and groups as
    :func:`calcular`. Columns: the dimensions, then each id's numerator."""
    xs = [buscar(settings, id) for id in ids]
    assert len({x.filas for x in xs}) == 1 and all(not x.razon for x in xs), ids
    q = Contexto(conn, periodo, settings, dimensiones[0])
    if not all(q.hay_datos(f, k) for f, k in xs[0].requiere):
        return pd.DataFrame(columns=[*dimensiones, *ids])
    # the other dimensions as a filter without its conditions: the rows carry their service
    # and are joined to the snapshot as a filter of them would have them
    por_servicio = dataclasses.replace(q, filtro=tuple((d, "") for d in dimensiones[1:]))
    b = xs[0].filas(por_servicio).subquery("filas")
    _, desde, _, expresion = _grupo(por_servicio, xs[0], b)
    grupos = [expresion(d).label(d) for d in dimensiones]
    sumas = [(x.factor * sa.func.sum(sa.cast(b.c[x.numerador], sa.Double))).label(x.id)
             for x in xs]
    filas = conn.execute(sa.select(*grupos, *sumas).select_from(desde)
                         .group_by(*grupos).order_by(*grupos)).all()
    return pd.DataFrame([tuple(f) for f in filas], columns=[*dimensiones, *ids])


def _grupo(q: Contexto, x: Indicador, b: sa.Subquery):
    """The group expression of the breakdown (None without one), what to select from (the
    rows, joined to the account's snapshot of P where the rows do not carry the dimension
    themselves), the conditions of the filter, and the group expression of any dimension."""
    dimensiones = {d for d, _ in q.filtro} | {q.por}
    foto = None
    if any(d in CUENTA and d in x.desgloses and b.c.get(f"grupo_{d}") is None
           for d in dimensiones):
        foto = q.foto().subquery("foto")

    def expresion(d: str):
        if d == "servicio":
            return sa.func.coalesce(b.c.servicio, SIN_SERVICIO)
        propia = b.c.get(f"grupo_{d}")
        if propia is not None:
            return sa.func.coalesce(sa.cast(propia, sa.String), SIN_DATO)
        columna = {"municipio": foto.c.municipio_dane, "ciclo": foto.c.ciclo,
                   "ruta": foto.c.ruta, "uso": foto.c.uso,
                   "estrato": sa.func.coalesce(foto.c.estrato, 0)}[d]
        return sa.case((foto.c.codigo.is_(None), SIN_CATASTRO), else_=sa.cast(columna, sa.String))

    grupo = expresion(q.por) if q.por in x.desgloses else None
    donde = [expresion(d) == v for d, v in q.filtro if d in x.desgloses]
    desde = b if foto is None else b.outerjoin(foto, foto.c.codigo == b.c.codigo)
    return grupo, desde, donde, expresion


def _formula(x: Indicador, hechos: dict) -> list[dict]:
    entradas = {d: {f["grupo"]: f["valor"] for f in hechos[d]} for d in x.de}
    grupos = list(entradas[x.de[0]])
    return [{"grupo": g, "valor": x.formula({d: v.get(g) for d, v in entradas.items()}),
             "numerador": None, "denominador": None, "provisional": None} for g in grupos]


def ultima_ronda(conn: sa.Connection, id: str, periodo: str, settings: Settings,
                 filtro: dict[str, str] | None = None) -> dict | None:
    """For an NSU indicator: the latest survey round before P's that has answers, as
    {"ronda", "periodo" (its last month), "valor"} (its value, with the filter); None without
    one. The survey is half-yearly: every month of a round not surveyed yet is empty, and
    this is what it can point to instead."""
    e = w.tables["encuestas"]
    anterior = conn.execute(sa.select(sa.func.max(e.c.ronda))
                            .where(e.c.ronda < ronda(periodo), e.c.valor.between(1, 5))).scalar()
    if anterior is None:
        return None
    mes = ultimo_mes_de_ronda(anterior)
    valor = calcular(conn, mes, settings, ids=[id], filtro=filtro)["valor"].iloc[0]
    return None if valor is None else {"ronda": anterior, "periodo": mes, "valor": valor}


def hay_datos(conn: sa.Connection, fuente: str, periodo: str, settings: Settings) -> bool:
    """Whether the warehouse holds rows of ``fuente`` dated in ``periodo``."""
    return Contexto(conn, periodo, settings).hay_datos(fuente)


_CON_PERIODOS = ("facturas", "suscriptores", "lecturas")   # the sources a period is chosen from


def periodos(conn: sa.Connection) -> list[str]:
    """The periods with billing, cadastre or readings, latest first: those a person may ask
    for (the dashboard's choice). Which one is shown when none is asked is
    :func:`ultimo_periodo`, the last billed, which may not be the first of these."""
    partes = [sa.select(w.tables[f].c.periodo.label("periodo")).distinct() for f in _CON_PERIODOS]
    return [p for (p,) in conn.execute(
        sa.select(sa.union(*partes).subquery().c.periodo).order_by(sa.desc("periodo")))]


def periodos_cargados(conn: sa.Connection) -> tuple[str, str] | None:
    """The first and last period of :func:`periodos`: what a period asked for without data is
    told against. Each source's extremes are asked alone (an index answers them)."""
    extremos = [p for f in _CON_PERIODOS
                for p in conn.execute(sa.select(sa.func.min(w.tables[f].c.periodo),
                                                sa.func.max(w.tables[f].c.periodo))).one()
                if p is not None]
    return (min(extremos), max(extremos)) if extremos else None


def registros(q: Contexto, x: Indicador) -> sa.Select:
    """The rows of one indicator that count (a non-zero numerator or denominator), with its
    own columns as ``numerador`` and ``denominador`` and without its family's other ones."""
    b = x.filas(q).subquery("filas")
    otras = {c for y in catalogo(q.settings) if y.filas is x.filas
             for c in (y.numerador, y.denominador, y.pendiente) if c}
    propias = [b.c[x.numerador].label("numerador")] + (
        [b.c[x.denominador].label("denominador")] if x.razon else [])
    cuenta = b.c[x.numerador] != 0
    if x.razon:
        cuenta = sa.or_(cuenta, b.c[x.denominador] != 0)
    if x.pendiente:      # the items not judged yet are records too, and say so
        propias.append(b.c[x.pendiente].label(AUN_NO_VENCE))
        cuenta = sa.or_(cuenta, b.c[x.pendiente] != 0)
    return sa.select(*[c for c in b.c if c.key not in otras], *propias).where(cuenta)


def _detalle(conn, id, periodo, settings, por, grupo, filtro,
             solo_numerador: bool = False) -> sa.Select:
    x = buscar(settings, id)
    if x.formula is not None:
        x = buscar(settings, x.de[0])
    q = Contexto(conn, periodo, settings, por if por in x.desgloses else None,
                 tuple(sorted((filtro or {}).items())))
    r = registros(q, x).subquery("registros")
    expr, desde, donde, _ = _grupo(q, x, r)
    stmt = (sa.select(r, *([expr.label("grupo")] if expr is not None else []))
            .select_from(desde).where(*donde))
    if grupo is not None and expr is not None:
        stmt = stmt.where(expr == grupo)
    if solo_numerador:
        stmt = stmt.where(r.c.numerador != 0)
    return stmt
