package sales

import (
	"reflect"
	"testing"

	"github.com/folio-mx/folio/domain"
)

func TestChooseFolio(t *testing.T) {
	t.Parallel()
	n := func(v int64) *int64 { return &v }
	tests := []struct {
		name     string
		next     int64
		override *int64
		admin    bool
		want     FolioChoice
		wantKind domain.Kind // Internal = no error expected
	}{
		// The proposed number.
		{"proposed", 7, nil, false, FolioChoice{Folio: 7, NextFolio: 8}, domain.Internal},
		{"proposed admin", 7, nil, true, FolioChoice{Folio: 7, NextFolio: 8}, domain.Internal},
		// Overrides need a verified administrator.
		{"override without admin", 7, n(9), false, FolioChoice{}, domain.Invalid},
		{"override ahead voids the gap", 7, n(10), true,
			FolioChoice{Folio: 10, NextFolio: 11, Voided: []int64{7, 8, 9}}, domain.Internal},
		{"override equal to next", 7, n(7), true, FolioChoice{Folio: 7, NextFolio: 8}, domain.Internal},
		{"override behind keeps next", 7, n(3), true, FolioChoice{Folio: 3, NextFolio: 7}, domain.Internal},
		{"override zero", 7, n(0), true, FolioChoice{}, domain.Invalid},
		{"override too far", 1, n(2 + MaxFolioJump), true, FolioChoice{}, domain.Invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ChooseFolio(tt.next, tt.override, tt.admin)
			if tt.wantKind != domain.Internal {
				if domain.KindOf(err) != tt.wantKind {
					t.Fatalf("ChooseFolio() error = %v, want kind %v", err, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("ChooseFolio() error = %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ChooseFolio() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSeriesValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		s      Series
		fields []string
	}{
		{"ok", Series{Issuer: "EKU9003173C9", Serie: "A", TipoDeComprobante: "I", NextFolio: 1}, nil},
		{"empty serie", Series{Issuer: "EKU9003173C9", TipoDeComprobante: "I", NextFolio: 1}, []string{"Serie"}},
		{"pipe", Series{Issuer: "EKU9003173C9", Serie: "A|B", TipoDeComprobante: "I", NextFolio: 1}, []string{"Serie"}},
		{"26 chars", Series{Issuer: "EKU9003173C9", Serie: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", TipoDeComprobante: "I", NextFolio: 1}, []string{"Serie"}},
		{"bad type", Series{Issuer: "EKU9003173C9", Serie: "T", TipoDeComprobante: "T", NextFolio: 1}, []string{"TipoDeComprobante"}},
		{"next zero", Series{Issuer: "EKU9003173C9", Serie: "A", TipoDeComprobante: "P", NextFolio: 0}, []string{"NextFolio"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Normalize()
			checkFields(t, tt.s.Validate(), tt.fields)
		})
	}
}
