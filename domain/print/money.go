package print

import (
	"strings"

	"github.com/shopspring/decimal"
)

// money prints an amount of the XML for people: "$" and thousands
// separators, keeping every decimal the XML has ("1234.5" → "$1,234.5") so
// the printed figure is the fiscal one. Text that is not a plain decimal is
// returned unchanged; "" stays "".
func money(s string) string {
	if s == "" {
		return ""
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	if intPart == "" || !digits(intPart) || (hasFrac && !digits(frac)) {
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteByte('$')
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// parseAmount reads an XML amount.
func parseAmount(s string) (decimal.Decimal, error) { return decimal.NewFromString(s) }
