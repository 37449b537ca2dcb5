package thirdparty

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// The CSV files open in Excel as they are: UTF-8 with a byte-order mark
// (Excel otherwise reads them as ANSI and breaks the accents), comma
// separated, amounts with a decimal point and no thousands separator,
// dates AAAA-MM-DD.
const bom = "\uFEFF"

func num(d decimal.Decimal) string { return d.StringFixed(2) }

// day is the date of t in Mexico City, AAAA-MM-DD.
func day(t time.Time) string { return t.In(domain.MexicoCity).Format("2006-01-02") }

type csvWriter struct {
	w   *csv.Writer
	err error
}

func newCSV(w io.Writer) *csvWriter {
	_, err := io.WriteString(w, bom)
	return &csvWriter{w: csv.NewWriter(w), err: err}
}

func (c *csvWriter) row(fields ...string) {
	if c.err == nil {
		c.err = c.w.Write(fields)
	}
}

func (c *csvWriter) done(op string) error {
	if c.err == nil {
		c.w.Flush()
		c.err = c.w.Error()
	}
	if c.err != nil {
		return domain.E(domain.Unavailable, op, "No se pudo escribir el archivo CSV: revise que haya espacio y permiso de escritura.", c.err)
	}
	return nil
}

// WriteBalancesCSV writes rep: one row per third party and currency and,
// when docs, one row per document after them.
func WriteBalancesCSV(w io.Writer, rep *Report, docs bool) error {
	c := newCSV(w)
	c.row("RFC", "Tercero", "Moneda", "Documentos", "Facturado", "Cobrado", "Liquidado", "Por liquidar (cobrado)", "Saldo (facturado − liquidado)",
		"Facturado MXN", "Cobrado MXN", "Liquidado MXN")
	for _, b := range rep.Balances {
		c.row(b.RFC, b.Name, b.Moneda, strconv.Itoa(b.Documents), num(b.Billed), num(b.Collected), num(b.PaidOut),
			num(b.PendingPayout), num(b.Owed), num(b.BilledMXN), num(b.CollectedMXN), num(b.PaidOutMXN))
	}
	if docs {
		names := map[int64][2]string{}
		for _, b := range rep.Balances {
			names[b.ThirdPartyID] = [2]string{b.RFC, b.Name}
		}
		c.row()
		c.row("RFC", "Tercero", "Fecha", "Documento", "RFC cliente", "Cliente", "Moneda", "Tipo de cambio", "Importe terceros",
			"Notas de crédito", "Facturado", "Cobrado", "Estado")
		for _, d := range rep.Docs {
			n := names[d.ThirdPartyID]
			c.row(n[0], n[1], day(d.Fecha), d.Number(), d.CustomerRFC, d.CustomerName, d.Moneda, rate(d.TipoCambio),
				num(d.Amount), num(d.Credited), num(d.Billed), num(d.Collected), string(d.State))
		}
	}
	return c.done("write balances csv")
}

// WriteBookCSV writes the sales book with its totals row.
func WriteBookCSV(w io.Writer, b *Book) error {
	c := newCSV(w)
	c.row("Tipo", "Serie", "Folio", "Fecha", "RFC", "Cliente", "Moneda", "Tipo de cambio", "Cuenta propia", "Cuenta de terceros",
		"IVA", "IEPS", "Retenciones", "Total", "Estado", "Observaciones")
	for _, r := range b.Rows {
		fecha := ""
		if !r.Fecha.IsZero() {
			fecha = day(r.Fecha)
		}
		amounts := []string{num(r.Own), num(r.ThirdParty), num(r.IVA), num(r.IEPS), num(r.Retenciones), num(r.Total)}
		c.row(append(append([]string{r.Tipo, r.Serie, strconv.FormatInt(r.Folio, 10), fecha, r.CustomerRFC, r.CustomerName,
			r.Moneda, rate(r.TipoCambio)}, amounts...), string(r.Status), r.Note)...)
	}
	t := b.Totals
	c.row("", "", "", "", "", "Total vigentes", "MXN", "", num(t.Own), num(t.ThirdParty), num(t.IVA), num(t.IEPS),
		num(t.Retenciones), num(t.Total), "", "")
	return c.done("write sales book csv")
}

// WriteCommissionsCSV writes the commissions per document and seller, then
// the totals per seller.
func WriteCommissionsCSV(w io.Writer, cm *Commissions) error {
	c := newCSV(w)
	c.row("Fecha", "Documento", "Cliente", "Moneda", "Tipo de cambio", "Base", "Base MXN", "Vendedor", "Porcentaje", "Comisión MXN")
	for _, r := range cm.Rows {
		c.row(day(r.Fecha), r.Number(), r.CustomerName, r.Moneda, rate(r.TipoCambio), num(r.Base), num(r.BaseMXN), r.Seller,
			r.Percent.String(), num(r.Amount))
	}
	c.row()
	c.row("Vendedor", "Documentos", "Base MXN", "Comisión MXN")
	for _, s := range cm.Sellers {
		c.row(s.Seller, strconv.Itoa(s.Documents), num(s.BaseMXN), num(s.Amount))
	}
	c.row("Total", "", "", num(cm.Total))
	return c.done("write commissions csv")
}

func rate(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
