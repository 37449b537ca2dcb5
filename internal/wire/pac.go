package wire

import (
	"context"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain/sales"
)

// PACConfig turns a company's PAC account into the PAC client's
// configuration (the environment's default hosts).
func PACConfig(p sales.PACSettings) pac.Config {
	return pac.Config{Environment: pac.Environment(p.Environment), User: p.User, Password: p.Password, Token: p.Token,
		Timeout: 30 * time.Second}
}

// TestPACSettings is the company screen's "Probar conexión": it
// authenticates with the PAC and reads the stamp balance. The local PAC of
// demo mode runs inside Folio and needs no test.
func TestPACSettings(ctx context.Context, p sales.PACSettings) error {
	if p.Environment == sales.PACLocal {
		return nil
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
