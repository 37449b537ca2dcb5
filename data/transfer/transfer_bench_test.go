package transfer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/data/transfer"
)

// benchInstallation is a file with FOLIO_BENCH_INVOICES seeded invoices
// (default 5000, 3 lines each) copied to a server database.
func benchInstallation(b *testing.B) (*sqlite.Store, *postgres.Store, int) {
	b.Helper()
	ctx := context.Background()
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("FOLIO_BENCH_INVOICES")); err == nil && v > 0 {
		n = v
	}
	dsn := postgres.NewTestDatabase(b)
	src := sqlite.MustOpenTest(b)
	if err := src.SeedInvoices(ctx, sqlite.SeedOptions{Issuer: "EKU9003173C9", Invoices: n, Seed: 7,
		Until: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatal(err)
	}
	server, err := postgres.Open(ctx, dsn, postgres.Options{SecretPath: filepath.Join(b.TempDir(), "k")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { server.Close() })
	return src, server, n
}

func rows(rep transfer.Report) int {
	n := 0
	for _, c := range rep.Rows {
		n += c
	}
	return n
}

// BenchmarkToPostgres moves the seeded installation to a new server
// database per iteration (folio migrate --to postgres://…).
func BenchmarkToPostgres(b *testing.B) {
	src, _, n := benchInstallation(b)
	ctx := context.Background()
	total := 0
	for b.Loop() {
		b.StopTimer()
		dst, err := postgres.Open(ctx, postgres.NewTestDatabase(b), postgres.Options{SecretPath: filepath.Join(b.TempDir(), "k")})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := transfer.ToPostgres(ctx, src, dst, transfer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		total += rows(rep)
		b.StopTimer()
		dst.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(n), "invoices")
}

// BenchmarkToSQLite exports the server's installation to a new file per
// iteration: `folio backup` without pg_dump, and `folio migrate --to
// archivo.db`.
func BenchmarkToSQLite(b *testing.B) {
	src, server, n := benchInstallation(b)
	ctx := context.Background()
	if _, err := transfer.ToPostgres(ctx, src, server, transfer.Options{}); err != nil {
		b.Fatal(err)
	}
	total, i := 0, 0
	for b.Loop() {
		b.StopTimer()
		i++
		dst, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("copia-%d.db", i)), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := transfer.ToSQLite(ctx, server, dst, nil)
		if err != nil {
			b.Fatal(err)
		}
		total += rows(rep)
		b.StopTimer()
		dst.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(n), "invoices")
}
