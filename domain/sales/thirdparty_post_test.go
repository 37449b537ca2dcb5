package sales

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestRetentionDiffers(t *testing.T) {
	d := decimal.RequireFromString
	line := func(retIVA, retISR string, tp bool, objeto string) Line {
		l := Line{ObjetoImp: objeto, Taxes: Taxes{IVATasa: d("0.16"), RetIVA: d(retIVA), RetISR: d(retISR)}}
		if tp {
			l.ThirdParty = &ThirdPartyRef{ID: 1, RFC: "CACX7605101P8"}
		}
		return l
	}
	cust := func(iva, isr string) *Customer { return &Customer{RetencionIVA: d(iva), RetencionISR: d(isr)} }
	tests := []struct {
		name           string
		lines          []Line
		c              *Customer
		differs        bool
		docRate, cRate string
	}{
		{"same rates", []Line{line("0.106667", "0.1", false, "02")}, cust("0.106667", "0.10"), false, "0", "0"},
		{"no withholding either side", []Line{line("0", "0", false, "02")}, cust("0", "0"), false, "0", "0"},
		{"document withholds IVA the customer does not", []Line{line("0.106667", "0", false, "02")}, cust("0", "0"), true, "0.106667", "0"},
		{"customer withholds ISR the document does not", []Line{line("0", "0", false, "02")}, cust("0", "0.10"), true, "0", "0.1"},
		{"IVA is reported before ISR", []Line{line("0.04", "0.2", false, "02")}, cust("0.106667", "0.10"), true, "0.04", "0.106667"},
		{"one own line of two differs", []Line{line("0.106667", "0.1", false, "02"), line("0", "0.1", false, "02")}, cust("0.106667", "0.1"), true, "0", "0.106667"},
		{"third-party lines are not the company's", []Line{line("0.106667", "0.1", false, "02"), line("0", "0", true, "02")}, cust("0.106667", "0.1"), false, "0", "0"},
		{"a concept without taxes does not count", []Line{line("0", "0", false, "01")}, cust("0.106667", "0.1"), false, "0", "0"},
		{"no lines", nil, cust("0.106667", "0.1"), false, "0", "0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, c, differs := RetentionDiffers(&Invoice{Lines: tt.lines}, tt.c)
			if differs != tt.differs || !doc.Equal(d(tt.docRate)) || !c.Equal(d(tt.cRate)) {
				t.Errorf("RetentionDiffers = %s, %s, %v; want %s, %s, %v", doc, c, differs, tt.docRate, tt.cRate, tt.differs)
			}
		})
	}
	// Both taxes differing are both listed, IVA first.
	diffs := RetentionDifferences(&Invoice{Lines: []Line{line("0.04", "0.2", false, "02")}}, cust("0.106667", "0.1"))
	if len(diffs) != 2 || diffs[0].Impuesto != "IVA" || diffs[1].Impuesto != "ISR" || !diffs[1].Document.Equal(d("0.2")) {
		t.Errorf("RetentionDifferences = %+v", diffs)
	}
}
