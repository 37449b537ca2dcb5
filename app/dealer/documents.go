package dealer

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
)

// clientPicker chooses one client account (for Comprobantes and Emisores).
type clientPicker struct {
	Select  *widget.Select
	clients []dealer.Client
}

func newClientPicker(changed func()) *clientPicker {
	p := &clientPicker{}
	p.Select = widgets.NewSelect(nil, func(string) {
		if changed != nil {
			changed()
		}
	})
	return p
}

// selected returns the chosen account, or nil.
func (p *clientPicker) selected() *dealer.Client {
	i := p.Select.SelectedIndex()
	if i < 0 || i >= len(p.clients) {
		return nil
	}
	return &p.clients[i]
}

// reload lists every account of the dealer in the picker.
func (p *clientPicker) reload(a *Area, status *widget.Label) {
	var all []dealer.Client
	a.run(func(ctx context.Context, svc Service) error {
		for page := 1; page <= maxClientPages; page++ {
			pg, err := svc.Clients(ctx, dealer.Filter{Page: page, PerPage: 50})
			if err != nil {
				return err
			}
			all = append(all, pg.Clients...)
			if page >= pg.TotalPages || len(pg.Clients) == 0 {
				break
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			status.SetText(domain.UserMessage(err))
			return
		}
		prev := p.selected()
		p.clients = all
		names := make([]string, len(all))
		for i, c := range all {
			names[i] = c.Email + " · " + c.RFC
		}
		p.Select.SetOptions(names)
		for i, c := range all {
			if prev != nil && c.ID == prev.ID {
				p.Select.SetSelectedIndex(i)
			}
		}
	})
}

// documentRow is one line of "Comprobantes".
type documentRow struct {
	tipo, uuid, serie, folio, emisor, receptor, fecha, estatus, total string
}

var documentColumns = []widgets.Column[documentRow]{
	{Title: "Tipo", Width: 90, Text: func(r documentRow) string { return r.tipo }},
	{Title: "UUID", Width: 290, Text: func(r documentRow) string { return r.uuid }},
	{Title: "Serie", Width: 60, Text: func(r documentRow) string { return r.serie }},
	{Title: "Folio", Width: 70, Text: func(r documentRow) string { return r.folio }},
	{Title: "RFC emisor", Width: 130, Text: func(r documentRow) string { return r.emisor }},
	{Title: "RFC receptor", Width: 130, Text: func(r documentRow) string { return r.receptor }},
	{Title: "Fecha", Width: 140, Text: func(r documentRow) string { return r.fecha }},
	{Title: "Estatus", Width: 90, Text: func(r documentRow) string { return r.estatus }},
	{Title: "Total", Width: 100, Text: func(r documentRow) string { return r.total }},
}

// DocumentsTab is "Comprobantes": the CFDI a client account issued or
// received between two dates, with "Guardar XML…".
type DocumentsTab struct {
	widget.BaseWidget

	periodTable[documentRow]
	Client *clientPicker
	Save   *widget.Button
	docs   []dealer.Document
	sel    int
}

func newDocumentsTab(a *Area) *DocumentsTab {
	t := &DocumentsTab{sel: -1}
	t.init(a, documentColumns, lang.L("Buscar"), t.Search)
	t.Note.Wrapping = fyne.TextWrapWord
	t.Client = newClientPicker(nil)
	t.Save = widget.NewButtonWithIcon(lang.L("Guardar XML…"), theme.DownloadIcon(), t.saveXML)
	t.Save.Disable()
	t.Table.OnSelected = func(id widget.TableCellID) {
		t.sel = id.Row
		t.Save.Enable()
	}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the account, the period, the table and the note.
func (t *DocumentsTab) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Cuenta")), nil, t.Client.Select), t.Period.bar(t.Find, t.Save))
	return widget.NewSimpleRenderer(container.NewBorder(top, t.Note, nil, nil, t.Table))
}

func (t *DocumentsTab) reloadClients() { t.Client.reload(t.area, t.Note) }

// Search lists the chosen account's documents of the period.
func (t *DocumentsTab) Search() {
	c := t.Client.selected()
	if c == nil {
		t.Note.SetText(lang.L("Elija la cuenta del cliente."))
		return
	}
	var docs []dealer.Document
	t.area.searchPeriod(t.Period, t.Note, lang.L("Buscando…"), func(ctx context.Context, svc Service, from, to time.Time) (err error) {
		docs, err = svc.Documents(ctx, c.ID, from, to)
		return err
	}, func() {
		t.docs, t.sel = docs, -1
		t.Save.Disable()
		t.rows = make([]documentRow, len(docs))
		for i, d := range docs {
			tipo := lang.L("Emitido")
			if d.Received {
				tipo = lang.L("Recibido")
			}
			t.rows[i] = documentRow{tipo: tipo, uuid: d.UUID, serie: d.Serie, folio: d.Folio, emisor: d.RFCEmisor,
				receptor: d.RFCReceptor, fecha: dateText(d.Fecha), estatus: d.Estatus, total: d.Total}
		}
		t.Table.UnselectAll()
		t.Table.Refresh()
		t.Note.SetText(lang.L("{{.N}} comprobantes.", map[string]any{"N": len(docs)}))
	})
}

// saveXML downloads the selected document's XML where the user says.
func (t *DocumentsTab) saveXML() {
	if t.sel < 0 || t.sel >= len(t.docs) {
		return
	}
	d := t.docs[t.sel]
	w := widgets.WindowOf(t)
	if w == nil {
		return
	}
	name := strings.Trim(d.RFCEmisor+"_"+d.Serie+d.Folio+"_"+d.UUID, "_") + ".xml"
	widgets.ShowFileSave(w, lang.L("Guardar XML"), name, []string{".xml"}, func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		var x []byte
		t.area.run(func(ctx context.Context, svc Service) (err error) {
			x, err = svc.DocumentXML(ctx, d)
			if err == nil {
				_, err = wc.Write(x)
			}
			if cerr := wc.Close(); err == nil {
				err = cerr
			}
			return err
		}, func(err error) {
			if err != nil {
				t.Note.SetText(domain.UserMessage(err))
				return
			}
			t.Note.SetText(lang.L("XML guardado."))
		})
	})
}

// IssuersTab is "Emisores": the issuer RFCs a client account may stamp
// for (none listed: any).
type IssuersTab struct {
	widget.BaseWidget

	area   *Area
	Client *clientPicker
	List   *widget.Entry
	Save   *widget.Button
	Note   *widget.Label

	// gen counts loads and saves so a reply that arrives after a newer
	// one started (a slow load landing after Guardar) is dropped instead
	// of overwriting the list or the message.
	gen int
}

func newIssuersTab(a *Area) *IssuersTab {
	t := &IssuersTab{area: a, Note: widget.NewLabel("")}
	t.Note.Wrapping = fyne.TextWrapWord
	t.Client = newClientPicker(func() { t.load() })
	t.List = widget.NewMultiLineEntry()
	t.List.SetPlaceHolder(lang.L("Un RFC por renglón"))
	t.Save = widget.NewButtonWithIcon(lang.L("Guardar emisores"), theme.DocumentSaveIcon(), t.save)
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the account, the list and the button.
func (t *IssuersTab) CreateRenderer() fyne.WidgetRenderer {
	intro := widget.NewLabel(lang.L("RFC emisores con los que la cuenta puede timbrar. Sin ninguno, puede timbrar con cualquiera."))
	intro.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel(lang.L("Cuenta")), nil, t.Client.Select), intro)
	return widget.NewSimpleRenderer(container.NewBorder(top, container.NewVBox(container.NewHBox(t.Save), t.Note), nil, nil, t.List))
}

func (t *IssuersTab) reloadClients() { t.Client.reload(t.area, t.Note) }

func (t *IssuersTab) load() {
	c := t.Client.selected()
	if c == nil {
		return
	}
	var list []string
	t.gen++
	gen := t.gen
	t.area.run(func(ctx context.Context, svc Service) (err error) {
		list, err = svc.Issuers(ctx, c.ID)
		return err
	}, func(err error) {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.Note.SetText(domain.UserMessage(err))
			return
		}
		t.List.SetText(strings.Join(list, "\n"))
		t.Note.SetText("")
	})
}

func (t *IssuersTab) save() {
	c := t.Client.selected()
	if c == nil {
		t.Note.SetText(lang.L("Elija la cuenta del cliente."))
		return
	}
	rfcs := strings.FieldsFunc(t.List.Text, func(r rune) bool { return r == '\n' || r == ',' || r == ';' })
	t.gen++
	gen := t.gen
	t.area.run(func(ctx context.Context, svc Service) error { return svc.SetIssuers(ctx, *c, rfcs) }, func(err error) {
		if gen != t.gen {
			return
		}
		if err != nil {
			t.Note.SetText(domain.UserMessage(err))
			return
		}
		t.Note.SetText(lang.L("Emisores de {{.Email}} guardados.", map[string]any{"Email": c.Email}))
		t.load()
	})
}
