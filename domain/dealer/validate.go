package dealer

import (
	"errors"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
)

// PasswordSymbols are the symbols SW's password policy accepts
// (pac/README.md §6.1, developers.sw.com.mx "API Usuarios V2").
const PasswordSymbols = "!@#$%^&*()_+=[{]};:<>|./?,-"

// MinPasswordLength is SW's documented minimum (the PHP SDK's README says
// 10–20; the documentation page says at least 8).
const MinPasswordLength = 8

func fieldErr(op, field, msg string) error {
	return &sales.FieldError{Field: field, Err: domain.E(domain.Invalid, op, msg, nil)}
}

// Normalize trims every value (SW compares them verbatim, and a space
// pasted at the end of an e-mail or a password is never intended) and
// upper-cases the RFC.
func (c *NewClient) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	c.RFC = strings.ToUpper(strings.TrimSpace(c.RFC))
	c.Email = strings.TrimSpace(c.Email)
	c.NotificationEmail = strings.TrimSpace(c.NotificationEmail)
	c.Phone = strings.TrimSpace(c.Phone)
	c.Password = strings.TrimSpace(c.Password)
	if c.Unlimited {
		c.Stamps = 0
	}
}

// Validate reports every problem of c as sales.FieldError values joined
// (fields "Name", "RFC", "Email", "NotificationEmail", "Phone",
// "Password", "Stamps"). available is the dealer's own balance
// (negative: unlimited); Stamps may not exceed it.
func (c *NewClient) Validate(available int64) error {
	const op = "dealer.validate client"
	var errs []error
	if c.Name == "" {
		errs = append(errs, fieldErr(op, "Name", "Escriba el nombre o razón social del cliente."))
	}
	errs = append(errs, checkRFC(op, c.RFC))
	if c.Email == "" {
		errs = append(errs, fieldErr(op, "Email", "Escriba el correo electrónico, que será el usuario de la cuenta."))
	} else if err := checkEmail(c.Email); err != nil {
		errs = append(errs, fieldErr(op, "Email", "El correo electrónico no es válido; escríbalo como nombre@dominio.mx."))
	}
	if c.NotificationEmail != "" && checkEmail(c.NotificationEmail) != nil {
		errs = append(errs, fieldErr(op, "NotificationEmail", "El correo de notificaciones no es válido; escríbalo como nombre@dominio.mx o déjelo vacío."))
	}
	errs = append(errs, checkPhone(op, c.Phone))
	if msg := PasswordProblem(c.Password, c.Email); msg != "" {
		errs = append(errs, fieldErr(op, "Password", msg))
	}
	if !c.Unlimited {
		errs = append(errs, checkStamps(op, c.Stamps, available))
	}
	return errors.Join(errs...)
}

func checkRFC(op, rfc string) error {
	if rfc == "" {
		return fieldErr(op, "RFC", "Escriba el RFC del cliente.")
	}
	if err := sat.ValidateRFC(rfc); err != nil {
		return fieldErr(op, "RFC", domain.UserMessage(err))
	}
	return nil
}

func checkEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@"):], ".") {
		return errors.New("bad e-mail")
	}
	return nil
}

func checkPhone(op, phone string) error {
	if phone == "" {
		return nil
	}
	digits := 0
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			return fieldErr(op, "Phone", "El teléfono solo puede tener dígitos, espacios, guiones, paréntesis y +.")
		}
	}
	if digits < 10 || digits > 15 {
		return fieldErr(op, "Phone", "El teléfono debe tener 10 dígitos (con lada), o hasta 15 con el código de país.")
	}
	return nil
}

func checkStamps(op string, n, available int64) error {
	switch {
	case n < 0:
		return fieldErr(op, "Stamps", "La cantidad de timbres no puede ser negativa.")
	case available >= 0 && n > available:
		return fieldErr(op, "Stamps", fmt.Sprintf("Solo tiene %d timbres disponibles; asigne %d o menos, o compre más timbres.", available, available))
	}
	return nil
}

// PasswordProblem returns, in Spanish, what SW's password policy
// (pac/README.md §6.1) finds wrong with password for user, "" when it is
// acceptable: at least MinPasswordLength characters, an upper-case and a
// lower-case letter, a digit and a symbol of PasswordSymbols, no spaces,
// and not the user name itself.
func PasswordProblem(password, user string) string {
	if password == "" {
		return "Escriba la contraseña de la cuenta."
	}
	var upper, lower, digit, symbol, space, other bool
	for _, r := range password {
		switch {
		case unicode.IsSpace(r):
			space = true
		case r >= 'A' && r <= 'Z', r == 'Ñ':
			upper = true
		case r >= 'a' && r <= 'z', r == 'ñ':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune(PasswordSymbols, r):
			symbol = true
		default:
			other = true
		}
	}
	var missing []string
	if len([]rune(password)) < MinPasswordLength {
		missing = append(missing, "al menos "+strconv.Itoa(MinPasswordLength)+" caracteres")
	}
	if !upper {
		missing = append(missing, "una mayúscula")
	}
	if !lower {
		missing = append(missing, "una minúscula")
	}
	if !digit {
		missing = append(missing, "un número")
	}
	if !symbol {
		missing = append(missing, "un símbolo ("+PasswordSymbols+")")
	}
	switch {
	case space:
		return "La contraseña no puede tener espacios."
	case other:
		return "La contraseña solo puede tener letras, números y los símbolos " + PasswordSymbols + "."
	case user != "" && strings.EqualFold(password, user):
		return "La contraseña no puede ser igual al usuario."
	case len(missing) > 0:
		return "La contraseña debe tener " + strings.Join(missing, ", ") + "."
	}
	return ""
}

// ParseStamps reads a number of stamps typed by the user: an integer from
// 0 up, spaces and thousands separators allowed.
func ParseStamps(s string) (int64, error) {
	const op = "dealer.ParseStamps"
	t := strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if t == "" {
		return 0, domain.E(domain.Invalid, op, "Escriba la cantidad de timbres.", nil)
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 {
		return 0, domain.E(domain.Invalid, op, "La cantidad de timbres debe ser un número entero, sin decimales, de 0 en adelante.", err)
	}
	return n, nil
}

// Normalize trims the update's values and upper-cases its RFC.
func (u *ClientUpdate) Normalize() {
	u.ID = strings.TrimSpace(u.ID)
	for _, p := range []*string{u.Name, u.NotificationEmail, u.Phone} {
		if p != nil {
			*p = strings.TrimSpace(*p)
		}
	}
	if u.RFC != nil {
		*u.RFC = strings.ToUpper(strings.TrimSpace(*u.RFC))
	}
}

// Validate reports every problem of u (same fields as NewClient).
func (u *ClientUpdate) Validate() error {
	const op = "dealer.validate update"
	var errs []error
	if u.ID == "" {
		errs = append(errs, domain.E(domain.Invalid, op, "Elija la cuenta que quiere cambiar.", nil))
	}
	if u.Name != nil && *u.Name == "" {
		errs = append(errs, fieldErr(op, "Name", "Escriba el nombre o razón social del cliente."))
	}
	if u.RFC != nil {
		errs = append(errs, checkRFC(op, *u.RFC))
	}
	if u.NotificationEmail != nil && *u.NotificationEmail != "" && checkEmail(*u.NotificationEmail) != nil {
		errs = append(errs, fieldErr(op, "NotificationEmail", "El correo de notificaciones no es válido; escríbalo como nombre@dominio.mx o déjelo vacío."))
	}
	if u.Phone != nil {
		errs = append(errs, checkPhone(op, *u.Phone))
	}
	return errors.Join(errs...)
}
