package wire

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain/sales"
)

// PACConfig turns a company's PAC account into the PAC client's
// configuration: the environment's default hosts, or the account's own
// services URL. With a URL on this computer (a local PAC such as `folio
// pac-sim`), the API and the SAT status service are at the same base, as
// the local PAC serves them; for a remote "services." host the API is its
// "api." sibling, as at SW sapien; otherwise the same URL. The SAT status
// service of a remote URL stays the environment's.
func PACConfig(p sales.PACSettings) pac.Config {
	cfg := pac.Config{Environment: pac.Environment(p.Environment), User: p.User, Password: p.Password, Token: p.Token,
		Timeout: 30 * time.Second}
	if p.URL == "" {
		return cfg
	}
	cfg.ServicesURL, cfg.APIURL = p.URL, p.URL
	u, err := url.Parse(p.URL)
	switch {
	case err != nil:
	case sales.IsLoopback(u.Hostname()):
		cfg.SATStatusURL = p.URL + "/ConsultaCFDIService.svc"
	case strings.HasPrefix(u.Host, "services."):
		api := *u
		api.Host = "api." + strings.TrimPrefix(u.Host, "services.")
		cfg.APIURL = api.String()
	}
	return cfg
}

// FinkokConfig turns a company's Finkok account into the Finkok client's
// configuration; rfc is the issuer whose credits are its balance.
func FinkokConfig(p sales.PACSettings, rfc string) pac.FinkokConfig {
	return pac.FinkokConfig{Environment: pac.Environment(p.Environment), URL: p.URL, User: p.User, Password: p.Password,
		RFC: rfc, Timeout: 30 * time.Second}
}

// TestPACSettings is the company screen's "Probar conexión": it
// authenticates with the PAC and reads the stamp balance (for Finkok, the
// credits of the account's first registered RFC: a wrong user or password
// fails). The local PAC of demo mode runs inside Folio and needs no test.
func TestPACSettings(ctx context.Context, p sales.PACSettings) error {
	switch {
	case p.Environment == sales.PACLocal:
		return nil
	case p.Vendor == sales.PACFinkok:
		f, err := pac.NewFinkok(FinkokConfig(p, ""))
		if err != nil {
			return err
		}
		_, err = f.Balance(ctx)
		return err
	}
	return TryPAC(ctx, PACConfig(p))
}

// TryPAC authenticates with cfg and reads the stamp balance.
func TryPAC(ctx context.Context, cfg pac.Config) error {
	c, err := pac.NewClient(cfg)
	if err != nil {
		return err
	}
	if err := c.Authenticate(ctx); err != nil {
		return err
	}
	_, err = c.Balance(ctx)
	return err
}
