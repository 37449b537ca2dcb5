package thirdparty

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// BookStatus is a sales book row's status.
type BookStatus string

// The statuses of the sales book.
const (
	Vigente   BookStatus = "Vigente"
	Cancelada BookStatus = "Cancelada"
	Anulado   BookStatus = "Anulado" // a folio voided without a document
)

// BookRow is one line of the sales book, in pesos (a document in another
// currency at its TipoCambio): Own + ThirdParty + IVA + IEPS − Retenciones
// is Total up to the cent of each conversion. Own and ThirdParty are the
// parts' SubTotal less Descuento. A credit note's amounts are negative.
type BookRow struct {
	Tipo                      string // I, E; "" for a voided folio
	Serie                     string
	Folio                     int64
	Fecha                     time.Time
	CustomerRFC, CustomerName string
	Moneda                    string
	TipoCambio                decimal.Decimal
	Own, ThirdParty           decimal.Decimal
	IVA, IEPS, Retenciones    decimal.Decimal
	Total                     decimal.Decimal
	Status                    BookStatus
	Note                      string // a voided folio's reason
}

// Number is the row's serie-folio.
func (r BookRow) Number() string { return folioLabel(r.Serie, r.Folio) }

// Book is the sales book (libro de ventas) of a month: every invoice and
// credit note posted in it (payment receipts are not sales and are left
// out) and every folio of its invoice and credit-note series voided in it,
// by series and folio. Totals add the Vigente rows only.
type Book struct {
	From, To time.Time
	Rows     []BookRow
	Totals   BookRow
	Counts   map[BookStatus]int
}

// ComputeBook builds the Book of docs and voided folios.
func ComputeBook(docs []BookDoc, voided []VoidedFolio, dec Decimals, from, to time.Time) (Book, error) {
	b := Book{From: from, To: to, Counts: map[BookStatus]int{}}
	for _, d := range docs {
		tpBase := decimal.Zero
		if len(d.TPLines) > 0 {
			inv := sales.Invoice{Lines: d.TPLines}
			_, third, err := inv.Split(dec.of(d.Moneda))
			if err != nil {
				return Book{}, err
			}
			tpBase = third.SubTotal.Sub(third.Descuento)
		}
		ownBase := d.SubTotal.Sub(d.Descuento).Sub(tpBase)
		conv := func(v decimal.Decimal) decimal.Decimal {
			v = toMXN(v, d.Moneda, d.TipoCambio)
			if d.Tipo == sales.TipoEgreso {
				return v.Neg()
			}
			return v
		}
		r := BookRow{Tipo: d.Tipo, Serie: d.Serie, Folio: d.Folio, Fecha: d.Fecha, CustomerRFC: d.CustomerRFC,
			CustomerName: d.CustomerName, Moneda: d.Moneda, TipoCambio: d.TipoCambio,
			Own: conv(ownBase), ThirdParty: conv(tpBase), IVA: conv(d.IVA), IEPS: conv(d.IEPS),
			Retenciones: conv(d.Retenciones), Total: conv(d.Total), Status: Vigente}
		if d.Cancelled {
			r.Status = Cancelada
		}
		b.Rows = append(b.Rows, r)
	}
	for _, v := range voided {
		b.Rows = append(b.Rows, BookRow{Serie: v.Serie, Folio: v.Folio, Fecha: v.At, Status: Anulado, Note: v.Reason})
	}
	slices.SortFunc(b.Rows, func(x, y BookRow) int {
		return cmp.Or(cmp.Compare(x.Serie, y.Serie), cmp.Compare(x.Folio, y.Folio))
	})
	b.Totals.Status = Vigente
	for _, r := range b.Rows {
		b.Counts[r.Status]++
		if r.Status != Vigente {
			continue
		}
		t := &b.Totals
		t.Own, t.ThirdParty, t.IVA = t.Own.Add(r.Own), t.ThirdParty.Add(r.ThirdParty), t.IVA.Add(r.IVA)
		t.IEPS, t.Retenciones, t.Total = t.IEPS.Add(r.IEPS), t.Retenciones.Add(r.Retenciones), t.Total.Add(r.Total)
	}
	return b, nil
}

// SalesBook returns issuer's sales book of the month of month (Mexico
// City).
func (s *Service) SalesBook(ctx context.Context, issuer string, month time.Time) (Book, error) {
	from, to := MonthRange(month)
	docs, voided, err := s.Store.SalesBook(ctx, issuer, from, to)
	if err != nil {
		return Book{}, err
	}
	return ComputeBook(docs, voided, s.Decimals, from, to)
}
