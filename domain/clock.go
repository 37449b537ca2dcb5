package domain

import "time"

// Clock tells the time. Services take one so tests can fix "now".
type Clock func() time.Time

// SystemClock is the real clock.
func SystemClock() time.Time { return time.Now() }

// MexicoCity is the time zone of CFDI dates (Anexo 20: Fecha is local time of
// the place of issue; Folio uses central Mexico time unless told otherwise).
var MexicoCity = mustZone("America/Mexico_City", -6*3600)

func mustZone(name string, fallback int) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.FixedZone("CST", fallback)
}
