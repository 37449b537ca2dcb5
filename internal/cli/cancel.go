package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/folio-mx/folio/domain/stamping"
	"github.com/folio-mx/folio/internal/wire"
)

const cancelUsage = "cancelar SERIE-FOLIO|UUID --motivo 01|02|03|04 [--sustituye UUID] | cancelar SERIE-FOLIO|UUID --estado"

// runCancel asks SAT to cancel a stamped document of the active company,
// or with --estado asks how its last request is going, through the same
// use case as the window (stamping.Cancellations over wire.Accounts): at
// the PAC account that stamped the document, primary or secondary.
func runCancel(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 || strings.HasPrefix(e.Args[0], "-") {
		return errUsage{cancelUsage}
	}
	ref := e.Args[0]
	fs := flag.NewFlagSet("cancelar", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	motivo := fs.String("motivo", "", "")
	sustituye := fs.String("sustituye", "", "")
	estado := fs.Bool("estado", false, "")
	if err := fs.Parse(e.Args[1:]); err != nil || fs.NArg() != 0 || *estado == (*motivo != "") || *estado && *sustituye != "" {
		return errUsage{cancelUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	inv, err := s.FindDocument(ctx, co.RFC, ref)
	if err != nil {
		return err
	}
	docID, uuid, name, err := s.InvoiceDocument(ctx, inv.ID)
	if err != nil {
		return err
	}
	accounts := wire.NewAccounts(s)
	defer accounts.Close()
	queue := wire.QueueOf(s)
	cs := &stamping.Cancellations{Documents: queue, Store: queue, PACs: accounts, Guard: queue}
	if *estado {
		c, err := cs.Refresh(ctx, docID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s (%s): %s. Estado en el SAT: %s", name, uuid, c.Label(), c.Status.Estado)
		if c.Status.EstatusCancelacion != "" {
			fmt.Fprintf(e.Stdout, " (%s)", c.Status.EstatusCancelacion)
		}
		fmt.Fprintln(e.Stdout, ".")
		return nil
	}
	c, err := cs.Request(ctx, docID, *motivo, strings.ToUpper(strings.TrimSpace(*sustituye)))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "El SAT recibió la solicitud de cancelación de %s (%s): estatus %s, %s. Consulte su avance con: folio cancelar %s --estado\n",
		name, uuid, c.Receipt.EstatusUUID, strings.ToLower(c.Label()), ref)
	return nil
}
