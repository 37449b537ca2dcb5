package dealer

import (
	"context"
	"strconv"
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

// AccountTab is "Mi cuenta": the dealer account's access data (never its
// secrets) and its stamp summary.
type AccountTab struct {
	widget.BaseWidget

	area    *Area
	Name    *widget.Label
	User    *widget.Label
	ID      *widget.Label
	Summary *fyne.Container
	Note    *widget.Label
	Update  *widget.Button
}

func newAccountTab(a *Area) *AccountTab {
	t := &AccountTab{area: a, Name: widget.NewLabel(""), User: widget.NewLabel(""), ID: widget.NewLabel(""),
		Summary: container.NewVBox(), Note: widget.NewLabel("")}
	t.Note.Wrapping = fyne.TextWrapWord
	t.Update = widget.NewButtonWithIcon(lang.L("Actualizar"), theme.ViewRefreshIcon(), t.Reload)
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the access data above the summary.
func (t *AccountTab) CreateRenderer() fyne.WidgetRenderer {
	access := widget.NewForm(widget.NewFormItem(lang.L("PAC"), t.Name), widget.NewFormItem(lang.L("Usuario"), t.User),
		widget.NewFormItem(lang.L("ID de la cuenta"), t.ID))
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Datos de acceso"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), access,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Resumen de timbres"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), t.Summary,
		container.NewHBox(t.Update), t.Note))))
}

// Reload reads the account and its balance off the UI goroutine.
func (t *AccountTab) Reload() {
	var (
		b          dealer.Balance
		name, user string
		clients    int
		assigned   int64
	)
	t.Note.SetText(lang.L("Consultando…"))
	co := t.area.company.ID
	t.area.run(func(ctx context.Context, svc Service) (err error) {
		if t.area.deps.Account != nil {
			if name, user, err = t.area.deps.Account(ctx, co); err != nil {
				return err
			}
		}
		if b, err = svc.OwnBalance(ctx); err != nil {
			return err
		}
		for page := 1; page <= maxClientPages; page++ {
			p, err := svc.Clients(ctx, dealer.Filter{Page: page, PerPage: 50})
			if err != nil {
				return err
			}
			clients += len(p.Clients)
			for _, c := range p.Clients {
				if !c.Unlimited {
					assigned += c.Stamps
				}
			}
			if page >= p.TotalPages || len(p.Clients) == 0 {
				break
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			t.Note.SetText(domain.UserMessage(err))
			return
		}
		t.Name.SetText(name)
		t.User.SetText(user)
		t.ID.SetText(b.AccountID)
		avail := strconv.FormatInt(b.Stamps, 10)
		if b.Unlimited {
			avail = lang.L("Ilimitado")
		}
		f := balanceForm(b)
		f.Append(lang.L("Cuentas de clientes"), widget.NewLabel(strconv.Itoa(clients)))
		f.Append(lang.L("Timbres en cuentas de clientes"), widget.NewLabel(strconv.FormatInt(assigned, 10)))
		t.Summary.Objects = []fyne.CanvasObject{f}
		t.Summary.Refresh()
		t.Note.SetText(lang.L("Tiene {{.N}} timbres disponibles para entregar.", map[string]any{"N": avail}))
	})
}

// reportRow is one line of "Reporte de clientes".
type reportRow struct {
	email, name, rfc, in, out, saldo, usados, asignados string
}

var reportColumns = []widgets.Column[reportRow]{
	{Title: "Usuario (correo)", Width: 220, Text: func(r reportRow) string { return r.email }},
	{Title: "Nombre", Width: 220, Text: func(r reportRow) string { return r.name }},
	{Title: "RFC", Width: 130, Text: func(r reportRow) string { return r.rfc }},
	{Title: "Entregados", Width: 90, Text: func(r reportRow) string { return r.in }},
	{Title: "Retirados", Width: 90, Text: func(r reportRow) string { return r.out }},
	{Title: "Saldo", Width: 80, Text: func(r reportRow) string { return r.saldo }},
	{Title: "Usados", Width: 80, Text: func(r reportRow) string { return r.usados }},
	{Title: "Asignados", Width: 90, Text: func(r reportRow) string { return r.asignados }},
}

// ReportTab is "Reporte de clientes": per account, the stamps Folio
// handed out and took back in the period, and the balance now.
type ReportTab struct {
	widget.BaseWidget

	periodTable[reportRow]
}

func newReportTab(a *Area) *ReportTab {
	t := &ReportTab{}
	t.init(a, reportColumns, lang.L("Generar"), t.Search)
	t.Note.Wrapping = fyne.TextWrapWord
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the period, the table and the note.
func (t *ReportTab) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(t.view())
}

// Search builds the report off the UI goroutine.
func (t *ReportTab) Search() {
	var rep []dealer.ClientReport
	t.area.searchPeriod(t.Period, t.Note, lang.L("Generando…"), func(ctx context.Context, svc Service, from, to time.Time) (err error) {
		rep, err = svc.Report(ctx, from, to)
		return err
	}, func() {
		t.rows = make([]reportRow, len(rep))
		for i, r := range rep {
			saldo := strconv.FormatInt(r.Balance, 10)
			if r.Client.Unlimited {
				saldo = lang.L("Ilimitado")
			}
			t.rows[i] = reportRow{email: r.Client.Email, name: r.Client.Name, rfc: r.Client.RFC, in: count(r.In), out: count(r.Out),
				saldo: saldo, usados: strconv.FormatInt(r.Used, 10), asignados: strconv.FormatInt(r.Assigned, 10)}
		}
		t.Table.Refresh()
		t.Note.SetText(lang.L("{{.N}} cuentas. Entregados y retirados cuentan lo hecho desde Folio en el periodo.", map[string]any{"N": len(rep)}))
	})
}
