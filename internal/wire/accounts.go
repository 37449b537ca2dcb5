package wire

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// Accounts is stamping.PACs over the PAC accounts stored with each company
// (decision 13: each company stamps at its own PAC). Every call reads the
// issuer's settings, so an account saved in the window or with `folio
// company pac` takes effect at the next attempt; the client of an
// unchanged account is reused (it keeps its authentication token). The
// local PAC of demo mode starts on loopback the first time the demo company
// needs it, and serves no other company. Close stops it.
type Accounts struct {
	store Store

	mu     sync.Mutex
	local  *sim.Server
	localA stamping.Account
	byRFC  map[string]cachedAccount
	closed bool
}

// cachedAccount is an issuer's client with a digest of the settings it was
// made from (secrets included; kept in memory only, never stored or shown).
type cachedAccount struct {
	sum  [sha256.Size]byte
	acct stamping.Account
}

var _ stamping.Router = (*Accounts)(nil)

// NewAccounts returns the PAC accounts of store's companies.
func NewAccounts(store Store) *Accounts {
	return &Accounts{store: store, byRFC: map[string]cachedAccount{}}
}

// PACFor returns the account that stamps issuerRFC's documents now. An
// issuer that is not a company of this installation, or whose account is
// missing, unreadable or unusable, gets a domain error whose Spanish
// message says what to do in Empresa › PAC.
func (a *Accounts) PACFor(ctx context.Context, issuerRFC string) (stamping.Account, error) {
	co, err := companyByRFC(ctx, a.store, issuerRFC)
	if err != nil {
		return stamping.Account{}, err
	}
	return a.pacFor(ctx, co, true)
}

// pacFor is PACFor of company co; without start, the local PAC of demo
// mode, when not running, is described (key and name) but not started,
// and has no client.
func (a *Accounts) pacFor(ctx context.Context, co *sales.Company, start bool) (stamping.Account, error) {
	const op = "wire.Accounts.PACFor"
	p, err := a.store.CompanyPACSettings(ctx, co.ID)
	if err != nil {
		return stamping.Account{}, err
	}
	if p.Environment == sales.PACLocal {
		if !co.Demo {
			return stamping.Account{}, domain.E(domain.Invalid, op, "El PAC local de demostración solo timbra la empresa de demostración. "+
				"Configure la cuenta del PAC de "+co.RFC+" en Empresa › PAC.", nil)
		}
		if !start && !a.LocalStarted() {
			return stamping.Account{Key: AccountKey(p), Name: AccountName(p)}, nil
		}
		return a.localAccount()
	}
	acct, err := a.account(co, p, "primary")
	if err != nil {
		return stamping.Account{}, domain.E(domain.Invalid, op, domain.UserMessage(err)+" Revise la cuenta del PAC de "+co.RFC+" en Empresa › PAC.", err)
	}
	return acct, nil
}

// RouteFor returns issuerRFC's accounts for failover (issue 16): the
// primary as PACFor returns it and, when the company has one, its second
// PAC account with the threshold set in Empresa › PAC. A secondary that
// cannot be read or used leaves the primary alone, as before failover
// existed: the primary's own problems still stop the issuer's documents
// with PACFor's message.
func (a *Accounts) RouteFor(ctx context.Context, issuerRFC string) (stamping.Route, error) {
	return a.route(ctx, issuerRFC, true)
}

// Describe is RouteFor for screens that show the accounts: it does not
// start the local PAC of demo mode (whose account then has no client).
func (a *Accounts) Describe(ctx context.Context, issuerRFC string) (stamping.Route, error) {
	return a.route(ctx, issuerRFC, false)
}

func (a *Accounts) route(ctx context.Context, issuerRFC string, start bool) (stamping.Route, error) {
	co, err := companyByRFC(ctx, a.store, issuerRFC)
	if err != nil {
		return stamping.Route{}, err
	}
	primary, err := a.pacFor(ctx, co, start)
	if err != nil {
		return stamping.Route{}, err
	}
	r := stamping.Route{Primary: primary}
	f, err := a.store.CompanySecondaryPAC(ctx, co.ID)
	if err != nil || f == nil {
		if err != nil {
			slog.Warn("secondary PAC account unreadable; stamping at the primary only", "rfc", co.RFC, "err", err)
		}
		return r, nil
	}
	sec, err := a.account(co, f.Secondary, "secondary")
	if err != nil || sec.Key == primary.Key {
		return r, nil
	}
	r.Secondary, r.After = &sec, f.After()
	return r, nil
}

// AccountFor returns issuerRFC's account whose key is key, the secondary
// without making the primary (stamping.AccountFinder): the document it
// stamped is cancelled there even while the primary cannot be used. A key
// that is neither account's now is not found; the primary's own problems
// are returned only when the key may be the primary's.
func (a *Accounts) AccountFor(ctx context.Context, issuerRFC, key string) (stamping.Account, bool, error) {
	co, err := companyByRFC(ctx, a.store, issuerRFC)
	if err != nil {
		return stamping.Account{}, false, err
	}
	if f, err := a.store.CompanySecondaryPAC(ctx, co.ID); err == nil && f != nil && AccountKey(f.Secondary) == key {
		sec, err := a.account(co, f.Secondary, "secondary")
		if err != nil {
			return stamping.Account{}, false, err
		}
		return sec, true, nil
	}
	primary, err := a.pacFor(ctx, co, true)
	if err != nil {
		return stamping.Account{}, false, err
	}
	return primary, primary.Key == key, nil
}

var _ stamping.AccountFinder = (*Accounts)(nil)

// account returns the client of company co's account p (role "primary" or
// "secondary"), reusing the one made from the same settings.
func (a *Accounts) account(co *sales.Company, p sales.PACSettings, role string) (stamping.Account, error) {
	sum := settingsSum(p)
	slot := co.RFC + "\x00" + role
	a.mu.Lock()
	c, ok := a.byRFC[slot]
	a.mu.Unlock()
	if ok && c.sum == sum {
		return c.acct, nil
	}
	acct, err := NewAccount(p, co.RFC, func(ctx context.Context, rfc string) (cfdi.CancelSigner, error) {
		return CancelSigner(ctx, a.store, rfc)
	})
	if err != nil {
		return stamping.Account{}, err
	}
	a.mu.Lock()
	a.byRFC[slot] = cachedAccount{sum: sum, acct: acct}
	a.mu.Unlock()
	return acct, nil
}

// NewAccount makes the stamping account of settings p (not the local PAC
// of demo mode) for issuer rfc: SW sapien's REST client, or Finkok's SOAP
// client, which is also a Checker (it answers whether it stamped a
// document without stamping it), reports rfc's credits as the balance and
// cancels through cancel_signature with requests signed here by signer
// (the issuer's CSD; nil: Finkok cancellations are refused saying why).
func NewAccount(p sales.PACSettings, rfc string, signer func(ctx context.Context, rfc string) (cfdi.CancelSigner, error)) (stamping.Account, error) {
	if p.Vendor == sales.PACFinkok {
		cfg := FinkokConfig(p, rfc)
		cfg.Signer = signer
		f, err := pac.NewFinkok(cfg)
		if err != nil {
			return stamping.Account{}, err
		}
		return stamping.Account{Key: AccountKey(p), Name: AccountName(p), PAC: f, Canceller: f, Balance: f, Checker: f}, nil
	}
	client, err := pac.NewClient(PACConfig(p))
	if err != nil {
		return stamping.Account{}, err
	}
	return stamping.Account{Key: AccountKey(p), Name: AccountName(p), PAC: client, Canceller: client, Balance: client}, nil
}

// localAccount returns the local PAC of demo mode, starting it on first use.
func (a *Accounts) localAccount() (stamping.Account, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return stamping.Account{}, domain.E(domain.Unavailable, "wire.Accounts", "El PAC local de demostración ya se detuvo.", nil)
	}
	if a.local == nil {
		s, c, err := NewLocalPAC(LocalPACState(a.store))
		if err != nil {
			return stamping.Account{}, err
		}
		a.local = s
		a.localA = stamping.Account{Key: AccountKey(sales.PACSettings{Environment: sales.PACLocal}), Name: "PAC local de demostración",
			PAC: c, Canceller: c, Balance: c}
	}
	return a.localA, nil
}

// LocalStarted reports whether the local PAC of demo mode is running.
func (a *Accounts) LocalStarted() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.local != nil
}

// Close stops the local PAC, if it was started.
func (a *Accounts) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	if a.local == nil {
		return nil
	}
	err := a.local.Close()
	a.local = nil
	return err
}

// companyByRFC returns the company of this installation with RFC rfc.
func companyByRFC(ctx context.Context, store interface {
	ListCompanies(context.Context) ([]sales.Company, error)
}, rfc string) (*sales.Company, error) {
	list, err := store.ListCompanies(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].RFC == rfc {
			return &list[i], nil
		}
	}
	return nil, domain.E(domain.NotFound, "wire.companyByRFC", "No hay una empresa con el RFC "+rfc+" en esta instalación; "+
		"agréguela y configure su cuenta en Empresa › PAC.", nil)
}

// AccountKey names a PAC account without its secrets, as decision 13
// compares accounts: "local" for the local PAC of demo mode; otherwise the
// environment, the services URL and a short digest of the user (or of the
// token when there is no user), e.g. "pruebas https://services.test.sw.com.mx
// usuario 5f1c0e2a9b7d", after "finkok " for a Finkok account (an SW
// account's key is as it was before Finkok, so the keys recorded with
// earlier attempts still name it). A new password keeps the key; another
// vendor, user, token account, environment or URL changes it.
func AccountKey(p sales.PACSettings) string {
	if p.Environment == sales.PACLocal {
		return "local"
	}
	prefix := ""
	if p.Vendor == sales.PACFinkok {
		prefix = "finkok "
	}
	who, id := "usuario", strings.ToLower(strings.TrimSpace(p.User))
	if id == "" {
		who, id = "token", p.Token
	}
	sum := sha256.Sum256([]byte(id))
	return prefix + string(p.Environment) + " " + servicesURL(p) + " " + who + " " + hex.EncodeToString(sum[:6])
}

// AccountName is how users know an account, in Spanish.
func AccountName(p sales.PACSettings) string {
	switch p.Environment {
	case sales.PACLocal:
		return "PAC local de demostración"
	}
	if p.Vendor == sales.PACFinkok {
		if p.Environment == sales.PACProduccion {
			return "Finkok de producción (" + hostOf(servicesURL(p)) + ")"
		}
		return "Finkok de pruebas (" + hostOf(servicesURL(p)) + ")"
	}
	switch p.Environment {
	case sales.PACProduccion:
		return "PAC de producción (" + hostOf(servicesURL(p)) + ")"
	}
	return "PAC de pruebas (" + hostOf(servicesURL(p)) + ")"
}

// servicesURL is where an account's stamps go.
func servicesURL(p sales.PACSettings) string {
	if p.URL != "" {
		return p.URL
	}
	if p.Vendor == sales.PACFinkok {
		return pac.FinkokURL(pac.Environment(p.Environment))
	}
	return pac.ServicesURL(pac.Environment(p.Environment))
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// settingsSum digests every field of p, secrets included.
func settingsSum(p sales.PACSettings) [sha256.Size]byte {
	return sha256.Sum256([]byte(strings.Join([]string{string(p.Vendor), string(p.Environment), p.URL, p.User, p.Password, p.Token}, "\x00")))
}
