package wire

import (
	"context"
	"database/sql"
	"reflect"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

// TestStatementMovementsAgree: a customer's whole history (Movements,
// which checks notes and payments against the invoices it read instead of
// joining them) equals the same movements read for a period that holds
// them all (MovementsBetween, which joins), with a cancelled invoice whose
// payment no longer counts, an invoice paid for another receptor ("Cuenta
// x cobrar a") and a note and a payment at their invoice's instant, which
// follow it.
func TestStatementMovementsAgree(t *testing.T) {
	const n = 40
	asOf := time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)
	s, rfc, customerID := seedStatement(t, n, asOf)
	ctx := context.Background()
	other := sales.DemoCustomers()[0]
	if err := s.CreateCustomer(ctx, &other); err != nil {
		t.Fatal(err)
	}
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`UPDATE invoices SET state = 'cancelled', status = 'cancelled' WHERE id = 3`, nil},
			{`UPDATE invoices SET customer_id = ?, collect_from = ? WHERE id IN (7, ?)`, []any{other.ID, customerID, n + 7}},
			{`UPDATE invoices SET fecha = (SELECT fecha FROM invoices WHERE id = 2) WHERE id IN (?, ?)`, []any{n + 2, 2*n + 2}},
		} {
			if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Movements(ctx, rfc, customerID)
	if err != nil {
		t.Fatal(err)
	}
	before, between, err := s.MovementsBetween(ctx, rfc, customerID, "MXN", time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), asOf.AddDate(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if !before.IsZero() || !reflect.DeepEqual(all, between) {
		t.Fatalf("whole history (%d) differs from the period holding it (%d, before %s)", len(all), len(between), before)
	}
	if want := n*5/2 - 2; len(all) != want {
		t.Errorf("%d movements, want %d (the cancelled invoice and its payment left out)", len(all), want)
	}
	docs := map[int64]receivables.MovementKind{}
	for i, m := range all {
		docs[m.DocumentID] = m.Kind
		if i > 0 && all[i-1].Fecha.After(m.Fecha) {
			t.Errorf("movement %d (%s %d) before the previous one's date", i, m.Kind, m.DocumentID)
		}
		if m.Kind != receivables.Invoice && (m.InvoiceRef == "" || m.DueDate.IsZero() || m.Moneda != "MXN") {
			t.Errorf("%s %d lacks its invoice's reference, due date or currency: %+v", m.Kind, m.DocumentID, m)
		}
	}
	for _, id := range []int64{3, n + 3} {
		if _, ok := docs[id]; ok {
			t.Errorf("document %d of the cancelled invoice listed", id)
		}
	}
	for _, id := range []int64{7, n + 7} {
		if _, ok := docs[id]; !ok {
			t.Errorf("document %d of the invoice paid for another receptor missing", id)
		}
	}
	for i, m := range all {
		if m.DocumentID == 2 {
			if i+2 >= len(all) || all[i+1].DocumentID != 2*n+2 || all[i+2].DocumentID != n+2 {
				t.Errorf("at invoice 2's instant, want invoice 2, note %d, payment %d in that order", 2*n+2, n+2)
			}
		}
	}
}
