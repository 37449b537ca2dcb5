package sales

import (
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// ParseDay reads a day the user typed as dd/mm/aaaa (one-digit day and
// month accepted) at midnight in loc. It tells apart text that is not a
// date ("Escriba las fechas como dd/mm/aaaa.") from a date that does not
// exist, such as 31/02/2026 or 29/02/2027, which the calendar refuses
// ("La fecha 31/02/2026 no existe…"). Errors are Invalid *domain.Error.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	const op = "parse day"
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "/")
	bad := domain.E(domain.Invalid, op, "Escriba las fechas como dd/mm/aaaa.", nil)
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return time.Time{}, bad
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || strings.ContainsAny(p, "+-") {
			return time.Time{}, bad
		}
		n[i] = v
	}
	d, m, y := n[0], n[1], n[2]
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if m < 1 || m > 12 || d < 1 || t.Day() != d || t.Month() != time.Month(m) {
		return time.Time{}, domain.Errorf(domain.Invalid, op,
			"La fecha %s no existe en el calendario; revise el día y el mes.", s)
	}
	return t, nil
}
