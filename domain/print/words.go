package print

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// currencyWords names a currency in an amount in words: the noun in singular
// and plural, and the suffix written after the cents.
type currencyWords struct {
	singular, plural, suffix string
}

// currencies holds the currencies Folio names in words; any other code is
// written after the cents without a noun (e.g. "MIL 00/100 BRL").
var currencies = map[string]currencyWords{
	"MXN": {"PESO", "PESOS", "M.N."},
	"USD": {"DÓLAR", "DÓLARES", "USD"},
	"EUR": {"EURO", "EUROS", "EUR"},
	"CAD": {"DÓLAR CANADIENSE", "DÓLARES CANADIENSES", "CAD"},
	"GBP": {"LIBRA ESTERLINA", "LIBRAS ESTERLINAS", "GBP"},
	"JPY": {"YEN", "YENES", "JPY"},
	"CHF": {"FRANCO SUIZO", "FRANCOS SUIZOS", "CHF"},
	"CNY": {"YUAN", "YUANES", "CNY"},
}

// AmountInWords writes amount in Spanish capitals the way Mexican invoices
// do: the integer part in words, the currency noun, the cents as NN/100 and
// the currency suffix — "MIL DOSCIENTOS TREINTA Y CUATRO PESOS 56/100 M.N.",
// "UN MILLÓN DE DÓLARES 00/100 USD". The amount is rounded half away from
// zero to cents and its sign is ignored. Currencies without a Spanish noun in
// the table above get their code as suffix; "" is taken as MXN. Integer parts
// of 10^24 or more are written in digits.
func AmountInWords(amount decimal.Decimal, moneda string) string {
	if moneda == "" {
		moneda = "MXN"
	}
	cur, known := currencies[moneda]
	if !known {
		cur = currencyWords{suffix: moneda}
	}
	a := amount.Abs().Round(2)
	intPart := a.Truncate(0)
	cents := a.Sub(intPart).Shift(2).IntPart()

	var words string
	exactMillions := false
	if intPart.Cmp(decimal.New(1, 24)) >= 0 {
		words = intPart.String()
	} else {
		words, exactMillions = integerWords(intPart)
	}

	var b strings.Builder
	b.WriteString(words)
	if cur.plural != "" {
		if exactMillions {
			b.WriteString(" DE")
		}
		b.WriteByte(' ')
		if intPart.Equal(decimal.NewFromInt(1)) {
			b.WriteString(cur.singular)
		} else {
			b.WriteString(cur.plural)
		}
	}
	fmt.Fprintf(&b, " %02d/100 %s", cents, cur.suffix)
	return b.String()
}

// millionNames are the Spanish long-scale names of 10^6, 10^12 and 10^18.
var millionNames = [...][2]string{{"MILLÓN", "MILLONES"}, {"BILLÓN", "BILLONES"}, {"TRILLÓN", "TRILLONES"}}

// integerWords writes n (0 <= n < 10^24, no fraction) in words with the
// apocope used before a noun ("UN", "VEINTIÚN"). exactMillions reports that
// the number ends in a million-name ("UN MILLÓN"), which takes "DE" before the
// currency noun.
func integerWords(n decimal.Decimal) (words string, exactMillions bool) {
	if n.IsZero() {
		return "CERO", false
	}
	million := decimal.NewFromInt(1_000_000)
	var groups []int64 // groups of six digits, least significant first
	for !n.IsZero() {
		groups = append(groups, n.Mod(million).IntPart())
		n = n.Div(million).Truncate(0)
	}
	var parts []string
	for i := len(groups) - 1; i >= 0; i-- {
		g := groups[i]
		if g == 0 {
			continue
		}
		switch {
		case i == 0:
			parts = append(parts, belowMillion(g))
		case g == 1:
			parts = append(parts, "UN "+millionNames[i-1][0])
		default:
			parts = append(parts, belowMillion(g)+" "+millionNames[i-1][1])
		}
	}
	return strings.Join(parts, " "), groups[0] == 0
}

// belowMillion writes 1 <= n < 10^6 with apocope ("VEINTIÚN MIL", "CIENTO UN").
func belowMillion(n int64) string {
	thousands, rest := n/1000, n%1000
	var parts []string
	switch {
	case thousands == 1:
		parts = append(parts, "MIL")
	case thousands > 1:
		parts = append(parts, belowThousand(thousands)+" MIL")
	}
	if rest > 0 {
		parts = append(parts, belowThousand(rest))
	}
	return strings.Join(parts, " ")
}

var (
	hundredWords = [...]string{"", "CIENTO", "DOSCIENTOS", "TRESCIENTOS", "CUATROCIENTOS", "QUINIENTOS",
		"SEISCIENTOS", "SETECIENTOS", "OCHOCIENTOS", "NOVECIENTOS"}
	// smallWords are 0..29 with apocope (the form used before a noun).
	smallWords = [...]string{"", "UN", "DOS", "TRES", "CUATRO", "CINCO", "SEIS", "SIETE", "OCHO", "NUEVE",
		"DIEZ", "ONCE", "DOCE", "TRECE", "CATORCE", "QUINCE", "DIECISÉIS", "DIECISIETE", "DIECIOCHO", "DIECINUEVE",
		"VEINTE", "VEINTIÚN", "VEINTIDÓS", "VEINTITRÉS", "VEINTICUATRO", "VEINTICINCO", "VEINTISÉIS", "VEINTISIETE",
		"VEINTIOCHO", "VEINTINUEVE"}
	tenWords = [...]string{"", "", "", "TREINTA", "CUARENTA", "CINCUENTA", "SESENTA", "SETENTA", "OCHENTA", "NOVENTA"}
)

// belowThousand writes 1 <= n < 1000 with apocope.
func belowThousand(n int64) string {
	h, r := n/100, n%100
	var parts []string
	switch {
	case h == 1 && r == 0:
		return "CIEN"
	case h > 0:
		parts = append(parts, hundredWords[h])
	}
	switch {
	case r == 0:
	case r < 30:
		parts = append(parts, smallWords[r])
	case r%10 == 0:
		parts = append(parts, tenWords[r/10])
	default:
		parts = append(parts, tenWords[r/10]+" Y "+smallWords[r%10])
	}
	return strings.Join(parts, " ")
}
