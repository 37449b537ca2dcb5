package wire

import (
	"bytes"
	"context"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/print"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/domain/thirdparty"
)

// ThirdPartyService is the third-party balances' use cases over store,
// with c_Moneda's decimals from cats (nil: two).
func ThirdPartyService(store thirdparty.Store, cats *sat.Catalogs) *thirdparty.Service {
	svc := &thirdparty.Service{Store: store}
	if cats != nil {
		svc.Decimals = cats.MonedaDecimals
	}
	return svc
}

// ReportFormat is the file a report is written as.
type ReportFormat string

// The formats of the company reports.
const (
	PDF ReportFormat = "pdf"
	CSV ReportFormat = "csv"
)

// ThirdPartyReports writes the company reports of domain/thirdparty as
// PDF (with the company's print options) or CSV (UTF-8 with BOM, for
// Excel).
type ThirdPartyReports struct {
	Store   PrintStore // the company's logo (*sqlite.Store and *postgres.Store)
	Company *sales.Company
}

func (r ThirdPartyReports) who() print.Report {
	return print.Report{IssuerName: r.Company.Nombre, IssuerRFC: r.Company.RFC}
}

func (r ThirdPartyReports) write(ctx context.Context, f ReportFormat, pdf func(print.Options) ([]byte, error), csv func(*bytes.Buffer) error) ([]byte, error) {
	switch f {
	case PDF:
		return pdf(PrintOptions(ctx, r.Store, r.Company.RFC))
	case CSV:
		var b bytes.Buffer
		err := csv(&b)
		return b.Bytes(), err
	}
	return nil, domain.E(domain.Invalid, "report", "El archivo debe terminar en .pdf o .csv.", nil)
}

// Balances writes rep (with each third party's documents when docs).
func (r ThirdPartyReports) Balances(ctx context.Context, f ReportFormat, rep *thirdparty.Report, docs bool) ([]byte, error) {
	return r.write(ctx, f, func(o print.Options) ([]byte, error) { return print.RenderThirdPartyBalances(r.who(), rep, docs, o) },
		func(b *bytes.Buffer) error { return thirdparty.WriteBalancesCSV(b, rep, docs) })
}

// SalesBook writes the month's sales book.
func (r ThirdPartyReports) SalesBook(ctx context.Context, f ReportFormat, book *thirdparty.Book) ([]byte, error) {
	return r.write(ctx, f, func(o print.Options) ([]byte, error) { return print.RenderSalesBook(r.who(), book, o) },
		func(b *bytes.Buffer) error { return thirdparty.WriteBookCSV(b, book) })
}

// Commissions writes the sellers' commissions.
func (r ThirdPartyReports) Commissions(ctx context.Context, f ReportFormat, c *thirdparty.Commissions) ([]byte, error) {
	return r.write(ctx, f, func(o print.Options) ([]byte, error) { return print.RenderCommissions(r.who(), c, o) },
		func(b *bytes.Buffer) error { return thirdparty.WriteCommissionsCSV(b, c) })
}
