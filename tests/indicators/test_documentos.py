"""The documents on hand-made receivables and billing (P = 2026-10, cut-off 2026-10-31),
issued on 2026-11-03 (deadline: 10 calendar days later, 2026-11-13), read back from the
files written (python-docx and the XML of each .docx) and from the register.

Receivables (d = days past due):
- A01 «Pérez & Hijos <S.A.S.>»: F011 acueducto d 30, 10.000; F012 acueducto d 60, 20.000 and
  alcantarillado d 60, 5.000 → 2 invoices past due, 35.000: suspension, persuasivo (60).
- A02, a name that looks like template code: F021 d 40, 8.000; F022 d 20, 4.000 → 12.000:
  suspension, persuasivo (40). Walking order: A02 (secuencia 1) before A01 (2).
- A03 a hospital with proteccion_especial: 2 past due, 6.000 → no notice; persuasivo (50).
- A04: F041 d 70, F042 d 35 under an open reclamo → 1 that counts: no notice; persuasivo (70).
- A05: F051 d 120, 7.000 → prejurídico.
- O1 and O2, official accounts of one entity (documento 800100): O1 owes FO11 d 90 and FO12
  d 60, 30.000 each → in the suspension list, marked, but gets the entity's statement; O2
  owes nothing. O3 (another entity) has no invoice in P: no statement.

Billing of P: O1 100.000 (60.000 + 40.000), O2 50.000 → the entity: 150.000 billed, 60.000
past due, 210.000 to pay. Subsidies: Valledupar (20001) A01 estrato 1 acueducto 5.000, A02
estrato 2 acueducto 3.000; contributions A05 estrato 6 alcantarillado 2.000 → the
municipality's fund owes 6.000. Aguachica (20011): C1 comercial 4.000 of contribution, no
subsidy → the utility transfers 4.000. La Paz and Pueblo Bello: nothing billed, 0.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
import sqlalchemy as sa

from cauce import CauceError
from cauce.acciones import documentos as acc
from cauce.cli import main
from etl import warehouse as w
from indicators.documentos import plantilla
from tests.indicators.conftest import cargar

P = "2026-10"
CORTE = dt.date(2026, 10, 31)
HOY = dt.date(2026, 11, 3)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

CATASTRO = ("codigo,periodo,nombre,documento,direccion,municipio_dane,uso,estrato,acueducto,"
            "alcantarillado,aseo,ciclo,ruta,secuencia,estado,proteccion_especial\n") + "".join(
    f"{c},{P},{n},{doc},{dirc},{m},{uso},{e},S,S,S,01,0101,{sec},activo,{prot}\n"
    for c, n, doc, dirc, m, uso, e, sec, prot in [
        ("A01", "Pérez & Hijos <S.A.S.>", "900111", "CL 1 # 2-3", "20001", "residencial", 1, 2, ""),
        ("A02", "{{ empresa }} {% if x %}", "111", "CL 2", "20001", "residencial", 2, 1, ""),
        ("A03", "Hospital San José", "222", "CL 3", "20001", "especial", 0, 3, "S"),
        ("A04", "Ana Díaz", "333", "CL 4", "20001", "residencial", 2, 4, "N"),
        ("A05", "Luis Ríos", "444", "CL 5", "20001", "residencial", 6, 5, ""),
        ("O1", "Alcaldía de Valledupar", "800100", "CL 6", "20001", "oficial", 0, 6, ""),
        ("O2", "Alcaldía de Valledupar", "800100", "CL 7", "20001", "oficial", 0, 7, ""),
        ("O3", "Gobernación", "800200", "CL 8", "20001", "oficial", 0, 8, ""),
        ("C1", "Tienda", "555", "CL 9", "20011", "comercial", 0, 9, ""),
    ])

# (account, invoice, service, d, saldo)
DEUDAS = [("A01", "F011", "acueducto", 30, 10000), ("A01", "F012", "acueducto", 60, 20000),
          ("A01", "F012", "alcantarillado", 60, 5000),
          ("A02", "F021", "acueducto", 40, 8000), ("A02", "F022", "acueducto", 20, 4000),
          ("A03", "F031", "acueducto", 50, 3000), ("A03", "F032", "acueducto", 25, 3000),
          ("A04", "F041", "acueducto", 70, 6000), ("A04", "F042", "acueducto", 35, 6000),
          ("A05", "F051", "acueducto", 120, 7000),
          ("O1", "FO11", "acueducto", 90, 30000), ("O1", "FO12", "acueducto", 60, 30000)]
CARTERA = "fecha_corte,codigo,numero_factura,servicio,fecha_vencimiento,saldo\n" + "".join(
    f"{CORTE},{c},{f},{s},{CORTE - dt.timedelta(days=d)},{v}\n" for c, f, s, d, v in DEUDAS)

# (invoice, account, service, cargo_fijo, valor_consumo, subsidio, contribucion)
FACTURAS_P = [("OF1", "O1", "acueducto", 10000, 50000, 0, 0),
              ("OF1", "O1", "alcantarillado", 5000, 35000, 0, 0),
              ("OF2", "O2", "acueducto", 10000, 40000, 0, 0),
              ("FA1", "A01", "acueducto", 5000, 10000, 5000, 0),
              ("FA2", "A02", "acueducto", 5000, 10000, 3000, 0),
              ("FA5", "A05", "alcantarillado", 5000, 10000, 0, 2000),
              ("FC1", "C1", "acueducto", 5000, 10000, 0, 4000)]
FACTURAS = ("numero,codigo,periodo,servicio,fecha_expedicion,fecha_vencimiento,cargo_fijo,"
            "valor_consumo,subsidio,contribucion,valor_total\n") + "".join(
    f"{n},{c},{P},{s},2026-10-05,2026-10-25,{cf},{vc},{sub},{con},{cf + vc - sub + con}\n"
    for n, c, s, cf, vc, sub, con in FACTURAS_P)

PQR = ("radicado,codigo,fecha_radicacion,tipo,servicio,causal,numero_factura,fecha_respuesta\n"
       "R1,A04,2026-10-05 09:00,reclamo,acueducto,101,F042,\n")


@pytest.fixture(scope="module")
def cargado(almacen_modulo, tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("documentos")
    settings = cargar(almacen_modulo, {"suscriptores_2026-10.csv": CATASTRO, "cartera.csv": CARTERA,
                                       "facturas_2026-10.csv": FACTURAS, "pqr.csv": PQR}, carpeta)
    return almacen_modulo, settings


def emitir(cargado, tipo, salida, reemitir=False, **cambios):
    url, settings = cargado
    return acc.emitir(dataclasses.replace(settings, **cambios), tipo, P, salida, reemitir, HOY)


def registro(cargado, tipo=None) -> list[dict]:
    engine = sa.create_engine(cargado[0])
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table("documento"):
                return []
            d = w.documento
            stmt = sa.select(d).order_by(d.c.tipo, d.c.anio, d.c.consecutivo)
            if tipo:
                stmt = stmt.where(d.c.tipo == tipo)
            return [dict(f._mapping) for f in conn.execute(stmt)]
    finally:
        engine.dispose()


def textos(ruta) -> list[str]:
    """The documents of a batch's single file, split at its page breaks: each one's text, a
    line per paragraph (its line breaks kept) and per table row (cells joined by " | ")."""
    documento = docx.Document(ruta)
    paginas, actual = [], []
    for bloque in documento.element.body.iterchildren():
        if bloque.tag == W + "p" and 'w:type="page"' in bloque.xml:
            paginas.append("\n".join(actual))
            actual = []
        elif bloque.tag == W + "p":
            actual.append(Paragraph(bloque, documento).text)
        elif bloque.tag == W + "tbl":
            actual += [" | ".join(c.text for c in fila.cells)
                       for fila in Table(bloque, documento).rows]
    paginas.append("\n".join(actual))
    return paginas


def cuerpo_xml(datos: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(datos)) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_suspension_notices_name_their_account_and_the_warehouse_amounts(cargado, tmp_path):
    lote = emitir(cargado, "aviso_suspension", tmp_path)
    # A02 then A01 (walking order); A03 protected, A04 under a claim, O1 official: none.
    assert lote.numeros == ["AS-2026-000001", "AS-2026-000002"]
    paginas = textos(lote.docx)
    assert len(paginas) == 2
    assert "{{ empresa }} {% if x %}" in paginas[0] and "Cuenta: A02" in paginas[0]
    assert "Pérez & Hijos <S.A.S.>" in paginas[1] and "Cuenta: A01" in paginas[1]
    assert "$ 12.000" in paginas[0] and "$ 35.000" in paginas[1]
    assert "AS-2026-000002" in paginas[1] and "13 de noviembre de 2026" in paginas[1]
    assert "reposición" in paginas[1] and "C-150 de 2003" in paginas[1]
    assert "$ 48.500" in paginas[1]                      # [documentos] cargo_reconexion
    for p in paginas:
        assert "Hospital" not in p and "Alcaldía" not in p and "Ana Díaz" not in p
    # one .docx per notice, named by its number; the name escaped in the XML, never run
    with zipfile.ZipFile(lote.zip) as z:
        assert sorted(z.namelist()) == ["AS-2026-000001.docx", "AS-2026-000002.docx"]
        xml = cuerpo_xml(z.read("AS-2026-000002.docx"))
        assert z.testzip() is None
        uno = z.read("AS-2026-000001.docx")
    assert "Pérez &amp; Hijos &lt;S.A.S.&gt;" in xml
    assert zipfile.ZipFile(io.BytesIO(uno)).testzip() is None         # every part's CRC
    assert textos(io.BytesIO(uno)) == paginas[:1]     # a Word package: the first notice alone
    # oldest due date first: F012 (60 days, both services), then F011
    assert re.findall(r"<w:t[^>]*>(F01\d)</w:t>", xml) == ["F012", "F012", "F011"]
    filas = registro(cargado, "aviso_suspension")
    assert [(f["numero"], f["codigo"], float(f["valor"]), f["fecha_emision"], f["fecha_limite"],
             f["estado"], f["periodo"]) for f in filas] == [
        ("AS-2026-000001", "A02", 12000.0, HOY, dt.date(2026, 11, 13), "emitido", P),
        ("AS-2026-000002", "A01", 35000.0, HOY, dt.date(2026, 11, 13), "emitido", P)]


def test_asking_again_gives_the_same_batch_and_reissuing_voids_it(cargado, tmp_path):
    primero = emitir(cargado, "aviso_suspension", tmp_path / "a")
    otra_vez = emitir(cargado, "aviso_suspension", tmp_path / "b")
    assert otra_vez.numeros == primero.numeros and not otra_vez.nuevo
    assert otra_vez.lote == primero.lote
    assert textos(otra_vez.docx) == textos(primero.docx)
    assert len(registro(cargado, "aviso_suspension")) == 2
    nuevo = emitir(cargado, "aviso_suspension", tmp_path / "c", reemitir=True)
    assert nuevo.anulados == 2 and nuevo.lote > primero.lote
    assert nuevo.numeros == ["AS-2026-000003", "AS-2026-000004"]    # never reused
    filas = registro(cargado, "aviso_suspension")
    assert [(f["numero"], f["estado"]) for f in filas] == [
        ("AS-2026-000001", "anulado"), ("AS-2026-000002", "anulado"),
        ("AS-2026-000003", "emitido"), ("AS-2026-000004", "emitido")]


def test_collection_letters_follow_their_lists(cargado, tmp_path):
    persuasivas = emitir(cargado, "carta_persuasiva", tmp_path)
    # persuasivo, oldest debt first: O1 90, A04 70, A01 60, A03 50, A02 40
    filas = registro(cargado, "carta_persuasiva")
    assert [f["codigo"] for f in filas] == ["O1", "A04", "A01", "A03", "A02"]
    assert persuasivas.numeros[0] == "CP-2026-000001"
    paginas = textos(persuasivas.docx)
    assert "Ley 1266 de 2008" in paginas[1] and "Ley 2300 de 2023" in paginas[1]
    assert "Total vencido: $ 12.000" in paginas[1]    # A04: both invoices, the claim included
    assert "F042 | acueducto | 26/09/2026 | 35 | $ 6.000" in paginas[1]
    prejuridicas = emitir(cargado, "carta_prejuridica", tmp_path)
    assert prejuridicas.numeros == ["CJ-2026-000001"]
    assert "Luis Ríos" in textos(prejuridicas.docx)[0]


def test_official_entities_get_one_statement_for_all_their_accounts(cargado, tmp_path):
    lote = emitir(cargado, "cuenta_cobro_oficial", tmp_path)
    assert lote.numeros == ["CO-2026-000001"]         # O3's entity billed nothing in P
    (texto,) = textos(lote.docx)
    assert "Alcaldía de Valledupar" in texto and "800100" in texto
    assert "O1 | CL 6 | Valledupar | $ 100.000 | $ 60.000" in texto
    assert "O2 | CL 7 | Valledupar | $ 50.000 | $ 0" in texto
    assert "Facturado en octubre de 2026: $ 150.000" in texto
    assert "Saldo vencido anterior: $ 60.000" in texto and "Total a pagar: $ 210.000" in texto
    (fila,) = registro(cargado, "cuenta_cobro_oficial")
    assert (fila["entidad"], float(fila["valor"]), fila["codigo"]) == ("800100", 210000.0, None)


def test_each_municipality_gets_its_subsidy_statement(cargado, tmp_path):
    lote = emitir(cargado, "cuenta_cobro_subsidios", tmp_path)
    assert len(lote.numeros) == 4                      # the four configured municipalities
    filas = {f["municipio"]: f for f in registro(cargado, "cuenta_cobro_subsidios")}
    assert float(filas["20001"]["valor"]) == 6000 and float(filas["20011"]["valor"]) == -4000
    assert float(filas["20621"]["valor"]) == 0
    paginas = {p.split("Alcaldía de ")[1].split("\n")[0]: p for p in textos(lote.docx)}
    valledupar, aguachica = paginas["Valledupar"], paginas["Aguachica"]
    assert "Total subsidios: $ 8.000" in valledupar
    assert "Total contribuciones: $ 2.000" in valledupar
    assert "Diferencia: $ 6.000, a cargo de el Fondo de Solidaridad" in valledupar
    assert "acueducto | 1 | $ 5.000" in valledupar and "acueducto | 2 | $ 3.000" in valledupar
    assert "alcantarillado | residencial estrato 6 | $ 2.000" in valledupar
    assert "Total contribuciones: $ 4.000" in aguachica and "transferirá" in aguachica


def _plantilla_propia(tmp_path, nombre: str, contenido: bytes | str):
    carpeta = tmp_path / "empresa"
    (carpeta / "plantillas").mkdir(parents=True)
    (carpeta / "config.toml").write_text("")
    ruta = carpeta / "plantillas" / f"{nombre}.docx"
    if isinstance(contenido, bytes):
        ruta.write_bytes(contenido)
    else:
        d = docx.Document()
        d.add_paragraph(contenido)
        d.save(ruta)
    return carpeta / "config.toml", ruta


@pytest.mark.parametrize("contenido, dice", [
    ("Estimado {{ nombre }}, su apodo {{ apodo }}", "«apodo»"),
    ("{% for f in facturas %}{{ f.fecha_pago }}{% endfor %}", "«fecha_pago»"),
    ("{{ nombre ", "mal escrito"),
    (b"PK\x03\x04 esto no es un docx", "dañada"),
])
def test_a_wrong_template_is_refused_before_anything_is_written(cargado, tmp_path, contenido,
                                                                 dice):
    config, ruta = _plantilla_propia(tmp_path, "carta_prejuridica", contenido)
    antes = registro(cargado)
    with pytest.raises(CauceError) as e:
        emitir(cargado, "carta_prejuridica", tmp_path / "salida", path=config)
    assert str(ruta) in e.value.mensaje and dice in e.value.mensaje
    assert registro(cargado) == antes
    assert not (tmp_path / "salida").exists() or not any((tmp_path / "salida").iterdir())


def test_the_utilitys_template_replaces_the_shipped_one(cargado, tmp_path):
    config, _ = _plantilla_propia(tmp_path, "cuenta_cobro_subsidios",
                                  "{{ empresa }} cobra a {{ municipio }}: {{ total }}")
    lote = emitir(cargado, "cuenta_cobro_subsidios", tmp_path / "salida", reemitir=True,
                  path=config)
    assert "Aguas del Cesar S.A. E.S.P. (demostración) cobra a Valledupar: $ 6.000" in \
        textos(lote.docx)[0]


def test_a_failure_in_the_middle_leaves_neither_files_nor_rows(cargado, tmp_path, monkeypatch):
    antes = registro(cargado)
    original = plantilla.Empaque.docx
    hechos = []

    def falla(self, cuerpo):
        if hechos:
            raise OSError(28, "No space left on device")
        hechos.append(1)
        return original(self, cuerpo)
    monkeypatch.setattr(plantilla.Empaque, "docx", falla)
    with pytest.raises(CauceError) as e:
        emitir(cargado, "aviso_suspension", tmp_path, reemitir=True)
    assert "el disco está lleno" in e.value.mensaje
    assert registro(cargado) == antes                 # not even the voiding
    assert list(tmp_path.iterdir()) == []


def test_the_tariff_notice_needs_a_tariff_table(cargado, tmp_path):
    with pytest.raises(CauceError) as e:
        emitir(cargado, "aviso_tarifas", tmp_path)
    assert e.value.codigo == 1 and "No hay tarifas vigentes en 2026-10" in e.value.mensaje
    assert registro(cargado, "aviso_tarifas") == [] and list(tmp_path.iterdir()) == []


# The tariff table of the notice: Valledupar's acueducto (an old row replaced on 2026-07-01)
# and aseo, Aguachica's acueducto in force from P's first day.
TARIFAS = ("municipio_dane,servicio,vigente_desde,uso,estrato,cargo_fijo,cargo_consumo,"
           "consumo_basico_m3,factor\n"
           "20001,acueducto,2026-01-01,residencial,1,9000,2800,16,-0.70\n"
           "20001,acueducto,2026-07-01,residencial,1,10000,3000,16,-0.70\n"
           "20001,acueducto,2026-07-01,comercial,0,10000,3000,16,0.50\n"
           "20001,aseo,2026-07-01,residencial,1,4000,12000,,-0.70\n"
           "20011,acueducto,2026-10-01,residencial,2,8000,2500,16,-0.40\n")


def test_the_tariff_notice_publishes_each_municipality_and_service(almacen, tmp_path):
    settings = cargar(almacen, {"suscriptores_2026-10.csv": CATASTRO, "tarifas.csv": TARIFAS},
                      tmp_path / "datos")
    lote = acc.emitir(settings, "aviso_tarifas", P, tmp_path / "salida", False, HOY)
    assert lote.numeros == ["AT-2026-000001", "AT-2026-000002", "AT-2026-000003"]
    avisos = textos(lote.docx)
    assert len(avisos) == 3
    valledupar, aseo, aguachica = avisos
    # final prices: fixed charge × (1 + f); basic m³ × (1 + f); complementary and luxury m³
    # × (1 + max(f, 0)). Estrato 1: 10.000 × 0,3 = 3.000; 3.000 × 0,3 = 900; 3.000.
    # Comercial: 10.000 × 1,5 = 15.000; 3.000 × 1,5 = 4.500 (both blocks).
    assert "Valledupar" in valledupar and "acueducto" in valledupar
    assert "1 de julio de 2026" in valledupar
    assert "Residencial estrato 1 | $ 3.000 | $ 900 | $ 3.000 | $ 3.000" in valledupar
    assert "Comercial | $ 15.000 | $ 4.500 | $ 4.500 | $ 4.500" in valledupar
    assert "$ 2.700" not in valledupar          # the old tariff's 9.000 × 0,3
    # aseo: 4.000 × 0,3 = 1.200 fixed, 12.000 × 0,3 = 3.600 monthly, no m³
    assert "aseo" in aseo and "Residencial estrato 1 | $ 1.200 | $ 3.600 | — | —" in aseo
    # Aguachica, estrato 2 (f = −0,40): 4.800; 1.500; 2.500
    assert "Aguachica" in aguachica and "1 de octubre de 2026" in aguachica
    assert "Residencial estrato 2 | $ 4.800 | $ 1.500 | $ 2.500 | $ 2.500" in aguachica
    assert [f["municipio"] for f in registro((almacen, settings), "aviso_tarifas")] == [
        "20001", "20001", "20011"]


def test_the_command(cargado, tmp_path, capsys):
    url, _ = cargado
    assert main(["documentos", "carta_prejuridica", "--periodo", P, "--salida", str(tmp_path),
                 "--almacen", url]) == 0
    salida = capsys.readouterr().out
    assert "CJ-" in salida and "carta_prejuridica_2026-10.docx" in salida.replace("\n", "")
    assert (tmp_path / "carta_prejuridica_2026-10.zip").exists()
    # a period without receivables: nothing written, exit 1
    assert main(["documentos", "aviso_suspension", "--periodo", "2026-05", "--salida",
                 str(tmp_path / "mayo"), "--almacen", url]) == 1
    assert "No hay datos de cartera del periodo 2026-05" in capsys.readouterr().err
    assert not (tmp_path / "mayo").exists()
