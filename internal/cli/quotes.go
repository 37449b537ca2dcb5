package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/quotes"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/internal/wire"
)

const quoteUsage = "cotizacion lista [--estado abierta|enviada|aceptada|vencida|facturada] [--buscar TEXTO]\n" +
	"       folio cotizacion pdf NUMERO -o ARCHIVO.pdf\n" +
	"       folio cotizacion facturar NUMERO"

// quoteHelpUsage is the command's forms in one line, for the help table.
const quoteHelpUsage = "cotizacion lista|pdf NUMERO -o ARCHIVO.pdf|facturar NUMERO"

// runQuote lists the active company's quotes (the window's Cotizaciones
// list: status derived on today's date, newest first), writes one as PDF
// (wire.QuotePDF, as "Vista previa / PDF…") or turns an accepted one into
// an invoice draft (wire.FacturarQuote, as "Facturar"). Quotes are named by
// their number.
func runQuote(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{quoteUsage}
	}
	fs := flag.NewFlagSet("cotizacion", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	estado := fs.String("estado", "", "")
	buscar := fs.String("buscar", "", "")
	out := fs.String("o", "", "")
	sub := e.Args[0]
	if err := fs.Parse(e.Args[1:]); err != nil {
		return errUsage{quoteUsage}
	}
	args := fs.Args()
	// Flags may follow the number: parse what is left after it.
	if len(args) > 1 {
		if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
			return errUsage{quoteUsage}
		}
		args = args[:1]
	}
	var number int64
	switch sub {
	case "lista":
		if len(args) != 0 || *out != "" {
			return errUsage{quoteUsage}
		}
	case "pdf", "facturar":
		if len(args) != 1 || *estado != "" || *buscar != "" || (sub == "pdf") != (*out != "") {
			return errUsage{quoteUsage}
		}
		n, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || n < 1 {
			return errUsage{quoteUsage}
		}
		number = n
	default:
		return errUsage{quoteUsage}
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
	tot := &sales.Service{Invoices: s, Catalogs: cats}
	svc := &quotes.Service{Store: s, Clock: domain.SystemClock, Totals: tot}
	switch sub {
	case "lista":
		return listQuotes(ctx, e, s, tot, co.RFC, *estado, *buscar)
	case "pdf":
		q, err := quoteByNumber(ctx, s, co.RFC, number)
		if err != nil {
			return err
		}
		f, err := wire.QuotePDF(ctx, s, tot, q.ID)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*out, f.PDF, 0o600); err != nil {
			return domain.E(domain.Unavailable, "cotizacion pdf", fmt.Sprintf("No se pudo escribir %s; revise la carpeta y el espacio libre.", *out), err)
		}
		fmt.Fprintf(e.Stdout, "Cotización %d (%s, %s %s) en %s\n", q.Number, f.Quote.Doc.Customer.Name, tax.FormatMXN(f.Totals.Total), q.Doc.Moneda, *out)
		return nil
	default:
		q, err := quoteByNumber(ctx, s, co.RFC, number)
		if err != nil {
			return err
		}
		inv, err := wire.FacturarQuote(ctx, s, svc, q.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Cotización %d facturada: factura borrador %d en la serie %s (conceptos: %d); revísela y emítala en Facturas.\n",
			q.Number, inv.ID, inv.Serie, len(inv.Lines))
		return nil
	}
}

// quoteStatuses maps --estado to the list's statuses.
var quoteStatuses = map[string]quotes.Status{"abierta": quotes.Open, "enviada": quotes.Sent, "aceptada": quotes.Accepted,
	"vencida": quotes.Expired, "facturada": quotes.Invoiced}

// listQuotes prints every quote f selects, one per line: number, date,
// validity, status, customer and total.
func listQuotes(ctx context.Context, e *Env, s cliStore, tot wire.Totaler, rfc, estado, buscar string) error {
	now := time.Now()
	f := quotes.Filter{Issuer: rfc, Now: now, Search: buscar, Limit: 500}
	if estado != "" {
		st, ok := quoteStatuses[strings.ToLower(estado)]
		if !ok {
			return domain.E(domain.Invalid, "cotizacion lista", fmt.Sprintf("El estado %q no existe: use abierta, enviada, aceptada, vencida o facturada.", estado), nil)
		}
		f.Status = st
	}
	n := 0
	for {
		page, err := s.ListQuotes(ctx, f)
		if err != nil {
			return err
		}
		for _, q := range page {
			total := "—"
			if t, err := tot.Totals(&q.Doc); err == nil {
				total = tax.FormatMXN(t.Total) + " " + q.Doc.Moneda
			}
			day := func(t time.Time) string { return t.In(domain.MexicoCity).Format("2006-01-02") }
			fmt.Fprintf(e.Stdout, "%d\t%s\t%s\t%s\t%s %s\t%s\n", q.Number, day(q.Fecha), day(q.ValidUntil), q.StatusOn(now).Label(),
				q.Doc.Customer.RFC, q.Doc.Customer.Name, total)
			n++
		}
		if len(page) < f.Limit {
			break
		}
		f.After = page[len(page)-1].Cursor()
	}
	if n == 0 {
		fmt.Fprintln(e.Stdout, "No hay cotizaciones que mostrar.")
	}
	return nil
}

// quoteByNumber finds the company's quote number n.
func quoteByNumber(ctx context.Context, s cliStore, rfc string, n int64) (quotes.Quote, error) {
	page, err := s.ListQuotes(ctx, quotes.Filter{Issuer: rfc, Now: time.Now(), Search: strconv.FormatInt(n, 10), Limit: 500})
	if err != nil {
		return quotes.Quote{}, err
	}
	for _, q := range page {
		if q.Number == n {
			return q, nil
		}
	}
	return quotes.Quote{}, domain.E(domain.NotFound, "cotizacion", fmt.Sprintf("La cotización %d no existe en la empresa activa; vea «folio cotizacion lista».", n), nil)
}
