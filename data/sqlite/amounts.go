package sqlite

import (
	"context"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain/sales"
)

var _ sales.AmountsStore = (*Store)(nil)

// SumAmounts adds up the amounts stored with the posted documents f selects
// (sales.AmountsStore); see salessql.SumAmounts.
func (s *Store) SumAmounts(ctx context.Context, f sales.AmountsFilter) (sales.AmountsSum, error) {
	sum, err := salessql.SumAmounts(ctx, s.ReadDB(), f)
	return sum, mapErr("sqlite.SumAmounts", s.path, err)
}
