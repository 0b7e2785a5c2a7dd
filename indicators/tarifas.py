"""Tariff assurance (``tariffs.md``): every invoice row of P re-computed from the tariff table.

The tariff in force for P of a class is the ``tarifas`` row with the latest
``vigente_desde`` on or before P's first day. The account's municipality, use, estrato
and dwelling units come from the cadastre snapshot of P (units empty or 0 count as 1;
estrato 0 for every non-residential use). Each expected component is exact decimal
arithmetic, rounded half away from zero to a multiple of ``[tarifas] redondeo`` pesos.
A row whose account is not in the snapshot, or whose class has no tariff in force, is
*sin tarifa*: never counted as right or wrong.

That arithmetic over every invoice row of a period (millions, at a utility of a million
accounts) takes seconds, and every tariff indicator, page and list would repeat it. So the
load's last step keeps each row's class and expected charges on the row (:func:`guardar`, the
columns ``warehouse.TARIFA_DE_LA_FILA``) for the months it keeps the indicators of, and
:func:`cargos` reads them while they are current, as it would compute them: the verdict (the
tolerance, the difference) is always judged when asked.
"""
from __future__ import annotations

import sqlalchemy as sa

from cauce.settings import Settings
from etl import warehouse as w
from indicators.definicion import (CONTEO, PESOS, PROPORCION, TODOS, Contexto, familia, medida,
                                   periodo_mas, si)
from indicators.guardados import cambios_desde, ultima_carga

T, F, I = w.tables["tarifas"], w.tables["facturas"], w.tables["indices"]
M = w.tarifa_calculada
COMPONENTES = ("cargo_fijo", "valor_consumo", "subsidio", "contribucion")


def _n(x) -> sa.ColumnElement:
    """An amount as a wide exact decimal: products of three amounts keep every digit on
    DuckDB (whose decimal products keep the operands' width) and on PostgreSQL."""
    return sa.cast(x, sa.Numeric(38, 4))


def redondear(valor, multiplo: int) -> sa.ColumnElement:
    """``valor`` rounded half away from zero to a multiple of ``multiplo`` pesos, in exact
    arithmetic on both warehouses (no division: DuckDB divides decimals as doubles). A power
    of ten (1 peso, the default; 10; 100) is the engines' own ``round`` of a decimal, which is
    exact and half away from zero on both and several times cheaper on millions of rows."""
    decimales = len(str(multiplo)) - 1
    if multiplo == 10 ** decimales:
        return _n(sa.func.round(valor, -decimales))
    a = sa.func.abs(valor)
    entero = sa.func.floor(a)
    resto = entero % multiplo
    arriba = sa.case(((resto + (a - entero)) * 2 >= multiplo, multiplo), else_=0)
    signo = sa.case((valor < 0, -1), else_=1)
    return _n(signo * (entero - resto + arriba))


def en_vigor(q: Contexto) -> sa.Subquery:
    """The tariff rows in force for P: per class, the latest ``vigente_desde`` ≤ P's first day."""
    clase = (T.c.municipio_dane, T.c.servicio, T.c.uso, T.c.estrato)
    ultima = (sa.select(*clase, sa.func.max(T.c.vigente_desde).label("desde"))
              .where(T.c.vigente_desde <= sa.literal(q.inicio, sa.Date))
              .group_by(*clase).subquery("ultima"))
    return (sa.select(T).select_from(T.join(ultima, sa.and_(
        *[T.c[c.key] == ultima.c[c.key] for c in clase], T.c.vigente_desde == ultima.c.desde)))
        .subquery("tarifa"))


def precio_basico(t) -> sa.ColumnElement:
    """The final price per m³ of the basic block of a tariff row as the public reads it:
    reference × (1 + f) (``tariffs.md``)."""
    return _n(t.c.cargo_consumo) * (1 + _n(t.c.factor))


def precio_complementario(t) -> sa.ColumnElement:
    """The final price per m³ above the basic block: reference × (1 + max(f, 0)); no subsidy
    reaches it."""
    return _n(t.c.cargo_consumo) * (1 + sa.case((t.c.factor > 0, _n(t.c.factor)), else_=0))


def de_la_clase(t, municipio, servicio, uso, estrato) -> sa.ColumnElement[bool]:
    """The tariff row ``t`` is the one of this account's class (estrato 0 for every
    non-residential use)."""
    return sa.and_(t.c.municipio_dane == municipio, t.c.servicio == servicio, t.c.uso == uso,
                   t.c.estrato == sa.case((uso == "residencial", estrato), else_=0))


def _calculo(q: Contexto) -> tuple[sa.FromClause, dict[str, sa.ColumnElement]]:
    """The invoice rows of P joined to their account's snapshot and the tariff in force, and
    the expressions of each row's class, its tariff row's values and its expected charges."""
    r = q.settings.tarifas.redondeo
    s = q.foto().subquery("cuenta")
    t = en_vigor(q)
    unidades = sa.case((sa.func.coalesce(s.c.unidades, 0) == 0, 1), else_=s.c.unidades)
    m3 = _n(sa.func.coalesce(F.c.consumo_m3, 0))
    u = _n(unidades)
    fijo, precio, f = _n(t.c.cargo_fijo), _n(t.c.cargo_consumo), _n(t.c.factor)
    basico = _n(sa.func.coalesce(t.c.consumo_basico_m3, 0))
    aseo = F.c.servicio == "aseo"
    cf = fijo * u
    vc = sa.case((aseo, precio * u), else_=m3 * precio)
    base_subsidio = sa.case((aseo, (fijo + precio) * u),
                            else_=cf + sa.func.least(m3, basico * u) * precio)
    base_contribucion = sa.case((aseo, (fijo + precio) * u), else_=cf + m3 * precio)
    esperado = {
        "cargo_fijo": cf, "valor_consumo": vc,
        "subsidio": sa.case((f < 0, -f * base_subsidio), else_=0),
        "contribucion": sa.case((f > 0, f * base_contribucion), else_=0),
    }
    clase = de_la_clase(t, s.c.municipio_dane, F.c.servicio, s.c.uso, s.c.estrato)
    return F.outerjoin(s, s.c.codigo == F.c.codigo).outerjoin(t, clase), {
        "clase_municipio": s.c.municipio_dane, "clase_uso": s.c.uso,
        "clase_estrato": sa.case((s.c.uso == "residencial", s.c.estrato), else_=0),
        "clase_unidades": unidades, **_tarifa(t),
        **{f"esperado_{c}": sa.case((t.c.factor.is_(None), None), else_=redondear(e, r))
           for c, e in esperado.items()}}


def _tarifa(t) -> dict[str, sa.ColumnElement]:
    """The values of the tariff row used, as the records show them."""
    return {"tarifa_vigente_desde": t.c.vigente_desde, "tarifa_cargo_fijo": t.c.cargo_fijo,
            "tarifa_cargo_consumo": t.c.cargo_consumo,
            "tarifa_consumo_basico_m3": t.c.consumo_basico_m3, "tarifa_factor": t.c.factor}


def _guardado() -> tuple[sa.FromClause, dict[str, sa.ColumnElement]]:
    """As :func:`_calculo`, from what :func:`guardar` kept on the rows: only the tariff row's
    values are joined, by its class and date."""
    t = T.alias("tarifa")
    k = F.c
    usada = sa.and_(t.c.municipio_dane == k.clase_municipio, t.c.servicio == k.servicio,
                    t.c.uso == k.clase_uso, t.c.estrato == k.clase_estrato,
                    t.c.vigente_desde == k.tarifa_vigente_desde)
    return F.outerjoin(t, usada), {**{n: k[n] for n in GUARDADAS}, **_tarifa(t)}


GUARDADAS = [n for n, _ in w.TARIFA_DE_LA_FILA]


def cargos(q: Contexto) -> sa.Select:
    """Each invoice row of P with its class, q, u, the tariff row used, and billed against
    expected for each component (``tariffs.md``): as kept on the rows when that is current
    for P (:func:`al_dia`), else computed."""
    desde, d = _guardado() if q.uno("tarifa_calculada", lambda c: al_dia(c, q)) else _calculo(q)
    filas = (sa.select(
        F.c.numero, F.c.codigo, F.c.periodo, F.c.servicio, d["clase_uso"].label("clase_uso"),
        d["clase_estrato"].label("clase_estrato"), d["clase_unidades"].label("unidades"),
        sa.func.coalesce(F.c.consumo_m3, 0).label("consumo_m3"),
        *[d[n].label(n) for n in _tarifa(T)],
        *[F.c[c].label(f"facturado_{c}") for c in COMPONENTES],
        *[d[f"esperado_{c}"].label(f"esperado_{c}") for c in COMPONENTES])
        .select_from(desde)
        .where(F.c.periodo == q.p())
        .subquery("fila"))
    tol = sa.literal(q.settings.tarifas.tolerancia_pesos, sa.Numeric(18, 4))
    sin_tarifa = filas.c.esperado_cargo_fijo.is_(None)
    conforme = sa.and_(*[sa.func.abs(filas.c[f"facturado_{c}"] - filas.c[f"esperado_{c}"]) <= tol
                         for c in COMPONENTES])

    def neto(lado):     # sums and differences of decimals are exact on both engines
        x = filas.c
        return (x[f"{lado}_cargo_fijo"] + x[f"{lado}_valor_consumo"] - x[f"{lado}_subsidio"]
                + x[f"{lado}_contribucion"])

    diferencia = neto("facturado") - neto("esperado")
    return sa.select(
        filas, diferencia.label("diferencia"),
        si(sin_tarifa).label("sin_tarifa"), si(~sin_tarifa).label("verificable"),
        si(sa.and_(~sin_tarifa, conforme)).label("conforme"),
        sa.case((diferencia > 0, diferencia), else_=0).label("sobrefacturado"),
        sa.case((diferencia < 0, -diferencia), else_=0).label("subfacturado"))


def guardar(conn: sa.Connection, settings: Settings, periodos: list[str]) -> None:
    """Keep on each invoice row of ``periodos`` its class, the date of its tariff and its
    expected charges, as :func:`cargos` computes them, where what is kept is not current
    (:func:`al_dia`). The load's last step does it for the months whose indicators it keeps
    (``indicators.catalogo.guardar_ultimos``), in the same transaction.

    The period's rows are written again, computed, rather than updated: DuckDB updates
    millions of rows about ten times slower than it inserts them (a ``grande`` period: 125 s
    against 14 s)."""
    carga = ultima_carga(conn)
    if carga is None or not w.al_dia(conn):   # an earlier Cauce's warehouse: when asked
        return
    nombres = [c.name for c in F.c]
    copia = sa.Table("_tarifa_de_la_fila", sa.MetaData(),
                     *[sa.Column(c.name, c.type) for c in F.c], prefixes=["TEMPORARY"])
    for periodo in periodos:
        q = Contexto(conn, periodo, settings)
        if al_dia(conn, q):
            continue
        desde, d = _calculo(q)
        copia.create(conn)
        conn.execute(copia.insert().from_select(nombres, sa.select(
            *[d[n].label(n) if n in GUARDADAS else F.c[n] for n in nombres])
            .select_from(desde).where(F.c.periodo == q.p())))
        conn.execute(F.delete().where(F.c.periodo == q.p()))
        conn.execute(F.insert().from_select(nombres, sa.select(copia)))
        copia.drop(conn)
        conn.execute(M.delete().where(M.c.periodo == periodo))
        conn.execute(M.insert().values(periodo=periodo, carga_id=carga,
                                       redondeo=settings.tarifas.redondeo))


def al_dia(conn: sa.Connection, q: Contexto) -> bool:
    """Whether the invoice rows of P hold their expected charges as :func:`cargos` would
    compute them now: kept with this ``[tarifas] redondeo``, and no load since then brought
    tariffs, or the invoices or the cadastre of P (a warehouse rebuilt from the archive
    numbers its loads anew: nothing is current)."""
    if not q.uno("al_dia", w.al_dia):
        return False
    kept = conn.execute(sa.select(M.c.carga_id, M.c.redondeo)
                        .where(M.c.periodo == q.periodo)).first()
    if kept is None or kept.redondeo != q.settings.tarifas.redondeo:
        return False
    cambios = cambios_desde(conn, kept.carga_id)
    return cambios is not None and "tarifas" not in cambios and not any(
        q.periodo in cambios.get(fuente, ()) for fuente in ("facturas", "suscriptores"))


@familia(
    medida("tarifas.exactitud", "Exactitud de la facturación frente a la tarifa",
           "Filas de factura del periodo cuyos cuatro cargos (fijo, consumo, subsidio, "
           "contribución) coinciden con la tarifa vigente, con la tolerancia en pesos de "
           "[tarifas] / filas verificables (con cuenta en el catastro y tarifa vigente para "
           "su clase).", PROPORCION, mayor_es_mejor=True, numerador="conforme",
           denominador="verificable"),
    medida("tarifas.sin_tarifa", "Filas de factura sin tarifa",
           "Filas de factura del periodo que no se pueden verificar: la cuenta no está en el "
           "catastro del periodo o su clase (municipio, servicio, uso, estrato) no tiene "
           "tarifa vigente.", CONTEO, mayor_es_mejor=False, numerador="sin_tarifa"),
    medida("tarifas.sobrefacturado", "Facturado de más frente a la tarifa",
           "Suma de lo cobrado por encima de la tarifa (cargo fijo + consumo − subsidio + "
           "contribución, facturado menos esperado, cuando es positivo) en las filas "
           "verificables del periodo.", PESOS, mayor_es_mejor=False, numerador="sobrefacturado"),
    medida("tarifas.subfacturado", "Facturado de menos frente a la tarifa",
           "Suma de lo dejado de cobrar frente a la tarifa (esperado menos facturado, cuando "
           "es positivo) en las filas verificables del periodo.", PESOS, mayor_es_mejor=False,
           numerador="subfacturado"),
    fuentes=["facturas"], desgloses=TODOS)
def filas_tarifa(q: Contexto) -> sa.Select:
    return cargos(q)


def vigencias(q: Contexto) -> dict[str, object]:
    """{municipio_dane: the latest ``vigente_desde`` ≤ end(P)} of the tariff rows in force at
    end(P) (the latest date of a municipality is in force for its classes by definition)."""
    filas = q.conn.execute(
        sa.select(T.c.municipio_dane, sa.func.max(T.c.vigente_desde))
        .where(T.c.vigente_desde <= sa.literal(q.fin, sa.Date))
        .group_by(T.c.municipio_dane)).all()
    return {m: d for m, d in filas}


@familia(
    medida("tarifas.variacion_indice", "Variación del índice desde la última tarifa",
           "Índice del periodo / índice del mes anterior a la última fecha de vigencia de las "
           "tarifas vigentes al cierre del periodo − 1 (por municipio: la de sus tarifas). "
           "Desde [tarifas] umbral_actualizacion (3 %) las tarifas se pueden actualizar "
           "(Ley 142 art. 125).", PROPORCION, numerador="variacion", denominador="indice_base"),
    fuentes=["indices"], desgloses=("municipio",))
def variacion_indice(q: Contexto) -> sa.Select:
    """One row per municipality under the ``municipio`` breakdown or filter, else one for the
    utility (the latest date of all): index(P) − index(B) over index(B), so that the ratio is
    index(P) / index(B) − 1; no row (empty) without both index values."""
    fechas = vigencias(q)
    por_municipio = q.por == "municipio" or any(d == "municipio" for d, _ in q.filtro)
    grupos = (list(fechas.items()) if por_municipio
              else [(None, max(fechas.values()))] if fechas else [])
    base = [(m, d, periodo_mas(f"{d.year:04d}-{d.month:02d}", -1)) for m, d in grupos]
    ib = I.alias("indice_base")
    filas = [sa.select(
        sa.literal(m, sa.String).label("grupo_municipio"),
        sa.literal(d, sa.Date).label("vigente_desde"), ib.c.periodo.label("periodo_base"),
        ib.c.indice.label("indice_base_valor"), I.c.indice.label("indice_periodo"),
        (I.c.indice - ib.c.indice).label("variacion"), ib.c.indice.label("indice_base"))
        .select_from(I.join(ib, ib.c.periodo == sa.literal(b, sa.String)))
        .where(I.c.periodo == q.p()) for m, d, b in base]
    if not filas:
        return sa.select(sa.literal(None, sa.String).label("grupo_municipio"),
                         sa.literal(0.0).label("variacion"),
                         sa.literal(0.0).label("indice_base")).where(sa.false())
    return sa.select(sa.union_all(*filas).subquery("variacion"))


# The tables' Spanish headers (the Tarifas page, the workbook's sheet) and their pesos.
ENCABEZADOS = {
    "municipio": "Municipio", "servicio": "Servicio", "uso": "Uso", "estrato": "Estrato",
    "vigente_desde": "Vigente desde", "factor": "Factor",
    "consumo_basico_m3": "Consumo básico (m³)", "cargo_fijo_final": "Cargo fijo",
    "precio_basico": "Precio del m³ básico (aseo: cargo variable)",
    "precio_complementario": "Precio del m³ complementario", "acuerdo": "Acuerdo",
    "cargo_fijo_vigente": "Cargo fijo vigente", "cargo_fijo": "Cargo fijo indexado",
    "cargo_consumo_vigente": "Cargo por consumo vigente",
    "cargo_consumo": "Cargo por consumo indexado"}
PESOS = ("cargo_fijo_final", "precio_basico", "precio_complementario", "cargo_fijo_vigente",
         "cargo_fijo", "cargo_consumo_vigente", "cargo_consumo")
HOJA = "Tarifas vigentes"


# --- What the utility publishes (``tariffs.md``, "What the commercial office gets") -----------

def tabla_publica(q: Contexto) -> sa.Select:
    """The tariff in force for P per municipality, service and class as the public reads it:
    the final fixed charge, fixed charge × (1 + f); the basic m³, price × (1 + f); the
    complementary m³, price × (1 + max(f, 0)) (aseo: its monthly variable charge × (1 + f),
    no m³). Rounded as the expected charges are: for the January and June publication."""
    t = en_vigor(q)
    r = q.settings.tarifas.redondeo
    aseo = t.c.servicio == "aseo"
    return (sa.select(
        t.c.municipio_dane.label("municipio"), t.c.servicio, t.c.uso, t.c.estrato,
        t.c.vigente_desde, t.c.factor, t.c.consumo_basico_m3,
        redondear(_n(t.c.cargo_fijo) * (1 + _n(t.c.factor)), r).label("cargo_fijo_final"),
        redondear(precio_basico(t), r).label("precio_basico"),
        sa.case((aseo, None), else_=redondear(precio_complementario(t), r))
        .label("precio_complementario"), t.c.acuerdo)
        .order_by(t.c.municipio_dane, t.c.servicio, t.c.uso, t.c.estrato))


def variaciones(q: Contexto) -> list[dict]:
    """Per municipality with a tariff in force at end(P): the latest ``vigente_desde``, the
    base month (the month before it), both index values and the accumulated variation
    (None without both values); as ``tarifas.variacion_indice`` by municipio."""
    fechas = vigencias(q)
    base = {m: periodo_mas(f"{d.year:04d}-{d.month:02d}", -1) for m, d in fechas.items()}
    indices = dict(q.conn.execute(sa.select(I.c.periodo, I.c.indice).where(
        I.c.periodo.in_(sorted({q.periodo, *base.values()})))).all())
    out = []
    for m, d in sorted(fechas.items()):
        ib, ip = indices.get(base[m]), indices.get(q.periodo)
        out.append({"municipio": m, "vigente_desde": d, "periodo_base": base[m],
                    "indice_base": ib, "indice_periodo": ip,
                    "variacion": None if ib in (None, 0) or ip is None else ip / ib - 1})
    return out


def tabla_indexada(q: Contexto) -> sa.Select:
    """The tariff table an update would publish: the rows in force for P with their reference
    costs × index(P) / index(B) of their municipality (``variaciones``), rounded as above.
    Only the municipalities whose variation is known."""
    t = en_vigor(q)
    r = q.settings.tarifas.redondeo
    factores = [(v["municipio"], v["indice_periodo"], v["indice_base"]) for v in variaciones(q)
                if v["variacion"] is not None]
    if not factores:
        return sa.select(t).where(sa.false())
    ip = sa.case(*[(t.c.municipio_dane == m, sa.literal(p, sa.Numeric(38, 4)))
                   for m, p, _ in factores])
    ib = sa.case(*[(t.c.municipio_dane == m, sa.literal(b, sa.Numeric(38, 4)))
                   for m, _, b in factores])

    def indexado(col):
        # cost × ip / ib, rounded half away from zero, exactly: ib divides the rounding
        # threshold instead of the cost (no decimal division, which DuckDB makes a double)
        return _redondear_cociente(_n(col) * ip, ib, r)
    return (sa.select(
        t.c.municipio_dane.label("municipio"), t.c.servicio, t.c.uso, t.c.estrato,
        t.c.vigente_desde, t.c.factor, t.c.consumo_basico_m3,
        t.c.cargo_fijo.label("cargo_fijo_vigente"), indexado(t.c.cargo_fijo).label("cargo_fijo"),
        t.c.cargo_consumo.label("cargo_consumo_vigente"),
        indexado(t.c.cargo_consumo).label("cargo_consumo"))
        .where(t.c.municipio_dane.in_([m for m, _, _ in factores]))
        .order_by(t.c.municipio_dane, t.c.servicio, t.c.uso, t.c.estrato))


def _redondear_cociente(a, b, multiplo: int) -> sa.ColumnElement:
    """a / b (both positive) rounded half away from zero to a multiple of ``multiplo``,
    in exact arithmetic: the k with |a − k·m·b| least, ties up. k = floor(a / (m·b)) is found
    by comparing, with a double only as the first guess, then corrected by one either way."""
    paso = b * multiplo
    guess = sa.cast(sa.func.floor(sa.cast(a, sa.Double) / sa.cast(paso, sa.Double)),
                    sa.Numeric(38, 0))
    k = sa.case((guess * paso > a, guess - 1), ((guess + 1) * paso <= a, guess + 1),
                else_=guess)
    resto = a - k * paso
    return _n(sa.case((resto * 2 >= paso, k + 1), else_=k) * multiplo)
