"""The validator: every rule of a layout on every row, before anything is written.

Field rules come from each field's declaration (type, length or decimals, mandatory,
allowed codes, digits only); cross-field rules are the layout's ``[[reglas]]``, each a
rule type below with its parameters. Rows are judged as they will be written (the text of
each field), so what passes is exactly what the SUI receives. Each error names the row
(its line in the file), the field and the offending value, in Spanish.

A report is judged a lot of rows at a time: a sieve over whole columns clears what surely
passes, and the rules, written once below for one row, judge only what it doubts.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyarrow as pa
import pyarrow.compute as pc

from indicators.sui.construir import Fila, Lote
from indicators.sui.formato import Campo, Formato

_ENTERO = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_FECHA = re.compile(r"\d{2}-\d{2}-\d{4}")


@dataclass(frozen=True)
class Error:
    fila: int                       # the line of the flat file (no header: the first row is 1)
    campo: Campo
    valor: str
    mensaje: str
    clave: str = ""                 # what the row is: "radicado R01", "factura F1"

    def __str__(self) -> str:
        donde = f"Fila {self.fila}" + (f" ({self.clave})" if self.clave else "")
        return f"{donde}, {self.campo.etiqueta} = «{self.valor}»: {self.mensaje}."


@dataclass
class Validacion:
    errores: list[Error]            # the first ones, in row order
    total: int                      # every error found
    filas: int
    vacios: dict[int, int] = field(default_factory=dict)   # mandatory field -> empty rows

    @property
    def valida(self) -> bool:
        return self.total == 0


def fecha(texto: str) -> dt.date | None:
    """A ``dd-mm-aaaa`` date, or None when empty or not a date."""
    if not _FECHA.fullmatch(texto):
        return None
    try:
        return dt.date(int(texto[6:]), int(texto[3:5]), int(texto[:2]))
    except ValueError:
        return None


def numero(texto: str) -> Decimal | None:
    if not _DECIMAL.fullmatch(texto):
        return None
    try:
        return Decimal(texto)
    except InvalidOperation:            # pragma: no cover - the pattern rules it out
        return None


def revisar_campo(campo: Campo, v: str) -> str | None:
    """What is wrong with a field's text by its own declaration, or None."""
    if v == "":
        return "es obligatorio y está vacío" if campo.obligatorio else None
    if "," in v or "\n" in v or "\r" in v:
        return "contiene una coma o un salto de línea, que el archivo plano no admite"
    if campo.tipo == "texto":
        if campo.longitud is not None and len(v) > campo.longitud:
            return f"tiene {len(v)} caracteres; el máximo es {campo.longitud}"
    elif campo.tipo == "entero":
        if not _ENTERO.fullmatch(v) or (v.startswith("-") and not campo.negativo):
            return "debe ser un número entero sin signo, sin puntos ni comas"
        if campo.longitud is not None and len(v.lstrip("-")) > campo.longitud:
            return f"tiene {len(v.lstrip('-'))} dígitos; el máximo es {campo.longitud}"
    elif campo.tipo == "decimal":
        if not _DECIMAL.fullmatch(v):
            return "debe ser un número con punto decimal y sin separador de miles"
        if v.startswith("-") and not campo.negativo:
            return "no puede ser negativo"
        decimales = len(v.partition(".")[2])
        if decimales > (campo.decimales or 0):
            return f"tiene {decimales} decimales; el máximo es {campo.decimales}"
        if campo.longitud is not None and len(v.lstrip("-").partition(".")[0]) > campo.longitud:
            return f"tiene más de {campo.longitud} dígitos enteros"
    elif campo.tipo == "fecha":
        if fecha(v) is None:
            return "debe ser una fecha dd-mm-aaaa válida"
    elif campo.tipo == "codigo":
        if campo.digitos and not v.isdigit():
            return "debe tener solo dígitos"
        if campo.longitud is not None:
            if campo.exacta and len(v) != campo.longitud:
                return f"debe tener exactamente {campo.longitud} caracteres"
            if len(v) > campo.longitud:
                return f"tiene {len(v)} caracteres; el máximo es {campo.longitud}"
        if campo.codigos and v not in campo.codigos:
            return f"no es un código permitido ({', '.join(campo.codigos)})"
    return None


# --- Cross-field rules: one factory per rule type of formato.PARAMETROS_REGLAS -------------
# A factory takes the layout and the rule's parameters and returns the fields the rule reads
# and a function of (row number, row, {field id: text}) that yields (field, message) for
# each error. A rule does not judge a row where one of its fields already failed its own
# check (an invalid code, a date that is not one): that error is reported once.

Revisor = Callable[[int, Fila, dict[str, str]], Iterable[tuple[Campo, str]]]
Regla = tuple[list[Campo], Revisor]


def _con_valor(campo: Campo, v: str) -> bool:
    """A field carries something: not empty, and not zero for a number."""
    if v == "":
        return False
    if campo.numerico:
        n = numero(v)
        return n is None or n != 0
    return True


def _unico(f: Formato, p: dict) -> Regla:
    campo = f.campo(p["campo"])
    por = [f.campo(x) for x in p.get("por", [])]
    contexto = p.get("por_contexto", [])
    vistos: dict[tuple, int] = {}

    def revisar(n, fila, v):
        clave = (v[campo.id], *[v[c.id] for c in por], *[fila.contexto.get(x) for x in contexto])
        if clave in vistos:
            sobre = ", ".join([c.etiqueta for c in por] + [x for x in contexto])
            yield campo, (f"se repite (ya está en la fila {vistos[clave]})"
                          + (f" con los mismos {sobre}" if sobre else ""))
        else:
            vistos[clave] = n
    return [campo, *por], revisar


def _fechas_en_orden(f: Formato, p: dict) -> Regla:
    campos = [f.campo(x) for x in p["campos"]]

    def revisar(n, fila, v):
        anterior: tuple[Campo, dt.date] | None = None
        for c in campos:
            d = fecha(v[c.id])
            if d is None:
                continue
            if anterior is not None and d < anterior[1]:
                yield c, (f"es anterior al {anterior[0].etiqueta} "
                          f"({anterior[1].strftime('%d-%m-%Y')})")
            anterior = (c, d)
    return campos, revisar


def _igual_si_vacio(f: Formato, p: dict) -> Regla:
    campo, si_vacio, valor = f.campo(p["campo"]), f.campo(p["si_vacio"]), p["valor"]

    def revisar(n, fila, v):
        vacio = v[si_vacio.id] == ""
        if vacio and v[campo.id] != valor:
            yield campo, f"debe ser {valor} porque el {si_vacio.etiqueta} está vacío"
        elif not vacio and v[campo.id] == valor:
            yield campo, (f"es {valor}, que exige el {si_vacio.etiqueta} vacío, y ese campo "
                          f"tiene «{v[si_vacio.id]}»")
    return [campo, si_vacio], revisar


def _solo_si(f: Formato, p: dict) -> Regla:
    campo, si, valores = f.campo(p["campo"]), f.campo(p["si"]), list(dict.fromkeys(p["valores"]))

    def revisar(n, fila, v):
        if _con_valor(campo, v[campo.id]) and v[si.id] not in valores:
            yield campo, (f"solo puede tener valor cuando el {si.etiqueta} es "
                          f"{' o '.join(valores)}, y aquí es «{v[si.id]}»")
    return [campo, si], revisar


def _clase_uso(f: Formato, p: dict) -> Regla:
    campo = f.campo(p["campo"])
    hasta, desde = p["residencial_hasta"], p["otros_desde"]

    def revisar(n, fila, v):
        uso = fila.contexto.get("uso")
        codigo = v[campo.id]
        if uso is None or not codigo.isdigit():
            return
        if uso == "residencial" and int(codigo) > hasta:
            yield campo, f"la cuenta es residencial: su clase de uso debe ser {hasta} o menos"
        elif uso != "residencial" and int(codigo) < desde:
            yield campo, f"la cuenta es de uso {uso}: su clase de uso debe ser {desde} o más"
    return [campo], revisar


def _suma(f: Formato, p: dict) -> Regla:
    total = f.campo(p["total"])
    mas, menos = [f.campo(x) for x in p["mas"]], [f.campo(x) for x in p.get("menos", [])]
    tolerancia = Decimal(str(p.get("tolerancia", 0.01)))
    formula = " + ".join(str(c.numero) for c in mas) + "".join(f" − {c.numero}" for c in menos)

    def revisar(n, fila, v):
        partes = [numero(v[c.id] or "0") for c in mas + menos + [total]]
        if any(x is None for x in partes):
            return                      # a field that is not a number: its own error says so
        suma = sum(partes[:len(mas)], Decimal(0)) - sum(partes[len(mas):-1], Decimal(0))
        if abs(suma - partes[-1]) > tolerancia:
            yield total, (f"no cuadra con {formula} = {suma.normalize():f} (diferencia "
                          f"{(partes[-1] - suma).normalize():f}; se admite hasta {tolerancia})")
    return [*mas, *menos, total], revisar


REGLAS: dict[str, Callable[[Formato, dict], Regla]] = {
    "unico": _unico, "fechas_en_orden": _fechas_en_orden, "igual_si_vacio": _igual_si_vacio,
    "solo_si": _solo_si, "clase_uso": _clase_uso, "suma": _suma,
}


# --- The sieve: what surely passes, a column at a time --------------------------------------
# The checks above are the rules; a sieve only clears, over whole columns, the values and rows
# that surely pass them, so that the checks run on the few it doubts. A sieve may doubt more
# than it must, never less. It clears plain ASCII forms only (Python's \d, isdigit() and int()
# also take other scripts' digits: those go to the checks).

Columnas = dict[str, pa.Array]
Criba = Callable[[Columnas, Columnas], pa.Array]      # (texts by field id, context) -> doubts


def _es(v: pa.Array, patron: str) -> pa.Array:
    return pc.match_substring_regex(v, patron)


def _cantidad(maximo: int | None) -> str:
    return "+" if maximo is None else f"{{1,{maximo}}}"


def fechas(v: pa.Array) -> tuple[pa.Array, pa.Array]:
    """The dd-mm-aaaa dates of a text column as comparable integers (aaaammdd; null where
    empty or not a date), and where the sieve cannot tell (not plain ASCII digits)."""
    forma = _es(v, r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$")
    seguro = pc.if_else(forma, v, "01-01-0001")
    d, m, a = (pc.cast(pc.utf8_slice_codeunits(seguro, i, j), pa.int64())
               for i, j in ((0, 2), (3, 5), (6, 10)))
    bisiesto = pc.and_(pc.equal(pc.bit_wise_and(a, 3), 0),
                       pc.or_(pc.not_equal(pc.remainder(a, 100), 0),
                              pc.equal(pc.remainder(a, 400), 0)))
    dias = pc.choose(pc.subtract(pc.max_element_wise(pc.min_element_wise(m, 12), 1), 1),
                     *[pa.scalar(x, pa.int64()) for x in (31, 28, 31, 30, 31, 30, 31, 31, 30,
                                                          31, 30, 31)])
    dias = pc.add(dias, pc.cast(pc.and_(bisiesto, pc.equal(m, 2)), pa.int64()))
    valida = pc.and_(forma, pc.and_(pc.and_(pc.greater_equal(a, 1), pc.greater_equal(m, 1)),
                                    pc.and_(pc.less_equal(m, 12), pc.and_(
                                        pc.greater_equal(d, 1), pc.less_equal(d, dias)))))
    clave = pc.add(pc.add(pc.multiply(a, 10000), pc.multiply(m, 100)), d)
    return (pc.if_else(valida, clave, pa.scalar(None, pa.int64())),
            pc.and_(pc.not_equal(v, ""), pc.invert(forma)))


def criba_campo(campo: Campo, v: pa.Array) -> pa.Array:
    """Where :func:`revisar_campo` may find something wrong in the field's texts."""
    signo = "-?" if campo.negativo else ""
    if campo.tipo == "entero":
        bien = _es(v, f"^{signo}[0-9]{_cantidad(campo.longitud)}$")
    elif campo.tipo == "decimal":
        fraccion = f"(\\.[0-9]{{1,{campo.decimales}}})?" if campo.decimales else ""
        bien = _es(v, f"^{signo}[0-9]{_cantidad(campo.longitud)}{fraccion}$")
    elif campo.tipo == "fecha":
        bien = pc.is_valid(fechas(v)[0])
    elif campo.tipo == "codigo" and campo.digitos:
        bien = _es(v, "^[0-9]+$")
    else:                                   # texto, codigo: any character but these
        bien = pc.invert(_es(v, "[,\n\r]"))
    if campo.tipo in ("texto", "codigo") and campo.longitud is not None:
        largo = pc.utf8_length(v)
        bien = pc.and_(bien, pc.equal(largo, campo.longitud) if campo.exacta
                       else pc.less_equal(largo, campo.longitud))
    if campo.codigos:
        bien = pc.and_(bien, pc.is_in(v, pa.array(campo.codigos, pa.string())))
    return pc.if_else(pc.equal(v, ""), campo.obligatorio, pc.invert(bien))


def _sin_criba(f: Formato, p: dict) -> Criba:
    """A rule that must see every row (``unico`` remembers them): every row is doubted."""
    return lambda texto, contexto: pa.repeat(True, len(next(iter(texto.values()))))


def _criba_fechas_en_orden(f: Formato, p: dict) -> Criba:
    def criba(texto, contexto):
        anterior, duda = None, None
        for c in p["campos"]:
            d, no_se = fechas(texto[c])
            duda = no_se if duda is None else pc.or_(duda, no_se)
            if anterior is not None:
                duda = pc.or_(duda, pc.fill_null(pc.less(d, anterior), False))
                d = pc.coalesce(d, anterior)
            anterior = d
        return duda
    return criba


def _criba_igual_si_vacio(f: Formato, p: dict) -> Criba:
    def criba(texto, contexto):
        vacio = pc.equal(texto[p["si_vacio"]], "")
        return pc.not_equal(vacio, pc.equal(texto[p["campo"]], p["valor"]))
    return criba


def _criba_solo_si(f: Formato, p: dict) -> Criba:
    campo, valores = f.campo(p["campo"]), pa.array(p["valores"], pa.string())

    def criba(texto, contexto):
        v = texto[campo.id]
        con_valor = pc.not_equal(v, "")
        if campo.numerico:
            con_valor = pc.and_(con_valor, pc.invert(_es(v, r"^-?0+(\.0+)?$")))
        return pc.and_(con_valor, pc.invert(pc.is_in(texto[p["si"]], valores)))
    return criba


def _criba_clase_uso(f: Formato, p: dict) -> Criba:
    def criba(texto, contexto):
        codigo, uso = texto[p["campo"]], contexto.get("uso")
        if uso is None:                 # a row set without the account's use: no error
            return pa.repeat(False, len(codigo))
        digitos = _es(codigo, "^[0-9]{1,18}$")
        n = pc.cast(pc.if_else(digitos, codigo, "0"), pa.int64())
        residencial = pc.equal(uso, "residencial")
        fuera = pc.if_else(residencial, pc.greater(n, p["residencial_hasta"]),
                           pc.less(n, p["otros_desde"]))
        no_se = pc.and_(pc.invert(digitos), _es(codigo, "[^\\x00-\\x7f]"))
        return pc.fill_null(pc.or_(pc.and_(digitos, fuera), no_se), False)
    return criba


def _criba_suma(f: Formato, p: dict) -> Criba:
    tolerancia = float(Decimal(str(p.get("tolerancia", 0.01))))
    signos = [(x, 1.0) for x in p["mas"]] + [(x, -1.0) for x in p.get("menos", [])] \
        + [(p["total"], -1.0)]

    def criba(texto, contexto):
        suma, escala, no_se = 0.0, 0.0, None
        for id, signo in signos:
            v = texto[id]
            numerico = _es(v, r"^-?[0-9]+(\.[0-9]+)?$")
            raro = pc.and_(pc.not_equal(v, ""), pc.invert(numerico))
            no_se = raro if no_se is None else pc.or_(no_se, raro)
            x = pc.cast(pc.if_else(numerico, v, "0"), pa.float64())
            suma = pc.add(suma, pc.multiply(x, signo))
            escala = pc.add(escala, pc.abs(x))
        # float sums err far less than 1e-9 of the amounts: closer calls go to the check
        margen = pc.add(pc.multiply(escala, 1e-9), 1e-9)
        return pc.or_(no_se, pc.greater(pc.abs(suma), pc.subtract(tolerancia, margen)))
    return criba


CRIBAS: dict[str, Callable[[Formato, dict], Criba]] = {
    "fechas_en_orden": _criba_fechas_en_orden, "igual_si_vacio": _criba_igual_si_vacio,
    "solo_si": _criba_solo_si, "clase_uso": _criba_clase_uso, "suma": _criba_suma,
}


_TRAMO = 1000          # doubted rows judged together while the first errors are kept


def _alguna(mascaras: list[pa.Array], n: int) -> pa.Array:
    return functools.reduce(pc.or_, mascaras, pa.repeat(False, n))


class Validador:
    """Judges rows one at a time or a lot at a time (a report may not fit in memory); keeps
    the first ``max_errores`` errors and counts them all."""

    def __init__(self, formato: Formato, max_errores: int = 1000):
        self.formato = formato
        self.max_errores = max_errores
        self.errores: list[Error] = []
        self.total = 0
        self.filas = 0
        self.vacios: Counter[int] = Counter()
        self.reglas: list[Regla] = [REGLAS[r.tipo](formato, r.parametros)
                                    for r in formato.reglas]
        self.cribas = [CRIBAS.get(r.tipo, _sin_criba)(formato, r.parametros)
                       for r in formato.reglas]

    def _error(self, n: int, fila: Fila, campo: Campo, valor: str, mensaje: str) -> None:
        self.total += 1
        if len(self.errores) < self.max_errores:
            self.errores.append(Error(n, campo, valor, mensaje, fila.clave))

    def revisar(self, n: int, fila: Fila) -> None:
        self.filas += 1
        self._revisar(n, fila, range(len(self.formato.campos)), range(len(self.reglas)))

    def _revisar(self, n: int, fila: Fila, campos: Iterable[int], reglas: Iterable[int]) -> None:
        """The checks of the fields and the rules at these positions on the row (the others
        pass it: :meth:`revisar_lote` knows)."""
        v = {c.id: x for c, x in zip(self.formato.campos, fila.valores)}
        malos = set()
        for j in campos:
            campo, valor = self.formato.campos[j], fila.valores[j]
            mensaje = revisar_campo(campo, valor)
            if mensaje is not None:
                malos.add(campo.numero)
                if valor == "":
                    self.vacios[campo.numero] += 1
                self._error(n, fila, campo, valor, mensaje)
        for k in reglas:
            campos_regla, regla = self.reglas[k]
            if any(c.numero in malos for c in campos_regla):
                continue
            for campo, mensaje in regla(n, fila, v):
                self._error(n, fila, campo, v[campo.id], mensaje)

    def revisar_lote(self, lote: Lote) -> None:
        """The rows of ``lote``, as :meth:`revisar` one by one would judge them: a sieve over
        whole columns clears the values and rows that surely pass, and the checks run row
        by row on what it doubts. Once the first errors are kept, the rows whose only faults
        are empty mandatory fields are only counted, a column at a time."""
        self.filas += len(lote)
        campos = self.formato.campos
        texto = dict(zip((c.id for c in campos), lote.valores))
        vacios = [pc.and_(pc.equal(v, ""), c.obligatorio) for c, v in zip(campos, lote.valores)]
        dudosos = [criba_campo(c, v) for c, v in zip(campos, lote.valores)]
        dudosas = [criba(texto, lote.contexto) for criba in self.cribas]
        otras = _alguna([pc.and_(d, pc.invert(v)) for d, v in zip(dudosos, vacios)] + dudosas,
                        len(lote))
        pendientes = pc.indices_nonzero(_alguna([otras, *vacios], len(lote)))
        while len(pendientes) and len(self.errores) < self.max_errores:
            tramo, pendientes = pendientes[:_TRAMO], pendientes[_TRAMO:]
            self._revisar_filas(lote, tramo, dudosos, dudosas)
        if len(pendientes) == 0:
            return
        # the first errors are kept: the rest only count
        self._revisar_filas(lote, pc.filter(pendientes, otras.take(pendientes)), dudosos, dudosas)
        solo_vacios = pc.filter(pendientes, pc.invert(otras.take(pendientes)))
        for c, v in zip(campos, vacios):
            n = pc.sum(v.take(solo_vacios)).as_py() or 0
            self.total += n
            if n:
                self.vacios[c.numero] += n

    def _revisar_filas(self, lote: Lote, indices: pa.Array, dudosos: list[pa.Array],
                       dudosas: list[pa.Array]) -> None:
        """The doubted fields and rules of the rows at ``indices``, row by row."""
        if len(indices) == 0:
            return
        por_campo = [m.take(indices).to_pylist() for m in dudosos]
        por_regla = [m.take(indices).to_pylist() for m in dudosas]
        for i, (n, fila) in enumerate(lote.filas(indices)):
            self._revisar(n, fila, [j for j, m in enumerate(por_campo) if m[i]],
                          [k for k, m in enumerate(por_regla) if m[i]])

    def terminar(self) -> Validacion:
        return Validacion(self.errores, self.total, self.filas, dict(sorted(self.vacios.items())))


def validar(formato: Formato, filas: Iterable[Fila], max_errores: int = 1000) -> Validacion:
    v = Validador(formato, max_errores)
    for n, fila in enumerate(filas, 1):
        v.revisar(n, fila)
    return v.terminar()

