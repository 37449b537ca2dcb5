// Package payments is the "Cobros" form: a payment received from a
// customer applied to their open credit (PPD) invoices, issued as a CFDI
// Pago with the Pagos 2.0 complement through the same posting use case as
// invoices. Every figure on it — balances, installments, what each invoice
// keeps owing — comes from sales.BuildPayment over the store's payable
// invoices; the form adds nothing up.
//
// The customer's cash sales (PUE) posted without an account ("cobro sin
// registrar") are listed after them: a cash sale was paid when issued and
// never gets a payment receipt, so collecting one records only the deposit
// into the chosen account, linked to the invoice
// (sales.Service.RecordCollections). A cash sale is collected whole. One
// collection does not mix the two: choosing a credit invoice and a cash
// sale together is refused with the reason, so that a receipt never pays
// a PUE invoice and its amount is never split between a CFDI and a bare
// deposit.
package payments

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
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

// Store is what the form reads (*sqlite.Store satisfies it).
type Store interface {
	FindCustomers(ctx context.Context, f sales.CustomerFilter) ([]sales.Customer, error)
	FindSeries(ctx context.Context, issuer string) ([]sales.Series, error)
	PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]sales.Payable, error)
}

// Poster posts the receipt (*sales.Service satisfies it): stored and posted
// in one transaction, so a refused receipt leaves nothing behind.
type Poster interface {
	PostNew(ctx context.Context, co *sales.Company, signer cfdi.Signer, doc sales.Invoice) (sales.Invoice, error)
}

// Rules are the SAT catalogs the form offers and checks with.
type Rules interface {
	sales.Catalogs
	List(catalog string) []sat.Entry
}

// Accounts lists the company's cash and bank accounts (*sqlite.Store
// satisfies it).
type Accounts interface {
	FindAccounts(ctx context.Context, issuer string) ([]banks.Account, error)
}

// Uncollected lists a customer's cash sales (PUE) whose collection is
// still to be recorded (*sqlite.Store satisfies it).
type Uncollected interface {
	UncollectedInvoices(ctx context.Context, issuer string, customerID int64) ([]sales.Payable, error)
}

// Collector records the collection of cash sales as deposits, without a
// CFDI (*sales.Service satisfies it).
type Collector interface {
	RecordCollections(ctx context.Context, co *sales.Company, accountID int64, at time.Time, ids []int64) ([]banks.Movement, error)
}

// Deps is what the form needs.
type Deps struct {
	Store    Store
	Accounts Accounts // nil: the form offers no account and records none
	// Uncollected and Collector, both set, list and record the collection
	// of cash sales posted without an account; nil leaves them out.
	Uncollected Uncollected
	Collector   Collector
	// OnCollected, when set, is called with the deposits a collection of
	// cash sales recorded.
	OnCollected func(deposits []banks.Movement)
	Poster      Poster
	Rules       Rules
	Signer      func(ctx context.Context) (cfdi.Signer, error)
	Clock       domain.Clock // domain.SystemClock when nil
	OnPosted    func(receipt sales.Invoice)
}

func (d Deps) now() time.Time {
	if d.Clock == nil {
		return domain.SystemClock()
	}
	return d.Clock()
}

// Form is the "Registrar cobro" form.
type Form struct {
	widget.BaseWidget

	deps   Deps
	issuer *sales.Company

	customers []sales.Customer
	customer  *sales.Customer
	open      []sales.Payable // the credit invoices (the first credits), then the cash sales to collect
	credits   int
	amounts   []string // what the user typed per open invoice ("" = not paid)
	cashIDs   []int64  // the cash sales the form would collect, when it collects them
	series    []sales.Series
	receipt   sales.Invoice
	buildErr  error
	busy      bool
	narrow    bool // the header's fields in one column
	fields    *fyne.Container

	search    *widget.Entry
	found     *widget.Select
	serie     *widget.Select
	fecha     *widget.Entry
	forma     *widget.Select
	formaKeys []string
	moneda    *widget.Entry
	tc        *widget.Entry
	monto     *widget.Entry
	ref       *widget.Entry
	account   *widget.Select
	accounts  []banks.Account // the active ones, as offered after "none"
	picked    bool            // the user chose the account: keep it
	spread    *widget.Button
	list      *widget.List
	summary   *widget.Label
	problem   *widget.Label
	postBtn   *widget.Button
	body      fyne.CanvasObject

	// OnClose leaves the form.
	OnClose func()
}

// NewForm builds the form; Load reads the series.
func NewForm(deps Deps, issuer *sales.Company) *Form {
	f := &Form{deps: deps, issuer: issuer}
	f.search = widget.NewEntry()
	f.search.SetPlaceHolder(lang.L("Cliente: nombre o RFC"))
	f.search.OnChanged = func(s string) { f.findCustomers(s) }
	f.found = widgets.NewSelect(nil, func(string) { f.pickCustomer(f.found.SelectedIndex()) })
	f.found.PlaceHolder = lang.L("Elija el cliente")
	f.serie = widgets.NewSelect(nil, func(string) { f.recompute() })
	f.fecha = widget.NewEntry()
	f.fecha.SetText(f.deps.now().In(domain.MexicoCity).Format("02/01/2006 15:04"))
	f.fecha.OnChanged = func(string) { f.recompute() }
	var labels []string
	for _, e := range deps.Rules.List(sat.FormaPago) {
		if e.Key == sales.FormaPagoPorDefinir {
			continue
		}
		labels, f.formaKeys = append(labels, e.Key+" — "+e.Description), append(f.formaKeys, e.Key)
	}
	f.forma = widgets.NewSelect(labels, func(string) { f.recompute() })
	if len(labels) > 2 {
		f.forma.SetSelectedIndex(2) // 03 Transferencia electrónica de fondos
	}
	f.moneda = widget.NewEntry()
	f.moneda.SetText("MXN")
	f.moneda.OnChanged = func(string) { f.defaultAccount(); f.recompute() }
	f.tc = widget.NewEntry()
	f.tc.SetText("1")
	f.tc.OnChanged = func(string) { f.recompute() }
	f.monto = widget.NewEntry()
	f.monto.SetPlaceHolder("0.00")
	f.monto.OnChanged = func(string) { f.recompute() }
	f.ref = widget.NewEntry()
	f.ref.SetPlaceHolder(lang.L("Referencia bancaria (opcional)"))
	f.account = widgets.NewSelect([]string{lang.L("Sin registrar")}, func(string) { f.recompute() })
	f.account.OnChanged = func(string) { f.picked = true; f.recompute() }
	f.spread = widget.NewButton(lang.L("Aplicar a las más antiguas"), f.SpreadOldestFirst)
	f.list = widget.NewList(func() int { return len(f.open) }, f.newRow, f.updateRow)
	f.summary = widget.NewLabel("")
	f.summary.Wrapping = fyne.TextWrapWord
	f.problem = widget.NewLabel("")
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Importance = widget.DangerImportance
	f.postBtn = widget.NewButton(lang.L("Emitir recibo de pago"), f.Post)
	f.postBtn.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancelar"), func() {
		if f.OnClose != nil {
			f.OnClose()
		}
	})
	label := func(s string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(s, fyne.TextAlignTrailing, fyne.TextStyle{})
	}
	f.fields = container.New(&twoColumns{&f.narrow},
		container.NewBorder(nil, nil, label(lang.L("Cliente")), nil, container.NewGridWithColumns(2, f.search, f.found)),
		container.NewBorder(nil, nil, label(lang.L("Serie")), nil, f.serie),
		container.NewBorder(nil, nil, label(lang.L("Fecha y hora del pago")), nil, f.fecha),
		container.NewBorder(nil, nil, label(lang.L("Forma de pago")), nil, f.forma),
		container.NewBorder(nil, nil, label(lang.L("Moneda")), nil, container.NewGridWithColumns(2, f.moneda,
			container.NewBorder(nil, nil, label(lang.L("Tipo de cambio")), nil, f.tc))),
		container.NewBorder(nil, nil, label(lang.L("Monto")), f.spread, f.monto),
		container.NewBorder(nil, nil, label(lang.L("Referencia")), nil, f.ref),
		container.NewBorder(nil, nil, label(lang.L("Cuenta")), nil, f.account),
	)
	title := widget.NewLabelWithStyle(lang.L("Registrar cobro"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewGridWithColumns(5, bold(lang.L("Factura")), bold(lang.L("Saldo")),
		bold(lang.L("Pagar")), bold(lang.L("Parcialidad")), bold(lang.L("Queda")))
	top := container.NewVBox(title, f.fields, widget.NewSeparator(), widget.NewLabel(lang.L("Facturas pendientes del cliente (las de contado no llevan recibo de pago):")), header)
	bottom := container.NewVBox(f.summary, f.problem, container.NewHBox(layoutSpacer(), cancel, f.postBtn))
	f.body = container.NewBorder(top, bottom, nil, nil, f.list)
	f.ExtendBaseWidget(f)
	f.recompute()
	return f
}

func bold(s string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// CreateRenderer shows the form.
func (f *Form) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(f.body) }

// Resize puts the header's fields in one column on a narrow screen.
func (f *Form) Resize(size fyne.Size) {
	if narrow := size.Width < 760; narrow != f.narrow {
		f.narrow = narrow
		f.fields.Refresh()
	}
	f.BaseWidget.Resize(size)
}

// FocusTarget is the customer search.
func (f *Form) FocusTarget() fyne.Focusable { return f.search }

// Load reads the issuer's payment series and accounts off the UI
// goroutine.
func (f *Form) Load() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		all, err := f.deps.Store.FindSeries(ctx, f.issuer.RFC)
		var accts []banks.Account
		if err == nil && f.deps.Accounts != nil {
			accts, err = f.deps.Accounts.FindAccounts(ctx, f.issuer.RFC)
		}
		fyne.Do(func() {
			if err != nil {
				f.say(domain.UserMessage(err))
				return
			}
			f.setAccounts(accts)
			f.setSeries(all)
		})
	}()
}

// setAccounts offers the active accounts after "Sin registrar".
func (f *Form) setAccounts(all []banks.Account) {
	f.accounts = f.accounts[:0]
	opts := []string{lang.L("Sin registrar")}
	for _, a := range all {
		if a.Active {
			f.accounts = append(f.accounts, a)
			opts = append(opts, a.Name+" — "+kindText(a.Kind)+" "+a.Moneda)
		}
	}
	f.account.Options = opts
	f.account.Refresh()
	f.defaultAccount()
}

// defaultAccount chooses the first active account in the payment's
// currency, or none, until the user picks one.
func (f *Form) defaultAccount() {
	if f.picked || f.account == nil {
		return
	}
	i := 0
	moneda := strings.ToUpper(strings.TrimSpace(f.moneda.Text))
	for j, a := range f.accounts {
		if a.Moneda == moneda {
			i = j + 1
			break
		}
	}
	changed := f.account.OnChanged
	f.account.OnChanged = nil
	f.account.SetSelectedIndex(i)
	f.account.OnChanged = changed
}

// chosenAccount is the account the payment goes into; ok is false for none.
func (f *Form) chosenAccount() (banks.Account, bool) {
	i := f.account.SelectedIndex() - 1
	if i < 0 || i >= len(f.accounts) {
		return banks.Account{}, false
	}
	return f.accounts[i], true
}

// SetAccount chooses the account by its name, as the user does; "" is
// none. It reports whether the name was offered.
func (f *Form) SetAccount(name string) bool {
	if name == "" {
		f.account.SetSelectedIndex(0)
		return true
	}
	for j, a := range f.accounts {
		if a.Name == name {
			f.account.SetSelectedIndex(j + 1)
			return true
		}
	}
	return false
}

// Account is the name of the account chosen, "" for none.
func (f *Form) Account() string {
	a, _ := f.chosenAccount()
	return a.Name
}

func (f *Form) setSeries(all []sales.Series) {
	f.series = f.series[:0]
	var names []string
	for _, s := range all {
		if s.CanNumber(sales.TipoPago) == nil {
			f.series = append(f.series, s)
			names = append(names, s.Serie)
		}
	}
	f.serie.Options = names
	if len(names) > 0 {
		f.serie.SetSelectedIndex(0)
	}
	f.serie.Refresh()
	f.recompute()
}

// SelectCustomer makes c the payer and reads their open invoices.
func (f *Form) SelectCustomer(c sales.Customer) {
	if f.customer != nil && f.customer.ID == c.ID {
		return
	}
	f.customer = &c
	f.search.SetText(c.RFC)
	f.customers = []sales.Customer{c}
	f.found.Options = []string{c.Name + " (" + c.RFC + ")"}
	f.found.SetSelectedIndex(0)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		open, err := f.deps.Store.PayableInvoices(ctx, f.issuer.RFC, c.ID)
		credits := len(open)
		if err == nil && f.collects() {
			var cash []sales.Payable
			cash, err = f.deps.Uncollected.UncollectedInvoices(ctx, f.issuer.RFC, c.ID)
			open = append(open, cash...)
		}
		fyne.Do(func() {
			if err != nil {
				f.say(domain.UserMessage(err))
				return
			}
			f.open, f.credits = open, credits
			f.amounts = make([]string, len(open))
			if len(open) > 0 && open[0].Invoice != nil {
				f.moneda.SetText(open[0].Invoice.Moneda)
			}
			f.recompute()
		})
	}()
}

// findCustomers searches as the user types.
func (f *Form) findCustomers(q string) {
	if f.customer != nil && q == f.customer.RFC {
		return
	}
	if len(strings.TrimSpace(q)) < 2 {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cs, err := f.deps.Store.FindCustomers(ctx, sales.CustomerFilter{Query: q, Limit: 20})
		fyne.Do(func() {
			if err != nil {
				f.say(domain.UserMessage(err))
				return
			}
			f.customers = cs
			var opts []string
			for _, c := range cs {
				opts = append(opts, c.Name+" ("+c.RFC+")")
			}
			f.found.Options = opts
			f.found.Refresh()
		})
	}()
}

func (f *Form) pickCustomer(i int) {
	if i >= 0 && i < len(f.customers) {
		f.SelectCustomer(f.customers[i])
	}
}

// SetAmount types what invoice row i receives of the payment.
func (f *Form) SetAmount(i int, s string) {
	if i >= 0 && i < len(f.amounts) {
		f.amounts[i] = s
		f.recompute()
	}
}

// SpreadOldestFirst clears the amounts typed per invoice: the payment's
// Monto then goes to the oldest invoices first (what BuildPayment does
// without applications), and the rows show what each receives.
func (f *Form) SpreadOldestFirst() {
	for i := range f.amounts {
		f.amounts[i] = ""
	}
	f.recompute()
}

// input reads the header as the domain's PaymentInput.
func (f *Form) input() (sales.PaymentInput, string) {
	in := sales.PaymentInput{MonedaP: strings.ToUpper(strings.TrimSpace(f.moneda.Text)), NumOperacion: strings.TrimSpace(f.ref.Text)}
	if i := f.forma.SelectedIndex(); i >= 0 && i < len(f.formaKeys) {
		in.FormaDePagoP = f.formaKeys[i]
	}
	when, err := time.ParseInLocation("02/01/2006 15:04", strings.TrimSpace(f.fecha.Text), domain.MexicoCity)
	if err != nil {
		return in, lang.L("Escriba la fecha y hora del pago como dd/mm/aaaa hh:mm.")
	}
	in.FechaPago = when
	num := func(s string) (decimal.Decimal, bool) {
		d, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
		return d, err == nil
	}
	if a, ok := f.chosenAccount(); ok {
		in.AccountID = a.ID
	}
	var ok bool
	if in.Monto, ok = num(f.monto.Text); !ok {
		return in, lang.L("Escriba el monto recibido.")
	}
	if in.TipoCambioP, ok = num(f.tc.Text); !ok {
		return in, lang.L("Escriba el tipo de cambio del pago.")
	}
	for i, a := range f.amounts[:f.credits] {
		if strings.TrimSpace(a) == "" || f.open[i].Invoice == nil {
			continue
		}
		v, ok := num(a)
		if !ok {
			return in, lang.L("Lo que se paga de cada factura debe ser un número.")
		}
		app := sales.Application{InvoiceID: f.open[i].Invoice.ID, ImpPagado: v}
		if f.open[i].Invoice.Moneda != in.MonedaP {
			app.EquivalenciaDR = in.TipoCambioP // units of the invoice's currency per unit of the payment's, entered as the rate
		}
		in.Apply = append(in.Apply, app)
	}
	return in, ""
}

// recompute builds the receipt from the form and shows what it would
// leave owing, or why it cannot be issued.
func (f *Form) recompute() {
	if f.postBtn == nil {
		return
	}
	f.buildErr = nil
	f.receipt = sales.Invoice{}
	f.cashIDs = nil
	msg := ""
	cash, credit := f.picked2()
	switch serie := f.serieName(); {
	case f.customer == nil:
		msg = lang.L("Elija el cliente que pagó.")
	case cash && credit:
		msg = lang.L("Las facturas a crédito (PPD) se cobran con un recibo de pago y las de contado (PUE) sin él: regístrelas en cobros separados.")
	case cash:
		msg = f.checkCash()
	case serie == "":
		msg = lang.L("Falta una serie de pagos (tipo P): créela en Empresa › Series.")
	case f.credits == 0 && len(f.open) > 0:
		msg = lang.L("Escriba lo cobrado de cada factura de contado (PUE): se cobra completa.")
	case f.credits == 0:
		msg = lang.L("El cliente no tiene facturas a crédito (PPD) pendientes de pago.")
	default:
		in, bad := f.input()
		if bad != "" {
			msg = bad
			break
		}
		r, err := sales.BuildPayment(serie, in, f.open, f.deps.Rules)
		if err != nil {
			f.buildErr, msg = err, domain.UserMessage(err)
			break
		}
		// The account's verdict, as posting will give it (banks.Move).
		if a, ok := f.chosenAccount(); ok {
			if _, err := banks.Move(a, f.issuer.RFC, banks.Deposit, in.FechaPago, 0, in.MonedaP, in.Monto, in.TipoCambioP); err != nil {
				f.buildErr, msg = err, domain.UserMessage(err)
				break
			}
		}
		f.receipt = r
	}
	f.summary.SetText(f.summaryText())
	if f.cashIDs != nil {
		f.postBtn.SetText(lang.L("Registrar cobro"))
	} else {
		f.postBtn.SetText(lang.L("Emitir recibo de pago"))
	}
	f.problem.SetText(msg)
	f.problem.Hidden = msg == ""
	f.problem.Refresh()
	if msg != "" || f.busy {
		f.postBtn.Disable()
	} else {
		f.postBtn.Enable()
	}
	f.list.Refresh()
}

func (f *Form) serieName() string {
	i := f.serie.SelectedIndex()
	if i < 0 || i >= len(f.series) {
		return ""
	}
	return f.series[i].Serie
}

// paidOf is what the receipt pays of invoice id, if anything.
func (f *Form) paidOf(id int64) (sales.PaidDocument, bool) {
	if f.receipt.Payment == nil {
		return sales.PaidDocument{}, false
	}
	for _, d := range f.receipt.Payment.Docs {
		if d.InvoiceID == id {
			return d, true
		}
	}
	return sales.PaidDocument{}, false
}

func (f *Form) summaryText() string {
	if f.cashIDs != nil {
		a, _ := f.chosenAccount()
		return lang.L("Cobro de {{.N}} facturas de contado en {{.Cuenta}}: se registra el depósito, sin recibo de pago.", map[string]any{
			"N": len(f.cashIDs), "Cuenta": a.Name})
	}
	if f.receipt.Payment == nil {
		return ""
	}
	p := f.receipt.Payment
	return lang.L("Recibo de pago por {{.Monto}} {{.Moneda}} a {{.N}} facturas.", map[string]any{
		"Monto": tax.FormatMXN(p.Monto), "Moneda": p.MonedaP, "N": len(p.Docs)})
}

// Receipt is the receipt as the form would issue it.
func (f *Form) Receipt() sales.Invoice { return f.receipt }

// Problem is what keeps the receipt from being issued, or "".
func (f *Form) Problem() string { return f.problem.Text }

type rowView struct {
	folio, balance, part, left *widget.Label
	amount                     *widget.Entry
	index                      int
}

type rowCell struct {
	widget.BaseWidget
	v       *rowView
	content fyne.CanvasObject
}

func (c *rowCell) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.content) }

func (f *Form) newRow() fyne.CanvasObject {
	v := &rowView{index: -1, folio: widget.NewLabel(""), balance: widget.NewLabel(""),
		part: widget.NewLabel(""), left: widget.NewLabel(""), amount: widget.NewEntry()}
	v.amount.OnChanged = func(s string) {
		if v.index >= 0 && v.index < len(f.amounts) && f.amounts[v.index] != s {
			f.amounts[v.index] = s
			f.recompute()
		}
	}
	c := &rowCell{v: v, content: container.NewGridWithColumns(5, v.folio, v.balance, v.amount, v.part, v.left)}
	c.ExtendBaseWidget(c)
	return c
}

func (f *Form) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	v := o.(*rowCell).v
	v.index = -1
	if i >= len(f.open) || f.open[i].Invoice == nil {
		return
	}
	p := f.open[i]
	inv := p.Invoice
	v.folio.SetText(inv.FolioText() + " · " + inv.Fecha.In(domain.MexicoCity).Format("02/01/2006"))
	v.balance.SetText(tax.FormatMXN(p.Balance()) + " " + inv.Moneda)
	v.part.SetText("")
	v.left.SetText("")
	if i >= f.credits {
		v.folio.SetText(inv.FolioText() + " · " + lang.L("contado (PUE), cobro sin registrar"))
		v.balance.SetText(tax.FormatMXN(p.Total) + " " + inv.Moneda)
		v.amount.SetPlaceHolder(p.Total.StringFixed(2))
	} else if d, ok := f.paidOf(inv.ID); ok {
		v.part.SetText(fmt.Sprint(d.NumParcialidad))
		v.left.SetText(tax.FormatMXN(d.ImpSaldoInsoluto))
		if f.amounts[i] == "" {
			v.amount.SetPlaceHolder(d.ImpPagado.StringFixed(2))
		}
	} else {
		v.amount.SetPlaceHolder("")
	}
	if v.amount.Text != f.amounts[i] {
		v.amount.SetText(f.amounts[i])
	}
	v.index = i
}

// Post asks to confirm and issues the receipt, or records the collection
// of the cash sales chosen.
func (f *Form) Post() {
	f.recompute()
	if f.busy || (f.receipt.Payment == nil && f.cashIDs == nil) {
		return
	}
	win := widgets.WindowOf(f)
	if win == nil {
		f.doPost()
		return
	}
	title, text := lang.L("Emitir recibo de pago"), f.summaryText()+" "+lang.L("Se sella y queda en cola para timbrar.")
	if f.cashIDs != nil {
		title, text = lang.L("Registrar cobro"), f.summaryText()
	}
	dialog.ShowConfirm(title, text, func(ok bool) {
		if ok {
			f.doPost()
		}
	}, win)
}

func (f *Form) doPost() {
	if f.cashIDs != nil {
		f.doCollect()
		return
	}
	r := f.receipt
	f.busy = true
	f.postBtn.Disable()
	f.say(lang.L("Emitiendo el recibo de pago…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		posted, err := f.post(ctx, r)
		fyne.Do(func() {
			f.busy = false
			if err != nil {
				f.recompute()
				f.say(domain.UserMessage(err))
				return
			}
			if f.deps.OnPosted != nil {
				f.deps.OnPosted(posted)
			}
			if f.OnClose != nil {
				f.OnClose()
			}
		})
	}()
}

func (f *Form) post(ctx context.Context, r sales.Invoice) (sales.Invoice, error) {
	signer, err := f.deps.Signer(ctx)
	if err != nil {
		return sales.Invoice{}, err
	}
	return f.deps.Poster.PostNew(ctx, f.issuer, signer, r)
}

func (f *Form) say(msg string) {
	f.problem.SetText(msg)
	f.problem.Hidden = msg == ""
	f.problem.Refresh()
}

// OpenInvoices is how many open invoices of the customer the form lists.
func (f *Form) OpenInvoices() int { return len(f.open) }

// Serie is the payment series chosen, "" when there is none.
func (f *Form) Serie() string { return f.serieName() }

// SetMonto types the amount received, as the user does.
func (f *Form) SetMonto(s string) { f.monto.SetText(s) }

// PostConfirmed issues the receipt as after "Sí" in the confirmation.
func (f *Form) PostConfirmed() { f.doPost() }

// Busy reports whether a post is running.
func (f *Form) Busy() bool { return f.busy }

// kindText is an account's kind as the screens show it.
func kindText(k banks.Kind) string {
	if k == banks.Caja {
		return lang.L("Caja")
	}
	return lang.L("Banco")
}

// collects reports whether the form lists and collects cash sales.
func (f *Form) collects() bool { return f.deps.Uncollected != nil && f.deps.Collector != nil }

// picked2 reports whether the user typed an amount for a cash sale and
// for a credit invoice.
func (f *Form) picked2() (cash, credit bool) {
	for i, a := range f.amounts {
		if strings.TrimSpace(a) == "" {
			continue
		}
		if i >= f.credits {
			cash = true
		} else {
			credit = true
		}
	}
	return cash, credit
}

// checkCash sets the cash sales the form would collect, or returns why it
// cannot: each is collected whole, into an account that takes its
// currency (the account's verdict is banks.Move's, as recording gives it).
func (f *Form) checkCash() string {
	when, err := time.ParseInLocation("02/01/2006 15:04", strings.TrimSpace(f.fecha.Text), domain.MexicoCity)
	if err != nil {
		return lang.L("Escriba la fecha y hora del pago como dd/mm/aaaa hh:mm.")
	}
	a, ok := f.chosenAccount()
	if !ok {
		return lang.L("Elija la cuenta en que entró el dinero: el cobro de una venta de contado es el depósito en esa cuenta.")
	}
	var ids []int64
	for i := f.credits; i < len(f.amounts); i++ {
		text := strings.TrimSpace(f.amounts[i])
		p := f.open[i]
		if text == "" || p.Invoice == nil {
			continue
		}
		v, err := decimal.NewFromString(strings.ReplaceAll(text, ",", ""))
		if err != nil || !v.Equal(p.Total) {
			return lang.L("La factura {{.Folio}} es de contado (PUE): se cobra completa, {{.Total}} {{.Moneda}}.", map[string]any{
				"Folio": p.Invoice.FolioText(), "Total": tax.FormatMXN(p.Total), "Moneda": p.Invoice.Moneda})
		}
		tc := p.Invoice.TipoCambio
		if p.Invoice.Moneda == "MXN" {
			tc = decimal.NewFromInt(1)
		}
		if _, err := banks.Move(a, f.issuer.RFC, banks.Deposit, when, p.Invoice.ID, p.Invoice.Moneda, p.Total, tc); err != nil {
			f.buildErr = err
			return domain.UserMessage(err)
		}
		ids = append(ids, p.Invoice.ID)
	}
	f.cashIDs = ids
	return ""
}

// doCollect records the collection of the cash sales chosen.
func (f *Form) doCollect() {
	ids := f.cashIDs
	a, _ := f.chosenAccount()
	when, _ := time.ParseInLocation("02/01/2006 15:04", strings.TrimSpace(f.fecha.Text), domain.MexicoCity)
	f.busy = true
	f.postBtn.Disable()
	f.say(lang.L("Registrando el cobro…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		ms, err := f.deps.Collector.RecordCollections(ctx, f.issuer, a.ID, when, ids)
		fyne.Do(func() {
			f.busy = false
			if err != nil {
				f.recompute()
				f.say(domain.UserMessage(err))
				return
			}
			if f.deps.OnCollected != nil {
				f.deps.OnCollected(ms)
			}
			if f.OnClose != nil {
				f.OnClose()
			}
		})
	}()
}

// Collecting is the cash sales (their ids) the form would collect without
// a receipt, nil when it would issue a receipt or nothing.
func (f *Form) Collecting() []int64 { return f.cashIDs }
