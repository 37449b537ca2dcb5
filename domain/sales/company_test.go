package sales_test

import (
	"testing"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

func TestCompanyValidate(t *testing.T) {
	t.Parallel()
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		t.Fatal(err)
	}
	valid := func() *sales.Company {
		return &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "06300"}
	}
	tests := []struct {
		name   string
		change func(c *sales.Company)
		fields []string // fields with a problem; none = valid
	}{
		{"demo company", func(c *sales.Company) { *c = *sales.DemoCompany() }, nil},
		{"física", func(c *sales.Company) {}, nil},
		{"física in RESICO", func(c *sales.Company) { c.RegimenFiscal = "626" }, nil},
		{"bad RFC", func(c *sales.Company) { c.RFC = "CACX760510" }, []string{"RFC"}},
		{"generic RFC", func(c *sales.Company) { c.RFC = "XAXX010101000" }, []string{"RFC"}},
		{"empty name", func(c *sales.Company) { c.Nombre = "  " }, []string{"Nombre"}},
		{"pipe in name", func(c *sales.Company) { c.Nombre = "A|B" }, []string{"Nombre"}},
		{"unknown régimen", func(c *sales.Company) { c.RegimenFiscal = "600" }, []string{"RegimenFiscal"}},
		{"moral régimen for física", func(c *sales.Company) { c.RegimenFiscal = "601" }, []string{"RegimenFiscal"}},
		{"física régimen for moral", func(c *sales.Company) { *c = *sales.DemoCompany(); c.RegimenFiscal = "612" }, []string{"RegimenFiscal"}},
		{"unknown CP", func(c *sales.Company) { c.LugarExpedicion = "00000" }, []string{"LugarExpedicion"}},
		{"everything wrong", func(c *sales.Company) { *c = sales.Company{} }, []string{"RFC", "Nombre", "RegimenFiscal", "LugarExpedicion"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(c)
			err := c.Validate(cats)
			got := sales.FieldErrors(err)
			if len(got) != len(tt.fields) {
				t.Fatalf("Validate() fields = %v, want %v (err %v)", got, tt.fields, err)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no problem reported for %s (got %v)", f, got)
				}
			}
			if err != nil && domain.KindOf(err) != domain.Invalid {
				t.Errorf("KindOf = %v, want invalid", domain.KindOf(err))
			}
		})
	}
}

func TestDemoCompany(t *testing.T) {
	t.Parallel()
	d := sales.DemoCompany()
	if d.RFC != "EKU9003173C9" || d.Nombre != "ESCUELA KEMPER URGATE" || d.RegimenFiscal != "601" || d.LugarExpedicion != "42501" || !d.Demo {
		t.Errorf("DemoCompany() = %+v", d)
	}
	d.Nombre = "changed"
	if sales.DemoCompany().Nombre != "ESCUELA KEMPER URGATE" {
		t.Error("DemoCompany returns shared state")
	}
}

func TestCompanyNormalize(t *testing.T) {
	t.Parallel()
	c := sales.Company{RFC: " eku9003173c9 ", Nombre: " ESCUELA ", RegimenFiscal: " 601", LugarExpedicion: "42501 "}
	c.Normalize()
	if c.RFC != "EKU9003173C9" || c.Nombre != "ESCUELA" || c.RegimenFiscal != "601" || c.LugarExpedicion != "42501" {
		t.Errorf("Normalize() = %+v", c)
	}
}
