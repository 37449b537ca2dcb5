package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/pac/sim/simtest"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/testpack"
)

// TestDemoCompanyIsADealer: in demo mode the demo company's local PAC
// account acts as a dealer: it creates a client account and hands it
// stamps; that account cannot become another company's PAC account (the
// local PAC lives only while Folio runs).
func TestDemoCompanyIsADealer(t *testing.T) {
	ctx := context.Background()
	store, demo := demoStore(t)
	accounts := NewAccounts(store)
	defer accounts.Close()
	companies := NewCompanies(store)
	svc, err := accounts.Dealer(ctx, companies, store, demo.ID)
	if err != nil {
		t.Fatal(err)
	}
	own, err := svc.OwnBalance(ctx)
	if err != nil || own.Stamps != sim.DemoUser.Stamps {
		t.Fatalf("own balance = %+v, %v", own, err)
	}
	c, err := svc.Create(ctx, dealer.NewClient{Name: "Papelería Luna", RFC: "PLU200101AB1", Email: "luna@cliente.mx", Password: "Luna-2026!", Stamps: 30})
	if err != nil {
		t.Fatal(err)
	}
	if after, err := svc.AddStamps(ctx, dealer.StampsChange{Client: c, Stamps: 5, Comment: "recarga"}); err != nil || after != 35 {
		t.Fatalf("add = %d, %v", after, err)
	}
	if own, _ = svc.OwnBalance(ctx); own.Stamps != sim.DemoUser.Stamps-35 {
		t.Errorf("dealer balance = %d, want %d", own.Stamps, sim.DemoUser.Stamps-35)
	}
	acts, err := svc.Actions(ctx, dealer.ActionFilter{})
	if err != nil || len(acts) != 2 || acts[1].Kind != dealer.ActionAdd || acts[1].Folio == 0 {
		t.Errorf("recorded actions = %+v, %v", acts, err)
	}
	if err := UseAsCompanyPAC(ctx, companies, demo.ID, demo.ID, c); domain.KindOf(err) != domain.Invalid {
		t.Errorf("a local PAC client as a company's PAC: %v, want Invalid", err)
	}
}

// TestDealerClientStampsForACompany: a client account created through an
// SW dealer account becomes another company's PAC account ("Usar como
// cuenta PAC de una empresa") and that company's documents are stamped
// with it, taking the client's stamps, not the dealer's.
func TestDealerClientStampsForACompany(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	const rfcB = "CACX7605101P8"
	dist := &sales.Company{RFC: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE", RegimenFiscal: "601", LugarExpedicion: "42501"}
	own := &sales.Company{RFC: rfcB, Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "36257"}
	for _, c := range []*sales.Company{dist, own} {
		if err := store.SaveCompany(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	sw, err := sim.Start(sim.Options{Users: []sim.User{{Email: "dist@pac.test", Password: "Dist-2026!", Stamps: 50, Dealer: true}}, LCO: []string{rfcB}})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	companies := NewCompanies(store)
	if err := companies.SavePACSettings(ctx, dist.ID, sales.PACSettings{Environment: sales.PACPruebas, User: "dist@pac.test", Password: "Dist-2026!", URL: sw.URL()}); err != nil {
		t.Fatal(err)
	}
	accounts := NewAccounts(store)
	defer accounts.Close()
	svc, err := accounts.Dealer(ctx, companies, store, dist.ID)
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.Create(ctx, dealer.NewClient{Name: own.Nombre, RFC: rfcB, Email: "xochilt@cliente.mx", Password: "Xochilt-2026!", Stamps: 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := UseAsCompanyPAC(ctx, companies, dist.ID, own.ID, c); err != nil {
		t.Fatal(err)
	}
	cer, key, password := testpack.CSD(t, rfcB)
	signer, err := csd.Load(cer, key, password)
	if err != nil {
		t.Fatal(err)
	}
	queue := sqlite.NewStampStore(store)
	w := stamping.NewWorker(queue, accounts, nil, stamping.Options{Concurrency: 2, Timeout: 10 * time.Second})
	for i := 1; i <= 3; i++ {
		nd, err := stamping.Describe(simtest.SealedBy(t, signer, cfdi.Emisor{Rfc: rfcB, Nombre: own.Nombre, RegimenFiscal: own.RegimenFiscal},
			"B", fmt.Sprint(i), time.Now().Add(-time.Minute)), fmt.Sprintf("b-%d", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Post(ctx, nd); err != nil {
			t.Fatal(err)
		}
	}
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := w.Drain(dctx); err != nil {
		t.Fatal(err)
	}
	b, err := svc.ClientBalance(ctx, c.ID)
	if err != nil || b.Stamps != 7 || b.Used != 3 {
		t.Errorf("client balance = %+v, %v; want 7 left and 3 used", b, err)
	}
	if own, _ := svc.OwnBalance(ctx); own.Stamps != 40 {
		t.Errorf("dealer balance = %d, want 40", own.Stamps)
	}
	docs, err := svc.Documents(ctx, c.ID, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	if err != nil || len(docs) != 3 || docs[0].RFCEmisor != rfcB || docs[0].Estatus != "Vigente" {
		t.Fatalf("documents = %+v, %v", docs, err)
	}
	if x, err := svc.API.DocumentXML(ctx, docs[0]); err != nil || len(x) == 0 {
		t.Errorf("document XML: %d bytes, %v", len(x), err)
	} else {
		file := filepath.Join(t.TempDir(), "b.xml")
		if err := os.WriteFile(file, x, 0o600); err != nil {
			t.Fatal(err)
		}
		if ok, verdict := testpack.VerifySeal(t, file); !ok {
			t.Errorf("downloaded XML fails the seal oracle: %s", verdict)
		}
	}
}
