package receivables

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// AllResult is what writing every customer's statement did.
type AllResult struct {
	Dir     string
	Written int
	Queued  int      // e-mails queued in the outbox
	NoMail  []string // "RFC Nombre" of customers without e-mail addresses
}

// statementDialog is the open "Estado de cuenta" dialog of one customer.
type statementDialog struct {
	from, to, para *widget.Entry
	send, save     *widget.Button
	dlg            dialog.Dialog
}

// allDialog is the open "Estados de cuenta de todos" dialog and, while it
// runs, its progress.
type allDialog struct {
	from, to *widget.Entry
	mail     *widget.Check
	dlg      dialog.Dialog
	bar      *widget.ProgressBar
	label    *widget.Label
	cancel   *widget.Button
	stop     context.CancelFunc
	result   string // the summary shown at the end
}

// period reads a dialog's dd/mm/aaaa entries, or says what to fix.
func (a *Area) period(from, to *widget.Entry) (time.Time, time.Time, bool) {
	d1, err1 := sales.ParseDay(from.Text, domain.MexicoCity)
	d2, err2 := sales.ParseDay(to.Text, domain.MexicoCity)
	if err1 != nil || err2 != nil || d2.Before(d1) {
		a.screen.status.SetText(lang.L("Escriba el periodo como dd/mm/aaaa, la fecha final no antes de la inicial."))
		return d1, d2, false
	}
	return d1, d2, true
}

// periodEntries are Desde and Hasta, from the first of this month to today.
func (a *Area) periodEntries() (*widget.Entry, *widget.Entry) {
	now := a.screen.now().In(domain.MexicoCity)
	from := widget.NewEntry()
	from.SetText(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, domain.MexicoCity).Format("02/01/2006"))
	to := widget.NewEntry()
	to.SetText(now.Format("02/01/2006"))
	return from, to
}

// askStatement asks for the period of a customer's statement, then saves
// it as PDF where the user says or queues it for e-mail to the addresses
// in "Para" (the customer's, which the user may change), off the UI
// goroutine.
func (a *Area) askStatement(customerID int64, name string) {
	w := widgets.WindowOf(a)
	if w == nil || a.deps.StatementPDF == nil {
		return
	}
	sd := &statementDialog{}
	sd.from, sd.to = a.periodEntries()
	sd.para = widget.NewEntry()
	sd.para.SetPlaceHolder(lang.L("correo@cliente.mx, otro@cliente.mx"))
	form := widget.NewForm(widget.NewFormItem(lang.L("Desde"), sd.from), widget.NewFormItem(lang.L("Hasta"), sd.to),
		widget.NewFormItem(lang.L("Para"), sd.para))
	cancel := widget.NewButton(lang.L("Cancelar"), func() { sd.dlg.Hide() })
	sd.save = widget.NewButton(lang.L("Guardar PDF…"), func() {
		d1, d2, ok := a.period(sd.from, sd.to)
		if !ok {
			return
		}
		sd.dlg.Hide()
		a.saveStatement(w, customerID, name, d1, d2)
	})
	sd.send = widget.NewButton(lang.L("Enviar por correo"), func() {
		d1, d2, ok := a.period(sd.from, sd.to)
		if !ok {
			return
		}
		rcpts := strings.TrimSpace(sd.para.Text)
		if rcpts == "" {
			a.screen.status.SetText(lang.L("Escriba a quién enviar el estado de cuenta, o agregue los correos del cliente en Clientes."))
			return
		}
		sd.dlg.Hide()
		a.sendStatement(customerID, d1, d2, []string{rcpts})
	})
	sd.send.Importance = widget.HighImportance
	if a.deps.MailStatement == nil {
		sd.send.Hide()
		sd.para.Hide()
	}
	custom := dialog.NewCustomWithoutButtons(lang.L("Estado de cuenta de {{.Name}}", map[string]any{"Name": name}), form, w)
	sd.dlg = custom
	custom.SetButtons([]fyne.CanvasObject{cancel, sd.send, sd.save})
	sd.dlg.Resize(fyne.NewSize(460, 0))
	a.stmt = sd
	sd.dlg.Show()
	if a.deps.CustomerEmails != nil && a.deps.MailStatement != nil {
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			emails, err := a.deps.CustomerEmails(ctx, customerID)
			fyne.Do(func() {
				if err == nil && sd.para.Text == "" {
					sd.para.SetText(strings.Join(emails, ", "))
				}
			})
		}()
	}
}

// saveStatement asks where to save the statement and writes it.
func (a *Area) saveStatement(w fyne.Window, customerID int64, name string, d1, d2 time.Time) {
	file := "estado-de-cuenta-" + strings.ReplaceAll(name, " ", "-") + ".pdf"
	widgets.ShowFileSave(w, lang.L("Guardar estado de cuenta"), file, []string{".pdf"}, func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		a.screen.status.SetText(lang.L("Generando el estado de cuenta…"))
		go func() {
			defer wc.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			pdf, err := a.deps.StatementPDF(ctx, customerID, d1, d2)
			if err == nil {
				_, err = wc.Write(pdf)
			}
			fyne.Do(func() {
				if err != nil {
					a.screen.status.SetText(domain.UserMessage(err))
					return
				}
				a.screen.status.SetText(lang.L("Estado de cuenta guardado en {{.Path}}.", map[string]any{"Path": wc.URI().Path()}))
			})
		}()
	})
}

// sendStatement queues the statement in the mail outbox, which sends it
// (and retries it while there is no connection).
func (a *Area) sendStatement(customerID int64, d1, d2 time.Time, rcpts []string) {
	a.screen.status.SetText(lang.L("Generando el estado de cuenta…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		msg, err := a.deps.MailStatement(ctx, customerID, d1, d2, rcpts)
		fyne.Do(func() {
			if err != nil {
				msg = domain.UserMessage(err)
			}
			a.screen.status.SetText(msg)
		})
	}()
}

// ShowAllStatements asks for the period and whether to e-mail them, then
// for the folder, and writes the statement of every customer with a
// balance there with a progress dialog that can be cancelled.
func (a *Area) ShowAllStatements() {
	w := widgets.WindowOf(a)
	if w == nil || a.deps.AllStatements == nil {
		return
	}
	ad := &allDialog{}
	ad.from, ad.to = a.periodEntries()
	ad.mail = widget.NewCheck(lang.L("y enviarlos por correo a cada cliente que tenga correo"), nil)
	if a.deps.MailStatement == nil {
		ad.mail.Hide()
	}
	items := []*widget.FormItem{widget.NewFormItem(lang.L("Desde"), ad.from), widget.NewFormItem(lang.L("Hasta"), ad.to),
		widget.NewFormItem("", ad.mail)}
	a.all = ad
	ad.dlg = dialog.NewForm(lang.L("Estados de cuenta de todos los clientes con saldo"), lang.L("Elegir carpeta…"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		d1, d2, ok := a.period(ad.from, ad.to)
		if !ok {
			return
		}
		widgets.ShowFolderOpen(w, lang.L("Carpeta para los estados de cuenta"), func(dir fyne.ListableURI, err error) {
			if err != nil || dir == nil {
				return
			}
			a.WriteAllStatements(dir.Path(), d1, d2, ad.mail.Checked)
		})
	}, w)
	ad.dlg.Resize(fyne.NewSize(460, 0))
	ad.dlg.Show()
}

// WriteAllStatements writes every statement into dir (the folder chosen
// in ShowAllStatements) showing the progress, and then what was written,
// queued for e-mail and which customers have no e-mail.
func (a *Area) WriteAllStatements(dir string, d1, d2 time.Time, send bool) {
	w := widgets.WindowOf(a)
	if w == nil || a.deps.AllStatements == nil {
		return
	}
	ad := a.all
	if ad == nil {
		ad = &allDialog{}
		a.all = ad
	}
	ctx, stop := context.WithCancel(context.Background())
	ad.stop = stop
	ad.bar = widget.NewProgressBar()
	ad.label = widget.NewLabel(lang.L("Preparando…"))
	ad.cancel = widget.NewButton(lang.L("Cancelar"), func() {
		stop()
		ad.cancel.Disable()
		ad.label.SetText(lang.L("Cancelando; el estado de cuenta en curso se termina…"))
	})
	progress := dialog.NewCustomWithoutButtons(lang.L("Estados de cuenta"), container.NewVBox(ad.label, ad.bar), w)
	progress.SetButtons([]fyne.CanvasObject{ad.cancel})
	progress.Resize(fyne.NewSize(420, 0))
	progress.Show()
	go func() {
		defer stop()
		res, err := a.deps.AllStatements(ctx, dir, d1, d2, send, func(done, total int) {
			fyne.Do(func() {
				ad.bar.SetValue(float64(done) / float64(max(total, 1)))
				ad.label.SetText(lang.L("{{.Done}} de {{.Total}} estados de cuenta", map[string]any{"Done": done, "Total": total}))
			})
		})
		fyne.Do(func() {
			progress.Hide()
			text := lang.L("Se escribieron {{.N}} estados de cuenta en {{.Dir}}.", map[string]any{"N": res.Written, "Dir": dir})
			if send {
				text += "\n" + lang.L("{{.N}} quedaron en la cola de correo; se envían en cuanto el servidor responda.", map[string]any{"N": res.Queued})
			}
			if len(res.NoMail) > 0 {
				text += "\n" + lang.L("Sin correo (agréguelo en Clientes): {{.List}}", map[string]any{"List": strings.Join(res.NoMail, "; ")})
			}
			if err != nil {
				text = domain.UserMessage(err) + "\n" + text
			}
			ad.result = text
			a.screen.status.SetText(strings.ReplaceAll(text, "\n", " "))
			dialog.ShowInformation(lang.L("Estados de cuenta"), text, w)
		})
	}()
}
