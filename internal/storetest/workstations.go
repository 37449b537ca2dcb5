package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// RunWorkstations runs the contract of a database that several
// workstations share: open returns two stores on ONE new, empty, fully
// migrated database, each opened on its own (as two computers would),
// both closed when t ends. A store kept in one file passes it by opening
// the file twice.
func RunWorkstations(t *testing.T, open func(t *testing.T) (Store, Store)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f, g *fixture)
	}{
		{"CreditCheckAcrossSeries", testCreditAcrossWorkstations},
		{"PaymentsAcrossSeries", testPaymentsAcrossWorkstations},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := open(t)
			f := newFixture(t, a)
			tt.fn(t, f, f.on(b))
		})
	}
}

// on returns a fixture of the same company, catalogs and clock that works
// through store s: another workstation on f's database.
func (f *fixture) on(s Store) *fixture {
	cat, _ := load(f.t)
	g := &fixture{t: f.t, ctx: f.ctx, s: s, q: s.Queue(), co: f.co, signer: f.signer, cust: f.cust, prod: f.prod,
		now: f.now, stamped: map[string]int64{}}
	g.admin = &sales.Companies{Store: s, Keys: s, Clock: f.clock}
	g.svc = &sales.Service{Invoices: s, Catalogs: cat, Admin: g.admin, Clock: f.clock}
	return g
}

// testCreditAcrossWorkstations: two workstations post, at the same
// instant, credit invoices of the same customer in two different series
// (so no series lock orders them) where either fits the credit limit but
// not both: exactly one is posted and the other refused for credit, round
// after round. A store that lets both read the balances before either
// commits posts both.
func testCreditAcrossWorkstations(t *testing.T, f, g *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("B", sales.TipoIngreso)
	c := f.creditCustomer(0, 30, "0")
	credit := func(w *fixture, serie string) sales.Invoice {
		return w.draft(serie, func(inv *sales.Invoice) {
			inv.Customer, inv.CustomerID, inv.UsoCFDI = c, c.ID, c.UsoCFDI
			inv.Terms, inv.FormaPago = sales.Credito, "99"
			inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[1], dec("1"))}
		})
	}
	probe := f.find(credit(f, "A").ID)
	one, err := f.svc.Totals(&probe)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteDraft(f.ctx, probe.ID); err != nil {
		t.Fatal(err)
	}
	const rounds = 6
	for r := range rounds {
		// The customer owes r invoices; room for one more and a half.
		c = f.creditCustomer(0, 30, one.Total.Mul(dec("1.5")).Add(one.Total.Mul(decimal.NewFromInt(int64(r)))).String())
		a, b := credit(f, "A"), credit(g, "B")
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, w := range []struct {
			fx *fixture
			id int64
		}{{f, a.ID}, {g, b.ID}} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = w.fx.post(w.id, sales.PostOptions{})
			}()
		}
		close(start)
		wg.Wait()
		posted, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				posted++
			case errors.Is(err, receivables.ErrCreditRefused):
				refused++
			default:
				t.Fatalf("round %d: post: %v", r, err)
			}
		}
		if posted != 1 || refused != 1 {
			t.Fatalf("round %d: %d posted and %d refused for credit, want exactly one of each (limit %s, one invoice %s, owed before %s)",
				r, posted, refused, c.CreditLimit, one.Total, one.Total.Mul(decimal.NewFromInt(int64(r))))
		}
	}
	if all, err := f.s.Receivables(f.ctx, f.co.RFC, c.ID); err != nil || len(all) != rounds {
		t.Fatalf("receivables after %d rounds: %d, %v; want one per round", rounds, len(all), err)
	}
}

// together runs each of fns on its own goroutine, all released at once,
// and returns their errors.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// testPaymentsAcrossWorkstations: two workstations post, at the same
// instant and in two different series, payment receipts of the same
// invoice built from the same balance, each paying more than half of it:
// exactly one is posted, the other refused for paying more than is owed.
func testPaymentsAcrossWorkstations(t *testing.T, f, g *fixture) {
	f.series("A", sales.TipoIngreso)
	f.series("P", sales.TipoPago)
	f.series("Q", sales.TipoPago)
	c := f.cust[1] // the demo company's customer on credit
	const rounds = 8
	for r := range rounds {
		d := f.draft("A", func(inv *sales.Invoice) {
			inv.CustomerID, inv.Customer, inv.UsoCFDI = c.ID, c, c.UsoCFDI
			inv.Terms, inv.FormaPago = sales.Credito, sales.FormaPagoPorDefinir
			inv.Lines = []sales.Line{sales.LineFromProduct(&f.prod[0], dec("1"))} // 18,558.84
		})
		inv := f.mustPost(d.ID)
		f.stamp(inv, f.clock())
		open, err := f.s.PayableInvoices(f.ctx, f.co.RFC, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var payable sales.Payable
		for _, p := range open {
			if p.Invoice.ID == inv.ID {
				payable = p
			}
		}
		in := sales.PaymentInput{FechaPago: f.clock(), FormaDePagoP: "03", Monto: dec("10000.00")}
		build := func(serie string) sales.Invoice {
			rcpt, err := sales.BuildPayment(serie, in, []sales.Payable{payable}, f.svc.Catalogs)
			if err != nil {
				t.Fatal(err)
			}
			return rcpt
		}
		p, q := build("P"), build("Q")
		errs := together(
			func() error { _, err := f.svc.PostBatch(f.ctx, f.co, f.signer, []sales.Invoice{p}); return err },
			func() error { _, err := g.svc.PostBatch(g.ctx, g.co, g.signer, []sales.Invoice{q}); return err })
		posted, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				posted++
			case domain.KindOf(err) == domain.Invalid:
				refused++
			default:
				t.Fatalf("round %d: post: %v", r, err)
			}
		}
		paid, err := f.s.PaymentsOf(f.ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if posted != 1 || refused != 1 || len(paid) != 1 {
			t.Fatalf("round %d: %d receipts posted, %d refused, %d recorded against the invoice; want exactly one of each (%s)",
				r, posted, refused, len(paid), fmt.Sprint(errs))
		}
	}
}
