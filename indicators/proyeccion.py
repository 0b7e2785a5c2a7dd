"""Next year's goals (``planning.md``, "Goals for next year"): the projection of users,
billing, collection and claims from the catalogue's monthly values.

The method is statsmodels' exponential smoothing in its state-space form (``ETSModel``:
Holt-Winters with additive errors), chosen because it gives prediction intervals and runs
in a fraction of a second per series on any server (statsmodels is a well-kept library; its
import costs about 1.5 s, once). With 24 months or more it has monthly seasonality (12),
additive or multiplicative, whichever fits better (AIC); with 6 to 23 months it has a trend
and no seasonality; with fewer than 6 there is no projection. Its honesty is the backtest:
the same method fitted on all but the last 6 months, and its mean absolute percentage error
(MAPE) on those 6 months it did not see.

The initial states are computed from the first year of the history (the classical
Holt-Winters start) rather than estimated, so that a short history is not asked for more
parameters than it has months.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlalchemy as sa

from cauce.formato import porcentaje
from cauce.settings import Settings
from indicators import catalogo
from indicators.definicion import periodo_mas

SERIES = ("catastro.activos", "facturacion.valor", "recaudo.valor", "pqr.radicadas")
ESTACIONES = 12           # monthly seasonality
MESES_ESTACIONAL = 24     # fewer: no seasonality
MESES_MINIMOS = 6         # fewer: no projection
MESES_PRUEBA = 6          # the backtest: the last months the fit does not see
NIVELES = (0.80, 0.95)

# The methods, as the projection's ``metodo`` says them.
ESTACIONAL_ADITIVO, ESTACIONAL_MULTIPLICATIVO, TENDENCIA, SIN_PROYECCION = (
    "estacional_aditivo", "estacional_multiplicativo", "tendencia", "sin_proyeccion")
METODOS = {
    ESTACIONAL_ADITIVO: "suavizamiento exponencial con tendencia y estacionalidad mensual "
                        "aditiva (Holt-Winters)",
    ESTACIONAL_MULTIPLICATIVO: "suavizamiento exponencial con tendencia y estacionalidad "
                               "mensual multiplicativa (Holt-Winters)",
    TENDENCIA: "suavizamiento exponencial con tendencia amortiguada, sin estacionalidad "
               f"(hay menos de {MESES_ESTACIONAL} meses de historia)",
    SIN_PROYECCION: f"sin proyección (hay menos de {MESES_MINIMOS} meses de historia)",
}

# Goals of ``[metas]`` that the projection implies: id -> how, from next year's months.
# A flow's goal is its mean projected month; the collection efficiency is the projected
# collection over the projected billing of the same months.
IMPLICITAS = {
    "recaudo.eficiencia": lambda s: _suma(s, "recaudo.valor") / _suma(s, "facturacion.valor"),
    **{id: (lambda s, id=id: _suma(s, id) / len(s[id])) for id in SERIES},
}


@dataclass
class Proyeccion:
    """One series: its history, the projected months and how far to trust them."""
    id: str
    nombre: str
    unidad: str
    historia: pd.Series          # periodo -> valor, the months the fit used
    metodo: str                  # one of METODOS
    # periodo, valor, inferior_80, superior_80, inferior_95, superior_95 (empty: no projection)
    meses: pd.DataFrame
    mape: float | None           # the backtest's error, as a proportion; None without one
    prueba: pd.DataFrame         # periodo, real, proyectado: the backtest's months

    @property
    def explicacion(self) -> str:
        """The method and its error in words, for the page, the command and the report."""
        partes = [f"{self.nombre}: {len(self.historia)} meses de historia; "
                  f"{METODOS[self.metodo]}."]
        if self.metodo == SIN_PROYECCION:
            return partes[0]
        if self.mape is None:
            partes.append(f"Sin prueba: la historia no alcanza para dejar fuera los últimos "
                          f"{MESES_PRUEBA} meses.")
        else:
            partes.append(f"Ajustado sin los últimos {MESES_PRUEBA} meses, se equivocó en "
                          f"ellos en promedio un {porcentaje(self.mape)} (MAPE).")
        return " ".join(partes)


@dataclass
class Metas:
    """The goals the projection implies for ``anio``, beside the current ones."""
    anio: int
    meses: int                   # how many months of ``anio`` the projection covers
    filas: pd.DataFrame          # id, nombre, unidad, actual, propuesta (None: not implied)
    bloque: str                  # the ``[metas]`` block to copy into config.toml


def historia(conn: sa.Connection, hasta: str, settings: Settings) -> pd.DataFrame:
    """The catalogue's monthly values of the four series from the first loaded period to
    ``hasta``: columns id, periodo, valor (None where the month has no data)."""
    cargados = catalogo.periodos_cargados(conn)
    if cargados is None:
        return pd.DataFrame(columns=["id", "periodo", "valor"])
    n = _meses_entre(cargados[0], hasta) + 1
    if n < 1:
        return pd.DataFrame(columns=["id", "periodo", "valor"])
    t = catalogo.tendencia(conn, hasta, settings, ids=list(SERIES), n=n)
    return t[["id", "periodo", "valor"]]


def proyectar(conn: sa.Connection, settings: Settings, hasta: str | None = None,
              meses: int = 12) -> list[Proyeccion]:
    """The projection of each series of ``SERIES`` for the ``meses`` months after ``hasta``
    (default: the latest period)."""
    hasta = hasta or catalogo.ultimo_periodo(conn)
    h = historia(conn, hasta, settings) if hasta else pd.DataFrame(columns=["id", "periodo",
                                                                            "valor"])
    out = []
    for id in SERIES:
        x = catalogo.buscar(settings, id)
        d = h[h["id"] == id]
        serie = _continua(pd.Series(d["valor"].to_numpy(), index=d["periodo"].to_numpy()))
        out.append(proyectar_serie(serie, meses, id=id, nombre=x.nombre, unidad=x.unidad))
    return out


def proyectar_serie(serie: pd.Series, meses: int = 12, *, id: str = "", nombre: str = "",
                    unidad: str = "") -> Proyeccion:
    """The projection of one monthly series (index: periods 'YYYY-MM', consecutive)."""
    serie = serie.astype(float)
    metodo = _metodo(serie)
    vacio = pd.DataFrame(columns=["periodo", "valor", "inferior_80", "superior_80",
                                  "inferior_95", "superior_95"])
    prueba = pd.DataFrame(columns=["periodo", "real", "proyectado"])
    if metodo == SIN_PROYECCION:
        return Proyeccion(id, nombre, unidad, serie, metodo, vacio, None, prueba)
    metodo, resultado = _elegir(serie, metodo)
    ultimo = serie.index[-1]
    periodos = [periodo_mas(ultimo, k) for k in range(1, meses + 1)]
    proyectados = _pronostico(resultado, len(serie), meses, periodos)
    mape = None
    entrenamiento = serie.iloc[:-MESES_PRUEBA]
    if _cabe(entrenamiento, metodo):
        real = serie.iloc[-MESES_PRUEBA:]
        # the whole procedure on the shorter history, the choice of season form included
        _, visto = _elegir(entrenamiento, metodo)
        p = _pronostico(visto, len(entrenamiento), MESES_PRUEBA, list(real.index))
        prueba = pd.DataFrame({"periodo": real.index, "real": real.to_numpy(),
                               "proyectado": p["valor"].to_numpy()})
        con_valor = prueba[prueba["real"] != 0]
        if len(con_valor):
            mape = float(np.mean(np.abs(con_valor["proyectado"] - con_valor["real"])
                                 / np.abs(con_valor["real"])))
    return Proyeccion(id, nombre, unidad, serie, metodo, proyectados, mape, prueba)


def metas(proyecciones: list[Proyeccion], settings: Settings, anio: int) -> Metas:
    """For each indicator with a goal in ``[metas]``: its goal for ``anio`` (or the latest
    it has) and the one the projection implies, and the whole ``[metas]`` block with the
    proposals added for ``anio``. Cauce never edits config.toml: a person copies it."""
    del_anio = {p.id: p.meses[p.meses["periodo"].str.startswith(f"{anio}-")]["valor"].to_list()
                for p in proyecciones}
    cubiertos = min((len(v) for v in del_anio.values() if v), default=0)
    filas, lineas = [], ["[metas]"]
    for id, meta in settings.metas.items():
        actual = settings.meta(id, anio)
        if actual is None and isinstance(meta, dict) and meta:
            actual = float(meta[max(meta)])
        propuesta = None
        entradas = {"recaudo.eficiencia": ("recaudo.valor", "facturacion.valor")}.get(id, (id,))
        if id in IMPLICITAS and all(del_anio.get(e) for e in entradas):
            propuesta = float(IMPLICITAS[id]({e: del_anio[e] for e in entradas}))
        x = catalogo.buscar(settings, id)
        filas.append({"id": id, "nombre": x.nombre, "unidad": x.unidad, "actual": actual,
                      "propuesta": propuesta})
        lineas.append(_linea(id, meta, anio, propuesta))
    return Metas(anio, cubiertos, pd.DataFrame(filas, columns=["id", "nombre", "unidad",
                                                                "actual", "propuesta"]),
                 "\n".join(lineas) + "\n")


# --- How it is computed ------------------------------------------------------------------------

def _suma(s: dict[str, list[float]], id: str) -> float:
    return float(sum(s[id]))


def _meses_entre(desde: str, hasta: str) -> int:
    return (int(hasta[:4]) - int(desde[:4])) * 12 + int(hasta[5:7]) - int(desde[5:7])


def _continua(serie: pd.Series) -> pd.Series:
    """The latest run of months with a value: months before a gap (or before the source was
    loaded) cannot be in a monthly model."""
    vacios = [i for i, v in enumerate(serie.to_numpy()) if v is None or v != v]
    inicio = vacios[-1] + 1 if vacios else 0
    return serie.iloc[inicio:].astype(float)


def _metodo(serie: pd.Series) -> str:
    if len(serie) < MESES_MINIMOS:
        return SIN_PROYECCION
    return TENDENCIA if len(serie) < MESES_ESTACIONAL else ESTACIONAL_ADITIVO


def _cabe(serie: pd.Series, metodo: str) -> bool:
    """Whether the backtest's shorter history can be fitted with the same method: a first
    year to start the seasons and at least one month after it; three months for a trend."""
    return len(serie) > ESTACIONES if metodo != TENDENCIA else len(serie) >= 3


def _elegir(serie: pd.Series, metodo: str):
    """The method and its fit: with seasons, the better (AIC) of the additive and the
    multiplicative form (which needs positive values)."""
    if metodo == TENDENCIA:
        return metodo, _ajustar(serie, metodo)
    aditivo = _ajustar(serie, ESTACIONAL_ADITIVO)
    if (serie <= 0).any():
        return ESTACIONAL_ADITIVO, aditivo
    multiplicativo = _ajustar(serie, ESTACIONAL_MULTIPLICATIVO)
    if multiplicativo.aic < aditivo.aic:
        return ESTACIONAL_MULTIPLICATIVO, multiplicativo
    return ESTACIONAL_ADITIVO, aditivo


def _ajustar(serie: pd.Series, metodo: str):
    """The fitted ETS model, its initial states from the first year (or the first and last
    month, without seasons)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel   # costly: only when used

    v = serie.to_numpy(dtype=float)
    y = pd.Series(v, index=pd.RangeIndex(len(v)))
    if metodo == TENDENCIA:
        kw = dict(initial_level=v[0], initial_trend=(v[-1] - v[0]) / max(len(v) - 1, 1))
        modelo = ETSModel(y, error="add", trend="add", damped_trend=True,
                          initialization_method="known", **kw)
    else:
        primero = v[:ESTACIONES]
        siguiente = v[ESTACIONES:2 * ESTACIONES]
        pendiente = ((siguiente.mean() - primero.mean()) / ESTACIONES if len(siguiente) == ESTACIONES
                     else (v[-1] - v[0]) / (len(v) - 1))
        recta = primero.mean() + pendiente * (np.arange(ESTACIONES) - (ESTACIONES - 1) / 2)
        estacional = "add" if metodo == ESTACIONAL_ADITIVO else "mul"
        temporadas = primero - recta if estacional == "add" else primero / recta
        modelo = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal=estacional,
                          seasonal_periods=ESTACIONES, initialization_method="known",
                          initial_level=recta[0] - pendiente, initial_trend=pendiente,
                          initial_seasonal=list(temporadas))
    with warnings.catch_warnings():     # convergence chatter of the optimiser
        warnings.simplefilter("ignore")
        return modelo.fit(disp=False)


def _pronostico(resultado, n: int, meses: int, periodos: list[str]) -> pd.DataFrame:
    """The projected months with their 80 % and 95 % intervals (never below 0: the four
    series are counts and sums of money)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = resultado.get_prediction(start=n, end=n + meses - 1,
                                     rng=np.random.default_rng(0))
        out = {"periodo": periodos, "valor": np.asarray(p.predicted_mean, dtype=float)}
        for nivel in NIVELES:
            marco = p.summary_frame(alpha=1 - nivel)
            k = round(100 * nivel)
            out[f"inferior_{k}"] = np.maximum(marco["pi_lower"].to_numpy(dtype=float), 0)
            out[f"superior_{k}"] = marco["pi_upper"].to_numpy(dtype=float)
    frame = pd.DataFrame(out)
    frame["valor"] = frame["valor"].clip(lower=0)
    return frame


def _linea(id: str, meta, anio: int, propuesta: float | None) -> str:
    """A goal's line of the ``[metas]`` block: the goals it has, and the proposal for
    ``anio`` (a number for every year becomes a table, so that past years keep theirs)."""
    if propuesta is None:
        por_anio = meta if isinstance(meta, dict) else None
        if por_anio is None:
            return f'"{id}" = {_numero(meta)}'
    else:
        por_anio = dict(meta) if isinstance(meta, dict) else {}
        if not isinstance(meta, dict):
            por_anio[str(anio - 1)] = meta
        por_anio[str(anio)] = propuesta
    pares = ", ".join(f"{k} = {_numero(v)}" for k, v in sorted(por_anio.items()))
    return f'"{id}" = {{ {pares} }}'


def _numero(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() and abs(v) >= 1 else f"{round(v, 4):g}"
