package postgres

import (
	"context"
	"strings"

	"github.com/folio-mx/folio/domain/sales"
)

var _ sales.AmountsStore = (*Store)(nil)

// SumAmounts adds up the amounts stored with the posted documents f selects
// (sales.AmountsStore). The sums are integer sums of micro-units,
// exact to the last micro-unit; an overflow is an error, never a rounding.
func (s *Store) SumAmounts(ctx context.Context, f sales.AmountsFilter) (sales.AmountsSum, error) {
	const op = "postgres.SumAmounts"
	where := []string{"issuer = ?", "state <> 'draft'", "total_micro IS NOT NULL"}
	args := []any{f.Issuer}
	if f.TipoDeComprobante != "" {
		where = append(where, "tipo = ?")
		args = append(args, f.TipoDeComprobante)
	}
	if f.Moneda != "" {
		where = append(where, "moneda = ?")
		args = append(args, f.Moneda)
	}
	if !f.From.IsZero() {
		where = append(where, "fecha >= ?")
		args = append(args, salesTimeText(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "fecha < ?")
		args = append(args, salesTimeText(f.To))
	}
	if len(f.States) > 0 {
		where = append(where, "state IN (?"+strings.Repeat(", ?", len(f.States)-1)+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	var sum sales.AmountsSum
	var m [6]int64
	err := s.ReadDB().QueryRowContext(ctx, `SELECT count(*), coalesce(sum(subtotal_micro), 0), coalesce(sum(descuento_micro), 0),
		coalesce(sum(traslados_micro), 0), coalesce(sum(retenciones_micro), 0), coalesce(sum(total_micro), 0),
		coalesce(sum(total_mxn_micro), 0) FROM invoices WHERE `+strings.Join(where, " AND "), args...).
		Scan(&sum.Documents, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5])
	if err != nil {
		return sum, mapErr(op, s.name, err)
	}
	sum.SubTotal, sum.Descuento, sum.Traslados = fromMicro(m[0]), fromMicro(m[1]), fromMicro(m[2])
	sum.Retenciones, sum.Total, sum.TotalMXN = fromMicro(m[3]), fromMicro(m[4]), fromMicro(m[5])
	return sum, nil
}
