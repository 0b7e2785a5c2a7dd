"""Numbers and months as the users read them (look-and-feel.md)."""
from cauce.formato import cambio, celda, compacto, decimal, en_frase, mes, pesos, porcentaje, valor


def test_pesos_from_a_million_up_read_in_words_never_with_a_bare_m():
    # 450.063.156 is 450,06 millions: whole millions from ten millions up
    assert compacto(450_063_156, "pesos") == "$ 450 millones"
    assert compacto(24_400_000, "pesos") == "$ 24 millones"
    assert compacto(-122_600_000, "pesos") == "-$ 123 millones"         # 122,6 rounds to 123
    # under ten millions, one decimal: 5.995.465 is 5,995 millions
    assert compacto(5_995_465, "pesos") == "$ 6,0 millones"
    assert compacto(1_609_810, "pesos") == "$ 1,6 millones"
    assert compacto(9_940_000, "pesos") == "$ 9,9 millones"
    assert compacto(9_960_000, "pesos") == "$ 10 millones"              # 9,96 reads as 10
    # from a thousand millions up, in "mil millones" with one decimal
    assert compacto(1_234_567_890, "pesos") == "$ 1,2 mil millones"
    assert compacto(999_600_000, "pesos") == "$ 1,0 mil millones"       # not "1.000 millones"
    assert compacto(12_345_000_000, "pesos") == "$ 12,3 mil millones"
    # under a million, the whole figure
    assert compacto(999_999, "pesos") == pesos(999_999) == "$ 999.999"
    assert compacto(0.9312, "proporcion") == porcentaje(0.9312) == "93,1 %"
    assert compacto(None, "pesos") == "sin datos"


def test_changes_of_proportions_are_percentage_points():
    assert cambio(0.024, "proporcion") == "+2,4 pp"
    assert cambio(-0.0149, "proporcion") == "-1,5 pp"
    assert cambio(0.0, "proporcion") == "0,0 pp"
    assert cambio(-15, "cuentas") == "-15"
    assert cambio(None, "pesos") == "sin dato"


def test_changes_of_pesos_in_words():
    assert cambio(24_400_000, "pesos") == "+$ 24 millones"
    assert cambio(-5_995_465, "pesos") == "-$ 6,0 millones"
    assert cambio(-1_500_000_000, "pesos") == "-$ 1,5 mil millones"
    assert cambio(770_582, "pesos") == "+$ 770.582"


def test_a_change_that_rounds_to_nothing_has_no_sign():
    assert cambio(-0.01, "m3_por_cuenta") == "0,0 m³"          # not "-0,0 m³"
    assert cambio(-0.0004, "proporcion") == "0,0 pp"           # -0,04 pp shows as 0,0
    assert cambio(-0.4, "pesos") == "$ 0"
    assert cambio(-0.06, "m3_por_cuenta") == "-0,1 m³"
    assert valor(-0.01, "m3_por_cuenta") == "0,0 m³"
    assert decimal(-0.04) == "0,0" and decimal(-0.05) == "-0,1"


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


def test_codes_in_cells_read_with_their_accents():
    assert celda("tipo", "peticion") == "petición"
    assert celda("tipo", "recurso_reposicion") == "recurso de reposición"
    assert celda("canal", "telefonico") == "telefónico"
    assert celda("canal", "pse") == "PSE"
    assert celda("actividad", "cierre_recaudo") == "cierre de recaudo"
    assert celda("uso", "residencial") == "residencial"          # already as people read it
    assert celda("codigo", "peticion") == "peticion"             # not a code column


def test_a_name_inside_a_sentence_keeps_its_acronyms():
    assert en_frase("Nivel de satisfacción del usuario (NSU)") == \
        "nivel de satisfacción del usuario (NSU)"
    assert en_frase("PQR respondidas a tiempo") == "PQR respondidas a tiempo"
    assert en_frase("Eficiencia del recaudo") == "eficiencia del recaudo"
