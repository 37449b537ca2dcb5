package storetest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/shopspring/decimal"
)

// ThirdPartyStore is a store with the third parties ("Saldos contra
// terceros"): their catalog, the company's sales settings, and the
// balances, payouts and reports of package thirdparty.
type ThirdPartyStore interface {
	Store
	sales.ThirdPartyStore
	sales.SalesSettingsStore
	thirdparty.Store
}

// RunThirdParty runs the contract of the third parties against the stores
// open returns (new, empty, fully migrated, on clock now, closed when t
// ends).
func RunThirdParty(t *testing.T, open func(t *testing.T, now func() time.Time) ThirdPartyStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *tpFixture)
	}{
		{"CatalogRoundTrip", testThirdPartyRoundTrip},
		{"FindThirdParties", testFindThirdParties},
		{"InvoiceThirdPartyRoundTrip", testInvoiceThirdPartyRoundTrip},
		{"SalesSettings", testSalesSettings},
		{"PayoutRoundTrip", testPayoutRoundTrip},
		{"BalanceHistory", testThirdPartyBalanceHistory},
		{"SalesBookOfAMonth", testSalesBookOfAMonth},
		{"Commissions", testCommissionDocs},
		{"PostRefusals", testPostThirdPartyRefusals},
		{"CollectFromCreditCheck", testCollectFromCreditCheck},
		{"ListThirdPartyDocuments", testListThirdPartyDocuments},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var f *fixture
			s := open(t, func() time.Time {
				if f == nil {
					return base
				}
				return f.clock()
			})
			f = newFixture(t, s)
			tt.fn(t, newTPFixture(f, s))
		})
	}
}

// RunThirdPartyWorkstations runs the third parties' contract of a shared
// database: open returns two stores on ONE new, empty, fully migrated
// database, each opened on its own, as two workstations.
func RunThirdPartyWorkstations(t *testing.T, open func(t *testing.T) (ThirdPartyStore, ThirdPartyStore)) {
	t.Run("PayoutsNeverPayOneBalanceTwice", func(t *testing.T) {
		t.Parallel()
		a, b := open(t)
		f := newFixture(t, a)
		testPayoutsAcrossWorkstations(t, newTPFixture(f, a), newTPFixture(f.on(b), b))
	})
}

// tpFixture is a fixture whose company bills on behalf of two third
// parties, with a pesos bank account and series A (I), NC (E) and P (P).
type tpFixture struct {
	*fixture
	s     ThirdPartyStore
	tp    *thirdparty.Service
	cust  sales.Customer // on credit (PPD), no limit
	third []sales.ThirdParty
	acct  banks.Account
}

func newTPFixture(f *fixture, s ThirdPartyStore) *tpFixture {
	t := f.t
	t.Helper()
	cat, _ := load(t)
	tf := &tpFixture{fixture: f, s: s, tp: &thirdparty.Service{Store: s, Decimals: cat.MonedaDecimals, Clock: f.clock}}
	if err := s.SetSalesSettings(f.ctx, f.co.RFC, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		t.Fatal(err)
	}
	// Not a third party: SAT refuses the receptor's RFC as one (CFDI40188).
	tf.cust = f.cust[1]
	tf.cust.CreditDays, tf.cust.CreditLimit, tf.cust.MetodoPago, tf.cust.FormaPago = 30, decimal.Zero, "PPD", "99"
	if err := s.UpdateCustomer(f.ctx, &tf.cust); err != nil {
		t.Fatal(err)
	}
	f.cust[1] = tf.cust
	// A workstation on a database another set up finds what is there, in
	// the same order.
	have, err := s.FindThirdParties(f.ctx, sales.ThirdPartyFilter{Issuer: f.co.RFC, IncludeInactive: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(have) > 0 {
		for _, rfc := range []string{"CACX7605101P8", "IIA040805DZ4"} {
			for _, tp := range have {
				if tp.RFC == rfc {
					tf.third = append(tf.third, tp)
				}
			}
		}
		accts, err := s.FindAccounts(f.ctx, f.co.RFC)
		if err != nil || len(accts) != 1 {
			t.Fatalf("accounts %v, %v", accts, err)
		}
		tf.acct = accts[0]
		return tf
	}
	for _, tp := range []sales.ThirdParty{
		{Issuer: f.co.RFC, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "36257", Active: true},
		{Issuer: f.co.RFC, RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "626", CodigoPostal: "62661", Active: true},
	} {
		tf.third = append(tf.third, tf.createThirdParty(tp))
	}
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	f.series("P", sales.TipoPago)
	tf.acct = banks.Account{Issuer: f.co.RFC, Kind: banks.Banco, Name: "Cheques", Bank: "BBVA", Moneda: "MXN", Active: true}
	if err := s.CreateAccount(f.ctx, &tf.acct); err != nil {
		t.Fatal(err)
	}
	return tf
}

// createThirdParty stores p through the catalog's use case.
func (f *tpFixture) createThirdParty(p sales.ThirdParty) sales.ThirdParty {
	f.t.Helper()
	cat, _ := load(f.t)
	svc := &sales.ThirdParties{Store: f.s, Catalogs: cat}
	if err := svc.Create(f.ctx, &p); err != nil {
		f.t.Fatalf("Create third party %s: %v", p.RFC, err)
	}
	return p
}

// tick moves the clock seven minutes on and returns the new instant.
func (f *tpFixture) tick() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(7 * time.Minute)
	return f.now
}

// invoice posts an invoice in serie A of own units of an own concept and,
// for each of tps, qty[i] hours on behalf of third party tps[i]; on credit
// or cash, in MXN or USD.
func (f *tpFixture) invoice(credit bool, usd bool, own int64, tps []int, qty []int64) sales.Invoice {
	f.t.Helper()
	inv := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: f.cust.ID,
		Customer: f.cust, UsoCFDI: f.cust.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN"}
	if credit {
		inv.Terms, inv.FormaPago = sales.Credito, "99"
	}
	if usd {
		inv.Moneda, inv.TipoCambio = "USD", dec("17.5")
	}
	if own > 0 {
		inv.Lines = append(inv.Lines, sales.LineFromProduct(&f.prod[1], decimal.NewFromInt(own)))
	}
	for i, k := range tps {
		l := sales.LineFromProduct(&f.prod[2], decimal.NewFromInt(qty[i]))
		l.ThirdParty = f.third[k].Ref()
		inv.Lines = append(inv.Lines, l)
	}
	if _, err := f.svc.SaveDraft(f.ctx, &inv); err != nil {
		f.t.Fatalf("SaveDraft: %v", err)
	}
	return f.mustPost(inv.ID)
}

// tryCancel cancels stamped document inv (uuid) as SAT would confirm it;
// false when the lifecycle's guard refuses (a live note or payment).
func (f *tpFixture) tryCancel(inv sales.Invoice, uuid string) bool {
	f.t.Helper()
	if err := f.q.AllowCancel(f.ctx, f.document(inv).ID); err != nil {
		return false
	}
	f.cancel(inv, uuid, f.clock())
	return true
}

func testThirdPartyRoundTrip(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	in := sales.ThirdParty{Issuer: f.co.RFC, RFC: "URE180429TM6", Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601",
		CodigoPostal: "86991", Contact: "Xóchitl", Email: "x@example.com", Phone: "55 1234 5678", Bank: "BANORTE",
		BankAccount: "072180001234567891", Notes: "Agente aduanal", Active: true}
	p := f.createThirdParty(in)
	got, err := s.FindThirdPartyByID(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.ID, want.CreatedAt, want.UpdatedAt = p.ID, f.clock(), f.clock()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FindThirdPartyByID = %+v\nwant %+v", got, want)
	}

	// The same RFC is a Conflict in the same company, fine in another.
	if err := s.CreateThirdParty(ctx, &sales.ThirdParty{Issuer: f.co.RFC, RFC: in.RFC, Name: "OTRO",
		RegimenFiscal: "612", CodigoPostal: "36257", Active: true}); domain.KindOf(err) != domain.Conflict {
		t.Errorf("duplicate RFC: %v, want Conflict", err)
	}
	other := in
	other.Issuer = "IIA040805DZ4"
	if err := s.CreateThirdParty(ctx, &other); err != nil {
		t.Errorf("same RFC in another company: %v", err)
	}
	// Changing to another's RFC of the same company is a Conflict too.
	clash := got
	clash.RFC = f.third[0].RFC
	if err := s.UpdateThirdParty(ctx, &clash); domain.KindOf(err) != domain.Conflict {
		t.Errorf("update to a taken RFC: %v, want Conflict", err)
	}

	f.tick()
	got.Name = "UNIVERSIDAD ROBÓTICA ESPAÑOLA"
	if err := s.UpdateThirdParty(ctx, &got); err != nil {
		t.Fatal(err)
	}
	if err := s.SetThirdPartyActive(ctx, got.ID, false); err != nil {
		t.Fatal(err)
	}
	again, _ := s.FindThirdPartyByID(ctx, got.ID)
	if again.Name != got.Name || again.Active || again.Issuer != f.co.RFC || !again.UpdatedAt.Equal(f.clock()) ||
		!again.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("after update = %+v", again)
	}
	if _, err := s.FindThirdPartyByID(ctx, 999999); domain.KindOf(err) != domain.NotFound {
		t.Errorf("missing: %v, want NotFound", err)
	}
	if err := s.SetThirdPartyActive(ctx, 999999, true); domain.KindOf(err) != domain.NotFound {
		t.Errorf("activate missing: %v, want NotFound", err)
	}
	missing := sales.ThirdParty{ID: 999999}
	if err := s.UpdateThirdParty(ctx, &missing); domain.KindOf(err) != domain.NotFound {
		t.Errorf("update missing: %v, want NotFound", err)
	}
}

func testFindThirdParties(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	// The fixture's two, and a third.
	f.createThirdParty(sales.ThirdParty{Issuer: f.co.RFC, RFC: "URE180429TM6", Name: "UNIVERSIDAD ROBÓTICA ESPAÑOLA",
		RegimenFiscal: "601", CodigoPostal: "86991"})
	// Another company's third party never shows.
	f.createThirdParty(sales.ThirdParty{Issuer: "IIA040805DZ4", RFC: "URE180429TM6",
		Name: "UNIVERSIDAD ROBOTICA ESPAÑOLA", RegimenFiscal: "601", CodigoPostal: "86991"})
	x := f.third[0]
	x.Name = "XOCHILT CASAS CHÁVEZ"
	if err := s.UpdateThirdParty(ctx, &x); err != nil {
		t.Fatal(err)
	}
	list, _ := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: f.co.RFC, Query: "URE"})
	if len(list) != 1 {
		t.Fatalf("URE → %d rows", len(list))
	}
	if err := s.SetThirdPartyActive(ctx, list[0].ID, false); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query    string
		inactive bool
		want     []string // RFCs in name order
	}{
		{"", false, []string{"IIA040805DZ4", "CACX7605101P8"}},
		{"", true, []string{"IIA040805DZ4", "URE180429TM6", "CACX7605101P8"}},
		{"chavez", false, []string{"CACX7605101P8"}},  // accent-insensitive
		{"ilum alm", false, []string{"IIA040805DZ4"}}, // word prefixes
		{"robotica", false, nil},                      // inactive
		{"robotica", true, []string{"URE180429TM6"}},  // … unless asked for
		{"cacx76", false, []string{"CACX7605101P8"}},  // RFC prefix
		{"zzz", true, nil},
	}
	for _, tt := range tests {
		list, err := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: f.co.RFC, Query: tt.query, IncludeInactive: tt.inactive})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range list {
			got = append(got, p.RFC)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("FindThirdParties(%q, inactive %v) = %v, want %v", tt.query, tt.inactive, got, tt.want)
		}
	}
	if list, _ := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: f.co.RFC, IncludeInactive: true, Limit: 2}); len(list) != 2 {
		t.Errorf("limit 2: %d rows", len(list))
	}
}

// testInvoiceThirdPartyRoundTrip: a draft's third-party lines, sale
// details and collect-from customer survive saving, re-saving and posting;
// the post seals the catalog's third party as it is then, and a later
// change of the catalog leaves the posted snapshot alone.
func testInvoiceThirdPartyRoundTrip(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	c, payer := f.fixture.cust[0], f.fixture.cust[1]
	tp := f.third[1]
	ship := time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)
	details := &sales.SaleDetails{Branch: "MATRIZ", Seller: "ANA", Responsible: "LUIS", CollectFromID: payer.ID,
		ShipTo: "Bodega 4, Manzanillo",
		Shipping: sales.Shipping{Vessel: "MSC ANNA", Voyage: "V123", Container: "MSCU1234567", Seal: "S-99",
			ExitPort: "Manzanillo", DestinationPort: "Long Beach", Terms: "Prepagado", ContactName: "Pedro",
			ContactReach: "pedro@example.com", Incoterm: "FOB", ShipDate: ship, DispatchDate: ship.AddDate(0, 0, 2)},
		Management: sales.Management{GeneratedBy: "ANA", GeneratedByID: "INE 123", VehiclePlate: "ABC-123",
			ReceivedBy: "JUAN", ReceivedByID: "INE 456", Observations: "Frágil\nNo apilar"},
		Sellers: []sales.SellerShare{{Name: "ANA", Percent: dec("60")}, {Name: "LUIS", Percent: dec("12.5")}}}
	d := f.draft("A", func(inv *sales.Invoice) {
		onBehalf := inv.Lines[0]
		onBehalf.ThirdParty = tp.Ref()
		inv.Lines = append(inv.Lines, onBehalf)
		inv.Details = details
	})

	check := func(when string, got sales.Invoice, want *sales.ThirdPartyRef) {
		t.Helper()
		if len(got.Lines) != 2 || got.Lines[0].ThirdParty != nil || got.Lines[1].ThirdParty == nil ||
			*got.Lines[1].ThirdParty != *want {
			t.Fatalf("%s: lines' third parties = %+v, %+v; want nil, %+v", when, got.Lines[0].ThirdParty, got.Lines[1].ThirdParty, *want)
		}
		if !reflect.DeepEqual(got.Details, details) {
			t.Errorf("%s: Details = %+v\nwant %+v", when, got.Details, details)
		}
		if got.ReceivableCustomerID() != payer.ID {
			t.Errorf("%s: ReceivableCustomerID = %d, want %d", when, got.ReceivableCustomerID(), payer.ID)
		}
	}
	got := f.find(d.ID)
	check("saved", got, tp.Ref())
	if err := s.SaveDraft(ctx, &got); err != nil {
		t.Fatal(err)
	}
	check("saved again", f.find(d.ID), tp.Ref())

	// A change of the catalog before posting is what the post seals: the
	// snapshot is taken again inside the posting transaction.
	tp2 := tp
	tp2.Name = "INDISTRIA ILUMINADORA DE ALMACENES SA"
	if err := s.UpdateThirdParty(ctx, &tp2); err != nil {
		t.Fatal(err)
	}
	f.mustPost(d.ID)
	check("posted", f.find(d.ID), tp2.Ref())
	// A later change of the catalog does not change the posted snapshot.
	tp3 := tp2
	tp3.Name = "OTRO NOMBRE"
	if err := s.UpdateThirdParty(ctx, &tp3); err != nil {
		t.Fatal(err)
	}
	check("after a later catalog change", f.find(d.ID), tp2.Ref())

	// An ordinary invoice has no details and its lines no third party.
	p := f.find(f.draft("A").ID)
	if p.Details != nil || p.Lines[0].ThirdParty != nil || p.ReceivableCustomerID() != c.ID {
		t.Errorf("ordinary invoice: Details %+v, line third party %+v", p.Details, p.Lines[0].ThirdParty)
	}
	// Details with only a collect-from customer come back as such.
	only := f.draft("A", func(inv *sales.Invoice) { inv.Details = &sales.SaleDetails{CollectFromID: payer.ID} })
	if o := f.find(only.ID); !reflect.DeepEqual(o.Details, only.Details) {
		t.Errorf("collect-from only: %+v, want %+v", o.Details, only.Details)
	}
}

func testSalesSettings(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	const issuer = "URE180429TM6" // the fixture set the demo company's
	if got, err := s.SalesSettings(ctx, issuer); err != nil || got != (sales.SalesSettings{}) {
		t.Fatalf("unset = %+v, %v; want zero", got, err)
	}
	for _, st := range []sales.SalesSettings{{ThirdParties: true}, {ThirdParties: true, MultipleSellers: true}, {MultipleSellers: true}, {}} {
		if err := s.SetSalesSettings(ctx, issuer, st); err != nil {
			t.Fatal(err)
		}
		if got, err := s.SalesSettings(ctx, issuer); err != nil || got != st {
			t.Errorf("after Set(%+v) = %+v, %v", st, got, err)
		}
	}
	// Per company.
	if got, _ := s.SalesSettings(ctx, f.co.RFC); got != (sales.SalesSettings{ThirdParties: true, MultipleSellers: true}) {
		t.Errorf("another company's settings changed: %+v", got)
	}
	if err := s.SetSalesSettings(ctx, " ", sales.SalesSettings{}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("no issuer: %v, want Invalid", err)
	}
}

// testPayoutRoundTrip: a payout keeps every field as recorded — its rate
// when it left a pesos account in dollars, none when it did not — its
// withdrawal leaves the account, the period filter selects it by date,
// cancelling it reverses the withdrawal and hides it from the live ones,
// and a payout to a third party not in the catalog is refused.
func testPayoutRoundTrip(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	f.invoice(false, true, 0, []int{0}, []int64{4}) // USD 3,400.00 (+ IVA) on behalf of the first
	f.invoice(false, false, 0, []int{0}, []int64{2})
	day := f.tick()
	usd, err := f.tp.RecordPayout(ctx, thirdparty.Payout{Issuer: f.co.RFC, ThirdPartyID: f.third[0].ID, Fecha: day,
		Moneda: "USD", Amount: dec("100.50"), AccountID: f.acct.ID, TipoCambio: dec("17.25"), Reference: "SPEI 1"})
	if err != nil {
		t.Fatal(err)
	}
	later := f.tick().Add(48 * time.Hour)
	mxn, err := f.tp.RecordPayout(ctx, thirdparty.Payout{Issuer: f.co.RFC, ThirdPartyID: f.third[0].ID, Fecha: later,
		Moneda: "MXN", Amount: dec("200")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Payouts(ctx, thirdparty.PayoutFilter{Issuer: f.co.RFC})
	if err != nil {
		t.Fatal(err)
	}
	want := []thirdparty.Payout{usd.Payout, mxn.Payout}
	if len(got) != 2 || !samePayout(got[0], want[0]) || !samePayout(got[1], want[1]) {
		t.Fatalf("Payouts = %+v\nwant %+v", got, want)
	}
	if got[0].MovementID == 0 || !got[0].TipoCambio.Equal(dec("17.25")) || got[1].MovementID != 0 || !got[1].TipoCambio.IsZero() {
		t.Errorf("movement and rate: %+v", got)
	}
	if bal, _ := s.AccountBalance(ctx, banks.MovementFilter{AccountID: f.acct.ID}); !bal.Equal(dec("-1733.63")) {
		t.Errorf("account after USD 100.50 at 17.25: %s, want -1733.63", bal)
	}
	for _, c := range []struct {
		f    thirdparty.PayoutFilter
		want int
	}{
		{thirdparty.PayoutFilter{Issuer: f.co.RFC, From: later}, 1},
		{thirdparty.PayoutFilter{Issuer: f.co.RFC, To: later}, 1},
		{thirdparty.PayoutFilter{Issuer: f.co.RFC, ThirdPartyID: f.third[1].ID}, 0},
		{thirdparty.PayoutFilter{Issuer: "IIA040805DZ4"}, 0},
	} {
		if ps, err := s.Payouts(ctx, c.f); err != nil || len(ps) != c.want {
			t.Errorf("Payouts(%+v) = %d, %v; want %d", c.f, len(ps), err, c.want)
		}
	}

	at := f.tick()
	if err := f.tp.CancelPayout(ctx, f.co.RFC, usd.Payout.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.tp.CancelPayout(ctx, f.co.RFC, usd.Payout.ID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("cancelling twice: %v, want Conflict", err)
	}
	if err := f.tp.CancelPayout(ctx, "IIA040805DZ4", mxn.Payout.ID); domain.KindOf(err) != domain.NotFound {
		t.Errorf("another company's payout: %v, want NotFound", err)
	}
	if live, _ := s.Payouts(ctx, thirdparty.PayoutFilter{Issuer: f.co.RFC}); len(live) != 1 || live[0].ID != mxn.Payout.ID {
		t.Errorf("live payouts after cancelling %+v", live)
	}
	all, _ := s.Payouts(ctx, thirdparty.PayoutFilter{Issuer: f.co.RFC, Cancelled: true})
	if len(all) != 2 || !all[0].CancelledAt.Equal(at) || !all[1].CancelledAt.IsZero() {
		t.Errorf("with cancelled: %+v", all)
	}
	if bal, _ := s.AccountBalance(ctx, banks.MovementFilter{AccountID: f.acct.ID}); !bal.IsZero() {
		t.Errorf("account after the cancellation: %s, want 0", bal)
	}

	err = s.PayoutTx(ctx, func(tx thirdparty.PayoutTx) error {
		return tx.InsertPayout(ctx, &thirdparty.Payout{Issuer: f.co.RFC, ThirdPartyID: 999999, Fecha: at, Moneda: "MXN",
			Amount: dec("1"), CreatedAt: at}, nil)
	})
	if domain.KindOf(err) != domain.Invalid {
		t.Errorf("payout to a third party not in the catalog: %v, want Invalid", err)
	}
	if all, _ := s.Payouts(ctx, thirdparty.PayoutFilter{Issuer: f.co.RFC, Cancelled: true}); len(all) != 2 {
		t.Errorf("the refused payout left %d payouts", len(all))
	}
}

// samePayout compares two payouts instant by instant.
func samePayout(a, b thirdparty.Payout) bool {
	ta, tb := a.Fecha, b.Fecha
	ca, cb := a.CreatedAt, b.CreatedAt
	xa, xb := a.CancelledAt, b.CancelledAt
	a.Fecha, b.Fecha, a.CreatedAt, b.CreatedAt, a.CancelledAt, b.CancelledAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	ra, rb := a.TipoCambio, b.TipoCambio
	ma, mb := a.Amount, b.Amount
	a.TipoCambio, b.TipoCambio, a.Amount, b.Amount = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	return ta.Equal(tb) && ca.Equal(cb) && xa.Equal(xb) && ra.Equal(rb) && ma.Equal(mb) && reflect.DeepEqual(a, b)
}

// testThirdPartyBalanceHistory (issue 13): for a random history (seeded;
// the seed is logged) of invoices with own and third-party concepts (cash
// and credit, pesos and dollars), credit notes, payment receipts, payouts
// and cancellations, all through the real use cases, each third party's
// balance equals what was billed on its behalf less what was paid out to
// it, collected never exceeds billed, a fully paid or cash invoice is
// fully collected, and the bank account holds exactly the live payouts'
// withdrawals.
func testThirdPartyBalanceHistory(t *testing.T, f *tpFixture) {
	seed := historySeed()
	t.Logf("seed %d (FOLIO_SEED=%d repeats this history)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 13))
	steps := 300
	if testing.Short() {
		steps = 80
	}
	type doc struct {
		inv  sales.Invoice
		uuid string
		tp   map[int64]decimal.Decimal // ThirdPartyTotals at posting
		live bool
	}
	type key struct {
		id     int64
		moneda string
	}
	var docs, notes, receipts []*doc
	var payouts []thirdparty.Payout
	totals := func(inv *sales.Invoice) map[int64]decimal.Decimal {
		m, err := inv.ThirdPartyTotals(2)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	check := func(step int) {
		t.Helper()
		rep, err := f.tp.Balances(f.ctx, f.co.RFC, time.Time{}, time.Time{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		billed, paidOut := map[key]decimal.Decimal{}, map[key]decimal.Decimal{}
		for _, d := range docs {
			if d.live {
				for id, v := range d.tp {
					billed[key{id, d.inv.Moneda}] = billed[key{id, d.inv.Moneda}].Add(v)
				}
			}
		}
		for _, n := range notes {
			if n.live {
				for id, v := range n.tp {
					billed[key{id, n.inv.Moneda}] = billed[key{id, n.inv.Moneda}].Sub(v)
				}
			}
		}
		for _, p := range payouts {
			if !p.Cancelled() {
				paidOut[key{p.ThirdPartyID, p.Moneda}] = paidOut[key{p.ThirdPartyID, p.Moneda}].Add(p.Amount)
			}
		}
		seen := map[key]bool{}
		for _, b := range rep.Balances {
			k := key{b.ThirdPartyID, b.Moneda}
			seen[k] = true
			if !b.Billed.Equal(billed[k]) || !b.PaidOut.Equal(paidOut[k]) {
				t.Fatalf("step %d: %s %s billed %s paid out %s, want %s and %s", step, b.RFC, b.Moneda, b.Billed, b.PaidOut, billed[k], paidOut[k])
			}
			if !b.Owed.Equal(billed[k].Sub(paidOut[k])) {
				t.Fatalf("step %d: %s %s owed %s, want billed − paid out = %s", step, b.RFC, b.Moneda, b.Owed, billed[k].Sub(paidOut[k]))
			}
			if b.Collected.GreaterThan(b.Billed) || b.Collected.IsNegative() {
				t.Fatalf("step %d: %s %s collected %s of billed %s", step, b.RFC, b.Moneda, b.Collected, b.Billed)
			}
		}
		for k, v := range billed {
			if !v.IsZero() && !seen[k] {
				t.Fatalf("step %d: no balance for %+v (billed %s)", step, k, v)
			}
		}
		for _, r := range rep.Docs {
			if r.Collected.GreaterThan(r.Billed) {
				t.Fatalf("step %d: document %s collected %s of %s", step, r.Number(), r.Collected, r.Billed)
			}
		}
		// The account holds exactly the live payouts' withdrawals.
		want := decimal.Zero
		for _, p := range payouts {
			if !p.Cancelled() && p.AccountID != 0 {
				want = want.Sub(p.Amount)
			}
		}
		got, err := f.s.AccountBalance(f.ctx, banks.MovementFilter{AccountID: f.acct.ID})
		if err != nil || !got.Equal(want) {
			t.Fatalf("step %d: account balance %s, want %s (%v)", step, got, want, err)
		}
	}
	cat, _ := load(t)
	counts := map[string]int{}
	for step := 0; step < steps; step++ {
		now := f.tick()
		switch k := rng.IntN(20); {
		case k < 6 || len(docs) == 0: // an invoice
			n := 1 + rng.IntN(3)
			tps, qty := make([]int, n), make([]int64, n)
			for i := range tps {
				tps[i], qty[i] = rng.IntN(len(f.third)), 1+rng.Int64N(5)
			}
			inv := f.invoice(rng.IntN(3) > 0, rng.IntN(5) == 0, rng.Int64N(4), tps, qty)
			d := &doc{inv: inv, tp: totals(&inv), live: true}
			d.uuid = f.stamp(inv, now)
			docs = append(docs, d)
			counts["invoice"]++
		case k < 10: // a payment of part or all of the MXN credit invoices
			open, err := f.s.PayableInvoices(f.ctx, f.co.RFC, f.cust.ID)
			if err != nil {
				t.Fatal(err)
			}
			var mxn []sales.Payable
			for _, p := range open {
				if p.Invoice.Moneda == "MXN" {
					mxn = append(mxn, p)
				}
			}
			if len(mxn) == 0 {
				continue
			}
			p := mxn[rng.IntN(len(mxn))]
			amount := p.Balance()
			if rng.IntN(2) == 0 {
				amount = amount.Mul(decimal.NewFromInt(1 + rng.Int64N(99))).Div(decimal.NewFromInt(100)).Round(2)
			}
			if !amount.IsPositive() {
				continue
			}
			in := sales.PaymentInput{FechaPago: now, FormaDePagoP: "03", Monto: amount,
				Apply: []sales.Application{{InvoiceID: p.Invoice.ID, ImpPagado: amount}}}
			r, err := sales.BuildPayment("P", in, []sales.Payable{p}, cat)
			if err != nil {
				t.Fatalf("step %d: BuildPayment: %v", step, err)
			}
			posted, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{r})
			if err != nil {
				t.Fatalf("step %d: post payment: %v", step, err)
			}
			rc := &doc{inv: posted[0], live: true}
			rc.uuid = f.stamp(rc.inv, now)
			receipts = append(receipts, rc)
			counts["payment"]++
		case k < 12: // a credit note returning one unit of a third-party concept
			var cand []*doc
			for _, d := range docs {
				if d.live && len(d.tp) > 0 {
					cand = append(cand, d)
				}
			}
			if len(cand) == 0 {
				continue
			}
			d := cand[rng.IntN(len(cand))]
			src := f.find(d.inv.ID)
			line := -1
			for i, l := range src.Lines {
				if l.ThirdParty != nil {
					line = i
					break
				}
			}
			note, err := sales.BuildCreditNote(&src, sales.Devolucion, "NC", []sales.CreditLine{{Line: line, Cantidad: decimal.NewFromInt(1)}}, sales.Credited{}, 2)
			if err != nil {
				continue
			}
			if _, err := f.svc.SaveDraft(f.ctx, &note); err != nil {
				t.Fatal(err)
			}
			posted, err := f.post(note.ID, sales.PostOptions{})
			if err != nil {
				if domain.KindOf(err) == domain.Invalid {
					continue // more than what is left of the invoice
				}
				t.Fatalf("step %d: post note: %v", step, err)
			}
			n := &doc{inv: posted, tp: totals(&posted), live: true}
			n.uuid = f.stamp(posted, now)
			notes = append(notes, n)
			counts["note"]++
			if len(n.tp) == 0 {
				t.Fatalf("step %d: the return of a third-party concept credits no third party", step)
			}
		case k < 16: // a payout to a third party, sometimes more than is owed
			tpi := rng.IntN(len(f.third))
			rep, err := f.tp.Balances(f.ctx, f.co.RFC, time.Time{}, time.Time{}, f.third[tpi].ID)
			if err != nil {
				t.Fatal(err)
			}
			owed := decimal.Zero
			for _, b := range rep.Balances {
				if b.Moneda == "MXN" {
					owed = b.Owed
				}
			}
			amount := owed.Mul(decimal.NewFromInt(1 + rng.Int64N(100))).Div(decimal.NewFromInt(100)).Round(2)
			over := rng.IntN(6) == 0
			if over {
				amount = owed.Add(dec("0.01"))
			}
			if !amount.IsPositive() {
				continue
			}
			p := thirdparty.Payout{Issuer: f.co.RFC, ThirdPartyID: f.third[tpi].ID, Fecha: now, Moneda: "MXN", Amount: amount,
				Reference: fmt.Sprintf("SPEI %d", step)}
			if rng.IntN(4) > 0 {
				p.AccountID = f.acct.ID
			}
			res, err := f.tp.RecordPayout(f.ctx, p)
			if over {
				if domain.KindOf(err) != domain.Invalid {
					t.Fatalf("step %d: paying out %s of %s owed: %v, want Invalid", step, amount, owed, err)
				}
				counts["refused payout"]++
				continue
			}
			if err != nil {
				t.Fatalf("step %d: RecordPayout(%s of %s owed): %v", step, amount, owed, err)
			}
			if res.Ahead != amount.GreaterThan(decimal.Max(res.Before.PendingPayout, decimal.Zero)) {
				t.Fatalf("step %d: Ahead = %v for %s with %s collected and not paid out", step, res.Ahead, amount, res.Before.PendingPayout)
			}
			payouts = append(payouts, res.Payout)
			counts["payout"]++
		case k < 17: // cancel a payout
			for _, i := range rng.Perm(len(payouts)) {
				if !payouts[i].Cancelled() {
					if err := f.tp.CancelPayout(f.ctx, f.co.RFC, payouts[i].ID); err != nil {
						t.Fatal(err)
					}
					if err := f.tp.CancelPayout(f.ctx, f.co.RFC, payouts[i].ID); domain.KindOf(err) != domain.Conflict {
						t.Fatalf("cancelling twice: %v, want Conflict", err)
					}
					payouts[i].CancelledAt = now
					counts["cancelled payout"]++
					break
				}
			}
		case k < 18: // cancel a payment receipt
			for _, i := range rng.Perm(len(receipts)) {
				if r := receipts[i]; r.live && f.tryCancel(r.inv, r.uuid) {
					r.live = false
					counts["cancelled payment"]++
					break
				}
			}
		case k < 19: // cancel a credit note
			for _, i := range rng.Perm(len(notes)) {
				if n := notes[i]; n.live && f.tryCancel(n.inv, n.uuid) {
					n.live = false
					counts["cancelled note"]++
					break
				}
			}
		default: // cancel an invoice (refused while a note or payment is live)
			for _, i := range rng.Perm(len(docs)) {
				if d := docs[i]; d.live && f.tryCancel(d.inv, d.uuid) {
					d.live = false
					counts["cancelled invoice"]++
					break
				}
			}
		}
		if step%25 == 0 {
			check(step)
		}
	}
	check(steps)
	// A cash invoice is fully collected.
	rep, err := f.tp.Balances(f.ctx, f.co.RFC, time.Time{}, time.Time{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Docs {
		var d *doc
		for _, x := range docs {
			if x.inv.ID == r.InvoiceID {
				d = x
			}
		}
		if d.inv.Terms == sales.Contado && !r.Collected.Equal(r.Billed) {
			t.Errorf("cash invoice %s: collected %s of %s", r.Number(), r.Collected, r.Billed)
		}
	}
	t.Logf("%d steps: %v", steps, counts)
}

// testSalesBookOfAMonth: the month's invoices (a cancelled one too), its
// credit note and a voided folio, by series and number; each row's parts
// add up to its total; the totals leave out the cancelled and the voided.
func testSalesBookOfAMonth(t *testing.T, f *tpFixture) {
	a := f.invoice(false, false, 2, []int{0, 1}, []int64{1, 3})
	f.stamp(a, f.clock())
	f.tick()
	b := f.invoice(true, false, 1, []int{0}, []int64{2})
	bu := f.stamp(b, f.clock())
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 3, "Hoja dañada"); err != nil {
		t.Fatal(err)
	}
	f.tick()
	if !f.tryCancel(b, bu) {
		t.Fatal("cancel refused")
	}
	// Next month's invoice is not in this month's book.
	f.setClock(base.AddDate(0, 1, 0))
	f.invoice(false, false, 1, nil, nil)
	book, err := f.tp.SalesBook(f.ctx, f.co.RFC, base)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range book.Rows {
		got = append(got, r.Number()+" "+string(r.Status))
		if r.Status != thirdparty.Anulado {
			if sum := r.Own.Add(r.ThirdParty).Add(r.IVA).Add(r.IEPS).Sub(r.Retenciones); !sum.Equal(r.Total) {
				t.Errorf("%s: parts add up to %s, total %s", r.Number(), sum, r.Total)
			}
		}
	}
	if fmt.Sprint(got) != "[A-1 Vigente A-2 Cancelada A-3 Anulado]" {
		t.Fatalf("rows %v", got)
	}
	if want := a.Total; !book.Totals.Total.Equal(want) || !book.Rows[0].ThirdParty.Equal(dec("3400")) {
		t.Errorf("totals %+v, want A-1 only (%s); third-party part %s, want 4 hours × 850.00", book.Totals, want, book.Rows[0].ThirdParty)
	}
	if book.Rows[2].Note != "Hoja dañada" {
		t.Errorf("voided row %+v", book.Rows[2])
	}
}

// testCommissionDocs: the period's live invoices whose sale details name
// sellers, with all their concepts; not one without sellers, nor a
// cancelled one, nor one of another period.
func testCommissionDocs(t *testing.T, f *tpFixture) {
	sellers := func(inv *sales.Invoice) {
		inv.Details = &sales.SaleDetails{Sellers: []sales.SellerShare{{Name: "ANA", Percent: dec("60")}, {Name: "LUIS", Percent: dec("40")}}}
	}
	with := f.mustPost(f.draft("A", sellers).ID)
	f.mustPost(f.draft("A").ID)
	gone := f.mustPost(f.draft("A", sellers).ID)
	f.cancel(gone, f.stamp(gone, f.clock()), f.clock())
	f.setClock(base.AddDate(0, 1, 0))
	f.mustPost(f.draft("A", sellers).ID)
	from, to := thirdparty.MonthRange(base)
	got, err := f.s.CommissionDocs(f.ctx, f.co.RFC, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != with.ID || len(got[0].Lines) != 1 || got[0].Details == nil || len(got[0].Details.Sellers) != 2 {
		t.Fatalf("CommissionDocs = %+v, want invoice %d with its sellers and line", got, with.ID)
	}
}

// testPayoutsAcrossWorkstations: two workstations pay out to one third
// party at the same instant amounts that each fit what is owed but not
// together: exactly one is recorded and the other refused, round after
// round, and what was paid out never exceeds what was billed. A store
// that lets both read the balance before either writes pays both.
func testPayoutsAcrossWorkstations(t *testing.T, f, g *tpFixture) {
	const rounds = 6
	for r := range rounds {
		f.invoice(false, false, 0, []int{0}, []int64{1})
		owed := f.owed(0)
		// Each pays 60% of what is owed: either fits, not both.
		amount := owed.Mul(dec("0.6")).Round(2)
		start := make(chan struct{})
		errs := make([]error, 2)
		done := make(chan struct{})
		for i, w := range []*tpFixture{f, g} {
			go func() {
				defer func() { done <- struct{}{} }()
				<-start
				_, errs[i] = w.tp.RecordPayout(w.ctx, thirdparty.Payout{Issuer: w.co.RFC, ThirdPartyID: w.third[0].ID,
					Fecha: w.clock(), Moneda: "MXN", Amount: amount, AccountID: w.acct.ID, Reference: fmt.Sprintf("ronda %d", r)})
			}()
		}
		close(start)
		<-done
		<-done
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case domain.KindOf(err) != domain.Invalid:
				t.Fatalf("round %d: %v", r, err)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d payouts of %s recorded against %s owed (errors %v), want exactly 1", r, ok, amount, owed, errs)
		}
		rep, err := g.tp.Balances(g.ctx, g.co.RFC, time.Time{}, time.Time{}, g.third[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range rep.Balances {
			if b.PaidOut.GreaterThan(b.Billed) || b.Owed.IsNegative() {
				t.Fatalf("round %d: paid out %s of %s billed", r, b.PaidOut, b.Billed)
			}
		}
	}
	ps, err := f.s.Payouts(f.ctx, thirdparty.PayoutFilter{Issuer: f.co.RFC})
	if err != nil || len(ps) != rounds {
		t.Fatalf("%d payouts (%v), want %d", len(ps), err, rounds)
	}
	paid := decimal.Zero
	for _, p := range ps {
		paid = paid.Add(p.Amount)
	}
	if bal, _ := g.s.AccountBalance(g.ctx, banks.MovementFilter{AccountID: g.acct.ID}); !bal.Equal(paid.Neg()) {
		t.Errorf("account %s after payouts of %s", bal, paid)
	}
}

// owed is what the company owes third party i in pesos.
func (f *tpFixture) owed(i int) decimal.Decimal {
	f.t.Helper()
	rep, err := f.tp.Balances(f.ctx, f.co.RFC, time.Time{}, time.Time{}, f.third[i].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, b := range rep.Balances {
		if b.Moneda == "MXN" {
			return b.Owed
		}
	}
	return decimal.Zero
}

// mixedDraft saves a credit invoice of the fixture's customer with own
// concepts (a service with IVA 16 and both withholdings, a mouse at 16 %)
// and concepts on behalf of the first third party (a laptop at 16 %) and
// the second (an exempt book); edit changes it before it is saved.
func (f *tpFixture) mixedDraft(edit ...func(*sales.Invoice)) sales.Invoice {
	f.t.Helper()
	line := func(i int, qty string) sales.Line { return sales.LineFromProduct(&f.prod[i], dec(qty)) }
	lines := []sales.Line{line(2, "3"), line(1, "2"), line(0, "1"), line(4, "5")}
	lines[2].ThirdParty = f.third[0].Ref()
	lines[3].ThirdParty = f.third[1].Ref()
	inv := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: f.cust.ID, Customer: f.cust,
		UsoCFDI: "G03", Terms: sales.Credito, FormaPago: "99", Moneda: "MXN", Lines: lines}
	for _, e := range edit {
		e(&inv)
	}
	if _, err := f.svc.SaveDraft(f.ctx, &inv); err != nil {
		f.t.Fatalf("SaveDraft: %v", err)
	}
	return inv
}

// testPostThirdPartyRefusals: the setting, the sellers' setting and the
// catalog's current state are checked inside the posting transaction; a
// refusal says what to do and takes no folio.
func testPostThirdPartyRefusals(t *testing.T, f *tpFixture) {
	ctx, s := f.ctx, f.s
	on := sales.SalesSettings{ThirdParties: true}
	cases := []struct {
		name     string
		settings sales.SalesSettings
		edit     func(inv *sales.Invoice)
		undo     func()
		want     string
	}{
		{"setting off", sales.SalesSettings{}, func(*sales.Invoice) {}, func() {},
			"Active «Manejar facturación / cobros a terceros» en Configuración"},
		{"sellers without the setting", on, func(inv *sales.Invoice) {
			inv.Details = &sales.SaleDetails{Sellers: []sales.SellerShare{{Name: "ANA", Percent: dec("5")}, {Name: "LUIS", Percent: dec("3")}}}
		}, func() {}, "Active «Permitir múltiples vendedores por venta» en Configuración"},
		{"deactivated third party", on, func(*sales.Invoice) {
			if err := s.SetThirdPartyActive(ctx, f.third[1].ID, false); err != nil {
				t.Fatal(err)
			}
		}, func() {
			if err := s.SetThirdPartyActive(ctx, f.third[1].ID, true); err != nil {
				t.Fatal(err)
			}
		}, "está dado de baja; reactívelo en el catálogo de terceros"},
		{"another company's third party", on, func(inv *sales.Invoice) {
			other := sales.ThirdParty{Issuer: "AAA010101AAA", RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612",
				CodigoPostal: "36257", Active: true}
			if err := s.CreateThirdParty(ctx, &other); err != nil {
				t.Fatal(err)
			}
			inv.Lines[2].ThirdParty = other.Ref()
		}, func() {}, "es de otra empresa"},
	}
	for _, c := range cases {
		if err := s.SetSalesSettings(ctx, f.co.RFC, c.settings); err != nil {
			t.Fatal(err)
		}
		d := f.mixedDraft(c.edit)
		_, err := f.post(d.ID, sales.PostOptions{})
		msg := domain.UserMessage(err)
		for _, m := range sales.FieldErrors(err) {
			msg += " " + m
		}
		if domain.KindOf(err) != domain.Invalid || !strings.Contains(msg, c.want) {
			t.Errorf("%s: post = %v (%s); want Invalid with %q", c.name, err, msg, c.want)
		}
		if n := f.nextFolio("A"); n != 1 {
			t.Errorf("%s: next folio %d after a refusal, want 1", c.name, n)
		}
		c.undo()
	}
	// With both settings on, the sellers post.
	if err := s.SetSalesSettings(ctx, f.co.RFC, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		t.Fatal(err)
	}
	d := f.mixedDraft(func(inv *sales.Invoice) {
		inv.Details = &sales.SaleDetails{Sellers: []sales.SellerShare{{Name: "ANA", Percent: dec("5")}}}
	})
	if _, err := f.post(d.ID, sales.PostOptions{}); err != nil {
		t.Fatalf("post with sellers enabled: %v", err)
	}
}

// testCollectFromCreditCheck: the credit check at posting is the
// collect-from customer's: their limit and balances, not the invoiced
// customer's; a deactivated one cannot be collected from.
func testCollectFromCreditCheck(t *testing.T, f *tpFixture) {
	payer := sales.DemoCustomers()[1]
	payer.RFC, payer.Name, payer.CreditLimit = "IIA040805DZ4", "INDISTRIA ILUMINADORA DE ALMACENES", dec("1000.00")
	payer.Normalize()
	if err := f.s.CreateCustomer(f.ctx, &payer); err != nil {
		t.Fatal(err)
	}
	// Some 23,900: the invoiced customer has no limit.
	d := f.mixedDraft(func(inv *sales.Invoice) { inv.Details = &sales.SaleDetails{CollectFromID: payer.ID} })
	if _, err := f.post(d.ID, sales.PostOptions{}); domain.KindOf(err) != domain.Conflict {
		t.Fatalf("post over the payer's limit = %v, want the credit refusal", err)
	}
	if err := f.s.SetCustomerActive(f.ctx, payer.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.post(d.ID, sales.PostOptions{}); !strings.Contains(domain.UserMessage(err), "Cuenta x cobrar a") {
		t.Fatalf("post collected from a deactivated customer = %v", err)
	}
	if n := f.nextFolio("A"); n != 1 {
		t.Errorf("next folio %d after the refusals, want 1", n)
	}
}

// testListThirdPartyDocuments: the list of "Saldos contra terceros"
// (InvoiceFilter.ThirdParty) keeps the documents with third-party concepts
// or sale details and leaves out plain invoices; without the filter every
// invoice is listed.
func testListThirdPartyDocuments(t *testing.T, f *tpFixture) {
	mixed := f.mixedDraft()
	plain := f.mixedDraft(func(inv *sales.Invoice) { inv.Lines = inv.Lines[:2] })
	details := f.mixedDraft(func(inv *sales.Invoice) {
		inv.Lines = inv.Lines[:2]
		inv.Details = &sales.SaleDetails{Branch: "Matriz"}
	})
	posted := f.mustPost(f.mixedDraft().ID)
	ids := func(only bool) map[int64]bool {
		rows, err := f.s.FindInvoices(f.ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Tipo: sales.TipoIngreso, ThirdParty: only})
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]bool{}
		for _, r := range rows {
			m[r.ID] = true
		}
		return m
	}
	if got := ids(true); len(got) != 3 || !got[mixed.ID] || !got[details.ID] || !got[posted.ID] {
		t.Errorf("third-party list = %v, want %d, %d and %d", got, mixed.ID, details.ID, posted.ID)
	}
	if got := ids(false); len(got) != 4 || !got[plain.ID] {
		t.Errorf("whole list = %v, want 4 with %d", got, plain.ID)
	}
}
