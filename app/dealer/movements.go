package dealer

import (
	"context"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain/dealer"
)

// movementRow is one line of a movement history.
type movementRow struct {
	folio, fecha, entradas, salidas, saldo, cuenta, descripcion string
}

var movementColumns = []widgets.Column[movementRow]{
	{Title: "Folio", Width: 70, Text: func(r movementRow) string { return r.folio }},
	{Title: "Fecha", Width: 140, Text: func(r movementRow) string { return r.fecha }},
	{Title: "Entradas", Width: 80, Text: func(r movementRow) string { return r.entradas }},
	{Title: "Salidas", Width: 80, Text: func(r movementRow) string { return r.salidas }},
	{Title: "Saldo", Width: 80, Text: func(r movementRow) string { return r.saldo }},
	{Title: "Cuenta", Width: 180, Text: func(r movementRow) string { return r.cuenta }},
	{Title: "Descripción", Width: 260, Text: func(r movementRow) string { return r.descripcion }},
}

func movementRowOf(m dealer.Movement) movementRow {
	r := movementRow{fecha: dateText(m.Date), entradas: count(m.In), salidas: count(m.Out), cuenta: m.ClientName, descripcion: m.Comment}
	if m.Folio > 0 {
		r.folio = strconv.FormatInt(m.Folio, 10)
	}
	if m.BalanceAfter >= 0 {
		r.saldo = strconv.FormatInt(m.BalanceAfter, 10)
	}
	return r
}

// MovementsView is a movement history between two dates: "Mi historial"
// (the dealer's own account) or "Ver detalle de movimientos" of a client.
// When the PAC lists no movements, it shows what Folio recorded and says
// so.
type MovementsView struct {
	widget.BaseWidget

	periodTable[movementRow]
	id string // "" the dealer's own account
}

func newMovementsView(a *Area, id string) *MovementsView {
	v := &MovementsView{id: id}
	v.init(a, movementColumns, lang.L("Buscar"), v.Search)
	v.Note.Wrapping = fyne.TextWrapWord
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer shows the period, the table and the note.
func (v *MovementsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.view())
}

// load reads the movements of the period (synchronous; tests call it).
func (v *MovementsView) load(ctx context.Context, svc Service) ([]movementRow, string, error) {
	from, to, err := v.Period.Range()
	if err != nil {
		return nil, "", err
	}
	list, fromFolio, err := svc.History(ctx, v.id, from, to)
	if err != nil {
		return nil, "", err
	}
	rows := make([]movementRow, len(list))
	for i, m := range list {
		rows[i] = movementRowOf(m)
	}
	note := lang.L("{{.N}} movimientos.", map[string]any{"N": len(rows)})
	if fromFolio {
		note = lang.L("Su PAC no entrega el historial por su API: estos son los movimientos hechos desde Folio ({{.N}}). El historial completo está en el portal del PAC.",
			map[string]any{"N": len(rows)})
	}
	return rows, note, nil
}

// Search loads the period off the UI goroutine.
func (v *MovementsView) Search() {
	var rows []movementRow
	var note string
	v.area.searchPeriod(v.Period, v.Note, lang.L("Buscando…"), func(ctx context.Context, svc Service, _, _ time.Time) (err error) {
		rows, note, err = v.load(ctx, svc)
		return err
	}, func() {
		v.rows = rows
		v.Table.Refresh()
		v.Note.SetText(note)
	})
}

// actionRow is one line of "Mis acciones".
type actionRow struct {
	fecha, accion, cuenta, entradas, salidas, saldo, comentario string
}

var actionColumns = []widgets.Column[actionRow]{
	{Title: "Fecha", Width: 140, Text: func(r actionRow) string { return r.fecha }},
	{Title: "Acción", Width: 180, Text: func(r actionRow) string { return r.accion }},
	{Title: "Cuenta", Width: 200, Text: func(r actionRow) string { return r.cuenta }},
	{Title: "Entregados", Width: 90, Text: func(r actionRow) string { return r.entradas }},
	{Title: "Retirados", Width: 90, Text: func(r actionRow) string { return r.salidas }},
	{Title: "Saldo", Width: 80, Text: func(r actionRow) string { return r.saldo }},
	{Title: "Comentario", Width: 240, Text: func(r actionRow) string { return r.comentario }},
}

// ActionsTab is "Mis acciones": what Folio did through the dealer
// account, between two dates.
type ActionsTab struct {
	widget.BaseWidget

	periodTable[actionRow]
}

func newActionsTab(a *Area) *ActionsTab {
	t := &ActionsTab{}
	t.init(a, actionColumns, lang.L("Buscar"), t.Reload)
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the period, the table and the count.
func (t *ActionsTab) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.view())
}

// Reload loads the period off the UI goroutine.
func (t *ActionsTab) Reload() {
	var acts []dealer.Action
	t.area.searchPeriod(t.Period, t.Note, "", func(ctx context.Context, svc Service, from, to time.Time) (err error) {
		acts, err = svc.Actions(ctx, dealer.ActionFilter{From: from, To: to})
		return err
	}, func() {
		t.rows = make([]actionRow, len(acts))
		for i, a := range acts {
			r := actionRow{fecha: dateText(a.At), accion: lang.L(a.Kind.Text()), cuenta: a.ClientName, entradas: count(a.In),
				salidas: count(a.Out), comentario: a.Comment}
			if r.cuenta == "" {
				r.cuenta = a.ClientID
			}
			if a.Kind == dealer.ActionAdd || a.Kind == dealer.ActionRemove || a.Kind == dealer.ActionCreate {
				r.saldo = strconv.FormatInt(a.Balance, 10)
			}
			t.rows[i] = r
		}
		t.Table.Refresh()
		t.Note.SetText(lang.L("{{.N}} acciones hechas desde Folio.", map[string]any{"N": len(acts)}))
	})
}

// ActionTexts are the Spanish names of the actions, translated where shown.
func ActionTexts() []string {
	var out []string
	for _, k := range []dealer.ActionKind{dealer.ActionCreate, dealer.ActionAdd, dealer.ActionRemove, dealer.ActionUpdate,
		dealer.ActionPassword, dealer.ActionDeactivate, dealer.ActionActivate, dealer.ActionDelete, dealer.ActionIssuers, dealer.ActionUseAsPAC} {
		out = append(out, k.Text())
	}
	return out
}
