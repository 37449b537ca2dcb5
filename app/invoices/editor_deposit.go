package invoices

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
)

// depositField is "Cobrado en": the account a cash sale's money goes into
// when it is posted (sales.Invoice.DepositAccount), shown only for
// contado (PUE). Its first option is "Sin registrar" (the collection is
// recorded later from Cobros); a new invoice starts with the account of
// the last cash sale posted from this editor, or the first active cash
// box.
type depositField struct {
	sel      *widget.Select
	box      *fyne.Container
	accounts []banks.Account // the active ones, after "Sin registrar"
	last     int64           // the account of the last cash sale posted here
}

func newDepositField(changed func()) *depositField {
	d := &depositField{}
	d.sel = widgets.NewSelect([]string{lang.L("Sin registrar")}, func(string) { changed() })
	d.box = container.NewBorder(nil, nil, widget.NewLabel(lang.L("Cobrado en")), nil, d.sel)
	d.box.Hide()
	return d
}

// setAccounts offers all's active accounts.
func (d *depositField) setAccounts(all []banks.Account) {
	d.accounts = d.accounts[:0]
	opts := []string{lang.L("Sin registrar")}
	for _, a := range all {
		if a.Active {
			d.accounts = append(d.accounts, a)
			kind := lang.L("Banco")
			if a.Kind == banks.Caja {
				kind = lang.L("Caja")
			}
			opts = append(opts, a.Name+" — "+kind+" "+a.Moneda)
		}
	}
	d.sel.Options = opts
	d.sel.Refresh()
}

// defaultAccount is the account a new cash sale starts with.
func (d *depositField) defaultAccount() int64 {
	for _, a := range d.accounts {
		if a.ID == d.last {
			return a.ID
		}
	}
	for _, a := range d.accounts {
		if a.Kind == banks.Caja {
			return a.ID
		}
	}
	return 0
}

// selectAccount shows id chosen; 0, or an account no longer offered, is
// "Sin registrar".
func (d *depositField) selectAccount(id int64) {
	for i, a := range d.accounts {
		if a.ID == id {
			d.sel.SetSelectedIndex(i + 1)
			return
		}
	}
	d.sel.SetSelectedIndex(0)
}

// chosen is the account chosen, 0 for none.
func (d *depositField) chosen() int64 {
	i := d.sel.SelectedIndex() - 1
	if i < 0 || i >= len(d.accounts) {
		return 0
	}
	return d.accounts[i].ID
}

// present shows the field for a cash sale when there are accounts to
// offer.
func (d *depositField) present(terms sales.PaymentTerms, locked bool) {
	show(d.box, terms == sales.Contado && len(d.accounts) > 0)
	enable(d.sel, !locked)
}

// loadAccounts reads the company's accounts off the UI goroutine and
// offers them; a new invoice then starts with the default account.
func (ed *InvoiceEditor) loadAccounts() {
	if ed.deps.Accounts == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		all, err := ed.deps.Accounts.FindAccounts(ctx, ed.issuer.RFC)
		fyne.Do(func() {
			if err != nil {
				return // the field stays hidden: a cash sale is then recorded later, from Cobros
			}
			ed.filling = true
			ed.deposit.setAccounts(all)
			id := ed.inv.DepositAccount
			if ed.inv.ID == 0 && !ed.locked && id == 0 {
				id = ed.deposit.defaultAccount()
			}
			ed.deposit.selectAccount(id)
			ed.deposit.present(ed.selectedTerms(), ed.locked)
			ed.filling = false
			ed.changed()
		})
	}()
}

// DepositAccount is the name of the account "Cobrado en" shows, "" for
// "Sin registrar" or when the field is hidden.
func (ed *InvoiceEditor) DepositAccount() string {
	if !ed.deposit.box.Visible() {
		return ""
	}
	id := ed.deposit.chosen()
	for _, a := range ed.deposit.accounts {
		if a.ID == id {
			return a.Name
		}
	}
	return ""
}

// SetDepositAccount chooses the account by name as the user does ("" is
// "Sin registrar"); it reports whether the name was offered.
func (ed *InvoiceEditor) SetDepositAccount(name string) bool {
	if name == "" {
		ed.deposit.sel.SetSelectedIndex(0)
		return true
	}
	for i, a := range ed.deposit.accounts {
		if a.Name == name {
			ed.deposit.sel.SetSelectedIndex(i + 1)
			return true
		}
	}
	return false
}
