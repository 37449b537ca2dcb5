package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// Welcome is the first-run screen, shown while no company is configured. It
// offers the demo company (SAT's test CSD, stamped by the local PAC
// simulator) or the form for the user's own company, in a dialog. Either
// choice is stored through Store and then reported to OnDone. With a
// Connector (SetConnector) it also offers "Conectar a un servidor", the
// ServerConnect page, reported to OnConnected.
type Welcome struct {
	widget.BaseWidget

	store Store
	rules Rules

	// OnDone is called on the UI goroutine with the company just stored.
	OnDone func(*sales.Company)
	// OnConnected is called on the UI goroutine once this workstation is
	// connected to a server (and unlocked when its secrets needed it).
	OnConnected func(Server)

	demoButton *widget.Button
	ownButton  *widget.Button
	message    *widget.Label
	form       *Form // the form opened last
	choices    *fyne.Container
	cards      *fyne.Container
	page       *fyne.Container // the choices, or the server page

	connector    Connector
	serverButton *widget.Button
	server       *ServerConnect // the server page, once opened
}

// NewWelcome returns the first-run screen.
func NewWelcome(store Store, rules Rules) *Welcome {
	w := &Welcome{store: store, rules: rules}

	w.demoButton = widget.NewButtonWithIcon(lang.L("Usar la empresa de demostración"), theme.MediaPlayIcon(), w.chooseDemo)
	w.demoButton.Importance = widget.HighImportance
	w.ownButton = widget.NewButtonWithIcon(lang.L("Configurar mi empresa"), theme.DocumentCreateIcon(), w.chooseOwn)

	demoText := widget.NewLabel(lang.L("Pruebe Folio sin cuenta: la empresa ESCUELA KEMPER URGATE usa el certificado de sello digital de prueba del SAT (RFC EKU9003173C9). Sus documentos no tienen validez fiscal y los timbra el simulador de PAC local de Folio."))
	demoText.Wrapping = fyne.TextWrapWord
	ownText := widget.NewLabel(lang.L("Capture el RFC, la razón social, el régimen fiscal y el código postal de expedición de su empresa. El certificado de sello digital (CSD) y el PAC se configuran después."))
	ownText.Wrapping = fyne.TextWrapWord

	demoCard := widget.NewCard(lang.L("Empresa de demostración"), "", container.NewVBox(demoText, w.demoButton))
	ownCard := widget.NewCard(lang.L("Configurar mi empresa"), "", container.NewVBox(ownText, w.ownButton))

	title := widget.NewLabelWithStyle(lang.L("Bienvenido a Folio"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabelWithStyle(lang.L("Facturación electrónica CFDI 4.0. Para empezar, elija con qué empresa va a trabajar."), fyne.TextAlignCenter, fyne.TextStyle{})
	intro.Wrapping = fyne.TextWrapWord

	w.message = widget.NewLabel("")
	w.message.Wrapping = fyne.TextWrapWord
	w.message.Importance = widget.DangerImportance
	w.message.Hide()

	w.cards = container.NewGridWithColumns(2, demoCard, ownCard)
	w.choices = container.NewVBox(title, intro, w.cards, w.message)
	w.page = container.NewStack(w.choices)
	w.ExtendBaseWidget(w)
	return w
}

// SetConnector adds the third choice, "Conectar a un servidor", which opens
// the ServerConnect page over c.
func (w *Welcome) SetConnector(c Connector) {
	w.connector = c
	text := widget.NewLabel(lang.L("Su oficina ya tiene Folio en un servidor PostgreSQL: escriba la dirección y la cuenta del servidor y, una vez, la contraseña de administrador."))
	text.Wrapping = fyne.TextWrapWord
	w.serverButton = widget.NewButtonWithIcon(lang.L("Conectar a un servidor"), theme.ComputerIcon(), w.chooseServer)
	card := widget.NewCard(lang.L("Conectar a un servidor"), "", container.NewVBox(text, w.serverButton))
	w.cards.Layout = layout.NewGridLayoutWithColumns(3)
	w.cards.Add(card)
	w.cards.Refresh()
}

// chooseServer shows the server page in place of the choices.
func (w *Welcome) chooseServer() {
	if w.server == nil {
		w.server = NewServerConnect(w.connector)
		w.server.OnBack = func() { w.page.Objects = []fyne.CanvasObject{w.choices}; w.page.Refresh() }
		w.server.OnConnected = func(s Server) {
			if w.OnConnected != nil {
				w.OnConnected(s)
			}
		}
	}
	w.page.Objects = []fyne.CanvasObject{w.server}
	w.page.Refresh()
}

// CreateRenderer centres the choices (or the server page) in a scrollable
// page.
func (w *Welcome) CreateRenderer() fyne.WidgetRenderer {
	page := container.NewBorder(nil, nil, layoutSpacer(), layoutSpacer(), w.page)
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewPadded(page)))
}

// layoutSpacer keeps a margin on both sides of the page.
func layoutSpacer() fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(48, 1))
}

// chooseDemo stores sales.DemoCompany off the UI goroutine.
func (w *Welcome) chooseDemo() {
	w.demoButton.Disable()
	w.ownButton.Disable()
	w.message.Hide()
	c := sales.DemoCompany()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		err := w.store.SaveCompany(ctx, c)
		fyne.Do(func() {
			w.demoButton.Enable()
			w.ownButton.Enable()
			if err != nil {
				w.message.SetText(domain.UserMessage(err))
				w.message.Show()
				return
			}
			w.done(c)
		})
	}()
}

// chooseOwn opens the company form in a dialog.
func (w *Welcome) chooseOwn() {
	win := widgets.WindowOf(w)
	if win == nil {
		return
	}
	w.form = NewForm(win, lang.L("Configurar mi empresa"), w.store, w.rules, nil)
	w.form.OnSaved = w.done
	w.form.Show()
}

func (w *Welcome) done(c *sales.Company) {
	if w.OnDone != nil {
		w.OnDone(c)
	}
}
