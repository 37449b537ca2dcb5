package company

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// salesTimeout bounds one read or write of the sales settings.
const salesTimeout = 10 * time.Second

// SalesPanel is the "Ventas" tab of the company setup: the company's
// switches for the sales area (sales.SalesSettings). Each check is saved
// as soon as it changes; OnChanged then tells the app (which shows or hides
// "Saldos contra terceros").
type SalesPanel struct {
	widget.BaseWidget

	store  sales.SalesSettingsStore
	issuer func() string // the active company's RFC

	// OnChanged, when set, is called on the UI goroutine with the settings
	// just saved.
	OnChanged func(sales.SalesSettings)

	ThirdParties, MultipleSellers *widget.Check
	message                       *widget.Label
	filling                       bool
	settings                      sales.SalesSettings
}

// NewSalesPanel returns the tab for the company whose RFC issuer returns;
// Reload fills it.
func NewSalesPanel(store sales.SalesSettingsStore, issuer func() string) *SalesPanel {
	p := &SalesPanel{store: store, issuer: issuer, filling: true}
	p.ThirdParties = widget.NewCheck(lang.L("Manejar facturación / cobros a terceros (dinero no propio)"), func(on bool) {
		s := p.settings
		s.ThirdParties = on
		p.save(s)
	})
	p.MultipleSellers = widget.NewCheck(lang.L("Permitir múltiples vendedores por venta"), func(on bool) {
		s := p.settings
		s.MultipleSellers = on
		p.save(s)
	})
	p.ThirdParties.Disable()
	p.MultipleSellers.Disable()
	p.message = newMessage()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the checks with what each one enables.
func (p *SalesPanel) CreateRenderer() fyne.WidgetRenderer {
	hint := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		l.SizeName = theme.SizeNameCaptionText
		return l
	}
	return widget.NewSimpleRenderer(container.NewPadded(container.NewVBox(
		heading(lang.L("Ventas")),
		p.ThirdParties,
		hint(lang.L("Muestra el área «Saldos contra terceros»: documentos con ítems propios y de terceros, el catálogo de terceros y lo que se debe a cada uno.")),
		p.MultipleSellers,
		hint(lang.L("Agrega la pestaña «Vendedores» al documento, con el porcentaje de comisión de cada vendedor.")),
		p.message)))
}

// Settings returns the settings as last loaded or saved.
func (p *SalesPanel) Settings() sales.SalesSettings { return p.settings }

// Reload reads the settings off the UI goroutine and shows them.
func (p *SalesPanel) Reload() {
	issuer := p.issuer()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), salesTimeout)
		defer cancel()
		s, err := p.store.SalesSettings(ctx, issuer)
		fyne.Do(func() {
			if err != nil {
				showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.show(s)
		})
	}()
}

// show presents s without saving it.
func (p *SalesPanel) show(s sales.SalesSettings) {
	p.settings = s
	p.filling = true
	p.ThirdParties.SetChecked(s.ThirdParties)
	p.MultipleSellers.SetChecked(s.MultipleSellers)
	p.filling = false
	p.ThirdParties.Enable()
	p.MultipleSellers.Enable()
}

// save stores s off the UI goroutine; on failure the checks go back to
// what is stored.
func (p *SalesPanel) save(s sales.SalesSettings) {
	if p.filling {
		return
	}
	issuer := p.issuer()
	prev := p.settings
	p.settings = s
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), salesTimeout)
		defer cancel()
		err := p.store.SetSalesSettings(ctx, issuer, s)
		fyne.Do(func() {
			if err != nil {
				p.show(prev)
				showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			showMessage(p.message, widget.SuccessImportance, lang.L("Configuración de ventas guardada."))
			if p.OnChanged != nil {
				p.OnChanged(s)
			}
		})
	}()
}

// AddSalesPanel adds p as the "Ventas" tab of the setup; Reload then
// reloads it too.
func (s *Setup) AddSalesPanel(p *SalesPanel) {
	s.Sales = p
	s.tabs.Append(container.NewTabItem(lang.L("Ventas"), container.NewVScroll(p)))
}
