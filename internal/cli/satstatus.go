package cli

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/internal/wire"
)

const satStatusUsage = "estatus-sat"

// runSATStatus asks SAT, through each company's PAC account, the status of
// every imported CFDI never consulted (vigente, cancelado, no encontrado)
// and stores it. Without connection the documents stay pending for the
// next run and the command exits 1 saying so.
func runSATStatus(ctx context.Context, e *Env) error {
	if len(e.Args) != 0 {
		return errUsage{satStatusUsage}
	}
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	st, ok := s.(received.StatusStore)
	if !ok {
		return domain.E(domain.Internal, "cli.estatus-sat", "Esta base de datos no guarda CFDI importados.", nil)
	}
	accounts := wire.NewAccounts(s)
	defer accounts.Close()
	checker := &received.StatusChecker{Store: st, PACs: accounts}
	res, err := checker.Check(ctx, "", nil, nil)
	for _, n := range res.Notes {
		fmt.Fprintln(e.Stdout, n)
	}
	fmt.Fprintf(e.Stdout, "Consultados: %d (vigentes: %d, cancelados: %d, no encontrados: %d); pendientes: %d.\n", res.Checked,
		res.Counts[received.SATVigente], res.Counts[received.SATCancelado], res.Counts[received.SATNoEncontrado], res.Pending)
	if err != nil {
		return err
	}
	if res.Pending > 0 {
		return errSilent
	}
	return nil
}
