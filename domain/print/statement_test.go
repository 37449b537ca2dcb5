package print

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/testpack"
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

// TestTableLineFast: maroto's provider still hands its gofpdf document to
// tableLine (fpdfOf, which reads an unexported field), and a statement
// drawn straight to gofpdf looks exactly like one drawn text by text
// through maroto: same text on every page, same pixels, in less than
// three quarters of the bytes.
func TestTableLineFast(t *testing.T) {
	s := statementOf(150)
	s.Lines[5].Referencia = "Factura A-5 con una referencia muy larga que no cabe en su columna y se parte en dos líneas"
	opt := Options{Demo: true, AccentColor: "#1f6feb", CreationDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
	var seen bool
	probe := &probeComponent{render: func(p core.Provider) { seen = fpdfOf(p) != nil }}
	m := maroto.New()
	m.AddRows(row.New(5).Add(col.New(12).Add(probe)))
	if _, err := m.Generate(); err != nil {
		t.Fatal(err)
	}
	if !seen {
		t.Fatal("fpdfOf found no gofpdf document in maroto's provider: the statement's table prints cell by cell (slow); update fpdfOf to the new maroto")
	}
	fast, err := RenderStatement(s, opt)
	if err != nil {
		t.Fatal(err)
	}
	tableLineDirect = false
	slow, err := RenderStatement(s, opt)
	tableLineDirect = true
	if err != nil {
		t.Fatal(err)
	}
	if len(fast)*4 > len(slow)*3 {
		t.Errorf("direct PDF has %d bytes, through maroto %d", len(fast), len(slow))
	}
	fp, sp := pdfPages(t, fast), pdfPages(t, slow)
	if strings.Join(fp, "\f") != strings.Join(sp, "\f") {
		t.Errorf("text differs:\ndirect:\n%s\nthrough maroto:\n%s", strings.Join(fp, "\f"), strings.Join(sp, "\f"))
	}
	testpack.RequireTools(t, "pdftoppm")
	dir := t.TempDir()
	for name, pdf := range map[string][]byte{"fast": fast, "slow": slow} {
		f := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(f, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-r", "60", f, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
	for i := range sp {
		a, errA := os.ReadFile(filepath.Join(dir, fmt.Sprintf("fast-%d.ppm", i+1)))
		b, errB := os.ReadFile(filepath.Join(dir, fmt.Sprintf("slow-%d.ppm", i+1)))
		if errA != nil || errB != nil {
			t.Fatalf("page %d: %v %v", i+1, errA, errB)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("page %d looks different drawn straight to gofpdf", i+1)
		}
	}
}

// probeComponent calls render with the provider maroto renders it with.
type probeComponent struct{ render func(core.Provider) }

func (c *probeComponent) Render(p core.Provider, _ *entity.Cell)        { c.render(p) }
func (c *probeComponent) GetHeight(core.Provider, *entity.Cell) float64 { return 5 }
func (c *probeComponent) SetConfig(*entity.Config)                      {}
func (c *probeComponent) GetStructure() *node.Node[core.Structure] {
	return node.New(core.Structure{Type: "probe"})
}
