package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// seedThirdPartyDB is the demo database plus a third party, an account
// and a cash invoice A-n billing 2 hours of consulting (850.00 each + IVA
// − the withholdings of the service = 1,620.67) on its behalf and a mouse (349.50 + IVA) on the company's.
func seedThirdPartyDB(t *testing.T) (db string, accountID int64) {
	t.Helper()
	db = seedDemoDB(t)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	co, err := s.ActiveCompany(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSalesSettings(ctx, co.RFC, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		t.Fatal(err)
	}
	tp := sales.ThirdParty{Issuer: co.RFC, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "36257", Active: true}
	if err := (&sales.ThirdParties{Store: s, Catalogs: cats}).Create(ctx, &tp); err != nil {
		t.Fatal(err)
	}
	acct := banks.Account{Issuer: co.RFC, Kind: banks.Caja, Name: "Caja chica", Moneda: "MXN", Active: true}
	if err := s.CreateAccount(ctx, &acct); err != nil {
		t.Fatal(err)
	}
	custs, err := s.FindCustomers(ctx, sales.CustomerFilter{Limit: 1})
	if err != nil || len(custs) == 0 {
		t.Fatalf("customers: %v", err)
	}
	prods, err := s.FindProducts(ctx, sales.ProductFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]*sales.Product{}
	for i := range prods {
		byCode[strings.SplitN(prods[i].Code, "-", 3)[0]+"-"+strings.SplitN(prods[i].Code, "-", 3)[1]] = &prods[i]
	}
	c := custs[0]
	svc := &sales.Service{Invoices: s, Catalogs: cats, Clock: time.Now}
	consult := sales.LineFromProduct(byCode["SRV-CONS"], decimal.NewFromInt(2))
	consult.ThirdParty = tp.Ref()
	inv := sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: c.UsoCFDI, Terms: sales.Contado,
		FormaPago: "03", Moneda: "MXN", Lines: []sales.Line{sales.LineFromProduct(byCode["MOU-01"], decimal.NewFromInt(1)), consult},
		Details: &sales.SaleDetails{Sellers: []sales.SellerShare{{Name: "Ana Pérez", Percent: decimal.NewFromInt(5)}}}}
	if _, err := svc.SaveDraft(ctx, &inv); err != nil {
		t.Fatal(err)
	}
	signer, err := csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{}); err != nil {
		t.Fatal(err)
	}
	return db, acct.ID
}

// TestCLIThirdPartyCommands: saldos-terceros shows the third party's
// 1,620.67 billed and collected (a cash sale), liquidar refuses more than
// that and records less with its withdrawal, the balance follows, the
// sales book and the commissions list the invoice, and each writes its
// PDF and CSV (with BOM).
func TestCLIThirdPartyCommands(t *testing.T) {
	db, acct := seedThirdPartyDB(t)
	dir := t.TempDir()
	run := func(wantCode int, args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, append([]string{"--db", db}, args...)...)
		if code != wantCode {
			t.Fatalf("folio %s: code %d, want %d\n%s\n%s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		return out + errOut
	}
	out := run(0, "saldos-terceros", "--rfc", "CACX7605101P8")
	for _, w := range []string{"XOCHILT CASAS CHAVEZ", "$1,620.67", "Cobrado"} {
		if !strings.Contains(out, w) {
			t.Errorf("saldos-terceros lacks %q:\n%s", w, out)
		}
	}
	out = run(1, "liquidar", "--tercero", "CACX7605101P8", "--monto", "1620.68", "--cuenta", itoa64(acct))
	if !strings.Contains(out, "se le debe $1,620.67") {
		t.Errorf("overpaying: %s", out)
	}
	out = run(0, "liquidar", "--tercero", "CACX7605101P8", "--monto", "1000", "--cuenta", itoa64(acct), "--referencia", "SPEI 77")
	if !strings.Contains(out, "Saldo con CACX7605101P8: $620.67") || strings.Contains(out, "Aviso") {
		t.Errorf("liquidar: %s", out)
	}
	out = run(0, "cuenta", "lista")
	if !strings.Contains(out, "-$1,000.00") && !strings.Contains(out, "−$1,000.00") {
		t.Errorf("the account lacks the withdrawal:\n%s", out)
	}
	month := time.Now().Format("2006-01")
	for _, f := range []string{"saldos.pdf", "saldos.csv", "libro.pdf", "libro.csv", "comisiones.pdf", "comisiones.csv"} {
		file := filepath.Join(dir, f)
		switch {
		case strings.HasPrefix(f, "saldos"):
			run(0, "saldos-terceros", "--detalle", "-o", file)
		case strings.HasPrefix(f, "libro"):
			out = run(0, "libro-ventas", "--mes", month, "-o", file)
			if !strings.Contains(out, "Vigente") || !strings.Contains(out, "$1,700.00") {
				t.Errorf("libro-ventas lacks the invoice's third-party part:\n%s", out)
			}
		default:
			out = run(0, "comisiones", "-o", file)
			if !strings.Contains(out, "Ana Pérez") || !strings.Contains(out, "$17.48") {
				t.Errorf("comisiones (5 %% of 349.50):\n%s", out)
			}
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".pdf") && !bytes.HasPrefix(data, []byte("%PDF")) {
			t.Errorf("%s is not a PDF", f)
		}
		if strings.HasSuffix(f, ".csv") && !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
			t.Errorf("%s lacks the BOM: %q", f, data[:min(len(data), 20)])
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "saldos.csv"))
	if !strings.Contains(string(csv), "CACX7605101P8,XOCHILT CASAS CHAVEZ,MXN,1,1620.67,1620.67,1000.00,620.67,620.67") {
		t.Errorf("saldos.csv:\n%s", csv)
	}
	run(2, "libro-ventas")
	run(1, "saldos-terceros", "-o", filepath.Join(dir, "x.txt"))
}

func itoa64(n int64) string { return decimal.NewFromInt(n).String() }
