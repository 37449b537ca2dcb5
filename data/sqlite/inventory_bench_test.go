package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/inventory"
)

// seedStock fills a fresh store, directly in SQL, with products tracked in
// two warehouses and moves movements spread over them (purchases and
// sales), with each product×warehouse level their sum, as Apply leaves
// them.
func seedStock(b testing.TB, products, moves int) *Store {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "stock.db"), Options{Now: func() time.Time { return salesClock }})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	now := salesTimeText(salesClock)
	err = s.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`INSERT INTO warehouses (issuer, name, is_default, created_at) VALUES (?1, 'Matriz', 1, ?2), (?1, 'Sucursal', 0, ?2)`,
			`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?3)
			INSERT INTO products (code, description, clave_prod_serv, clave_unidad, price, objeto_imp, track_stock, min_stock, created_at, updated_at)
			SELECT printf('P%06d', i), printf('PRODUCTO %06d', i), '43211503', 'H87', '100', '02', 1, '5', ?2, ?2 FROM k`,
			`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?4)
			INSERT INTO stock_movements (issuer, product_id, warehouse_id, kind, qty_micro, cost_micro, fecha)
			SELECT ?1, 1 + (i * 7919) % ?3, 1 + i % 2, CASE WHEN i % 3 = 0 THEN 'venta' ELSE 'compra' END,
				CASE WHEN i % 3 = 0 THEN -1000000 ELSE 2000000 END, 50000000,
				strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i * 10, 'unixepoch') FROM k`,
			`INSERT INTO stock_levels (product_id, warehouse_id, qty_micro, avg_cost_micro)
			SELECT product_id, warehouse_id, sum(qty_micro), 50000000 FROM stock_movements GROUP BY product_id, warehouse_id`,
		} {
			if _, err := tx.ExecContext(ctx, q, testIssuer, now, products, moves); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed stock: %v", err)
	}
	if _, err := s.w.ExecContext(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkStock: over 100,000 products tracked in two warehouses and
// 2,000,000 movements (seeded once):
//   - on-hand: one 50-row page of stock on hand (product, warehouse,
//     quantity, average cost), from the start and from cursors spread over
//     the catalog, the way the stock screen pages. Target: under 50 ms.
//   - movements: one 50-row page of a month of movements with their
//     documents, newest first.
//   - short: the products below their minimum.
func BenchmarkStock(b *testing.B) {
	s := seedStock(b, 100_000, 2_000_000)
	ctx := context.Background()
	var n int
	if err := s.ReadDB().QueryRow(`SELECT count(*) FROM stock_movements`).Scan(&n); err != nil || n != 2_000_000 {
		b.Fatalf("seeded %d movements, %v", n, err)
	}
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
