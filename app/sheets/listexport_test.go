package sheets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/data/sheet"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/internal/uitest"
)

// numbered is a list of n rows: a code and an amount.
func numbered(n int) widgets.ListExport {
	return widgets.ListExport{Title: "Prueba", Columns: []listing.Column{{Title: "Código", Kind: listing.Text}, {Title: "Total", Kind: listing.Money}},
		Rows: func(ctx context.Context, emit func(listing.Row) error) error {
			for i := range n {
				if err := emit(listing.Row{fmt.Sprintf("C%05d", i), decimal.NewFromInt(int64(i))}); err != nil {
					return err
				}
			}
			return nil
		}}
}

// TestExportListLimits: progress counts what was read and then written;
// a PDF longer than MaxPDFRows is refused with advice, before any drawing;
// a cancelled export stops with context.Canceled; a row of the wrong type
// fails instead of printing it.
func TestExportListLimits(t *testing.T) {
	uitest.NewApp(t)
	var pdfs int
	deps := Deps{WriteListing: sheet.WriteListing, PDF: func(l *print.Listing) ([]byte, error) { pdfs++; return print.RenderListing(l, print.Options{}) }}
	ctx := context.Background()

	var read, written int
	if err := ExportList(ctx, deps, numbered(2345), XLSX, &bytes.Buffer{}, func(r, w int) { read, written = r, w }); err != nil {
		t.Fatal(err)
	}
	if read != 2345 || written != 2345 {
		t.Errorf("progress ended at %d read, %d written; want 2345 and 2345", read, written)
	}

	err := ExportList(ctx, deps, numbered(MaxPDFRows+1), PDF, &bytes.Buffer{}, nil)
	if domain.KindOf(err) != domain.Invalid || pdfs != 0 {
		t.Errorf("a PDF of %d rows: %v (drawn %d times)", MaxPDFRows+1, err, pdfs)
	}
	var out bytes.Buffer
	if err := ExportList(ctx, deps, numbered(40), PDF, &out, nil); err != nil || !bytes.HasPrefix(out.Bytes(), []byte("%PDF")) {
		t.Errorf("a PDF of 40 rows: %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	e := numbered(5000)
	rows := e.Rows
	e.Rows = func(ctx context.Context, emit func(listing.Row) error) error {
		return rows(ctx, func(r listing.Row) error {
			if r[0] == "C00100" {
				cancel()
			}
			return emit(r)
		})
	}
	if err := ExportList(cancelled, deps, e, XLSX, &bytes.Buffer{}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled export: %v", err)
	}

	bad := numbered(1)
	bad.Rows = func(_ context.Context, emit func(listing.Row) error) error { return emit(listing.Row{"C1", "1.00"}) }
	for _, f := range []Format{XLSX, PDF} {
		if err := ExportList(ctx, deps, bad, f, &bytes.Buffer{}, nil); domain.KindOf(err) != domain.Internal {
			t.Errorf("%s with text in a money column: %v", f, err)
		}
	}
}

// findButton finds the button labelled text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := findButton(t, c, text); b != nil {
				return b
			}
		}
	case fyne.Widget:
		r := test.TempWidgetRenderer(t, x)
		for _, c := range r.Objects() {
			if b := findButton(t, c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// TestListExportDialog: the export writes the file while a progress
// dialog shows, then says where; Cancelar in that dialog stops a long
// export, closes it, deletes the unfinished file and says so.
func TestListExportDialog(t *testing.T) {
	_, q := uitest.NewApp(t)
	w := test.NewWindow(widget.NewLabel(""))
	defer w.Close()
	w.Resize(fyne.NewSize(800, 600))
	deps := Deps{WriteListing: sheet.WriteListing, PDF: func(l *print.Listing) ([]byte, error) { return print.RenderListing(l, print.Options{}) }}
	var msg string
	var isErr bool
	say := func(m string, e bool) { msg, isErr = m, e }
	open := func(name string) (fyne.URIWriteCloser, string) {
		path := filepath.Join(t.TempDir(), name)
		wc, err := storage.Writer(storage.NewFileURI(path))
		if err != nil {
			t.Fatal(err)
		}
		return wc, path
	}

	wc, path := open("prueba.xlsx")
	runListExport(w, deps, numbered(300), XLSX, wc, say)
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no progress dialog")
	}
	q.RunUntil(t, "exported", func() bool { return msg != "" })
	if isErr || msg != "Exportado a prueba.xlsx." || w.Canvas().Overlays().Top() != nil {
		t.Errorf("after the export: %q (error %v), dialog shown %v", msg, isErr, w.Canvas().Overlays().Top() != nil)
	}
	if f, err := excelize.OpenFile(path); err != nil {
		t.Errorf("the file is not a workbook: %v", err)
	} else {
		rows, _ := f.GetRows(f.GetSheetList()[0])
		if len(rows) != 302 {
			t.Errorf("the workbook has %d rows, want title, header and 300", len(rows))
		}
		f.Close()
	}

	msg = ""
	wc, path = open("larga.pdf")
	endless := numbered(0)
	endless.Rows = func(ctx context.Context, emit func(listing.Row) error) error {
		if err := emit(listing.Row{"C1", decimal.NewFromInt(1)}); err != nil {
			return err
		}
		<-ctx.Done() // a list that takes until the user gives up
		return ctx.Err()
	}
	runListExport(w, deps, endless, PDF, wc, say)
	stop := findButton(t, w.Canvas().Overlays().Top(), "Cancelar")
	if stop == nil {
		t.Fatal("the progress dialog has no Cancelar")
	}
	test.Tap(stop)
	q.RunUntil(t, "cancelled", func() bool { return msg != "" })
	if msg != "Exportación cancelada; no se guardó ningún archivo." || w.Canvas().Overlays().Top() != nil {
		t.Errorf("after Cancelar: %q, dialog shown %v", msg, w.Canvas().Overlays().Top() != nil)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the unfinished file is still there: %v", err)
	}
}
