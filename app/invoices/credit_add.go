package invoices

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// InvoiceFinder lists the issuer's invoices (*sqlite.Store satisfies it).
type InvoiceFinder interface {
	FindInvoices(ctx context.Context, f sales.InvoiceFilter) ([]sales.InvoiceRow, error)
}

// folios is "A-1, A-2": the invoices the note credits.
func (f *CreditForm) folios() string {
	var out []string
	for _, s := range f.sources {
		out = append(out, s.Invoice.FolioText())
	}
	return strings.Join(out, ", ")
}

// AddInvoice adds another invoice to a rebate: one of the same customer
// and currency, not yet on the note, with every line it has left. The
// note then relates each invoice (TipoRelacion 01).
func (f *CreditForm) AddInvoice(in CreditInput) error {
	const op = "credit note: add invoice"
	inv := in.Invoice
	for _, s := range f.sources {
		if s.Invoice.ID == inv.ID {
			return domain.E(domain.Invalid, op, fmt.Sprintf("La factura %s ya está en la nota.", inv.FolioText()), nil)
		}
	}
	if inv.CustomerID != f.inv.CustomerID || inv.Moneda != f.inv.Moneda {
		return domain.E(domain.Invalid, op, fmt.Sprintf(
			"La factura %s es de otro cliente o de otra moneda: una rebaja se aplica a facturas de un solo cliente y una sola moneda.", inv.FolioText()), nil)
	}
	f.addSource(&inv, in.Done)
	f.showTitle()
	f.recompute()
	return nil
}

// candidates returns the customer's other stamped invoices in the note's
// currency that may still be rebated; synchronous and UI-free.
func (f *CreditForm) candidates(ctx context.Context) ([]sales.InvoiceRow, error) {
	rows, err := f.deps.Finder.FindInvoices(ctx, sales.InvoiceFilter{Issuer: f.inv.Issuer, Status: sales.StatusStamped,
		Search: f.inv.Customer.RFC, Tipo: sales.TipoIngreso, Limit: 200})
	if err != nil {
		return nil, err
	}
	in := map[int64]bool{}
	for _, s := range f.sources {
		in[s.Invoice.ID] = true
	}
	var out []sales.InvoiceRow
	for _, r := range rows {
		if in[r.ID] || r.CustomerRFC != f.inv.Customer.RFC || r.Moneda != f.inv.Moneda || !isInvoiceRow(r) ||
			r.State.Allowed(sales.EventRelate) != nil {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// pickInvoice shows the customer's other invoices; the one chosen is added.
func (f *CreditForm) pickInvoice() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rows, err := f.candidates(ctx)
		fyne.Do(func() {
			w := windowOf(f)
			if err != nil {
				f.problem.SetText(domain.UserMessage(err))
				show(f.problem, true)
				return
			}
			if w == nil {
				return
			}
			if len(rows) == 0 {
				dialog.ShowInformation(lang.L("Agregar factura"), lang.L("El cliente no tiene otras facturas timbradas en {{.Moneda}} que se puedan rebajar.",
					map[string]any{"Moneda": f.inv.Moneda}), w)
				return
			}
			var d dialog.Dialog
			list := widget.NewList(func() int { return len(rows) }, func() fyne.CanvasObject { return widget.NewLabel("") },
				func(i widget.ListItemID, o fyne.CanvasObject) {
					r := rows[i]
					o.(*widget.Label).SetText(fmt.Sprintf("%s-%d   %s   %s %s", r.Serie, r.Folio,
						r.Fecha.In(domain.MexicoCity).Format("02/01/2006"), tax.FormatMXN(r.Total), r.Moneda))
				})
			list.OnSelected = func(i widget.ListItemID) {
				d.Hide()
				f.addByID(rows[i].ID)
			}
			d = dialog.NewCustom(lang.L("Agregar factura del cliente"), lang.L("Cancelar"), container.NewGridWrap(fyne.NewSize(420, 300), list), w)
			d.Show()
		})
	}()
}

// addByID reads invoice id off the UI goroutine and adds it.
func (f *CreditForm) addByID(id int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		in, err := LoadCredit(ctx, f.deps, id)
		fyne.Do(func() {
			if err == nil {
				err = f.AddInvoice(in)
			}
			if err != nil {
				f.problem.SetText(domain.UserMessage(err))
				show(f.problem, true)
			}
		})
	}()
}

// isInvoiceRow reports whether r is an invoice (not a credit note): only
// invoices are credited.
func isInvoiceRow(r sales.InvoiceRow) bool { return r.Tipo == sales.TipoIngreso }
