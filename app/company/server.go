package company

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/folio-mx/folio/app/widgets"
	"github.com/folio-mx/folio/domain"
)

// ServerConnection is what the user types to reach a PostgreSQL server.
// Port is as typed; SSLMode is libpq's (disable, prefer, require,
// verify-full).
type ServerConnection struct {
	Host, Port, Database, User, Password, SSLMode string
}

// Server is a server Folio connected to: its name for messages (address
// without the password), the companies it holds, and whether this
// workstation still has to unlock the secrets kept there.
type Server struct {
	Name      string
	Companies []string
	Locked    bool
}

// Connector connects this workstation to a PostgreSQL server.
type Connector interface {
	// Connect checks conn, opens the database (creating Folio's tables in
	// a new one) and, when it opens, saves it as this workstation's
	// connection (the password never in plain text). Errors are domain
	// errors with a Spanish message: the server unreachable, the user or
	// password refused, the database missing, its schema newer than this
	// Folio, a field missing.
	Connect(ctx context.Context, conn ServerConnection) (Server, error)
	// Unlock opens on this workstation the secrets kept on the server
	// Connect opened, with the administrator password, and returns where
	// the key stays (Spanish words). A wrong password is Invalid.
	Unlock(ctx context.Context, password string) (where string, err error)
}

// sslModes are libpq's SSL modes in the order shown; sslLabels names
// them for the user.
var sslModes = []string{"prefer", "require", "verify-full", "disable"}

func sslLabels() []string {
	return []string{lang.L("Preferir cifrado (prefer)"), lang.L("Exigir cifrado (require)"),
		lang.L("Exigir cifrado y verificar el certificado (verify-full)"), lang.L("Sin cifrado (disable)")}
}

// ServerConnect is the "Conectar a un servidor" page of the first run: the
// server's address and account, "Conectar" (which tests and saves the
// connection), then, when the server keeps secrets this workstation cannot
// open yet, the administrator password to unlock them. OnConnected runs on
// the UI goroutine once the workstation is connected (and unlocked when
// needed); OnBack when the user goes back to the other choices.
type ServerConnect struct {
	widget.BaseWidget

	conn Connector

	OnConnected func(Server)
	OnBack      func()

	host, port, database, user, password *widget.Entry
	ssl                                  *widget.Select
	form                                 *widget.Form
	connect, back                        *widget.Button
	message                              *widget.Label

	unlockBox    *fyne.Container
	adminPw      *widget.Entry
	unlock       *widget.Button
	unlockStatus *widget.Label

	server Server
	busy   bool
}

// NewServerConnect returns the page.
func NewServerConnect(conn Connector) *ServerConnect {
	p := &ServerConnect{conn: conn}
	p.host, p.port, p.database, p.user = widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p.password = widget.NewPasswordEntry()
	p.host.SetPlaceHolder(lang.L("p. ej. servidor.local o 192.168.1.10"))
	p.port.SetText("5432")
	p.database.SetText("folio")
	p.user.SetText("folio")
	p.ssl = widgets.NewSelect(sslLabels(), nil)
	p.ssl.SetSelectedIndex(0)
	p.form = widget.NewForm(
		widget.NewFormItem(lang.L("Servidor"), p.host),
		widget.NewFormItem(lang.L("Puerto"), p.port),
		widget.NewFormItem(lang.L("Base de datos"), p.database),
		widget.NewFormItem(lang.L("Usuario"), p.user),
		widget.NewFormItem(lang.L("Contraseña"), p.password),
		widget.NewFormItem(lang.L("Cifrado (SSL)"), p.ssl),
	)
	p.password.OnSubmitted = func(string) { p.Connect() }
	p.connect = widget.NewButtonWithIcon(lang.L("Conectar"), theme.LoginIcon(), p.Connect)
	p.connect.Importance = widget.HighImportance
	p.back = widget.NewButtonWithIcon(lang.L("Volver"), theme.NavigateBackIcon(), func() {
		if p.OnBack != nil {
			p.OnBack()
		}
	})
	p.message = newMessage()

	p.adminPw = widget.NewPasswordEntry()
	p.adminPw.OnSubmitted = func(string) { p.Unlock() }
	p.unlock = widget.NewButtonWithIcon(lang.L("Desbloquear"), theme.LoginIcon(), p.Unlock)
	p.unlock.Importance = widget.HighImportance
	p.unlockStatus = newMessage()
	intro := widget.NewLabel(lang.L("El servidor guarda el CSD y las cuentas de las empresas protegidos con la contraseña de administrador. Escríbala una sola vez en esta computadora para abrirlos aquí."))
	intro.Wrapping = fyne.TextWrapWord
	p.unlockBox = container.NewVBox(heading(lang.L("Desbloquear esta estación")), intro,
		widget.NewForm(widget.NewFormItem(lang.L("Contraseña de administrador"), p.adminPw)),
		container.NewHBox(p.unlock), p.unlockStatus)
	p.unlockBox.Hide()
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer shows the form, its buttons and messages, and the unlock
// step below them.
func (p *ServerConnect) CreateRenderer() fyne.WidgetRenderer {
	title := widget.NewLabelWithStyle(lang.L("Conectar a un servidor"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("Varias computadoras de la oficina trabajan sobre la misma base de datos PostgreSQL. Pida estos datos a quien instaló el servidor."))
	intro.Wrapping = fyne.TextWrapWord
	return widget.NewSimpleRenderer(container.NewVBox(title, intro, p.form,
		container.NewHBox(p.back, p.connect), p.message, p.unlockBox))
}

// connection is what the form holds.
func (p *ServerConnect) connection() ServerConnection {
	mode := sslModes[0]
	if i := p.ssl.SelectedIndex(); i >= 0 {
		mode = sslModes[i]
	}
	return ServerConnection{Host: strings.TrimSpace(p.host.Text), Port: strings.TrimSpace(p.port.Text),
		Database: strings.TrimSpace(p.database.Text), User: strings.TrimSpace(p.user.Text),
		Password: p.password.Text, SSLMode: mode}
}

// setBusy disables the inputs while a call runs.
func (p *ServerConnect) setBusy(on bool) {
	p.busy = on
	for _, w := range []fyne.Disableable{p.host, p.port, p.database, p.user, p.password, p.ssl, p.connect, p.back, p.adminPw, p.unlock} {
		enable(w, !on)
	}
}

// Connect tests and saves the connection off the UI goroutine; then asks
// for the administrator password when the server's secrets are locked
// here, or reports the workstation connected.
func (p *ServerConnect) Connect() {
	if p.busy {
		return
	}
	c := p.connection()
	p.setBusy(true)
	p.unlockBox.Hide()
	showMessage(p.message, widget.MediumImportance, lang.L("Conectando con el servidor…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		srv, err := p.conn.Connect(ctx, c)
		fyne.Do(func() {
			p.setBusy(false)
			if err != nil {
				showMessage(p.message, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			p.server = srv
			p.password.SetText("")
			showMessage(p.message, widget.SuccessImportance, connectedText(srv))
			if srv.Locked {
				p.unlockBox.Show()
				if win := widgets.WindowOf(p); win != nil {
					win.Canvas().Focus(p.adminPw)
				}
				return
			}
			p.done()
		})
	}()
}

// connectedText says which server Folio connected to and what it holds.
func connectedText(s Server) string {
	if len(s.Companies) == 0 {
		return lang.L("Conectado a {{.Server}}. El servidor todavía no tiene empresas.", map[string]any{"Server": s.Name})
	}
	return lang.L("Conectado a {{.Server}}. Empresas: {{.Companies}}.", map[string]any{"Server": s.Name, "Companies": strings.Join(s.Companies, ", ")})
}

// Unlock opens the server's secrets on this workstation off the UI
// goroutine; the entry is cleared after every attempt.
func (p *ServerConnect) Unlock() {
	if p.busy {
		return
	}
	pw := p.adminPw.Text
	p.setBusy(true)
	showMessage(p.unlockStatus, widget.MediumImportance, lang.L("Comprobando…"))
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		where, err := p.conn.Unlock(ctx, pw)
		fyne.Do(func() {
			p.setBusy(false)
			p.adminPw.SetText("")
			if err != nil {
				showMessage(p.unlockStatus, widget.DangerImportance, domain.UserMessage(err))
				return
			}
			showMessage(p.unlockStatus, widget.SuccessImportance, lang.L("Estación desbloqueada; la clave quedó en {{.Where}}.", map[string]any{"Where": where}))
			p.server.Locked = false
			p.done()
		})
	}()
}

func (p *ServerConnect) done() {
	if p.OnConnected != nil {
		p.OnConnected(p.server)
	}
}
