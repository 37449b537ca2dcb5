package sales

import (
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain/sat"
)

// realCatalogs loads SAT's embedded catalogs once per test binary.
func realCatalogs(t *testing.T) *sat.Catalogs {
	t.Helper()
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatalf("NewCatalogs: %v", err)
	}
	return cat
}

func TestDemoDataIsValid(t *testing.T) {
	cat := realCatalogs(t)
	var _ Catalogs = cat
	for _, c := range DemoCustomers() {
		c.Normalize()
		if err := c.Validate(cat); err != nil {
			t.Errorf("customer %s: %v", c.RFC, err)
		}
	}
	codes := map[string]bool{}
	for _, p := range DemoProducts() {
		p.Normalize()
		if err := p.Validate(cat); err != nil {
			t.Errorf("product %s: %v", p.Code, err)
		}
		if codes[p.Code] {
			t.Errorf("duplicate product code %s", p.Code)
		}
		codes[p.Code] = true
	}
}
