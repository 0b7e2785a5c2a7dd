"""Numbers and months as the users read them (look-and-feel.md)."""
from cauce.formato import cambio, celda, compacto, mes, pesos, porcentaje


def test_cards_show_large_sums_in_millions_and_the_rest_whole():
    assert compacto(450_063_156, "pesos") == "$ 450 M"           # 450,06 M rounds to 450
    assert compacto(1_234_567_890, "pesos") == "$ 1.235 M"
    assert compacto(-122_600_000, "pesos") == "-$ 123 M"         # 122,6 M rounds to 123
    assert compacto(9_999_999, "pesos") == pesos(9_999_999) == "$ 9.999.999"
    assert compacto(0.9312, "proporcion") == porcentaje(0.9312) == "93,1 %"
    assert compacto(None, "pesos") == "sin datos"


def test_changes_of_proportions_are_percentage_points():
    assert cambio(0.024, "proporcion") == "+2,4 pp"
    assert cambio(-0.0149, "proporcion") == "-1,5 pp"
    assert cambio(0.0, "proporcion") == "0,0 pp"
    assert cambio(-15, "cuentas") == "-15"
    assert cambio(None, "pesos") == "sin dato"


def test_months_in_spanish():
    assert mes("2026-07") == "julio de 2026"
    assert mes("2026-07", corto=True) == "jul 2026"
    assert mes("2025-12", corto=True) == "dic 2025"


def test_cells_of_lists_and_tables():
    import datetime as dt
    from decimal import Decimal
    assert celda("saldo_vencido", Decimal("1234567.40")) == "$ 1.234.567"
    assert celda("valor", 2500.0, dinero=("valor",)) == "$ 2.500"
    assert celda("variacion", 0.35) == "+35,0 %" and celda("variacion", -0.5) == "-50,0 %"
    assert celda("proporcion", 0.0523, porcentajes=("proporcion",)) == "5,2 %"
    assert celda("visita", True) == "Sí" and celda("visita", False) == "No"
    assert celda("vencimiento", dt.date(2026, 7, 21)) == "21/07/2026"
    assert celda("fecha", dt.datetime(2026, 7, 21, 8, 5)) == "21/07/2026 08:05"
    assert celda("leidas", 1234567) == "1.234.567"
    assert celda("consumo", Decimal("40.0000")) == "40"
    assert celda("promedio", 12.3456) == "12,35"
    assert celda("codigo", "00012345") == "00012345"
    assert celda("x", None) == "" and celda("x", float("nan")) == ""
