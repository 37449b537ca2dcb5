package stamps

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// Canceller requests a cancellation and asks SAT for its progress
// (*stamping.Cancellations satisfies it). Both may take seconds: call them
// off the UI goroutine.
type Canceller interface {
	Request(ctx context.Context, documentID int64, motivo, folioSustitucion string) (stamping.Cancellation, error)
	Refresh(ctx context.Context, documentID int64) (stamping.Cancellation, error)
}

// DocumentRef is the stamped document to cancel.
type DocumentRef struct {
	ID   int64  // the document's id in the stamp queue
	Name string // "Serie-Folio", as the user knows it
	UUID string // its folio fiscal
}

// motivos are SAT's c_MotivoCancelacion keys, in the order of the picker.
var motivos = []string{"01", "02", "03", "04"}

// motivoTitles returns the picker's options: the key and SAT's description.
func motivoTitles() []string {
	return []string{
		lang.L("01 Comprobante emitido con errores con relación"),
		lang.L("02 Comprobante emitido con errores sin relación"),
		lang.L("03 No se llevó a cabo la operación"),
		lang.L("04 Operación nominativa relacionada en una factura global"),
	}
}

// uuidShape is the shape of a folio fiscal (UUID, any case).
var uuidShape = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// cancelRequest checks what the user chose and returns motivo and folio de
// sustitución for the request; an Invalid error says what to fix.
func cancelRequest(doc DocumentRef, motivoIndex int, substitute string) (motivo, folio string, err error) {
	const op = "stamps.cancelRequest"
	if motivoIndex < 0 || motivoIndex >= len(motivos) {
		return "", "", domain.E(domain.Invalid, op, lang.L("Elija el motivo de la cancelación."), nil)
	}
	motivo, folio = motivos[motivoIndex], strings.ToUpper(strings.TrimSpace(substitute))
	if motivo != "01" {
		return motivo, "", nil
	}
	switch {
	case folio == "":
		return "", "", domain.E(domain.Invalid, op, lang.L("El motivo 01 requiere el folio fiscal (UUID) del comprobante que sustituye a este."), nil)
	case !uuidShape.MatchString(folio):
		return "", "", domain.E(domain.Invalid, op, lang.L("El folio fiscal de sustitución debe tener la forma XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX (36 caracteres)."), nil)
	case strings.EqualFold(folio, doc.UUID):
		return "", "", domain.E(domain.Invalid, op, lang.L("El comprobante que sustituye debe ser otro, no el que se cancela."), nil)
	}
	return motivo, folio, nil
}

// cancelState is what the user sees of a cancellation: its Spanish state,
// an explanation, and whether SAT's answer is final.
func cancelState(c stamping.Cancellation) (label, detail string, final bool) {
	switch {
	case c.Status.EstatusCancelacion == "Plazo vencido":
		return lang.L("Plazo vencido"), lang.L("El receptor no respondió dentro del plazo de 72 horas; el SAT dio el comprobante por cancelado."), true
	case c.Status.Estado == "Cancelado" || c.Receipt.EstatusUUID == "202":
		return lang.L("Cancelada"), lang.L("El SAT registra el comprobante como cancelado."), true
	case c.Status.EstatusCancelacion == "Solicitud rechazada":
		return lang.L("Cancelación rechazada"), lang.L("El receptor rechazó la cancelación; el comprobante sigue vigente."), true
	case c.Status.EstatusCancelacion == "En proceso":
		return lang.L("Cancelación en proceso"), lang.L("El SAT espera la respuesta del receptor (tiene 72 horas para aceptar o rechazar)."), false
	}
	return lang.L("Cancelación en proceso"), lang.L("El SAT recibió la solicitud; esperando su respuesta."), false
}

// CancelDialog asks for the motivo (and, for 01, the substitute's UUID),
// requests the cancellation and shows its state until SAT's final answer.
// Create it with NewCancelDialog; its methods run on the UI goroutine.
type CancelDialog struct {
	// PollEvery is the pause between status queries while the
	// cancellation is in process [10 s]. Set it before Show.
	PollEvery time.Duration
	// OnFinished, when set, runs on the UI goroutine once SAT's answer is
	// final (Cancelada, Cancelación rechazada or Plazo vencido).
	OnFinished func(stamping.Cancellation)

	c   Canceller
	doc DocumentRef
	win fyne.Window
	dlg dialog.Dialog

	motivo     *widget.Select
	substitute *widget.Entry
	message    *widget.Label
	state      *widget.Label
	detail     *widget.Label
	progress   *widget.ProgressBarInfinite
	submit     *widget.Button
	closeBtn   *widget.Button

	ctx        context.Context
	stop       context.CancelFunc
	result     stamping.Cancellation
	final      bool
	background atomic.Int64 // goroutines still running
}

// goAsync runs fn on a new goroutine and counts it until it returns.
func (d *CancelDialog) goAsync(fn func()) {
	d.background.Add(1)
	go func() {
		defer d.background.Add(-1)
		fn()
	}()
}

// ShowCancelDialog shows the cancellation dialog of doc on win and returns
// it. It may be called from any screen (the invoice list, "Timbres").
func ShowCancelDialog(win fyne.Window, c Canceller, doc DocumentRef) *CancelDialog {
	d := NewCancelDialog(win, c, doc)
	d.Show()
	return d
}

// NewCancelDialog builds the dialog without showing it.
func NewCancelDialog(win fyne.Window, c Canceller, doc DocumentRef) *CancelDialog {
	d := &CancelDialog{PollEvery: 10 * time.Second, c: c, doc: doc, win: win}
	d.ctx, d.stop = context.WithCancel(context.Background())
	d.motivo = widgets.NewSelect(motivoTitles(), func(string) { d.motivoChanged() })
	d.motivo.PlaceHolder = lang.L("Elija el motivo")
	d.substitute = widget.NewEntry()
	d.substitute.SetPlaceHolder(lang.L("Folio fiscal (UUID) del comprobante que lo sustituye"))
	d.substitute.Disable()
	d.message = widget.NewLabel("")
	d.message.Wrapping = fyne.TextWrapWord
	d.message.Importance = widget.DangerImportance
	d.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.detail = widget.NewLabel("")
	d.detail.Wrapping = fyne.TextWrapWord
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.submit = widget.NewButtonWithIcon(lang.L("Solicitar cancelación"), theme.DeleteIcon(), d.Submit)
	d.submit.Importance = widget.DangerImportance
	d.closeBtn = widget.NewButton(lang.L("Cerrar"), d.Close)

	head := widget.NewLabel(lang.L("Cancelar {{.Folio}} (folio fiscal {{.UUID}}) ante el SAT.", map[string]any{"Folio": doc.Name, "UUID": doc.UUID}))
	head.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Motivo"), d.motivo),
		widget.NewFormItem(lang.L("Sustituye a"), d.substitute))
	content := container.NewVBox(head, form, d.message, d.state, d.progress, d.detail,
		container.NewHBox(layout.NewSpacer(), d.closeBtn, d.submit))
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("Cancelar comprobante"), content, win)
	d.dlg.Resize(fyne.NewSize(600, 380))
	return d
}

// Show shows the dialog.
func (d *CancelDialog) Show() { d.dlg.Show() }

// Close hides the dialog and stops following the request; a request
// already sent goes on at SAT.
func (d *CancelDialog) Close() {
	d.stop()
	d.progress.Stop()
	d.dlg.Hide()
}

// State returns the Spanish state shown ("" before the request).
func (d *CancelDialog) State() string { return d.state.Text }

// Message returns the problem shown, "" when none.
func (d *CancelDialog) Message() string { return d.message.Text }

// motivoChanged enables the substitute only for motivo 01.
func (d *CancelDialog) motivoChanged() {
	if d.motivo.SelectedIndex() == 0 {
		d.substitute.Enable()
	} else {
		d.substitute.SetText("")
		d.substitute.Disable()
	}
	d.message.SetText("")
}

// Submit validates the choice and sends the request off the UI goroutine.
func (d *CancelDialog) Submit() {
	motivo, folio, err := cancelRequest(d.doc, d.motivo.SelectedIndex(), d.substitute.Text)
	if err != nil {
		d.message.SetText(domain.UserMessage(err))
		return
	}
	d.message.SetText("")
	d.motivo.Disable()
	d.substitute.Disable()
	d.submit.Disable()
	d.state.SetText(lang.L("Enviando la solicitud al SAT…"))
	d.busy(true)
	ctx := d.ctx
	d.goAsync(func() {
		rctx, cancel := context.WithTimeout(ctx, storeTimeout)
		c, err := d.c.Request(rctx, d.doc.ID, motivo, folio)
		cancel()
		fyne.Do(func() {
			if ctx.Err() != nil {
				return
			}
			if err != nil {
				d.busy(false)
				d.state.SetText("")
				d.motivo.Enable()
				d.motivoChanged()
				d.message.SetText(domain.UserMessage(err))
				d.submit.Enable()
				return
			}
			d.apply(c)
		})
	})
}

// busy shows or hides the activity indicator.
func (d *CancelDialog) busy(on bool) {
	if on {
		d.progress.Show()
		d.progress.Start()
		return
	}
	d.progress.Stop()
	d.progress.Hide()
}

// apply shows a cancellation's state and, until it is final, schedules the
// next status query.
func (d *CancelDialog) apply(c stamping.Cancellation) {
	d.result = c
	label, detail, final := cancelState(c)
	d.state.SetText(label)
	d.detail.SetText(detail)
	if !final {
		ctx := d.ctx
		d.goAsync(func() { d.poll(ctx) })
		return
	}
	d.final = true
	d.busy(false)
	if d.OnFinished != nil {
		d.OnFinished(c)
	}
}

// poll waits PollEvery, asks SAT for the status and applies it; a failed
// query is shown and tried again.
func (d *CancelDialog) poll(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-time.After(d.PollEvery):
	}
	rctx, cancel := context.WithTimeout(ctx, storeTimeout)
	c, err := d.c.Refresh(rctx, d.doc.ID)
	cancel()
	fyne.Do(func() {
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			d.message.SetText(lang.L("No se pudo consultar el estado en el SAT ({{.Problem}}); se intentará de nuevo.", map[string]any{"Problem": domain.UserMessage(err)}))
			d.goAsync(func() { d.poll(ctx) })
			return
		}
		d.message.SetText("")
		d.apply(c)
	})
}
