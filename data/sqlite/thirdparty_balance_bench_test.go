package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
)

// seedThirdPartyStore seeds 100,000 invoices over three years (3 concepts
// each) and bills the third concept of one in three on behalf of one of
// two third parties.
func seedThirdPartyStore(b *testing.B) (*thirdparty.Service, time.Time) {
	b.Helper()
	ctx := context.Background()
	until := time.Date(2026, 11, 30, 18, 0, 0, 0, time.UTC)
	s := openSalesStore(b)
	if err := s.SeedInvoices(ctx, SeedOptions{Issuer: testIssuer, Invoices: 100_000, Until: until, Seed: 13}); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for _, tp := range [][2]string{{"CACX7605101P8", "612"}, {"IIA040805DZ4", "601"}} {
		p := mustCreateThirdParty(b, s, sales.ThirdParty{Issuer: testIssuer, RFC: tp[0], Name: "TERCERO " + tp[0],
			RegimenFiscal: tp[1], CodigoPostal: "36257", Active: true})
		ids = append(ids, p.ID)
	}
	if _, err := s.WriteDB().ExecContext(ctx, `UPDATE invoice_lines SET third_party_id = CASE WHEN invoice_id % 2 = 0 THEN ? ELSE ? END,
		tp_rfc = 'CACX7605101P8' WHERE n = 3 AND invoice_id % 3 = 0`, ids[0], ids[1]); err != nil {
		b.Fatal(err)
	}
	if _, err := s.WriteDB().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return &thirdparty.Service{Store: s, Decimals: testCatalogs(b).MonedaDecimals}, until
}

// BenchmarkThirdPartyBalances100k: the balances screen over 100,000
// invoices, one in three with a third-party concept: a year of them, and
// the whole history (for the payout's check), computed from the concepts.
func BenchmarkThirdPartyBalances100k(b *testing.B) {
	svc, until := seedThirdPartyStore(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		from time.Time
	}{{"year", until.AddDate(-1, 0, 0)}, {"all", time.Time{}}} {
		b.Run(bc.name, func(b *testing.B) {
			docs := 0
			for b.Loop() {
				rep, err := svc.Balances(ctx, testIssuer, bc.from, time.Time{}, 0)
				if err != nil {
					b.Fatal(err)
				}
				docs = len(rep.Docs)
			}
			b.ReportMetric(float64(docs), "docs")
		})
	}
	b.Run("sales book of a month", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			book, err := svc.SalesBook(ctx, testIssuer, until)
			if err != nil {
				b.Fatal(err)
			}
			rows = len(book.Rows)
		}
		b.ReportMetric(float64(rows), "rows")
	})
}

func mustCreateThirdParty(tb testing.TB, s *Store, p sales.ThirdParty) sales.ThirdParty {
	tb.Helper()
	svc := &sales.ThirdParties{Store: s, Catalogs: testCatalogs(tb)}
	if err := svc.Create(context.Background(), &p); err != nil {
		tb.Fatalf("Create third party %s: %v", p.RFC, err)
	}
	return p
}
