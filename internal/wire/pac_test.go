package wire

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

func TestTestPACSettings(t *testing.T) {
	ctx := context.Background()
	local, err := sim.Start(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	try := func(p sales.PACSettings) error {
		cfg := PACConfig(p)
		cfg.ServicesURL, cfg.APIURL, cfg.SATStatusURL = local.URL(), local.URL(), local.StatusURL()
		return TryPAC(ctx, cfg)
	}
	if err := try(sales.PACSettings{Environment: sales.PACPruebas, User: sim.DemoUser.Email, Password: sim.DemoUser.Password}); err != nil {
		t.Errorf("right user and password: %v", err)
	}
	if err := try(sales.PACSettings{Environment: sales.PACProduccion, Token: sim.DemoUser.Token}); err != nil {
		t.Errorf("right token: %v", err)
	}
	for name, p := range map[string]sales.PACSettings{
		"wrong password": {Environment: sales.PACPruebas, User: sim.DemoUser.Email, Password: "otra"},
		"wrong token":    {Environment: sales.PACPruebas, Token: "no.es.el.token"},
	} {
		err := try(p)
		// The PAC answered and said no: not "unavailable", which would
		// send the user to check the connection.
		if k := domain.KindOf(err); err == nil || (k != domain.Rejected && k != domain.Invalid) || domain.UserMessage(err) == "" {
			t.Errorf("%s: err = %v (kind %v)", name, err, domain.KindOf(err))
		}
	}
	if err := TestPACSettings(ctx, sales.PACSettings{Environment: sales.PACLocal}); err != nil {
		t.Errorf("local PAC: %v", err)
	}
}
