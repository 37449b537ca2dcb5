package quotes

import (
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
)

// PDF prints q as "COTIZACIÓN <number>": the customer, the validity, each
// concept with its quantity, unit price and amount, and the totals the
// invoice would have (t, from sales.Compute over q.Doc). It carries no
// fiscal data: no folio fiscal, seal or stamp.
func PDF(q *Quote, t sales.Totals, opt print.Options) ([]byte, error) {
	if len(t.Lines) != len(q.Doc.Lines) {
		return nil, domain.E(domain.Internal, "print quote", "No se pudo generar la cotización.", fmt.Errorf("totals of %d lines for %d", len(t.Lines), len(q.Doc.Lines)))
	}
	day := func(d interface{ Format(string) string }) string { return d.Format("02/01/2006") }
	l := &print.Listing{
		Title: fmt.Sprintf("COTIZACIÓN %d", q.Number),
		Subtitle: fmt.Sprintf("%s · %s — %s · Fecha %s · Vigente hasta %s", q.Issuer, q.Doc.Customer.RFC, q.Doc.Customer.Name,
			day(q.Fecha.In(domain.MexicoCity)), day(q.ValidUntil.In(domain.MexicoCity))),
		Header: []string{"Cantidad", "Unidad", "Clave", "Descripción", "Precio unitario", "Importe"},
	}
	for i, ln := range q.Doc.Lines {
		l.Rows = append(l.Rows, []string{ln.Cantidad.String(), ln.Unidad, ln.NoIdentificacion, ln.Descripcion,
			tax.FormatMXN(ln.ValorUnitario), tax.FormatMXN(t.Lines[i].Importe)})
	}
	l.Rows = append(l.Rows,
		[]string{"", "", "", "Subtotal", "", tax.FormatMXN(t.SubTotal)},
		[]string{"", "", "", "Impuestos trasladados", "", tax.FormatMXN(t.TotalImpuestosTrasladados)},
		[]string{"", "", "", "Impuestos retenidos", "", tax.FormatMXN(t.TotalImpuestosRetenidos)},
		[]string{"", "", "", "Total " + q.Doc.Moneda, "", tax.FormatMXN(t.Total)})
	if q.Notes != "" {
		l.Rows = append(l.Rows, []string{"", "", "", q.Notes, "", ""})
	}
	return print.RenderListing(l, opt)
}
