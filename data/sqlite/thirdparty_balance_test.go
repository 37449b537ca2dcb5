package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/shopspring/decimal"
)

var (
	tpSignerOnce sync.Once
	tpSigner     *csd.CSD
	tpSignerErr  error
)

// tpFixture posts, stamps and cancels documents with third-party concepts
// through the domain's use cases on a real store.
type tpFixture struct {
	t     testing.TB
	ctx   context.Context
	s     *Store
	q     *StampStore
	svc   *sales.Service
	tp    *thirdparty.Service
	co    *sales.Company
	cust  sales.Customer // on credit (PPD)
	prod  []sales.Product
	third []sales.ThirdParty
	acct  banks.Account
	now   time.Time
	seq   int
}

func newTPFixture(tb testing.TB) *tpFixture {
	tb.Helper()
	base := time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)
	tpSignerOnce.Do(func() {
		tpSigner, tpSignerErr = csd.LoadAt(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword, base)
	})
	if tpSignerErr != nil {
		tb.Fatal(tpSignerErr)
	}
	f := &tpFixture{t: tb, ctx: context.Background(), co: sales.DemoCompany(), now: base}
	s, err := Open(f.ctx, tb.TempDir()+"/folio.db", Options{Now: f.clock})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	f.s, f.q = s, NewStampStore(s)
	cats := testCatalogs(tb)
	admin := &sales.Companies{Store: s, Keys: s, Clock: f.clock}
	f.svc = &sales.Service{Invoices: s, Catalogs: cats, Admin: admin, Clock: f.clock}
	f.tp = &thirdparty.Service{Store: s, Decimals: cats.MonedaDecimals, Clock: f.clock}
	if err := s.SetSalesSettings(f.ctx, f.co.RFC, sales.SalesSettings{ThirdParties: true, MultipleSellers: true}); err != nil {
		tb.Fatal(err)
	}
	c := sales.DemoCustomers()[1] // not a third party: SAT refuses the receptor's RFC as one (CFDI40188)
	c.CreditLimit = decimal.Zero  // the history is about third parties, not credit control
	c.Normalize()
	c.CreditDays, c.MetodoPago, c.FormaPago = 30, "PPD", "99"
	if err := s.CreateCustomer(f.ctx, &c); err != nil {
		tb.Fatal(err)
	}
	f.cust = c
	for _, p := range sales.DemoProducts() {
		if err := s.CreateProduct(f.ctx, &p); err != nil {
			tb.Fatal(err)
		}
		f.prod = append(f.prod, p)
	}
	for _, tp := range []sales.ThirdParty{
		{Issuer: f.co.RFC, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "36257", Active: true},
		{Issuer: f.co.RFC, RFC: "IIA040805DZ4", Name: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscal: "626", CodigoPostal: "62661", Active: true},
	} {
		f.third = append(f.third, mustCreateThirdParty(tb, s, tp))
	}
	for _, sr := range []struct{ serie, tipo string }{{"A", "I"}, {"NC", "E"}, {"P", "P"}} {
		x := sales.Series{Issuer: f.co.RFC, Serie: sr.serie, TipoDeComprobante: sr.tipo, NextFolio: 1, Active: true}
		if err := s.CreateSeries(f.ctx, &x); err != nil {
			tb.Fatal(err)
		}
	}
	f.acct = banks.Account{Issuer: f.co.RFC, Kind: banks.Banco, Name: "Cheques", Bank: "BBVA", Moneda: "MXN", Active: true}
	if err := s.CreateAccount(f.ctx, &f.acct); err != nil {
		tb.Fatal(err)
	}
	return f
}

func (f *tpFixture) clock() time.Time { return f.now }

func (f *tpFixture) tick() time.Time { f.now = f.now.Add(7 * time.Minute); return f.now }

// invoice posts an invoice of one own concept and n third-party concepts
// (third parties chosen by pick), on credit or cash, in MXN or USD.
func (f *tpFixture) invoice(credit bool, usd bool, own int64, tps []int, qty []int64) sales.Invoice {
	f.t.Helper()
	inv := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: f.cust.ID,
		Customer: f.cust, UsoCFDI: f.cust.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN"}
	if credit {
		inv.Terms, inv.FormaPago = sales.Credito, "99"
	}
	if usd {
		inv.Moneda, inv.TipoCambio = "USD", decimal.RequireFromString("17.5")
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
	posted, err := f.svc.Post(f.ctx, inv.ID, f.co, tpSigner, sales.PostOptions{})
	if err != nil {
		f.t.Fatalf("Post: %v", err)
	}
	return posted
}

func (f *tpFixture) stamp(inv sales.Invoice) string {
	f.t.Helper()
	docs, err := f.q.Documents(f.ctx, f.co.RFC)
	if err != nil {
		f.t.Fatal(err)
	}
	key := sales.CustomID(inv.Issuer, inv.Serie, inv.Folio)
	for _, d := range docs {
		if d.CustomID != key {
			continue
		}
		f.seq++
		uuid := fmt.Sprintf("6FB2822E-396D-4725-8521-%012X", f.seq)
		xml, err := cfdi.InsertTimbre(d.SealedXML, &cfdi.TimbreFiscalDigital{Version: "1.1", UUID: uuid,
			FechaTimbrado: f.now.Format(sales.FechaLayout), RfcProvCertif: "SPR190613I52", SelloCFD: "c2VsbG8=",
			NoCertificadoSAT: "30001000000500003456", SelloSAT: "c2VsbG8="})
		if err != nil {
			f.t.Fatal(err)
		}
		if err := f.q.MarkStamped(f.ctx, d.ID, xml, uuid, stamping.Outcome{Class: stamping.Stamped}, f.now); err != nil {
			f.t.Fatal(err)
		}
		return uuid
	}
	f.t.Fatalf("no queued document %s", key)
	return ""
}

// cancel cancels stamped document inv (uuid) as SAT would confirm it;
// false when the lifecycle's guard refuses (a live note or payment).
func (f *tpFixture) cancel(inv sales.Invoice, uuid string) bool {
	f.t.Helper()
	docs, err := f.q.Documents(f.ctx, f.co.RFC)
	if err != nil {
		f.t.Fatal(err)
	}
	key := sales.CustomID(inv.Issuer, inv.Serie, inv.Folio)
	for _, d := range docs {
		if d.CustomID != key {
			continue
		}
		if err := f.q.AllowCancel(f.ctx, d.ID); err != nil {
			return false
		}
		id, err := f.q.SaveCancellation(f.ctx, stamping.Cancellation{DocumentID: d.ID, RequestedAt: f.now,
			Request: stamping.CancelRequest{IssuerRFC: inv.Issuer, UUID: uuid, Motivo: "02"},
			Receipt: stamping.CancelReceipt{EstatusUUID: "201", Acuse: []byte("<Acuse/>")}})
		if err != nil {
			f.t.Fatal(err)
		}
		if err := f.q.UpdateCancelStatus(f.ctx, id, stamping.SATStatus{Estado: "Cancelado",
			EstatusCancelacion: "Cancelado sin aceptación"}, f.now); err != nil {
			f.t.Fatal(err)
		}
		return true
	}
	f.t.Fatalf("no queued document %s", key)
	return false
}

func tpSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if v, err := strconv.ParseUint(os.Getenv("FOLIO_TEST_SEED"), 10, 64); err == nil {
		seed = v
	}
	t.Logf("seed %d (FOLIO_TEST_SEED=%d repeats this history)", seed, seed)
	return seed
}

// TestThirdPartyBalanceHistory (issue 13): for a random history of
// invoices with own and third-party concepts (cash and credit, pesos and
// dollars), credit notes, payment receipts, payouts and cancellations, all
// through the real use cases, each third party's balance equals what was
// billed on its behalf less what was paid out to it, collected never
// exceeds billed, a fully paid or cash invoice is fully collected, and the
// bank account holds exactly the live payouts' withdrawals.
func TestThirdPartyBalanceHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(tpSeed(t), 13))
	f := newTPFixture(t)
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
	livePaid := map[int64]bool{}
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
	counts := map[string]int{}
	for step := 0; step < steps; step++ {
		f.tick()
		switch k := rng.IntN(20); {
		case k < 6 || len(docs) == 0: // an invoice
			n := 1 + rng.IntN(3)
			tps, qty := make([]int, n), make([]int64, n)
			for i := range tps {
				tps[i], qty[i] = rng.IntN(len(f.third)), 1+rng.Int64N(5)
			}
			inv := f.invoice(rng.IntN(3) > 0, rng.IntN(5) == 0, rng.Int64N(4), tps, qty)
			d := &doc{inv: inv, tp: totals(&inv), live: true}
			d.uuid = f.stamp(inv)
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
			in := sales.PaymentInput{FechaPago: f.now, FormaDePagoP: "03", Monto: amount,
				Apply: []sales.Application{{InvoiceID: p.Invoice.ID, ImpPagado: amount}}}
			r, err := sales.BuildPayment("P", in, []sales.Payable{p}, f.svc.Catalogs)
			if err != nil {
				t.Fatalf("step %d: BuildPayment: %v", step, err)
			}
			posted, err := f.svc.PostBatch(f.ctx, f.co, tpSigner, []sales.Invoice{r})
			if err != nil {
				t.Fatalf("step %d: post payment: %v", step, err)
			}
			rc := &doc{inv: posted[0], live: true}
			rc.uuid = f.stamp(rc.inv)
			receipts = append(receipts, rc)
			livePaid[p.Invoice.ID] = true
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
			src, err := f.s.FindInvoiceByID(f.ctx, d.inv.ID)
			if err != nil {
				t.Fatal(err)
			}
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
			posted, err := f.svc.Post(f.ctx, note.ID, f.co, tpSigner, sales.PostOptions{})
			if err != nil {
				if domain.KindOf(err) == domain.Invalid {
					continue // more than what is left of the invoice
				}
				t.Fatalf("step %d: post note: %v", step, err)
			}
			n := &doc{inv: posted, tp: totals(&posted), live: true}
			n.uuid = f.stamp(posted)
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
				amount = owed.Add(decimal.RequireFromString("0.01"))
			}
			if !amount.IsPositive() {
				continue
			}
			p := thirdparty.Payout{Issuer: f.co.RFC, ThirdPartyID: f.third[tpi].ID, Fecha: f.now, Moneda: "MXN", Amount: amount,
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
					payouts[i].CancelledAt = f.now
					counts["cancelled payout"]++
					break
				}
			}
		case k < 18: // cancel a payment receipt
			for _, i := range rng.Perm(len(receipts)) {
				if r := receipts[i]; r.live && f.cancel(r.inv, r.uuid) {
					r.live = false
					counts["cancelled payment"]++
					break
				}
			}
		case k < 19: // cancel a credit note
			for _, i := range rng.Perm(len(notes)) {
				if n := notes[i]; n.live && f.cancel(n.inv, n.uuid) {
					n.live = false
					counts["cancelled note"]++
					break
				}
			}
		default: // cancel an invoice (refused while a note or payment is live)
			for _, i := range rng.Perm(len(docs)) {
				if d := docs[i]; d.live && f.cancel(d.inv, d.uuid) {
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
	// A cash invoice and a fully paid one are fully collected.
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

// TestSalesBookOfAMonth: the month's invoices (a cancelled one too), its
// credit note and a voided folio, by series and number; each row's parts
// add up to its total; the totals leave out the cancelled and the voided.
func TestSalesBookOfAMonth(t *testing.T) {
	f := newTPFixture(t)
	a := f.invoice(false, false, 2, []int{0, 1}, []int64{1, 3})
	f.stamp(a)
	f.tick()
	b := f.invoice(true, false, 1, []int{0}, []int64{2})
	bu := f.stamp(b)
	if err := f.s.VoidFolio(f.ctx, f.co.RFC, "A", 3, "Hoja dañada"); err != nil {
		t.Fatal(err)
	}
	f.tick()
	if !f.cancel(b, bu) {
		t.Fatal("cancel refused")
	}
	book, err := f.tp.SalesBook(f.ctx, f.co.RFC, f.now)
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
	if want := a.Total; !book.Totals.Total.Equal(want) || !book.Rows[0].ThirdParty.Equal(dec3("3400")) {
		t.Errorf("totals %+v, want A-1 only (%s); third-party part %s, want 4 hours × 850.00", book.Totals, want, book.Rows[0].ThirdParty)
	}
	if book.Rows[2].Note != "Hoja dañada" {
		t.Errorf("voided row %+v", book.Rows[2])
	}
}

func dec3(s string) decimal.Decimal { return decimal.RequireFromString(s) }
