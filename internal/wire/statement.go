package wire

import (
	"context"
	"strconv"
	"time"

	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/receivables"
)

// StatementPDF draws the account statement (estado de cuenta) of customer
// customerID of the issuer with RFC rfc, in moneda, for the days from to
// to (Mexico City), with the aging of what the customer owes in that
// currency at the end of the period: the figures of domain/receivables
// (StatementPeriod over the store's movements, the balance's buckets)
// printed by print.RenderStatement with the issuer's print options. The
// window's "Estado de cuenta (PDF)…" and `folio estado-de-cuenta` share it.
func StatementPDF(ctx context.Context, store *sqlite.Store, rfc string, customerID int64, moneda string, from, to time.Time) ([]byte, error) {
	const op = "wire.StatementPDF"
	cust, err := store.FindCustomerByID(ctx, customerID)
	if err != nil {
		return nil, err
	}
	issuerName := rfc
	if list, err := store.ListCompanies(ctx); err == nil {
		for _, co := range list {
			if co.RFC == rfc {
				issuerName = co.Nombre
			}
		}
	}
	svc := receivables.Service{Store: store}
	st, err := svc.Statement(ctx, rfc, customerID, to)
	if err != nil {
		return nil, err
	}
	if moneda == "" {
		moneda = "MXN"
		if cs := st.Currencies(); len(cs) > 0 {
			moneda = cs[0]
		}
	}
	p := receivables.StatementPeriod(st, moneda, from, to)
	out := &print.Statement{IssuerName: issuerName, IssuerRFC: rfc, CustomerName: cust.Name, CustomerRFC: cust.RFC,
		From: printDay(p.From), To: printDay(p.To), Moneda: moneda, Opening: p.Opening, Charges: p.Charges, Credits: p.Credits, Closing: p.Closing}
	for _, l := range p.Lines {
		line := print.StatementLine{Fecha: l.Fecha, Documento: l.Kind.Label() + " " + l.Serie + "-" + itoa(l.Folio), Saldo: l.Balance}
		if l.Kind == receivables.Invoice {
			line.Vence, line.Cargo = printDay(l.DueDate), l.Amount
		} else {
			line.Abono = l.Amount.Neg()
			line.Referencia = "Factura " + l.InvoiceRef
		}
		out.Lines = append(out.Lines, line)
	}
	for _, c := range st.Balance.Currencies {
		if c.Moneda != moneda {
			continue
		}
		for b := receivables.Current; b < receivables.NumBuckets; b++ {
			out.Aging = append(out.Aging, print.AgingAmount{Label: b.Label(), Amount: c.Buckets[b]})
		}
	}
	pdf, err := print.RenderStatement(out, PrintOptions(ctx, store, rfc))
	if err != nil {
		return nil, domain.E(domain.KindOf(err), op, domain.UserMessage(err), err)
	}
	return pdf, nil
}

// printDay turns a day of package receivables (midnight UTC of the date,
// receivables.Day) into midnight of that date in Mexico City, the form
// print.Statement takes: printed as is, the UTC midnight read in Mexico
// City is the evening before, and every period limit and due date came
// out one day early.
func printDay(d time.Time) time.Time {
	if d.IsZero() {
		return d
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, domain.MexicoCity)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
