package sat

import (
	"time"
	"unicode/utf8"

	"github.com/folio-mx/folio/domain"
)

// RFCKind tells what kind of taxpayer an RFC names.
type RFCKind int

// The kinds of RFC. The two generic RFCs are fixed strings that SAT reserves
// for the public at large (Anexo 20 v4.0, Guía de llenado, Receptor Rfc).
const (
	RFCFisica             RFCKind = iota + 1 // persona física: 4 letters, 13 characters
	RFCMoral                                 // persona moral: 3 letters, 12 characters
	RFCGenericoNacional                      // XAXX010101000, público en general
	RFCGenericoExtranjero                    // XEXX010101000, residente en el extranjero
)

// The generic RFCs.
const (
	RFCPublicoGeneral = "XAXX010101000"
	RFCExtranjero     = "XEXX010101000"
)

// String returns the kind in Spanish, as shown to users.
func (k RFCKind) String() string {
	switch k {
	case RFCFisica:
		return "persona física"
	case RFCMoral:
		return "persona moral"
	case RFCGenericoNacional:
		return "RFC genérico nacional"
	case RFCGenericoExtranjero:
		return "RFC genérico extranjero"
	}
	return "RFC desconocido"
}

// ValidateRFC reports whether rfc is well formed; it returns a domain.Error
// of kind Invalid with a Spanish message otherwise. See ClassifyRFC.
func ValidateRFC(rfc string) error {
	_, err := ClassifyRFC(rfc)
	return err
}

// ClassifyRFC checks rfc against SAT's pattern (cfdv40.xsd t_RFC:
// [A-ZÑ&]{3,4} + date YYMMDD + 2 alphanumerics + [0-9A]) and returns its
// kind. The letters must be upper case, the date must exist (29 February
// only in years divisible by four) and nothing may surround the RFC. The
// check digit is not verified: SAT's schema does not, and SAT's own test RFCs
// do not satisfy it. Failures are domain.Error of kind Invalid.
func ClassifyRFC(rfc string) (RFCKind, error) {
	const op = "sat.ClassifyRFC"
	switch rfc {
	case RFCPublicoGeneral:
		return RFCGenericoNacional, nil
	case RFCExtranjero:
		return RFCGenericoExtranjero, nil
	case "":
		return 0, domain.E(domain.Invalid, op, "Escriba el RFC.", nil)
	}
	if !utf8.ValidString(rfc) {
		return 0, domain.E(domain.Invalid, op, "El RFC contiene caracteres no válidos.", nil)
	}
	r := []rune(rfc)
	var letters int
	switch len(r) {
	case 12:
		letters = 3
	case 13:
		letters = 4
	default:
		return 0, domain.Errorf(domain.Invalid, op, "El RFC debe tener 12 caracteres (persona moral) o 13 (persona física); tiene %d.", len(r))
	}
	for _, c := range r[:letters] {
		if !isRFCLetter(c) {
			if c >= 'a' && c <= 'z' || c == 'ñ' {
				return 0, domain.E(domain.Invalid, op, "Escriba el RFC en mayúsculas.", nil)
			}
			return 0, domain.Errorf(domain.Invalid, op, "Las primeras %d posiciones del RFC deben ser letras (A-Z, Ñ o &).", letters)
		}
	}
	date := r[letters : letters+6]
	for _, c := range date {
		if c < '0' || c > '9' {
			return 0, domain.E(domain.Invalid, op, "Después de las letras, el RFC debe llevar la fecha en seis dígitos (AAMMDD).", nil)
		}
	}
	if !validYYMMDD(date) {
		return 0, domain.Errorf(domain.Invalid, op, "La fecha del RFC (%s) no existe.", string(date))
	}
	homo := r[letters+6:]
	for _, c := range homo[:2] {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			if c >= 'a' && c <= 'z' {
				return 0, domain.E(domain.Invalid, op, "Escriba el RFC en mayúsculas.", nil)
			}
			return 0, domain.E(domain.Invalid, op, "La homoclave del RFC (últimos tres caracteres) solo admite letras mayúsculas y dígitos.", nil)
		}
	}
	if c := homo[2]; !(c >= '0' && c <= '9' || c == 'A') {
		return 0, domain.E(domain.Invalid, op, "El último carácter del RFC debe ser un dígito o la letra A.", nil)
	}
	if letters == 3 {
		return RFCMoral, nil
	}
	return RFCFisica, nil
}

func isRFCLetter(c rune) bool { return c >= 'A' && c <= 'Z' || c == 'Ñ' || c == '&' }

// validYYMMDD reports whether six ASCII digits name a real date. The century
// is unknown, so 29 February is accepted when YY is divisible by four (true
// for 2000, and every such year but 1900 in the range RFCs cover).
func validYYMMDD(d []rune) bool {
	n := func(i int) int { return int(d[i]-'0')*10 + int(d[i+1]-'0') }
	yy, mm, dd := n(0), n(2), n(4)
	if mm < 1 || mm > 12 || dd < 1 {
		return false
	}
	year := 2000 + yy // 2000 is a leap year, so YY%4 == 0 decides 29 February
	days := time.Date(year, time.Month(mm)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	return dd <= days
}
