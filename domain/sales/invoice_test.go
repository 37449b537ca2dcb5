package sales

import "testing"

func validInvoice() Invoice {
	p := validProduct()
	return Invoice{
		Issuer: "EKU9003173C9", Serie: "A", CustomerID: 1, Customer: validMoral(), UsoCFDI: "G03",
		Terms: Contado, FormaPago: "03", Lines: []Line{LineFromProduct(&p, dec("2"))},
	}
}

func TestInvoiceValidate(t *testing.T) {
	t.Parallel()
	publico := func(inv *Invoice) {
		inv.Customer = PublicoGeneral()
		inv.UsoCFDI = "S01"
		inv.Global = &Global{Periodicidad: "04", Meses: "11", Anio: "2026"}
		inv.Lines[0].ClaveProdServ, inv.Lines[0].ClaveUnidad = ClaveProdServGlobal, ClaveUnidadGlobal
	}
	tests := []struct {
		name   string
		edit   func(inv *Invoice)
		fields []string
	}{
		// Contado / crédito.
		{"contado ok", func(inv *Invoice) {}, nil},
		{"contado without forma", func(inv *Invoice) { inv.FormaPago = "" }, []string{"FormaPago"}},
		{"contado with 99", func(inv *Invoice) { inv.FormaPago = "99" }, []string{"FormaPago"}},
		{"credito forces 99", func(inv *Invoice) { inv.Terms = Credito }, nil},
		{"credito to publico general", func(inv *Invoice) { publico(inv); inv.Terms = Credito }, []string{"Terms"}},
		{"bad terms", func(inv *Invoice) { inv.Terms = "fiado" }, []string{"Terms"}},
		// Customer and uso.
		{"no customer", func(inv *Invoice) { inv.CustomerID = 0; inv.Customer = Customer{} }, []string{"CustomerID", "UsoCFDI"}},
		{"inactive customer", func(inv *Invoice) { inv.Customer.Active = false }, []string{"CustomerID"}},
		{"uso not for regimen", func(inv *Invoice) { inv.UsoCFDI = "D01" }, []string{"UsoCFDI"}},
		{"no serie", func(inv *Invoice) { inv.Serie = "" }, []string{"Serie"}},
		// Currency.
		{"usd with rate", func(inv *Invoice) { inv.Moneda, inv.TipoCambio = "USD", dec("17.5432") }, nil},
		{"usd without rate", func(inv *Invoice) { inv.Moneda = "USD" }, []string{"TipoCambio"}},
		{"mxn with rate", func(inv *Invoice) { inv.TipoCambio = dec("2") }, []string{"TipoCambio"}},
		{"unknown currency", func(inv *Invoice) { inv.Moneda = "ABC" }, []string{"Moneda"}},
		{"xxx", func(inv *Invoice) { inv.Moneda = "XXX" }, []string{"Moneda"}},
		// Factura global.
		{"global ok", publico, nil},
		{"global bimestral", func(inv *Invoice) { publico(inv); inv.Global.Periodicidad, inv.Global.Meses = "05", "18" }, nil},
		{"global bimestral with month", func(inv *Invoice) { publico(inv); inv.Global.Periodicidad = "05" }, []string{"Global.Meses"}},
		{"global monthly with bimester", func(inv *Invoice) { publico(inv); inv.Global.Meses = "13" }, []string{"Global.Meses"}},
		{"global bad periodicidad", func(inv *Invoice) { publico(inv); inv.Global.Periodicidad = "06" }, []string{"Global.Periodicidad"}},
		{"global previous year", func(inv *Invoice) { publico(inv); inv.Global.Anio = "2025" }, nil},
		{"global old year", func(inv *Invoice) { publico(inv); inv.Global.Anio = "2024" }, []string{"Global.Anio"}},
		{"publico without global", func(inv *Invoice) { publico(inv); inv.Global = nil }, []string{"Global"}},
		{"global to a company", func(inv *Invoice) { inv.Global = &Global{Periodicidad: "04", Meses: "11", Anio: "2026"} }, []string{"Global", "Lines[0].ClaveProdServ"}},
		{"global with product keys", func(inv *Invoice) { publico(inv); inv.Lines[0].ClaveProdServ = "43232408" }, []string{"Lines[0].ClaveProdServ"}},
		// Lines.
		{"no lines", func(inv *Invoice) { inv.Lines = nil }, []string{"Lines"}},
		{"zero quantity", func(inv *Invoice) { inv.Lines[0].Cantidad = dec("0") }, []string{"Lines[0].Cantidad"}},
		{"quantity 7 decimals", func(inv *Invoice) { inv.Lines[0].Cantidad = dec("1.0000001") }, []string{"Lines[0].Cantidad"}},
		{"discount ok", func(inv *Invoice) { inv.Lines[0].Descuento = dec("100.50") }, nil},
		{"discount 3 decimals in MXN", func(inv *Invoice) { inv.Lines[0].Descuento = dec("1.005") }, []string{"Lines[0].Descuento"}},
		{"discount above amount", func(inv *Invoice) { inv.Lines[0].Descuento = dec("30000.01") }, []string{"Lines[0].Descuento"}},
		{"empty description", func(inv *Invoice) { inv.Lines[0].Descripcion = "" }, []string{"Lines[0].Descripcion"}},
		{"line no objeto with iva", func(inv *Invoice) { inv.Lines[0].ObjetoImp = "01" }, []string{"Lines[0].ObjetoImp"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := validInvoice()
			tt.edit(&inv)
			inv.Normalize()
			checkFields(t, inv.Validate(fakeCatalogs{}, 2026), tt.fields)
		})
	}
}

func TestInvoiceTerms(t *testing.T) {
	t.Parallel()
	inv := validInvoice()
	inv.Terms = Credito
	inv.Normalize()
	if got := inv.MetodoPago(); got != "PPD" {
		t.Errorf("MetodoPago() = %q, want PPD", got)
	}
	if inv.FormaPago != FormaPagoPorDefinir || inv.EffectiveFormaPago() != "99" {
		t.Errorf("FormaPago = %q, want 99", inv.FormaPago)
	}
	inv.Terms = Contado
	inv.FormaPago = "01"
	if inv.MetodoPago() != "PUE" || inv.EffectiveFormaPago() != "01" {
		t.Errorf("contado = %s/%s, want PUE/01", inv.MetodoPago(), inv.EffectiveFormaPago())
	}
}

func TestInvoiceValidateDraft(t *testing.T) {
	t.Parallel()
	inv := Invoice{Issuer: "EKU9003173C9", Customer: PublicoGeneral(), Terms: Credito}
	inv.Normalize()
	checkFields(t, inv.ValidateDraft(), []string{"Terms"})
	inv = Invoice{Issuer: "EKU9003173C9"}
	inv.Normalize()
	checkFields(t, inv.ValidateDraft(), nil)
}
