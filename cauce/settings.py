"""Typed settings read from ``config.toml``.

Every value a utility may change lives in the configuration file; this module
reads it once, checks each value's type and range, and fails with a Spanish
message naming the file, the key and what is expected.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from cauce import CauceError
from etl.contract import SOURCES

SHIPPED_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"


@dataclass(frozen=True)
class Municipio:
    dane: str
    nombre: str
    altitud_msnm: int


@dataclass(frozen=True)
class Critica:
    """Significant-deviation thresholds (Res. CRA 151 de 2001 art. 1.3.20.6)."""
    promedio_limite_m3: float = 40.0
    variacion_promedio_alto: float = 0.35     # average >= the limit
    variacion_promedio_bajo: float = 0.65     # average below the limit
    rango_sin_historia: tuple[float, float] = (0.35, 1.65)


@dataclass(frozen=True)
class FormatoCsv:
    """The CSV files Cauce writes for people (``[formato.csv]``): as Excel with Colombian
    regional settings splits and reads them (list separator ``;``, decimal comma)."""
    separador: str = ";"
    decimal: str = ","


@dataclass(frozen=True)
class Calidad:
    """Parameters of the cadastre and consumption rules (``[calidad.*]``)."""
    latitud: tuple[float, float] | None = None          # the service area, WGS84
    longitud: tuple[float, float] | None = None
    periodos_repetidos: int = 3          # the same measured consumption this many periods running
    tolerancia_estimado_m3: float = 1.0  # estimado vs the mean of similar users
    ventana_lectura_dias: tuple[int, int] = (-5, 45)     # days from the period's first day
    maximo_m3: dict[str, float] = field(default_factory=dict)   # ceiling per use and dwelling unit


@dataclass(frozen=True)
class Tarifas:
    """Tariff assurance (``[tarifas]``, ``tariffs.md``)."""
    redondeo: int = 1                    # expected charges are rounded to a multiple of this (pesos)
    tolerancia_pesos: float = 1.0        # a billed component this close to the expected is conforme
    umbral_actualizacion: float = 0.03   # index variation from which a tariff may be updated
    subsidio_maximo: dict[int, float] = field(
        default_factory=lambda: {1: 0.70, 2: 0.40, 3: 0.15})   # deepest subsidy per estrato


@dataclass(frozen=True)
class Mapeo:
    """How one source's export names its columns and codes."""
    columnas: dict[str, str] = field(default_factory=dict)          # contract name -> export header
    valores: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> {export code: canonical}


@dataclass(frozen=True)
class Documentos:
    """``[documentos]``: the terms of the letters and notices (``documents.md``)."""
    dias_plazo: int = 10               # calendar days from issue to the deadline
    dias_cierre: int = 5               # days past the deadline a closure still counts as on time
    cargo_reconexion: float = 0.0      # what reconnection costs, printed on the notice


@dataclass(frozen=True)
class Settings:
    path: Path
    empresa: str
    nit: str
    municipio_defecto: str
    municipios: tuple[Municipio, ...]
    almacen_url: str
    memoria_mb: int
    archivo_dir: Path
    calidad_dir: Path
    formato_fecha: str                 # "DD/MM/AAAA" or "MM/DD/AAAA"
    formato_decimal: str               # "auto", "punto", "coma"
    bloque_bytes: int
    csv: FormatoCsv                    # the CSV files written for people
    periodicidad: str                  # "mensual" or "bimestral"
    dias_entrega_antes_vencimiento: int
    consumo_basico: dict[str, int]
    subsidios: dict[int, float]
    contribuciones: dict[str, float]
    pqr_plazos: dict[str, int]
    pqr_causales: dict[str, dict[str, str]]  # code -> {"nombre", "grupo"}
    facturas_para_suspension: int
    banda_persuasivo: tuple[int, int]
    banda_prejuridico: tuple[int, int]
    juridico_desde: int
    vida_util_anios: int
    critica: Critica
    nsu_preguntas: dict[str, dict[str, str]]
    tolerancia_calidad: float
    tolerancias: dict[str, float]      # rule id -> share, where it differs from the default
    calidad: Calidad
    semaforo_tolerancia: float
    metas: dict[str, object]
    mapeos: dict[str, Mapeo]
    acceso: str = "local"              # how one signs in to the dashboard: "local" or "oidc"
    usuarios_archivo: Path = Path("datos/usuarios.toml")   # the dashboard's accounts
    proveedor_oidc: str | None = None  # the [auth.NAME] provider of secrets.toml for st.login
    # How each NSU dimension of [nsu.preguntas] is read (accents and all); else its key.
    nsu_dimensiones: dict[str, str] = field(default_factory=dict)
    sesion_horas: float = 8.0          # how long a local sign-in survives reloads
    # A route is unbalanced when its active accounts are more than this share above or below
    # its cycle's mean (``planning.md``, "Routes").
    rutas_desbalance: float = 0.25
    documentos: Documentos = field(default_factory=lambda: Documentos())
    tarifas: Tarifas = field(default_factory=Tarifas)

    def meta(self, indicador: str, anio: int) -> float | None:
        """The goal of an indicator for a year, or ``None`` when it has none."""
        m = self.metas.get(indicador)
        if isinstance(m, dict):
            m = m.get(str(anio))
        return None if m is None else float(m)

    def consumo_basico_m3(self, altitud_msnm: int) -> int:
        if altitud_msnm < 1000:
            return self.consumo_basico["bajo_1000_msnm"]
        if altitud_msnm <= 2000:
            return self.consumo_basico["entre_1000_y_2000_msnm"]
        return self.consumo_basico["sobre_2000_msnm"]


_SECTIONS = {
    "empresa", "municipios", "almacen", "formato", "facturacion", "consumo_basico",
    "subsidios", "contribuciones", "pqr", "cartera", "micromedicion", "critica", "nsu",
    "calidad", "semaforo", "metas", "mapeo", "acceso", "documentos", "tarifas", "rutas",
}


class _Reader:
    """Reads typed values from the parsed TOML, with messages that name the key."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    def fail(self, key: str, expected: str, value=None) -> CauceError:
        got = "no está" if value is None else f"tiene {value!r}"
        return CauceError(
            f"Configuración inválida en {self.path}: la clave {key} {got}; "
            f"se espera {expected}. Corrija el archivo y vuelva a intentarlo.")

    def table(self, key: str, required: bool = True) -> dict:
        node = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    raise CauceError(
                        f"Configuración incompleta en {self.path}: falta la sección [{key}]. "
                        f"Cópiela del config.toml que trae Cauce y ajústela.")
                return {}
            node = node[part]
        if not isinstance(node, dict):
            raise self.fail(f"[{key}]", "una sección (tabla)", node)
        return node

    def get(self, section: str, key: str, kind: type, default=..., check=None, expected=None):
        table = self.table(section, required=default is ...)
        if key not in table:
            if default is ...:
                raise self.fail(f"[{section}] {key}", expected or _kind_name(kind))
            return default
        value = table[key]
        ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok or (check is not None and not check(value)):
            raise self.fail(f"[{section}] {key}", expected or _kind_name(kind), value)
        return value

    def unknown(self, section: str, allowed: set[str]) -> None:
        extra = sorted(set(self.table(section, required=False)) - allowed)
        if extra:
            raise CauceError(
                f"Configuración inválida en {self.path}: la sección [{section}] tiene "
                f"clave(s) desconocida(s): {', '.join(extra)}. Revise la ortografía; las "
                f"claves válidas son: {', '.join(sorted(allowed))}.")


def _kind_name(kind: type) -> str:
    return {str: "un texto entre comillas", int: "un número entero", float: "un número",
            bool: "true o false", list: "una lista", dict: "una tabla"}[kind]


def find_config(path: str | os.PathLike | None = None) -> Path:
    """``--config``, else ``config.toml`` in the working folder, else the shipped one."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise CauceError(f"No se encuentra el archivo de configuración {p}. "
                             f"Indique una ruta válida con --config.")
        return p
    local = Path("config.toml")
    return local if local.is_file() else SHIPPED_CONFIG


def load_settings(path: str | os.PathLike | None = None, almacen: str | None = None) -> Settings:
    """Read and check the configuration; ``almacen`` overrides the warehouse URL."""
    p = find_config(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CauceError(f"El archivo de configuración {p} no está en UTF-8. "
                         f"Guárdelo con codificación UTF-8.") from None
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"line (\d+), column (\d+)", str(e))
        place = f" en la línea {where[1]}, columna {where[2]}" if where else ""
        raise CauceError(f"El archivo de configuración {p} no es TOML válido{place}. Revise "
                         f"comillas, corchetes, que cada clave esté en su propia línea y las comas "
                         f"decimales (use punto: 0.70).") from None
    except OSError as e:
        raise CauceError(f"No se pudo leer la configuración {p}: {e.strerror}.") from None
    return _build(p, data, almacen)


def _build(p: Path, data: dict, almacen: str | None) -> Settings:
    """The typed settings of the parsed file, section by section."""
    r = _Reader(p, data)
    _known_sections(r)
    base = p.resolve().parent if p != SHIPPED_CONFIG else Path.cwd()
    munis = _municipios(r)
    pqr_plazos, causales = _pqr(r)
    preguntas, dimensiones = _nsu(r)
    r.unknown("acceso", {"modo", "usuarios", "proveedor", "sesion_horas"})
    return Settings(
        path=p,
        empresa=r.get("empresa", "nombre", str),
        nit=r.get("empresa", "nit", str, default=""),
        municipio_defecto=r.get("empresa", "municipio_defecto", str, default=munis[0].dane,
                                check=_dane, expected="un código DANE de 5 dígitos"),
        municipios=munis,
        **_almacen(r, base, almacen),
        **_formato(r),
        csv=_csv(r),
        periodicidad=r.get("facturacion", "periodicidad", str,
                           check=lambda v: v in ("mensual", "bimestral"),
                           expected='"mensual" o "bimestral"'),
        dias_entrega_antes_vencimiento=r.get("facturacion", "dias_entrega_antes_vencimiento",
                                             int, default=5, check=lambda v: v >= 0),
        consumo_basico={k: r.get("consumo_basico", k, int, check=_positive) for k in (
            "bajo_1000_msnm", "entre_1000_y_2000_msnm", "sobre_2000_msnm")},
        subsidios={e: r.get("subsidios", f"estrato_{e}", float, check=_share) for e in (1, 2, 3)},
        contribuciones={k: r.get("contribuciones", k, float, check=_share) for k in (
            "estrato_5", "estrato_6", "comercial", "industrial")},
        pqr_plazos=pqr_plazos,
        pqr_causales=causales,
        **_cartera(r),
        vida_util_anios=r.get("micromedicion", "vida_util_anios", int, default=10, check=_positive),
        critica=_critica(r),
        nsu_preguntas=preguntas,
        tolerancia_calidad=r.get("calidad", "tolerancia_defecto", float, default=0.02,
                                 check=_share, expected="una proporción entre 0 y 1"),
        tolerancias=_tolerancias(r),
        calidad=_calidad(r),
        semaforo_tolerancia=r.get("semaforo", "tolerancia", float, default=0.02, check=_share),
        metas=_metas(r),
        mapeos=_mapeos(r),
        acceso=r.get("acceso", "modo", str, default="local", check=lambda v: v in ("local", "oidc"),
                     expected='"local" (cuentas de cauce usuarios) u "oidc" (st.login)'),
        usuarios_archivo=base / r.get("acceso", "usuarios", str, default="datos/usuarios.toml"),
        proveedor_oidc=r.get("acceso", "proveedor", str, default="") or None,
        nsu_dimensiones=dimensiones,
        documentos=_documentos(r),
        sesion_horas=r.get("acceso", "sesion_horas", float, default=8.0,
                           check=lambda v: 0 < v <= 24 * 30,
                           expected="un número de horas mayor que 0 (hasta 720)"),
        rutas_desbalance=r.get("rutas", "desbalance", float, default=0.25,
                               check=lambda v: 0 < v <= 1,
                               expected="una proporción mayor que 0 y hasta 1 (0.25: 25 %)"),
        tarifas=_tarifas(r),
    )


def _documentos(r: _Reader) -> Documentos:
    r.unknown("documentos", {"dias_plazo", "dias_cierre", "cargo_reconexion"})
    return Documentos(
        dias_plazo=r.get("documentos", "dias_plazo", int, default=10, check=_positive),
        dias_cierre=r.get("documentos", "dias_cierre", int, default=5, check=lambda v: v >= 0),
        cargo_reconexion=r.get("documentos", "cargo_reconexion", float, default=0.0,
                               check=lambda v: v >= 0))


def _dane(v: str) -> bool:
    return len(v) == 5 and v.isdigit()


def _positive(v) -> bool:
    return v > 0


def _share(v) -> bool:
    return 0 <= v <= 1


def _known_sections(r: _Reader) -> None:
    extra = sorted(set(r.data) - _SECTIONS)
    if extra:
        raise CauceError(f"Configuración inválida en {r.path}: sección(es) desconocida(s): "
                         f"{', '.join(extra)}. Las válidas son: {', '.join(sorted(_SECTIONS))}.")


def _municipios(r: _Reader) -> tuple[Municipio, ...]:
    municipios = r.data.get("municipios")
    if not isinstance(municipios, list) or not municipios:
        raise r.fail("[[municipios]]", "al menos un municipio con dane, nombre y altitud_msnm",
                     municipios)
    munis = []
    for i, m in enumerate(municipios, 1):
        name = f"municipios #{i}"
        sub = _Reader(r.path, {name: m})
        munis.append(Municipio(
            sub.get(name, "dane", str, check=_dane, expected="un código DANE de 5 dígitos"),
            sub.get(name, "nombre", str),
            sub.get(name, "altitud_msnm", int, check=lambda v: v >= 0)))
    return tuple(munis)


def _almacen(r: _Reader, base: Path, almacen: str | None) -> dict:
    """Where the warehouse, the archive and the checks' reports are: ``almacen`` (``--almacen``),
    else ``CAUCE_ALMACEN``, else the file's URL."""
    r.unknown("almacen", {"url", "archivo", "calidad", "memoria_mb"})
    url = almacen or os.environ.get("CAUCE_ALMACEN") or r.get("almacen", "url", str)
    return dict(
        almacen_url=_absolute_url(url, base),
        memoria_mb=r.get("almacen", "memoria_mb", int, default=512, check=lambda v: v >= 128,
                         expected="megabytes, al menos 128"),
        archivo_dir=base / r.get("almacen", "archivo", str, default="datos/archivo"),
        calidad_dir=base / r.get("almacen", "calidad", str, default="datos/calidad"))


def _formato(r: _Reader) -> dict:
    """How the exports write dates and decimals, and the size of the blocks they are read in."""
    r.unknown("formato", {"fecha", "decimal", "bloque_mb", "csv"})
    return dict(
        formato_fecha=r.get("formato", "fecha", str, default="DD/MM/AAAA",
                            check=lambda v: v in ("DD/MM/AAAA", "MM/DD/AAAA"),
                            expected='"DD/MM/AAAA" o "MM/DD/AAAA"'),
        formato_decimal=r.get("formato", "decimal", str, default="auto",
                              check=lambda v: v in ("auto", "punto", "coma"),
                              expected='"auto", "punto" o "coma"'),
        bloque_bytes=int(r.get("formato", "bloque_mb", float, default=8.0,
                               check=lambda v: 0 < v <= 1024,
                               expected="un número de megabytes entre 0 y 1024") * 2**20))


def _cartera(r: _Reader) -> dict:
    """The collection stages: the bands of days past due and when an account is suspended."""
    r.unknown("cartera", {"facturas_para_suspension", "persuasivo", "prejuridico", "juridico_desde"})

    def banda(k: str) -> tuple[int, int]:
        return tuple(r.get("cartera", k, list, check=lambda v: len(v) == 2 and all(
            isinstance(x, int) for x in v) and 0 < v[0] <= v[1],
            expected="una lista [desde, hasta] de días"))
    return dict(
        facturas_para_suspension=r.get("cartera", "facturas_para_suspension", int,
                                       check=_positive),
        banda_persuasivo=banda("persuasivo"),
        banda_prejuridico=banda("prejuridico"),
        juridico_desde=r.get("cartera", "juridico_desde", int, check=_positive))


def _pqr(r: _Reader) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """The answer terms per filing type (every type of the contract) and the causes."""
    tipos = SOURCES["pqr"].column("tipo").codes
    r.unknown("pqr.plazos", set(tipos))
    plazos = {t: r.get("pqr.plazos", t, int, default=15 if t != "sugerencia" else 0,
                       check=lambda v: v >= 0) for t in tipos}
    r.unknown("pqr", {"plazos", "causales"})
    causales = {}
    for code, c in r.table("pqr.causales", required=False).items():
        if not (isinstance(c, dict) and c.get("grupo") in ("F", "P") and len(code) == 3
                and code.isdigit()):
            raise r.fail(f'[pqr.causales] "{code}"',
                         'un código de 3 dígitos con { nombre = "...", grupo = "F" o "P" }', c)
        causales[code] = {"nombre": str(c.get("nombre", code)), "grupo": c["grupo"]}
    return plazos, causales


def _nsu(r: _Reader) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The survey's questions and how each dimension they measure is named."""
    preguntas = {}
    for pid, q in r.table("nsu.preguntas").items():
        if not isinstance(q, dict) or not isinstance(q.get("dimension"), str):
            raise r.fail(f"[nsu.preguntas] {pid}", '{ texto = "...", dimension = "..." }', q)
        preguntas[pid] = {"texto": str(q.get("texto", pid)), "dimension": q["dimension"]}
    dimensiones = r.table("nsu.dimensiones", required=False)
    r.unknown("nsu.dimensiones", {q["dimension"] for q in preguntas.values()})
    for d, nombre in dimensiones.items():
        if not isinstance(nombre, str) or not nombre.strip():
            raise r.fail(f"[nsu.dimensiones] {d}", "el nombre de la dimensión entre comillas",
                         nombre)
    return preguntas, dimensiones


def _metas(r: _Reader) -> dict[str, object]:
    """The goals: a number, or a number per year. Whether each names an indicator of the
    catalogue is the catalogue's to say (``indicators.catalogo.revisar_metas``)."""
    metas = r.table("metas", required=False)
    for k, v in metas.items():
        ok = (isinstance(v, (int, float)) and not isinstance(v, bool)) or (
            isinstance(v, dict) and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                        for x in v.values()))
        if not ok:
            raise r.fail(f'[metas] "{k}"', "un número o una tabla { año = número }", v)
    return metas


def _csv(r: _Reader) -> FormatoCsv:
    r.unknown("formato.csv", {"separador", "decimal"})
    d = FormatoCsv()
    separador = r.get("formato.csv", "separador", str, default=d.separador,
                      check=lambda v: v in (";", ",", "\t", "|"),
                      expected='";", ",", "\\t" (tabulador) o "|"')
    decimal = r.get("formato.csv", "decimal", str, default=d.decimal,
                    check=lambda v: v in (",", ".") and v != separador,
                    expected=f'"," o "." (distinto del separador «{separador}»)')
    return FormatoCsv(separador, decimal)


def _critica(r: _Reader) -> Critica:
    r.unknown("critica", {"promedio_limite_m3", "variacion_promedio_alto",
                          "variacion_promedio_bajo", "rango_sin_historia"})
    d = Critica()
    share = lambda v: 0 < v < 10  # noqa: E731
    rango = r.get("critica", "rango_sin_historia", list, default=list(d.rango_sin_historia),
                  check=lambda v: len(v) == 2 and all(isinstance(x, (int, float)) for x in v)
                  and 0 <= v[0] < 1 < v[1], expected="una lista [mínimo, máximo] como [0.35, 1.65]")
    return Critica(
        r.get("critica", "promedio_limite_m3", float, default=d.promedio_limite_m3,
              check=lambda v: v > 0),
        r.get("critica", "variacion_promedio_alto", float, default=d.variacion_promedio_alto,
              check=share),
        r.get("critica", "variacion_promedio_bajo", float, default=d.variacion_promedio_bajo,
              check=share),
        (float(rango[0]), float(rango[1])))


def _tolerancias(r: _Reader) -> dict[str, float]:
    """Per-rule tolerances: the keys of ``[calidad]`` that are not a table. Whether each names
    a rule that gates the load is the rules' to say (``data_checks.reglas.revisar_tolerancias``)."""
    return {k: r.get("calidad", k, float, check=_share, expected="una proporción entre 0 y 1")
            for k, v in r.table("calidad", required=False).items()
            if k != "tolerancia_defecto" and not isinstance(v, dict)}


def _calidad(r: _Reader) -> Calidad:
    r.unknown("calidad.area", {"latitud", "longitud"})
    r.unknown("calidad.consumo", {"periodos_repetidos", "tolerancia_estimado_m3",
                                  "ventana_lectura_dias", "maximo_m3"})
    d = Calidad()

    def rango(section, key, lo, hi, default, kind=(int, float)):
        v = r.get(section, key, list, default=default, check=lambda v: len(v) == 2 and all(
            isinstance(x, kind) and not isinstance(x, bool) for x in v) and lo <= v[0] < v[1] <= hi,
            expected=f"una lista [mínimo, máximo] entre {lo} y {hi}")
        return None if v is None else (v[0], v[1])

    usos = SOURCES["suscriptores"].column("uso").codes
    maximo = r.table("calidad.consumo.maximo_m3", required=False)
    r.unknown("calidad.consumo.maximo_m3", set(usos))
    for uso in maximo:
        r.get("calidad.consumo.maximo_m3", uso, float, check=lambda v: v > 0,
              expected="metros cúbicos por unidad, mayor que 0")
    return Calidad(
        latitud=rango("calidad.area", "latitud", -90, 90, None),
        longitud=rango("calidad.area", "longitud", -180, 180, None),
        periodos_repetidos=r.get("calidad.consumo", "periodos_repetidos", int,
                                 default=d.periodos_repetidos, check=lambda v: v >= 2,
                                 expected="un número de periodos, 2 o más"),
        tolerancia_estimado_m3=r.get("calidad.consumo", "tolerancia_estimado_m3", float,
                                     default=d.tolerancia_estimado_m3, check=lambda v: v >= 0),
        ventana_lectura_dias=rango("calidad.consumo", "ventana_lectura_dias", -366, 366,
                                   list(d.ventana_lectura_dias), kind=int),
        maximo_m3={u: float(v) for u, v in maximo.items()},
    )


def _tarifas(r: _Reader) -> Tarifas:
    r.unknown("tarifas", {"redondeo", "tolerancia_pesos", "umbral_actualizacion",
                          "subsidio_maximo"})
    r.unknown("tarifas.subsidio_maximo", {"estrato_1", "estrato_2", "estrato_3"})
    d = Tarifas()
    return Tarifas(
        redondeo=r.get("tarifas", "redondeo", int, default=d.redondeo, check=_positive,
                       expected="un número entero de pesos, 1 o más"),
        tolerancia_pesos=r.get("tarifas", "tolerancia_pesos", float, default=d.tolerancia_pesos,
                               check=lambda v: v >= 0, expected="pesos, 0 o más"),
        umbral_actualizacion=r.get("tarifas", "umbral_actualizacion", float,
                                   default=d.umbral_actualizacion, check=_share,
                                   expected="una proporción entre 0 y 1 (0.03 es 3 %)"),
        subsidio_maximo={e: r.get("tarifas.subsidio_maximo", f"estrato_{e}", float,
                                  default=d.subsidio_maximo[e], check=_share,
                                  expected="una proporción entre 0 y 1 (0.70 es 70 %)")
                         for e in (1, 2, 3)},
    )


def _mapeos(r: _Reader) -> dict[str, Mapeo]:
    out = {}
    for fuente, m in r.table("mapeo", required=False).items():
        if fuente not in SOURCES:
            raise CauceError(f"Configuración inválida en {r.path}: [mapeo.{fuente}] no es una "
                             f"fuente del contrato. Fuentes: {', '.join(SOURCES)}.")
        r.unknown(f"mapeo.{fuente}", {"columnas", "valores"})
        names = set(SOURCES[fuente].names)
        columnas = r.table(f"mapeo.{fuente}.columnas", required=False)
        valores = r.table(f"mapeo.{fuente}.valores", required=False)
        for col in set(columnas) | set(valores):
            if col not in names:
                raise CauceError(f"Configuración inválida en {r.path}: [mapeo.{fuente}] nombra la "
                                 f"columna {col!r}, que no está en el contrato de {fuente}.")
        for col, v in columnas.items():
            if not isinstance(v, str):
                raise r.fail(f"[mapeo.{fuente}.columnas] {col}", "el nombre de la columna en su archivo", v)
        for col, table in valores.items():
            if not isinstance(table, dict) or not all(isinstance(x, str) for x in table.values()):
                raise r.fail(f"[mapeo.{fuente}.valores.{col}]",
                             'una tabla "código suyo" = "código del contrato"', table)
        out[fuente] = Mapeo(dict(columnas),
                            {c: {str(k): v for k, v in t.items()} for c, t in valores.items()})
    return out


def _absolute_url(url: str, base: Path) -> str:
    """Make a relative DuckDB file path relative to the configuration's folder."""
    prefix = "duckdb:///"
    if url.startswith(prefix):
        rest = url[len(prefix):]
        if rest and rest != ":memory:" and not rest.startswith(("/", ":memory:")):
            return prefix + str(base / rest)
    return url
