"""The Great Expectations context and suites, built from the contract and ``REGLAS``.

One file context lives under ``settings.calidad_dir`` (it keeps the suites and,
later, the validation results and Data Docs). Contexts and suites are built once
per process and cached: a load validates many chunks with the same suites.
"""
from __future__ import annotations

import contextlib
import gc
import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from cauce.settings import Settings
from data_checks.reglas import AlUsarlo, Regla, expectativas, reglas_de

gx = AlUsarlo("great_expectations")       # imported when a load first judges rows

DATASOURCE = "cauce"
BATCH = "lote"


@dataclass(frozen=True)
class Suite:
    """A source's suite and where to validate a frame against it."""
    nombre: str
    suite: gx.ExpectationSuite
    batch_definition: object
    reglas: tuple[Regla, ...]
    columnas: frozenset[str]     # the columns its expectations and row conditions read


_contexts: dict[str, object] = {}


@contextlib.contextmanager
def condiciones_como_texto():
    """Silence GX's notice that string row conditions are deprecated (GX 1.9+).

    The rules keep pandas query strings: GX's ``Condition`` objects cannot
    compare two columns nor nest ``or`` inside ``and``, which the rules need.
    Only that notice is silenced; revisit before moving to GX 2.
    """
    with warnings.catch_warnings():
        for what in ("condition_parser parameter", "string to the row_condition"):
            warnings.filterwarnings("ignore", message=f".*{what}.*", category=DeprecationWarning)
        yield
_suites: dict[tuple, Suite] = {}


def contexto(calidad_dir: Path):
    """The file context under ``calidad_dir``, with progress bars off (a load prints its own)."""
    key = str(Path(calidad_dir).resolve())
    if key not in _contexts:
        Path(calidad_dir).mkdir(parents=True, exist_ok=True)
        ctx = gx.get_context(mode="file", project_root_dir=key)
        base = AlUsarlo("great_expectations.data_context.types.base")
        ctx.variables.progress_bars = base.ProgressBarsConfig(globally=False,
                                                              metric_calculations=False)
        ctx.variables.save()
        # Once per context: add_or_update later would drop the assets already added.
        ctx.data_sources.add_or_update_pandas(DATASOURCE)
        _contexts[key] = ctx
    return _contexts[key]


def suite(fuente: str, reglas: list[Regla], settings: Settings) -> Suite:
    """The suite of ``reglas`` (all of one source), cached per configuration.

    When context columns are missing the caller asks for a subset of the
    source's rules; each subset gets its own suite name.
    """
    ids = tuple(r.id for r in reglas)
    key = (str(Path(settings.calidad_dir).resolve()), fuente, ids, _huella(settings))
    if key not in _suites:
        _suites[key] = _construir(fuente, reglas, settings)
        gc.freeze()     # GX's modules and the suites are for life: later collections skip them
    return _suites[key]


def _huella(settings: Settings) -> str:
    """The settings the expectations depend on: a change rebuilds the suites."""
    return json.dumps([[m.dane for m in settings.municipios], settings.subsidios,
                       settings.contribuciones, sorted(settings.nsu_preguntas), settings.calidad],
                      sort_keys=True, default=str)


def soltar_lotes(s: Suite) -> None:
    """Let go of the frames GX keeps after validating them.

    The pandas data source's execution engine caches every batch it loads (GX
    1.24), and its validation objects hold the batch's columns in reference
    cycles that only a full collection frees: without both, each file of a load
    left about 100 MB behind until Python happened to collect.
    """
    manager = s.batch_definition.data_asset.datasource.get_execution_engine().batch_manager
    manager.reset_batch_cache()
    manager.batch_data_cache.clear()
    gc.collect()


def _nombre(fuente: str, reglas: list[Regla]) -> str:
    """``cauce.lecturas`` for every rule; a subset says what it leaves out.

    The load judges the domain rules (``.dominio``: the contract's own rules hold
    by construction there), one rule on a frame of its own is named after it,
    and rules left out for lack of context are listed (``.sin_...``).
    """
    if len(reglas) == 1 and reglas[0].contexto:
        return f"cauce.{fuente}.{reglas[0].id}"
    ids = {r.id for r in reglas}
    todas = reglas_de(fuente)
    nombre = f"cauce.{fuente}"
    if any(r.estructural for r in todas) and not any(r.estructural for r in reglas):
        nombre += ".dominio"
    omitidas = [r.id.split(".", 1)[1] for r in todas if not r.estructural and r.id not in ids]
    return nombre + "".join(f".sin_{o}" for o in omitidas)


def _construir(fuente: str, reglas: list[Regla], settings: Settings) -> Suite:
    ctx = contexto(settings.calidad_dir)
    nombre = _nombre(fuente, reglas)
    s = gx.ExpectationSuite(name=nombre, meta={"fuente": fuente})
    with condiciones_como_texto():
        for regla in reglas:
            for e in expectativas(regla, settings):
                s.add_expectation(e)
        s = ctx.suites.add_or_update(s)

    ds = ctx.data_sources.get(DATASOURCE)
    try:
        asset = ds.get_asset(fuente)
    except LookupError:
        asset = ds.add_dataframe_asset(fuente)
    try:
        bd = asset.get_batch_definition(BATCH)
    except KeyError:
        bd = asset.add_batch_definition_whole_dataframe(BATCH)
    return Suite(nombre, s, bd, tuple(reglas), columnas(s.expectations))


def columnas(expectations) -> frozenset[str]:
    """Every column the expectations name, or that their row conditions may name.

    Validating only these is much faster: GX filters the whole frame once per
    metric of each conditional expectation.
    """
    out = set()
    for e in expectations:
        kwargs = e.configuration.kwargs
        out.update(kwargs.get(k) for k in ("column", "column_A", "column_B") if kwargs.get(k))
        out.update(kwargs.get("column_list") or ())
        condition = kwargs.get("row_condition")
        if isinstance(condition, dict):      # GX 1.24 keeps a pandas query as a pass-through
            condition = condition.get("pass_through_filter")
        if isinstance(condition, str):
            out.update(re.findall(r"[A-Za-z_]\w*", condition))
    return frozenset(out)
