package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
)

const accountUsage = "cuenta alta --nombre NOMBRE --tipo caja|banco --moneda MXN [--banco BANCO] [--numero CUENTA|CLABE]\n" +
	"       folio cuenta lista [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD]\n" +
	"       folio cuenta baja|reactivar --id N"

// accountHelpUsage is the command's forms in one line, for the help table.
const accountHelpUsage = "cuenta alta|lista|baja|reactivar …"

// runAccount manages the active company's cash and bank accounts through
// banks.Service: alta creates one (validated by the domain), lista prints
// each with its balance (the exact sum of its movements in the period),
// baja and reactivar deactivate and reactivate one.
func runAccount(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{accountUsage}
	}
	sub, args := e.Args[0], e.Args[1:]
	fs := flag.NewFlagSet("cuenta "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var a banks.Account
	var kind, desde, hasta string
	var id int64
	switch sub {
	case "alta":
		fs.StringVar(&a.Name, "nombre", "", "")
		fs.StringVar(&kind, "tipo", "", "")
		fs.StringVar(&a.Moneda, "moneda", "", "")
		fs.StringVar(&a.Bank, "banco", "", "")
		fs.StringVar(&a.Number, "numero", "", "")
	case "lista":
		fs.StringVar(&desde, "desde", "", "")
		fs.StringVar(&hasta, "hasta", "", "")
	case "baja", "reactivar":
		fs.Int64Var(&id, "id", 0, "")
	default:
		return errUsage{accountUsage}
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || ((sub == "baja" || sub == "reactivar") && id <= 0) {
		return errUsage{accountUsage}
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
	svc := &banks.Service{Store: s, MonedaExists: func(m string) bool { return cats.Has(sat.Moneda, m) }}
	switch sub {
	case "alta":
		a.Issuer, a.Kind, a.Active = co.RFC, banks.Kind(kind), true
		if err := svc.SaveAccount(ctx, &a); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Cuenta %d: %s (%s, %s) de %s.\n", a.ID, a.Name, a.Kind.Label(), a.Moneda, co.RFC)
		return nil
	case "baja", "reactivar":
		a, err := s.FindAccount(ctx, id)
		if err != nil {
			return err
		}
		if a.Issuer != co.RFC {
			return domain.E(domain.NotFound, "cuenta", "La cuenta no es de la empresa activa.", nil)
		}
		a.Active = sub == "reactivar"
		if err := svc.SaveAccount(ctx, &a); err != nil {
			return err
		}
		state := "inactiva"
		if a.Active {
			state = "activa"
		}
		fmt.Fprintf(e.Stdout, "Cuenta %d: %s, %s.\n", a.ID, a.Name, state)
		return nil
	}
	from, err := accountDay("--desde", desde)
	if err != nil {
		return err
	}
	to, err := accountDay("--hasta", hasta)
	if err != nil {
		return err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // --hasta is the period's last day
	}
	list, err := s.FindAccounts(ctx, co.RFC)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNombre\tTipo\tBanco\tNúmero\tMoneda\tEstado\tSaldo")
	for _, a := range list {
		b, err := s.AccountBalance(ctx, banks.MovementFilter{AccountID: a.ID, From: from, To: to})
		if err != nil {
			return err
		}
		state := "activa"
		if !a.Active {
			state = "inactiva"
		}
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Kind.Label(), a.Bank, a.Number, a.Moneda, state, tax.FormatMXN(b))
	}
	return w.Flush()
}

// accountDay is the start, in Mexico City, of day s (AAAA-MM-DD); zero for
// "".
func accountDay(flag, s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(receivables.DateLayout, strings.TrimSpace(s), domain.MexicoCity)
	if err != nil {
		return time.Time{}, domain.E(domain.Invalid, "cuenta lista", fmt.Sprintf("La fecha de %s debe escribirse AAAA-MM-DD (p. ej. 2026-01-31); se recibió %q.", flag, s), err)
	}
	return t, nil
}
