package print

import (
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

func TestSaleSections(t *testing.T) {
	if SaleSections(nil, "") != nil {
		t.Error("an invoice without details has sections")
	}
	d := &sales.SaleDetails{Branch: "Matriz", Seller: "ANA", ShipTo: "Bodega 3",
		Shipping:   sales.Shipping{Container: "MSCU1234567", Incoterm: "FOB", ShipDate: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
		Management: sales.Management{GeneratedBy: "LUIS", GeneratedByID: "INE 123", VehiclePlate: "ABC-123-D", ReceivedBy: "EVA"},
		Sellers:    []sales.SellerShare{{Name: "ANA", Percent: decimal.RequireFromString("3")}, {Name: "LUIS", Percent: decimal.RequireFromString("2.5")}}}
	got := map[string]string{}
	for _, s := range SaleSections(d, "INDISTRIA (IIA040805DZ4)") {
		for _, f := range s.Fields {
			got[s.Title+"/"+f.Label] = f.Value
		}
	}
	want := map[string]string{
		"Datos de la venta/Sucursal":               "Matriz",
		"Datos de la venta/Cuenta por cobrar a":    "INDISTRIA (IIA040805DZ4)",
		"Datos de la venta/Vendedores":             "ANA 3 %, LUIS 2.5 %",
		"Datos de embarque/Contenedor":             "MSCU1234567",
		"Datos de embarque/Fecha de embarque":      "20/11/2026",
		"Datos de embarque/Fecha de despacho":      "",
		"Gestión de documento/Generó":              "LUIS (identificación INE 123)",
		"Gestión de documento/Recibió":             "EVA",
		"Gestión de documento/Placas del vehículo": "ABC-123-D",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
