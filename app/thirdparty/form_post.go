package thirdparty

import (
	"context"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// The steps of the posting sequence, as Prompt.Step names them.
const (
	StepRetention   = "retention"   // the document's retention differs from the customer's
	StepConfirm     = "confirm"     // ¿Desea postear e imprimir?
	StepCorrelative = "correlative" // the proposed number: Continuar / Modificar
	StepOverride    = "override"    // Modificar: number and administrator's password
)

// Prompt is the dialog of the posting sequence on screen: its step, its
// message and its buttons and entries by label, so tests drive it as a
// user would.
type Prompt struct {
	Step    string
	Message *widget.Label
	Buttons map[string]*widget.Button
	Entries map[string]*widget.Entry
	dlg     dialog.Dialog
}

// Prompt returns the dialog of the posting sequence on screen, or nil.
func (f *DocumentForm) Prompt() *Prompt { return f.prompt }

// ask shows a prompt titled title with msg, extra content and buttons
// (label → action, in order; the first is the default). Every button
// closes the prompt before running its action.
func (f *DocumentForm) ask(step, title, msg string, extra []*widget.FormItem, labels []string, actions []func()) {
	win := f.window()
	p := &Prompt{Step: step, Buttons: map[string]*widget.Button{}, Entries: map[string]*widget.Entry{}}
	p.Message = widget.NewLabel(msg)
	p.Message.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(p.Message)
	if len(extra) > 0 {
		form := widget.NewForm(extra...)
		for _, it := range extra {
			if e, ok := it.Widget.(*widget.Entry); ok {
				p.Entries[it.Text] = e
			}
		}
		content.Add(form)
	}
	var buttons []fyne.CanvasObject
	buttons = append(buttons, layout.NewSpacer())
	for i, label := range labels {
		act := actions[i]
		b := widget.NewButton(label, func() {
			if f.prompt == p {
				f.prompt = nil
			}
			if p.dlg != nil {
				p.dlg.Hide()
			}
			act()
		})
		if i == 0 {
			b.Importance = widget.HighImportance
		}
		p.Buttons[label] = b
		buttons = append(buttons, b)
	}
	content.Add(container.NewHBox(buttons...))
	f.prompt = p
	if win == nil {
		return // not shown (tests without a window still drive the buttons)
	}
	p.dlg = dialog.NewCustomWithoutButtons(title, content, win)
	p.dlg.Resize(fyne.NewSize(min(win.Canvas().Size().Width-40, 540), 0))
	p.dlg.Show()
	for _, e := range p.Entries {
		win.Canvas().Focus(e)
		break
	}
}

// Print is "Imprimir" (Ctrl+P). A posted document prints again. A draft
// is first checked and saved (so nothing typed is lost on any cancel),
// then posted after the sequence of questions: the retention warning when
// the document's retention differs from the customer's; "¿Desea postear e
// imprimir?"; the correlative (the series' next number: Continuar takes
// it, Modificar asks an administrator's password and another number). Once
// posted it prints (deps.Print).
func (f *DocumentForm) Print() {
	if f.busy {
		return
	}
	if f.locked {
		if f.inv.Folio != 0 && f.deps.Print != nil {
			f.deps.Print(f.inv.ID)
		}
		return
	}
	inv, bad := f.Document()
	if len(bad) > 0 {
		f.showProblems(bad)
		f.Status.SetText(lang.L("El documento tiene datos por corregir."))
		return
	}
	if err := f.validateForPost(&inv); err != nil {
		f.showFieldErrors(err)
		return
	}
	f.saveThen(func(saved sales.Invoice) {
		f.askRetention(saved)
	})
}

// validateForPost is sales.Invoice.Validate on the document as the
// service will normalize it.
func (f *DocumentForm) validateForPost(inv *sales.Invoice) error {
	v := *inv
	v.Lines = append([]sales.Line(nil), inv.Lines...)
	v.Normalize()
	return v.Validate(f.deps.Editor.Rules, f.now().In(domain.MexicoCity).Year())
}

// askRetention warns when the document's retention differs from the
// customer's, then asks to post.
func (f *DocumentForm) askRetention(inv sales.Invoice) {
	doc, cust, differs := sales.RetentionDiffers(&inv, &inv.Customer)
	if !differs {
		f.askConfirm(inv)
		return
	}
	f.ask(StepRetention, lang.L("Retención distinta a la del cliente"),
		lang.L("La retención de este documento es {{.Doc}} y la del cliente {{.Customer}} es {{.Cust}}. ¿Continuar con la retención del documento?",
			map[string]any{"Doc": percentText(doc), "Customer": inv.Customer.Name, "Cust": percentText(cust)}),
		nil, []string{lang.L("Continuar"), lang.L("Cancelar")},
		[]func(){func() { f.askConfirm(inv) }, f.cancelled})
}

// askConfirm asks "¿Desea postear e imprimir?".
func (f *DocumentForm) askConfirm(inv sales.Invoice) {
	total := "—"
	if t, err := f.deps.Editor.Invoices.Totals(&inv); err == nil {
		total = tax.FormatMXN(t.Total) + " " + inv.Moneda
	}
	f.ask(StepConfirm, lang.L("¿Desea postear e imprimir?"),
		lang.L("El documento {{.Number}} a {{.Customer}} por {{.Total}} toma su número definitivo, se sella y queda en cola para timbrar; después sólo se puede cancelar ante el SAT.",
			map[string]any{"Number": numberText(&inv), "Customer": inv.Customer.Name, "Total": total}),
		nil, []string{lang.L("Sí, postear e imprimir"), lang.L("Cancelar")},
		[]func(){func() { f.proposeNumber(inv, "") }, f.cancelled})
}

// proposeNumber finds the series' next number off the UI goroutine and
// shows the correlative screen; problem, when set, is shown first (a
// refused password).
func (f *DocumentForm) proposeNumber(inv sales.Invoice, problem string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		var next int64
		all, err := f.deps.Editor.Series.FindSeries(ctx, f.issuer.RFC)
		for _, s := range all {
			if s.Serie == inv.Serie && s.CanNumberInvoices() {
				next = s.NextFolio
			}
		}
		fyne.Do(func() {
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			f.showCorrelative(inv, next, problem)
		})
	}()
}

// showCorrelative proposes folio next of inv's series.
func (f *DocumentForm) showCorrelative(inv sales.Invoice, next int64, problem string) {
	msg := lang.L("Número propuesto: {{.Folio}} (el siguiente al último usado en la serie, contando los anulados).",
		map[string]any{"Folio": inv.Serie + "-" + strconv.FormatInt(next, 10)})
	if problem != "" {
		msg = problem + "\n\n" + msg
	}
	labels := []string{lang.L("Continuar"), lang.L("Modificar"), lang.L("Cancelar")}
	actions := []func(){func() { f.post(inv, nil, "") }, func() { f.askOverride(inv, next) }, f.cancelled}
	if f.deps.Editor.CheckAdmin == nil {
		labels = []string{labels[0], labels[2]}
		actions = []func(){actions[0], actions[2]}
	}
	f.ask(StepCorrelative, lang.L("Correlativo"), msg, nil, labels, actions)
}

// askOverride asks for the number and the administrator's password
// ("Modificar").
func (f *DocumentForm) askOverride(inv sales.Invoice, next int64) {
	number := widget.NewEntry()
	number.SetText(strconv.FormatInt(next, 10))
	password := widget.NewPasswordEntry()
	f.ask(StepOverride, lang.L("Modificar el número"),
		lang.L("Sólo un administrador puede cambiar el número propuesto; los números que se salten quedan anulados."),
		[]*widget.FormItem{{Text: lang.L("Número"), Widget: number}, {Text: lang.L("Contraseña de administrador"), Widget: password}},
		[]string{lang.L("Autorizar y postear"), lang.L("Cancelar")},
		[]func(){func() { f.authorize(inv, next, number.Text, password.Text) }, func() { f.showCorrelative(inv, next, "") }})
}

// authorize checks the administrator's password off the UI goroutine and
// posts with the number typed; a wrong password or number goes back to
// the correlative screen saying why (the draft stays as saved).
func (f *DocumentForm) authorize(inv sales.Invoice, next int64, number, password string) {
	n, err := strconv.ParseInt(strings.TrimSpace(number), 10, 64)
	if err != nil || n < 1 {
		f.showCorrelative(inv, next, lang.L("Escriba el número como un entero, 1 o mayor."))
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		err := f.deps.Editor.CheckAdmin(ctx, password)
		fyne.Do(func() {
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				f.showCorrelative(inv, next, domain.UserMessage(err))
				return
			}
			f.post(inv, &n, password)
		})
	}()
}

// cancelled ends the sequence: the draft stays saved.
func (f *DocumentForm) cancelled() {
	f.Status.SetText(lang.L("No se posteó; el borrador {{.Number}} queda guardado.", map[string]any{"Number": numberText(&f.inv)}))
}

// post posts the saved draft off the UI goroutine (with an administrator's
// folio when override is set), then prints it.
func (f *DocumentForm) post(inv sales.Invoice, override *int64, password string) {
	f.setBusy(true, lang.L("Posteando el documento…"))
	opts := sales.PostOptions{OverrideFolio: override, AdminPassword: password}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), formTimeout)
		defer cancel()
		var posted sales.Invoice
		signer, err := f.deps.Editor.Signer(ctx)
		if err == nil {
			posted, err = f.deps.Editor.Invoices.Post(ctx, inv.ID, f.issuer, signer, opts)
		}
		fyne.Do(func() {
			f.setBusy(false, "")
			if err != nil {
				f.Status.SetText(domain.UserMessage(err))
				return
			}
			f.posted(posted)
		})
	}()
}

// posted shows the posted document read-only with its folio and prints it.
func (f *DocumentForm) posted(inv sales.Invoice) {
	f.inv.ID, f.inv.State, f.inv.Status, f.inv.Serie, f.inv.Folio = inv.ID, inv.State, inv.Status, inv.Serie, inv.Folio
	f.inv.Fecha, f.inv.UUID = inv.Fecha, inv.UUID
	f.locked = true
	f.setLocked(true)
	f.Number.SetText(numberText(&f.inv))
	f.Status.SetText(lang.L("Documento {{.Folio}} posteado y sellado; queda en cola para timbrar.", map[string]any{"Folio": inv.FolioText()}))
	if f.OnPosted != nil {
		f.OnPosted(&inv)
	}
	if f.deps.Print != nil {
		f.deps.Print(inv.ID)
	}
}
