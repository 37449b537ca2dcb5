package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// SwitcherStore is what the companies tab reads and writes.
type SwitcherStore interface {
	Store
	CompanyList
}

// Switcher is the "Empresas" tab: the companies of this installation, the
// active one marked. Folio works with one company at a time; "Usar esta
// empresa" makes the selected one active. New companies are added with the
// company form, in a dialog (or the demo company, when it is not there
// yet).
type Switcher struct {
	widget.BaseWidget

	store SwitcherStore
	rules Rules

	// OnActivated is called on the UI goroutine with the company that
	// became active.
	OnActivated func(*sales.Company)

	companies []sales.Company
	activeID  int64
	selected  int // index in companies, -1 for none
	busy      bool

	list     *widget.List
	activate *widget.Button
	add      *widget.Button
	addDemo  *widget.Button
	message  *widget.Label
	view     fyne.CanvasObject
	form     *Form // the form opened last
}

// NewSwitcher returns the tab; Reload fills it.
func NewSwitcher(store SwitcherStore, rules Rules) *Switcher {
	w := &Switcher{store: store, rules: rules, selected: -1}
	w.list = widget.NewList(
		func() int { return len(w.companies) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(w.companies) {
				o.(*widget.Label).SetText(w.rowText(w.companies[id]))
			}
		})
	w.list.OnSelected = func(id widget.ListItemID) { w.selected = id; w.updateButtons() }
	w.list.OnUnselected = func(widget.ListItemID) { w.selected = -1; w.updateButtons() }
	w.activate = widget.NewButtonWithIcon(lang.L("Usar esta empresa"), theme.ConfirmIcon(), w.activateSelected)
	w.activate.Importance = widget.HighImportance
	w.activate.Disable()
	w.add = widget.NewButtonWithIcon(lang.L("Agregar empresa"), theme.ContentAddIcon(), w.showForm)
	w.addDemo = widget.NewButtonWithIcon(lang.L("Agregar la empresa de demostración"), theme.MediaPlayIcon(), w.addDemoCompany)
	w.addDemo.Hide()
	w.message = newMessage()
	top := container.NewVBox(heading(lang.L("Empresas de esta instalación")),
		container.NewHBox(w.activate, w.add, w.addDemo), w.message)
	w.view = container.NewBorder(top, nil, nil, nil, w.list)
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer shows the list.
func (w *Switcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(w.view))
}

func (w *Switcher) rowText(c sales.Company) string {
	t := c.RFC + " — " + c.Nombre
	if c.Demo {
		t += " · " + lang.L("demostración")
	}
	if c.ID == w.activeID {
		t += " · " + lang.L("ACTIVA")
	}
	return t
}

// load reads the companies and the active one's ID (0 when none).
func (w *Switcher) load(ctx context.Context) ([]sales.Company, int64, error) {
	list, err := w.store.ListCompanies(ctx)
	if err != nil {
		return nil, 0, err
	}
	active, err := w.store.ActiveCompany(ctx)
	switch {
	case err == nil:
		return list, active.ID, nil
	case domain.KindOf(err) == domain.NotFound:
		return list, 0, nil
	}
	return nil, 0, err
}

// Reload reads the companies off the UI goroutine and shows them.
func (w *Switcher) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		list, active, err := w.load(ctx)
		fyne.Do(func() { w.apply(list, active, err) })
	}()
}

// apply shows the companies (or err) on the UI goroutine.
func (w *Switcher) apply(list []sales.Company, active int64, err error) {
	if err != nil {
		showMessage(w.message, widget.DangerImportance, domain.UserMessage(err))
		return
	}
	w.companies, w.activeID = list, active
	w.selected = -1
	w.list.UnselectAll()
	w.list.Refresh()
	demo := false
	for _, c := range list {
		demo = demo || c.Demo
	}
	if demo {
		w.addDemo.Hide()
	} else {
		w.addDemo.Show()
	}
	w.updateButtons()
}

// Select selects the company with that RFC in the list, as a click would.
func (w *Switcher) Select(rfc string) {
	for i, c := range w.companies {
		if c.RFC == rfc {
			w.list.Select(i)
		}
	}
}

func (w *Switcher) updateButtons() {
	if !w.busy && w.selected >= 0 && w.selected < len(w.companies) && w.companies[w.selected].ID != w.activeID {
		w.activate.Enable()
	} else {
		w.activate.Disable()
	}
}

// activateSelected makes the selected company the active one.
func (w *Switcher) activateSelected() {
	if w.busy || w.selected < 0 || w.selected >= len(w.companies) {
		return
	}
	c := w.companies[w.selected]
	w.busy = true
	w.updateButtons()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := w.store.SetActiveCompany(ctx, c.ID)
		var list []sales.Company
		var active int64
		if err == nil {
			list, active, err = w.load(ctx)
		}
		fyne.Do(func() {
			w.busy = false
			if err != nil {
				showMessage(w.message, widget.DangerImportance, domain.UserMessage(err))
				w.updateButtons()
				return
			}
			w.apply(list, active, nil)
			showMessage(w.message, widget.SuccessImportance, lang.L("Ahora trabaja con {{.Nombre}} ({{.RFC}}).", map[string]any{"Nombre": c.Nombre, "RFC": c.RFC}))
			if w.OnActivated != nil {
				w.OnActivated(&c)
			}
		})
	}()
}

// showForm opens the company form for a new company in a dialog.
func (w *Switcher) showForm() {
	win := widgets.WindowOf(w)
	if win == nil {
		return
	}
	w.form = NewForm(win, lang.L("Agregar empresa"), w.store, w.rules, nil)
	w.form.OnSaved = func(c *sales.Company) {
		w.Reload()
		showMessage(w.message, widget.SuccessImportance, lang.L("Empresa {{.RFC}} agregada. Para trabajar con ella, selecciónela y pulse «Usar esta empresa».", map[string]any{"RFC": c.RFC}))
	}
	w.form.Show()
}

// addDemoCompany stores the demo company (the window's store also creates
// its demo data and makes it active) and reports it as activated.
func (w *Switcher) addDemoCompany() {
	if w.busy {
		return
	}
	w.busy = true
	w.addDemo.Disable()
	c := sales.DemoCompany()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := w.store.SaveCompany(ctx, c)
		if err == nil {
			err = w.store.SetActiveCompany(ctx, c.ID)
		}
		var list []sales.Company
		var active int64
		if err == nil {
			list, active, err = w.load(ctx)
		}
		fyne.Do(func() {
			w.busy = false
			w.addDemo.Enable()
			if err != nil {
				showMessage(w.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			w.apply(list, active, nil)
			if w.OnActivated != nil {
				w.OnActivated(c)
			}
		})
	}()
}
