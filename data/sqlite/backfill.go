package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"

	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
)

// backfill runs the data steps that a migration asked for in
// pending_backfills and that SQL alone cannot do, then removes them. Each
// batch is one transaction, so an interrupted backfill resumes where it
// stopped on the next Open.
func (s *Store) backfill(ctx context.Context) error {
	var n int
	if err := s.w.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'pending_backfills'`).Scan(&n); err != nil || n == 0 {
		return err
	}
	// In name order: document_amounts before receivable_balances, which
	// recomputes balances from the amounts the first one stores.
	rows, err := s.w.QueryContext(ctx, `SELECT name FROM pending_backfills ORDER BY name`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		names = append(names, name)
	}
	rows.Close()
	for _, name := range names {
		switch name {
		case "document_amounts":
			if err := s.backfillAmounts(ctx); err != nil {
				return fmt.Errorf("backfill %s: %w", name, err)
			}
		case "receivable_balances":
			if err := s.WriteTx(ctx, func(tx *sql.Tx) error { return recomputeOpen(ctx, tx) }); err != nil {
				return fmt.Errorf("backfill %s: %w", name, err)
			}
		}
		if _, err := s.w.ExecContext(ctx, `DELETE FROM pending_backfills WHERE name = ?`, name); err != nil {
			return err
		}
	}
	return nil
}

// backfillAmounts reads, from the sealed XML of every document posted before
// migration 0027, its amounts, taxes and relations (the XML is the fiscal
// truth: design decision 2), 500 documents per transaction.
func (s *Store) backfillAmounts(ctx context.Context) error {
	const batch = 500
	last := int64(0)
	for {
		done := 0
		err := s.WriteTx(ctx, func(tx *sql.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT i.id, d.sealed_xml FROM invoices i JOIN documents d ON d.id = i.document_id
				WHERE i.id > ? AND i.total_micro IS NULL ORDER BY i.id LIMIT ?`, last, batch)
			if err != nil {
				return err
			}
			type item struct {
				id  int64
				xml []byte
			}
			var items []item
			for rows.Next() {
				var it item
				if err := rows.Scan(&it.id, &it.xml); err != nil {
					rows.Close()
					return err
				}
				items = append(items, it)
			}
			rows.Close()
			for _, it := range items {
				last, done = it.id, done+1
				c, err := cfdi.Parse(it.xml)
				if err != nil {
					slog.Warn("backfill amounts: unreadable sealed xml", "invoice", it.id, "err", err)
					continue
				}
				a, rels, err := sales.AmountsFromCFDI(c)
				if err != nil {
					slog.Warn("backfill amounts", "invoice", it.id, "err", err)
					continue
				}
				if err := writeAmounts(ctx, tx, it.id, a); errors.Is(err, errNotMicro) {
					// A document from elsewhere with more decimals than Folio
					// stores: it stays out of the sums rather than keeping the
					// database from opening.
					slog.Warn("backfill amounts: not stored", "invoice", it.id, "err", err)
					continue
				} else if err != nil {
					return err
				}
				for i := range rels {
					err := tx.QueryRowContext(ctx, `SELECT id FROM invoices WHERE uuid = ?`, rels[i].UUID).Scan(&rels[i].DocumentID)
					if err != nil && !errors.Is(err, sql.ErrNoRows) {
						return fmt.Errorf("find related %s: %w", rels[i].UUID, err)
					}
				}
				if err := insertRelations(ctx, tx, it.id, rels); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if done < batch {
			return nil
		}
	}
}
