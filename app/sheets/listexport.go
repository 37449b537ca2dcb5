package sheets

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/print"
)

// MaxPDFRows bounds a printed list: maroto lays out every page in memory
// (about 20 ms a page of 30 rows), so a longer list goes to Excel.
const MaxPDFRows = 10_000

// Format is the file an export writes.
type Format string

// The formats of an export.
const (
	XLSX Format = ".xlsx"
	PDF  Format = ".pdf"
)

// ExportList writes e to out as f: it reads every row (progress is called
// with the rows read, and then with the rows written) and writes the XLSX
// with typed cells (deps.WriteListing) or the PDF listing (deps.PDF, at
// most MaxPDFRows rows). It is synchronous and UI-free; a cancelled ctx
// stops it with ctx's error.
func ExportList(ctx context.Context, deps Deps, e widgets.ListExport, f Format, out io.Writer, progress func(read, written int)) error {
	const op = "export list"
	if progress == nil {
		progress = func(int, int) {}
	}
	t := listing.Table{Title: e.Title, Columns: e.Columns}
	err := e.Rows(ctx, func(r listing.Row) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if f == PDF && len(t.Rows) == MaxPDFRows {
			return domain.E(domain.Invalid, op, lang.L("La lista tiene más de {{.Max}} renglones, demasiados para un PDF: expórtela a Excel o fíltrela.",
				map[string]any{"Max": "10,000"}), nil)
		}
		t.Rows = append(t.Rows, r)
		if len(t.Rows)%500 == 0 {
			progress(len(t.Rows), 0)
		}
		return nil
	})
	if err != nil {
		return err
	}
	progress(len(t.Rows), 0)
	if f == XLSX {
		return deps.WriteListing(ctx, out, t, func(n int) { progress(len(t.Rows), n) })
	}
	for _, r := range t.Rows {
		if err := listing.Check(t.Columns, r); err != nil {
			return err
		}
	}
	header, rows := t.Texts()
	b, err := deps.PDF(&print.Listing{Title: t.Title, Header: header, Rows: rows})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if _, err := io.Copy(out, bytes.NewReader(b)); err != nil {
		return domain.E(domain.Unavailable, op, lang.L("No se pudo guardar el PDF; revise el espacio y los permisos de la carpeta."), err)
	}
	progress(len(t.Rows), len(t.Rows))
	return nil
}

// ShowListExport asks Excel or PDF, then where to save, and exports e
// there off the UI goroutine with a progress dialog whose Cancelar stops
// it (a cancelled or failed export deletes its unfinished file). say
// reports the outcome.
func ShowListExport(w fyne.Window, deps Deps, e widgets.ListExport, say func(msg string, isErr bool)) {
	listExportDialog(w, deps, e, say).Show()
}

// listExportDialog is ShowListExport's first dialog, with extra buttons
// above its own (hidden, then each extra's work, when tapped).
func listExportDialog(w fyne.Window, deps Deps, e widgets.ListExport, say func(msg string, isErr bool), extra ...*widget.Button) dialog.Dialog {
	var d dialog.Dialog
	choose := func(f Format) {
		d.Hide()
		name := strings.ToLower(strings.ReplaceAll(e.Title, " ", "-")) + string(f)
		widgets.ShowFileSave(w, lang.L("Exportar"), name, []string{string(f)}, func(wc fyne.URIWriteCloser, err error) {
			if err != nil || wc == nil {
				return
			}
			runListExport(w, deps, e, f, wc, say)
		})
	}
	box := container.NewVBox()
	for _, b := range extra {
		box.Add(b)
	}
	box.Add(widget.NewLabel(lang.L("Se exporta lo que muestra la lista con su búsqueda y filtros, todas sus páginas.")))
	box.Add(widget.NewButton(lang.L("La lista como se ve (Excel)"), func() { choose(XLSX) }))
	box.Add(widget.NewButton(lang.L("La lista como se ve (PDF)"), func() { choose(PDF) }))
	d = dialog.NewCustom(lang.L("Exportar {{.Catalog}}", map[string]any{"Catalog": e.Title}), lang.L("Cancelar"), box, w)
	return d
}

// runListExport exports to wc with the progress dialog.
func runListExport(w fyne.Window, deps Deps, e widgets.ListExport, f Format, wc fyne.URIWriteCloser, say func(string, bool)) {
	ctx, cancel := context.WithCancel(context.Background())
	label := widget.NewLabel(lang.L("Leyendo la lista…"))
	bar := widget.NewProgressBarInfinite()
	var prog dialog.Dialog
	stop := widget.NewButton(lang.L("Cancelar"), func() {
		cancel()
		label.SetText(lang.L("Cancelando…"))
	})
	prog = dialog.NewCustomWithoutButtons(lang.L("Exportando {{.Catalog}}", map[string]any{"Catalog": e.Title}),
		container.NewVBox(label, bar, container.NewCenter(stop)), w)
	prog.Show()
	go func() {
		defer cancel()
		err := ExportList(ctx, deps, e, f, wc, func(read, written int) {
			text := lang.L("Renglones leídos: {{.Read}}", map[string]any{"Read": read})
			if written > 0 {
				text = lang.L("Renglones escritos: {{.Done}} de {{.Total}}", map[string]any{"Done": written, "Total": read})
			}
			fyne.Do(func() { label.SetText(text) })
		})
		if cerr := wc.Close(); err == nil && cerr != nil {
			err = domain.E(domain.Unavailable, "export list", lang.L("No se pudo guardar el archivo; revise el espacio y los permisos de la carpeta."), cerr)
		}
		if err != nil {
			_ = storage.Delete(wc.URI()) // no half-written file is left behind
		}
		fyne.Do(func() {
			bar.Stop()
			prog.Hide()
			switch {
			case errors.Is(err, context.Canceled):
				say(lang.L("Exportación cancelada; no se guardó ningún archivo."), false)
			case err != nil:
				say(domain.UserMessage(err), true)
			default:
				say(lang.L("Exportado a {{.Name}}.", map[string]any{"Name": wc.URI().Name()}), false)
			}
		})
	}()
}
