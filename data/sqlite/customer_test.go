package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// salesClock is the fixed "now" of the sales store tests.
var salesClock = time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)

// openSalesStore opens a migrated store in a temporary folder.
func openSalesStore(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "folio.db"), Options{Now: func() time.Time { return salesClock }})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func mustCreateCustomer(tb testing.TB, s *Store, c sales.Customer) sales.Customer {
	tb.Helper()
	c.Normalize()
	if err := s.CreateCustomer(context.Background(), &c); err != nil {
		tb.Fatalf("CreateCustomer(%s): %v", c.RFC, err)
	}
	return c
}

func TestCustomerRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	// Given a customer with every field set.
	in := sales.Customer{RFC: "URE180429TM6", Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601",
		CodigoPostal: "86991", UsoCFDI: "G01", FormaPago: "99", MetodoPago: "PPD",
		Emails: []string{"a@example.com", "b@example.com"}, CreditDays: 30,
		CreditLimit:  decimal.RequireFromString("12345678901234567.89"),
		RetencionIVA: decimal.RequireFromString("0.106667"), RetencionISR: decimal.RequireFromString("0.1"),
		Notes: "nota", Active: true}
	c := mustCreateCustomer(t, s, in)
	// When it is read back.
	got, err := s.FindCustomerByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Then nothing is lost, large amounts included (TEXT, not REAL).
	if got.Name != in.Name || got.RFC != in.RFC || len(got.Emails) != 2 || got.CreditDays != 30 ||
		!got.CreditLimit.Equal(in.CreditLimit) || !got.RetencionIVA.Equal(in.RetencionIVA) ||
		got.CreditLimit.String() != "12345678901234567.89" || !got.CreatedAt.Equal(salesClock) {
		t.Errorf("FindCustomerByID = %+v, want %+v", got, in)
	}
	// Update and deactivate.
	got.Name = "UNIVERSIDAD ROBOTICA ESPAÑOLA DEL NORTE"
	if err := s.UpdateCustomer(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCustomerActive(ctx, got.ID, false); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindCustomerByID(ctx, got.ID)
	if again.Name != got.Name || again.Active {
		t.Errorf("after update = %q active %v", again.Name, again.Active)
	}
	if _, err := s.FindCustomerByID(ctx, 999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("missing customer: %v, want NotFound", err)
	}
	missing := sales.Customer{ID: 999, RFC: "X", Name: "X"}
	if err := s.UpdateCustomer(ctx, &missing); domain.KindOf(err) != domain.NotFound {
		t.Errorf("update missing: %v, want NotFound", err)
	}
}

func TestFindCustomers(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	for _, c := range sales.DemoCustomers() {
		mustCreateCustomer(t, s, c)
	}
	inactive := mustCreateCustomer(t, s, sales.Customer{RFC: "MAG041126GT8", Name: "MAGNÍFICOS DE GUADALAJARA",
		RegimenFiscal: "601", CodigoPostal: "44100", UsoCFDI: "G03", Active: true})
	if err := s.SetCustomerActive(ctx, inactive.ID, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		f    sales.CustomerFilter
		want []string // RFCs in order
	}{
		{"all active by name", sales.CustomerFilter{}, []string{"XEXX010101000", "XAXX010101000", "URE180429TM6", "CACX7605101P8"}},
		{"word prefix", sales.CustomerFilter{Query: "robo"}, []string{"URE180429TM6"}},
		{"accent-insensitive", sales.CustomerFilter{Query: "espanola"}, []string{"URE180429TM6"}},
		{"accent in query", sales.CustomerFilter{Query: "Chávez"}, []string{"CACX7605101P8"}},
		{"two words", sales.CustomerFilter{Query: "casas xoch"}, []string{"CACX7605101P8"}},
		{"rfc prefix", sales.CustomerFilter{Query: "cacx76"}, []string{"CACX7605101P8"}},
		{"inactive hidden", sales.CustomerFilter{Query: "magnificos"}, nil},
		{"inactive shown", sales.CustomerFilter{Query: "magnificos", IncludeInactive: true}, []string{"MAG041126GT8"}},
		{"fts syntax is inert", sales.CustomerFilter{Query: `"rob" OR name:*`}, nil},
		{"no match", sales.CustomerFilter{Query: "zzzz"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.FindCustomers(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var rfcs []string
			for _, c := range got {
				rfcs = append(rfcs, c.RFC)
			}
			if len(rfcs) != len(tt.want) {
				t.Fatalf("FindCustomers(%+v) = %v, want %v", tt.f, rfcs, tt.want)
			}
			for i := range rfcs {
				if rfcs[i] != tt.want[i] {
					t.Fatalf("FindCustomers(%+v) = %v, want %v", tt.f, rfcs, tt.want)
				}
			}
		})
	}
}
