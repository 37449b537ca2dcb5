package sales

import (
	"testing"
)

func TestSaleDetailsValidate(t *testing.T) {
	t.Parallel()
	seller := func(name, pct string) SellerShare { return SellerShare{Name: name, Percent: dec(pct)} }
	tests := []struct {
		name   string
		d      SaleDetails
		fields []string // nil = valid
	}{
		{"empty", SaleDetails{}, nil},
		{"every incoterm", SaleDetails{Shipping: Shipping{Incoterm: "fob"}}, nil},
		{"unknown incoterm", SaleDetails{Shipping: Shipping{Incoterm: "FOQ"}}, []string{"Details.Shipping.Incoterm"}},
		{"sellers up to 100", SaleDetails{Sellers: []SellerShare{seller("ANA", "60"), seller("LUIS", "40")}}, nil},
		{"zero percent", SaleDetails{Sellers: []SellerShare{seller("ANA", "0")}}, nil},
		{"two decimals", SaleDetails{Sellers: []SellerShare{seller("ANA", "33.33"), seller("LUIS", "66.67")}}, nil},
		{"over 100 in sum", SaleDetails{Sellers: []SellerShare{seller("ANA", "60"), seller("LUIS", "40.01")}}, []string{"Details.Sellers"}},
		{"over 100 alone", SaleDetails{Sellers: []SellerShare{seller("ANA", "100.5")}},
			[]string{"Details.Sellers[0].Percent", "Details.Sellers"}},
		{"negative", SaleDetails{Sellers: []SellerShare{seller("ANA", "-1")}}, []string{"Details.Sellers[0].Percent"}},
		{"three decimals", SaleDetails{Sellers: []SellerShare{seller("ANA", "10.125")}}, []string{"Details.Sellers[0].Percent"}},
		{"unnamed seller", SaleDetails{Sellers: []SellerShare{seller(" ", "10")}}, []string{"Details.Sellers[0].Name"}},
		{"negative collect from", SaleDetails{CollectFromID: -3}, []string{"Details.CollectFromID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.d
			d.Normalize()
			checkFields(t, d.Validate(), tt.fields)
		})
	}
}

func TestIncoterms(t *testing.T) {
	t.Parallel()
	for _, k := range Incoterms {
		d := SaleDetails{Shipping: Shipping{Incoterm: " " + k + " "}}
		d.Normalize()
		if err := d.Validate(); err != nil {
			t.Errorf("Incoterm %s: %v", k, err)
		}
	}
}

func TestInvoiceDetailsInValidateDraft(t *testing.T) {
	t.Parallel()
	inv := Invoice{Issuer: "EKU9003173C9", Terms: Contado, TipoDeComprobante: TipoIngreso,
		Details: &SaleDetails{Shipping: Shipping{Incoterm: "XYZ"}},
		Lines:   []Line{{Cantidad: dec("1"), ValorUnitario: dec("1"), ThirdParty: &ThirdPartyRef{RFC: "CACX7605101P8"}}}}
	inv.Normalize()
	checkFields(t, inv.ValidateDraft(), []string{"Details.Shipping.Incoterm", "Lines[0].ThirdParty"})
}

func TestReceivableCustomerID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    *SaleDetails
		want int64
	}{
		{"no details", nil, 5},
		{"details without collect from", &SaleDetails{Seller: "ANA"}, 5},
		{"collect from another", &SaleDetails{CollectFromID: 9}, 9},
	}
	for _, tt := range tests {
		inv := Invoice{CustomerID: 5, Details: tt.d}
		if got := inv.ReceivableCustomerID(); got != tt.want {
			t.Errorf("%s: ReceivableCustomerID() = %d, want %d", tt.name, got, tt.want)
		}
	}
}
