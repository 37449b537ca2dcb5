package thirdparty

import (
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/sales"
	tp "github.com/folio-mx/folio/domain/thirdparty"
	"github.com/folio-mx/folio/internal/uitest"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var reportNow = time.Date(2026, 11, 20, 18, 0, 0, 0, time.UTC)

// fakeSource records the calls and answers with canned figures.
type fakeSource struct {
	mu       sync.Mutex // the screens call it off the UI goroutine
	from, to time.Time
	month    time.Time
	payouts  []tp.Payout
	refuse   bool
}

func (f *fakeSource) Balances(_ context.Context, _ string, from, to time.Time, _ int64) (tp.Report, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.from, f.to = from, to
	at := time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC)
	return tp.Report{From: from, To: to,
		Balances: []tp.Balance{{ThirdPartyID: 7, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", Moneda: "MXN", Documents: 1,
			Billed: dec("1160"), Collected: dec("580"), PaidOut: dec("100"), Owed: dec("1060"), PendingPayout: dec("480"),
			BilledMXN: dec("1160"), CollectedMXN: dec("580"), PaidOutMXN: dec("100")}},
		Docs: []tp.DocRow{{ThirdPartyID: 7, Fecha: at, Serie: "A", Folio: 12, CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
			Moneda: "MXN", Amount: dec("1160"), Billed: dec("1160"), Collected: dec("580"), State: tp.PartlyPaid}},
		Payouts: []tp.Payout{{ID: 3, ThirdPartyID: 7, Fecha: at, Moneda: "MXN", Amount: dec("100"), Reference: "SPEI 1"}}}, nil
}

func (f *fakeSource) SalesBook(_ context.Context, _ string, month time.Time) (tp.Book, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.month = month
	return tp.Book{Rows: []tp.BookRow{
		{Tipo: "I", Serie: "A", Folio: 12, Fecha: month, CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Own: dec("1000"),
			ThirdParty: dec("500"), IVA: dec("240"), Total: dec("1740"), Status: tp.Vigente},
		{Serie: "A", Folio: 13, Fecha: month, Status: tp.Anulado, Note: "Hoja dañada"}},
		Totals: tp.BookRow{Own: dec("1000"), ThirdParty: dec("500"), IVA: dec("240"), Total: dec("1740")},
		Counts: map[tp.BookStatus]int{tp.Vigente: 1, tp.Anulado: 1}}, nil
}

func (f *fakeSource) Commissions(_ context.Context, _ string, from, to time.Time) (tp.Commissions, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.from, f.to = from, to
	return tp.Commissions{Total: dec("50"), Sellers: []tp.SellerTotal{{Seller: "Ana Pérez", Documents: 1, BaseMXN: dec("1000"), Amount: dec("50")}}}, nil
}

func (f *fakeSource) RecordPayout(_ context.Context, p tp.Payout) (tp.PayoutResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse {
		return tp.PayoutResult{}, domain.E(domain.Invalid, "record payout", "No puede liquidar $5,000.00 MXN: a este tercero se le debe $1,060.00 MXN.", nil)
	}
	p.ID = int64(len(f.payouts) + 1)
	f.payouts = append(f.payouts, p)
	return tp.PayoutResult{Payout: p, Ahead: true, Advance: dec("20")}, nil
}

// seen returns what the last calls asked for.
func (f *fakeSource) seen() (from, to, month time.Time, payouts []tp.Payout) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.from, f.to, f.month, append([]tp.Payout(nil), f.payouts...)
}

func (f *fakeSource) Month() time.Time     { _, _, m, _ := f.seen(); return m }
func (f *fakeSource) From() time.Time      { fr, _, _, _ := f.seen(); return fr }
func (f *fakeSource) To() time.Time        { _, to, _, _ := f.seen(); return to }
func (f *fakeSource) Payouts() []tp.Payout { _, _, _, p := f.seen(); return p }

func (f *fakeSource) setRefuse(v bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refuse = v
}

func (f *fakeSource) ThirdParties(context.Context, string) ([]sales.ThirdParty, error) {
	return []sales.ThirdParty{{ID: 7, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", Active: true}}, nil
}

func testDeps(src *fakeSource) ReportsDeps {
	return ReportsDeps{Issuer: "EKU9003173C9", Source: src, Clock: func() time.Time { return reportNow },
		Accounts: func(context.Context, string) ([]banks.Account, error) {
			return []banks.Account{{ID: 4, Name: "Cheques", Moneda: "MXN", Active: true}}, nil
		},
		BalancesFile: func(context.Context, Format, *tp.Report) ([]byte, error) { return []byte("%PDF"), nil }}
}

// TestBalancesScreen: the screen reads the period of its date fields
// (through Hasta), lists each third party with its figures, and selecting
// one lists its documents and payouts.
func TestBalancesScreen(t *testing.T) {
	_, q := uitest.NewApp(t)
	src := &fakeSource{}
	s := newBalancesScreen(testDeps(src))
	w := test.NewWindow(s)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 700))
	s.Desde.SetText("2026-11-01")
	s.Hasta.SetText("2026-11-30")
	s.Reload()
	q.RunUntil(t, "balances shown", func() bool { return len(s.Rows()) == 1 })
	if want := time.Date(2026, 12, 1, 0, 0, 0, 0, domain.MexicoCity); !src.To().Equal(want) {
		t.Errorf("period ends %s, want the day after Hasta %s", src.To(), want)
	}
	if !strings.Contains(s.totals.Text, "$1,060.00") {
		t.Errorf("totals = %q", s.totals.Text)
	}
	s.table.Select(widgetCell(0, 2))
	lines := strings.Join(s.DocLines(), "\n")
	for _, want := range []string{"A-12", "UNIVERSIDAD ROBOTICA ESPAÑOLA", "$580.00", "Cobro parcial", "Liquidación 3", "−$100.00"} {
		if !strings.Contains(lines, want) {
			t.Errorf("drill-down lacks %q:\n%s", want, lines)
		}
	}
	if os.Getenv("FOLIO_SCREENSHOTS") != "" { // FOLIO_SCREENSHOTS=1 writes docs/screenshots/third-party-balances.png
		writePNG(t, w.Canvas(), filepath.Join("..", "..", "docs", "screenshots", "third-party-balances.png"))
	}
	s.Desde.SetText("2026/11/01")
	s.Reload()
	q.RunUntil(t, "bad date refused", func() bool { return strings.Contains(s.Status(), "AAAA-MM-DD") })
}

// TestPayoutForm: an incomplete form says what is missing without calling
// the domain; a complete one records the payout with the chosen account
// and reports the warning of money paid before it was collected; the
// domain's refusal shows in the form.
func TestPayoutForm(t *testing.T) {
	_, q := uitest.NewApp(t)
	src := &fakeSource{}
	deps := testDeps(src)
	parties, _ := src.ThirdParties(context.Background(), "")
	accts, _ := deps.Accounts(context.Background(), "")
	f := NewPayoutForm(deps, parties, accts)
	w := test.NewWindow(f.Form)
	defer w.Close()
	f.Submit()
	if !strings.Contains(f.Problem.Text, "Elija el tercero") || !strings.Contains(f.Problem.Text, "monto") || len(src.Payouts()) != 0 {
		t.Fatalf("empty form: %q, %d payouts", f.Problem.Text, len(src.Payouts()))
	}
	var done tp.PayoutResult
	f.Done = func(r tp.PayoutResult) { done = r }
	f.Tercero.SetSelectedIndex(0)
	test.Type(f.Monto, "1,500.50")
	f.Cuenta.SetSelectedIndex(1)
	test.Type(f.Referencia, "SPEI 42")
	f.Submit()
	q.RunUntil(t, "payout recorded", func() bool { return done.Payout.ID != 0 })
	p := src.Payouts()[0]
	if p.ThirdPartyID != 7 || !p.Amount.Equal(dec("1500.50")) || p.AccountID != 4 || p.Reference != "SPEI 42" ||
		p.Fecha.In(domain.MexicoCity).Format("2006-01-02") != "2026-11-20" {
		t.Errorf("payout = %+v", p)
	}
	if s := Summary(done); !strings.Contains(s, "Aviso") || !strings.Contains(s, "$20.00") {
		t.Errorf("summary %q lacks the warning", s)
	}
	src.setRefuse(true)
	f.Submit()
	q.RunUntil(t, "refusal shown", func() bool { return strings.Contains(f.Problem.Text, "No puede liquidar") })
}

// TestSalesBookScreen: the month field selects the month; the arrows move
// it; voided folios show as Anulado; the totals line shows the Vigente
// sums.
func TestSalesBookScreen(t *testing.T) {
	_, q := uitest.NewApp(t)
	src := &fakeSource{}
	s := newSalesBookScreen(testDeps(src))
	w := test.NewWindow(s)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 700))
	s.Reload()
	q.RunUntil(t, "book shown", func() bool { return len(s.Rows()) == 2 })
	if src.Month().Format("2006-01") != "2026-11" {
		t.Errorf("month %s, want 2026-11", src.Month())
	}
	if !strings.Contains(s.Totals(), "$1,740.00") || !strings.Contains(s.Totals(), "anulados: 1") {
		t.Errorf("totals = %q", s.Totals())
	}
	if got := bookStatus(s.Rows()[1].Status); got != "Anulado" {
		t.Errorf("voided folio status %q", got)
	}
	s.shift(-1)
	q.RunUntil(t, "previous month", func() bool { return src.Month().Format("2006-01") == "2026-10" })
}

// TestCommissionsScreen: the period's commissions per seller.
func TestCommissionsScreen(t *testing.T) {
	_, q := uitest.NewApp(t)
	src := &fakeSource{}
	s := newCommissionsScreen(testDeps(src))
	w := test.NewWindow(s)
	defer w.Close()
	s.Reload()
	q.RunUntil(t, "commissions shown", func() bool { return len(s.Sellers()) == 1 })
	if !strings.Contains(s.Status(), "$50.00") {
		t.Errorf("status %q", s.Status())
	}
	if want := time.Date(2026, 11, 1, 0, 0, 0, 0, domain.MexicoCity); !src.From().Equal(want) {
		t.Errorf("from %s, want %s", src.From(), want)
	}
}

func widgetCell(row, col int) widget.TableCellID { return widget.TableCellID{Row: row, Col: col} }

// writePNG writes what c shows to path.
func writePNG(t *testing.T, c fyne.Canvas, path string) {
	t.Helper()
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if err := png.Encode(out, c.Capture()); err != nil {
		t.Fatal(err)
	}
}
