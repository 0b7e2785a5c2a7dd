"""The records behind a number (issue 15, item 14), with AppTest on the small hand-made
warehouse of conftest.py: two accounts billed 10.000 and 30.000 in October 2026, one payment
of 10.000 (recaudo.eficiencia = 10.000 / 40.000 = 25,0 %)."""
from __future__ import annotations

import pytest

from tests.dashboards.conftest import sesion


@pytest.fixture
def recaudo(pequeno):
    """The Recaudo page, signed in as an analyst."""
    at = sesion("analista")
    at.run()
    at.switch_page("paginas/recaudo.py")
    at.run()
    assert not at.exception
    return at


def desplazamientos(at) -> list[str]:
    """The scripts the page runs to scroll to the records."""
    return [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]


def registros_y_total(at):
    """The records table and the total row under it (the page's last two tables)."""
    *_, tabla, total = at.dataframe
    return tabla.value, total.value.to_dict("records")


def test_ver_registros_brings_them_into_view_once_per_click(recaudo):
    at = recaudo
    assert desplazamientos(at) == []                      # opening the page: no jump
    at.button(key="registros_recaudo.eficiencia").click().run()
    [script] = desplazamientos(at)
    assert 'getElementById("registros")' in script
    assert any(h.proto.anchor == "registros" for h in at.subheader)   # where it scrolls to
    at.run()                                               # any other rerun: no jump
    assert desplazamientos(at) == []
    at.button(key="registros_recaudo.eficiencia").click().run()      # the same card again
    assert len(desplazamientos(at)) == 1


def test_the_total_row_makes_the_cards_number(recaudo):
    at = recaudo
    at.button(key="registros_recaudo.eficiencia").click().run()
    tabla, total = registros_y_total(at)
    # F1 and F2 (the denominator, 10.000 + 30.000) and P1 (the numerator, 10.000)
    assert sorted(tabla["Referencia"]) == ["F1", "F2", "P1"]
    assert total == [{"Total": "3 registros", "Numerador": "$ 10.000",
                      "Denominador": "$ 40.000", "Eficiencia del recaudo": "25,0 %"}]
    tarjeta = next(m for m in at.metric if m.label == "Eficiencia del recaudo")
    assert tarjeta.value == "25,0 %"


def test_only_the_numerators_rows(recaudo):
    """The payments come after every invoice of the period (page 38 on the demo): a switch
    leaves only the rows that add to the numerator; the total stays the card's."""
    at = recaudo
    at.button(key="registros_recaudo.eficiencia").click().run()
    at.toggle(key="registros_numerador_recaudo.eficiencia").set_value(True).run()
    assert not at.exception
    tabla, total = registros_y_total(at)
    assert list(tabla["Registro"]) == ["pago"] and list(tabla["Referencia"]) == ["P1"]
    assert any(c.value.startswith("1 registro que suma al numerador") for c in at.caption)
    assert total[0]["Eficiencia del recaudo"] == "25,0 %"
    assert "csv_registros_recaudo.eficiencia_2026-10_numerador" in [
        b.key for b in at.get("download_button")]


def test_a_sum_that_is_not_a_ratio_has_no_switch(recaudo):
    at = recaudo
    at.button(key="registros_recaudo.valor").click().run()
    _, total = registros_y_total(at)
    assert total == [{"Total": "1 registro", "Numerador": "$ 10.000",
                      "Valor recaudado": "$ 10.000"}]
    assert not [t for t in at.toggle if t.key == "registros_numerador_recaudo.valor"]
