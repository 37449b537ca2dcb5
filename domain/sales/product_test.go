package sales

import (
	"testing"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func validProduct() Product {
	return Product{Code: "LAP-01", Description: "Computadora portátil", Unit: "Pieza", ClaveProdServ: "43232408",
		ClaveUnidad: "H87", Price: dec("15000.00"), ObjetoImp: "02", Taxes: Taxes{IVATasa: dec("0.16")}, Active: true}
}

func TestProductValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(p *Product)
		fields []string
	}{
		{"ok", func(p *Product) {}, nil},
		{"six decimals price", func(p *Product) { p.Price = dec("1.123456") }, nil},
		{"seven decimals price", func(p *Product) { p.Price = dec("1.1234567") }, []string{"Price"}},
		{"negative price", func(p *Product) { p.Price = dec("-1") }, []string{"Price"}},
		{"no code", func(p *Product) { p.Code = "" }, []string{"Code"}},
		{"no description", func(p *Product) { p.Description = "" }, []string{"Description"}},
		{"unknown prodserv", func(p *Product) { p.ClaveProdServ = "99999999" }, []string{"ClaveProdServ"}},
		{"unknown unidad", func(p *Product) { p.ClaveUnidad = "ZZZ" }, []string{"ClaveUnidad"}},
		{"unknown objeto", func(p *Product) { p.ObjetoImp = "09" }, []string{"ObjetoImp"}},
		{"exento", func(p *Product) { p.Taxes = Taxes{IVAExento: true} }, nil},
		{"exento with rate", func(p *Product) { p.Taxes = Taxes{IVAExento: true, IVATasa: dec("0.16")} }, []string{"Taxes.IVATasa"}},
		{"iva 8 percent", func(p *Product) { p.Taxes.IVATasa = dec("0.08") }, nil},
		{"iva as percentage", func(p *Product) { p.Taxes.IVATasa = dec("16") }, []string{"Taxes.IVATasa"}},
		{"ieps tasa", func(p *Product) { p.Taxes.IEPSFactor, p.Taxes.IEPSValor = FactorTasa, dec("0.265") }, nil},
		{"ieps cuota", func(p *Product) { p.Taxes.IEPSFactor, p.Taxes.IEPSValor = FactorCuota, dec("6.4555") }, nil},
		{"ieps tasa 160 percent", func(p *Product) { p.Taxes.IEPSFactor, p.Taxes.IEPSValor = FactorTasa, dec("1.6") }, nil},
		{"ieps tasa not in catalog", func(p *Product) { p.Taxes.IEPSFactor, p.Taxes.IEPSValor = FactorTasa, dec("3") }, []string{"Taxes.IEPSValor"}},
		{"iva 10 percent not in catalog", func(p *Product) { p.Taxes.IVATasa = dec("0.10") }, []string{"Taxes.IVATasa"}},
		{"ieps value without factor", func(p *Product) { p.Taxes.IEPSValor = dec("0.08") }, []string{"Taxes.IEPSFactor"}},
		{"ieps bad factor", func(p *Product) { p.Taxes.IEPSFactor = "Exento" }, []string{"Taxes.IEPSFactor"}},
		{"withholdings", func(p *Product) { p.Taxes.RetIVA, p.Taxes.RetISR = dec("0.106667"), dec("0.10") }, nil},
		{"ret isr too big", func(p *Product) { p.Taxes.RetISR = dec("0.5") }, []string{"Taxes.RetISR"}},
		{"no objeto with taxes", func(p *Product) { p.ObjetoImp = "01" }, []string{"ObjetoImp"}},
		{"no objeto without taxes", func(p *Product) { p.ObjetoImp = "01"; p.Taxes = Taxes{} }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validProduct()
			tt.edit(&p)
			p.Normalize()
			checkFields(t, p.Validate(fakeCatalogs{}), tt.fields)
		})
	}
}
