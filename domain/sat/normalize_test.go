package sat_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/folio-mx/folio/domain/sat"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"Facturación", "facturacion"},
		{"AÑO Niño", "ano nino"},
		{"Pingüino", "pinguino"},
		{"ÁÉÍÓÚ áéíóú", "aeiou aeiou"},
		{"Refrescos", "refrescos"},
		{"Camión-cisterna (EUA)", "camion-cisterna (eua)"},
		{"H&E 951128", "h&e 951128"},
	}
	for _, tt := range tests {
		if got := sat.Normalize(tt.in); got != tt.want {
			t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	got := sat.Words("  Camión-cisterna (EUA), 55 galones ")
	want := []string{"camion", "cisterna", "eua", "55", "galones"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
	if got := sat.Words(" ¿¡-! "); len(got) != 0 {
		t.Errorf("Words(punctuation) = %q, want none", got)
	}
}

func ExampleNormalize() {
	fmt.Println(sat.Normalize("Facturación del Año"))
	// Output: facturacion del ano
}
