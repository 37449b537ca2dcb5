package sales

import (
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

func TestParseDay(t *testing.T) {
	t.Parallel()
	const notADate = "Escriba las fechas como dd/mm/aaaa."
	tests := []struct {
		name, in string
		want     time.Time
		wantMsg  string // "" when no error
	}{
		// Valid days.
		{"plain", "25/11/2026", time.Date(2026, 11, 25, 0, 0, 0, 0, domain.MexicoCity), ""},
		{"one digit", "1/2/2026", time.Date(2026, 2, 1, 0, 0, 0, 0, domain.MexicoCity), ""},
		{"leap day", "29/02/2028", time.Date(2028, 2, 29, 0, 0, 0, 0, domain.MexicoCity), ""},
		{"spaces", " 31/12/2026 ", time.Date(2026, 12, 31, 0, 0, 0, 0, domain.MexicoCity), ""},
		// Days that do not exist (issue "A window that tells the truth":
		// 31/02/2026 was reported as badly written).
		{"31 february", "31/02/2026", time.Time{}, "La fecha 31/02/2026 no existe en el calendario; revise el día y el mes."},
		{"29 february no leap", "29/02/2027", time.Time{}, "La fecha 29/02/2027 no existe en el calendario; revise el día y el mes."},
		{"month 13", "01/13/2026", time.Time{}, "La fecha 01/13/2026 no existe en el calendario; revise el día y el mes."},
		{"day zero", "00/01/2026", time.Time{}, "La fecha 00/01/2026 no existe en el calendario; revise el día y el mes."},
		// Text that is not a date.
		{"iso", "2026-02-01", time.Time{}, notADate},
		{"letters", "ayer", time.Time{}, notADate},
		{"short year", "01/02/26", time.Time{}, notADate},
		{"sign", "+1/02/2026", time.Time{}, notADate},
		{"empty", "", time.Time{}, notADate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDay(tt.in, domain.MexicoCity)
			if tt.wantMsg == "" {
				if err != nil || !got.Equal(tt.want) {
					t.Fatalf("ParseDay(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseDay(%q) = %v, want error %q", tt.in, got, tt.wantMsg)
			}
			if msg := domain.UserMessage(err); msg != tt.wantMsg {
				t.Errorf("UserMessage = %q, want %q", msg, tt.wantMsg)
			}
			if !domain.IsKind(err, domain.Invalid) {
				t.Errorf("KindOf = %v, want Invalid", domain.KindOf(err))
			}
		})
	}
}
