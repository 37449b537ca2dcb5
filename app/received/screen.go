// Package received is the "CFDI externos" area: the Recibidos and Emitidos
// lists of imported CFDI (what a PAC's administrator panel shows), with
// date range and search, import of files, folders and ZIPs (also dropped
// on the window) with a cancelable progress dialog and the list of
// problems, and "Guardar XML…" / "Guardar PDF…" of the selected document.
package received

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/listing"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// Store is what the lists read (*sqlite.Store).
type Store interface {
	FindReceived(ctx context.Context, f received.Filter) ([]received.Doc, error)
	ReceivedXML(ctx context.Context, id int64) ([]byte, error)
}

// Deps is what the area needs. Import runs off the UI goroutine: it
// imports the files, folders and ZIPs at paths and reports progress. PDF
// draws a CFDI 4.0's printed representation; nil hides "Guardar PDF…".
// Drafts and Link make "Vincular a factura…" (received.Linker); Concordance
// and Products "Crear factura (concordancia)…"; CheckStatus "Consultar
// estatus SAT" (received.StatusChecker over the company's PAC account).
// Each nil hides its action. AutoStatus consults, in the background, the
// documents never consulted when the area opens and after each import, so
// that those left pending while offline are picked up.
type Deps struct {
	Store  Store
	Import func(ctx context.Context, paths []string, progress func(received.Progress)) (received.Result, error)
	PDF    func(ctx context.Context, xml []byte) ([]byte, error)

	Drafts      func(ctx context.Context, issuer, customerRFC string) ([]sales.InvoiceRow, error)
	Link        func(ctx context.Context, invoiceID, docID int64) (sales.Invoice, error)
	Concordance Concordance
	Products    func(ctx context.Context, query string) ([]sales.Product, error)
	CheckStatus func(ctx context.Context, issuer string, ids []int64, progress func(received.Progress)) (received.StatusResult, error)
	AutoStatus  bool
}

// row is one formatted line of the list.
type row struct {
	UUID, Serie, Folio, RfcEmisor, RfcReceptor, Fecha, Tipo, Estatus, Total, Verificacion string
	Factura                                                                               string // "Vinculado" when an invoice of Folio took it

	fecha  time.Time       // the export's Fecha (the CFDI's, Mexico City); zero when unreadable
	total  decimal.Decimal // the export's Total, in moneda
	moneda string
}

// Screen is the area.
type Screen struct {
	widget.BaseWidget

	deps   Deps
	issuer string

	// The parts, exposed for tests.
	List       *widgets.MasterList[received.Doc, row]
	Direction  *widget.RadioGroup
	From, To   *widget.Entry
	ImportFile *widget.Button
	ImportDir  *widget.Button
	SaveXML    *widget.Button
	SavePDF    *widget.Button
	LinkButton *widget.Button // "Vincular a factura…"
	Concord    *widget.Button // "Crear factura (concordancia)…"
	StatusSAT  *widget.Button // "Consultar estatus SAT"
	Note       *widget.Label  // the outcome of the last link, concordancia or SAT consultation

	// LinkView and ConcordView are the open dialogs' contents (for tests).
	LinkView    *LinkView
	ConcordView *ConcordanceView

	problems []string // of the last import, as its result dialog lists them

	statusRunning atomic.Bool // a consultation of SAT runs (one at a time)

	mu     sync.Mutex
	filter received.Filter // Direction, From, To: read by Load off the UI goroutine
}

// tipoNames are the list's names of TipoDeComprobante.
var tipoNames = map[string]string{"I": "Ingreso", "E": "Egreso", "P": "Pago", "T": "Traslado", "N": "Nómina"}

// NewScreen builds the area for the company issuer (its RFC).
func NewScreen(deps Deps, issuer string) *Screen {
	s := &Screen{deps: deps, issuer: issuer}
	s.filter = received.Filter{Issuer: issuer, Direction: received.Recibido}
	s.List = widgets.NewMasterList(widgets.MasterListConfig[received.Doc, row]{
		Placeholder: lang.L("Buscar por UUID, serie, folio, RFC o nombre"),
		NewText:     lang.L("Importar archivos…"),
		Columns: []widgets.Column[row]{
			{Title: "UUID", Width: 290, Text: func(r row) string { return r.UUID }},
			{Title: "Serie", Width: 60, Text: func(r row) string { return r.Serie }},
			{Title: "Folio", Width: 80, Text: func(r row) string { return r.Folio }},
			{Title: "RFC emisor", Width: 130, Text: func(r row) string { return r.RfcEmisor }},
			{Title: "RFC receptor", Width: 130, Text: func(r row) string { return r.RfcReceptor }},
			{Title: "Fecha", Width: 150, Text: func(r row) string { return r.Fecha }, Kind: listing.DateTime, Value: func(r row) any { return r.fecha }},
			{Title: "Tipo", Width: 80, Text: func(r row) string { return r.Tipo }},
			{Title: "Estatus", Width: 110, Text: func(r row) string { return r.Estatus }},
			{Title: "Total", Width: 120, Text: func(r row) string { return r.Total }, Kind: listing.Money, Value: func(r row) any { return r.total }},
			{Title: "Moneda", Text: func(r row) string { return r.moneda }, ExportOnly: true},
			{Title: "Verificación", Width: 110, Text: func(r row) string { return r.Verificacion }},
			{Title: "Factura", Width: 100, Text: func(r row) string { return r.Factura }},
		},
		Load:      s.load,
		CountText: func(n int) string { return lang.L("{{.N}} comprobantes", map[string]any{"N": n}) },
		Active:    func(received.Doc) bool { return true },
		SetActive: func(context.Context, received.Doc, bool) error { return nil },
		Open:      func(*received.Doc) { s.askFile() },
		Title:     lang.L("CFDI externos"),
		All: func(ctx context.Context, query string, _ bool) ([]row, error) {
			_, rows, err := s.find(ctx, query, math.MaxInt32)
			return rows, err
		},
	})
	s.List.Inactive.Hide()
	s.List.Edit.Hide()
	s.List.Toggle.Hide()
	s.ImportFile = s.List.New
	s.ImportDir = widget.NewButtonWithIcon(lang.L("Importar carpeta…"), theme.FolderOpenIcon(), s.askFolder)
	s.SaveXML = widget.NewButtonWithIcon(lang.L("Guardar XML…"), theme.DocumentSaveIcon(), s.saveXML)
	s.SavePDF = widget.NewButtonWithIcon(lang.L("Guardar PDF…"), theme.DocumentPrintIcon(), s.savePDF)
	if deps.PDF == nil {
		s.SavePDF.Hide()
	}
	s.Note = widget.NewLabel("")
	s.Note.Wrapping = fyne.TextWrapWord
	s.LinkButton = widget.NewButtonWithIcon(lang.L("Vincular a factura…"), theme.MailAttachmentIcon(), s.openLink)
	s.Concord = widget.NewButtonWithIcon(lang.L("Crear factura (concordancia)…"), theme.DocumentCreateIcon(), s.openConcordance)
	s.StatusSAT = widget.NewButtonWithIcon(lang.L("Consultar estatus SAT"), theme.SearchIcon(), s.checkStatus)
	if deps.Drafts == nil || deps.Link == nil {
		s.LinkButton.Hide()
	}
	if deps.Concordance == nil || deps.Products == nil {
		s.Concord.Hide()
	}
	if deps.CheckStatus == nil {
		s.StatusSAT.Hide()
	}
	s.Direction = widget.NewRadioGroup([]string{lang.L("Recibidos"), lang.L("Emitidos")}, func(v string) {
		s.mu.Lock()
		s.filter.Direction = received.Recibido
		if v == lang.L("Emitidos") {
			s.filter.Direction = received.Emitido
		}
		s.mu.Unlock()
		s.List.Reload()
	})
	s.Direction.Horizontal = true
	s.Direction.Required = true
	s.From, s.To = widget.NewEntry(), widget.NewEntry()
	s.From.SetPlaceHolder(lang.L("Desde AAAA-MM-DD"))
	s.To.SetPlaceHolder(lang.L("Hasta AAAA-MM-DD"))
	s.From.OnChanged = func(string) { s.dateChanged() }
	s.To.OnChanged = func(string) { s.dateChanged() }
	s.Direction.SetSelected(lang.L("Recibidos"))
	s.ExtendBaseWidget(s)
	if deps.AutoStatus {
		s.checkPendingQuietly()
	}
	return s
}

// CreateRenderer lays out the filters and actions above the list.
func (s *Screen) CreateRenderer() fyne.WidgetRenderer {
	dates := container.NewGridWithColumns(2, s.From, s.To)
	top := container.NewVBox(
		container.NewBorder(nil, nil, s.Direction, nil, dates),
		container.NewGridWrap(fyne.NewSize(230, 40), s.ImportDir, s.SaveXML, s.SavePDF, s.LinkButton, s.Concord, s.StatusSAT),
		s.Note,
	)
	return widget.NewSimpleRenderer(container.NewBorder(top, nil, nil, nil, s.List))
}

// Export is the list as shown under the direction, dates and search,
// every document (Archivo › Exportar lista…).
func (s *Screen) Export() (widgets.ListExport, bool) { return s.List.Export() }

// Reload reads the list again (app reloader).
func (s *Screen) Reload() { s.List.Reload() }

// FocusTarget is the search entry (Ctrl+F).
func (s *Screen) FocusTarget() fyne.Focusable { return s.List.Search }

// dateChanged applies the range once both ends are empty or whole dates.
func (s *Screen) dateChanged() {
	from, to := strings.TrimSpace(s.From.Text), strings.TrimSpace(s.To.Text)
	if !dateOrEmpty(from) || !dateOrEmpty(to) {
		return
	}
	s.mu.Lock()
	s.filter.From, s.filter.To = from, to
	s.mu.Unlock()
	s.List.Reload()
}

func dateOrEmpty(v string) bool {
	if v == "" {
		return true
	}
	_, err := time.Parse(time.DateOnly, v)
	return err == nil
}

func (s *Screen) load(ctx context.Context, query string, _ bool) ([]received.Doc, []row, error) {
	return s.find(ctx, query, 0)
}

// find searches query under the current direction and dates, at most
// limit documents (0: the store's default, as the list shows).
func (s *Screen) find(ctx context.Context, query string, limit int) ([]received.Doc, []row, error) {
	s.mu.Lock()
	f := s.filter
	s.mu.Unlock()
	f.Query, f.Limit = query, limit
	if s.deps.Store == nil {
		return nil, nil, nil
	}
	docs, err := s.deps.Store.FindReceived(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]row, len(docs))
	for i, d := range docs {
		r := row{UUID: d.UUID, Serie: d.Serie, Folio: d.Folio, RfcEmisor: d.RfcEmisor, RfcReceptor: d.RfcReceptor,
			Fecha: strings.Replace(d.Fecha, "T", " ", 1), Tipo: d.Tipo, Estatus: lang.L(received.StatusLabel(d.SATStatus))}
		if n, ok := tipoNames[d.Tipo]; ok {
			r.Tipo = lang.L(n)
		}
		if d.InvoiceID != 0 {
			r.Factura = lang.L("Vinculado")
		}
		r.total, r.moneda = d.TotalDecimal(), d.Moneda
		if t, err := time.ParseInLocation("2006-01-02T15:04:05", d.Fecha, domain.MexicoCity); err == nil {
			r.fecha = t
		}
		r.Total = d.Total + " " + d.Moneda
		if d.Moneda == "MXN" || d.Moneda == "" {
			r.Total = tax.FormatMXN(d.TotalDecimal())
		}
		switch {
		case d.Historical:
			r.Verificacion = "CFDI " + d.Version
		case d.OK:
			r.Verificacion = lang.L("Correcta")
		default:
			r.Verificacion = lang.L("Con fallas")
		}
		rows[i] = r
	}
	return docs, rows, nil
}

// askFile imports one file (XML or ZIP) chosen in the file dialog.
func (s *Screen) askFile() {
	win := widgets.WindowOf(s)
	if win == nil {
		return
	}
	widgets.ShowFileOpen(win, lang.L("Importar CFDI (XML o ZIP)"), []string{".xml", ".zip", ".XML", ".ZIP"}, func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		rc.Close()
		s.ImportPaths([]string{rc.URI().Path()})
	})
}

// askFolder imports a folder chosen in the folder dialog, with its
// subfolders.
func (s *Screen) askFolder() {
	win := widgets.WindowOf(s)
	if win == nil {
		return
	}
	widgets.ShowFolderOpen(win, lang.L("Importar carpeta de CFDI"), func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		s.ImportPaths([]string{u.Path()})
	})
}

// ImportPaths imports files, folders and ZIPs with a cancelable progress
// dialog, then shows the result with its problems and reloads the list.
func (s *Screen) ImportPaths(paths []string) {
	win := widgets.WindowOf(s)
	if s.deps.Import == nil || len(paths) == 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	bar := widget.NewProgressBar()
	current := widget.NewLabel(lang.L("Preparando…"))
	current.Truncation = fyne.TextTruncateEllipsis
	var prog dialog.Dialog
	if win != nil {
		stop := widget.NewButton(lang.L("Cancelar"), cancel)
		prog = dialog.NewCustomWithoutButtons(lang.L("Importando CFDI"),
			container.NewVBox(bar, current, container.NewCenter(stop)), win)
		prog.Resize(fyne.NewSize(480, 160))
		prog.Show()
	}
	go func() {
		defer cancel()
		var last time.Time
		res, err := s.deps.Import(ctx, paths, func(p received.Progress) {
			now := time.Now()
			if now.Sub(last) < 100*time.Millisecond && p.Done != p.Total {
				return
			}
			last = now
			fyne.Do(func() {
				if p.Total > 0 {
					bar.SetValue(float64(p.Done) / float64(p.Total))
				}
				current.SetText(p.Current)
			})
		})
		fyne.Do(func() {
			if prog != nil {
				prog.Hide()
			}
			s.List.Reload()
			s.showResult(win, res, err)
			if s.deps.AutoStatus && res.Imported > 0 {
				s.checkPendingQuietly()
			}
		})
	}()
}

// Summary is the one-line Spanish summary of an import.
func Summary(res received.Result) string {
	return lang.L("Importados: {{.I}} (históricos: {{.H}}, con verificación fallida: {{.F}}); duplicados: {{.D}}; con errores u omitidos: {{.R}}.",
		map[string]any{"I": res.Imported, "H": res.Historical, "F": res.Invalid, "D": res.Duplicates, "R": res.Refused})
}

// showResult shows the summary and every file that needs attention.
func (s *Screen) showResult(win fyne.Window, res received.Result, err error) {
	text := Summary(res)
	if err != nil {
		text = domain.UserMessage(err) + "\n" + text
		if errors.Is(err, context.Canceled) {
			text = lang.L("Importación cancelada.") + "\n" + Summary(res)
		}
	}
	var problems []string
	for _, o := range res.Outcomes {
		if o.Problem() {
			problems = append(problems, fmt.Sprintf("%s: %s", o.Name, o.Reason))
		}
	}
	s.problems = problems
	if win == nil {
		return
	}
	body := []fyne.CanvasObject{widget.NewLabel(text)}
	if len(problems) > 0 {
		list := widget.NewList(func() int { return len(problems) },
			func() fyne.CanvasObject {
				l := widget.NewLabel("")
				l.Wrapping = fyne.TextWrapWord
				return l
			},
			func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(problems[i]) })
		sc := container.NewVScroll(list)
		sc.SetMinSize(fyne.NewSize(640, 300))
		body = append(body, widget.NewLabel(lang.L("Archivos con problemas:")), sc)
	}
	d := dialog.NewCustom(lang.L("Resultado de la importación"), lang.L("Cerrar"), container.NewVBox(body...), win)
	d.Show()
}

// Problems returns the files with problems of the last import, as its
// result dialog lists them.
func (s *Screen) Problems() []string { return s.problems }

// selected returns the selected document, or tells the user to choose one.
func (s *Screen) selected() *received.Doc {
	d := s.List.Selected()
	if d == nil {
		s.List.Status.SetText(lang.L("Elija un comprobante de la lista."))
	}
	return d
}

func fileName(d *received.Doc, ext string) string {
	name := d.UUID
	if name == "" {
		name = strings.Trim(d.Serie+"-"+d.Folio, "-")
	}
	if name == "" {
		name = "cfdi"
	}
	return name + ext
}

// saveXML writes the selected document's stored bytes where the user says.
func (s *Screen) saveXML() {
	d := s.selected()
	win := widgets.WindowOf(s)
	if d == nil || win == nil {
		return
	}
	s.save(win, d, ".xml", func(ctx context.Context) ([]byte, error) { return s.deps.Store.ReceivedXML(ctx, d.ID) })
}

// savePDF draws the selected CFDI 4.0's printed representation and saves
// it; a historical 3.x document has none in Folio.
func (s *Screen) savePDF() {
	d := s.selected()
	win := widgets.WindowOf(s)
	if d == nil || win == nil {
		return
	}
	if d.Historical {
		s.List.Status.SetText(lang.L("Folio imprime CFDI 4.0; de este comprobante guarde el XML."))
		return
	}
	s.save(win, d, ".pdf", func(ctx context.Context) ([]byte, error) {
		raw, err := s.deps.Store.ReceivedXML(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		return s.deps.PDF(ctx, raw)
	})
}

func (s *Screen) save(win fyne.Window, d *received.Doc, ext string, data func(context.Context) ([]byte, error)) {
	widgets.ShowFileSave(win, lang.L("Guardar comprobante"), fileName(d, ext), []string{ext}, func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		go func() {
			defer w.Close()
			b, err := data(context.Background())
			if err == nil {
				_, err = w.Write(b)
			}
			fyne.Do(func() {
				if err != nil {
					s.List.Status.SetText(domain.UserMessage(err))
					return
				}
				s.List.Status.SetText(lang.L("Guardado en {{.Path}}", map[string]any{"Path": w.URI().Path()}))
			})
		}()
	})
}

// TableTexts returns the Spanish texts of the list's header and type
// column, translated where they are shown (for the translation tests).
func TableTexts() []string {
	out := []string{"UUID", "Serie", "Folio", "RFC emisor", "RFC receptor", "Fecha", "Tipo", "Estatus", "Total", "Verificación", "Factura"}
	for _, n := range tipoNames {
		out = append(out, n)
	}
	for _, st := range []string{"", received.SATVigente, received.SATCancelado, received.SATNoEncontrado} {
		out = append(out, received.StatusLabel(st))
	}
	return out
}
