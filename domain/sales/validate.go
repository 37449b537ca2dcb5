package sales

import (
	"errors"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// FieldError is one validation problem tied to a form field, so a screen can
// show it next to that field. It wraps an Invalid *domain.Error whose Msg is
// the Spanish text; domain.KindOf and domain.UserMessage see through it.
type FieldError struct {
	Field string // the Go field name, e.g. "RFC", "Lines[2].Cantidad"
	Err   *domain.Error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Msg }

// Unwrap returns the domain error.
func (e *FieldError) Unwrap() error { return e.Err }

// FieldErrors returns the Spanish message of every FieldError joined in err,
// keyed by field (the first message wins when a field has several).
func FieldErrors(err error) map[string]string {
	out := map[string]string{}
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var fe *FieldError
		if errors.As(err, &fe) {
			if _, seen := out[fe.Field]; !seen {
				out[fe.Field] = fe.Err.Msg
			}
		}
	}
	walk(err)
	return out
}

// problems collects every validation problem of one operation.
type problems struct {
	op   string
	errs []error
}

func (p *problems) add(field, msg string) {
	p.errs = append(p.errs, &FieldError{Field: field, Err: domain.E(domain.Invalid, p.op, msg, nil)})
}

// err returns nil or all the problems joined.
func (p *problems) err() error { return errors.Join(p.errs...) }

// maxPlaces reports whether d has at most n decimal places.
func maxPlaces(d decimal.Decimal, n int32) bool {
	return d.Equal(d.Truncate(n))
}

// rateOK reports whether r is a fraction 0 ≤ r < 1 with at most 6 decimals,
// the shape of a TasaOCuota (Anexo 20, c_TasaOCuota).
func rateOK(r decimal.Decimal) bool {
	return !r.IsNegative() && r.LessThan(decimal.NewFromInt(1)) && maxPlaces(r, 6)
}
