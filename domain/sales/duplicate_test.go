package sales

import (
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestDuplicate(t *testing.T) {
	posted := time.Date(2026, 10, 3, 17, 0, 0, 0, time.UTC)
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	cust := DemoCustomers()[0]
	cust.ID = 7
	cust.Emails = []string{"compras@example.com"}
	p := DemoProducts()[0]
	p.ID = 3
	inv := Invoice{
		ID: 41, Issuer: "EKU9003173C9", Status: StatusStamped, TipoDeComprobante: TipoIngreso, Serie: "A", Folio: 12,
		Fecha: posted, CustomerID: 7, Customer: cust, UsoCFDI: "G03", Terms: Credito, FormaPago: "99", Moneda: "USD",
		TipoCambio: decimal.RequireFromString("17.5"), CondicionesDePago: "30 días", OrderRef: "OC-778", Notes: "Entrega en almacén",
		WarehouseID: 2, Global: &Global{Periodicidad: "04", Meses: "10", Anio: "2026"},
		Lines: []Line{LineFromProduct(&p, decimal.NewFromInt(2)), {Descripcion: "Flete", Cantidad: decimal.NewFromInt(1),
			ValorUnitario: decimal.RequireFromString("350"), ClaveProdServ: "78101800", ClaveUnidad: "E48", ObjetoImp: "01"}},
		UUID: "5FB2822E-396D-4725-8521-CDC4BDD20CCF", SealedXML: []byte("<cfdi:Comprobante/>"),
		Total: decimal.RequireFromString("1234.56"), CreatedAt: posted, UpdatedAt: posted,
	}
	before := inv.Lines[0].Descripcion

	d := inv.Duplicate(now)

	want := Invoice{
		Issuer: "EKU9003173C9", Status: StatusDraft, TipoDeComprobante: TipoIngreso, Serie: "A", Fecha: now,
		CustomerID: 7, Customer: cust, UsoCFDI: "G03", Terms: Credito, FormaPago: "99", Moneda: "USD",
		TipoCambio: decimal.RequireFromString("17.5"), CondicionesDePago: "30 días", Notes: "Entrega en almacén",
		WarehouseID: 2, Global: &Global{Periodicidad: "04", Meses: "10", Anio: "2026"}, Lines: inv.Lines,
		Total: decimal.RequireFromString("1234.56"),
	}
	// Copied values, so DeepEqual also compares the decimals exactly.
	if !reflect.DeepEqual(d, want) {
		t.Errorf("Duplicate = %+v\nwant %+v", d, want)
	}
	// The copy shares nothing mutable with the original.
	d.Lines[0].Descripcion = "otra"
	d.Global.Meses = "11"
	d.Customer.Emails[0] = "otro@example.com"
	if inv.Lines[0].Descripcion != before || inv.Global.Meses != "10" || inv.Customer.Emails[0] != "compras@example.com" {
		t.Error("editing the duplicate changed the original")
	}
	// A plain invoice without global period stays without one.
	inv.Global = nil
	if d := inv.Duplicate(now); d.Global != nil || d.Folio != 0 || d.ID != 0 {
		t.Errorf("plain duplicate = %+v", d)
	}
}

func TestDuplicateThirdPartyLines(t *testing.T) {
	t.Parallel()
	inv := Invoice{Lines: []Line{{}, {ThirdParty: &ThirdPartyRef{ID: 3, RFC: "CACX7605101P8"}}},
		Details: &SaleDetails{Shipping: Shipping{Container: "MSCU1234567"}}}
	d := inv.Duplicate(time.Now())
	if d.Details != nil {
		t.Errorf("Duplicate copied the sale details: %+v", d.Details)
	}
	if d.Lines[0].ThirdParty != nil || d.Lines[1].ThirdParty == nil || *d.Lines[1].ThirdParty != *inv.Lines[1].ThirdParty {
		t.Fatalf("Duplicate lines' third parties = %+v, %+v", d.Lines[0].ThirdParty, d.Lines[1].ThirdParty)
	}
	d.Lines[1].ThirdParty.RFC = "X"
	if inv.Lines[1].ThirdParty.RFC != "CACX7605101P8" {
		t.Error("the duplicate shares its third party with the original")
	}
}
