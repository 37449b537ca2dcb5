package sat_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sat"
)

func TestClassifyRFC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rfc  string
		want sat.RFCKind // 0 = invalid
	}{
		// SAT's test taxpayers and other valid shapes.
		{"sat test moral", "EKU9003173C9", sat.RFCMoral},
		{"sat test fisica", "CACX7605101P8", sat.RFCFisica},
		{"ampersand", "H&E951128469", sat.RFCMoral},
		{"enie", "ÑAÑ9001011A1", sat.RFCMoral},
		{"fisica with enie", "PEÑA800101AB1", sat.RFCFisica},
		{"check digit A", "AAA010101AAA", sat.RFCMoral},
		{"leap day 2000", "GODE000229AB1", sat.RFCFisica},
		{"leap day 2024", "GODE240229AB1", sat.RFCFisica},
		{"generic nacional", "XAXX010101000", sat.RFCGenericoNacional},
		{"generic extranjero", "XEXX010101000", sat.RFCGenericoExtranjero},

		// Invalid.
		{"empty", "", 0},
		{"too short", "EKU9003173C", 0},
		{"too long", "CACX7605101P81", 0},
		{"lower case", "eku9003173C9", 0},
		{"lower case homoclave", "EKU9003173c9", 0},
		{"digit in letters", "EK19003173C9", 0},
		{"month 13", "EKU9013173C9", 0},
		{"month 00", "EKU9000173C9", 0},
		{"day 00", "EKU9003003C9", 0},
		{"31 april", "EKU900431AB1", 0},
		{"29 feb non leap", "GODE230229AB1", 0},
		{"letter in date", "EKU90O3173C9", 0},
		{"bad check char", "EKU9003173CB", 0},
		{"symbol in homoclave", "EKU9003173-9", 0},
		{"leading space", " EKU9003173C9", 0},
		{"trailing space", "EKU9003173C9 ", 0},
		{"dashes", "EKU-900317-3C9", 0},
		{"invalid utf8", "EKU900317\xff3C", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := sat.ClassifyRFC(tt.rfc)
			if tt.want == 0 {
				if err == nil {
					t.Fatalf("ClassifyRFC(%q) = %v, want error", tt.rfc, got)
				}
				if k := domain.KindOf(err); k != domain.Invalid {
					t.Errorf("KindOf = %v, want invalid", k)
				}
				if msg := domain.UserMessage(err); !strings.Contains(msg, "RFC") {
					t.Errorf("message %q does not speak of the RFC", msg)
				}
				if sat.ValidateRFC(tt.rfc) == nil {
					t.Errorf("ValidateRFC(%q) = nil, want error", tt.rfc)
				}
				return
			}
			if err != nil {
				t.Fatalf("ClassifyRFC(%q) error %v", tt.rfc, err)
			}
			if got != tt.want {
				t.Errorf("ClassifyRFC(%q) = %v, want %v", tt.rfc, got, tt.want)
			}
		})
	}
}

func FuzzClassifyRFC(f *testing.F) {
	for _, s := range []string{"EKU9003173C9", "CACX7605101P8", "H&E951128469", "XAXX010101000", "ÑAÑ9001011A1", "", "eku9003173c9", "AAA991332XX1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kind, err := sat.ClassifyRFC(s)
		if err != nil {
			if domain.KindOf(err) != domain.Invalid || domain.UserMessage(err) == "" {
				t.Fatalf("ClassifyRFC(%q): error %v is not a user-facing Invalid", s, err)
			}
			return
		}
		// Properties of every accepted RFC.
		n := utf8.RuneCountInString(s)
		switch kind {
		case sat.RFCMoral:
			if n != 12 {
				t.Fatalf("moral RFC %q has %d characters", s, n)
			}
		case sat.RFCFisica:
			if n != 13 {
				t.Fatalf("física RFC %q has %d characters", s, n)
			}
		case sat.RFCGenericoNacional, sat.RFCGenericoExtranjero:
		default:
			t.Fatalf("ClassifyRFC(%q) = unknown kind %d", s, kind)
		}
		if strings.TrimSpace(s) != s || strings.ToUpper(s) != s {
			t.Fatalf("accepted %q with spaces or lower case", s)
		}
	})
}
