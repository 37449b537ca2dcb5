package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/mail"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/wire"
)

const statementUsage = "estado-de-cuenta --rfc RFC [--cliente-id N] [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD] [--moneda MXN] -o ARCHIVO.pdf [--enviar [--para CORREOS]]\n" +
	"       folio estado-de-cuenta --todos --carpeta CARPETA [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD] [--moneda MXN] [--enviar]"

// statementHelpUsage is the command's two forms in one line, for the help
// table.
const statementHelpUsage = "estado-de-cuenta --rfc RFC -o ARCHIVO.pdf | --todos --carpeta CARPETA [--enviar]"

// runStatement writes the account statement (estado de cuenta) of one
// customer of the active company, or with --todos of every customer who
// owes it something, as PDF through wire.StatementPDF, and prints the
// period's figures (saldo inicial, cargos, abonos, saldo final). With
// --enviar each statement is also queued in the mail outbox for the
// customer's e-mail addresses (or --para's) and sent at once when the
// server answers; what cannot be sent yet stays queued for the window's
// outbox, which retries it.
func runStatement(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("estado-de-cuenta", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rfc := fs.String("rfc", "", "")
	customerID := fs.Int64("cliente-id", 0, "")
	desde := fs.String("desde", "", "")
	hasta := fs.String("hasta", "", "")
	moneda := fs.String("moneda", "", "")
	out := fs.String("o", "", "")
	all := fs.Bool("todos", false, "")
	dir := fs.String("carpeta", "", "")
	send := fs.Bool("enviar", false, "")
	para := fs.String("para", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *customerID < 0 {
		return errUsage{statementUsage}
	}
	one := *rfc != "" || *customerID != 0
	switch {
	case *para != "" && (!*send || *all),
		*all && (one || *out != "" || *dir == ""),
		!*all && (!one || *out == "" || *dir != ""):
		return errUsage{statementUsage}
	}
	from, to, err := statementDays(*desde, *hasta, time.Now())
	if err != nil {
		return err
	}
	cur := strings.ToUpper(strings.TrimSpace(*moneda))
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	var mailer *statementMailer
	if *send {
		mailer = newStatementMailer(e, s)
	}
	if *all {
		if err := writeAllStatements(ctx, e, s, co, *dir, cur, from, to, mailer); err != nil {
			return err
		}
		return mailer.flush(ctx)
	}
	cust, err := statementCustomer(ctx, s, strings.ToUpper(strings.TrimSpace(*rfc)), *customerID)
	if err != nil {
		return err
	}
	st, err := writeStatement(ctx, e, s, co, cust, cur, from, to, *out)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, statementSummary(cust, st.Period, *out))
	if mailer == nil {
		return nil
	}
	var rcpts []string
	if *para != "" {
		rcpts = []string{*para}
	}
	if err := mailer.queue(ctx, st, rcpts); err != nil {
		return err
	}
	return mailer.flush(ctx)
}

// statementDays turns --desde/--hasta (AAAA-MM-DD) into the period's first
// and last days, as the receivables package takes them (midnight UTC of
// the date, receivables.Day). The default is from the first day of the
// current month to today, in Mexico City.
func statementDays(desde, hasta string, now time.Time) (from, to time.Time, err error) {
	const op = "estado de cuenta"
	y, m, d := now.In(domain.MexicoCity).Date()
	from, to = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC), time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	parse := func(flag, s string, into *time.Time) error {
		if s == "" {
			return nil
		}
		t, err := time.Parse(receivables.DateLayout, strings.TrimSpace(s))
		if err != nil {
			return domain.E(domain.Invalid, op, fmt.Sprintf("La fecha de %s debe escribirse AAAA-MM-DD (p. ej. 2026-01-31); se recibió %q.", flag, s), err)
		}
		*into = t
		return nil
	}
	if err = parse("--desde", desde, &from); err != nil {
		return
	}
	if err = parse("--hasta", hasta, &to); err != nil {
		return
	}
	if from.After(to) {
		err = domain.E(domain.Invalid, op, fmt.Sprintf("El periodo empieza el %s, después de su último día (%s): corrija --desde o --hasta.",
			from.Format(receivables.DateLayout), to.Format(receivables.DateLayout)), nil)
	}
	return
}

// statementCustomer finds the customer named by RFC (inactive ones too: a
// deactivated customer may still owe) or by id. Several customers may share
// a generic RFC (XAXX010101000, XEXX010101000): then the user must choose
// one with --cliente-id, and the refusal lists them.
func statementCustomer(ctx context.Context, s cliStore, rfc string, id int64) (sales.Customer, error) {
	const op = "estado de cuenta"
	if id != 0 {
		c, err := s.FindCustomerByID(ctx, id)
		if domain.KindOf(err) == domain.NotFound {
			return c, domain.E(domain.NotFound, op, fmt.Sprintf("No hay ningún cliente con el número %d; quite --cliente-id o revise el número.", id), err)
		}
		if err != nil {
			return c, err
		}
		if rfc != "" && c.RFC != rfc {
			return c, domain.E(domain.Invalid, op, fmt.Sprintf("El cliente %d (%s) tiene el RFC %s, no %s: revise --rfc o --cliente-id.", id, c.Name, c.RFC, rfc), nil)
		}
		return c, nil
	}
	list, err := s.FindCustomers(ctx, sales.CustomerFilter{Query: rfc, IncludeInactive: true, Limit: 1000})
	if err != nil {
		return sales.Customer{}, err
	}
	var found []sales.Customer
	for _, c := range list {
		if c.RFC == rfc {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return sales.Customer{}, domain.E(domain.NotFound, op, fmt.Sprintf("No hay ningún cliente con el RFC %s. Revise el RFC o dé de alta al cliente en Clientes.", rfc), nil)
	case 1:
		return found[0], nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hay %d clientes con el RFC %s; elija uno con --cliente-id:", len(found), rfc)
	for _, c := range found {
		fmt.Fprintf(&b, "\n  --cliente-id %d  %s", c.ID, c.Name)
		if !c.Active {
			b.WriteString(" (inactivo)")
		}
	}
	return sales.Customer{}, domain.E(domain.Invalid, op, b.String(), nil)
}

// writeStatement writes cust's statement in moneda to file and returns it
// (wire.BuildStatement: an empty moneda is chosen there, and the other
// currencies the customer has receivables in are named on stderr with the
// flag that asks for them).
func writeStatement(ctx context.Context, e *Env, s cliStore, co *sales.Company, cust sales.Customer, moneda string, from, to time.Time, file string) (wire.Statement, error) {
	const op = "estado de cuenta"
	st, err := wire.BuildStatement(ctx, s, co.RFC, cust.ID, moneda, from, to)
	if err != nil {
		return st, err
	}
	if len(st.Others) > 0 {
		fmt.Fprintf(e.Stderr, "%s también tiene movimientos en %s: pida su estado de cuenta con --moneda %s.\n",
			cust.RFC, strings.Join(st.Others, ", "), st.Others[0])
	}
	if err := os.WriteFile(file, st.PDF, 0o644); err != nil {
		return st, domain.E(domain.Unavailable, op,
			"No se pudo escribir el archivo "+file+": revise que la carpeta exista y que pueda escribir en ella.", err)
	}
	return st, nil
}

// writeAllStatements writes into dir one statement per customer who owes
// the company something on the period's last day, per currency owed (or
// only moneda), named by RFC, and with mailer queues each for the
// customer's addresses (wire.WriteStatements).
func writeAllStatements(ctx context.Context, e *Env, s cliStore, co *sales.Company, dir, moneda string, from, to time.Time, mailer *statementMailer) error {
	start := time.Now()
	opt := wire.StatementsOptions{Moneda: moneda,
		Progress: func(done, total int, j wire.StatementJob) {
			if done < total {
				fmt.Fprintf(e.Stderr, "Estado de cuenta %d de %d: %s %s (%s)…\n", done+1, total, j.CustomerRFC, j.CustomerName, j.Moneda)
			}
		},
		Written: func(j wire.StatementJob, st wire.Statement, file string) {
			fmt.Fprintln(e.Stdout, statementSummary(st.Customer, st.Period, file))
		},
	}
	if mailer != nil {
		opt.Outbox = mailer.outbox
	}
	res, err := wire.WriteStatements(ctx, s, co.RFC, dir, from, to, opt)
	if domain.KindOf(err) == domain.NotFound && len(res.Files) == 0 {
		fmt.Fprintln(e.Stderr, domain.UserMessage(err))
		return errSilent
	}
	if err != nil {
		return err
	}
	if mailer != nil {
		for _, q := range res.Queued {
			mailer.queued = append(mailer.queued, queuedStatement{q.Delivery, q.CustomerRFC})
		}
		mailer.noMail = res.NoMail
	}
	fmt.Fprintf(e.Stdout, "%d estados de cuenta en %s en %.1f s\n", len(res.Files), dir, time.Since(start).Seconds())
	return nil
}

// statementMailer queues statements in the mail outbox (wire.MailStatement)
// and then sends what is due at once.
type statementMailer struct {
	e      *Env
	mails  wire.Mails
	outbox *delivery.Outbox
	queued []queuedStatement
	noMail []string // "RFC Nombre" of customers without e-mail (--todos)
}

type queuedStatement struct {
	id  int64
	rfc string
}

// statementMail is the Mailer of --enviar (tests trust their own server).
var statementMail delivery.Mailer = mail.Deliverer{}

func newStatementMailer(e *Env, s cliStore) *statementMailer {
	m := wire.MailsOf(s)
	o := delivery.NewOutbox(m, m, statementMail, nil, delivery.Options{
		Print: func(ctx context.Context, rfc string) print.Options { return wire.PrintOptions(ctx, s, rfc) }})
	return &statementMailer{e: e, mails: m, outbox: o}
}

func (sm *statementMailer) queue(ctx context.Context, st wire.Statement, to []string) error {
	id, _, err := wire.MailStatement(ctx, sm.outbox, st, to)
	if err != nil {
		return err
	}
	sm.queued = append(sm.queued, queuedStatement{id, st.Customer.RFC})
	return nil
}

// flush attempts every due delivery of the outbox once (the statements
// just queued, and whatever else waits) and prints where each statement
// stands: sent, queued with the reason, or not sent. A nil sm does nothing.
func (sm *statementMailer) flush(ctx context.Context) error {
	if sm == nil {
		return nil
	}
	for range 1000 {
		n, err := sm.outbox.RunOnce(ctx)
		if err != nil {
			return err
		}
		if n == 0 || ctx.Err() != nil {
			break
		}
	}
	sent := 0
	for _, q := range sm.queued {
		d, err := sm.mails.Delivery(ctx, q.id)
		if err != nil {
			return err
		}
		to := strings.Join(d.To, ", ")
		switch d.State {
		case delivery.StateSent:
			sent++
			fmt.Fprintf(sm.e.Stdout, "Estado de cuenta de %s enviado a %s\n", q.rfc, to)
		case delivery.StateFailed:
			fmt.Fprintf(sm.e.Stdout, "Estado de cuenta de %s no enviado a %s: %s\n", q.rfc, to, d.LastError)
		default:
			fmt.Fprintf(sm.e.Stdout, "Estado de cuenta de %s en cola para %s: %s\n", q.rfc, to, d.LastError)
		}
	}
	if len(sm.queued) > 1 || len(sm.noMail) > 0 {
		fmt.Fprintf(sm.e.Stdout, "%d de %d estados de cuenta enviados", sent, len(sm.queued))
		if n := len(sm.queued) - sent; n > 0 {
			fmt.Fprintf(sm.e.Stdout, "; %d en cola (Folio los envía al abrirse)", n)
		}
		fmt.Fprintln(sm.e.Stdout, ".")
	}
	if len(sm.noMail) > 0 {
		fmt.Fprintf(sm.e.Stdout, "Sin correo (agréguelo en Clientes): %s\n", strings.Join(sm.noMail, "; "))
	}
	return nil
}

// statementSummary is the one line printed for each statement written.
func statementSummary(c sales.Customer, p receivables.Period, file string) string {
	return fmt.Sprintf("%s %s, %s a %s, %s: saldo inicial %s, cargos %s, abonos %s, saldo final %s → %s",
		c.RFC, c.Name, p.From.Format(receivables.DateLayout), p.To.Format(receivables.DateLayout), p.Moneda,
		tax.FormatMXN(p.Opening), tax.FormatMXN(p.Charges), tax.FormatMXN(p.Credits), tax.FormatMXN(p.Closing), file)
}
