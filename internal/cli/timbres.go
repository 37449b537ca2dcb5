package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/dealer"
	"github.com/folio-mx/folio/internal/wire"
)

const timbresUsage = "timbres saldo\n" +
	"       folio timbres clientes [--buscar CORREO|RFC|ID] [--todos]\n" +
	"       folio timbres nuevo --nombre N --rfc RFC --correo CORREO --password-file ARCHIVO [--timbres N | --ilimitado] [--correo-avisos C] [--telefono T]\n" +
	"       folio timbres asignar|quitar --cuenta CORREO|ID --timbres N [--comentario TEXTO]\n" +
	"       folio timbres historial [--cuenta CORREO|ID] [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD]"

// timbresHelpUsage is the command's forms in one line, for the help table.
const timbresHelpUsage = "timbres saldo|clientes|nuevo|asignar|quitar|historial …"

// runTimbres is the Administrador de timbres of the active company's PAC
// account (an SW dealer account) through dealer.Service, the same use
// cases as the window's area: the dealer's balance, its client accounts,
// a new one, stamps handed out or taken back, and a movement history.
func runTimbres(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{timbresUsage}
	}
	sub, args := e.Args[0], e.Args[1:]
	fs := flag.NewFlagSet("timbres "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var (
		query, account, comment, pwPath, from, to string
		all                                       bool
		stamps                                    int64
		nc                                        dealer.NewClient
	)
	switch sub {
	case "saldo":
	case "clientes":
		fs.StringVar(&query, "buscar", "", "")
		fs.BoolVar(&all, "todos", false, "")
	case "nuevo":
		fs.StringVar(&nc.Name, "nombre", "", "")
		fs.StringVar(&nc.RFC, "rfc", "", "")
		fs.StringVar(&nc.Email, "correo", "", "")
		fs.StringVar(&pwPath, "password-file", "", "")
		fs.Int64Var(&nc.Stamps, "timbres", 0, "")
		fs.BoolVar(&nc.Unlimited, "ilimitado", false, "")
		fs.StringVar(&nc.NotificationEmail, "correo-avisos", "", "")
		fs.StringVar(&nc.Phone, "telefono", "", "")
	case "asignar", "quitar":
		fs.StringVar(&account, "cuenta", "", "")
		fs.Int64Var(&stamps, "timbres", 0, "")
		fs.StringVar(&comment, "comentario", "", "")
	case "historial":
		fs.StringVar(&account, "cuenta", "", "")
		fs.StringVar(&from, "desde", "", "")
		fs.StringVar(&to, "hasta", "", "")
	default:
		return errUsage{timbresUsage}
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || sub == "nuevo" && pwPath == "" ||
		(sub == "asignar" || sub == "quitar") && strings.TrimSpace(account) == "" {
		return errUsage{timbresUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	accounts := wire.NewAccounts(s)
	defer accounts.Close()
	svc, err := accounts.Dealer(ctx, wire.NewCompanies(s), s, co.ID)
	if err != nil {
		return err
	}
	switch sub {
	case "saldo":
		b, err := svc.OwnBalance(ctx)
		if err != nil {
			return err
		}
		if b.Unlimited {
			fmt.Fprintf(e.Stdout, "Cuenta de distribuidor de %s: timbres ilimitados; %d usados.\n", co.RFC, b.Used)
		} else {
			fmt.Fprintf(e.Stdout, "Cuenta de distribuidor de %s: %d timbres disponibles, %d usados, %d asignados.\n", co.RFC, b.Stamps, b.Used, b.Assigned)
		}
		return nil
	case "clientes":
		return printClients(ctx, e, svc, query, all)
	case "nuevo":
		pw, err := readInput(pwPath, "el archivo de la contraseña")
		if err != nil {
			return err
		}
		nc.Password = firstLine(pw)
		c, err := svc.Create(ctx, nc)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Cuenta %s creada (%s, %s): %s.\n", c.ID, c.Email, c.RFC, stampsText(c.Stamps, c.Unlimited))
		return nil
	case "asignar", "quitar":
		c, err := findClient(ctx, svc, account)
		if err != nil {
			return err
		}
		ch := dealer.StampsChange{Client: c, Stamps: stamps, Comment: comment}
		var after int64
		if sub == "asignar" {
			after, err = svc.AddStamps(ctx, ch)
		} else {
			after, err = svc.RemoveStamps(ctx, ch)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s tiene ahora %d timbres.\n", c.Email, after)
		return nil
	}
	return printHistory(ctx, e, svc, account, from, to)
}

func stampsText(n int64, unlimited bool) string {
	if unlimited {
		return "timbres ilimitados"
	}
	return fmt.Sprintf("%d timbres", n)
}

// findClient resolves --cuenta (an e-mail or an account ID) to exactly one
// account.
func findClient(ctx context.Context, svc *dealer.Service, account string) (dealer.Client, error) {
	p, err := svc.Clients(ctx, dealer.Filter{Query: account})
	if err != nil {
		return dealer.Client{}, err
	}
	if len(p.Clients) != 1 {
		return dealer.Client{}, domain.E(domain.NotFound, "timbres", "No hay una cuenta de cliente "+strings.TrimSpace(account)+
			". Búsquela con «folio timbres clientes --buscar».", nil)
	}
	return p.Clients[0], nil
}

func printClients(ctx context.Context, e *Env, svc *dealer.Service, query string, all bool) error {
	f := dealer.Filter{Query: query, PerPage: 50}
	if !all {
		on := true
		f.Active = &on
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCorreo\tNombre\tRFC\tTimbres\tEstado")
	for page := 1; ; page++ {
		f.Page = page
		p, err := svc.Clients(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range p.Clients {
			state, n := "activa", fmt.Sprint(c.Stamps)
			if !c.Active {
				state = "desactivada"
			}
			if c.Unlimited {
				n = "ilimitado"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Email, c.Name, c.RFC, n, state)
		}
		if page >= p.TotalPages || len(p.Clients) == 0 {
			break
		}
	}
	return w.Flush()
}

// printHistory prints the movements of the dealer's account (or of
// --cuenta) between --desde and --hasta (the last 30 days by default).
func printHistory(ctx context.Context, e *Env, svc *dealer.Service, account, from, to string) error {
	const op = "timbres historial"
	now := time.Now().In(domain.MexicoCity)
	day := func(s string, def time.Time) (time.Time, error) {
		if s == "" {
			return def, nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, domain.MexicoCity)
		if err != nil {
			return t, domain.E(domain.Invalid, op, "Escriba las fechas como AAAA-MM-DD.", err)
		}
		return t, nil
	}
	start, err := day(from, now.AddDate(0, 0, -30))
	if err != nil {
		return err
	}
	end, err := day(to, now)
	if err != nil {
		return err
	}
	id := ""
	if account != "" {
		c, err := findClient(ctx, svc, account)
		if err != nil {
			return err
		}
		id = c.ID
	}
	midnight := func(t time.Time) time.Time {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.MexicoCity)
	}
	list, fromFolio, err := svc.History(ctx, id, midnight(start), midnight(end).AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	if fromFolio {
		fmt.Fprintln(e.Stdout, "El PAC no entrega el historial por su API: estos son los movimientos hechos desde Folio.")
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "Folio\tFecha\tEntradas\tSalidas\tSaldo\tCuenta\tDescripción")
	for _, m := range list {
		saldo := ""
		if m.BalanceAfter >= 0 {
			saldo = fmt.Sprint(m.BalanceAfter)
		}
		fmt.Fprintf(w, "%d\t%s\t%d\t%d\t%s\t%s\t%s\n", m.Folio, m.Date.In(domain.MexicoCity).Format("2006-01-02 15:04"), m.In, m.Out, saldo, m.ClientName, m.Comment)
	}
	return w.Flush()
}
