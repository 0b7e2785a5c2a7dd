"""The data-quality rules of each source, in one registry (``REGLAS``).

A rule is one sentence a user understands (``descripcion``) and the Great
Expectations expectation(s) that judge it; every expectation carries
``meta={"regla": id}`` so a failing row is traced back to its rule.

Rules judge the columns of one batch of an export (``validar.como_lote``: dates
are ``datetime64``).
Two kinds of helper columns may sit beside the contract's:

- context columns, named ``ctx_*``, that the caller adds from the warehouse
  (the account's snapshot, for instance) and a rule declares in ``contexto``;
  a rule whose context is absent is skipped, never reported as passing;
- derived columns, named ``_*``, computed here from the chunk's own columns
  when no GX expectation can compare them directly (a sum with a tolerance,
  the last day of a period). They are plain arithmetic; GX still judges them.
  A rule names the contract columns its derivation reads (``lee``): the load hands
  the rules only the columns they read (``Revision.columnas``).

The structural rules (``contrato.<fuente>.*``) are derived from ``etl.contract``:
they document the contract in GX and pass on the loader's typed chunks, which
have already quarantined the rows that break it.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from cauce import CauceError
from cauce.settings import Settings
from etl import contract as c


class AlUsarlo:
    """A module imported the first time one of its names is read. Great Expectations takes
    seconds to import; the rules' expectations are built only when a load judges rows, so
    the commands that only read the warehouse (indicators, lists, reports, the dashboard's
    pages) never pay for it."""

    def __init__(self, nombre: str):
        self._nombre = nombre

    def __getattr__(self, atributo: str):
        return getattr(importlib.import_module(self._nombre), atributo)


gxe = AlUsarlo("great_expectations.expectations")

ERROR, ADVERTENCIA = "error", "advertencia"
PARAMETRO_HOY = "hoy"          # expectation parameter: the date the load runs

Expectativas = Callable[[Settings], list]
Derivadas = Callable[[pd.DataFrame, Settings], dict[str, pd.Series]]


@dataclass(frozen=True)
class Regla:
    id: str
    fuente: str
    descripcion: str                 # Spanish, for the user
    severidad: str                   # ERROR or ADVERTENCIA
    controla: bool                   # the load gate refuses a file past its tolerance
    construir: Expectativas = field(repr=False)   # settings -> GX expectations
    contexto: tuple[str, ...] = ()   # ctx_* columns the caller must add
    derivar: Derivadas | None = field(default=None, repr=False)
    lee: tuple[str, ...] = ()        # the contract columns ``derivar`` reads

    @property
    def estructural(self) -> bool:
        """A rule of the contract itself (types, required values, codes, formats)."""
        return self.id.startswith("contrato.")


def expectativas(regla: Regla, settings: Settings) -> list:
    """The rule's GX expectations, tagged with its id and described for Data Docs."""
    out = regla.construir(settings)
    for e in out:
        e.meta = {"regla": regla.id, "severidad": regla.severidad}
        e.description = regla.descripcion
    return out


def tolerancia(regla: Regla, settings: Settings) -> float:
    """The share of a file's rows the rule may flag before the gate refuses it."""
    return settings.tolerancias.get(regla.id, settings.tolerancia_calidad)


def reglas_de(fuente: str) -> list[Regla]:
    return [r for r in REGLAS if r.fuente == fuente]


def revisar_tolerancias(settings: Settings) -> None:
    """``[calidad]`` may give a tolerance only to a rule that gates the load (``controla``): a
    misspelt id would otherwise leave the rule at the default without a word. Checked once,
    where a command or the dashboard starts (``cauce.acciones.ajustes``)."""
    gating = {x.id for x in REGLAS if x.controla}
    for k in settings.tolerancias:
        if k not in gating:
            raise CauceError(
                f"Configuración inválida en {settings.path}: [calidad] nombra la regla {k!r}, "
                f"que no existe o no detiene la carga. Reglas con tolerancia: "
                f"{', '.join(sorted(gating))}.")


# --- helpers -----------------------------------------------------------------

def _cond(expr: str) -> dict:
    return {"row_condition": expr, "condition_parser": "pandas"}


def _lista(values) -> str:
    return "[" + ", ".join(repr(v) for v in values) + "]"


def _redondeo(s: pd.Series) -> pd.Series:
    """Round to the warehouse's 4 decimals, so float noise never crosses a tolerance."""
    return s.round(4)


def _fin_de_mes(periodo: str):
    try:
        return pd.Timestamp(c.fin_de_periodo(periodo))
    except (TypeError, ValueError):
        return None


# --- structural rules, from the contract --------------------------------------

def _estructurales(source: c.Source) -> list[Regla]:
    reglas = []
    required = source.required
    if required:
        reglas.append(Regla(
            f"contrato.{source.name}.obligatorias", source.name,
            "Las columnas obligatorias del contrato tienen valor en todas las filas.",
            ERROR, False,
            lambda s, cols=tuple(required): [gxe.ExpectColumnValuesToNotBeNull(column=n)
                                             for n in cols]))
    codes = [(col.name, col.codes) for col in source.columns if col.codes]
    if codes:
        reglas.append(Regla(
            f"contrato.{source.name}.codigos", source.name,
            "Las columnas codificadas solo usan los códigos del contrato.",
            ERROR, False,
            lambda s, cols=tuple(codes): [gxe.ExpectColumnValuesToBeInSet(column=n, value_set=list(v))
                                          for n, v in cols]))
    formats = [(col.name, rf"^\d{{{col.length}}}$") for col in source.columns if col.length]
    formats += [(col.name, r"^\d{4}-(?:0[1-9]|1[0-2])$") for col in source.columns
                if col.type == c.PERIOD]
    if formats:
        reglas.append(Regla(
            f"contrato.{source.name}.formato", source.name,
            "Los códigos de ancho fijo (DANE, causal) y los periodos AAAA-MM tienen su formato.",
            ERROR, False,
            lambda s, cols=tuple(formats): [gxe.ExpectColumnValuesToMatchRegex(column=n, regex=rx)
                                            for n, rx in cols]))
    return reglas


# --- domain rules ---------------------------------------------------------------

_RESIDENCIAL = 'uso == "residencial"'
_MEDIDO = 'tipo_consumo == "medido"'
_RECURSOS = [t for t in c.SOURCES["pqr"].column("tipo").codes if t.startswith("recurso_")]


def _estratos_subsidiables(s: Settings) -> list[int]:
    return sorted(s.subsidios)


def _contribuyentes(s: Settings) -> tuple[list[str], list[int]]:
    """Uses and residential estratos that pay the solidarity contribution."""
    usos = [k for k in s.contribuciones if k in c.USOS]
    estratos = sorted(int(k.split("_", 1)[1]) for k in s.contribuciones if k.startswith("estrato_"))
    return usos, estratos


def _sin_derecho(df: pd.DataFrame, usos: list[str], estratos: list[int]) -> pd.Series:
    """Rows whose account (context) is of one of ``usos``, or residential of one of
    ``estratos``; False where the account is unknown (not judged)."""
    estrato = pd.to_numeric(df["ctx_estrato"], errors="coerce")
    return (df["ctx_uso"].isin(usos)
            | ((df["ctx_uso"] == "residencial") & estrato.isin(estratos))).fillna(False)


def _subsidio_sin_derecho(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """The subsidy of accounts not entitled to one; NaN elsewhere (not judged). A
    vectorised mask: a GX row condition this complex costs ten times more per batch."""
    otros = [u for u in c.USOS if u != "residencial"]
    sin = _sin_derecho(df, otros, [e for e in range(1, 7) if e not in s.subsidios])
    return {"_subsidio_sin_derecho": df["subsidio"].where(sin)}


def _contribucion_sin_derecho(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """The contribution of accounts that do not pay it; NaN elsewhere (not judged)."""
    usos, estratos = _contribuyentes(s)
    sin = _sin_derecho(df, [u for u in c.USOS if u != "residencial" and u not in usos],
                       [e for e in range(1, 7) if e not in estratos])
    return {"_contribucion_sin_derecho": df["contribucion"].where(sin)}


def _exceso_subsidio(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """Subsidy above its cap, share[estrato] × (cargo_fijo + valor_consumo); NaN where not judged."""
    estrato = pd.to_numeric(df["ctx_estrato"], errors="coerce")
    share = estrato.map({float(e): v for e, v in s.subsidios.items()})
    share = share.where(df["ctx_uso"] == "residencial")
    tope = share * (df["cargo_fijo"] + df["valor_consumo"])
    return {"_exceso_subsidio": _redondeo(df["subsidio"] - tope)}


def _tarifa_costos_distintos(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """1 on every row of a (municipality, service, date) whose classes do not share the same
    reference costs (``tariffs.md``): the classes differ only by their factor. A tariff file is
    small: its batch holds every class of a date."""
    grupo = df.groupby(["municipio_dane", "servicio", "vigente_desde"], dropna=False)
    distintos = (grupo["cargo_fijo"].transform("nunique", dropna=False) > 1) | (
        grupo["cargo_consumo"].transform("nunique", dropna=False) > 1)
    return {"_costos_distintos": distintos.astype("int64")}


def _indice_mes_faltante(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """1 on a month whose previous month the file's series lacks (its first month aside): the
    series has a gap there. An index file is small: its batch holds the whole series."""
    meses = [_mes(p) for p in df["periodo"]]
    presentes = {m for m in meses if m is not None}
    primero = min(presentes, default=None)
    falta = [m is not None and m != primero and m - 1 not in presentes for m in meses]
    return {"_mes_anterior_falta": pd.Series(falta, index=df.index, dtype="int64")}


def _mes(periodo) -> int | None:
    """A period "AAAA-MM" as a count of months; None when it is not one (its format rule
    says so)."""
    texto = str(periodo)
    if len(texto) != 7 or texto[4] != "-" or not (texto[:4] + texto[5:]).isdigit():
        return None
    mes = int(texto[5:])
    return int(texto[:4]) * 12 + mes - 1 if 1 <= mes <= 12 else None


def _tarifa_subsidio_indebido(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """1 where a class's subsidy (negative factor) is not for residential estratos 1–3 or is
    deeper than ``[tarifas.subsidio_maximo]``."""
    res = df["uso"] == "residencial"
    tope = pd.to_numeric(df["estrato"], errors="coerce").map(
        {float(e): v for e, v in s.tarifas.subsidio_maximo.items()}).where(res)
    factor = df["factor"].astype("float64")
    mal = (factor < 0) & (tope.isna() | (_redondeo(-factor - tope) > 0))
    return {"_subsidio_indebido": mal.astype("int64")}


def _tarifa_contribucion_indebida(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """1 where a class has a contribution (positive factor) outside residential estratos 5–6
    and the commercial and industrial uses, or any factor at all in estrato 4 or the official
    and special uses."""
    estrato = pd.to_numeric(df["estrato"], errors="coerce")
    res = df["uso"] == "residencial"
    contribuye = (res & estrato.isin([5, 6])) | df["uso"].isin(["comercial", "industrial"])
    neutra = (res & (estrato == 4)) | df["uso"].isin(["oficial", "especial"])
    factor = df["factor"].astype("float64")
    mal = ((factor > 0) & ~contribuye) | ((factor != 0) & neutra)
    return {"_contribucion_indebida": mal.astype("int64")}


def _tarifa_basico(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """The basic block minus the altitude rule of the municipality (``regulation.md``) for
    acueducto and alcantarillado; NaN where not judged (aseo, a municipality not configured).
    A missing basic block reads as −1: it differs too."""
    regla = df["municipio_dane"].map({m.dane: float(s.consumo_basico_m3(m.altitud_msnm))
                                      for m in s.municipios})
    agua = df["servicio"].isin(["acueducto", "alcantarillado"])
    basico = df["consumo_basico_m3"].astype("float64").fillna(-1)
    return {"_basico_distinto": _redondeo(basico - regla).where(agua & regla.notna())}


def _en_area(s: Settings) -> list:
    a = s.calidad
    if a.latitud is None or a.longitud is None:
        return []
    return [gxe.ExpectColumnValuesToBeBetween(column="latitud", min_value=a.latitud[0],
                                              max_value=a.latitud[1]),
            gxe.ExpectColumnValuesToBeBetween(column="longitud", min_value=a.longitud[0],
                                              max_value=a.longitud[1])]


def _primer_dia(periodo: pd.Series) -> pd.Series:
    return pd.to_datetime(periodo + "-01", format="%Y-%m-%d", errors="coerce")


def _dias_lectura(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """Days from the period's first day to the reading date (NaN when not read)."""
    dias = (pd.to_datetime(df["fecha_lectura"]) - _primer_dia(df["periodo"])).dt.days
    return {"_dias_lectura": dias.astype("float64")}


def _exceso_maximo(df: pd.DataFrame, s: Settings) -> dict[str, pd.Series]:
    """m³ above the use's ceiling × the account's dwelling units (NaN: use without ceiling)."""
    tope = df["ctx_uso"].map(s.calidad.maximo_m3).astype("float64") * df["ctx_unidades"]
    return {"_exceso_maximo": _redondeo(df["consumo_facturado"] - tope)}


REGLAS_DOMINIO: tuple[Regla, ...] = (
    # suscriptores
    Regla(
        "catastro.estrato_segun_uso", "suscriptores",
        "El estrato va de 1 a 6 en los predios residenciales y es 0 o vacío en los demás usos.",
        ERROR, True,
        lambda s: [
            gxe.ExpectColumnValuesToNotBeNull(column="estrato", **_cond(_RESIDENCIAL)),
            gxe.ExpectColumnValuesToBeBetween(column="estrato", min_value=1, max_value=6,
                                              **_cond(_RESIDENCIAL)),
            gxe.ExpectColumnValuesToBeInSet(column="estrato", value_set=[0],
                                            **_cond('uso != "residencial"')),
        ]),
    Regla(
        "catastro.municipio_configurado", "suscriptores",
        "El municipio (código DANE) es uno de los municipios configurados de la empresa.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(
            column="municipio_dane", value_set=[m.dane for m in s.municipios])]),
    Regla(
        "catastro.vinculacion_futura", "suscriptores",
        "La fecha de vinculación no es posterior al último día del periodo de la foto del catastro.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="_fin_periodo", column_B="fecha_vinculacion", or_equal=True,
            ignore_row_if="either_value_is_missing")],
        derivar=lambda df, s: {"_fin_periodo": df["periodo"].map(
            {p: _fin_de_mes(p) for p in df["periodo"].dropna().unique()})},
        lee=("periodo",)),
    Regla(
        "catastro.coordenadas_fuera_de_area", "suscriptores",
        "La latitud y la longitud del predio caen dentro del área de servicio de la empresa.",
        ERROR, True, _en_area),
    Regla(
        "catastro.medidor_compartido", "suscriptores",
        "Un medidor pertenece a una sola cuenta activa en la foto del catastro.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="ctx_cuentas_medidor", max_value=1)],
        contexto=("ctx_cuentas_medidor",)),
    Regla(
        "catastro.cuenta_desaparecida", "suscriptores",
        "Una cuenta de la foto anterior sigue en la nueva, salvo si estaba inactiva: una cuenta "
        "no se borra del catastro sin haber pasado por inactivo.",
        ADVERTENCIA, True,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(
            column="ctx_en_foto", value_set=[1], **_cond('ctx_estado_anterior != "inactivo"'))],
        contexto=("ctx_en_foto", "ctx_estado_anterior")),
    # lecturas
    Regla(
        "consumo.medido_diferencia", "lecturas",
        "Un consumo medido factura la lectura actual menos la anterior (con 0,01 m³ de tolerancia).",
        ERROR, True,
        lambda s: [
            gxe.ExpectColumnValuesToNotBeNull(column="lectura_actual", **_cond(_MEDIDO)),
            gxe.ExpectColumnValuesToNotBeNull(column="lectura_anterior", **_cond(_MEDIDO)),
            # A regressive reading is consumo.lectura_regresiva's finding, not this one's.
            gxe.ExpectColumnValuesToBeBetween(
                column="_descuadre_medido", min_value=-0.01, max_value=0.01,
                **_cond(f"{_MEDIDO} and lectura_actual >= lectura_anterior")),
        ],
        derivar=lambda df, s: {"_descuadre_medido": _redondeo(
            df["consumo_facturado"] - (df["lectura_actual"] - df["lectura_anterior"]))},
        lee=("consumo_facturado", "lectura_actual", "lectura_anterior")),
    Regla(
        "consumo.lectura_regresiva", "lecturas",
        "La lectura actual no es menor que la anterior, salvo cuando el consumo es por cambio de medidor.",
        ADVERTENCIA, True,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="lectura_actual", column_B="lectura_anterior", or_equal=True,
            ignore_row_if="either_value_is_missing",
            **_cond('tipo_consumo != "cambio_medidor"'))]),
    Regla(
        "consumo.estimado_sin_causal", "lecturas",
        "Un consumo promedio o estimado indica la causal de no lectura (Ley 142 art. 146).",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToNotBeNull(
            column="causal_no_lectura", **_cond('tipo_consumo in ["promedio", "estimado"]'))]),
    Regla(
        "consumo.negativo", "lecturas",
        "El consumo facturado no es negativo.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="consumo_facturado", min_value=0)]),
    Regla(
        "consumo.sin_catastro", "lecturas",
        "La cuenta leída está en la foto del catastro del mismo periodo.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="ctx_en_catastro", value_set=[1])],
        contexto=("ctx_en_catastro",)),
    Regla(
        "consumo.estimado_distinto_similares", "lecturas",
        "Un consumo estimado es el promedio de los consumos medidos del mismo uso y estrato en el "
        "periodo (Ley 142 art. 146), con la tolerancia que fija la empresa.",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(
            column="_desvio_estimado", min_value=-s.calidad.tolerancia_estimado_m3,
            max_value=s.calidad.tolerancia_estimado_m3, **_cond('tipo_consumo == "estimado"'))],
        contexto=("ctx_promedio_similares",),
        derivar=lambda df, s: {"_desvio_estimado": _redondeo(
            df["consumo_facturado"] - df["ctx_promedio_similares"])},
        lee=("consumo_facturado",)),
    Regla(
        "consumo.repetido", "lecturas",
        "El mismo consumo medido no se repite en los últimos periodos seguidos (lectura copiada "
        "o medidor frenado), tantos periodos como fija la empresa.",
        ADVERTENCIA, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(
            column="ctx_consumos_iguales", max_value=s.calidad.periodos_repetidos - 2)],
        contexto=("ctx_consumos_iguales",)),
    Regla(
        "consumo.sobre_maximo", "lecturas",
        "El consumo facturado no pasa del máximo creíble de su uso por unidad habitacional "
        "([calidad.consumo.maximo_m3]).",
        ADVERTENCIA, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="_exceso_maximo", max_value=0)],
        contexto=("ctx_uso", "ctx_unidades"), derivar=_exceso_maximo,
        lee=("consumo_facturado",)),
    Regla(
        "consumo.fecha_fuera_de_ventana", "lecturas",
        "La fecha de lectura cae en la ventana de días del periodo que fija la empresa (contados "
        "desde el primer día del periodo).",
        ERROR, True,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(
            column="_dias_lectura", min_value=s.calidad.ventana_lectura_dias[0],
            max_value=s.calidad.ventana_lectura_dias[1])],
        derivar=_dias_lectura, lee=("fecha_lectura", "periodo")),
    # facturas
    Regla(
        "facturacion.valor_total", "facturas",
        "El valor total es cargo fijo + consumo − subsidio + contribución + otros cargos "
        "(con 1 peso de tolerancia).",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="_descuadre_total",
                                                     min_value=-1, max_value=1)],
        derivar=lambda df, s: {"_descuadre_total": _redondeo(df["valor_total"] - (
            df["cargo_fijo"] + df["valor_consumo"] - df["subsidio"] + df["contribucion"]
            + df["otros_cargos"].fillna(0)))},
        lee=("valor_total", "cargo_fijo", "valor_consumo", "subsidio", "contribucion",
             "otros_cargos")),
    Regla(
        "facturacion.vencimiento_antes_expedicion", "facturas",
        "La fecha de vencimiento es posterior a la de expedición.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="fecha_vencimiento", column_B="fecha_expedicion", or_equal=False,
            ignore_row_if="either_value_is_missing")]),
    Regla(
        "facturacion.subsidio_indebido", "facturas",
        "Solo los residenciales de estratos con subsidio (1 a 3) lo reciben, y sin pasar del "
        "porcentaje configurado de cargo fijo + consumo.",
        ERROR, False,
        lambda s: [
            gxe.ExpectColumnValuesToBeInSet(column="_subsidio_sin_derecho", value_set=[0]),
            gxe.ExpectColumnValuesToBeBetween(column="_exceso_subsidio", max_value=1),
        ],
        contexto=("ctx_uso", "ctx_estrato"),
        derivar=lambda df, s: {**_subsidio_sin_derecho(df, s), **_exceso_subsidio(df, s)},
        lee=("subsidio", "cargo_fijo", "valor_consumo")),
    Regla(
        "facturacion.contribucion_indebida", "facturas",
        "Solo pagan contribución los estratos 5 y 6 y los usos comercial e industrial.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_contribucion_sin_derecho",
                                                   value_set=[0])],
        contexto=("ctx_uso", "ctx_estrato"), derivar=_contribucion_sin_derecho,
        lee=("contribucion",)),
    # pagos
    Regla(
        "recaudo.valor_no_positivo", "pagos",
        "El valor de cada pago es mayor que cero.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="valor", min_value=0,
                                                     strict_min=True)]),
    Regla(
        "recaudo.pago_futuro", "pagos",
        "La fecha de pago no es posterior al día de la carga.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(
            column="fecha_pago", max_value={"$PARAMETER": PARAMETRO_HOY})]),
    Regla(
        "recaudo.pago_sin_identificar", "pagos",
        "Cada pago indica la factura o la cuenta que paga.",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_identificado", value_set=[True])],
        derivar=lambda df, s: {"_identificado": df["codigo"].notna() | df["numero_factura"].notna()},
        lee=("codigo", "numero_factura")),
    Regla(
        "recaudo.referencia_desconocida", "pagos",
        "La factura y la cuenta que indica un pago están en el almacén.",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="ctx_factura_conocida", value_set=[1]),
                   gxe.ExpectColumnValuesToBeInSet(column="ctx_cuenta_conocida", value_set=[1])],
        contexto=("ctx_factura_conocida", "ctx_cuenta_conocida")),
    # pqr
    Regla(
        "pqr.respuesta_antes_radicacion", "pqr",
        "La respuesta no es anterior a la radicación.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="fecha_respuesta", column_B="fecha_radicacion", or_equal=True,
            ignore_row_if="either_value_is_missing")]),
    Regla(
        "pqr.notificacion_antes_respuesta", "pqr",
        "La notificación no es anterior al día de la respuesta.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="fecha_notificacion", column_B="_dia_respuesta", or_equal=True,
            ignore_row_if="either_value_is_missing")],
        derivar=lambda df, s: {"_dia_respuesta": pd.to_datetime(df["fecha_respuesta"]).dt.normalize()},
        lee=("fecha_respuesta",)),
    Regla(
        "pqr.recurso_sin_origen", "pqr",
        "Un recurso (reposición o apelación) indica el radicado de la PQR que recurre.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToNotBeNull(
            column="radicado_origen", **_cond(f"tipo in {_lista(_RECURSOS)}"))]),
    # ordenes
    Regla(
        "ordenes.ejecucion_antes_generacion", "ordenes",
        "Una orden no se ejecuta antes de haberse generado.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="fecha_ejecucion", column_B="fecha_generacion", or_equal=True,
            ignore_row_if="either_value_is_missing")]),
    Regla(
        "ordenes.ejecutada_vencida", "ordenes",
        "Una orden se ejecuta a más tardar en su fecha de vencimiento.",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="fecha_vencimiento", column_B="fecha_ejecucion", or_equal=True,
            ignore_row_if="either_value_is_missing")]),
    # tarifas: flagged, never refused (tariffs.md)
    Regla(
        "tarifas.costos_distintos", "tarifas",
        "Los costos de referencia (cargo fijo y cargo por consumo) son los mismos en todas las "
        "clases de un municipio, servicio y fecha de vigencia: las clases solo difieren en su "
        "factor.",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_costos_distintos", value_set=[0])],
        derivar=_tarifa_costos_distintos,
        lee=("municipio_dane", "servicio", "vigente_desde", "cargo_fijo", "cargo_consumo")),
    Regla(
        "tarifas.factor_fuera_de_rango", "tarifas",
        "El factor de cada clase está entre −1 (subsidio del 100 %) y 1 (contribución del "
        "100 %).",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="factor", min_value=-1,
                                                     max_value=1)]),
    Regla(
        "tarifas.subsidio_indebido", "tarifas",
        "Solo los estratos residenciales 1 a 3 tienen subsidio, y no más hondo que "
        "[tarifas.subsidio_maximo] (70 %, 40 % y 15 %).",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_subsidio_indebido", value_set=[0])],
        derivar=_tarifa_subsidio_indebido, lee=("uso", "estrato", "factor")),
    Regla(
        "tarifas.contribucion_indebida", "tarifas",
        "Solo los estratos 5 y 6 y los usos comercial e industrial tienen contribución; el "
        "estrato 4 y los usos oficial y especial tienen factor 0.",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_contribucion_indebida",
                                                   value_set=[0])],
        derivar=_tarifa_contribucion_indebida, lee=("uso", "estrato", "factor")),
    Regla(
        "tarifas.consumo_basico", "tarifas",
        "El consumo básico de acueducto y alcantarillado es el que fija la altitud del "
        "municipio (16 m³ bajo 1.000 m, 13 m³ de 1.000 a 2.000 m, 11 m³ sobre 2.000 m).",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="_basico_distinto", min_value=0,
                                                     max_value=0)],
        derivar=_tarifa_basico, lee=("municipio_dane", "servicio", "consumo_basico_m3")),
    # indices: flagged, never refused
    Regla(
        "indices.mes_faltante", "indices",
        "La serie del índice no salta meses: cada mes del archivo, salvo el primero, tiene el "
        "mes anterior (sin él no se puede medir la variación desde una tarifa).",
        ADVERTENCIA, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="_mes_anterior_falta", value_set=[0])],
        derivar=_indice_mes_faltante, lee=("periodo",)),
    # encuestas
    Regla(
        "nsu.valor_fuera_de_escala", "encuestas",
        "Cada respuesta de la encuesta vale de 1 a 5 (o está vacía).",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeBetween(column="valor", min_value=1, max_value=5)]),
    Regla(
        "nsu.pregunta_configurada", "encuestas",
        "La pregunta es una de las de la encuesta de la empresa.",
        ERROR, False,
        lambda s: [gxe.ExpectColumnValuesToBeInSet(column="pregunta",
                                                   value_set=sorted(s.nsu_preguntas))]),
)

REGLAS: tuple[Regla, ...] = tuple(
    r for source in c.SOURCES.values() for r in _estructurales(source)) + REGLAS_DOMINIO

assert len({r.id for r in REGLAS}) == len(REGLAS), "rule ids must be unique"
assert all(r.fuente in c.SOURCES for r in REGLAS)
assert all(set(r.lee) <= set(c.SOURCES[r.fuente].names) for r in REGLAS), "lee: contract columns"
