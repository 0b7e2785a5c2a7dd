"""The documents (``documents.md``): letters, notices and statements from Word templates,
numbered, registered in the warehouse and followed until closed.

- ``plantilla``: a template found by name (the utility's ``plantillas/`` first), checked and
  rendered in bulk;
- ``destinatarios``: who gets each kind of document in a period, and what it says;
- ``registro``: the ``documento`` table: numbers per kind and year, batches, re-issue;
- ``cierre``: each notice's state (pagado, suspendido, en reclamo, anulado, abierto, vencido).

Each kind is declared once here: its title, the prefix of its numbers and the placeholders
its template may use (the README lists them).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tipo:
    nombre: str
    titulo: str                    # as people read it
    prefijo: str                   # of its numbers: AS-2026-000123
    destinatario: str              # "cuenta", "entidad" or "municipio"
    campos: tuple[str, ...]        # the placeholders of its template, beyond COMUNES


# Every document offers these: who writes it, its number and dates.
COMUNES = ("empresa", "nit", "ciudad", "numero", "titulo", "fecha", "plazo", "dias_plazo",
           "periodo", "periodo_nombre")
# An account's letter: the holder, the property and the overdue invoices (each with
# numero, servicio, vencimiento, dias and saldo).
_CUENTA = ("codigo", "nombre", "documento", "direccion", "barrio", "municipio", "ciclo", "ruta",
           "facturas", "facturas_vencidas", "total", "saldo_total", "dias_mora")

TIPOS: dict[str, Tipo] = {t.nombre: t for t in (
    Tipo("carta_persuasiva", "Carta de cobro persuasivo", "CP", "cuenta", _CUENTA),
    Tipo("carta_prejuridica", "Carta de cobro prejurídico", "CJ", "cuenta", _CUENTA),
    Tipo("aviso_suspension", "Aviso de suspensión del servicio", "AS", "cuenta",
         _CUENTA + ("reconexion", "dias_recurso")),
    # cuentas: each with codigo, direccion, municipio, facturado and vencido
    Tipo("cuenta_cobro_oficial", "Cuenta de cobro a entidad oficial", "CO", "entidad",
         ("entidad", "documento", "cuentas", "total_mes", "total_vencido", "total")),
    # subsidios: servicio, estrato, valor; contribuciones: servicio, clase, valor
    Tipo("cuenta_cobro_subsidios", "Cuenta de cobro de subsidios", "CS", "municipio",
         ("municipio", "dane", "subsidios", "contribuciones", "total_subsidios",
          "total_contribuciones", "saldo", "a_cargo_de", "debe_municipio", "total")),
    # tarifas: clase, cargo_fijo, basico, complementario, suntuario
    Tipo("aviso_tarifas", "Aviso de tarifas vigentes", "AT", "municipio",
         ("municipio", "dane", "servicio", "vigencia", "tarifas")),
)}
NOMBRES = tuple(TIPOS)
