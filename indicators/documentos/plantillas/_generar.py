"""Write the shipped Word templates (``python -m indicators.documentos.plantillas._generar``).

Run once when their wording changes, and commit the ``.docx``: a utility edits its copies in
Word (``plantillas/`` next to its config.toml), never this script. The placeholders each kind
offers are ``indicators.documentos.CAMPOS``; the legal content is ``regulation.md``'s.
"""
from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

CARPETA = Path(__file__).parent

CANALES = ("Puede comunicarse con nosotros en la oficina de atención al usuario, de lunes a "
           "viernes de 7:00 a. m. a 5:00 p. m., o por los canales que usted autorizó. Solo lo "
           "contactaremos para el cobro por esos canales, de lunes a viernes de 7:00 a. m. a "
           "7:00 p. m. y los sábados de 8:00 a. m. a 3:00 p. m., nunca los domingos ni festivos y "
           "como máximo una vez al día (Ley 2300 de 2023).")
PAGO = ("Puede pagar en nuestras oficinas, en los bancos y corresponsales autorizados o por PSE, "
        "presentando esta comunicación o el número de su cuenta.")
ACUERDO = ("Si no puede pagar el total, acérquese a nuestras oficinas antes de la fecha límite: "
           "le ofrecemos un acuerdo de pago en cuotas según su capacidad.")
CENTRALES = ("Este es el aviso previo que ordena el artículo 12 de la Ley 1266 de 2008: si dentro "
             "de los veinte (20) días calendario siguientes a su recibo la obligación no se paga "
             "ni se acuerda su pago, la empresa podrá reportarla a las centrales de información "
             "financiera y crediticia.")


def _documento() -> Document:
    doc = Document()
    seccion = doc.sections[0]
    seccion.page_height, seccion.page_width = Cm(27.94), Cm(21.59)       # carta
    seccion.left_margin = seccion.right_margin = Cm(2.5)
    seccion.top_margin = seccion.bottom_margin = Cm(2)
    estilo = doc.styles["Normal"]
    estilo.font.name, estilo.font.size = "Arial", Pt(10.5)
    return doc


def _membrete(doc: Document, titulo: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("{{ empresa }}")
    r.bold, r.font.size = True, Pt(13)
    p.add_run("\nNIT {{ nit }}")
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = t.add_run(titulo)
    r.bold, r.font.size = True, Pt(12)
    n = doc.add_paragraph()
    n.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    n.add_run("No. {{ numero }}").bold = True
    n.add_run("\n{{ ciudad }}, {{ fecha }}")


def _destinatario_cuenta(doc: Document) -> None:
    doc.add_paragraph("Señor(a)\n{{ nombre }}\n{{ direccion }}{% if barrio %}, {{ barrio }}"
                      "{% endif %}\n{{ municipio }}\nCuenta: {{ codigo }}    Ciclo: {{ ciclo }}"
                      "    Ruta: {{ ruta }}")


def _tabla(doc: Document, encabezados: list[str], lista: str, variable: str,
           campos: list[str]) -> None:
    """A table whose middle row repeats per item of ``lista`` (docxtpl's ``{%tr %}`` rows)."""
    t = doc.add_table(rows=4, cols=len(campos))
    t.style = "Table Grid"
    for celda, texto in zip(t.rows[0].cells, encabezados):
        celda.paragraphs[0].add_run(texto).bold = True
    t.rows[1].cells[0].text = f"{{%tr for {variable} in {lista} %}}"
    for celda, campo in zip(t.rows[2].cells, campos):
        celda.text = f"{{{{ {variable}.{campo} }}}}"
    t.rows[3].cells[0].text = "{%tr endfor %}"


def _firma(doc: Document) -> None:
    doc.add_paragraph("\nAtentamente,\n\n\n______________________________\n"
                      "Coordinación Comercial\n{{ empresa }}")


def _deuda(doc: Document) -> None:
    _tabla(doc, ["Factura", "Servicio", "Vencimiento", "Días de mora", "Saldo"], "facturas", "f",
           ["numero", "servicio", "vencimiento", "dias", "saldo"])
    p = doc.add_paragraph()
    p.add_run("Total vencido: {{ total }}").bold = True


def carta(nombre: str, titulo: str, tono: str) -> None:
    doc = _documento()
    _membrete(doc, titulo)
    _destinatario_cuenta(doc)
    doc.add_paragraph("Referencia: {{ titulo }} — cuenta {{ codigo }}")
    doc.add_paragraph(tono)
    _deuda(doc)
    doc.add_paragraph("Le pedimos pagar a más tardar el {{ plazo }}. " + PAGO)
    doc.add_paragraph(ACUERDO)
    doc.add_paragraph(CENTRALES)
    doc.add_paragraph(CANALES)
    doc.add_paragraph("Si ya pagó, le agradecemos presentar el comprobante y omitir este aviso.")
    _firma(doc)
    doc.save(CARPETA / f"{nombre}.docx")


def aviso_suspension() -> None:
    doc = _documento()
    _membrete(doc, "AVISO DE SUSPENSIÓN DEL SERVICIO")
    _destinatario_cuenta(doc)
    doc.add_paragraph("De acuerdo con el artículo 140 de la Ley 142 de 1994 y el contrato de "
                      "condiciones uniformes, le informamos que su cuenta presenta "
                      "{{ facturas_vencidas }} facturas vencidas sin pagar:")
    _deuda(doc)
    p = doc.add_paragraph()
    p.add_run("Si a más tardar el {{ plazo }} no ha pagado {{ total }} o acordado su pago, el "
              "servicio será suspendido").bold = True
    p.add_run(" sin nuevo aviso. Para restablecerlo deberá pagar la deuda y el cargo de "
              "reconexión de {{ reconexion }}; una vez pagado, el servicio se restablece dentro "
              "de las 24 horas siguientes (Ley 142 de 1994, art. 142).")
    doc.add_paragraph(PAGO + " " + ACUERDO)
    doc.add_paragraph("Contra esta decisión puede interponer el recurso de reposición ante la "
                      "empresa y, en subsidio, el de apelación ante la Superintendencia de "
                      "Servicios Públicos Domiciliarios, dentro de los {{ dias_recurso }} días "
                      "hábiles siguientes a su notificación (Ley 142 de 1994, arts. 154 y 159; "
                      "Corte Constitucional, sentencia C-150 de 2003). Mientras un reclamo o "
                      "recurso sobre una factura esté en trámite, su valor no será causa de "
                      "suspensión (Ley 142 de 1994, art. 155).")
    doc.add_paragraph(CANALES)
    _firma(doc)
    doc.save(CARPETA / "aviso_suspension.docx")


def cuenta_cobro_oficial() -> None:
    doc = _documento()
    _membrete(doc, "CUENTA DE COBRO")
    doc.add_paragraph("Señores\n{{ entidad }}\nNIT o documento: {{ documento }}")
    doc.add_paragraph("Por los servicios públicos domiciliarios prestados a sus inmuebles en "
                      "{{ periodo_nombre }}, la entidad debe a {{ empresa }}:")
    _tabla(doc, ["Cuenta", "Dirección", "Municipio", "Facturado en el mes", "Saldo vencido"],
           "cuentas", "c", ["codigo", "direccion", "municipio", "facturado", "vencido"])
    p = doc.add_paragraph()
    p.add_run("Facturado en {{ periodo_nombre }}: {{ total_mes }}\nSaldo vencido anterior: "
              "{{ total_vencido }}\nTotal a pagar: {{ total }}").bold = True
    doc.add_paragraph("Le solicitamos incluir este valor en su presupuesto y pagarlo a más "
                      "tardar el {{ plazo }}. " + PAGO)
    doc.add_paragraph(CANALES)
    _firma(doc)
    doc.save(CARPETA / "cuenta_cobro_oficial.docx")


def cuenta_cobro_subsidios() -> None:
    doc = _documento()
    _membrete(doc, "CUENTA DE COBRO DE SUBSIDIOS")
    doc.add_paragraph("Señores\nAlcaldía de {{ municipio }}\nFondo de Solidaridad y "
                      "Redistribución de Ingresos")
    doc.add_paragraph("En {{ periodo_nombre }} la empresa otorgó a los usuarios de "
                      "{{ municipio }} los subsidios y cobró las contribuciones de solidaridad "
                      "que siguen (Ley 142 de 1994, arts. 89 y 99; Decreto 1077 de 2015):")
    doc.add_paragraph("Subsidios otorgados por servicio y estrato")
    _tabla(doc, ["Servicio", "Estrato", "Subsidios"], "subsidios", "s",
           ["servicio", "estrato", "valor"])
    doc.add_paragraph("Contribuciones cobradas por servicio y clase de uso")
    _tabla(doc, ["Servicio", "Clase", "Contribuciones"], "contribuciones", "c",
           ["servicio", "clase", "valor"])
    p = doc.add_paragraph()
    p.add_run("Total subsidios: {{ total_subsidios }}\nTotal contribuciones: "
              "{{ total_contribuciones }}\nDiferencia: {{ saldo }}, a cargo de "
              "{{ a_cargo_de }}.").bold = True
    doc.add_paragraph("{% if debe_municipio %}Le solicitamos girar la diferencia desde el Fondo "
                      "de Solidaridad y Redistribución de Ingresos a más tardar el {{ plazo }}."
                      "{% else %}La empresa transferirá la diferencia al Fondo de Solidaridad y "
                      "Redistribución de Ingresos a más tardar el {{ plazo }}.{% endif %}")
    _firma(doc)
    doc.save(CARPETA / "cuenta_cobro_subsidios.docx")


def aviso_tarifas() -> None:
    doc = _documento()
    _membrete(doc, "TARIFAS VIGENTES")
    doc.add_paragraph("{{ empresa }} informa a los usuarios de {{ municipio }} las tarifas de "
                      "{{ servicio }} vigentes desde el {{ vigencia }} (Ley 142 de 1994, art. 125):")
    _tabla(doc, ["Uso y estrato", "Cargo fijo", "Consumo básico (m³)", "Consumo complementario "
                 "(m³)", "Consumo suntuario (m³)"], "tarifas", "t",
           ["clase", "cargo_fijo", "basico", "complementario", "suntuario"])
    doc.add_paragraph(CANALES)
    _firma(doc)
    doc.save(CARPETA / "aviso_tarifas.docx")


if __name__ == "__main__":
    carta("carta_persuasiva", "COBRO PERSUASIVO",
          "Nuestros registros muestran que su cuenta tiene las siguientes facturas vencidas. Le "
          "invitamos a ponerse al día para evitar intereses de mora, la suspensión del servicio "
          "y el cobro prejurídico.")
    carta("carta_prejuridica", "COBRO PREJURÍDICO",
          "A pesar de nuestros avisos anteriores, su cuenta sigue con las siguientes facturas "
          "vencidas. Esta es la última invitación a pagar antes de trasladar la obligación a "
          "cobro jurídico, con los costos y honorarios que ello implica.")
    aviso_suspension()
    cuenta_cobro_oficial()
    cuenta_cobro_subsidios()
    aviso_tarifas()
