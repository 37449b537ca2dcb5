package print

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/shopspring/decimal"
)

var tpWho = Report{IssuerName: "ESCUELA KEMPER URGATE", IssuerRFC: "EKU9003173C9"}

func tpDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func tpReport(n int) *thirdparty.Report {
	at := time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC)
	rep := &thirdparty.Report{From: time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC),
		Balances: []thirdparty.Balance{{ThirdPartyID: 1, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", Moneda: "MXN",
			Documents: n, Billed: tpDec("11600"), Collected: tpDec("5800"), PaidOut: tpDec("3000"), Owed: tpDec("8600"),
			PendingPayout: tpDec("2800"), BilledMXN: tpDec("11600"), CollectedMXN: tpDec("5800"), PaidOutMXN: tpDec("3000")}},
		Payouts: []thirdparty.Payout{{ID: 4, ThirdPartyID: 1, Fecha: at, Moneda: "MXN", Amount: tpDec("3000"), Reference: "SPEI 991"}}}
	for i := 0; i < n; i++ {
		rep.Docs = append(rep.Docs, thirdparty.DocRow{ThirdPartyID: 1, Fecha: at, Serie: "A", Folio: int64(100 + i),
			CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Moneda: "MXN", Amount: tpDec("116"), Billed: tpDec("116"),
			Collected: tpDec("58"), State: thirdparty.PartlyPaid})
	}
	return rep
}

// TestRenderThirdPartyReports: each report is a PDF whose text carries its
// title, the figures as given, and (the drill-down) every document, across
// pages with the table header repeated.
func TestRenderThirdPartyReports(t *testing.T) {
	opt := Options{CreationDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	book := &thirdparty.Book{From: time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC),
		Counts: map[thirdparty.BookStatus]int{thirdparty.Vigente: 1, thirdparty.Anulado: 1},
		Rows: []thirdparty.BookRow{
			{Tipo: "I", Serie: "A", Folio: 1, Fecha: time.Date(2026, 11, 3, 18, 0, 0, 0, time.UTC), CustomerRFC: "URE180429TM6",
				CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA", Own: tpDec("1000"), ThirdParty: tpDec("500"), IVA: tpDec("240"),
				Total: tpDec("1740"), Status: thirdparty.Vigente},
			{Serie: "A", Folio: 2, Fecha: time.Date(2026, 11, 4, 18, 0, 0, 0, time.UTC), Status: thirdparty.Anulado, Note: "Hoja dañada"}},
		Totals: thirdparty.BookRow{Own: tpDec("1000"), ThirdParty: tpDec("500"), IVA: tpDec("240"), Total: tpDec("1740")}}
	com := &thirdparty.Commissions{From: book.From, To: book.To, Total: tpDec("50"),
		Sellers: []thirdparty.SellerTotal{{Seller: "Ana Pérez", Documents: 1, BaseMXN: tpDec("1000"), Amount: tpDec("50")}},
		Rows: []thirdparty.CommissionRow{{Fecha: book.Rows[0].Fecha, Serie: "A", Folio: 1, CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
			Seller: "Ana Pérez", BaseMXN: tpDec("1000"), Percent: tpDec("5"), Amount: tpDec("50")}}}
	tests := []struct {
		name   string
		render func() ([]byte, error)
		want   []string
		pages  int
	}{
		{"balances", func() ([]byte, error) { return RenderThirdPartyBalances(tpWho, tpReport(3), false, opt) },
			[]string{"SALDOS CON TERCEROS", "XOCHILT CASAS CHAVEZ", "$11,600.00", "$8,600.00", "$2,800.00", "Total en pesos"}, 1},
		{"drill-down over pages", func() ([]byte, error) { return RenderThirdPartyBalances(tpWho, tpReport(120), true, opt) },
			[]string{"A-100", "A-219", "Liquidación 4", "SPEI 991", "$8,600.00"}, 2},
		{"sales book", func() ([]byte, error) { return RenderSalesBook(tpWho, book, opt) },
			[]string{"Libro de ventas", "A-1", "Anulado", "Hoja dañada", "$1,740.00", "Total vigentes (MXN)"}, 1},
		{"commissions", func() ([]byte, error) { return RenderCommissions(tpWho, com, opt) },
			[]string{"Comisiones de vendedores", "Ana Pérez", "$50.00"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := tt.render()
			if err != nil {
				t.Fatal(err)
			}
			pages := pdfPages(t, pdf)
			if len(pages) < tt.pages {
				t.Errorf("%d pages, want at least %d", len(pages), tt.pages)
			}
			all := strings.Join(pages, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("the PDF lacks %q:\n%s", w, all)
				}
			}
			if tt.pages > 1 && !strings.Contains(pages[len(pages)-1], "Cobrado") {
				t.Errorf("the last page does not repeat the table header:\n%s", pages[len(pages)-1])
			}
			if dir := os.Getenv("FOLIO_PDF_OUT"); dir != "" {
				os.WriteFile(filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-")+".pdf"), pdf, 0o644)
			}
		})
	}
}
