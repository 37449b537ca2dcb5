package dealer

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
)

// clientRow is one line of the clients table, already formatted.
type clientRow struct {
	email, name, rfc, stamps, estado string
}

func clientRowOf(c dealer.Client) clientRow {
	r := clientRow{email: c.Email, name: c.Name, rfc: c.RFC, stamps: strconv.FormatInt(c.Stamps, 10), estado: lang.L("Activa")}
	if c.Unlimited {
		r.stamps = lang.L("Ilimitado")
	}
	if !c.Active {
		r.estado = lang.L("Desactivada")
	}
	return r
}

var clientColumns = []widgets.Column[clientRow]{
	{Title: "Usuario (correo)", Width: 240, Text: func(r clientRow) string { return r.email }},
	{Title: "Nombre", Width: 260, Text: func(r clientRow) string { return r.name }},
	{Title: "RFC", Width: 140, Text: func(r clientRow) string { return r.rfc }},
	{Title: "Timbres", Width: 90, Text: func(r clientRow) string { return r.stamps }},
	{Title: "Estado", Width: 110, Text: func(r clientRow) string { return r.estado }},
}

// maxClientPages bounds the pages one search reads (50 accounts each).
const maxClientPages = 40

// ClientsTab is "Clientes": the client accounts with search, "Nueva
// cuenta", edit and deactivate, and the "Acciones" menu of the selected
// account.
type ClientsTab struct {
	widget.BaseWidget

	area    *Area
	list    *widgets.MasterList[dealer.Client, clientRow]
	Menu    *widget.Button
	Message *widget.Label
	// Dialog is the form dialog opened last (tests drive it).
	Dialog interface {
		Show()
		Save()
		Message() string
	}
	fields   map[string]*widgets.FormEntry // inputs of the form opened last, by domain field
	check    *widgets.FormCheck
	fieldErr func(key string) string
}

// fieldError is the problem shown under field key of the form opened last.
func (t *ClientsTab) fieldError(key string) string {
	if t.fieldErr == nil {
		return ""
	}
	return t.fieldErr(key)
}

func newClientsTab(a *Area) *ClientsTab {
	t := &ClientsTab{area: a, Message: widget.NewLabel("")}
	t.Message.Wrapping = fyne.TextWrapWord
	t.list = widgets.NewMasterList(widgets.MasterListConfig[dealer.Client, clientRow]{
		Placeholder:  lang.L("Buscar por correo, RFC o ID de cuenta"),
		NewText:      lang.L("Nueva cuenta"),
		InactiveText: lang.L("Mostrar cuentas dadas de baja"),
		Columns:      clientColumns,
		Load:         t.load,
		CountText: func(n int) string {
			if n == 1 {
				return lang.L("1 cuenta")
			}
			return lang.L("{{.N}} cuentas", map[string]any{"N": n})
		},
		Active: func(c dealer.Client) bool { return c.Active },
		SetActive: func(ctx context.Context, c dealer.Client, active bool) error {
			svc, err := t.service("dealer.SetActive")
			if err != nil {
				return err
			}
			return svc.SetActive(ctx, c, active)
		},
		Open: func(c *dealer.Client) {
			if c == nil {
				t.ShowNew()
				return
			}
			t.ShowEdit(*c)
		},
	})
	t.list.Toggle.SetText(lang.L("Desactivar"))
	t.Menu = widget.NewButtonWithIcon(lang.L("Acciones…"), theme.MoreVerticalIcon(), t.showMenu)
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer shows the list with the actions button and the message
// line below it.
func (t *ClientsTab) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, container.NewVBox(container.NewHBox(t.Menu), t.Message), nil, nil, t.list))
}

// List is the master list (tests drive it).
func (t *ClientsTab) List() *widgets.MasterList[dealer.Client, clientRow] { return t.list }

// load searches the accounts (every page, up to maxClientPages); without
// "Mostrar cuentas dadas de baja" only active accounts.
func (t *ClientsTab) load(ctx context.Context, query string, inactive bool) ([]dealer.Client, []clientRow, error) {
	svc := t.area.svc
	if svc == nil {
		return nil, nil, domain.E(domain.Unavailable, "dealer.clients", lang.L("Aún no hay conexión con la cuenta de distribuidor."), nil)
	}
	f := dealer.Filter{Query: query, PerPage: 50}
	if !inactive {
		on := true
		f.Active = &on
	}
	var items []dealer.Client
	for page := 1; page <= maxClientPages; page++ {
		f.Page = page
		p, err := svc.Clients(ctx, f)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, p.Clients...)
		if page >= p.TotalPages || len(p.Clients) == 0 {
			break
		}
	}
	rows := make([]clientRow, len(items))
	for i, c := range items {
		rows[i] = clientRowOf(c)
	}
	return items, rows, nil
}

// MenuItems are the actions on account c, in the menu's order.
func (t *ClientsTab) MenuItems(c dealer.Client) []*fyne.MenuItem {
	toggle := fyne.NewMenuItem(lang.L("Desactivar"), func() { t.setActive(c, false) })
	if !c.Active {
		toggle = fyne.NewMenuItem(lang.L("Reactivar"), func() { t.setActive(c, true) })
	}
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(lang.L("Agregar timbres…"), func() { t.ShowStamps(c, true) }),
		fyne.NewMenuItem(lang.L("Quitar timbres…"), func() { t.ShowStamps(c, false) }),
		fyne.NewMenuItem(lang.L("Ver reporte"), func() { t.ShowReport(c) }),
		fyne.NewMenuItem(lang.L("Ver detalle de movimientos"), func() { t.ShowMovements(c) }),
		toggle,
		fyne.NewMenuItem(lang.L("Cambiar contraseña…"), func() { t.ShowPassword(c) }),
		fyne.NewMenuItem(lang.L("Editar…"), func() { t.ShowEdit(c) }),
		fyne.NewMenuItem(lang.L("Eliminar…"), func() { t.ConfirmDelete(c) }),
	}
	if t.area.deps.Companies != nil && t.area.deps.UseAsPAC != nil {
		items = append(items, fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem(lang.L("Usar como cuenta PAC de una empresa…"), func() { t.ShowUseAsPAC(c) }))
	}
	return items
}

// showMenu pops the actions of the selected account under the button.
func (t *ClientsTab) showMenu() {
	c := t.list.Selected()
	if c == nil {
		t.Message.SetText(lang.L("Elija una cuenta de la lista."))
		return
	}
	cnv := fyne.CurrentApp().Driver().CanvasForObject(t.Menu)
	if cnv == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(t.Menu).Add(fyne.NewPos(0, t.Menu.Size().Height))
	widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", t.MenuItems(*c)...), cnv, pos)
}

// done shows the outcome of an action and reloads the list on success.
func (t *ClientsTab) done(success string) func(error) {
	return func(err error) {
		if err != nil {
			t.Message.SetText(domain.UserMessage(err))
			return
		}
		t.Message.SetText(success)
		t.list.Reload()
	}
}

func (t *ClientsTab) setActive(c dealer.Client, active bool) {
	msg := lang.L("Cuenta {{.Email}} desactivada.", map[string]any{"Email": c.Email})
	if active {
		msg = lang.L("Cuenta {{.Email}} reactivada.", map[string]any{"Email": c.Email})
	}
	t.area.run(func(ctx context.Context, svc Service) error { return svc.SetActive(ctx, c, active) }, t.done(msg))
}

func (t *ClientsTab) window() fyne.Window { return widgets.WindowOf(t) }

// entry makes a form entry for domain field key.
func (t *ClientsTab) entry(key, text string) *widgets.FormEntry {
	e := widgets.NewFormEntry()
	e.SetText(text)
	t.fields[key] = e
	return e
}

// Field returns the input of domain field key in the form opened last.
func (t *ClientsTab) Field(key string) *widgets.FormEntry { return t.fields[key] }

// Unlimited is the "Ilimitado" check of the form opened last.
func (t *ClientsTab) Unlimited() *widgets.FormCheck { return t.check }

// required marks a label as required.
func required(label string) string { return label + " *" }

// showForm opens d as the form dialog the tests drive, with its fields'
// problems readable through fieldError.
func showForm[T any](t *ClientsTab, d *widgets.FormDialog[T]) {
	t.Dialog = d
	t.fieldErr = func(k string) string {
		if f := d.Field(k); f != nil {
			return f.Error()
		}
		return ""
	}
	d.Show()
}

// service is the dealer service a form saves through, or, before the
// connection is up, the error the form shows.
func (t *ClientsTab) service(op string) (Service, error) {
	if t.area.svc == nil {
		return nil, domain.E(domain.Unavailable, op, lang.L("Aún no hay conexión con la cuenta de distribuidor."), nil)
	}
	return t.area.svc, nil
}

// ShowNew opens "Nueva cuenta de cliente".
func (t *ClientsTab) ShowNew() {
	w := t.window()
	if w == nil {
		return
	}
	t.fields = map[string]*widgets.FormEntry{}
	pw := t.entry("Password", "")
	pw.Password = true
	stamps := t.entry("Stamps", "0")
	t.check = widgets.NewFormCheck(lang.L("Ilimitado (los timbres de la cuenta no se descuentan)"), func(on bool) {
		if on {
			stamps.Disable()
		} else {
			stamps.Enable()
		}
	})
	d := widgets.NewFormDialog(w, widgets.FormDialogConfig[dealer.NewClient]{
		Title: lang.L("Nueva cuenta de cliente"),
		Intro: lang.L("Los campos con * son obligatorios. El correo es el usuario con el que el cliente entra al PAC."),
		Fields: []*widgets.Field{
			{Key: "Name", Label: required(lang.L("Nombre o razón social")), Input: t.entry("Name", "")},
			{Key: "RFC", Label: required(lang.L("RFC")), Input: t.entry("RFC", "")},
			{Key: "Email", Label: required(lang.L("Correo (usuario)")), Input: t.entry("Email", "")},
			{Key: "Password", Label: required(lang.L("Contraseña")), Input: pw,
				Hint: lang.L("Al menos 8 caracteres, con mayúscula, minúscula, número y un símbolo como ! @ # $ %; sin espacios.")},
			{Key: "NotificationEmail", Label: lang.L("Correo de notificaciones"), Input: t.entry("NotificationEmail", "")},
			{Key: "Phone", Label: lang.L("Teléfono"), Input: t.entry("Phone", ""), Hint: lang.L("10 dígitos, con lada.")},
			{Key: "Stamps", Label: required(lang.L("Timbres")), Input: stamps, Hint: lang.L("Se toman de sus timbres disponibles.")},
			{Key: "Unlimited", Label: "", Input: t.check},
		},
		SaveText: lang.L("Crear cuenta"),
		Build:    t.newClient,
		Validate: func(c *dealer.NewClient) error { c.Normalize(); return c.Validate(-1) },
		Save: func(ctx context.Context, c *dealer.NewClient) error {
			svc, err := t.service("dealer.create")
			if err != nil {
				return err
			}
			_, err = svc.Create(ctx, *c)
			return err
		},
		OnSaved: func(c *dealer.NewClient) {
			t.done(lang.L("Cuenta {{.Email}} creada.", map[string]any{"Email": c.Email}))(nil)
		},
	})
	showForm(t, d)
}

// newClient reads the new-account form.
func (t *ClientsTab) newClient() (*dealer.NewClient, error) {
	c := &dealer.NewClient{Name: t.fields["Name"].Text, RFC: t.fields["RFC"].Text, Email: t.fields["Email"].Text,
		Password: t.fields["Password"].Text, NotificationEmail: t.fields["NotificationEmail"].Text, Phone: t.fields["Phone"].Text,
		Unlimited: t.check.Checked}
	if c.Unlimited {
		return c, nil
	}
	n, err := dealer.ParseStamps(t.fields["Stamps"].Text)
	if err != nil {
		return c, fieldError("Stamps", err)
	}
	c.Stamps = n
	return c, nil
}

func fieldError(field string, err error) error {
	var de *domain.Error
	if errors.As(err, &de) {
		return &sales.FieldError{Field: field, Err: de}
	}
	return err
}

// ShowEdit opens "Editar cuenta" for c.
func (t *ClientsTab) ShowEdit(c dealer.Client) {
	w := t.window()
	if w == nil {
		return
	}
	t.fields = map[string]*widgets.FormEntry{}
	t.check = widgets.NewFormCheck(lang.L("Ilimitado (los timbres de la cuenta no se descuentan)"), nil)
	t.check.SetChecked(c.Unlimited)
	d := widgets.NewFormDialog(w, widgets.FormDialogConfig[dealer.ClientUpdate]{
		Title: lang.L("Editar cuenta {{.Email}}", map[string]any{"Email": c.Email}),
		Intro: lang.L("Los campos con * son obligatorios. El correo (usuario) no se puede cambiar."),
		Fields: []*widgets.Field{
			{Key: "Name", Label: required(lang.L("Nombre o razón social")), Input: t.entry("Name", c.Name)},
			{Key: "RFC", Label: required(lang.L("RFC")), Input: t.entry("RFC", c.RFC)},
			{Key: "NotificationEmail", Label: lang.L("Correo de notificaciones"), Input: t.entry("NotificationEmail", c.NotificationEmail)},
			{Key: "Phone", Label: lang.L("Teléfono"), Input: t.entry("Phone", c.Phone), Hint: lang.L("10 dígitos, con lada.")},
			{Key: "Unlimited", Label: "", Input: t.check},
		},
		Build: func() (*dealer.ClientUpdate, error) {
			name, rfc, ne, ph, unl := t.fields["Name"].Text, t.fields["RFC"].Text, t.fields["NotificationEmail"].Text, t.fields["Phone"].Text, t.check.Checked
			return &dealer.ClientUpdate{ID: c.ID, Name: &name, RFC: &rfc, NotificationEmail: &ne, Phone: &ph, Unlimited: &unl}, nil
		},
		Validate: func(u *dealer.ClientUpdate) error { u.Normalize(); return u.Validate() },
		Save: func(ctx context.Context, u *dealer.ClientUpdate) error {
			svc, err := t.service("dealer.update")
			if err != nil {
				return err
			}
			_, err = svc.Update(ctx, *u)
			return err
		},
		OnSaved: func(*dealer.ClientUpdate) {
			t.done(lang.L("Cuenta {{.Email}} guardada.", map[string]any{"Email": c.Email}))(nil)
		},
	})
	showForm(t, d)
}

// ShowStamps opens "Agregar timbres" (add) or "Quitar timbres" for c,
// with its comment.
func (t *ClientsTab) ShowStamps(c dealer.Client, add bool) {
	w := t.window()
	if w == nil {
		return
	}
	t.fields = map[string]*widgets.FormEntry{}
	title, intro, save := lang.L("Agregar timbres a {{.Email}}", map[string]any{"Email": c.Email}),
		lang.L("Los timbres se toman de sus timbres disponibles. La cuenta tiene {{.N}}.", map[string]any{"N": c.Stamps}),
		lang.L("Agregar")
	if !add {
		title, intro, save = lang.L("Quitar timbres a {{.Email}}", map[string]any{"Email": c.Email}),
			lang.L("Los timbres vuelven a sus timbres disponibles. La cuenta tiene {{.N}}.", map[string]any{"N": c.Stamps}),
			lang.L("Quitar")
	}
	comment := t.entry("Comment", "")
	d := widgets.NewFormDialog(w, widgets.FormDialogConfig[dealer.StampsChange]{
		Title: title, Intro: intro, SaveText: save,
		Fields: []*widgets.Field{
			{Key: "Stamps", Label: required(lang.L("Timbres")), Input: t.entry("Stamps", "")},
			{Key: "Comment", Label: lang.L("Comentario"), Input: comment, Hint: lang.L("Aparece en el historial de movimientos.")},
		},
		Build: func() (*dealer.StampsChange, error) {
			ch := &dealer.StampsChange{Client: c, Comment: comment.Text}
			n, err := dealer.ParseStamps(t.fields["Stamps"].Text)
			if err != nil {
				return ch, fieldError("Stamps", err)
			}
			ch.Stamps = n
			return ch, nil
		},
		Save: func(ctx context.Context, ch *dealer.StampsChange) error {
			svc, err := t.service("dealer.stamps")
			if err != nil {
				return err
			}
			var after int64
			if add {
				after, err = svc.AddStamps(ctx, *ch)
			} else {
				after, err = svc.RemoveStamps(ctx, *ch)
			}
			ch.Client.Stamps = after
			return err
		},
		OnSaved: func(ch *dealer.StampsChange) {
			t.done(lang.L("La cuenta {{.Email}} tiene ahora {{.N}} timbres.", map[string]any{"Email": c.Email, "N": ch.Client.Stamps}))(nil)
		},
	})
	showForm(t, d)
}

// ShowPassword opens "Cambiar contraseña" for c.
func (t *ClientsTab) ShowPassword(c dealer.Client) {
	w := t.window()
	if w == nil {
		return
	}
	t.fields = map[string]*widgets.FormEntry{}
	pw, again := t.entry("Password", ""), t.entry("Again", "")
	pw.Password, again.Password = true, true
	type change struct{ password, again string }
	d := widgets.NewFormDialog(w, widgets.FormDialogConfig[change]{
		Title: lang.L("Cambiar contraseña de {{.Email}}", map[string]any{"Email": c.Email}),
		Fields: []*widgets.Field{
			{Key: "Password", Label: required(lang.L("Contraseña nueva")), Input: pw,
				Hint: lang.L("Al menos 8 caracteres, con mayúscula, minúscula, número y un símbolo como ! @ # $ %; sin espacios.")},
			{Key: "Again", Label: required(lang.L("Repita la contraseña")), Input: again},
		},
		SaveText: lang.L("Cambiar contraseña"),
		Build: func() (*change, error) {
			ch := &change{password: strings.TrimSpace(pw.Text), again: strings.TrimSpace(again.Text)}
			if ch.password != ch.again {
				return ch, fieldError("Again", domain.E(domain.Invalid, "dealer.password", lang.L("Las contraseñas no coinciden."), nil))
			}
			return ch, nil
		},
		Save: func(ctx context.Context, ch *change) error {
			svc, err := t.service("dealer.password")
			if err != nil {
				return err
			}
			return svc.ChangePassword(ctx, c, ch.password)
		},
		OnSaved: func(*change) {
			t.Message.SetText(lang.L("Contraseña de {{.Email}} cambiada.", map[string]any{"Email": c.Email}))
		},
	})
	showForm(t, d)
}

// ConfirmDelete asks before deleting c.
func (t *ClientsTab) ConfirmDelete(c dealer.Client) {
	w := t.window()
	if w == nil {
		return
	}
	msg := widget.NewLabel(lang.L("¿Eliminar la cuenta {{.Email}} ({{.RFC}})? El cliente ya no podrá timbrar con ella. Una cuenta con timbres no se puede eliminar: quíteselos primero.",
		map[string]any{"Email": c.Email, "RFC": c.RFC}))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("Eliminar cuenta"), lang.L("Eliminar"), lang.L("Conservar"), msg, func(ok bool) {
		if ok {
			t.Delete(c)
		}
	}, w)
	d.Resize(fyne.NewSize(460, 220))
	d.Show()
}

// Delete deletes c (after ConfirmDelete).
func (t *ClientsTab) Delete(c dealer.Client) {
	t.area.run(func(ctx context.Context, svc Service) error { return svc.Delete(ctx, c) },
		t.done(lang.L("Cuenta {{.Email}} eliminada.", map[string]any{"Email": c.Email})))
}

// ShowReport shows c's balance ("Ver reporte").
func (t *ClientsTab) ShowReport(c dealer.Client) {
	var b dealer.Balance
	t.area.run(func(ctx context.Context, svc Service) (err error) {
		b, err = svc.ClientBalance(ctx, c.ID)
		return err
	}, func(err error) {
		if err != nil {
			t.Message.SetText(domain.UserMessage(err))
			return
		}
		w := t.window()
		if w == nil {
			return
		}
		d := dialog.NewCustom(lang.L("Reporte de {{.Email}}", map[string]any{"Email": c.Email}), lang.L("Cerrar"),
			balanceForm(b, c), w)
		d.Resize(fyne.NewSize(460, 320))
		d.Show()
	})
}

// balanceForm lays out a balance (and the account when c is not nil).
func balanceForm(b dealer.Balance, c ...dealer.Client) *widget.Form {
	f := widget.NewForm()
	if len(c) > 0 {
		f.Append(lang.L("Cuenta"), widget.NewLabel(c[0].Name+" · "+c[0].RFC))
	}
	avail := strconv.FormatInt(b.Stamps, 10)
	if b.Unlimited {
		avail = lang.L("Ilimitado")
	}
	f.Append(lang.L("Timbres disponibles"), widget.NewLabel(avail))
	f.Append(lang.L("Timbres usados"), widget.NewLabel(strconv.FormatInt(b.Used, 10)))
	f.Append(lang.L("Timbres asignados"), widget.NewLabel(strconv.FormatInt(b.Assigned, 10)))
	if m := b.Last; m != nil {
		what := fmt.Sprintf("+%d", m.In)
		if m.Out > 0 {
			what = fmt.Sprintf("−%d", m.Out)
		}
		l := widget.NewLabel(lang.L("Folio {{.Folio}}, {{.Fecha}}: {{.Movimiento}} ({{.Comentario}})",
			map[string]any{"Folio": m.Folio, "Fecha": dateText(m.Date), "Movimiento": what, "Comentario": m.Comment}))
		l.Wrapping = fyne.TextWrapWord
		f.Append(lang.L("Último movimiento"), l)
	}
	return f
}

// ShowMovements shows c's movements ("Ver detalle de movimientos").
func (t *ClientsTab) ShowMovements(c dealer.Client) *MovementsView {
	v := newMovementsView(t.area, c.ID)
	if w := t.window(); w != nil {
		d := dialog.NewCustom(lang.L("Movimientos de {{.Email}}", map[string]any{"Email": c.Email}), lang.L("Cerrar"), v, w)
		d.Resize(fyne.NewSize(900, 520))
		d.Show()
	}
	v.Search()
	return v
}

// ShowUseAsPAC asks which company stamps with c, then sets it as that
// company's PAC account.
func (t *ClientsTab) ShowUseAsPAC(c dealer.Client) {
	w := t.window()
	if w == nil {
		return
	}
	var cos []sales.Company
	t.area.run(func(ctx context.Context, _ Service) (err error) {
		cos, err = t.area.deps.Companies(ctx)
		return err
	}, func(err error) {
		if err != nil {
			t.Message.SetText(domain.UserMessage(err))
			return
		}
		names := make([]string, len(cos))
		for i, co := range cos {
			names[i] = co.RFC + " · " + co.Nombre
		}
		sel := widgets.NewSelect(names, nil)
		body := container.NewVBox(widget.NewLabel(lang.L("La empresa elegida timbrará con la cuenta {{.Email}} y sus timbres.", map[string]any{"Email": c.Email})), sel)
		dialog.NewCustomConfirm(lang.L("Usar como cuenta PAC de una empresa"), lang.L("Usar"), lang.L("Cancelar"), body, func(ok bool) {
			if ok && sel.SelectedIndex() >= 0 {
				t.UseAsPAC(c, cos[sel.SelectedIndex()])
			}
		}, w).Show()
	})
}

// UseAsPAC makes c the PAC account of company co.
func (t *ClientsTab) UseAsPAC(c dealer.Client, co sales.Company) {
	dealerID := t.area.company.ID
	t.area.run(func(ctx context.Context, svc Service) error {
		if err := t.area.deps.UseAsPAC(ctx, dealerID, co.ID, c); err != nil {
			return err
		}
		svc.RecordUseAsPAC(ctx, c, co.RFC)
		return nil
	}, func(err error) {
		if err != nil {
			t.Message.SetText(domain.UserMessage(err))
			return
		}
		t.Message.SetText(lang.L("{{.Empresa}} timbra ahora con la cuenta {{.Email}}.", map[string]any{"Empresa": co.Nombre, "Email": c.Email}))
	})
}
