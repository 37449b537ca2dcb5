package tax_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/tax"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    string // "" = error
		wantMsg string // exact message, when it matters
	}{
		// Accepted.
		{in: "1,234.56", want: "1234.56"},
		{in: "1234.56", want: "1234.56"},
		{in: " $1,234.5 ", want: "1234.5"},
		{in: "$ 12", want: "12"},
		{in: "0", want: "0"},
		{in: ".5", want: "0.5"},
		{in: "5.", want: "5"},
		{in: "007", want: "7"},
		{in: "1,234,567.123456", want: "1234567.123456"},
		{in: "999", want: "999"},
		{in: "12,345", want: "12345"},
		// Refused.
		{in: "", wantMsg: "Escriba un importe."},
		{in: "   ", wantMsg: "Escriba un importe."},
		{in: "$", wantMsg: "Escriba un importe."},
		{in: ".", wantMsg: "Escriba un importe."},
		{in: "1.2345678", wantMsg: "El importe admite hasta 6 decimales."},
		{in: "1.2.3", wantMsg: "El importe tiene más de un punto decimal."},
		{in: "12a", wantMsg: "El importe sólo admite dígitos, comas de miles y un punto decimal."},
		{in: "abc"},
		{in: "1e5"},
		{in: "+5"},
		{in: "1 000"},
		{in: "١٢"},
		{in: "-5", wantMsg: "El importe no puede ser negativo."},
		{in: "$-5", wantMsg: "El importe no puede ser negativo."},
		{in: "1,23.4", wantMsg: "Las comas de miles del importe están mal colocadas (ejemplo: 1,234,567.89)."},
		{in: ",123"},
		{in: "1234,567"},
		{in: "1,2345"},
		{in: "1.234,56"},
		{in: "12$"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := tax.ParseAmount(tt.in)
			if tt.want != "" {
				if err != nil || !got.Equal(d(tt.want)) {
					t.Fatalf("ParseAmount(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseAmount(%q) = %s, want an error", tt.in, got)
			}
			if domain.KindOf(err) != domain.Invalid {
				t.Errorf("KindOf = %v, want invalid", domain.KindOf(err))
			}
			msg := domain.UserMessage(err)
			if tt.wantMsg != "" && msg != tt.wantMsg {
				t.Errorf("UserMessage = %q, want %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestFormatMXN(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"1234.56", "$1,234.56"},
		{"0", "$0.00"},
		{"0.005", "$0.01"},
		{"0.004", "$0.00"},
		{"999.999", "$1,000.00"},
		{"100", "$100.00"},
		{"1000", "$1,000.00"},
		{"1234567.891", "$1,234,567.89"},
		{"-0.5", "-$0.50"},
		{"-1234.5", "-$1,234.50"},
		{"-0.001", "$0.00"},
	}
	for _, tt := range tests {
		if got := tax.FormatMXN(d(tt.in)); got != tt.want {
			t.Errorf("FormatMXN(%s) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func ExampleFormatMXN() {
	fmt.Println(tax.FormatMXN(decimal.RequireFromString("3654")))
	fmt.Println(tax.FormatMXN(decimal.RequireFromString("1234567.891")))
	// Output:
	// $3,654.00
	// $1,234,567.89
}

func ExampleParseAmount() {
	for _, s := range []string{" $1,234.5 ", "1.2345678"} {
		d, err := tax.ParseAmount(s)
		if err != nil {
			fmt.Println(domain.UserMessage(err))
			continue
		}
		fmt.Println(tax.Format(d, 2))
	}
	// Output:
	// 1234.50
	// El importe admite hasta 6 decimales.
}

// FuzzParseAmount: never panics; what it accepts is a non-negative amount
// with at most 6 decimals, written back by Format and by FormatMXN it parses
// to the same value (FormatMXN rounds to 2 decimals).
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"1,234.56", "1234.56", " $1,234.5 ", ".5", "1.2.3", "-5", "1,23.4", "12a", "0.000001", "99999999999999999999.999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := tax.ParseAmount(s)
		if err != nil {
			if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) == "" {
				t.Fatalf("ParseAmount(%q) error %v is not an Invalid domain error", s, err)
			}
			return
		}
		if v.IsNegative() {
			t.Fatalf("ParseAmount(%q) = %s, negative", s, v)
		}
		if !v.Equal(v.Round(6)) {
			t.Fatalf("ParseAmount(%q) = %s, more than 6 decimals", s, v)
		}
		again, err := tax.ParseAmount(tax.Format(v, 6))
		if err != nil || !again.Equal(v) {
			t.Fatalf("ParseAmount(Format(%s)) = %s, %v", v, again, err)
		}
		shown := tax.FormatMXN(v)
		back, err := tax.ParseAmount(shown)
		if err != nil || !back.Equal(v.Round(2)) {
			t.Fatalf("ParseAmount(FormatMXN(%s) = %q) = %s, %v; want %s", v, shown, back, err, v.Round(2))
		}
	})
}
