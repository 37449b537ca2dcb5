package print

import (
	"bytes"
	"fmt"
	"testing"
)

// TestRenderListing: a listing of 300 rows prints as a multi-page PDF, and
// an empty one still prints its title.
func TestRenderListing(t *testing.T) {
	l := &Listing{Title: "Productos", Subtitle: "EKU9003173C9", Header: []string{"Código", "Descripción", "Precio"}}
	for i := 0; i < 300; i++ {
		l.Rows = append(l.Rows, []string{fmt.Sprintf("P%03d", i), "Computadora portátil 14 pulgadas con acentos: áéíóú ñ", "15999.00"})
	}
	pdf, err := RenderListing(l, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatal("not a PDF")
	}
	if pages := bytes.Count(pdf, []byte("/Type /Page")) - bytes.Count(pdf, []byte("/Type /Pages")); pages < 2 {
		t.Errorf("300 rows printed on %d page(s), want several", pages)
	}
	if _, err := RenderListing(&Listing{Title: "Vacía", Header: []string{"A"}}, Options{}); err != nil {
		t.Errorf("empty listing: %v", err)
	}
}
