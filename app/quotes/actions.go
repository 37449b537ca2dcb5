package quotes

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
)

// savePDF draws the selected quote off the UI goroutine and asks where to
// save it ("Vista previa / PDF…": the user opens the file to look at it).
func (l *QuoteList) savePDF() {
	r, ok := l.current()
	if !ok || l.deps.PDF == nil {
		return
	}
	l.say(lang.L("Generando PDF…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		name, pdf, err := l.deps.PDF(ctx, r.id)
		fyne.Do(func() {
			if err != nil {
				l.say(domain.UserMessage(err))
				return
			}
			l.say("")
			w := widgets.WindowOf(l)
			if w == nil {
				return
			}
			widgets.ShowFileSave(w, lang.L("Guardar PDF de la cotización"), name, []string{".pdf"}, func(uc fyne.URIWriteCloser, err error) {
				if err != nil {
					l.say(lang.L("No se pudo abrir el archivo elegido; elija otra carpeta."))
					return
				}
				if uc == nil {
					return // the user closed the dialog
				}
				l.say(l.writePDF(uc, pdf))
			})
		})
	}()
}

// writePDF writes pdf to w, closes it and says where it went.
func (l *QuoteList) writePDF(w fyne.URIWriteCloser, pdf []byte) string {
	_, err := w.Write(pdf)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return lang.L("No se pudo guardar el PDF en el archivo elegido: revise que la carpeta permita escribir y que haya espacio libre.")
	}
	return lang.L("PDF guardado en {{.Path}}", map[string]any{"Path": w.URI().Path()})
}

// mailDialog is the open "Enviar por correo" dialog.
type mailDialog struct {
	para *widget.Entry
	send *widget.Button
	dlg  dialog.Dialog
}

// askMail asks to whom to send the selected quote ("Para": the
// customer's addresses, editable) and queues it.
func (l *QuoteList) askMail() {
	r, ok := l.current()
	w := widgets.WindowOf(l)
	if !ok || l.deps.Mail == nil || w == nil {
		return
	}
	md := &mailDialog{para: widget.NewEntry()}
	md.para.SetPlaceHolder(lang.L("correo@cliente.mx, otro@cliente.mx"))
	info := widget.NewLabel(lang.L("Se envía el PDF de la cotización {{.Number}} y queda marcada como enviada.", map[string]any{"Number": r.number}))
	info.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("", info), widget.NewFormItem(lang.L("Para"), md.para))
	cancel := widget.NewButton(lang.L("Cancelar"), func() { md.dlg.Hide() })
	md.send = widget.NewButton(lang.L("Enviar por correo"), func() {
		to := strings.TrimSpace(md.para.Text)
		if to == "" {
			l.say(lang.L("Escriba a quién enviar la cotización, o agregue los correos del cliente en Clientes."))
			return
		}
		md.dlg.Hide()
		l.Mail(r.id, []string{to})
	})
	md.send.Importance = widget.HighImportance
	d := dialog.NewCustomWithoutButtons(lang.L("Enviar la cotización {{.Number}}", map[string]any{"Number": r.number}), form, w)
	d.SetButtons([]fyne.CanvasObject{cancel, md.send})
	d.Resize(fyne.NewSize(480, 0))
	md.dlg = d
	l.mail = md
	d.Show()
	if l.deps.Emails != nil {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			emails, err := l.deps.Emails(ctx, r.id)
			fyne.Do(func() {
				if err == nil && md.para.Text == "" {
					md.para.SetText(strings.Join(emails, ", "))
				}
			})
		}()
	}
}

// Mail queues quote id's e-mail for to, off the UI goroutine.
func (l *QuoteList) Mail(id int64, to []string) {
	if l.deps.Mail == nil {
		return
	}
	l.run(lang.L("Generando la cotización para enviarla…"), func(ctx context.Context) (string, error) {
		return l.deps.Mail(ctx, id, to)
	})
}

// askAccept asks to confirm the customer's acceptance: it cannot be
// undone, and it is what allows invoicing the quote.
func (l *QuoteList) askAccept() {
	r, ok := l.current()
	w := widgets.WindowOf(l)
	if !ok || l.deps.Accept == nil || w == nil {
		return
	}
	msg := widget.NewLabel(lang.L("¿El cliente aceptó la cotización {{.Number}}? Después ya no se puede editar; se podrá facturar.", map[string]any{"Number": r.number}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Aceptar cotización"), lang.L("Marcar aceptada"), lang.L("Cancelar"), msg, func(ok bool) {
		if ok {
			l.Accept(r.id)
		}
	}, w)
	d.Resize(fyne.NewSize(460, 0))
	d.Show()
}

// Accept records the acceptance of quote id, off the UI goroutine.
func (l *QuoteList) Accept(id int64) {
	if l.deps.Accept == nil {
		return
	}
	l.run(lang.L("Guardando…"), func(ctx context.Context) (string, error) {
		if err := l.deps.Accept(ctx, id); err != nil {
			return "", err
		}
		return lang.L("Cotización aceptada; ya puede facturarla."), nil
	})
}

// facturar makes the selected accepted quote's invoice draft and opens
// it in "Facturas" (or says where it is).
func (l *QuoteList) facturar() {
	r, ok := l.current()
	if !ok || l.deps.Facturar == nil {
		return
	}
	l.say(lang.L("Creando la factura…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		inv, err := l.deps.Facturar(ctx, r.id)
		fyne.Do(func() {
			msg := lang.L("Factura borrador creada con las partidas de la cotización {{.Number}}; revísela y emítala en Facturas.", map[string]any{"Number": r.number})
			if err != nil {
				msg = domain.UserMessage(err)
			}
			l.say(msg)
			l.notice = msg
			l.Reload()
			if err == nil && l.deps.OpenInvoice != nil {
				l.deps.OpenInvoice(inv.ID)
			}
		})
	}()
}
