package sales

import (
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

func validMoral() Customer {
	return Customer{RFC: "EKU9003173C9", Name: "ESCUELA KEMPER URGATE", RegimenFiscal: "601", CodigoPostal: "42501",
		UsoCFDI: "G03", FormaPago: "03", Emails: []string{"compras@example.com"}, Active: true}
}

func TestCustomerValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(c *Customer)
		fields []string // fields expected to be reported; nil = valid
	}{
		// Ordinary customers.
		{"moral ok", func(c *Customer) {}, nil},
		{"fisica ok", func(c *Customer) {
			*c = Customer{RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "06300", UsoCFDI: "G01", Active: true}
		}, nil},
		{"bad rfc", func(c *Customer) { c.RFC = "EKU900317" }, []string{"RFC"}},
		{"empty name", func(c *Customer) { c.Name = "" }, []string{"Name"}},
		{"regimen of fisica for moral", func(c *Customer) { c.RegimenFiscal = "612" }, []string{"RegimenFiscal"}},
		{"unknown regimen", func(c *Customer) { c.RegimenFiscal = "999" }, []string{"RegimenFiscal", "UsoCFDI"}},
		{"unknown cp", func(c *Customer) { c.CodigoPostal = "00000" }, []string{"CodigoPostal"}},
		{"uso not allowed for regimen", func(c *Customer) { c.UsoCFDI = "D01" }, []string{"UsoCFDI"}},
		{"bad forma", func(c *Customer) { c.FormaPago = "77" }, []string{"FormaPago"}},
		{"bad metodo", func(c *Customer) { c.MetodoPago = "PPX" }, []string{"MetodoPago"}},
		{"ppd without credit", func(c *Customer) { c.MetodoPago = "PPD" }, []string{"MetodoPago"}},
		{"ppd with credit", func(c *Customer) { c.MetodoPago = "PPD"; c.CreditDays = 30 }, nil},
		{"bad email", func(c *Customer) { c.Emails = []string{"no es correo"} }, []string{"Emails"}},
		{"negative credit limit", func(c *Customer) { c.CreditLimit = decimal.RequireFromString("-1") }, []string{"CreditLimit"}},
		{"credit limit 3 decimals", func(c *Customer) { c.CreditLimit = decimal.RequireFromString("1.005") }, []string{"CreditLimit"}},
		{"ret iva two thirds", func(c *Customer) { c.RetencionIVA = decimal.RequireFromString("0.106667") }, nil},
		{"ret iva too high", func(c *Customer) { c.RetencionIVA = decimal.RequireFromString("0.2") }, []string{"RetencionIVA"}},
		{"ret isr 7 decimals", func(c *Customer) { c.RetencionISR = decimal.RequireFromString("0.1000001") }, []string{"RetencionISR"}},
		{"national with foreign id", func(c *Customer) { c.NumRegIdTrib = "123" }, []string{"Pais"}},
		// Público en general.
		{"publico general ok", func(c *Customer) { *c = PublicoGeneral() }, nil},
		{"publico general other name", func(c *Customer) { *c = PublicoGeneral(); c.Name = "JUAN PEREZ" }, []string{"Name"}},
		{"publico general regimen", func(c *Customer) { *c = PublicoGeneral(); c.RegimenFiscal = "612" }, []string{"RegimenFiscal"}},
		{"publico general uso", func(c *Customer) { *c = PublicoGeneral(); c.UsoCFDI = "CP01" }, []string{"UsoCFDI"}},
		{"publico general credit", func(c *Customer) { *c = PublicoGeneral(); c.CreditDays = 15 }, []string{"CreditDays"}},
		// Foreign customers.
		{"foreign ok", func(c *Customer) {
			*c = Customer{RFC: RFCExtranjero, Name: "ACME INC", RegimenFiscal: "616", UsoCFDI: "S01", Pais: "USA", NumRegIdTrib: "123456789", Active: true}
		}, nil},
		{"foreign without country", func(c *Customer) {
			*c = Customer{RFC: RFCExtranjero, Name: "ACME INC", RegimenFiscal: "616", UsoCFDI: "S01", NumRegIdTrib: "1", Active: true}
		}, []string{"Pais"}},
		{"foreign mex", func(c *Customer) {
			*c = Customer{RFC: RFCExtranjero, Name: "ACME INC", RegimenFiscal: "616", UsoCFDI: "S01", Pais: "MEX", NumRegIdTrib: "1", Active: true}
		}, []string{"Pais"}},
		{"foreign without tax id", func(c *Customer) {
			*c = Customer{RFC: RFCExtranjero, Name: "ACME INC", RegimenFiscal: "616", UsoCFDI: "S01", Pais: "USA", Active: true}
		}, []string{"NumRegIdTrib"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validMoral()
			tt.edit(&c)
			c.Normalize()
			err := c.Validate(fakeCatalogs{})
			checkFields(t, err, tt.fields)
		})
	}
}

// checkFields asserts that err is nil when want is nil, or an Invalid error
// reporting exactly the fields in want.
func checkFields(t *testing.T, err error, want []string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("Validate() = %v, want nil", err)
		}
		return
	}
	if got := domain.KindOf(err); got != domain.Invalid {
		t.Fatalf("KindOf(err) = %v, want invalid (err %v)", got, err)
	}
	got := FieldErrors(err)
	for _, f := range want {
		if got[f] == "" {
			t.Errorf("field %s not reported; got %v", f, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("reported fields = %v, want %v", got, want)
	}
	if domain.UserMessage(err) == "" {
		t.Error("UserMessage is empty")
	}
}

func TestCustomerNormalize(t *testing.T) {
	t.Parallel()
	c := Customer{RFC: " eku9003173c9 ", Name: "  ESCUELA   KEMPER URGATE ", Emails: []string{" a@b.mx ", "", " "}}
	c.Normalize()
	if c.RFC != "EKU9003173C9" || c.Name != "ESCUELA KEMPER URGATE" || len(c.Emails) != 1 || c.Emails[0] != "a@b.mx" {
		t.Errorf("Normalize() = %+v", c)
	}
}
