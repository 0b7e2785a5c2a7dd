"""The texts of an account (name, document, address, barrio, meter, phone, e-mail).

They are not stored: each is derived, chunk by chunk, from the account's random
64-bit value (``Cuentas.h``) mixed with a salt per attribute, so the same account
always carries the same name and address.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from etl.contract import USOS

from . import salida as s
from . import vocabulario as v

U = np.uint64
RES = USOS.index("residencial")


def mezcla(h: np.ndarray, k) -> np.ndarray:
    """splitmix64 of an account's random value and a salt: stable pseudo-random attributes."""
    with np.errstate(over="ignore"):
        z = h + U(k) * U(0x9E3779B97F4A7C15)
        z = (z ^ (z >> U(30))) * U(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> U(27))) * U(0x94D049BB133111EB)
    return z ^ (z >> U(31))


def _pick(words, m: np.ndarray, shift: int = 0) -> pa.Array:
    """A word chosen by some bits of the mixed value."""
    words = words if isinstance(words, pa.Array) else pa.array(list(words))
    return words.take(pa.array(((m >> U(shift)) % U(len(words))).astype(np.int64)))


def _number(m: np.ndarray, shift: int, size: int, base: int = 0) -> pa.Array:
    return pa.array((base + (m >> U(shift)) % U(size)).astype(np.int64)).cast(pa.string())


def _ascii(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii()).lower()


_NOMBRES = None


def _nombres() -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """Every name an account may carry, and where each use's names start and how many there are."""
    global _NOMBRES
    if _NOMBRES is None:
        groups = [                                      # in the order of contract.USOS
            [f"{n} {a} {b}" for n in v.NOMBRES for a in v.APELLIDOS for b in v.APELLIDOS],
            [f"{n} {a}" for n in v.NEGOCIOS for a in v.APELLIDOS],
            [f"{n} {a} S.A.S." for n in v.INDUSTRIAS for a in v.APELLIDOS],
            [f"{n} {k}" for n in v.OFICIALES for k in range(1, 13)],
            [f"{n} {a}" for n in v.ESPECIALES for a in v.APELLIDOS],
            [f"Constructora {a} S.A.S." for a in v.APELLIDOS],
        ]
        sizes = np.array([len(g) for g in groups])
        _NOMBRES = (pa.array([x for g in groups for x in g]),
                    np.concatenate([[0], np.cumsum(sizes)[:-1]]), sizes)
    return _NOMBRES


def columnas(cu, terr, a: np.ndarray, copia: np.ndarray) -> dict[str, s.Columna]:
    """The text columns of the snapshot rows ``a``; ``copia`` marks a duplicated row's second copy."""
    names, start, size = _nombres()
    first_ascii = pa.array([_ascii(x) for x in v.NOMBRES])
    last_ascii = pa.array([_ascii(x) for x in v.APELLIDOS])
    barrios = pa.array([b for m in terr.barrios for b in m])
    barrio0 = np.concatenate([[0], np.cumsum([len(m) for m in terr.barrios])[:-1]])
    n_barrios = np.array([len(m) for m in terr.barrios])
    n_ap = len(v.APELLIDOS)

    def mix(lo, hi, salt):
        return mezcla(cu.h[a[lo:hi]], salt)

    def nombre(lo, hi):
        uso = cu.uso[a[lo:hi]]
        pick = (mix(lo, hi, 1) % size[uso].astype(U)).astype(np.int64)
        return names.take(pa.array(start[uso] + pick))

    def documento(lo, hi):
        """Cédula for people; NIT with its check digit (DIAN weights) for organisations."""
        m = mix(lo, hi, 2)
        cedula = np.where(m % U(10) < 5, 10_000_000 + m % U(89_000_000),
                          1_000_000_000 + m % U(130_000_000)).astype(np.int64)
        nit = (800_000_000 + m % U(199_999_999)).astype(np.int64)
        digits = (nit[:, None] // 10 ** np.arange(9)) % 10
        r = (digits * np.array([3, 7, 13, 17, 19, 23, 29, 37, 41])).sum(1) % 11
        check = np.where(r > 1, 11 - r, r)
        nit_dv = pc.binary_join_element_wise(pa.array(nit).cast(pa.string()),
                                             pa.array(check).cast(pa.string()), "-")
        person = pa.array(cu.uso[a[lo:hi]] == RES)
        return pc.if_else(person, pa.array(cedula).cast(pa.string()), nit_dv)

    def direccion(lo, hi):
        """``CL 15A # 23-45`` in town; ``Vereda …, Finca …`` in the countryside (quoted: a comma)."""
        m = mix(lo, hi, 3)
        urbana = pc.binary_join_element_wise(
            _pick(v.VIAS, m), " ", _number(m, 8, 60, 1), _pick(("", "", "", "", "", "A", "B", "C"), m, 16),
            " # ", _number(m, 24, 99, 1), "-", _number(m, 32, 99, 1), "")
        rural = pc.binary_join_element_wise(_pick(v.VEREDAS, m, 40), _pick(v.FINCAS, m, 48), ", ")
        return pc.if_else(pa.array(cu.rural[a[lo:hi]]), rural, urbana)

    def barrio(lo, hi):
        muni = cu.muni[a[lo:hi]]
        k = barrio0[muni] + (mix(lo, hi, 4) % n_barrios[muni].astype(U)).astype(np.int64)
        return barrios.take(pa.array(k, mask=cu.rural[a[lo:hi]]))

    def medidor(lo, hi):
        """Brand, install year and serial: ``ITR190004567``."""
        i = a[lo:hi]
        days = cu.instalacion[i].astype("datetime64[D]")
        year = (days.astype("datetime64[Y]").astype(np.int64) + 1970) % 100
        serial = pa.array(cu.medidor[i], mask=cu.medidor[i] < 0).cast(pa.string())
        return pc.binary_join_element_wise(
            pa.array(v.MARCAS_MEDIDOR).take(pa.array(cu.marca[i])),
            pc.utf8_lpad(pa.array(year).cast(pa.string()), 2, "0"), pc.utf8_lpad(serial, 7, "0"), "")

    def telefono(lo, hi):
        """Mobile (3xx) or Caribbean landline (605); a duplicated row shows another number."""
        m = mix(lo, hi, 5 + copia[lo:hi].astype(U) * U(1000))
        kind = m % U(100)
        num = np.where(kind < 80, 3_000_000_000 + (m >> U(8)) % U(250_000_000),
                       6_052_000_000 + (m >> U(8)) % U(7_999_999)).astype(np.int64)
        return pa.array(num, mask=kind >= 92).cast(pa.string())

    def correo(lo, hi):
        """Almost half have one: ``name.surname42@domain`` for people, ``contacto…`` otherwise."""
        i = a[lo:hi]
        m = mix(lo, hi, 6)
        k = (mix(lo, hi, 1) % U(size[0])).astype(np.int64)       # the same pick as the name
        num, dom = _number(m, 8, 100), _pick(v.DOMINIOS, m, 16)
        first = first_ascii.take(pa.array(k // (n_ap * n_ap)))
        last = last_ascii.take(pa.array((k // n_ap) % n_ap))
        person = pc.binary_join_element_wise(first, ".", last, num, "@", dom, "")
        other = pc.binary_join_element_wise("contacto", num, "@", dom, "")
        out = pc.if_else(pa.array(cu.uso[i] == RES), person, other)
        return pc.if_else(pa.array(m % U(100) < 45), out, pa.nulls(len(i), pa.string()))

    return {
        "nombre": s.calculado(nombre, libre=True), "documento": s.calculado(documento),
        "direccion": s.calculado(direccion, libre=True), "barrio": s.calculado(barrio, libre=True),
        "medidor": s.calculado(medidor), "telefono": s.calculado(telefono), "correo": s.calculado(correo),
    }
