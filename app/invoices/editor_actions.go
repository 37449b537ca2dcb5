package invoices

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

// The editor's shortcuts (Ctrl, or ⌘ on macOS): nueva, guardar, emitir.
var (
	ShortcutNew  = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	ShortcutSave = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	ShortcutPost = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
)

// editorActions is the editor's toolbar and status line: "Nueva",
// "Guardar borrador", "Emitir", "Imprimir", the folio (and "Cambiar
// folio…", an administrator's override), the progress of a save or post
// and the status message.
type editorActions struct {
	newBtn, saveBtn, postBtn, printBtn, folioBtn *widget.Button
	folio                                        *widget.Label
	progress                                     *widget.ProgressBarInfinite
	status                                       *widget.Label
	bar                                          *fyne.Container // the toolbar, in barCols columns
	barCols                                      int

	// override is the folio an administrator chose instead of the proposed
	// one (nil: the series' next number).
	override *int64
	// adminPassword is the credential that authorized override; the domain
	// verifies it again when posting.
	adminPassword string
	// creditReason, with creditPassword, authorizes a credit sale the
	// credit check refused (receivables.CheckCredit); the domain verifies
	// the credential and records who, why and when.
	creditReason, creditPassword string
}

// buildActions creates the toolbar and the status line.
func (ed *InvoiceEditor) buildActions() *editorActions {
	a := &editorActions{}
	ed.editorActions = a
	a.newBtn = widget.NewButtonWithIcon(lang.L("Nueva (Ctrl+N)"), theme.DocumentCreateIcon(), ed.Reset)
	a.saveBtn = widget.NewButtonWithIcon(lang.L("Guardar borrador (Ctrl+S)"), theme.DocumentSaveIcon(), ed.SaveDraft)
	a.postBtn = widget.NewButtonWithIcon(lang.L("Emitir (Ctrl+E)"), theme.ConfirmIcon(), ed.Post)
	a.postBtn.Importance = widget.HighImportance
	a.printBtn = widget.NewButtonWithIcon(lang.L("Imprimir"), theme.DocumentPrintIcon(), func() {
		if ed.OnPrint != nil && ed.inv.ID != 0 {
			ed.OnPrint(ed.inv.ID)
		}
	})
	a.printBtn.Hide()
	if ed.quote != nil {
		a.newBtn.SetText(lang.L("Nueva cotización (Ctrl+N)"))
		a.saveBtn.SetText(lang.L("Guardar cotización (Ctrl+S)"))
		a.saveBtn.Importance = widget.HighImportance
		a.postBtn.Hide()
	}
	a.folio = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.folioBtn = widget.NewButtonWithIcon(lang.L("Cambiar folio…"), theme.AccountIcon(), ed.askFolio)
	a.folioBtn.Hide()
	a.progress = widget.NewProgressBarInfinite()
	a.progress.Stop()
	a.progress.Hide()
	a.status = widget.NewLabel("")
	a.status.Wrapping = fyne.TextWrapWord
	return a
}

// toolbar lays the buttons and the folio out in a row, wrapped into more
// rows when the editor is narrower than the row (fitToolbar).
func (a *editorActions) toolbar() fyne.CanvasObject {
	if a.bar == nil {
		a.bar = container.NewGridWithColumns(1, touchTarget(a.newBtn), touchTarget(a.saveBtn), touchTarget(a.postBtn),
			touchTarget(a.printBtn), touchTarget(a.folioBtn), a.folio)
	}
	return a.bar
}

// fitToolbar sets the toolbar's columns for width: one row when all fit.
func (a *editorActions) fitToolbar(width float32) {
	if a.bar != nil {
		fitColumns(a.bar, width, &a.barCols)
	}
}

// bottom stacks the progress bar over the status line.
func (a *editorActions) bottom() fyne.CanvasObject {
	return container.NewVBox(a.progress, a.status)
}

// Shortcuts returns the editor's shortcuts: Ctrl+N nueva, Ctrl+S guardar
// borrador, Ctrl+E emitir (⌘ on macOS). Register each on the window canvas
// with TypedShortcut as handler (the editor's entries forward them too).
func (ed *InvoiceEditor) Shortcuts() []fyne.Shortcut {
	return []fyne.Shortcut{ShortcutNew, ShortcutSave, ShortcutPost}
}

// TypedShortcut runs the action of one of Shortcuts; others are ignored.
func (ed *InvoiceEditor) TypedShortcut(s fyne.Shortcut) { ed.runShortcut(s) }

func (ed *InvoiceEditor) runShortcut(s fyne.Shortcut) bool {
	switch s.ShortcutName() {
	case ShortcutNew.ShortcutName():
		ed.Reset()
	case ShortcutSave.ShortcutName():
		ed.SaveDraft()
	case ShortcutPost.ShortcutName():
		ed.Post()
	default:
		return false
	}
	return true
}

// setBusy disables the actions and shows progress while a save or post runs.
func (ed *InvoiceEditor) setBusy(busy bool, msg string) {
	ed.busy = busy
	if busy {
		ed.saveBtn.Disable()
		ed.postBtn.Disable()
		ed.newBtn.Disable()
		ed.progress.Show()
		ed.progress.Start()
	} else {
		ed.progress.Stop()
		ed.progress.Hide()
		ed.newBtn.Enable()
		enable(ed.saveBtn, ed.rules.Edit == nil)
		enable(ed.postBtn, ed.rules.Post == nil)
	}
	ed.status.SetText(msg)
}

// SaveDraft stores the invoice as a draft (Ctrl+S) off the UI goroutine,
// when its state allows editing. Problems are shown next to their fields
// and re-checked on every change until fixed; a draft without customer is
// refused before anything is stored (sales.Invoice.CheckSavable).
func (ed *InvoiceEditor) SaveDraft() {
	if ed.quote != nil {
		ed.saveQuote()
		return
	}
	if ed.busy || ed.rules.Edit != nil {
		return
	}
	inv, errs := ed.invoice()
	check := func(inv *sales.Invoice) error { return inv.CheckSavable() }
	if len(errs) > 0 {
		ed.refuse(check, errs)
		return
	}
	if err := check(&inv); err != nil {
		ed.refuse(check, sales.FieldErrors(err))
		return
	}
	ed.setBusy(true, lang.L("Guardando borrador…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		_, err := ed.deps.Invoices.SaveDraft(ctx, &inv)
		fyne.Do(func() {
			ed.setBusy(false, "")
			if inv.ID != 0 {
				ed.inv.ID, ed.inv.Fecha = inv.ID, inv.Fecha
			}
			if err != nil {
				ed.showError("save draft", err)
				return
			}
			ed.recheck = nil
			ed.showProblems(nil, "")
			ed.status.SetText(lang.L("Borrador guardado."))
		})
	}()
}

// refuse shows problems next to their fields and keeps check running on
// every change, so each goes away once its field is fixed.
func (ed *InvoiceEditor) refuse(check func(*sales.Invoice) error, problems map[string]string) {
	ed.recheck = check
	ed.showProblems(problems, "")
	ed.status.SetText(ed.fixText())
}

// fixText is the status line when what the editor shows must be fixed.
func (ed *InvoiceEditor) fixText() string {
	if ed.quote != nil {
		return lang.L("La cotización tiene datos por corregir.")
	}
	return lang.L("La factura tiene datos por corregir.")
}

// validateForPost is the check Emitir runs before anything is stored:
// sales.Invoice.Validate on the invoice as the service will normalize it.
func (ed *InvoiceEditor) validateForPost(inv *sales.Invoice) error {
	v := *inv
	v.Lines = slices.Clone(inv.Lines)
	v.Normalize()
	return v.Validate(ed.deps.Rules, ed.deps.now()().In(domain.MexicoCity).Year())
}

// Post issues the invoice (Ctrl+E). It first validates what the editor
// shows, so an invoice that cannot be issued leaves nothing behind and
// says what it lacks next to each field; then it asks for confirmation
// with the proposed serie-folio, the customer and the total (issuing spends
// a folio and a stamp; Enter confirms, Escape cancels), and only then, off
// the UI goroutine, saves the draft, unlocks the CSD and posts it (folio,
// seal, stamp queue). On success the editor shows the folio, offers
// printing and locks. It does nothing when the invoice's state does not
// allow posting.
func (ed *InvoiceEditor) Post() {
	if ed.busy || ed.rules.Post != nil || ed.quote != nil {
		return
	}
	inv, errs := ed.invoice()
	if len(errs) > 0 {
		ed.refuse(ed.validateForPost, errs)
		return
	}
	if err := ed.validateForPost(&inv); err != nil {
		if fields := sales.FieldErrors(err); len(fields) > 0 {
			ed.refuse(ed.validateForPost, fields)
			return
		}
		ed.showError("validate invoice", err)
		return
	}
	ed.askPost(inv)
}

// doPost posts inv off the UI goroutine once the user confirmed.
func (ed *InvoiceEditor) doPost(inv sales.Invoice) {
	if ed.busy || ed.rules.Post != nil || ed.quote != nil {
		return
	}
	year := ed.deps.now()().In(domain.MexicoCity).Year()
	opts := sales.PostOptions{OverrideFolio: ed.override, AdminPassword: ed.adminPassword, CreditOverrideReason: ed.creditReason}
	if ed.creditReason != "" && ed.override == nil {
		opts.AdminPassword = ed.creditPassword
	}
	ed.setBusy(true, lang.L("Emitiendo la factura…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		posted, err := ed.post(ctx, &inv, year, opts)
		fyne.Do(func() {
			ed.setBusy(false, "")
			if inv.ID != 0 {
				ed.inv.ID, ed.inv.Fecha = inv.ID, inv.Fecha
			}
			if err != nil {
				ed.creditReason, ed.creditPassword = "", ""
				ed.showError("post invoice", err)
				if errors.Is(err, receivables.ErrCreditRefused) {
					ed.askCreditOverride(inv, domain.UserMessage(err))
				}
				return
			}
			ed.creditReason, ed.creditPassword = "", ""
			ed.recheck = nil
			ed.posted(posted)
		})
	}()
}

// post saves inv as a draft, validates it and posts it; synchronous and
// UI-free. inv.ID is set once the draft is stored, even if a later step
// fails.
func (ed *InvoiceEditor) post(ctx context.Context, inv *sales.Invoice, year int, opts sales.PostOptions) (sales.Invoice, error) {
	if _, err := ed.deps.Invoices.SaveDraft(ctx, inv); err != nil {
		return sales.Invoice{}, err
	}
	if err := inv.Validate(ed.deps.Rules, year); err != nil {
		return sales.Invoice{}, err
	}
	signer, err := ed.deps.Signer(ctx)
	if err != nil {
		return sales.Invoice{}, err
	}
	return ed.deps.Invoices.Post(ctx, inv.ID, ed.issuer, signer, opts)
}

// posted shows the result of a successful post and presents the posted
// state's verdict: read-only, printable, no folio override.
func (ed *InvoiceEditor) posted(inv sales.Invoice) {
	ed.inv.ID, ed.inv.State, ed.inv.Status, ed.inv.Serie, ed.inv.Folio = inv.ID, inv.State, inv.Status, inv.Serie, inv.Folio
	ed.inv.Fecha, ed.inv.UUID = inv.Fecha, inv.UUID
	ed.showProblems(nil, "")
	ed.hideProducts()
	ed.customerResults.Hide()
	shown, _ := ed.invoice()
	ed.filling = true
	ed.applyRules(&shown)
	ed.filling = false
	ed.folio.SetText(inv.FolioText())
	ed.fecha.SetText(inv.Fecha.In(domain.MexicoCity).Format("02/01/2006 15:04:05"))
	ed.status.SetText(lang.L("Factura {{.Folio}} generada y sellada; queda en cola para timbrar.", map[string]any{"Folio": inv.FolioText()}))
	ed.override, ed.adminPassword = nil, ""
	if inv.DepositAccount != 0 {
		ed.deposit.last = inv.DepositAccount
	}
	if ed.OnPosted != nil {
		ed.OnPosted(&inv)
	}
}

// askFolio asks for the folio to use instead of the proposed one and the
// administrator's password ("Cambiar folio…").
func (ed *InvoiceEditor) askFolio() {
	win := ed.window()
	if win == nil {
		return
	}
	number := widget.NewEntry()
	number.SetPlaceHolder(lang.L("Número de folio"))
	password := widget.NewPasswordEntry()
	dialog.ShowForm(lang.L("Cambiar el folio propuesto"), lang.L("Autorizar"), lang.L("Cancelar"), []*widget.FormItem{
		{Text: lang.L("Folio"), Widget: number},
		{Text: lang.L("Contraseña de administrador"), Widget: password},
	}, func(ok bool) {
		if ok {
			ed.OverrideFolio(number.Text, password.Text)
		}
	}, win)
}

// OverrideFolio checks the administrator's password off the UI goroutine
// and, when it is right, makes folio the number the invoice will take when
// posted (the numbers skipped are recorded as voided). Problems are shown
// in the status line.
func (ed *InvoiceEditor) OverrideFolio(folio, password string) {
	n, err := strconv.ParseInt(strings.TrimSpace(folio), 10, 64)
	if err != nil || n < 1 {
		ed.status.SetText(lang.L("Escriba el folio como un número entero, 1 o mayor."))
		return
	}
	if ed.deps.CheckAdmin == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		err := ed.deps.CheckAdmin(ctx, password)
		fyne.Do(func() {
			if err != nil {
				ed.status.SetText(domain.UserMessage(err))
				return
			}
			ed.override, ed.adminPassword = &n, password
			ed.folio.SetText(lang.L("Folio {{.Folio}} autorizado", map[string]any{"Folio": ed.serie.Selected + "-" + strconv.FormatInt(n, 10)}))
		})
	}()
}

// askCreditOverride offers, after the credit check refused a credit sale,
// to have an administrator authorize it: the password and the reason go to
// the domain with the post, which verifies the one and records the other.
func (ed *InvoiceEditor) askCreditOverride(inv sales.Invoice, refusal string) {
	win := ed.window()
	if win == nil {
		return
	}
	password := widget.NewPasswordEntry()
	reason := widget.NewEntry()
	reason.SetPlaceHolder(lang.L("p. ej. pago comprometido por el director"))
	msg := widget.NewLabel(refusal)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewForm(lang.L("Venta a crédito fuera de límite"), lang.L("Autorizar y emitir"), lang.L("Cancelar"), []*widget.FormItem{
		{Text: "", Widget: msg},
		{Text: lang.L("Contraseña de administrador"), Widget: password},
		{Text: lang.L("Motivo"), Widget: reason},
	}, func(ok bool) {
		if !ok {
			return
		}
		if strings.TrimSpace(reason.Text) == "" {
			ed.status.SetText(lang.L("Escriba el motivo de la autorización: queda registrado con la factura."))
			return
		}
		ed.AuthorizeCredit(inv, password.Text, reason.Text)
	}, win)
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// AuthorizeCredit posts inv again with an administrator's credential and
// the reason that authorize the credit sale the check refused.
func (ed *InvoiceEditor) AuthorizeCredit(inv sales.Invoice, password, reason string) {
	ed.creditReason, ed.creditPassword = strings.TrimSpace(reason), password
	ed.doPost(inv)
}
