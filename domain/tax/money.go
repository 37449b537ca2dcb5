package tax

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain"
)

// ParseAmount reads an amount typed by a user: surrounding spaces, an
// optional leading "$", digits with optional thousands separators ("," every
// three digits) and an optional "." with up to 6 decimals — "1,234.56",
// "1234.56", " $1,234.5 ", ".5". It refuses negatives, letters, a second
// dot, misplaced commas and more than 6 decimals (CFDI amounts have at most
// 6) with a *domain.Error of kind Invalid and a Spanish message. This is the
// one parser behind every money entry.
func ParseAmount(s string) (decimal.Decimal, error) {
	const op = "tax.ParseAmount"
	fail := func(msg string) (decimal.Decimal, error) {
		return decimal.Zero, domain.E(domain.Invalid, op, msg, nil)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return fail("Escriba un importe.")
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "$-") {
		return fail("El importe no puede ser negativo.")
	}
	s = strings.TrimSpace(strings.TrimPrefix(s, "$"))
	intPart, frac, hasDot := strings.Cut(s, ".")
	if strings.ContainsAny(frac, ".") {
		return fail("El importe tiene más de un punto decimal.")
	}
	if !digitsOnly(frac) {
		return fail("El importe sólo admite dígitos, comas de miles y un punto decimal.")
	}
	if len(frac) > MaxDecimals {
		return fail("El importe admite hasta 6 decimales.")
	}
	digits, ok := ungroup(intPart)
	if !ok {
		if !digitsOnly(strings.ReplaceAll(intPart, ",", "")) {
			return fail("El importe sólo admite dígitos, comas de miles y un punto decimal.")
		}
		return fail("Las comas de miles del importe están mal colocadas (ejemplo: 1,234,567.89).")
	}
	if digits == "" && frac == "" {
		return fail("Escriba un importe.")
	}
	if digits == "" {
		digits = "0"
	}
	text := digits
	if hasDot && frac != "" {
		text += "." + frac
	}
	d, err := decimal.NewFromString(text)
	if err != nil {
		return decimal.Zero, domain.E(domain.Invalid, op, "El importe no es un número válido.", err)
	}
	return d, nil
}

// digitsOnly reports whether s holds only ASCII digits (true for "").
func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ungroup removes thousands separators from an integer part: either no
// commas at all, or a first group of 1–3 digits followed by groups of
// exactly 3.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, digitsOnly(s)
	}
	groups := strings.Split(s, ",")
	if n := len(groups[0]); n < 1 || n > 3 || !digitsOnly(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !digitsOnly(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// FormatMXN writes an amount for people (UI, PDF): "$", thousands separated
// by commas and exactly two decimals, rounded half up — "$1,234.56",
// "-$0.50". XML text uses Format instead.
func FormatMXN(d decimal.Decimal) string {
	s := d.StringFixed(2)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 2)
	b.WriteString(sign)
	b.WriteByte('$')
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	b.WriteByte('.')
	b.WriteString(frac)
	return b.String()
}
