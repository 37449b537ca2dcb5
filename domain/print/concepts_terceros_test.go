package print

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/cfdi"
)

// onBehalf is a generated invoice whose concepts 2 and 4 are billed on
// behalf of one third party and concept 3 of another, with the sale's
// shipping and document-management data.
func onBehalf() (*cfdi.Comprobante, Options) {
	c := generated(5, true)
	x := &cfdi.ACuentaTerceros{RfcACuentaTerceros: "CACX7605101P8", NombreACuentaTerceros: "XOCHILT CASAS CHAVEZ", RegimenFiscalACuentaTerceros: "612", DomicilioFiscalACuentaTerceros: "36257"}
	i := &cfdi.ACuentaTerceros{RfcACuentaTerceros: "IIA040805DZ4", NombreACuentaTerceros: "INDISTRIA ILUMINADORA DE ALMACENES", RegimenFiscalACuentaTerceros: "601", DomicilioFiscalACuentaTerceros: "62661"}
	c.Conceptos[1].ACuentaTerceros, c.Conceptos[3].ACuentaTerceros, c.Conceptos[2].ACuentaTerceros = x, x, i
	opt := pinned
	opt.Sections = []Section{
		{Title: "Datos de la venta", Fields: []Field{{"Sucursal", "Matriz"}, {"Vendedor", "ANA LÓPEZ"}, {"Cuenta por cobrar a", "INDISTRIA ILUMINADORA DE ALMACENES"}, {"Enviar a", ""}}},
		{Title: "Datos de embarque", Fields: []Field{{"Buque", "MSC ALINA"}, {"Contenedor", "MSCU1234567"}, {"Incoterm", "FOB"}, {"Fecha de embarque", "20/11/2026"}}},
		{Title: "Gestión de documento", Fields: []Field{{"Generó", "LUIS PÉREZ (identificación INE 123)"}, {"Placas del vehículo", "ABC-123-D"}}},
		{Title: "Vacía", Fields: []Field{{"Nada", ""}}},
	}
	return c, opt
}

// TestRenderThirdParties: the concepts billed on behalf of third parties
// print in a table of their own, each third party (RFC and name) with its
// total, the total "por cuenta ajena" apart from the own one (adding up to
// the document's Total), and the shipping and management data; the
// structure matches testdata/structure-terceros.golden.json.
func TestRenderThirdParties(t *testing.T) {
	c, opt := onBehalf()
	d, err := newDoc(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	own, third, ok := d.partTotals()
	if !ok {
		t.Fatal("partTotals not ok")
	}
	want := decimal.Zero
	for _, n := range []int{1, 2, 3} {
		v, _ := conceptNet(&c.Conceptos[n])
		want = want.Add(v)
	}
	total := decimal.RequireFromString(c.Total)
	if third != want.StringFixed(2) || !decimal.RequireFromString(own).Add(want).Equal(total) {
		t.Errorf("own %s + third %s, want third %s adding to %s", own, third, want.StringFixed(2), c.Total)
	}
	m, err := d.build()
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(toStruct(m.GetStructure()), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	checkStructureGolden(t, append(got, '\n'), "structure-terceros.golden.json")

	pdf, err := Render(c, opt)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("FOLIO_PDF_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "terceros.pdf"), pdf, 0o644)
	}
	text := strings.Join(pdfPages(t, pdf), "\n")
	flat := squash(text)
	for _, s := range []string{"CONCEPTOS A CUENTA PROPIA", "CONCEPTOS POR CUENTA DE TERCEROS", "POR CUENTA DE TERCEROS",
		"CACX7605101P8 — XOCHILT CASAS CHAVEZ", "IIA040805DZ4 — INDISTRIA ILUMINADORA DE ALMACENES",
		"Total por cuenta propia", "Total por cuenta ajena", "DATOS DE EMBARQUE", "Contenedor: MSCU1234567",
		"GESTIÓN DE DOCUMENTO", "Placas del vehículo: ABC-123-D", "Cuenta por cobrar a: INDISTRIA"} {
		if !strings.Contains(flat, squash(s)) { // long values wrap
			t.Errorf("the PDF lacks %q", s)
		}
	}
	for _, v := range []string{own, third} {
		if !strings.Contains(flat, v) {
			t.Errorf("the PDF lacks the amount %s", v)
		}
	}
	if strings.Contains(text, "VACÍA") || strings.Contains(text, "Enviar a") {
		t.Error("empty sections or fields were printed")
	}
	// A document without third-party concepts keeps the one table.
	plain, err := Render(generated(5, true), pinned)
	if err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(pdfPages(t, plain), "\n"); strings.Contains(p, "CUENTA DE TERCEROS") || strings.Contains(p, "cuenta ajena") {
		t.Error("a document without third parties prints the third-party blocks")
	}
}

// checkStructureGolden compares a structure tree with testdata/name
// (-update rewrites it).
func checkStructureGolden(t *testing.T, got []byte, name string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		failed := filepath.Join("testdata", "failed", name)
		os.MkdirAll(filepath.Dir(failed), 0o755)
		os.WriteFile(failed, got, 0o644)
		t.Errorf("structure differs from %s; the new one is in %s (diff them; -update accepts it)", golden, failed)
	}
}
