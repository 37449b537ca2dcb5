package print

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
)

func TestAmountInWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, amount, moneda, want string
	}{
		// small numbers and apocope before the noun
		{"zero", "0", "MXN", "CERO PESOS 00/100 M.N."},
		{"one", "1", "MXN", "UN PESO 00/100 M.N."},
		{"one cent", "0.01", "MXN", "CERO PESOS 01/100 M.N."},
		{"fifteen", "15.50", "MXN", "QUINCE PESOS 50/100 M.N."},
		{"sixteen", "16", "MXN", "DIECISÉIS PESOS 00/100 M.N."},
		{"twenty one", "21", "MXN", "VEINTIÚN PESOS 00/100 M.N."},
		{"twenty two", "22", "MXN", "VEINTIDÓS PESOS 00/100 M.N."},
		{"thirty one", "31", "MXN", "TREINTA Y UN PESOS 00/100 M.N."},
		{"ninety nine", "99.99", "MXN", "NOVENTA Y NUEVE PESOS 99/100 M.N."},
		// hundreds
		{"hundred", "100", "MXN", "CIEN PESOS 00/100 M.N."},
		{"hundred one", "101", "MXN", "CIENTO UN PESOS 00/100 M.N."},
		{"five hundred", "500", "MXN", "QUINIENTOS PESOS 00/100 M.N."},
		{"seven hundred seventy seven", "777", "MXN", "SETECIENTOS SETENTA Y SIETE PESOS 00/100 M.N."},
		// thousands
		{"thousand", "1000", "MXN", "MIL PESOS 00/100 M.N."},
		{"issue example", "1234.56", "MXN", "MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N."},
		{"twenty one thousand", "21000", "MXN", "VEINTIÚN MIL PESOS 00/100 M.N."},
		{"hundred one thousand one", "101001", "MXN", "CIENTO UN MIL UN PESOS 00/100 M.N."},
		{"below a million", "999999.99", "MXN", "NOVECIENTOS NOVENTA Y NUEVE MIL NOVECIENTOS NOVENTA Y NUEVE PESOS 99/100 M.N."},
		// millions take DE when exact
		{"million", "1000000", "MXN", "UN MILLÓN DE PESOS 00/100 M.N."},
		{"million one", "1000001", "MXN", "UN MILLÓN UN PESOS 00/100 M.N."},
		{"two million one", "2000001.99", "MXN", "DOS MILLONES UN PESOS 99/100 M.N."},
		{"twenty one million", "21000000", "MXN", "VEINTIÚN MILLONES DE PESOS 00/100 M.N."},
		{"thousand million", "1000000000", "MXN", "MIL MILLONES DE PESOS 00/100 M.N."},
		{"mixed millions", "1234567.89", "MXN", "UN MILLÓN DOSCIENTOS TREINTA Y CUATRO MIL QUINIENTOS SESENTA Y SIETE PESOS 89/100 M.N."},
		// large values
		{"billion", "1000000000000", "MXN", "UN BILLÓN DE PESOS 00/100 M.N."},
		{"billions and millions", "2000003000000.10", "MXN", "DOS BILLONES TRES MILLONES DE PESOS 10/100 M.N."},
		{"trillion and one", "1000000000000000001", "MXN", "UN TRILLÓN UN PESOS 00/100 M.N."},
		{"beyond words", "1000000000000000000000000", "MXN", "1000000000000000000000000 PESOS 00/100 M.N."},
		// rounding and sign
		{"six decimals", "10.125000", "MXN", "DIEZ PESOS 13/100 M.N."},
		{"rounds up to next unit", "0.999", "MXN", "UN PESO 00/100 M.N."},
		{"negative", "-5.10", "MXN", "CINCO PESOS 10/100 M.N."},
		{"empty moneda is MXN", "2", "", "DOS PESOS 00/100 M.N."},
		// other currencies
		{"usd", "1234.56", "USD", "MIL DOSCIENTOS TREINTA Y CUATRO DÓLARES 56/100 USD"},
		{"usd one", "1", "USD", "UN DÓLAR 00/100 USD"},
		{"usd million", "1000000", "USD", "UN MILLÓN DE DÓLARES 00/100 USD"},
		{"eur", "56.56", "EUR", "CINCUENTA Y SEIS EUROS 56/100 EUR"},
		{"cad", "2", "CAD", "DOS DÓLARES CANADIENSES 00/100 CAD"},
		{"unknown code", "1000", "BRL", "MIL 00/100 BRL"},
		{"pago XXX", "0", "XXX", "CERO 00/100 XXX"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := AmountInWords(decimal.RequireFromString(tt.amount), tt.moneda)
			if got != tt.want {
				t.Errorf("AmountInWords(%s, %q) = %q, want %q", tt.amount, tt.moneda, got, tt.want)
			}
		})
	}
}

func ExampleAmountInWords() {
	fmt.Println(AmountInWords(decimal.RequireFromString("1234.56"), "MXN"))
	fmt.Println(AmountInWords(decimal.RequireFromString("56.56"), "USD"))
	// Output:
	// MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N.
	// CINCUENTA Y SEIS DÓLARES 56/100 USD
}
