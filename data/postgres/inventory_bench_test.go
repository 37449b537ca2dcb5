package postgres

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/inventory"
)

// seedStock fills a fresh database, directly in SQL, with products tracked
// in two warehouses and moves movements spread over them (purchases and
// sales), each product×warehouse level their sum, as the SQLite store's
// benchmark seeds its file (data/sqlite/inventory_bench_test.go).
func seedStock(b *testing.B, products, moves int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, NewTestDatabase(b), Options{Now: func() time.Time { return salesClock },
		SecretPath: filepath.Join(b.TempDir(), "bench.secret")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := salesTimeText(salesClock)
	err = s.WriteTx(ctx, func(tx *Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO warehouses (issuer, name, is_default, created_at) VALUES (?1, 'Matriz', true, ?2), (?1, 'Sucursal', false, ?2)`,
				[]any{testIssuer, now}},
			{`INSERT INTO products (code, description, clave_prod_serv, clave_unidad, price, objeto_imp, track_stock, min_stock, created_at, updated_at)
			SELECT format('P%s', lpad(i::text, 6, '0')), format('PRODUCTO %s', lpad(i::text, 6, '0')), '43211503', 'H87', 100, '02',
				true, 5, ?1::timestamptz, ?1::timestamptz FROM generate_series(1, ?2::int) i`, []any{now, products}},
			{`INSERT INTO stock_movements (issuer, product_id, warehouse_id, kind, qty_micro, cost_micro, fecha)
			SELECT ?1, 1 + (i::bigint * 7919) % ?2::int, 1 + i % 2, CASE WHEN i % 3 = 0 THEN 'venta' ELSE 'compra' END,
				CASE WHEN i % 3 = 0 THEN -1000000 ELSE 2000000 END, 50000000,
				to_timestamp(1700000000 + i::bigint * 10) FROM generate_series(1, ?3::int) i`, []any{testIssuer, products, moves}},
			{`INSERT INTO stock_levels (product_id, warehouse_id, qty_micro, avg_cost_micro)
			SELECT product_id, warehouse_id, sum(qty_micro), 50000000 FROM stock_movements GROUP BY product_id, warehouse_id`, nil},
			{`ANALYZE products, stock_movements, stock_levels, warehouses`, nil},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("%.60s: %w", q.sql, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed stock: %v", err)
	}
	return s
}

// BenchmarkStock is the SQLite store's BenchmarkStock on the server: over
// 100,000 products tracked in two warehouses and 2,000,000 movements
// (seeded once):
//   - on-hand: one 50-row page of stock on hand, from the start and from
//     cursors spread over the catalog, the way the stock screen pages.
//   - movements: one 50-row page of a month of movements with their
//     documents, newest first.
//   - short: the products below their minimum.
func BenchmarkStock(b *testing.B) {
	s := seedStock(b, 100_000, 2_000_000)
	ctx := context.Background()
	b.Run("on-hand", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f := inventory.LevelFilter{Issuer: testIssuer, Limit: 50}
			if i%2 == 1 {
				f.AfterCode = fmt.Sprintf("P%06d", (i*37)%100_000)
			}
			rows, err := s.OnHand(ctx, f)
			if err != nil || len(rows) == 0 {
				b.Fatalf("page %d: %d rows, %v", i, len(rows), err)
			}
		}
	})
	b.Run("movements", func(b *testing.B) {
		from := time.Unix(1700000000+5_000_000, 0)
		for i := 0; i < b.N; i++ {
			rows, err := s.StockMovements(ctx, inventory.MovementFilter{Issuer: testIssuer, From: from, To: from.AddDate(0, 1, 0), Limit: 50})
			if err != nil || len(rows) != 50 {
				b.Fatalf("page: %d rows, %v", len(rows), err)
			}
		}
	})
	b.Run("short", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := s.Short(ctx, testIssuer, 50); err != nil {
				b.Fatal(err)
			}
		}
	})
}
