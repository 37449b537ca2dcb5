package catalogio

import (
	"context"
	"strings"

	"github.com/folio-mx/folio/domain/sales"
)

// Store is what imports and exports read and write (*sqlite.Store).
type Store interface {
	// ProductCodes returns the catalog's product codes, upper-cased.
	ProductCodes(ctx context.Context) (map[string]bool, error)
	// CustomerRFCs returns the catalog's customer RFCs.
	CustomerRFCs(ctx context.Context) (map[string]bool, error)
	// ImportProducts and ImportCustomers store records in one
	// transaction: all or none.
	ImportProducts(ctx context.Context, ps []sales.Product) error
	ImportCustomers(ctx context.Context, cs []sales.Customer) error
	// AllProducts and AllCustomers return whole catalogs, inactive too.
	AllProducts(ctx context.Context) ([]sales.Product, error)
	AllCustomers(ctx context.Context) ([]sales.Customer, error)
}

// Service plans, imports and exports the catalogs.
type Service struct {
	Store    Store
	Catalogs sales.Catalogs
}

// PlanProducts is PlanProducts against the catalog as stored now.
func (s *Service) PlanProducts(ctx context.Context, t Table, m Mapping) ([]sales.Product, Report, error) {
	codes, err := s.Store.ProductCodes(ctx)
	if err != nil {
		return nil, Report{}, err
	}
	return PlanProducts(t, m, s.Catalogs, func(code string) bool { return codes[code] })
}

// PlanCustomers is PlanCustomers against the catalog as stored now.
func (s *Service) PlanCustomers(ctx context.Context, t Table, m Mapping) ([]sales.Customer, Report, error) {
	rfcs, err := s.Store.CustomerRFCs(ctx)
	if err != nil {
		return nil, Report{}, err
	}
	return PlanCustomers(t, m, s.Catalogs, func(rfc string) bool { return rfcs[strings.ToUpper(rfc)] })
}

// ImportProducts stores the planned products, all or none.
func (s *Service) ImportProducts(ctx context.Context, ps []sales.Product) error {
	return s.Store.ImportProducts(ctx, ps)
}

// ImportCustomers stores the planned customers, all or none.
func (s *Service) ImportCustomers(ctx context.Context, cs []sales.Customer) error {
	return s.Store.ImportCustomers(ctx, cs)
}

// ExportProducts is the products catalog as a table that imports back.
func (s *Service) ExportProducts(ctx context.Context) (Table, error) {
	ps, err := s.Store.AllProducts(ctx)
	if err != nil {
		return Table{}, err
	}
	return ProductsTable(ps), nil
}

// ExportCustomers is the customers catalog as a table that imports back.
func (s *Service) ExportCustomers(ctx context.Context) (Table, error) {
	cs, err := s.Store.AllCustomers(ctx)
	if err != nil {
		return Table{}, err
	}
	return CustomersTable(cs), nil
}

// Titles returns the Spanish titles of fields' columns, for a printed list.
func Titles(fields []Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Title
	}
	return out
}
