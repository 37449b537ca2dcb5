package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/delivery"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/receivables"
	"github.com/folio-mx/folio/domain/sales"
)

// Statement is one customer's account statement (estado de cuenta) for a
// period in one currency, drawn as PDF.
type Statement struct {
	IssuerName, IssuerRFC string
	Customer              sales.Customer
	Period                receivables.Period // the figures the PDF prints
	PDF                   []byte
	// Others are the other currencies the customer has receivables in,
	// when the currency was chosen by default (each has its statement).
	Others []string
}

// StatementStore is what the account statements read: the receivables,
// the customer and the issuer's print options (*sqlite.Store and
// *postgres.Store).
type StatementStore interface {
	receivables.Store
	PrintStore
	FindCustomerByID(ctx context.Context, id int64) (sales.Customer, error)
}

// BuildStatement draws the account statement of customer customerID of
// the issuer with RFC rfc, in moneda, for the days from to to (package
// receivables' days), with the aging of what the customer owes in that
// currency on to: the figures of domain/receivables (Service.Period, which
// reads only the period's movements and the sum of the earlier ones)
// printed by print.RenderStatement with the issuer's print options. An
// empty moneda is MXN, unless the customer's receivables are all in other
// currencies (then the first of them). The window, `folio
// estado-de-cuenta` and the statements of every customer share it.
func BuildStatement(ctx context.Context, store StatementStore, rfc string, customerID int64, moneda string, from, to time.Time) (Statement, error) {
	const op = "wire.BuildStatement"
	cust, err := store.FindCustomerByID(ctx, customerID)
	if err != nil {
		return Statement{}, err
	}
	st := Statement{IssuerName: rfc, IssuerRFC: rfc, Customer: cust}
	if list, err := store.ListCompanies(ctx); err == nil {
		for _, co := range list {
			if co.RFC == rfc {
				st.IssuerName = co.Nombre
			}
		}
	}
	if moneda == "" {
		cs, err := store.Currencies(ctx, rfc, customerID)
		if err != nil {
			return Statement{}, err
		}
		moneda = "MXN"
		if len(cs) > 0 && !slices.Contains(cs, "MXN") {
			moneda = cs[0]
		}
		for _, c := range cs {
			if c != moneda {
				st.Others = append(st.Others, c)
			}
		}
	}
	svc := receivables.Service{Store: store}
	p, bal, err := svc.Period(ctx, rfc, customerID, moneda, from, to)
	if err != nil {
		return Statement{}, err
	}
	st.Period = p
	out := &print.Statement{IssuerName: st.IssuerName, IssuerRFC: rfc, CustomerName: cust.Name, CustomerRFC: cust.RFC,
		From: printDay(p.From), To: printDay(p.To), Moneda: moneda, Opening: p.Opening, Charges: p.Charges, Credits: p.Credits, Closing: p.Closing,
		Lines: make([]print.StatementLine, 0, len(p.Lines))}
	for _, l := range p.Lines {
		line := print.StatementLine{Fecha: l.Fecha, Documento: l.Kind.Label() + " " + l.Serie + "-" + itoa(l.Folio), Saldo: l.Balance}
		if l.Kind == receivables.Invoice {
			line.Vence, line.Cargo = printDay(l.DueDate), l.Amount
		} else {
			line.Abono = l.Amount.Neg()
			line.Referencia = "Factura " + l.InvoiceRef
		}
		out.Lines = append(out.Lines, line)
	}
	for _, c := range bal.Currencies {
		if c.Moneda != moneda {
			continue
		}
		for b := receivables.Current; b < receivables.NumBuckets; b++ {
			out.Aging = append(out.Aging, print.AgingAmount{Label: b.Label(), Amount: c.Buckets[b]})
		}
	}
	st.PDF, err = print.RenderStatement(out, PrintOptions(ctx, store, rfc))
	if err != nil {
		return Statement{}, domain.E(domain.KindOf(err), op, domain.UserMessage(err), err)
	}
	return st, nil
}

// StatementPDF is the PDF of BuildStatement.
func StatementPDF(ctx context.Context, store StatementStore, rfc string, customerID int64, moneda string, from, to time.Time) ([]byte, error) {
	st, err := BuildStatement(ctx, store, rfc, customerID, moneda, from, to)
	return st.PDF, err
}

// StatementJob is one statement of every customer with a balance: a
// customer who owes in one currency, and the file it goes to.
type StatementJob struct {
	CustomerID                int64
	CustomerRFC, CustomerName string
	Moneda                    string
	File                      string // "RFC.pdf", "RFC-USD.pdf", "RFC-12.pdf"…
}

// StatementJobs lists the statements of every customer of issuer rfc who
// owes something on day to, one per currency owed (or only in moneda when
// not empty), in the aging's order. Files are named by RFC; a generic RFC
// shared by several customers, or a currency other than pesos, is added to
// the name so that no two collide.
func StatementJobs(ctx context.Context, store StatementStore, rfc, moneda string, to time.Time) ([]StatementJob, error) {
	svc := receivables.Service{Store: store}
	aging, err := svc.Aging(ctx, rfc, to)
	if err != nil {
		return nil, err
	}
	var jobs []StatementJob
	perRFC := map[string]int{}
	for _, r := range aging.Customers {
		for _, c := range r.Currencies {
			if (moneda == "" || c.Moneda == moneda) && !c.Buckets.Total().IsZero() {
				jobs = append(jobs, StatementJob{CustomerID: r.CustomerID, CustomerRFC: r.CustomerRFC, CustomerName: r.CustomerName, Moneda: c.Moneda})
				perRFC[r.CustomerRFC+"|"+c.Moneda]++
			}
		}
	}
	seen := map[string]bool{}
	for i, j := range jobs {
		name := j.CustomerRFC
		if j.Moneda != "MXN" {
			name += "-" + j.Moneda
		}
		if perRFC[j.CustomerRFC+"|"+j.Moneda] > 1 || seen[name] {
			name += fmt.Sprintf("-%d", j.CustomerID)
		}
		seen[name] = true
		jobs[i].File = name + ".pdf"
	}
	return jobs, nil
}

// printDay turns a day of package receivables (midnight UTC of the date,
// receivables.Day) into midnight of that date in Mexico City, the form
// print.Statement takes: printed as is, the UTC midnight read in Mexico
// City is the evening before, and every period limit and due date came
// out one day early.
func printDay(d time.Time) time.Time {
	if d.IsZero() {
		return d
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, domain.MexicoCity)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// MailStatement queues st's e-mail in outbox (delivery.StatementMessage:
// the PDF attached, a Spanish subject and body naming the company, the
// customer and the period) for the addresses to, or the customer's when
// to is empty; the outbox sends it, retries it while the server cannot be
// reached and keeps it until the company has its mail settings, like an
// invoice. A customer without addresses is Invalid with a message that
// says where to add them.
func MailStatement(ctx context.Context, outbox *delivery.Outbox, st Statement, to []string) (int64, []string, error) {
	if len(to) == 0 {
		to = st.Customer.Emails
	}
	if len(to) == 0 {
		return 0, nil, domain.E(domain.Invalid, "wire.MailStatement",
			fmt.Sprintf("%s (%s) no tiene correos; agréguelos en Clientes para enviarle su estado de cuenta.", st.Customer.Name, st.Customer.RFC), nil)
	}
	rcpts, err := delivery.ParseRecipients(to...)
	if err != nil {
		return 0, nil, err
	}
	m := delivery.StatementMessage(delivery.Statement{IssuerName: st.IssuerName, IssuerRFC: st.IssuerRFC,
		CustomerName: st.Customer.Name, CustomerRFC: st.Customer.RFC, From: st.Period.From, To: st.Period.To, Moneda: st.Period.Moneda, PDF: st.PDF})
	id, err := outbox.EnqueueMessage(ctx, st.IssuerRFC, rcpts, m)
	return id, rcpts, err
}

// StatementsOptions tune WriteStatements.
type StatementsOptions struct {
	Moneda string           // only this currency; "" every currency owed
	Outbox *delivery.Outbox // when set, each statement is also queued for the customer's e-mail addresses
	// Progress, when set, is called before each statement (done counts the
	// ones finished) and Written after each file is written.
	Progress func(done, total int, j StatementJob)
	Written  func(j StatementJob, st Statement, file string)
}

// StatementsResult is what WriteStatements did.
type StatementsResult struct {
	Files  []string          // written, in order
	Queued []QueuedStatement // e-mails queued
	NoMail []string          // "RFC Nombre" of customers without e-mail addresses
}

// QueuedStatement is a statement's e-mail in the outbox.
type QueuedStatement struct {
	Delivery    int64
	CustomerRFC string
	To          []string
}

// WriteStatements writes into dir one statement per customer of issuer rfc
// who owes something on day to, per currency owed (StatementJobs,
// BuildStatement), and with opt.Outbox queues each for the customer's
// e-mail addresses (MailStatement), noting the customers without any. No
// customer with a balance is NotFound. When ctx ends it stops between two
// statements: the files written are complete, and the error says how many.
// `folio estado-de-cuenta --todos` and the window's "Estados de cuenta de
// todos…" share it.
func WriteStatements(ctx context.Context, store StatementStore, rfc, dir string, from, to time.Time, opt StatementsOptions) (StatementsResult, error) {
	const op = "wire.WriteStatements"
	var res StatementsResult
	jobs, err := StatementJobs(ctx, store, rfc, opt.Moneda, to)
	if err != nil {
		return res, err
	}
	if len(jobs) == 0 {
		what := ""
		if opt.Moneda != "" {
			what = " en " + opt.Moneda
		}
		return res, domain.E(domain.NotFound, op, fmt.Sprintf("Ningún cliente de %s tiene saldo%s al %s: no hay estados de cuenta que escribir.",
			rfc, what, to.Format(receivables.DateLayout)), nil)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, domain.E(domain.Unavailable, op, "No se pudo crear la carpeta "+dir+": revise la ruta y sus permisos.", err)
	}
	for i, j := range jobs {
		if err := ctx.Err(); err != nil {
			return res, domain.E(domain.Unavailable, op, fmt.Sprintf("Interrumpido; %d estados de cuenta ya escritos están completos.", i), err)
		}
		if opt.Progress != nil {
			opt.Progress(i, len(jobs), j)
		}
		st, err := BuildStatement(ctx, store, rfc, j.CustomerID, j.Moneda, from, to)
		if err != nil {
			if ctx.Err() != nil {
				return res, domain.E(domain.Unavailable, op, fmt.Sprintf("Interrumpido; %d estados de cuenta ya escritos están completos.", i), err)
			}
			return res, err
		}
		file := filepath.Join(dir, j.File)
		if err := os.WriteFile(file, st.PDF, 0o644); err != nil {
			return res, domain.E(domain.Unavailable, op,
				"No se pudo escribir el archivo "+file+": revise que la carpeta exista y que pueda escribir en ella.", err)
		}
		res.Files = append(res.Files, file)
		if opt.Written != nil {
			opt.Written(j, st, file)
		}
		if opt.Outbox == nil {
			continue
		}
		if len(st.Customer.Emails) == 0 {
			res.NoMail = append(res.NoMail, st.Customer.RFC+" "+st.Customer.Name)
			continue
		}
		id, rcpts, err := MailStatement(ctx, opt.Outbox, st, nil)
		if err != nil {
			return res, err
		}
		res.Queued = append(res.Queued, QueuedStatement{Delivery: id, CustomerRFC: st.Customer.RFC, To: rcpts})
	}
	if opt.Progress != nil {
		opt.Progress(len(jobs), len(jobs), StatementJob{})
	}
	return res, nil
}
