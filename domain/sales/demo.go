package sales

import "github.com/shopspring/decimal"

// DemoCustomers returns the customers of the demo company: SAT's second test
// RFC, a company, the general public and a foreign customer. Every one passes
// Validate with SAT's catalogs.
func DemoCustomers() []Customer {
	d := decimal.RequireFromString
	return []Customer{
		{RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "36257",
			UsoCFDI: "G03", FormaPago: "03", MetodoPago: "PUE", Emails: []string{"xochilt.casas@example.com"},
			Notes: "Contribuyente de prueba del SAT.", Active: true},
		{RFC: "URE180429TM6", Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601", CodigoPostal: "86991",
			UsoCFDI: "G01", FormaPago: "99", MetodoPago: "PPD", Emails: []string{"compras@example.com", "pagos@example.com"},
			CreditDays: 30, CreditLimit: d("250000.00"), RetencionIVA: d("0"), RetencionISR: d("0"), Active: true},
		PublicoGeneral(),
		{RFC: RFCExtranjero, Name: "NORTHWIND TRADERS INC", RegimenFiscal: RegimenSinObligaciones, UsoCFDI: UsoSinEfectos,
			FormaPago: "03", MetodoPago: "PUE", Pais: "USA", NumRegIdTrib: "123456789", Emails: []string{"ap@example.com"}, Active: true},
	}
}

// DemoProducts returns the products of the demo company: goods at 16 %, a
// service with withholdings, a food item at 0 % and an exempt one.
func DemoProducts() []Product {
	d := decimal.RequireFromString
	iva16 := Taxes{IVATasa: d("0.16")}
	return []Product{
		{Code: "LAP-14", Description: "Computadora portátil 14 pulgadas", Unit: "Pieza", ClaveProdServ: "43211503",
			ClaveUnidad: "H87", Price: d("15999.00"), Taxes: iva16, ObjetoImp: ObjetoImpSi, TrackStock: true, SellWithoutStock: true, Active: true},
		{Code: "MOU-01", Description: "Ratón inalámbrico", Unit: "Pieza", ClaveProdServ: "43211708",
			ClaveUnidad: "H87", Price: d("349.50"), Taxes: iva16, ObjetoImp: ObjetoImpSi, TrackStock: true, SellWithoutStock: true, Active: true},
		{Code: "SRV-CONS", Description: "Consultoría en sistemas (hora)", Unit: "Hora", ClaveProdServ: "81111500",
			ClaveUnidad: "HUR", Price: d("850.00"), ObjetoImp: ObjetoImpSi, Active: true,
			Taxes: Taxes{IVATasa: d("0.16"), RetIVA: d("0.106667"), RetISR: d("0.10")}},
		{Code: "ALI-CAFE", Description: "Café de grano 1 kg", Unit: "Kilogramo", ClaveProdServ: "50201706",
			ClaveUnidad: "KGM", Price: d("289.90"), Taxes: Taxes{IVATasa: d("0")}, ObjetoImp: ObjetoImpSi, TrackStock: true, SellWithoutStock: true, Active: true},
		{Code: "LIB-01", Description: "Libro de texto", Unit: "Pieza", ClaveProdServ: "55101500",
			ClaveUnidad: "H87", Price: d("420.00"), Taxes: Taxes{IVAExento: true}, ObjetoImp: ObjetoImpSi, Active: true},
	}
}
