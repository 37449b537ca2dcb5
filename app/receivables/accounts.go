package receivables

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/tax"
)

// Accounts is what the "Cuentas" page needs (*banks.Service satisfies
// it): the company's accounts, their balances, and saving one through the
// domain's validation.
type Accounts interface {
	FindAccounts(ctx context.Context, issuer string) ([]banks.Account, error)
	AccountBalance(ctx context.Context, f banks.MovementFilter) (decimal.Decimal, error)
	SaveAccount(ctx context.Context, a *banks.Account) error
}

// accountRow is an account as the list shows it.
type accountRow struct{ text string }

// AccountsPage is "Cuentas": the company's cash and bank accounts with
// their balances, and a form to add one.
type AccountsPage struct {
	widget.BaseWidget

	src    Accounts
	issuer string
	rows   []accountRow

	list    *widget.List
	name    *widget.Entry
	kind    *widget.Select
	moneda  *widget.Entry
	bank    *widget.Entry
	number  *widget.Entry
	add     *widget.Button
	problem *widget.Label
	body    fyne.CanvasObject
}

// NewAccountsPage builds the page; Reload reads the accounts.
func NewAccountsPage(src Accounts, issuer string) *AccountsPage {
	p := &AccountsPage{src: src, issuer: issuer}
	p.list = widget.NewList(func() int { return len(p.rows) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(p.rows) {
				o.(*widget.Label).SetText(p.rows[i].text)
			}
		})
	p.name = widget.NewEntry()
	p.kind = widgets.NewSelect([]string{kindText(banks.Banco), kindText(banks.Caja)}, nil)
	p.kind.SetSelectedIndex(0)
	p.moneda = widget.NewEntry()
	p.moneda.SetText("MXN")
	p.bank = widget.NewEntry()
	p.number = widget.NewEntry()
	p.number.SetPlaceHolder(lang.L("Número de cuenta o CLABE (opcional)"))
	p.add = widget.NewButton(lang.L("Agregar cuenta"), p.Add)
	p.add.Importance = widget.HighImportance
	p.problem = widget.NewLabel("")
	p.problem.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Nombre"), p.name),
		widget.NewFormItem(lang.L("Tipo"), p.kind),
		widget.NewFormItem(lang.L("Moneda"), p.moneda),
		widget.NewFormItem(lang.L("Banco"), p.bank),
		widget.NewFormItem(lang.L("Número"), p.number),
	)
	title := widget.NewLabelWithStyle(lang.L("Cuentas de caja y bancos"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bottom := container.NewVBox(widget.NewSeparator(), widget.NewLabel(lang.L("Nueva cuenta:")), form, p.problem,
		container.NewHBox(layout.NewSpacer(), p.add))
	p.body = container.NewBorder(title, bottom, nil, nil, p.list)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the page.
func (p *AccountsPage) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(p.body) }

// load reads the accounts and their balances as list rows.
func (p *AccountsPage) load(ctx context.Context) ([]accountRow, error) {
	all, err := p.src.FindAccounts(ctx, p.issuer)
	if err != nil {
		return nil, err
	}
	rows := make([]accountRow, 0, len(all))
	for _, a := range all {
		b, err := p.src.AccountBalance(ctx, banks.MovementFilter{AccountID: a.ID})
		if err != nil {
			return nil, err
		}
		text := a.Name + " — " + kindText(a.Kind)
		if a.Bank != "" {
			text += " " + a.Bank
		}
		if a.Number != "" {
			text += " " + a.Number
		}
		text += " — " + tax.FormatMXN(b) + " " + a.Moneda
		if !a.Active {
			text += " " + lang.L("(inactiva)")
		}
		rows = append(rows, accountRow{text: text})
	}
	return rows, nil
}

// Reload reads the accounts off the UI goroutine.
func (p *AccountsPage) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rows, err := p.load(ctx)
		fyne.Do(func() {
			if err != nil {
				p.say(domain.UserMessage(err))
				return
			}
			p.rows = rows
			p.list.Refresh()
		})
	}()
}

// Add saves the new account through the domain; its problems show on the
// page.
func (p *AccountsPage) Add() {
	a := banks.Account{Issuer: p.issuer, Name: p.name.Text, Moneda: p.moneda.Text, Bank: p.bank.Text,
		Number: p.number.Text, Kind: banks.Banco, Active: true}
	if p.kind.SelectedIndex() == 1 {
		a.Kind = banks.Caja
	}
	p.add.Disable()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := p.src.SaveAccount(ctx, &a)
		fyne.Do(func() {
			p.add.Enable()
			if err != nil {
				p.say(domain.UserMessage(err))
				return
			}
			p.say("")
			p.name.SetText("")
			p.bank.SetText("")
			p.number.SetText("")
			p.Reload()
		})
	}()
}

func (p *AccountsPage) say(msg string) {
	p.problem.SetText(msg)
	if msg == "" {
		p.problem.Importance = widget.MediumImportance
	} else {
		p.problem.Importance = widget.DangerImportance
	}
	p.problem.Refresh()
}

// Problem is the page's message, "" when none.
func (p *AccountsPage) Problem() string { return p.problem.Text }

// Rows are the list's lines.
func (p *AccountsPage) Rows() []string {
	out := make([]string, len(p.rows))
	for i, r := range p.rows {
		out[i] = r.text
	}
	return out
}

// Fill types a new account's fields, as the user does; kind is "Banco"
// or "Caja".
func (p *AccountsPage) Fill(name, kind, moneda, bank, number string) {
	p.name.SetText(name)
	p.kind.SetSelected(kind)
	p.moneda.SetText(moneda)
	p.bank.SetText(bank)
	p.number.SetText(number)
}

// kindText is an account's kind as the screens show it.
func kindText(k banks.Kind) string {
	if k == banks.Caja {
		return lang.L("Caja")
	}
	return lang.L("Banco")
}
