package invoices

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/shopspring/decimal"
)

// ActionStore is what the list's actions on one invoice need besides the
// rows (*sqlite.Store satisfies it). The list enables "Guardar XML",
// "Duplicar", "Documentos relacionados" and "Eliminar borrador" only when its Store also
// implements ActionStore. Errors carry Spanish user messages.
type ActionStore interface {
	// FindInvoiceByID loads an invoice with its lines (to duplicate it).
	FindInvoiceByID(ctx context.Context, id int64) (sales.Invoice, error)
	// SaveDraft inserts a draft (ID 0) and sets its ID.
	SaveDraft(ctx context.Context, inv *sales.Invoice) error
	// DeleteDraft removes a draft; a posted invoice is a Conflict.
	DeleteDraft(ctx context.Context, id int64) error
	// InvoiceXML returns a posted invoice's fiscal XML as stored (stamped
	// once the PAC returned it).
	InvoiceXML(ctx context.Context, id int64) (xml []byte, stamped bool, err error)
	// DocumentsRelatingTo returns the XML of the issuer's documents that
	// mention uuid (candidates: the caller checks CfdiRelacionados).
	DocumentsRelatingTo(ctx context.Context, issuer, uuid string) ([][]byte, error)
	// CreditNotesOf returns the credit notes posted against invoice id,
	// live or cancelled, oldest first.
	CreditNotesOf(ctx context.Context, id int64) ([]sales.CreditNoteRow, error)
}

// action is one button of the actions row; allowed says whether it applies
// to a row.
type action struct {
	button  *widget.Button
	allowed func(r row) bool
}

// posted reports whether r has a fiscal XML (sealed, stamped or cancelled).
func posted(r row) bool { return r.status != sales.StatusDraft }

// invoiceTable is the list's table: a tap selects a row, a double tap or
// Enter opens it.
type invoiceTable struct {
	widget.Table
	open func()
}

// DoubleTapped selects the row under the pointer and opens it.
func (t *invoiceTable) DoubleTapped(e *fyne.PointEvent) {
	t.Table.Tapped(e)
	t.open()
}

// TypedKey opens the focused row on Enter; other keys move as in a table.
func (t *invoiceTable) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		t.Table.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) // selects the focused cell
		t.open()
		return
	}
	t.Table.TypedKey(e)
}

// buildActions creates the actions row's buttons, disabled until a row is
// selected.
func (l *InvoiceList) buildActions() {
	add := func(text string, icon fyne.Resource, run func(row), allowed func(row) bool) *widget.Button {
		b := widget.NewButtonWithIcon(text, icon, func() {
			if r, ok := l.current(); ok {
				run(r)
			}
		})
		l.actions = append(l.actions, action{button: b, allowed: allowed})
		return b
	}
	withStore := func(f func(row) bool) func(row) bool {
		return func(r row) bool { return l.ops != nil && f(r) }
	}
	l.btnOpen = add(lang.L("Abrir"), theme.FolderOpenIcon(), func(r row) { l.openRow(r) },
		func(row) bool { return l.OnOpen != nil })
	l.btnPrint = add(lang.L("Imprimir…"), theme.DocumentPrintIcon(), func(r row) { l.OnPrint(r.id) },
		func(r row) bool { return l.OnPrint != nil && posted(r) })
	l.btnChoosePrinter = add(lang.L("Elegir impresora…"), theme.SettingsIcon(), func(r row) { l.OnChoosePrinter(r.id) },
		func(r row) bool { return l.OnChoosePrinter != nil && posted(r) })
	l.btnPDF = add(lang.L("Guardar PDF…"), theme.DocumentSaveIcon(), func(r row) { l.OnSavePDF(r.id) },
		func(r row) bool { return l.OnSavePDF != nil && posted(r) })
	l.btnXML = add(lang.L("Guardar XML"), theme.DocumentSaveIcon(), l.saveXMLOf, withStore(posted))
	l.btnSend = add(lang.L("Enviar por correo"), theme.MailSendIcon(), func(r row) { l.OnSend(r.id) },
		func(r row) bool { return l.OnSend != nil && r.status == sales.StatusStamped })
	l.btnCancel = add(lang.L("Cancelar factura"), theme.CancelIcon(), func(r row) { l.OnCancel(r.id) },
		func(r row) bool { return l.OnCancel != nil && r.state.Allowed(sales.EventRequestCancel) == nil })
	// A credit note is made from its invoice: a stamped invoice whose
	// life allows relating to it (not while its cancellation is asked).
	creditable := func(r row) bool {
		return l.OnCredit != nil && r.tipo == sales.TipoIngreso && r.state.Allowed(sales.EventRelate) == nil
	}
	l.btnReturn = add(lang.L("Devolver…"), theme.ContentUndoIcon(), func(r row) { l.OnCredit(r.id, sales.Devolucion) }, creditable)
	l.btnRebate = add(lang.L("Rebajar…"), theme.ContentRemoveIcon(), func(r row) { l.OnCredit(r.id, sales.Rebaja) }, creditable)
	// A credit note is not duplicated: a copy would credit nothing (it is
	// made again from its invoice).
	l.btnDuplicate = add(lang.L("Duplicar"), theme.ContentCopyIcon(), l.duplicateRow,
		withStore(func(r row) bool { return r.tipo != sales.TipoEgreso }))
	// "Documentos relacionados", not "Rastrear": the button shows the CFDI
	// this one relates and those that relate it, and says so.
	l.btnTrace = add(lang.L("Documentos relacionados"), theme.SearchIcon(), l.traceRow, withStore(posted))
	l.btnDelete = add(lang.L("Eliminar borrador"), theme.DeleteIcon(), l.confirmDelete,
		withStore(func(r row) bool { return r.state.Allowed(sales.EventDelete) == nil }))
	l.btnDelete.Importance = widget.DangerImportance
}

// current returns the selected row.
func (l *InvoiceList) current() (row, bool) {
	if l.selected < 0 || l.selected >= len(l.rows) {
		return row{}, false
	}
	return l.rows[l.selected], true
}

// selectRow makes row i the one the actions apply to (-1: none) and enables
// the actions that apply to it.
func (l *InvoiceList) selectRow(i int) {
	l.selected = i
	r, ok := l.current()
	if !ok {
		l.selected = -1
	}
	for _, a := range l.actions {
		if ok && a.allowed(r) {
			a.button.Enable()
		} else {
			a.button.Disable()
		}
	}
}

// openSelected opens the selected row in the editor.
func (l *InvoiceList) openSelected() {
	if r, ok := l.current(); ok {
		l.openRow(r)
	}
}

func (l *InvoiceList) openRow(r row) {
	if l.OnOpen != nil {
		l.OnOpen(r.id)
	}
}

// say shows msg in the status line (danger when err is set).
func (l *InvoiceList) say(msg string, isErr bool) {
	l.status.Importance = widget.MediumImportance
	if isErr {
		l.status.Importance = widget.DangerImportance
	}
	l.status.SetText(msg)
}

// actionContext bounds one action's store work.
func actionContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 30*time.Second)
}

// xmlFileName is the suggested name of a saved XML: "A-12_EKU9003173C9.xml".
func xmlFileName(r row, issuer string) string {
	return r.num + "_" + issuer + ".xml"
}

// saveXMLOf reads the stored XML off the UI goroutine, then asks where to
// save it.
func (l *InvoiceList) saveXMLOf(r row) {
	go func() {
		ctx, cancel := actionContext()
		defer cancel()
		xml, _, err := l.ops.InvoiceXML(ctx, r.id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			w := windowOf(l)
			if w == nil {
				return
			}
			widgets.ShowFileSave(w, lang.L("Guardar XML"), xmlFileName(r, l.issuer), []string{".xml"}, func(uc fyne.URIWriteCloser, err error) {
				if err != nil {
					l.say(domain.UserMessage(domain.E(domain.Unavailable, "invoice list: save XML", lang.L("No se pudo abrir el archivo elegido."), err)), true)
					return
				}
				if uc == nil {
					return // the user closed the dialog
				}
				if err := writeXML(uc, xml); err != nil {
					l.say(domain.UserMessage(err), true)
					return
				}
				l.say(lang.L("XML guardado en {{.Path}}", map[string]any{"Path": uc.URI().Path()}), false)
			})
		})
	}()
}

// writeXML writes the fiscal XML verbatim (the stored bytes are the fiscal
// truth: not one byte may change) and closes w. Failures are Unavailable.
func writeXML(w io.WriteCloser, xml []byte) error {
	const op = "invoice list: save XML"
	_, err := w.Write(xml)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return domain.E(domain.Unavailable, op, lang.L("No se pudo guardar el XML en el archivo elegido."), err)
	}
	return nil
}

// duplicateRow copies the invoice into a new draft off the UI goroutine,
// then reloads the list and opens the draft.
func (l *InvoiceList) duplicateRow(r row) {
	l.say(lang.L("Duplicando…"), false)
	go func() {
		ctx, cancel := actionContext()
		defer cancel()
		id, err := l.duplicateInvoice(ctx, r.id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			l.Reload()
			if l.OnOpen != nil {
				l.OnOpen(id)
			}
		})
	}()
}

// duplicateInvoice stores a new draft copied from invoice id (see
// sales.Invoice.Duplicate) dated now and returns its id; synchronous and
// UI-free.
func (l *InvoiceList) duplicateInvoice(ctx context.Context, id int64) (int64, error) {
	inv, err := l.ops.FindInvoiceByID(ctx, id)
	if err != nil {
		return 0, err
	}
	d := inv.Duplicate(l.clock().Truncate(time.Second))
	if err := l.ops.SaveDraft(ctx, &d); err != nil {
		return 0, err
	}
	return d.ID, nil
}

// confirmDelete asks before deleting a draft.
func (l *InvoiceList) confirmDelete(r row) {
	w := windowOf(l)
	if w == nil {
		return
	}
	msg := widget.NewLabel(lang.L("¿Eliminar el borrador de {{.Customer}}? No se puede deshacer.", map[string]any{"Customer": r.cliente}))
	msg.Wrapping = fyne.TextWrapWord
	dialog.NewCustomConfirm(lang.L("Eliminar borrador"), lang.L("Eliminar"), lang.L("Conservar"), msg, func(ok bool) {
		if ok {
			l.deleteRow(r)
		}
	}, w).Show()
}

// deleteRow deletes a draft off the UI goroutine and reloads.
func (l *InvoiceList) deleteRow(r row) {
	go func() {
		ctx, cancel := actionContext()
		defer cancel()
		err := l.ops.DeleteDraft(ctx, r.id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			l.Reload()
		})
	}()
}

// traceRow finds the related documents off the UI goroutine and shows
// them in a dialog.
func (l *InvoiceList) traceRow(r row) {
	go func() {
		ctx, cancel := actionContext()
		defer cancel()
		lines, err := l.traceInvoice(ctx, r.id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err), true)
				return
			}
			w := windowOf(l)
			if w == nil {
				return
			}
			box := container.NewVBox()
			for _, s := range lines {
				lb := widget.NewLabel(s)
				lb.Wrapping = fyne.TextWrapWord
				box.Add(lb)
			}
			d := dialog.NewCustom(lang.L("Documentos relacionados con {{.Folio}}", map[string]any{"Folio": r.num}),
				lang.L("Cerrar"), container.NewVScroll(box), w)
			d.Resize(fyne.NewSize(640, 400))
			d.Show()
		})
	}()
}

// traceInvoice returns what can be found about invoice id's relations, as
// lines for the dialog: its UUID, the CFDI its XML relates
// (CfdiRelacionados, with the local folio and status when Folio has them),
// the issuer's documents whose CfdiRelacionados name its UUID and, for an
// invoice, its credit notes and what they leave of its total.
// Synchronous and UI-free.
func (l *InvoiceList) traceInvoice(ctx context.Context, id int64) ([]string, error) {
	const op = "invoice list: trace"
	xml, _, err := l.ops.InvoiceXML(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := cfdi.Parse(xml)
	if err != nil {
		return nil, domain.E(domain.Internal, op, lang.L("El XML guardado de la factura no se pudo leer."), err)
	}
	uuid := stampUUID(c)
	var lines []string
	if uuid == "" {
		lines = append(lines, lang.L("Aún no está timbrada: no tiene UUID."))
	} else {
		lines = append(lines, lang.L("UUID: {{.UUID}}", map[string]any{"UUID": uuid}))
	}

	note := c.TipoDeComprobante == sales.TipoEgreso
	if note {
		lines = append(lines, lang.L("Esta nota de crédito relaciona:"))
	} else {
		lines = append(lines, lang.L("Esta factura relaciona:"))
	}
	n := 0
	for _, g := range c.CfdiRelacionados {
		for _, rel := range g.CfdiRelacionado {
			n++
			lines = append(lines, fmt.Sprintf("• %s — %s — %s", lang.L("Tipo de relación {{.Tipo}}", map[string]any{"Tipo": g.TipoRelacion}),
				rel.UUID, l.localName(ctx, rel.UUID)))
		}
	}
	if n == 0 {
		lines = append(lines, "• "+lang.L("Ningún CFDI."))
	}

	if note {
		lines = append(lines, lang.L("Documentos que relacionan esta nota de crédito:"))
	} else {
		lines = append(lines, lang.L("Documentos que relacionan esta factura:"))
	}
	n = 0
	if uuid != "" {
		docs, err := l.ops.DocumentsRelatingTo(ctx, l.issuer, uuid)
		if err != nil {
			return nil, err
		}
		for _, x := range docs {
			d, err := cfdi.Parse(x)
			if err != nil {
				continue // not a CFDI Folio can read: not shown as a relation
			}
			for _, g := range d.CfdiRelacionados {
				for _, rel := range g.CfdiRelacionado {
					if strings.EqualFold(strings.TrimSpace(rel.UUID), uuid) {
						n++
						name := strings.Trim(d.Serie+"-"+d.Folio, "-")
						if u := stampUUID(d); u != "" {
							name += " — " + u
						} else {
							name += " — " + lang.L("sin timbrar")
						}
						lines = append(lines, fmt.Sprintf("• %s — %s", name,
							lang.L("Tipo de relación {{.Tipo}}", map[string]any{"Tipo": g.TipoRelacion})))
					}
				}
			}
		}
	}
	if n == 0 {
		lines = append(lines, "• "+lang.L("Ninguno en Folio."))
	}
	if c.TipoDeComprobante != sales.TipoIngreso {
		return lines, nil
	}
	credit, err := l.creditLines(ctx, id, c)
	if err != nil {
		return nil, err
	}
	return append(lines, credit...), nil
}

// creditLines are the trace's lines about invoice id's credit notes (c is
// its XML): each note with its kind, state and total, a cancelled one
// marked as not counted, and what the live ones leave of the invoice's
// total, in its currency.
func (l *InvoiceList) creditLines(ctx context.Context, id int64, c *cfdi.Comprobante) ([]string, error) {
	const op = "invoice list: trace"
	notes, err := l.ops.CreditNotesOf(ctx, id)
	if err != nil {
		return nil, err
	}
	total, err := decimal.NewFromString(c.Total)
	if err != nil {
		return nil, domain.E(domain.Internal, op, lang.L("El XML guardado de la factura no se pudo leer."), err)
	}
	money := func(d decimal.Decimal) string { return tax.FormatMXN(d) + " " + c.Moneda }
	lines := []string{lang.L("Notas de crédito de esta factura:")}
	credited := decimal.Zero
	for _, n := range notes {
		line := fmt.Sprintf("• %s — %s — %s — %s", n.FolioText(), kindText(n.Kind), stateText(n.State), money(n.Applied))
		if !n.Applied.Equal(n.Total) {
			line += " " + lang.L("(de una nota de {{.Total}} sobre varias facturas)", map[string]any{"Total": money(n.Total)})
		}
		if n.Live() {
			credited = credited.Add(n.Applied)
		} else {
			line += " — " + lang.L("no se descuenta")
		}
		lines = append(lines, line)
	}
	if len(notes) == 0 {
		return append(lines, "• "+lang.L("Ninguna.")), nil
	}
	left := lang.L("Queda de la factura: {{.Left}} ({{.Total}} menos {{.Credited}} de notas de crédito vigentes)",
		map[string]any{"Left": money(total.Sub(credited)), "Total": money(total), "Credited": money(credited)})
	if st := sales.CreditedOf(total, credited); st != sales.CreditedNone {
		left += " — " + lang.L(st.Label())
	}
	return append(lines, left), nil
}

// stampUUID is the TimbreFiscalDigital UUID of c, upper case, or "".
func stampUUID(c *cfdi.Comprobante) string {
	if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(c.Complemento.TimbreFiscalDigital.UUID))
}

// localName is "A-3 (Cancelada)" when the issuer's invoice with uuid is
// in Folio, or a note that it is not.
func (l *InvoiceList) localName(ctx context.Context, uuid string) string {
	rs, err := l.store.FindInvoices(ctx, sales.InvoiceFilter{Issuer: l.issuer, Search: strings.TrimSpace(uuid), Limit: 1})
	if err != nil || len(rs) == 0 || !strings.EqualFold(rs[0].UUID, strings.TrimSpace(uuid)) {
		return lang.L("no está en Folio")
	}
	r := formatRow(rs[0])
	return r.num + " (" + r.st + ")"
}

// windowOf is the window showing o, or nil before it is shown.
func windowOf(o fyne.CanvasObject) fyne.Window {
	return widgets.WindowOf(o)
}
