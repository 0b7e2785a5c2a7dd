"""Words of the demo utility: places, people, businesses and what users write."""
from __future__ import annotations

# Shipped municipalities (config.toml): share of accounts, cycles, centre (lat, lon), rural share.
# A municipality added to the config that is not listed here gets the fallback values.
MUNICIPIOS = {
    "20001": (0.70, 6, (10.4631, -73.2532), 0.04),   # Valledupar
    "20011": (0.20, 4, (8.3084, -73.6166), 0.08),    # Aguachica
    "20621": (0.07, 2, (10.3866, -73.1706), 0.12),   # La Paz
    "20570": (0.03, 2, (10.4163, -73.5862), 0.35),   # Pueblo Bello
}
MUNICIPIO_OTRO = (0.05, 2, (9.9000, -73.4000), 0.15)

BARRIOS = {
    "20001": ("Centro", "Los Mayales", "Novalito", "El Cerezo", "Villa Castro", "La Nevada",
              "Primero de Mayo", "San Joaquín", "Los Cortijos", "Garupal", "Mareigua",
              "Villa Miriam", "Panamá", "Los Músicos", "Sicarare", "El Prado", "Dangond",
              "Santa Rosalía", "Don Alberto", "Nuevo Milenio", "Villa Luz", "La Popa"),
    "20011": ("Centro", "San Eduardo", "Villa Paraíso", "El Carmen", "Bellavista",
              "Los Almendros", "Cristo Rey", "Santa Mónica", "La Victoria", "Olaya Herrera"),
    "20621": ("Centro", "El Carmen", "San Francisco", "Villa Olga", "Los Cerezos", "El Tanque"),
    "20570": ("Centro", "Nuevo Pueblo Bello", "Las Flores", "El Paraíso", "La Esperanza"),
}
BARRIOS_OTRO = ("Centro", "Norte", "Sur", "Villa Nueva", "San José")
VEREDAS = ("Vereda Los Corazones", "Vereda El Mamón", "Vereda Guacoche", "Vereda Las Casitas",
           "Vereda La Mesa", "Vereda Aguas Blancas", "Vereda El Jabo", "Vereda Caracolí")
FINCAS = ("Finca El Recreo", "Finca La Esperanza", "Parcela 12", "Finca Villa Rosa",
          "Finca San Rafael", "Parcela El Triunfo", "Finca Los Mangos")
VIAS = ("CL", "CR", "KR", "DG", "TV", "AV", "MZ")

NOMBRES = ("María", "José", "Luis", "Carlos", "Ana", "Juan", "Rosa", "Jorge", "Luz", "Carmen",
           "Andrés", "Diana", "Sandra", "Jesús", "Yolanda", "Álvaro", "Rafael", "Nelson",
           "Eduardo", "Leidy", "Yesenia", "Kelly", "Wilmer", "Deiner", "Mileidys", "Julio",
           "Fabián", "Martha", "Omaira", "Elías", "Ángela", "Natalia", "Camilo", "Daniela",
           "Sofía", "Valentina", "Mauricio", "Óscar", "Hernán", "Iván", "Nubia", "Ludys",
           "Yurany", "Alfonso", "Beatriz", "Edgardo", "Zunilda", "Ramón")
APELLIDOS = ("Acosta", "Arias", "Barros", "Bolaño", "Castro", "Cuello", "Daza", "Díaz",
             "Fuentes", "García", "Gómez", "González", "Gutiérrez", "Hernández", "Jiménez",
             "López", "Maestre", "Martínez", "Mendoza", "Molina", "Montero", "Morales", "Núñez",
             "Ospina", "Oñate", "Pérez", "Pimienta", "Quintero", "Ramírez", "Rodríguez",
             "Romero", "Sánchez", "Suárez", "Torres", "Vega", "Villazón", "Zuleta", "Araújo",
             "Baute", "Castilla", "Mejía", "Ovalle", "Rangel", "Peñaloza", "Muñoz", "Ariza")
NEGOCIOS = ("Tienda", "Droguería", "Panadería", "Restaurante", "Ferretería", "Miscelánea",
            "Taller", "Peluquería", "Supermercado", "Estación de Servicio", "Hotel",
            "Lavadero", "Papelería", "Carnicería", "Asadero", "Billar")
INDUSTRIAS = ("Industrias", "Lácteos", "Hielo", "Procesadora", "Embotelladora", "Ladrillera")
OFICIALES = ("Alcaldía Municipal", "Institución Educativa", "Centro de Salud",
             "Policía Nacional - Estación", "Gobernación del Cesar - Sede", "Hospital",
             "Registraduría", "Biblioteca Pública", "Coliseo Municipal", "Cuerpo de Bomberos")
ESPECIALES = ("Parroquia", "Fundación", "Hogar Comunitario", "Iglesia", "Junta de Acción Comunal")
DOMINIOS = ("gmail.com", "hotmail.com", "yahoo.es", "outlook.com", "hotmail.es")
MARCAS_MEDIDOR = ("ITR", "ELS", "SNS", "ZNR", "ACT", "BDR")

# Payment channels and who collects (recaudo).
CANALES = ("banco", "corresponsal", "pse", "oficina", "otro")
CANAL_PESO = (0.36, 0.31, 0.15, 0.14, 0.04)
ENTIDADES = {
    "banco": ("Bancolombia", "Banco de Bogotá", "Davivienda", "BBVA Colombia", "Banco Agrario",
              "Banco de Occidente", "Banco Popular", "Banco Caja Social"),
    "corresponsal": ("Efecty", "SuperGiros", "Su Red", "Pagatodo", "Servientrega", "Gana"),
    "pse": ("PSE - ACH Colombia",),
    "oficina": ("Oficina principal", "Punto de atención Aguachica", "Punto de atención La Paz"),
    "otro": ("Datáfono en ventanilla", "Consignación en cuenta recaudadora"),
}

# PQR: what users write, by cause (SUI detail code); a causal not listed uses the generic texts.
DESCRIPCIONES = {
    "101": ("Me llegó un consumo muy alto, en la casa vivimos solo dos personas.",
            "Solicito revisar el consumo facturado, no corresponde a lo que gastamos.",
            "El recibo vino el doble del mes pasado, no hay fugas en el predio."),
    "102": ("Me cobran alcantarillado y el predio no tiene conexión al colector.",
            "Cobran aseo en un lote donde no vive nadie."),
    "103": ("No entiendo el cobro de otros cargos que aparece en la factura.",
            "Me cobraron una cuota que ya había pagado, solicito la devolución."),
    "104": ("Mi casa es estrato 1, no 3 como dice la factura.",
            "El predio es residencial, no comercial; solicito corregir el uso."),
    "105": ("El cargo fijo subió sin aviso, pido explicación de la tarifa.",),
    "106": ("Me cobraron la reconexión dos veces.",
            "Cobran reinstalación, pero el servicio nunca fue suspendido."),
    "107": ("Pagué en el banco el día 10 y la factura sigue mostrando la deuda.",
            "El pago que hice por PSE no aparece abonado a mi cuenta."),
    "108": ("La factura llegó después de la fecha de pago oportuno.",
            "No me llega la factura desde hace dos meses."),
    "201": ("Llevamos tres días sin agua en el barrio, nadie da razón.",
            "El agua llega solo en la madrugada y con muy poca presión."),
    "202": ("El agua sale turbia y con olor, pido análisis de calidad.",
            "Sale agua amarilla por la mañana, \"como barro\"."),
    "203": ("Me suspendieron el servicio estando al día con los pagos.",),
    "204": ("Pagué ayer y todavía no me reconectan el servicio.",),
    "205": ("El medidor está dañado, la aguja no se mueve.",
            "La acometida tiene una fuga frente a la casa, el agua se pierde en la calle."),
    "206": ("El carro de la basura no pasa desde la semana pasada.",
            "Dejan los residuos regados en la esquina, solicito limpieza."),
}
DESCRIPCIONES_OTRAS = ("Solicito información sobre mi cuenta, gracias.",
                       "Requiero un certificado de paz y salvo.",
                       "Pido que me expliquen la factura, por favor.")
SUGERENCIAS = ("Sería bueno poder pagar por la aplicación del banco.",
               "Sugiero avisar por mensaje de texto los cortes programados.",
               "Deberían abrir una oficina en el sur de la ciudad.")
RECURSOS = ("No estoy de acuerdo con la respuesta, interpongo recurso de reposición.",
            "Presento recurso de reposición y en subsidio apelación contra la decisión.",
            "La respuesta no resolvió mi reclamo; solicito que se revise de nuevo.")

RESULTADOS = {
    "suspension": ("Servicio suspendido", "Suspendido en la acometida"),
    "corte": ("Corte ejecutado, acometida retirada",),
    "reinstalacion": ("Servicio reinstalado",),
    "reconexion": ("Servicio reconectado",),
    "aviso_suspension": ("Aviso entregado al usuario", "Aviso fijado en la puerta"),
    "revision_desviacion": ("Fuga interna detectada", "Consumo real confirmado",
                            "Más personas habitan el predio", "Medidor en buen estado",
                            "Error de lectura corregido"),
    "instalacion_medidor": ("Medidor instalado",),
    "cambio_medidor": ("Medidor cambiado",),
    "verificacion_medidor": ("Medidor en buen estado", "Medidor frenado, se programa cambio"),
    "conexion_nueva": ("Acometida instalada",),
    "otro": ("Trabajo realizado",),
}

# Official correspondence: (type, share, term, whether the term is in business days).
CORRESPONDENCIA = (("derecho_peticion", 0.38, 15, True), ("tutela", 0.08, 2, True),
                   ("requerimiento", 0.20, 10, True), ("accion_popular", 0.03, 10, True),
                   ("citacion", 0.08, 8, False), ("circular", 0.10, 30, False),
                   ("acto_administrativo", 0.06, 10, True), ("otro", 0.07, 15, True))
REMITENTES = ("Superintendencia de Servicios Públicos Domiciliarios",
              "Juzgado Tercero Civil Municipal de Valledupar", "Personería Municipal de Valledupar",
              "Contraloría General de la República", "Procuraduría Provincial de Valledupar",
              "Defensoría del Pueblo, Regional Cesar", "Alcaldía de Valledupar",
              "Concejo Municipal de Aguachica", "Comisión de Regulación de Agua Potable (CRA)",
              "Corpocesar", "Juzgado Segundo Administrativo del Circuito")
RESPONSABLES = ("Jefe Comercial", "Oficina Jurídica", "Coordinador de PQR", "Gerencia",
                "Jefe de Facturación", "Jefe de Cartera")
