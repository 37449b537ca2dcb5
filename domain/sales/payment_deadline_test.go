package sales

import (
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

// TestReceiptDeadline: the fifth day of the month after the payment, in
// Mexico City, whatever the payment's day and the year's end.
func TestReceiptDeadline(t *testing.T) {
	t.Parallel()
	mx := func(y int, m time.Month, d, h int) time.Time {
		return time.Date(y, m, d, h, 0, 0, 0, domain.MexicoCity)
	}
	tests := []struct {
		paid time.Time
		want string
	}{
		{mx(2026, 11, 1, 9), "2026-12-05 23:59:59"},
		{mx(2026, 11, 30, 23), "2026-12-05 23:59:59"},
		{mx(2026, 12, 15, 12), "2027-01-05 23:59:59"},
		// 00:30 UTC on 1 Dec is still 30 Nov in Mexico City.
		{time.Date(2026, 12, 1, 0, 30, 0, 0, time.UTC), "2026-12-05 23:59:59"},
	}
	for _, tt := range tests {
		if got := ReceiptDeadline(tt.paid).Format("2006-01-02 15:04:05"); got != tt.want {
			t.Errorf("ReceiptDeadline(%v) = %s, want %s", tt.paid, got, tt.want)
		}
	}
}

// TestDeadlineWarning: nothing until three days before the deadline, then
// a warning naming the most urgent receipt; past the deadline it says so.
func TestDeadlineWarning(t *testing.T) {
	t.Parallel()
	paid := time.Date(2026, 11, 20, 12, 0, 0, 0, domain.MexicoCity) // deadline 5 Dec
	p := []PendingReceipt{{Serie: "P", Folio: 2, FechaPago: paid}, {Serie: "P", Folio: 1, FechaPago: paid.AddDate(0, 1, 0)}}
	if w := DeadlineWarning(p, time.Date(2026, 12, 1, 12, 0, 0, 0, domain.MexicoCity)); w != "" {
		t.Errorf("four days before: %q", w)
	}
	w := DeadlineWarning(p, time.Date(2026, 12, 3, 12, 0, 0, 0, domain.MexicoCity))
	if !strings.Contains(w, "P-2") || !strings.Contains(w, "05/12/2026") || !strings.HasPrefix(w, "1 ") {
		t.Errorf("two days before: %q", w)
	}
	if w := DeadlineWarning(p, time.Date(2026, 12, 6, 12, 0, 0, 0, domain.MexicoCity)); !strings.Contains(w, "pasaron su plazo") {
		t.Errorf("after: %q", w)
	}
}
