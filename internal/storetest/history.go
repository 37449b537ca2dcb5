package storetest

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// historySize is how many documents testReceivableHistory posts: 10,000
// (the figure) when CI=true and the run is neither -short nor
// under the race detector (`make test` runs it once more without -race for
// this), a few hundred otherwise so that a plain `go test` stays quick;
// FOLIO_HISTORY_DOCS sets it.
func historySize() int {
	if n, err := strconv.Atoi(os.Getenv("FOLIO_HISTORY_DOCS")); err == nil && n > 0 {
		return n
	}
	if os.Getenv("CI") == "true" && !testing.Short() && !raceEnabled {
		return 10000
	}
	return 300
}

// historySeed is the history's seed: FOLIO_SEED (or FOLIO_TEST_SEED)
// replays a logged one.
func historySeed() uint64 {
	for _, k := range []string{"FOLIO_SEED", "FOLIO_TEST_SEED"} {
		if v, err := strconv.ParseUint(os.Getenv(k), 10, 64); err == nil {
			return v
		}
	}
	return uint64(time.Now().UnixNano())
}

// testReceivableHistory is the property of the issue "payments and
// receivables": for a random history (seeded; the seed is logged) of
// historySize documents posted through sales.Service — credit (PPD) and
// cash (PUE) invoices in pesos and dollars, cash sales collected into an
// account or not, returns and rebates, payment receipts (partial, of
// several invoices, into an account or not) and cancellations of notes,
// receipts and invoices — every customer's balance in each currency equals
// its live credit invoices less their live notes' shares less their live
// receipts' ImpPagado, as the test counts them, after every checkpoint
// and at the end; so do its statement and the aging's total per currency;
// every stored open balance equals its recomputation from scratch; and
// exactly the live documents that named an account have a standing
// (unreversed) deposit.
func testReceivableHistory(t *testing.T, f *fixture) {
	seed, size := historySeed(), historySize()
	t.Logf("seed %d, %d documents (FOLIO_SEED=%d FOLIO_HISTORY_DOCS=%d repeat this history)", seed, size, seed, size)
	rng := rand.New(rand.NewPCG(seed, 7))
	started := time.Now()
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	f.series("P", sales.TipoPago)
	custs := []sales.Customer{f.creditCustomer(0, 15, "0"), f.creditCustomer(1, 30, "0")}
	bs := &banks.Service{Store: f.s}
	var accts []banks.Account
	for _, a := range []banks.Account{{Kind: banks.Caja, Name: "Caja", Moneda: "MXN"}, {Kind: banks.Banco, Name: "Dólares", Bank: "BBVA", Moneda: "USD"}} {
		a.Issuer, a.Active = f.co.RFC, true
		if err := bs.SaveAccount(f.ctx, &a); err != nil {
			t.Fatal(err)
		}
		accts = append(accts, a)
	}
	cats, _ := load(t)

	type doc struct {
		inv        sales.Invoice
		uuid       string
		live       bool
		credited   decimal.Decimal // the live notes' shares
		paid       decimal.Decimal // the live receipts' ImpPagado
		payments   int             // live receipts
		dependents int             // live notes and receipts
		deposit    bool            // a cash sale collected into an account when posted
	}
	type dependent struct { // a credit note or a payment receipt
		inv    sales.Invoice
		uuid   string
		live   bool
		shares map[int]decimal.Decimal // index into invs → share or ImpPagado
		note   bool
		moved  bool // a receipt into an account
	}
	var invs []*doc
	var deps []*dependent
	at := base
	// Ten seconds a step: 10,000 documents span days, not the customers'
	// 15 days of credit, so no invoice falls overdue and the credit check
	// (which refuses an overdue customer) lets every credit sale through.
	tick := func() time.Time { at = at.Add(10 * time.Second); f.setClock(at); return at }
	usd := func(inv *sales.Invoice) {
		inv.Moneda, inv.TipoCambio = "USD", []decimal.Decimal{dec("17.5"), dec("18.123456")}[rng.IntN(2)]
	}
	stamped := func(inv sales.Invoice) (sales.Invoice, string) {
		uuid := f.stamp(inv, tick())
		inv.State, inv.Status, inv.UUID = sales.StateStamped, sales.StateStamped.Status(), uuid
		return inv, uuid
	}
	newDoc := func(inv sales.Invoice, deposit bool) *doc {
		inv, uuid := stamped(inv)
		return &doc{inv: inv, uuid: uuid, live: true, deposit: deposit}
	}
	open := func(d *doc) decimal.Decimal { return d.inv.Total.Sub(d.credited).Sub(d.paid) }
	pickLive := func(ok func(*doc) bool) []int {
		var out []int
		for i, d := range invs {
			if d.live && ok(d) {
				out = append(out, i)
			}
		}
		return out
	}
	posted, cancelled, refused := map[string]int{}, map[string]int{}, 0

	check := func(when string) {
		t.Helper()
		type key struct {
			customer int64
			moneda   string
		}
		want := map[key]decimal.Decimal{}
		totals := map[string]decimal.Decimal{}
		for _, d := range invs {
			if d.live && d.inv.Terms == sales.Credito {
				k := key{d.inv.CustomerID, d.inv.Moneda}
				want[k] = want[k].Add(open(d))
				totals[d.inv.Moneda] = totals[d.inv.Moneda].Add(open(d))
			}
		}
		for _, c := range custs {
			b := f.balance(c, at)
			st, err := f.rec().Statement(f.ctx, f.co.RFC, c.ID, at)
			if err != nil {
				t.Fatal(err)
			}
			sum := map[string]decimal.Decimal{}
			for _, m := range st.Movements {
				sum[m.Moneda] = sum[m.Moneda].Add(m.Amount)
			}
			for _, m := range []string{"MXN", "USD"} {
				w := want[key{c.ID, m}]
				if !b.OpenIn(m).Equal(w) {
					t.Fatalf("%s: customer %s owes %s %s, want %s (invoices − credit notes − payments)", when, c.RFC, b.OpenIn(m), m, w)
				}
				if !sum[m].Equal(w) {
					t.Fatalf("%s: customer %s: statement in %s adds up to %s, want %s", when, c.RFC, m, sum[m], w)
				}
			}
		}
		all, err := f.s.Receivables(f.ctx, f.co.RFC, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range all {
			if !r.Open.Equal(r.Recomputed()) {
				t.Fatalf("%s: invoice %d: stored open balance %s, recomputed %s (%+v)", when, r.InvoiceID, r.Open, r.Recomputed(), r)
			}
		}
		a, err := f.rec().Aging(f.ctx, f.co.RFC, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, cb := range a.Currencies {
			if w := totals[cb.Moneda]; !cb.Buckets.Total().Equal(w) {
				t.Fatalf("%s: aging in %s totals %s, want %s", when, cb.Moneda, cb.Buckets.Total(), w)
			}
			delete(totals, cb.Moneda)
		}
		for m, w := range totals {
			if !w.IsZero() {
				t.Fatalf("%s: aging lacks %s %s", when, w, m)
			}
		}
		// Every live cash sale or receipt that named an account has its
		// deposit standing, and nothing else does: a cancelled document's
		// deposit is reversed, once.
		standing := map[int64]bool{}
		for _, acc := range accts {
			ms, err := f.s.AccountMovements(f.ctx, banks.MovementFilter{AccountID: acc.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range banks.Reverse(ms, at) {
				if standing[r.InvoiceID] {
					t.Fatalf("%s: document %d has two standing deposits", when, r.InvoiceID)
				}
				standing[r.InvoiceID] = true
			}
		}
		for _, d := range invs {
			if want := d.live && d.deposit; standing[d.inv.ID] != want {
				t.Fatalf("%s: cash sale %s (live %v, account %d): deposit standing %v", when, d.inv.FolioText(), d.live, d.inv.DepositAccount, standing[d.inv.ID])
			}
		}
		for _, dp := range deps {
			if want := dp.live && dp.moved; standing[dp.inv.ID] != want {
				t.Fatalf("%s: receipt %s (live %v): deposit standing %v", when, dp.inv.FolioText(), dp.live, standing[dp.inv.ID])
			}
		}
	}

	every := max(size/20, 50)
	total := 0
	for total < size {
		tick()
		switch k := rng.IntN(20); {
		case k < 7 || len(invs) == 0: // a credit invoice, one in four in dollars
			c := custs[rng.IntN(len(custs))]
			d := f.creditDraft(c, decimal.NewFromInt(1+rng.Int64N(20)).String())
			if rng.IntN(4) == 0 {
				usd(&d)
				if _, err := f.svc.SaveDraft(f.ctx, &d); err != nil {
					t.Fatal(err)
				}
			}
			inv := f.mustPost(d.ID)
			invs = append(invs, newDoc(inv, false))
			posted["PPD"]++
		case k < 10: // a cash sale, collected into an account when posted or not
			c := custs[rng.IntN(len(custs))]
			var acct banks.Account
			d := f.draft("A", func(inv *sales.Invoice) {
				inv.Customer, inv.CustomerID, inv.UsoCFDI = c, c.ID, c.UsoCFDI
				inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[1], decimal.NewFromInt(1+rng.Int64N(5)))}
				if rng.IntN(4) == 0 {
					usd(inv)
				}
				if i := rng.IntN(3); i > 0 {
					acct = accts[i-1]
					if acct.Moneda != "MXN" && acct.Moneda != inv.Moneda {
						acct = accts[0]
					}
					inv.DepositAccount = acct.ID
				}
			})
			inv := f.mustPost(d.ID)
			invs = append(invs, newDoc(inv, acct.ID != 0))
			posted["PUE"]++
		case k < 13: // a return or a rebate against a live credit invoice
			live := pickLive(func(d *doc) bool { return d.inv.Terms == sales.Credito })
			if len(live) == 0 {
				continue
			}
			i := live[rng.IntN(len(live))]
			kind, lines := sales.Devolucion, []sales.CreditLine{{Line: 0, Cantidad: decimal.NewFromInt(1)}}
			if rng.IntN(2) == 0 {
				kind, lines = sales.Rebaja, []sales.CreditLine{{Line: 0, Rebate: decimal.New(1+rng.Int64N(3000), -2)}}
			}
			n, err := f.creditNote(invs[i].inv.ID, kind, lines)
			if err != nil {
				if domain.KindOf(err) != domain.Invalid && domain.KindOf(err) != domain.Conflict {
					t.Fatalf("credit note: %v", err)
				}
				refused++
				continue // more than what is left: refused, nothing changed
			}
			share := n.Relations[0].Credited
			dp := &dependent{inv: n, live: true, note: true, shares: map[int]decimal.Decimal{i: share}}
			if rng.IntN(10) > 0 { // one in ten stays sealed, unstamped, and counts all the same
				dp.uuid = f.stamp(n, tick())
			}
			deps = append(deps, dp)
			invs[i].credited = invs[i].credited.Add(share)
			invs[i].dependents++
			posted["nota"]++
		case k < 17: // a payment receipt of one to three invoices of one customer in one currency
			c := custs[rng.IntN(len(custs))]
			moneda := []string{"MXN", "USD"}[rng.IntN(2)]
			cands := pickLive(func(d *doc) bool {
				return d.inv.Terms == sales.Credito && d.inv.CustomerID == c.ID && d.inv.Moneda == moneda && open(d).IsPositive()
			})
			if len(cands) == 0 {
				continue
			}
			rng.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
			cands = cands[:min(len(cands), 1+rng.IntN(3))]
			var payables []sales.Payable
			in := sales.PaymentInput{FechaPago: at, FormaDePagoP: "03", MonedaP: moneda}
			if moneda == "USD" {
				in.TipoCambioP = dec("17.9")
			}
			if i := rng.IntN(3); i > 0 && (accts[i-1].Moneda == "MXN" || accts[i-1].Moneda == moneda) {
				in.AccountID = accts[i-1].ID
			}
			shares := map[int]decimal.Decimal{}
			for _, i := range cands {
				d := invs[i]
				p, err := sales.PayableOf(&d.inv, sales.PaidSummary{Paid: d.paid, Payments: d.payments, Credited: d.credited}, cats)
				if err != nil {
					t.Fatal(err)
				}
				payables = append(payables, p)
				amt := open(d)
				if rng.IntN(3) > 0 { // partial
					amt = decimal.New(1+rng.Int64N(open(d).Shift(2).IntPart()), -2)
				}
				shares[i] = amt
				in.Apply = append(in.Apply, sales.Application{InvoiceID: d.inv.ID, ImpPagado: amt})
				in.Monto = in.Monto.Add(amt)
			}
			draft, err := sales.BuildPayment("P", in, payables, cats)
			if err != nil {
				t.Fatalf("BuildPayment: %v", err)
			}
			rcpt, err := f.svc.PostNew(f.ctx, f.co, f.signer, draft)
			if err != nil {
				t.Fatalf("post receipt %+v: %v", in, err)
			}
			dp := &dependent{inv: rcpt, live: true, shares: shares, moved: in.AccountID != 0}
			if rng.IntN(10) > 0 {
				dp.uuid = f.stamp(rcpt, tick())
			}
			deps = append(deps, dp)
			for i, amt := range shares {
				invs[i].paid = invs[i].paid.Add(amt)
				invs[i].payments++
				invs[i].dependents++
			}
			posted["pago"]++
		case k < 19: // cancel a live stamped note or receipt
			for _, j := range rng.Perm(len(deps)) {
				if dp := deps[j]; dp.live && dp.uuid != "" {
					f.cancel(dp.inv, dp.uuid, tick())
					dp.live = false
					for i, amt := range dp.shares {
						if dp.note {
							invs[i].credited = invs[i].credited.Sub(amt)
						} else {
							invs[i].paid = invs[i].paid.Sub(amt)
							invs[i].payments--
						}
						invs[i].dependents--
					}
					if dp.note {
						cancelled["nota"]++
					} else {
						cancelled["pago"]++
					}
					break
				}
			}
		default: // cancel a live invoice that no live note or receipt relates to
			for _, j := range rng.Perm(len(invs)) {
				if d := invs[j]; d.live && d.dependents == 0 {
					f.cancel(d.inv, d.uuid, tick())
					d.live = false
					cancelled[string(d.inv.Terms)]++
					break
				}
			}
		}
		if n := posted["PPD"] + posted["PUE"] + posted["nota"] + posted["pago"]; n != total {
			total = n
			if total%every == 0 {
				check("after " + strconv.Itoa(total) + " documents")
				t.Logf("%d documents checked, %s", total, time.Since(started).Round(time.Millisecond))
			}
		}
	}
	check("at the end")
	t.Logf("%d documents in %s: posted %v, cancelled %v, %d refused notes", total, time.Since(started).Round(time.Millisecond), posted, cancelled, refused)
}
