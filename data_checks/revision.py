"""A file's review: its batches judged one by one, their results added up.

The load feeds each batch of a staged file to ``Revision.juzgar`` and stores
the flagged rows it returns; at the end ``excesos`` is the gate (the cadastre
and consumption rules past their tolerance) and ``guardar`` keeps the merged
Great Expectations result in the file context, where ``cauce calidad --formato
html`` builds the Data Docs from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pandas as pd

from cauce.formato import miles, porcentaje
from cauce.settings import Settings
from data_checks import suites
from data_checks.reglas import REGLAS, expectativas, tolerancia
from data_checks.validar import Resultado, juzgar

EJEMPLOS = 20     # flagged values kept per expectation in the Data Docs
_POR_REGLA = {r.id: r for r in REGLAS}
_SUMAS = ("element_count", "unexpected_count", "missing_count")
_LISTAS = ("unexpected_list", "unexpected_index_list", "unexpected_index_query",
           "partial_unexpected_index_list", "partial_unexpected_counts", "unexpected_rows")


@dataclass(frozen=True)
class Balance:
    """One rule over the whole file."""
    regla: str
    severidad: str
    fallidas: int
    total: int
    tolerancia: float | None      # None: the rule does not gate the load

    @property
    def proporcion(self) -> float:
        return self.fallidas / self.total if self.total else 0.0

    @property
    def excede(self) -> bool:
        return self.tolerancia is not None and self.proporcion > self.tolerancia

    def describir(self) -> str:
        """«consumo.repetido: 52 de 1.000 filas (5,2 %; tolerancia 2,0 %)»."""
        tol = "" if self.tolerancia is None else f"; tolerancia {porcentaje(self.tolerancia)}"
        return (f"{self.regla}: {miles(self.fallidas)} de {miles(self.total)} filas "
                f"({porcentaje(self.proporcion)}{tol})")


@dataclass(frozen=True)
class Control(Balance):
    """One check over the current loads (``etl.auditoria.calidad``): how many rows it flagged,
    of how many, and some keys. Declared here, beside the rule's balance it adds up, so the
    report (``data_checks.informe``) names it without reaching into the audit trail."""
    fuente: str = ""
    descripcion: str = ""
    ejemplos: list[str] = field(default_factory=list)


class Revision:
    def __init__(self, fuente: str, settings: Settings, hoy: date):
        self.fuente, self.settings, self.hoy = fuente, settings, hoy
        self._fallidas: dict[str, int] = {}
        self._total: dict[str, int] = {}
        self._gx: dict[str, object] = {}          # suite name -> merged validation result

    @property
    def reglas(self) -> list[str]:
        """The rules a load judges: the domain rules (the contract's hold by construction)."""
        return [r.id for r in REGLAS if r.fuente == self.fuente and not r.estructural]

    def columnas(self) -> frozenset[str]:
        """The columns the rules read: their expectations', row conditions' and
        derivations'. A load reads only these (and the key) of the staged rows."""
        reglas = [_POR_REGLA[r] for r in self.reglas]
        with suites.condiciones_como_texto():
            leidas = suites.columnas([e for r in reglas for e in expectativas(r, self.settings)])
        return leidas.union(*(r.lee for r in reglas))

    def juzgar(self, lote: pd.DataFrame, ids: tuple[str, ...] | None = None) -> list[Resultado]:
        resultados, salida = juzgar(self.fuente, lote, self.settings, self.hoy, ids,
                                    estructurales=False)
        for r in resultados:
            self._fallidas[r.regla] = self._fallidas.get(r.regla, 0) + len(r.fallidas)
            self._total[r.regla] = self._total.get(r.regla, 0) + r.total
        if salida is not None:
            name = salida.suite_name
            self._gx[name] = _sumar(self._gx.get(name), salida)
        return resultados

    def balances(self) -> list[Balance]:
        out = []
        for regla, total in self._total.items():
            r = _POR_REGLA[regla]
            out.append(Balance(regla, r.severidad, self._fallidas[regla], total,
                               tolerancia(r, self.settings) if r.controla else None))
        return out

    def excesos(self) -> list[Balance]:
        """The gating rules past their tolerance: the file is refused unless forced."""
        return [b for b in self.balances() if b.excede]

    def guardar(self, ejecucion: str, archivo: str) -> None:
        """Keep the merged results in the GX context, named by the load (``carga-7``)."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier, ValidationResultIdentifier)
        ctx = suites.contexto(self.settings.calidad_dir)
        run = RunIdentifier(run_name=ejecucion, run_time=datetime.now(timezone.utc))
        for name, result in self._gx.items():
            key = ValidationResultIdentifier(ExpectationSuiteIdentifier(name=name), run, archivo)
            ctx.validation_results_store.set(key, result)


def _sumar(acumulado, nuevo):
    """Add a batch's validation result to the file's: counts add up, examples are capped.

    ``nuevo`` is changed in place (its full lists of failing rows are dropped).
    """
    for res in nuevo.results:
        for k in _LISTAS:
            (res.result or {}).pop(k, None)
        if res.result and "partial_unexpected_list" in res.result:
            res.result["partial_unexpected_list"] = res.result["partial_unexpected_list"][:EJEMPLOS]
    if acumulado is None:
        return nuevo
    for old, res in zip(acumulado.results, nuevo.results):
        a, b = old.result or {}, res.result or {}
        for k in _SUMAS:
            if k in a or k in b:
                a[k] = a.get(k, 0) + b.get(k, 0)
        if "partial_unexpected_list" in b:
            a["partial_unexpected_list"] = (a.get("partial_unexpected_list", [])
                                            + b["partial_unexpected_list"])[:EJEMPLOS]
        n, bad, missing = a.get("element_count", 0), a.get("unexpected_count", 0), a.get("missing_count", 0)
        if n:
            a["unexpected_percent"] = a["unexpected_percent_total"] = 100 * bad / n
            a["missing_percent"] = 100 * missing / n
            a["unexpected_percent_nonmissing"] = 100 * bad / (n - missing) if n > missing else 0.0
        old.success = old.success and res.success
    acumulado.success = all(r.success for r in acumulado.results)
    ok = sum(r.success for r in acumulado.results)
    acumulado.statistics.update(successful_expectations=ok,
                                unsuccessful_expectations=len(acumulado.results) - ok,
                                success_percent=100 * ok / max(len(acumulado.results), 1))
    return acumulado
