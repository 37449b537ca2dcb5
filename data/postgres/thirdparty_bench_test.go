package postgres

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/thirdparty"
)

// BenchmarkThirdPartyBalances: the PostgreSQL counterpart of the SQLite
// store's BenchmarkThirdPartyBalances100k over FOLIO_BENCH_INVOICES
// invoices (default 20000; three concepts each, the third of one in three
// billed on behalf of one of two third parties), in a database of its own:
// the balances screen over a year and the whole history (the payout's
// check), and the sales book of a month, through thirdparty.Service.
func BenchmarkThirdPartyBalances(b *testing.B) {
	ctx := context.Background()
	benchServer(b)
	s, err := Open(ctx, NewTestDatabase(b), Options{Now: func() time.Time { return salesClock },
		SecretPath: filepath.Join(b.TempDir(), "bench.secret"), MaxConns: 4})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if err := seedInvoices(ctx, s, testIssuer, benchInvoices(), salesClock); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for _, tp := range [][2]string{{"CACX7605101P8", "612"}, {"IIA040805DZ4", "601"}} {
		p := sales.ThirdParty{Issuer: testIssuer, RFC: tp[0], Name: "TERCERO " + tp[0], RegimenFiscal: tp[1], CodigoPostal: "36257", Active: true}
		if err := s.CreateThirdParty(ctx, &p); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if _, err := s.WriteDB().ExecContext(ctx, `UPDATE invoice_lines SET third_party_id = CASE WHEN invoice_id % 2 = 0 THEN ?::bigint ELSE ?::bigint END,
		tp_rfc = 'CACX7605101P8' WHERE n = 3 AND invoice_id % 3 = 0`, ids[0], ids[1]); err != nil {
		b.Fatal(err)
	}
	if _, err := s.WriteDB().ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		b.Fatal(err)
	}
	svc := &thirdparty.Service{Store: s, Decimals: cats.MonedaDecimals}
	for _, bc := range []struct {
		name string
		from time.Time
	}{{"year", salesClock.AddDate(-1, 0, 0)}, {"all", time.Time{}}} {
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
			book, err := svc.SalesBook(ctx, testIssuer, salesClock)
			if err != nil {
				b.Fatal(err)
			}
			rows = len(book.Rows)
		}
		b.ReportMetric(float64(rows), "rows")
	})
}
