package company

import (
	"context"
	"fmt"
	"io"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// LogoStore keeps the active company's logo. CompanyLogo returns nil when
// there is none; SaveCompanyLogo normalises the image (print.NormalizeLogo),
// stores it and returns the stored bytes, or removes the logo when given
// none.
type LogoStore interface {
	CompanyLogo(ctx context.Context, companyID int64) ([]byte, error)
	SaveCompanyLogo(ctx context.Context, companyID int64, logo []byte) ([]byte, error)
}

// CSDSecrets keeps the company's CSD. SaveCompanyCSD checks it
// (sales.CheckCompanyCSD) and keeps it with its key and password sealed,
// returning its description; CompanyCSD returns a NotFound domain.Error
// while the company has none.
type CSDSecrets interface {
	CompanyCSD(ctx context.Context, companyID int64) (sales.CompanyCSD, error)
	SaveCompanyCSD(ctx context.Context, companyID int64, cer, key []byte, password string) (sales.CompanyCSD, error)
}

// PACSecrets keeps the company's PAC accounts. CompanyPACSettings returns a
// NotFound domain.Error while a company (other than the demo one) has none;
// CompanySecondaryPAC returns nil while it has no second account, and
// SaveSecondaryPAC with nil removes it.
type PACSecrets interface {
	CompanyPACSettings(ctx context.Context, companyID int64) (sales.PACSettings, error)
	SavePACSettings(ctx context.Context, companyID int64, p sales.PACSettings) error
	CompanySecondaryPAC(ctx context.Context, companyID int64) (*sales.PACFailover, error)
	SaveSecondaryPAC(ctx context.Context, companyID int64, f *sales.PACFailover) error
}

// AdminSecrets keeps the installation's administrator password (asked to
// override a proposed folio). SetAdminPassword needs the current password
// when one is set and returns Invalid with a Spanish message otherwise.
type AdminSecrets interface {
	HasAdminPassword(ctx context.Context) (bool, error)
	SetAdminPassword(ctx context.Context, current, next string) error
}

// Secrets is what the "Empresa" area asks about the company's secrets; the
// domain decides what is accepted and keeps them sealed
// (*sales.Companies satisfies it).
type Secrets interface {
	CSDSecrets
	PACSecrets
	AdminSecrets
}

// PACTester tries the PAC settings (authenticates against the PAC) and
// returns nil when they work, else a domain.Error whose Spanish message is
// shown. internal/gui wires the real PAC client in.
type PACTester func(ctx context.Context, p sales.PACSettings) error

// SeriesStore lists and creates the company's series (sales.SeriesStore's
// methods).
type SeriesStore interface {
	FindSeries(ctx context.Context, issuer string) ([]sales.Series, error)
	CreateSeries(ctx context.Context, s *sales.Series) error
}

// CompanyList lists the companies of the installation and makes one of them
// the active one (SetActiveCompany returns NotFound for an unknown ID).
type CompanyList interface {
	ListCompanies(ctx context.Context) ([]sales.Company, error)
	SetActiveCompany(ctx context.Context, id int64) error
}

// SetupStore is what the "Empresa" area reads and writes besides the
// secrets; *sqlite.Store satisfies it.
type SetupStore interface {
	Store
	LogoStore
	SeriesStore
	CompanyList
}

// Setup is the "Empresa" area: tabs for the fiscal data (Profile), the CSD
// and logo, the PAC account, the series, the companies of the installation
// (one active at a time) and the administrator password. Every tab works on
// the active company; activating another reloads them all.
type Setup struct {
	widget.BaseWidget

	// OnChanged is called on the UI goroutine after the active company
	// changed or was edited.
	OnChanged func(*sales.Company)

	Profile   *Profile
	CSD       *CSDPanel
	PAC       *PACPanel
	Series    *SeriesPanel
	Companies *Switcher
	Admin     *AdminPanel
	// Sales is the "Ventas" tab, when added (AddSalesPanel).
	Sales *SalesPanel
	tabs  *container.AppTabs
}

// NewSetup builds the area; Reload fills it. tester may be nil (the "Probar
// conexión" button is then hidden).
func NewSetup(store SetupStore, secrets Secrets, rules Rules, tester PACTester) *Setup {
	s := &Setup{
		Profile:   NewProfile(store, rules),
		CSD:       NewCSDPanel(store, secrets),
		PAC:       NewPACPanel(store, secrets, tester),
		Series:    NewSeriesPanel(store),
		Companies: NewSwitcher(store, rules),
		Admin:     NewAdminPanel(secrets),
	}
	s.Profile.OnChanged = s.changed
	s.Companies.OnActivated = s.changed
	s.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Datos fiscales"), s.Profile),
		container.NewTabItem(lang.L("CSD y logotipo"), container.NewVScroll(s.CSD)),
		container.NewTabItem(lang.L("PAC"), container.NewVScroll(s.PAC)),
		container.NewTabItem(lang.L("Series"), s.Series),
		container.NewTabItem(lang.L("Empresas"), s.Companies),
		container.NewTabItem(lang.L("Administrador"), container.NewVScroll(s.Admin)),
	)
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer shows the tabs.
func (s *Setup) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.tabs)
}

// Reload reloads every tab off the UI goroutine.
func (s *Setup) Reload() {
	s.Profile.Reload()
	s.CSD.Reload()
	s.PAC.Reload()
	s.Series.Reload()
	s.Companies.Reload()
	s.Admin.Reload()
	if s.Sales != nil {
		s.Sales.Reload()
	}
}

// changed reloads the tabs for the (new) active company and tells the app.
func (s *Setup) changed(c *sales.Company) {
	s.Reload()
	if s.OnChanged != nil {
		s.OnChanged(c)
	}
}

// windowOf returns the window showing o, for dialogs; nil when o is not
// shown.
func windowOf(o fyne.CanvasObject) fyne.Window {
	return widgets.WindowOf(o)
}

// pickFile shows the file-open dialog titled title, filtered by extensions,
// and hands the chosen file's name and bytes (at most limit bytes) to use,
// on the UI goroutine. Nothing happens when the user cancels.
func pickFile(parent fyne.CanvasObject, title string, extensions []string, limit int64, use func(name string, data []byte, err error)) {
	w := windowOf(parent)
	if w == nil {
		return
	}
	widgets.ShowFileOpen(w, title, extensions, func(r fyne.URIReadCloser, err error) {
		if err != nil {
			use("", nil, err)
			return
		}
		if r == nil {
			return
		}
		defer r.Close()
		data, err := readLimited(r, limit)
		use(r.URI().Name(), data, err)
	})
}

// readLimited reads r whole, refusing more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, domain.E(domain.Invalid, "company.readFile", lang.L("No se pudo leer el archivo."), err)
	}
	if int64(len(data)) > limit {
		return nil, domain.E(domain.Invalid, "company.readFile", lang.L("El archivo es demasiado grande."), fmt.Errorf("more than %d bytes", limit))
	}
	return data, nil
}

// showMessage sets a status label's text and importance and shows it; an
// empty text hides it.
func showMessage(l *widget.Label, imp widget.Importance, text string) {
	l.Importance = imp
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// newMessage returns a hidden, wrapping status label.
func newMessage() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// heading returns a bold sub-heading.
func heading(text string) *widget.Label {
	h := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return h
}

// fecha formats an instant as dd/mm/yyyy in Mexico City time.
func fecha(t time.Time) string { return t.In(domain.MexicoCity).Format("02/01/2006") }

// enable enables or disables w.
func enable(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}
