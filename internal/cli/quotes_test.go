package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// TestCLIQuote: `folio cotizacion lista` lists the active company's quotes
// with their status and total (and filters by status), `pdf` writes one,
// `facturar` turns the accepted one into an invoice draft and refuses an
// open one; bad usage exits 2.
func TestCLIQuote(t *testing.T) {
	db := seedDemoDB(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	co, err := s.ActiveCompany(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := s.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429TM6"})
	ps, _ := s.FindProducts(ctx, sales.ProductFilter{Query: "LAP-14"})
	if len(cs) == 0 || len(ps) == 0 {
		t.Fatal("demo customer or product missing")
	}
	svc := &quotes.Service{Store: s}
	for range 2 {
		q := quotes.Quote{Issuer: co.RFC, ValidUntil: quotes.DefaultValidUntil(time.Now()),
			Doc: sales.Invoice{CustomerID: cs[0].ID, Customer: cs[0], Moneda: "MXN", Terms: sales.Credito, UsoCFDI: "G01", FormaPago: "99",
				Lines: []sales.Line{sales.LineFromProduct(&ps[0], decimal.NewFromInt(2))}}}
		if err := svc.Save(ctx, &q); err != nil {
			t.Fatal(err)
		}
	}
	if err := svc.Accept(ctx, 2); err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errOut := runCLI(t, "--db", db, "cotizacion", "lista")
	if code != 0 || !strings.Contains(out, "2\t") || !strings.Contains(out, "Aceptada\tURE180429TM6 UNIVERSIDAD ROBOTICA ESPAÑOLA\t$37,117.68 MXN") ||
		!strings.Contains(out, "Abierta\t") {
		t.Fatalf("lista: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "--db", db, "cotizacion", "lista", "--estado", "aceptada"); code != 0 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "2\t") {
		t.Errorf("lista --estado aceptada: code %d\n%s", code, out)
	}
	file := filepath.Join(t.TempDir(), "c.pdf")
	if code, out, errOut := runCLI(t, "--db", db, "cotizacion", "pdf", "1", "-o", file); code != 0 || !strings.Contains(out, "Cotización 1") {
		t.Fatalf("pdf: code %d\n%s\n%s", code, out, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("the PDF written: %v", err)
	}
	if code, _, errOut := runCLI(t, "--db", db, "cotizacion", "facturar", "1"); code != 1 || !strings.Contains(errOut, "aceptada") {
		t.Errorf("facturar an open quote: code %d %s", code, errOut)
	}
	if code, out, errOut := runCLI(t, "--db", db, "cotizacion", "facturar", "2"); code != 0 || !strings.Contains(out, "Cotización 2 facturada") || !strings.Contains(out, "(conceptos: 1)") {
		t.Fatalf("facturar: code %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := runCLI(t, "--db", db, "cotizacion", "lista", "--estado", "facturada"); code != 0 || !strings.HasPrefix(out, "2\t") {
		t.Errorf("lista --estado facturada: code %d\n%s", code, out)
	}
	if code, _, errOut := runCLI(t, "--db", db, "cotizacion", "pdf", "9", "-o", file); code != 1 || !strings.Contains(errOut, "no existe") {
		t.Errorf("pdf of a quote that does not exist: code %d %s", code, errOut)
	}
	for _, args := range [][]string{{"cotizacion"}, {"cotizacion", "pdf", "1"}, {"cotizacion", "facturar"}, {"cotizacion", "borrar", "1"}} {
		if code, _, _ := runCLI(t, append([]string{"--db", db}, args...)...); code != 2 {
			t.Errorf("%v: code %d, want 2", args, code)
		}
	}
}
