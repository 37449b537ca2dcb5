package sqlite

import (
	"bytes"
	"testing"

	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
)

// The quotes' behaviour on both stores is internal/storetest's RunQuotes
// (TestQuotesContract); the printed quote is the file's alone here.

// TestQuotePDF: the printed quote is a PDF titled COTIZACIÓN with the
// totals the invoice would have.
func TestQuotePDF(t *testing.T) {
	s := openSalesStore(t)
	c := mustCreateCustomer(t, s, sales.DemoCustomers()[0])
	q := quotes.Quote{Issuer: testIssuer, Number: 7, Fecha: salesClock, ValidUntil: salesClock.AddDate(0, 0, 10), Doc: draftFor(c, "A")}
	q.Doc.Customer = c
	tot, err := sales.Compute(&q.Doc, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !tot.Total.Equal(dec("37117.68")) {
		t.Errorf("quote total %s, want the invoice's 37117.68", tot.Total)
	}
	pdf, err := quotes.PDF(&q, tot, print.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The title is in the document's information, in UTF-16BE.
	utf16 := []byte("\x00C\x00O\x00T\x00I\x00Z\x00A\x00C\x00I")
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || !bytes.Contains(pdf, utf16) {
		t.Error("the quote's PDF lacks its title")
	}
}
