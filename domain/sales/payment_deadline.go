package sales

import (
	"fmt"
	"time"

	"github.com/folio-mx/folio/domain"
)

// DeadlineWarningDays is how many days before a payment receipt's deadline
// the window starts warning.
const DeadlineWarningDays = 3

// ReceiptDeadline is the last moment to have the payment receipt of a
// payment received at fechaPago stamped: SAT expects the complemento de
// pago by the fifth calendar day of the month after the one in which the
// payment was received (the Guía de llenado of the Pagos 2.0 complement),
// i.e. the end of the 5th day of the next month in Mexico City.
func ReceiptDeadline(fechaPago time.Time) time.Time {
	y, m, _ := fechaPago.In(domain.MexicoCity).Date()
	return time.Date(y, m+1, 5, 23, 59, 59, 0, domain.MexicoCity)
}

// PendingReceipt is a posted payment receipt not stamped yet (sealed and
// queued, or rejected by the PAC), with the day its payment was received.
type PendingReceipt struct {
	ID        int64
	Issuer    string
	Serie     string
	Folio     int64
	FechaPago time.Time
	State     State
}

// Deadline is the receipt's ReceiptDeadline.
func (p PendingReceipt) Deadline() time.Time { return ReceiptDeadline(p.FechaPago) }

// DeadlineWarning returns the Spanish warning the status bar shows at now
// when some receipt's deadline is DeadlineWarningDays days away or past, or
// "" when none is that close. It names the most urgent one.
func DeadlineWarning(pending []PendingReceipt, now time.Time) string {
	var first *PendingReceipt
	n := 0
	for i := range pending {
		p := &pending[i]
		if p.Deadline().Sub(now) > DeadlineWarningDays*24*time.Hour {
			continue
		}
		n++
		if first == nil || p.Deadline().Before(first.Deadline()) {
			first = p
		}
	}
	if first == nil {
		return ""
	}
	when := first.Deadline().Format("02/01/2006")
	if now.After(first.Deadline()) {
		return fmt.Sprintf("%d recibo(s) de pago sin timbrar pasaron su plazo ante el SAT (%s-%d venció el %s); revise Timbres.", n, first.Serie, first.Folio, when)
	}
	return fmt.Sprintf("%d recibo(s) de pago sin timbrar vencen pronto ante el SAT (%s-%d: a más tardar el %s); revise Timbres.", n, first.Serie, first.Folio, when)
}
