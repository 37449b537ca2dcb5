package invoices

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
)

// Printing is what "Imprimir…" and "Guardar PDF…" need: the PDF of a posted
// invoice is drawn from its stored XML. Errors carry Spanish user messages
// that say what to do.
type Printing interface {
	// Printers lists the system's printers and its default ("" for none).
	Printers(ctx context.Context) (names []string, def string, err error)
	// PrintInvoice sends posted invoice id's PDF to printer, copies times,
	// records that it was printed and returns the document's name
	// ("A-12_EKU9003173C9").
	PrintInvoice(ctx context.Context, id int64, printer string, copies int) (name string, err error)
	// InvoicePDF renders posted invoice id's PDF and returns it with its
	// proposed file name ("A-12_EKU9003173C9.pdf").
	InvoicePDF(ctx context.Context, id int64) (fileName string, pdf []byte, err error)
	// PDFSaved records that invoice id's PDF was saved (the list shows it
	// as printed).
	PDFSaved(ctx context.Context, id int64) error
}

// StatusSink is where printing reports its progress (*widgets.StatusBar).
type StatusSink interface {
	SetMessage(text string)
	SetProgress(done, total int)
	HideProgress()
}

// The printer and copies chosen in "Imprimir…", kept in the app's
// preferences: once chosen, "Imprimir…" uses them without asking until the
// user picks others with "Elegir impresora…".
const (
	PrefPrinter = "print.printer"
	PrefCopies  = "print.copies"
)

// printTimeout bounds rendering and handing a job to the system.
const printTimeout = 2 * time.Minute

// printFlow runs "Imprimir…", "Elegir impresora…" and "Guardar PDF…" for
// a window.
type printFlow struct {
	p      Printing
	status StatusSink
	window func() fyne.Window
}

func (f *printFlow) prefs() fyne.Preferences { return fyne.CurrentApp().Preferences() }

// progress shows msg with an indeterminate bar (nil status: nothing).
func (f *printFlow) progress(msg string) {
	if f.status != nil {
		f.status.SetMessage(msg)
		f.status.SetProgress(0, 0)
	}
}

// done hides the bar and shows msg.
func (f *printFlow) done(msg string) {
	if f.status != nil {
		f.status.HideProgress()
		f.status.SetMessage(msg)
	}
}

// fail shows err's user message in a dialog and in the status bar.
func (f *printFlow) fail(err error) {
	f.done(domain.UserMessage(err))
	if w := f.window(); w != nil {
		dialog.ShowError(userError{err}, w)
	}
}

// Print prints invoice id on the remembered printer, or asks for one first
// when none was chosen yet.
func (f *printFlow) Print(id int64) {
	printer := f.prefs().String(PrefPrinter)
	if printer == "" {
		f.Choose(id)
		return
	}
	f.send(id, printer, f.copies())
}

// copies is the remembered number of copies (1 by default).
func (f *printFlow) copies() int {
	if n := f.prefs().IntWithFallback(PrefCopies, 1); n >= 1 {
		return n
	}
	return 1
}

// Choose lists the printers off the UI goroutine, then asks which one and
// how many copies, remembers the answer and prints invoice id.
func (f *printFlow) Choose(id int64) {
	f.progress(lang.L("Buscando impresoras…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		names, def, err := f.p.Printers(ctx)
		fyne.Do(func() {
			if err != nil {
				f.fail(err)
				return
			}
			f.done("")
			f.ask(id, names, def)
		})
	}()
}

// ask shows the printer dialog.
func (f *printFlow) ask(id int64, names []string, def string) {
	w := f.window()
	if w == nil {
		return
	}
	printers := widgets.NewSelect(names, nil)
	chosen := f.prefs().String(PrefPrinter)
	switch {
	case contains(names, chosen):
		printers.SetSelected(chosen)
	case contains(names, def):
		printers.SetSelected(def)
	default:
		printers.SetSelectedIndex(0)
	}
	copies := widget.NewEntry()
	copies.SetText(strconv.Itoa(f.copies()))
	copies.Validator = func(s string) error {
		if _, err := parseCopies(s); err != nil {
			return err
		}
		return nil
	}
	items := []*widget.FormItem{
		{Text: lang.L("Impresora"), Widget: printers,
			HintText: lang.L("Folio la recordará y no volverá a preguntar; para cambiarla use «Elegir impresora…».")},
		{Text: lang.L("Copias"), Widget: copies},
	}
	d := dialog.NewForm(lang.L("Imprimir"), lang.L("Imprimir"), lang.L("Cancelar"), items, func(ok bool) {
		if !ok {
			return
		}
		n, err := parseCopies(copies.Text)
		if err != nil || printers.Selected == "" {
			return
		}
		f.prefs().SetString(PrefPrinter, printers.Selected)
		f.prefs().SetInt(PrefCopies, n)
		f.send(id, printers.Selected, n)
	}, w)
	d.Resize(fyne.NewSize(440, 0))
	d.Show()
}

// parseCopies reads a number of copies, 1 to 999.
func parseCopies(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 || n > 999 {
		return 0, domain.E(domain.Invalid, "print dialog", lang.L("Escriba un número de copias entre 1 y 999."), err)
	}
	return n, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s && s != "" {
			return true
		}
	}
	return false
}

// send prints off the UI goroutine with progress in the status bar; a
// printer that no longer exists is forgotten so that the next print asks.
func (f *printFlow) send(id int64, printer string, copies int) {
	f.progress(lang.L("Imprimiendo en {{.Printer}}…", map[string]any{"Printer": printer}))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
		defer cancel()
		name, err := f.p.PrintInvoice(ctx, id, printer, copies)
		fyne.Do(func() {
			if err != nil {
				if domain.KindOf(err) == domain.NotFound {
					f.prefs().RemoveValue(PrefPrinter)
				}
				f.fail(err)
				return
			}
			f.done(lang.L("{{.Name}} enviado a {{.Printer}} (copias: {{.Copies}}).", map[string]any{"Name": name, "Printer": printer, "Copies": copies}))
		})
	}()
}

// SavePDF renders invoice id's PDF off the UI goroutine, then asks where
// to save it and writes it there.
func (f *printFlow) SavePDF(id int64) {
	f.progress(lang.L("Generando PDF…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), printTimeout)
		defer cancel()
		name, pdf, err := f.p.InvoicePDF(ctx, id)
		fyne.Do(func() {
			if err != nil {
				f.fail(err)
				return
			}
			f.done("")
			w := f.window()
			if w == nil {
				return
			}
			widgets.ShowFileSave(w, lang.L("Guardar PDF"), name, []string{".pdf"}, func(uc fyne.URIWriteCloser, err error) {
				if err != nil {
					f.fail(domain.E(domain.Unavailable, "save PDF", lang.L("No se pudo abrir el archivo elegido; elija otra carpeta."), err))
					return
				}
				if uc == nil {
					return // the user closed the dialog
				}
				if err := writePDF(uc, pdf); err != nil {
					f.fail(err)
					return
				}
				f.done(lang.L("PDF guardado en {{.Path}}", map[string]any{"Path": uc.URI().Path()}))
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					if err := f.p.PDFSaved(ctx, id); err != nil {
						fyne.Do(func() { f.fail(err) })
					}
				}()
			})
		})
	}()
}

// writePDF writes pdf to w and closes it. Failures are Unavailable.
func writePDF(w io.WriteCloser, pdf []byte) error {
	_, err := w.Write(pdf)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return domain.E(domain.Unavailable, "save PDF", lang.L("No se pudo guardar el PDF en el archivo elegido: revise que la carpeta permita escribir y que haya espacio libre."), err)
	}
	return nil
}

// PrintActions returns "Imprimir…", "Elegir impresora…" and "Guardar
// PDF…" over p, as the invoice list and editor run them, for other areas
// that show posted invoices: dialogs go to the window window returns and
// progress to status (which may be nil).
func PrintActions(p Printing, status StatusSink, window func() fyne.Window) (print, choose, savePDF func(invoiceID int64)) {
	f := &printFlow{p: p, status: status, window: window}
	return f.Print, f.Choose, f.SavePDF
}
