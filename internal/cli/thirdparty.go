package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/tax"
	"github.com/folio-mx/folio/domain/thirdparty"
	"github.com/folio-mx/folio/internal/wire"
	"github.com/shopspring/decimal"
)

const (
	balancesUsage    = "saldos-terceros [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD] [--rfc RFC] [--detalle] [-o ARCHIVO.pdf|.csv]"
	payoutUsage      = "liquidar --tercero RFC --monto IMPORTE [--moneda MXN] [--tipo-cambio TC] [--fecha AAAA-MM-DD] [--cuenta ID] [--referencia TEXTO]\n       folio liquidar --cancelar ID"
	salesBookUsage   = "libro-ventas --mes AAAA-MM [-o ARCHIVO.pdf|.csv]"
	commissionsUsage = "comisiones [--desde AAAA-MM-DD] [--hasta AAAA-MM-DD] [-o ARCHIVO.pdf|.csv]"
)

// The third-party commands register themselves here, beside their code.
func init() {
	commands["saldos-terceros"] = command{usage: balancesUsage, help: "muestra lo facturado, cobrado, liquidado y adeudado a cada tercero (y lo escribe en PDF o CSV)", run: runBalances}
	commands["liquidar"] = command{usage: "liquidar --tercero RFC --monto IMPORTE … | --cancelar ID", help: "registra (o cancela) una liquidación a un tercero y su retiro de la cuenta", run: runPayout}
	commands["libro-ventas"] = command{usage: salesBookUsage, help: "muestra el libro de ventas de un mes (y lo escribe en PDF o CSV)", run: runSalesBook}
	commands["comisiones"] = command{usage: commissionsUsage, help: "muestra las comisiones de los vendedores de un periodo (y las escribe en PDF o CSV)", run: runCommissions}
}

func thirdPartyService(s cliStore) (*thirdparty.Service, error) {
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return nil, err
	}
	return wire.ThirdPartyService(s, cats), nil
}

// reportFormat is the format the name of file asks for.
func reportFormat(file string) (wire.ReportFormat, error) {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".pdf":
		return wire.PDF, nil
	case ".csv":
		return wire.CSV, nil
	}
	return "", domain.E(domain.Invalid, "report", fmt.Sprintf("El archivo %s debe terminar en .pdf o .csv.", file), nil)
}

func writeReport(file string, data []byte) error {
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return domain.E(domain.Unavailable, "report", "No se pudo escribir el archivo "+file+": revise que la carpeta exista y que pueda escribir en ella.", err)
	}
	return nil
}

// periodFlags turns --desde/--hasta (days in Mexico City, both included)
// into [from, to); empty bounds stay open.
func periodFlags(desde, hasta string) (time.Time, time.Time, error) {
	from, err := accountDay("--desde", desde)
	if err != nil {
		return from, from, err
	}
	to, err := accountDay("--hasta", hasta)
	if err != nil {
		return from, to, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		return from, to, domain.E(domain.Invalid, "periodo", "El periodo empieza después de su último día: corrija --desde o --hasta.", nil)
	}
	return from, to, nil
}

// findThirdParty finds the active company's third party by RFC.
func findThirdParty(ctx context.Context, s cliStore, issuer, rfc string) (sales.ThirdParty, error) {
	rfc = strings.ToUpper(strings.TrimSpace(rfc))
	list, err := s.FindThirdParties(ctx, sales.ThirdPartyFilter{Issuer: issuer, Query: rfc, IncludeInactive: true, Limit: 100})
	if err != nil {
		return sales.ThirdParty{}, err
	}
	for _, tp := range list {
		if tp.RFC == rfc {
			return tp, nil
		}
	}
	return sales.ThirdParty{}, domain.E(domain.NotFound, "tercero", fmt.Sprintf("No hay ningún tercero con el RFC %s en %s. Revise el RFC o dé de alta al tercero en el catálogo.", rfc, issuer), nil)
}

func runBalances(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("saldos-terceros", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	desde, hasta := fs.String("desde", "", ""), fs.String("hasta", "", "")
	rfc, out := fs.String("rfc", "", ""), fs.String("o", "", "")
	detail := fs.Bool("detalle", false, "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 {
		return errUsage{balancesUsage}
	}
	from, to, err := periodFlags(*desde, *hasta)
	if err != nil {
		return err
	}
	var format wire.ReportFormat
	if *out != "" {
		if format, err = reportFormat(*out); err != nil {
			return err
		}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := thirdPartyService(s)
	if err != nil {
		return err
	}
	var id int64
	if *rfc != "" {
		tp, err := findThirdParty(ctx, s, co.RFC, *rfc)
		if err != nil {
			return err
		}
		id = tp.ID
	}
	rep, err := svc.Balances(ctx, co.RFC, from, to, id)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "RFC\tTercero\tMoneda\tDocs.\tFacturado\tCobrado\tLiquidado\tPor liquidar\tSaldo\t")
	for _, b := range rep.Balances {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t\n", b.RFC, b.Name, b.Moneda, b.Documents, tax.FormatMXN(b.Billed),
			tax.FormatMXN(b.Collected), tax.FormatMXN(b.PaidOut), tax.FormatMXN(b.PendingPayout), tax.FormatMXN(b.Owed))
	}
	if *detail || id != 0 {
		fmt.Fprintln(w, "\t\t\t\t\t\t\t\t\t")
		fmt.Fprintln(w, "Fecha\tDocumento\tCliente\tMoneda\tTerceros\tNotas\tFacturado\tCobrado\tEstado\t")
		for _, d := range rep.Docs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", d.Fecha.In(domain.MexicoCity).Format("2006-01-02"), d.Number(),
				d.CustomerName, d.Moneda, tax.FormatMXN(d.Amount), tax.FormatMXN(d.Credited), tax.FormatMXN(d.Billed),
				tax.FormatMXN(d.Collected), d.State)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if *out == "" {
		return nil
	}
	data, err := wire.ThirdPartyReports{Store: s, Company: co}.Balances(ctx, format, &rep, *detail || id != 0)
	if err != nil {
		return err
	}
	if err := writeReport(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Saldos con terceros → %s\n", *out)
	return nil
}

func runPayout(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("liquidar", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	rfc, monto, moneda := fs.String("tercero", "", ""), fs.String("monto", "", ""), fs.String("moneda", "MXN", "")
	tc, fecha, ref := fs.String("tipo-cambio", "", ""), fs.String("fecha", "", ""), fs.String("referencia", "", "")
	account, cancel := fs.Int64("cuenta", 0, ""), fs.Int64("cancelar", 0, "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || (*cancel == 0) == (*rfc == "" || *monto == "") {
		return errUsage{payoutUsage}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := thirdPartyService(s)
	if err != nil {
		return err
	}
	if *cancel != 0 {
		if err := svc.CancelPayout(ctx, co.RFC, *cancel); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "Liquidación %d cancelada; su retiro de la cuenta quedó revertido.\n", *cancel)
		return nil
	}
	const op = "liquidar"
	amount, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSpace(*monto), ",", ""))
	if err != nil {
		return domain.E(domain.Invalid, op, fmt.Sprintf("El monto %q no es un importe: escríbalo como 1234.56.", *monto), err)
	}
	var rate decimal.Decimal
	if *tc != "" {
		if rate, err = decimal.NewFromString(strings.TrimSpace(*tc)); err != nil {
			return domain.E(domain.Invalid, op, fmt.Sprintf("El tipo de cambio %q no es un número.", *tc), err)
		}
	}
	at := time.Now()
	if *fecha != "" {
		d, err := accountDay("--fecha", *fecha)
		if err != nil {
			return err
		}
		at = d.Add(12 * time.Hour) // noon: the day in Mexico City whatever the reader's zone
	}
	tp, err := findThirdParty(ctx, s, co.RFC, *rfc)
	if err != nil {
		return err
	}
	res, err := svc.RecordPayout(ctx, thirdparty.Payout{Issuer: co.RFC, ThirdPartyID: tp.ID, Fecha: at, Moneda: *moneda,
		Amount: amount, TipoCambio: rate, AccountID: *account, Reference: *ref})
	if err != nil {
		return err
	}
	p := res.Payout
	fmt.Fprintf(e.Stdout, "Liquidación %d: %s %s a %s %s el %s.\n", p.ID, tax.FormatMXN(p.Amount), p.Moneda, tp.RFC, tp.Name,
		p.Fecha.In(domain.MexicoCity).Format("2006-01-02"))
	owed := res.Before.Owed.Sub(p.Amount)
	fmt.Fprintf(e.Stdout, "Saldo con %s: %s %s.\n", tp.RFC, tax.FormatMXN(owed), p.Moneda)
	if res.Ahead {
		fmt.Fprintf(e.Stderr, "Aviso: se pagaron %s %s que aún no se cobran a los clientes (anticipo al tercero).\n",
			tax.FormatMXN(res.Advance), p.Moneda)
	}
	return nil
}

func runSalesBook(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("libro-ventas", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	mes, out := fs.String("mes", "", ""), fs.String("o", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 || *mes == "" {
		return errUsage{salesBookUsage}
	}
	month, err := time.ParseInLocation("2006-01", strings.TrimSpace(*mes), domain.MexicoCity)
	if err != nil {
		return domain.E(domain.Invalid, "libro de ventas", fmt.Sprintf("El mes se escribe AAAA-MM (p. ej. 2026-11); se recibió %q.", *mes), err)
	}
	var format wire.ReportFormat
	if *out != "" {
		if format, err = reportFormat(*out); err != nil {
			return err
		}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := thirdPartyService(s)
	if err != nil {
		return err
	}
	book, err := svc.SalesBook(ctx, co.RFC, month)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Documento\tFecha\tRFC\tCliente\tPropio\tTerceros\tIVA\tIEPS\tRetenciones\tTotal\tEstado\t")
	for _, r := range book.Rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.Number(), r.Fecha.In(domain.MexicoCity).Format("2006-01-02"),
			r.CustomerRFC, r.CustomerName, tax.FormatMXN(r.Own), tax.FormatMXN(r.ThirdParty), tax.FormatMXN(r.IVA),
			tax.FormatMXN(r.IEPS), tax.FormatMXN(r.Retenciones), tax.FormatMXN(r.Total), r.Status)
	}
	t := book.Totals
	fmt.Fprintf(w, "\t\t\tTotal vigentes (MXN)\t%s\t%s\t%s\t%s\t%s\t%s\t\t\n", tax.FormatMXN(t.Own), tax.FormatMXN(t.ThirdParty),
		tax.FormatMXN(t.IVA), tax.FormatMXN(t.IEPS), tax.FormatMXN(t.Retenciones), tax.FormatMXN(t.Total))
	if err := w.Flush(); err != nil {
		return err
	}
	if *out == "" {
		return nil
	}
	data, err := wire.ThirdPartyReports{Store: s, Company: co}.SalesBook(ctx, format, &book)
	if err != nil {
		return err
	}
	if err := writeReport(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Libro de ventas de %s → %s\n", *mes, *out)
	return nil
}

func runCommissions(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("comisiones", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	desde, hasta, out := fs.String("desde", "", ""), fs.String("hasta", "", ""), fs.String("o", "", "")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 0 {
		return errUsage{commissionsUsage}
	}
	from, to, err := periodFlags(*desde, *hasta)
	if err != nil {
		return err
	}
	if from.IsZero() {
		from, _ = thirdparty.MonthRange(time.Now())
	}
	if to.IsZero() { // through today
		y, m, d := time.Now().In(domain.MexicoCity).Date()
		to = time.Date(y, m, d+1, 0, 0, 0, 0, domain.MexicoCity)
	}
	var format wire.ReportFormat
	if *out != "" {
		if format, err = reportFormat(*out); err != nil {
			return err
		}
	}
	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := thirdPartyService(s)
	if err != nil {
		return err
	}
	c, err := svc.Commissions(ctx, co.RFC, from, to)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "Vendedor\tDocs.\tBase MXN\tComisión MXN\t")
	for _, r := range c.Sellers {
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\n", r.Seller, r.Documents, tax.FormatMXN(r.BaseMXN), tax.FormatMXN(r.Amount))
	}
	fmt.Fprintf(w, "Total\t\t\t%s\t\n", tax.FormatMXN(c.Total))
	if err := w.Flush(); err != nil {
		return err
	}
	if *out == "" {
		return nil
	}
	data, err := wire.ThirdPartyReports{Store: s, Company: co}.Commissions(ctx, format, &c)
	if err != nil {
		return err
	}
	if err := writeReport(*out, data); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Comisiones → %s\n", *out)
	return nil
}
