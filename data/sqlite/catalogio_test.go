package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// importProducts makes n valid products P00000… for an import.
func importProducts(n int) []sales.Product {
	base := sales.DemoProducts()[0]
	ps := make([]sales.Product, n)
	for i := range ps {
		ps[i] = base
		ps[i].ID = 0
		ps[i].Code = fmt.Sprintf("P%05d", i)
		ps[i].Description = fmt.Sprintf("Tornillo importado %d", i)
	}
	return ps
}

// TestImportProductsBatches: an import larger than one multi-row INSERT
// (a full batch and a partial one) stores every product with its own id,
// findable by the search index; a code taken in the second batch refuses
// the whole import, names the code and leaves the catalog as it was.
func TestImportProductsBatches(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		n     int
		taken int // index of a code created before the import, -1 none
	}{
		{"one row", 1, -1},
		{"exactly one batch", importBatch, -1},
		{"a batch and a part", importBatch + 37, -1},
		{"taken in the second batch", importBatch + 37, importBatch + 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := openSalesStore(t)
			ps := importProducts(tt.n)
			if tt.taken >= 0 {
				p := ps[tt.taken]
				if err := s.CreateProduct(ctx, &p); err != nil {
					t.Fatal(err)
				}
			}
			err := s.ImportProducts(ctx, ps)
			codes, _ := s.ProductCodes(ctx)
			if tt.taken >= 0 {
				wantKind(t, err, domain.Conflict, ps[tt.taken].Code)
				if len(codes) != 1 {
					t.Errorf("after a refused import the catalog has %d products, want 1", len(codes))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(codes) != tt.n {
				t.Fatalf("stored %d products, want %d", len(codes), tt.n)
			}
			for _, i := range []int{0, tt.n / 2, tt.n - 1} {
				got, err := s.FindProductByID(ctx, ps[i].ID)
				if err != nil || got.Code != ps[i].Code {
					t.Errorf("product %d: id %d holds %q (%v), want %q", i, ps[i].ID, got.Code, err, ps[i].Code)
				}
				found, err := s.FindProducts(ctx, sales.ProductFilter{Query: fmt.Sprintf("importado %d", i), Limit: 5})
				if err != nil || len(found) == 0 {
					t.Errorf("search for product %d found %d, %v", i, len(found), err)
				}
			}
		})
	}
}

// TestFindAll: a filter with All returns every match past the 1,000 a
// page may hold (the export of a list), with or without a search.
func TestFindAll(t *testing.T) {
	ctx := context.Background()
	s := openSalesStore(t)
	if err := s.ImportProducts(ctx, importProducts(1100)); err != nil {
		t.Fatal(err)
	}
	cs := make([]sales.Customer, 1100)
	for i := range cs {
		cs[i] = sales.DemoCustomers()[0]
		cs[i].RFC, cs[i].Name = fmt.Sprintf("AAA%09d", i), fmt.Sprintf("Cliente importado %d", i)
	}
	if err := s.ImportCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		query string
		limit int
		all   bool
		want  int
	}{
		{"", 0, false, 100},
		{"", 5000, false, 100},
		{"", 0, true, 1100},
		{"importado", 10, true, 1100},
		{"importado 1099", 0, true, 1},
	} {
		ps, err := s.FindProducts(ctx, sales.ProductFilter{Query: tt.query, Limit: tt.limit, All: tt.all})
		if err != nil || len(ps) != tt.want {
			t.Errorf("FindProducts(%q, limit %d, all %v) = %d, %v; want %d", tt.query, tt.limit, tt.all, len(ps), err, tt.want)
		}
		got, err := s.FindCustomers(ctx, sales.CustomerFilter{Query: tt.query, Limit: tt.limit, All: tt.all})
		if err != nil || len(got) != tt.want {
			t.Errorf("FindCustomers(%q, limit %d, all %v) = %d, %v; want %d", tt.query, tt.limit, tt.all, len(got), err, tt.want)
		}
	}
}
