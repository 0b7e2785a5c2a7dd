"""DuckDB and PostgreSQL hold the same rows after the same load of the demo."""
from __future__ import annotations

import shutil

import pytest

from cauce.settings import SHIPPED_CONFIG, load_settings
from etl import contract as c
from etl.demo import generate
from etl.load import load_folder
from tests.conftest import snapshot


@pytest.fixture(scope="module")
def demo_two_periods(tmp_path_factory):
    """The demo's files of its last two periods (every source), with its planted defects."""
    full = tmp_path_factory.mktemp("demo")
    generate(full, load_settings(SHIPPED_CONFIG), "pequena", 7, "2026-10")
    folder = tmp_path_factory.mktemp("dos_periodos")
    for f in full.iterdir():
        if any(p in f.name for p in ("2026-09", "2026-10", "2026-S1")):
            shutil.copy(f, folder / f.name)
    return folder


def test_duckdb_and_postgresql_hold_the_same_rows(demo_two_periods, settings_for, pg_url,
                                                   tmp_path):
    duck = f"duckdb:///{tmp_path / 'a.duckdb'}"
    for url in (duck, pg_url):
        results = load_folder(demo_two_periods, settings_for(url))
        assert {r.estado for r in results} == {"cargado"}
    a, b = snapshot(duck), snapshot(pg_url)
    for name in c.SOURCES:
        assert len(a[name]) > 0, name
        assert a[name] == b[name], name
    assert len(a["cuarentena"]) > 0      # the demo's planted defects
    assert a["cuarentena"] == b["cuarentena"]
    # The load records agree but for when they ran (inicio, fin: columns 10 and 11).
    assert [r[:10] + r[12:] for r in a["carga"]] == [r[:10] + r[12:] for r in b["carga"]]
