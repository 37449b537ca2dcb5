package stamps

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// PACStatus tells the screen about the issuer's PAC accounts (issue 16):
// the primary and, when the company has one, the secondary, each with its
// balance and its health as the stamp worker sees it, and whether new
// documents go to the secondary now. With live each account is asked for
// its balance; otherwise the last one known in this session is given.
type PACStatus interface {
	PACAccounts(ctx context.Context, issuerRFC string, live bool) (PACOverview, error)
}

// PACOverview is the issuer's PAC accounts, primary first.
type PACOverview struct {
	Accounts []PACAccount
	// FailedOver is true while new documents go to the secondary.
	FailedOver bool
}

// PACAccount is one PAC account of the issuer.
type PACAccount struct {
	Key       string // as recorded with each attempt (Document.Account)
	Name      string // Spanish, e.g. "PAC de pruebas (services.test.sw.com.mx)"
	Secondary bool
	Balance   *stamping.Balance // nil while unknown
	// BalanceError is why the last live balance failed, "" when it did not.
	BalanceError string
	DownSince    time.Time // zero while it answers
	NoStamps     bool      // it answered "out of stamps"
}

// pacsView is the PAC section of the header, already formatted.
type pacsView struct {
	lines []string
	warn  string
	names map[string]string // account key → name, for the PAC column
}

// formatPACs turns an overview into the header lines.
func formatPACs(o PACOverview) pacsView {
	v := pacsView{names: map[string]string{}}
	for _, a := range o.Accounts {
		v.names[a.Key] = a.Name
		role := lang.L("PAC principal")
		if a.Secondary {
			role = lang.L("PAC secundario")
		}
		parts := []string{role + ": " + a.Name}
		switch {
		case a.Balance == nil && a.BalanceError != "":
			parts = append(parts, a.BalanceError)
		case a.Balance == nil:
			parts = append(parts, lang.L("saldo sin consultar"))
		case a.Balance.Unlimited:
			parts = append(parts, lang.L("timbres ilimitados"))
		default:
			parts = append(parts, lang.L("{{.Stamps}} timbres", map[string]any{"Stamps": a.Balance.Stamps}))
		}
		switch {
		case !a.DownSince.IsZero():
			parts = append(parts, lang.L("sin respuesta desde el {{.When}}", map[string]any{"When": dateText(a.DownSince)}))
		case a.NoStamps:
			parts = append(parts, lang.L("sin timbres"))
		default:
			parts = append(parts, lang.L("responde"))
		}
		v.lines = append(v.lines, strings.Join(parts, " · "))
	}
	if o.FailedOver {
		v.warn = lang.L("PAC principal sin respuesta o sin timbres: los documentos nuevos se timbran con el secundario, y volverán al principal cuando responda.")
	}
	return v
}

// accountName is how the PAC column shows the account a document was sent
// to: the configured account's name, else the recorded key.
func accountName(names map[string]string, key string) string {
	if n, ok := names[key]; ok {
		return n
	}
	if key == "local" {
		return lang.L("PAC local de demostración")
	}
	return key
}

// nameRows fills the PAC column: the account each document was sent to
// (and, once stamped, that stamped it). UI goroutine.
func (s *StampsScreen) nameRows() {
	for i := range s.docs {
		if s.docs[i].Account != "" {
			s.rows[i].pac = accountName(s.names, s.docs[i].Account)
		}
	}
}

// runPACs reads the PAC accounts off the UI goroutine and shows them.
func (s *StampsScreen) runPACs(live bool) {
	if s.deps.PACs == nil {
		return
	}
	s.goAsync(func() {
		ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
		defer cancel()
		o, err := s.deps.PACs.PACAccounts(ctx, s.issuer, live)
		fyne.Do(func() {
			if err != nil {
				s.pacs.SetText(domain.UserMessage(err))
				s.pacs.Show()
				return
			}
			s.applyPACs(formatPACs(o))
		})
	})
}

func (s *StampsScreen) applyPACs(v pacsView) {
	s.names = v.names
	s.pacs.SetText(strings.Join(v.lines, "\n"))
	s.pacs.Show()
	if v.warn == "" {
		s.failover.Hide()
	} else {
		s.failover.SetText(v.warn)
		s.failover.Show()
	}
	s.nameRows()
	s.table.Refresh()
}
