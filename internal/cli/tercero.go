package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

const thirdPartyUsage = "tercero alta --rfc RFC --nombre NOMBRE --regimen CLAVE --cp CODIGO_POSTAL [--contacto C] [--correo E] [--telefono T] [--banco B] [--cuenta CLABE]\n" +
	"       folio tercero lista [--buscar TEXTO] [--todos]\n" +
	"       folio tercero baja|reactivar --id N"

// thirdPartyHelpUsage is the command's forms in one line, for the help table.
const thirdPartyHelpUsage = "tercero alta|lista|baja|reactivar …"

// runThirdParty manages the active company's catalog of third parties
// (facturación a cuenta de terceros) through sales.ThirdParties: alta
// creates one validated like a customer, lista prints them (active only
// unless --todos), baja and reactivar deactivate and reactivate one.
func runThirdParty(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{thirdPartyUsage}
	}
	sub, args := e.Args[0], e.Args[1:]
	fs := flag.NewFlagSet("tercero "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var tp sales.ThirdParty
	var query string
	var all bool
	var id int64
	switch sub {
	case "alta":
		fs.StringVar(&tp.RFC, "rfc", "", "")
		fs.StringVar(&tp.Name, "nombre", "", "")
		fs.StringVar(&tp.RegimenFiscal, "regimen", "", "")
		fs.StringVar(&tp.CodigoPostal, "cp", "", "")
		fs.StringVar(&tp.Contact, "contacto", "", "")
		fs.StringVar(&tp.Email, "correo", "", "")
		fs.StringVar(&tp.Phone, "telefono", "", "")
		fs.StringVar(&tp.Bank, "banco", "", "")
		fs.StringVar(&tp.BankAccount, "cuenta", "", "")
	case "lista":
		fs.StringVar(&query, "buscar", "", "")
		fs.BoolVar(&all, "todos", false, "")
	case "baja", "reactivar":
		fs.Int64Var(&id, "id", 0, "")
	default:
		return errUsage{thirdPartyUsage}
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || ((sub == "baja" || sub == "reactivar") && id <= 0) {
		return errUsage{thirdPartyUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return err
	}
	svc := &sales.ThirdParties{Store: s, Catalogs: cats}
	switch sub {
	case "alta":
		tp.Issuer = co.RFC
		if err := svc.Create(ctx, &tp); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Tercero %d: %s (%s) de %s.\n", tp.ID, tp.Name, tp.RFC, co.RFC)
		return nil
	case "baja", "reactivar":
		tp, err := svc.Find(ctx, id)
		if err != nil {
			return err
		}
		if tp.Issuer != co.RFC {
			return domain.E(domain.NotFound, "tercero", "El tercero no es de la empresa activa.", nil)
		}
		if sub == "baja" {
			err = svc.Deactivate(ctx, id)
		} else {
			err = svc.Activate(ctx, id)
		}
		if err != nil {
			return err
		}
		state := "inactivo"
		if sub == "reactivar" {
			state = "activo"
		}
		fmt.Fprintf(e.Stdout, "Tercero %d: %s, %s.\n", tp.ID, tp.Name, state)
		return nil
	}
	list, err := svc.List(ctx, sales.ThirdPartyFilter{Issuer: co.RFC, Query: query, IncludeInactive: all, Limit: 1000})
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tRFC\tNombre\tRégimen\tC.P.\tCuenta\tEstado")
	for _, t := range list {
		state := "activo"
		if !t.Active {
			state = "inactivo"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.RFC, t.Name, t.RegimenFiscal, t.CodigoPostal, t.BankAccount, state)
	}
	return w.Flush()
}
