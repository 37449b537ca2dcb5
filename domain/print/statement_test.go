package print

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// statementOf returns a statement of n movements: an invoice of 1,160.00
// every other day and a payment of 580.00 between them, with the running
// balance.
func statementOf(n int) *Statement {
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, domain.MexicoCity)
	s := &Statement{IssuerName: "ESCUELA KEMPER URGATE", IssuerRFC: "EKU9003173C9", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
		CustomerRFC: "URE180429TM6", From: from, To: from.AddDate(0, 1, -1), Moneda: "MXN", Opening: decimal.RequireFromString("500.00")}
	bal := s.Opening
	for i := range n {
		l := StatementLine{Fecha: from.Add(time.Duration(i) * time.Hour)}
		if i%2 == 0 {
			l.Documento, l.Referencia, l.Vence = "Factura A-"+itoa(i+1), "5FB2822E-396D-4725-8521-CDC4BDD20CCF", l.Fecha.AddDate(0, 0, 30)
			l.Cargo = decimal.RequireFromString("1160.00")
			s.Charges = s.Charges.Add(l.Cargo)
		} else {
			l.Documento, l.Referencia = "Pago P-"+itoa(i), "Factura A-"+itoa(i)
			l.Abono = decimal.RequireFromString("580.00")
			s.Credits = s.Credits.Add(l.Abono)
		}
		bal = bal.Add(l.Cargo).Sub(l.Abono)
		l.Saldo = bal
		s.Lines = append(s.Lines, l)
	}
	s.Closing = bal
	s.Aging = []AgingAmount{{"Al corriente", bal}, {"1–30 días", decimal.Zero}, {"31–60 días", decimal.Zero},
		{"61–90 días", decimal.Zero}, {"Más de 90 días", decimal.Zero}}
	return s
}

func itoa(n int) string { return decimal.NewFromInt(int64(n)).String() }

// TestRenderStatement: the statement's PDF shows the customer, the period,
// the opening balance, every movement with its running balance, the
// closing balance and the aging; a long one runs over pages with the
// table's header on each.
func TestRenderStatement(t *testing.T) {
	t.Parallel()
	s := statementOf(4)
	pdf, err := RenderStatement(s, Options{Demo: true, CreationDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, pdf)
	text := strings.Join(pages, "\n")
	for _, want := range []string{"ESTADO DE CUENTA", "URE180429TM6", "01/11/2026 a 30/11/2026", "Saldo inicial", "$500.00",
		"Factura A-1", "Pago P-1", "$1,660.00", "$2,240.00", "Saldo final", "$1,660.00 MXN", "Al corriente", DemoMark} {
		if !strings.Contains(text, want) {
			t.Errorf("statement text lacks %q:\n%s", want, text)
		}
	}
	long, err := RenderStatement(statementOf(200), Options{})
	if err != nil {
		t.Fatal(err)
	}
	pages = pdfPages(t, long)
	if len(pages) < 3 {
		t.Fatalf("200 movements on %d pages", len(pages))
	}
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, "MOVIMIENTOS") || !strings.Contains(p, "Saldo") {
			t.Errorf("page %d lacks the table's header", i+1)
		}
	}
}

// BenchmarkRenderStatement10000 draws one customer's statement of 10,000
// movements as a PDF (the target: under 500 ms).
func BenchmarkRenderStatement10000(b *testing.B) {
	s := statementOf(10000)
	for b.Loop() {
		if _, err := RenderStatement(s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
