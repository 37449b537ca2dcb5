package company

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
)

// Size limits of the files the user picks: SAT's .cer and .key are about
// 1–2 KB; a logo is at most 2000×2000 pixels (print.NormalizeLogo).
const (
	maxCSDFile  = 64 << 10
	maxLogoFile = 16 << 20
)

// CSDPanelStore is what the CSD and logo tab reads and writes in the store;
// the CSD itself goes through CSDSecrets.
type CSDPanelStore interface {
	ActiveCompany(ctx context.Context) (*sales.Company, error)
	LogoStore
}

// CSDPanel is the "CSD y logotipo" tab: the active company's CSD (number,
// holder, validity), the upload of a new one — .cer and .key picked with
// file dialogs and the key's password, each checked on the spot with the
// Spanish message of domain/csd — and the logo printed on its invoices.
// The demo company shows SAT's test CSD and cannot upload another.
type CSDPanel struct {
	widget.BaseWidget

	store   CSDPanelStore
	secrets CSDSecrets
	// Clock is the instant a certificate must be valid at (the system
	// clock when nil). Set it before the panel is shown.
	Clock domain.Clock

	company  *sales.Company
	cer, key []byte
	busy     bool

	current              *widget.Label
	cerName, keyName     *widget.Label
	cerButton, keyButton *widget.Button
	password             *widget.Entry
	save                 *widget.Button
	message              *widget.Label
	upload               *fyne.Container

	logo        *canvas.Image
	logoButton  *widget.Button
	logoRemove  *widget.Button
	logoMessage *widget.Label
}

// NewCSDPanel returns the tab; Reload fills it.
func NewCSDPanel(store CSDPanelStore, secrets CSDSecrets) *CSDPanel {
	p := &CSDPanel{store: store, secrets: secrets}
	p.current = widget.NewLabel("")
	p.current.Wrapping = fyne.TextWrapWord
	p.cerName = widget.NewLabel(lang.L("Ningún archivo elegido"))
	p.keyName = widget.NewLabel(lang.L("Ningún archivo elegido"))
	p.cerButton = widget.NewButtonWithIcon(lang.L("Elegir certificado (.cer)…"), theme.FolderOpenIcon(), func() {
		pickFile(p, lang.L("Elija el certificado (.cer)"), []string{".cer", ".crt", ".pem"}, maxCSDFile, p.picked(p.SetCertificate))
	})
	p.keyButton = widget.NewButtonWithIcon(lang.L("Elegir llave privada (.key)…"), theme.FolderOpenIcon(), func() {
		pickFile(p, lang.L("Elija la llave privada (.key)"), []string{".key", ".pem"}, maxCSDFile, p.picked(p.SetKey))
	})
	p.password = widget.NewPasswordEntry()
	p.password.SetPlaceHolder(lang.L("Contraseña de la llave privada"))
	p.password.OnChanged = func(string) { p.updateSave() }
	p.password.OnSubmitted = func(string) { p.Save() }
	p.save = widget.NewButtonWithIcon(lang.L("Validar y guardar el CSD"), theme.DocumentSaveIcon(), p.Save)
	p.save.Importance = widget.HighImportance
	p.save.Disable()
	p.message = newMessage()

	p.upload = container.NewVBox(
		heading(lang.L("Cargar un CSD")),
		container.New(layout.NewFormLayout(),
			widget.NewLabel(lang.L("Certificado")), container.NewBorder(nil, nil, p.cerButton, nil, p.cerName),
			widget.NewLabel(lang.L("Llave privada")), container.NewBorder(nil, nil, p.keyButton, nil, p.keyName),
			widget.NewLabel(lang.L("Contraseña")), p.password,
		),
		container.NewHBox(p.save),
		p.message,
	)

	p.logo = canvas.NewImageFromResource(nil)
	p.logo.FillMode = canvas.ImageFillContain
	p.logo.SetMinSize(fyne.NewSize(160, 80))
	p.logoButton = widget.NewButtonWithIcon(lang.L("Elegir logotipo…"), theme.FolderOpenIcon(), func() {
		pickFile(p, lang.L("Elija el logotipo"), []string{".png", ".jpg", ".jpeg"}, maxLogoFile, func(name string, data []byte, err error) {
			if err != nil {
				showMessage(p.logoMessage, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.SetLogo(data)
		})
	})
	p.logoRemove = widget.NewButtonWithIcon(lang.L("Quitar logotipo"), theme.DeleteIcon(), func() { p.SetLogo(nil) })
	p.logoRemove.Disable()
	p.logoMessage = newMessage()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer lays the CSD section above the logo section.
func (p *CSDPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewPadded(container.NewVBox(
		heading(lang.L("Certificado de sello digital (CSD)")),
		p.current,
		p.upload,
		widget.NewSeparator(),
		heading(lang.L("Logotipo")),
		widget.NewLabel(lang.L("Se imprime en sus facturas. PNG o JPEG de hasta 2000×2000 píxeles.")),
		container.NewHBox(p.logo, container.NewVBox(p.logoButton, p.logoRemove)),
		p.logoMessage,
	)))
}

func (p *CSDPanel) now() domain.Clock {
	if p.Clock == nil {
		return domain.SystemClock
	}
	return p.Clock
}

// csdView is what the tab shows.
type csdView struct {
	company *sales.Company
	info    *sales.CompanyCSD // nil while the company has no CSD
	logo    []byte
}

// load reads the active company, its CSD description and its logo.
func (p *CSDPanel) load(ctx context.Context) (csdView, error) {
	co, err := p.store.ActiveCompany(ctx)
	if err != nil {
		return csdView{}, err
	}
	v := csdView{company: co}
	info, err := p.secrets.CompanyCSD(ctx, co.ID)
	switch {
	case err == nil:
		v.info = &info
	case domain.KindOf(err) != domain.NotFound:
		return csdView{}, err
	}
	v.logo, err = p.store.CompanyLogo(ctx, co.ID)
	return v, err
}

// Reload reads the tab's data off the UI goroutine and shows it.
func (p *CSDPanel) Reload() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		v, err := p.load(ctx)
		fyne.Do(func() { p.apply(v, err) })
	}()
}

// apply shows v (or err) on the UI goroutine and clears the upload.
func (p *CSDPanel) apply(v csdView, err error) {
	p.cer, p.key = nil, nil
	p.cerName.SetText(lang.L("Ningún archivo elegido"))
	p.keyName.SetText(lang.L("Ningún archivo elegido"))
	p.password.SetText("")
	showMessage(p.message, widget.MediumImportance, "")
	showMessage(p.logoMessage, widget.MediumImportance, "")
	if err != nil {
		p.company = nil
		p.current.Importance = widget.DangerImportance
		p.current.SetText(domain.UserMessage(err))
		p.upload.Hide()
		p.logoButton.Disable()
		p.logoRemove.Disable()
		p.updateSave()
		return
	}
	p.company = v.company
	p.showInfo(v.info)
	if v.company.Demo {
		p.upload.Hide()
	} else {
		p.upload.Show()
	}
	p.logoButton.Enable()
	p.showLogo(v.logo)
	p.updateSave()
}

// showInfo describes the company's CSD.
func (p *CSDPanel) showInfo(info *sales.CompanyCSD) {
	switch {
	case info == nil:
		p.current.Importance = widget.WarningImportance
		p.current.SetText(lang.L("La empresa no tiene CSD: no se pueden sellar facturas. Cargue el certificado (.cer), la llave privada (.key) y su contraseña."))
	case p.company != nil && p.company.Demo:
		p.current.Importance = widget.MediumImportance
		p.current.SetText(lang.L("Certificado de prueba del SAT {{.No}} ({{.RFC}}), vigente hasta el {{.Hasta}}. La empresa de demostración no puede usar otro CSD.",
			map[string]any{"No": info.NoCertificado, "RFC": info.RFC, "Hasta": fecha(info.NotAfter)}))
	default:
		p.current.Importance = widget.MediumImportance
		if p.now()().After(info.NotAfter) {
			p.current.Importance = widget.DangerImportance
		}
		p.current.SetText(lang.L("Certificado {{.No}} de {{.Nombre}} ({{.RFC}}), vigente del {{.Desde}} al {{.Hasta}}.",
			map[string]any{"No": info.NoCertificado, "Nombre": info.Nombre, "RFC": info.RFC, "Desde": fecha(info.NotBefore), "Hasta": fecha(info.NotAfter)}))
	}
}

// picked adapts a file-dialog result to SetCertificate or SetKey.
func (p *CSDPanel) picked(set func(name string, data []byte)) func(string, []byte, error) {
	return func(name string, data []byte, err error) {
		if err != nil {
			showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
			return
		}
		set(name, data)
	}
}

// SetCertificate takes the bytes of the .cer file the user picked and
// checks it on the spot: a SAT certificate, a CSD and not an e.firma, valid
// now, of the company's RFC. A refused file is dropped with its Spanish
// message. Call it on the UI goroutine.
func (p *CSDPanel) SetCertificate(name string, data []byte) {
	p.cer = nil
	p.cerName.SetText(name)
	err := p.checkCertificate(data)
	if err != nil {
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		p.updateSave()
		return
	}
	p.cer = data
	p.showCertificate()
	p.updateSave()
}

// showCertificate describes the accepted certificate in the message line.
func (p *CSDPanel) showCertificate() {
	cert, err := csd.ParseCertificate(p.cer)
	if err != nil {
		return
	}
	showMessage(p.message, widget.SuccessImportance, lang.L("Certificado {{.No}} de {{.Nombre}} ({{.RFC}}), vigente hasta el {{.Hasta}}. Elija ahora la llave privada y escriba su contraseña.",
		map[string]any{"No": cert.NoCertificado, "Nombre": cert.Nombre, "RFC": cert.RFC, "Hasta": fecha(cert.NotAfter)}))
}

func (p *CSDPanel) checkCertificate(data []byte) error {
	if p.company == nil {
		return domain.E(domain.Invalid, "company.csd", lang.L("Primero registre los datos de la empresa."), nil)
	}
	cert, err := csd.ParseCertificate(data)
	if err != nil {
		return err
	}
	if err := cert.CheckCSD(); err != nil {
		return err
	}
	if err := cert.CheckValidity(p.now()()); err != nil {
		return err
	}
	return sales.CheckCertificateRFC(p.company, cert)
}

// SetKey takes the bytes of the .key file the user picked. Whether it
// opens with the password and matches the certificate is checked by Save.
// Call it on the UI goroutine.
func (p *CSDPanel) SetKey(name string, data []byte) {
	p.key = data
	p.keyName.SetText(name)
	if p.cer != nil {
		p.showCertificate() // replaces a refusal of the previous key
	}
	p.updateSave()
}

// updateSave enables "Validar y guardar" when a certificate, a key and a
// password are there.
func (p *CSDPanel) updateSave() {
	if p.busy || p.company == nil || p.company.Demo || p.cer == nil || p.key == nil || p.password.Text == "" {
		p.save.Disable()
	} else {
		p.save.Enable()
	}
}

// Save checks the whole CSD on the spot (sales.CheckCompanyCSD: password,
// key of the certificate, validity, RFC) and stores it, off the UI
// goroutine. The password entry is cleared either way: it is never kept.
func (p *CSDPanel) Save() {
	if p.busy || p.company == nil || p.cer == nil || p.key == nil || p.password.Text == "" {
		return
	}
	co, cer, key, pw := p.company, p.cer, p.key, p.password.Text
	now := p.now()()
	p.busy = true
	p.updateSave()
	showMessage(p.message, widget.MediumImportance, lang.L("Validando el CSD…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		_, _, err := sales.CheckCompanyCSD(co, cer, key, pw, now)
		var info sales.CompanyCSD
		if err == nil {
			info, err = p.secrets.SaveCompanyCSD(ctx, co.ID, cer, key, pw)
		}
		fyne.Do(func() { p.saved(info, err) })
	}()
}

// saved shows the outcome of Save.
func (p *CSDPanel) saved(info sales.CompanyCSD, err error) {
	p.busy = false
	p.password.SetText("")
	if err != nil {
		showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
		p.updateSave()
		return
	}
	p.cer, p.key = nil, nil
	p.cerName.SetText(lang.L("Ningún archivo elegido"))
	p.keyName.SetText(lang.L("Ningún archivo elegido"))
	p.showInfo(&info)
	showMessage(p.message, widget.SuccessImportance, lang.L("CSD guardado. Las facturas nuevas se sellan con él."))
	p.updateSave()
}

// SetLogo stores the logo the user picked (nil removes it) off the UI
// goroutine: the store normalises it and refuses what it cannot print.
// Call it on the UI goroutine.
func (p *CSDPanel) SetLogo(data []byte) {
	if p.company == nil || p.busy {
		return
	}
	id := p.company.ID
	p.busy = true
	p.logoButton.Disable()
	p.logoRemove.Disable()
	showMessage(p.logoMessage, widget.MediumImportance, lang.L("Guardando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		stored, err := p.store.SaveCompanyLogo(ctx, id, data)
		fyne.Do(func() {
			p.busy = false
			p.logoButton.Enable()
			p.updateSave()
			if err != nil {
				enable(p.logoRemove, p.logo.Resource != nil)
				showMessage(p.logoMessage, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.showLogo(stored)
			if stored == nil {
				showMessage(p.logoMessage, widget.SuccessImportance, lang.L("Logotipo quitado."))
			} else {
				showMessage(p.logoMessage, widget.SuccessImportance, lang.L("Logotipo guardado."))
			}
		})
	}()
}

// showLogo shows the stored logo, or nothing.
func (p *CSDPanel) showLogo(logo []byte) {
	if len(logo) == 0 {
		p.logo.Resource = nil
		p.logoRemove.Disable()
	} else {
		p.logo.Resource = fyne.NewStaticResource("logo", logo)
		p.logoRemove.Enable()
	}
	p.logo.Refresh()
}
