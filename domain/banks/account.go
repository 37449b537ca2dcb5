package banks

import (
	"errors"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// Kind is what an account is: cash on hand or a bank account.
type Kind string

// The kinds of account.
const (
	Caja  Kind = "caja"
	Banco Kind = "banco"
)

// Label is the kind as the screens show it.
func (k Kind) Label() string {
	switch k {
	case Caja:
		return "Caja"
	case Banco:
		return "Banco"
	}
	return string(k)
}

// Account is one of the company's cash boxes or bank accounts. It holds
// one currency.
type Account struct {
	ID     int64
	Issuer string // RFC of the company it belongs to
	Kind   Kind
	Name   string
	Bank   string // the bank's name; empty for a caja
	Number string // account number or CLABE; optional
	Moneda string // c_Moneda
	Active bool
}

// Normalize trims the text fields and upper-cases the currency.
func (a *Account) Normalize() {
	a.Issuer = strings.ToUpper(strings.TrimSpace(a.Issuer))
	a.Name = strings.TrimSpace(a.Name)
	a.Bank = strings.TrimSpace(a.Bank)
	a.Number = strings.ReplaceAll(strings.TrimSpace(a.Number), " ", "")
	a.Moneda = strings.ToUpper(strings.TrimSpace(a.Moneda))
	a.Kind = Kind(strings.ToLower(strings.TrimSpace(string(a.Kind))))
}

// Validate reports every problem of a (Invalid, Spanish) at once.
// monedaExists tells whether a c_Moneda key is in SAT's catalog; XXX (no
// currency) is never an account's currency.
func (a *Account) Validate(monedaExists func(string) bool) error {
	const op = "validate account"
	var errs []error
	bad := func(msg string) { errs = append(errs, domain.E(domain.Invalid, op, msg, nil)) }
	if a.Issuer == "" {
		bad("La cuenta debe pertenecer a una empresa.")
	}
	if a.Name == "" {
		bad("Escriba el nombre de la cuenta.")
	}
	switch a.Kind {
	case Caja:
	case Banco:
		if a.Bank == "" {
			bad("Escriba el banco de la cuenta.")
		}
	default:
		bad("El tipo de cuenta debe ser caja o banco.")
	}
	switch {
	case a.Moneda == "":
		bad("Elija la moneda de la cuenta.")
	case a.Moneda == "XXX" || (monedaExists != nil && !monedaExists(a.Moneda)):
		bad("La moneda de la cuenta no existe en el catálogo del SAT.")
	}
	if a.Number != "" {
		if !digits(a.Number) {
			bad("El número de cuenta o CLABE lleva solo dígitos.")
		} else if len(a.Number) == 18 && !ValidCLABE(a.Number) {
			bad("La CLABE no es válida: revise el dígito de control.")
		} else if len(a.Number) != 18 && (len(a.Number) < 10 || len(a.Number) > 11) {
			bad("El número de cuenta lleva 10 u 11 dígitos; la CLABE, 18.")
		}
	}
	return errors.Join(errs...)
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ValidCLABE tells whether s is an 18-digit CLABE whose last digit is its
// control digit: the first 17 digits weighted 3, 7, 1 repeating, each
// product taken modulo 10, the sum modulo 10 subtracted from 10, modulo 10
// (Banco de México, "Clave Bancaria Estandarizada").
func ValidCLABE(s string) bool {
	if len(s) != 18 || !digits(s) {
		return false
	}
	w := [3]int{3, 7, 1}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * w[i%3] % 10
	}
	return int(s[17]-'0') == (10-sum%10)%10
}
