package thirdparty

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	tp "github.com/folio-mx/folio/domain/thirdparty"
)

// PayoutForm is "Registrar liquidación": the third party, date, amount,
// account and reference of a payout. Submit records it through the
// domain (which refuses more than is owed and warns when the money was not
// collected yet).
type PayoutForm struct {
	deps     ReportsDeps
	parties  []sales.ThirdParty
	accounts []banks.Account

	Tercero    *widget.Select
	Fecha      *widget.Entry
	Monto      *widget.Entry
	Cuenta     *widget.Select
	Referencia *widget.Entry
	Problem    *widget.Label
	Form       *widget.Form

	// Done is called on the UI goroutine after a payout is recorded.
	Done func(tp.PayoutResult)
}

// NewPayoutForm builds the form over the company's third parties and
// accounts (already loaded).
func NewPayoutForm(deps ReportsDeps, parties []sales.ThirdParty, accounts []banks.Account) *PayoutForm {
	f := &PayoutForm{deps: deps, parties: parties}
	var names []string
	for _, p := range parties {
		if p.Active {
			names = append(names, p.Name+" ("+p.RFC+")")
		}
	}
	f.Tercero = widgets.NewSelect(names, nil)
	f.Fecha = widget.NewEntry()
	f.Fecha.SetText(deps.now().In(domain.MexicoCity).Format("2006-01-02"))
	f.Monto = widget.NewEntry()
	f.Monto.SetPlaceHolder("0.00")
	accts := []string{lang.L("Sin cuenta (no registra retiro)")}
	for _, a := range accounts {
		if a.Active {
			f.accounts = append(f.accounts, a)
			accts = append(accts, a.Name+" ("+a.Moneda+")")
		}
	}
	f.Cuenta = widgets.NewSelect(accts, nil)
	f.Cuenta.SetSelectedIndex(0)
	f.Referencia = widget.NewEntry()
	f.Problem = widget.NewLabel("")
	f.Problem.Wrapping = fyne.TextWrapWord
	f.Form = widget.NewForm(
		widget.NewFormItem(lang.L("Tercero"), f.Tercero),
		widget.NewFormItem(lang.L("Fecha"), f.Fecha),
		widget.NewFormItem(lang.L("Monto"), f.Monto),
		widget.NewFormItem(lang.L("Cuenta"), f.Cuenta),
		widget.NewFormItem(lang.L("Referencia"), f.Referencia),
		widget.NewFormItem("", f.Problem))
	return f
}

// payout reads the form; the problems are in Spanish.
func (f *PayoutForm) payout() (tp.Payout, error) {
	const op = "payout form"
	var msgs []string
	p := tp.Payout{Issuer: f.deps.Issuer, Moneda: "MXN", Reference: f.Referencia.Text}
	active := 0
	for _, x := range f.parties {
		if x.Active {
			if active == f.Tercero.SelectedIndex() {
				p.ThirdPartyID = x.ID
			}
			active++
		}
	}
	if p.ThirdPartyID == 0 {
		msgs = append(msgs, lang.L("Elija el tercero al que se le paga."))
	}
	day, err := parseDay(f.Fecha.Text)
	if err != nil || day.IsZero() {
		msgs = append(msgs, lang.L("Escriba la fecha como AAAA-MM-DD (p. ej. 2026-11-30)."))
	}
	p.Fecha = day.Add(12 * time.Hour)
	amount, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(f.Monto.Text), ",", ""))
	if err != nil || !amount.IsPositive() {
		msgs = append(msgs, lang.L("Escriba el monto, mayor que cero (p. ej. 1500.00)."))
	}
	p.Amount = amount
	if i := f.Cuenta.SelectedIndex(); i > 0 && i-1 < len(f.accounts) {
		p.AccountID, p.Moneda = f.accounts[i-1].ID, f.accounts[i-1].Moneda
	}
	if len(msgs) > 0 {
		return p, domain.E(domain.Invalid, op, strings.Join(msgs, "\n"), nil)
	}
	return p, nil
}

// Submit records the payout off the UI goroutine; a refusal shows in
// Problem, success calls Done.
func (f *PayoutForm) Submit() {
	p, err := f.payout()
	if err != nil {
		f.Problem.SetText(domain.UserMessage(err))
		return
	}
	f.Problem.SetText(lang.L("Registrando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := f.deps.Source.RecordPayout(ctx, p)
		fyne.Do(func() {
			if err != nil {
				f.Problem.SetText(domain.UserMessage(err))
				return
			}
			f.Problem.SetText("")
			if f.Done != nil {
				f.Done(res)
			}
		})
	}()
}

// Summary is the sentence shown after a payout is recorded.
func Summary(res tp.PayoutResult) string {
	s := lang.L("Liquidación {{.ID}} registrada: {{.Amount}} {{.Moneda}}.", map[string]any{"ID": res.Payout.ID,
		"Amount": tax.FormatMXN(res.Payout.Amount), "Moneda": res.Payout.Moneda})
	if res.Ahead {
		s += " " + lang.L("Aviso: {{.Advance}} aún no se cobran a los clientes (anticipo al tercero).",
			map[string]any{"Advance": tax.FormatMXN(res.Advance)})
	}
	return s
}

// showPayout loads the third parties and accounts and opens the form in a
// dialog; after recording it reloads the balances.
func (s *BalancesScreen) showPayout() {
	w := widgets.WindowOf(s)
	if w == nil || s.deps.Source == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		parties, err := s.deps.Source.ThirdParties(ctx, s.deps.Issuer)
		var accounts []banks.Account
		if err == nil && s.deps.Accounts != nil {
			accounts, err = s.deps.Accounts(ctx, s.deps.Issuer)
		}
		fyne.Do(func() {
			if err != nil {
				s.status.SetText(domain.UserMessage(err))
				return
			}
			f := NewPayoutForm(s.deps, parties, accounts)
			var d dialog.Dialog
			f.Done = func(res tp.PayoutResult) {
				d.Hide()
				s.status.SetText(Summary(res))
				s.Reload()
			}
			save := widget.NewButton(lang.L("Registrar"), f.Submit)
			save.Importance = widget.HighImportance
			cancelBtn := widget.NewButton(lang.L("Cancelar"), func() { d.Hide() })
			d = dialog.NewCustomWithoutButtons(lang.L("Registrar liquidación"), f.Form, w)
			d.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{cancelBtn, save})
			d.Resize(fyne.NewSize(520, 380))
			d.Show()
		})
	}()
}
