package sales

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

func TestInvoiceCheckSavable(t *testing.T) {
	t.Parallel()
	line := Line{Cantidad: decimal.NewFromInt(1), ValorUnitario: decimal.NewFromInt(10), Descripcion: "x"}
	tests := []struct {
		name string
		inv  Invoice
		want []string // fields reported
	}{
		// An empty invoice says everything it lacks (issue "A window that
		// tells the truth": saving it used to report an unexpected error).
		{"empty", Invoice{}, []string{"CustomerID"}},
		{"no customer", Invoice{Lines: []Line{line}}, []string{"CustomerID"}},
		{"no lines", Invoice{CustomerID: 3}, nil},
		{"customer by RFC", Invoice{Customer: Customer{RFC: "XAXX010101000"}, Lines: []Line{line}}, nil},
		{"complete", Invoice{CustomerID: 3, Lines: []Line{line}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.inv.CheckSavable()
			got := FieldErrors(err)
			if len(got) != len(tt.want) {
				t.Fatalf("CheckSavable() fields = %v, want %v", got, tt.want)
			}
			for _, f := range tt.want {
				if got[f] == "" {
					t.Errorf("CheckSavable() lacks %s: %v", f, got)
				}
			}
			if err != nil && !domain.IsKind(err, domain.Invalid) {
				t.Errorf("KindOf = %v, want Invalid", domain.KindOf(err))
			}
		})
	}
}
