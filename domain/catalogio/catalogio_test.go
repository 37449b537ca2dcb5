package catalogio

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestGuess(t *testing.T) {
	header := []string{"SKU", "Descripción", "Precio Unitario", "Clave SAT", "CLAVE UNIDAD", "Existencia mínima", "otra"}
	m := Guess(header, ProductFields)
	want := map[string]int{"codigo": 0, "descripcion": 1, "precio": 2, "clave_prod_serv": 3, "clave_unidad": 4, "minimo": 5}
	for k, col := range want {
		if got, ok := m[k]; !ok || got != col {
			t.Errorf("%s mapped to %d (%v), want %d", k, got, ok, col)
		}
	}
	if len(m) != len(want) {
		t.Errorf("mapping %v has extra fields", m)
	}
	if miss := Missing(Mapping{"codigo": 0}, ProductFields); len(miss) != 4 {
		t.Errorf("missing %v, want the four other required fields", miss)
	}
}

func TestYesAndRate(t *testing.T) {
	for _, s := range []string{"Sí", "si", "X", "1", "VERDADERO"} {
		if !yes(s) {
			t.Errorf("yes(%q) = false", s)
		}
	}
	for _, s := range []string{"", "no", "0", "falso"} {
		if yes(s) {
			t.Errorf("yes(%q) = true", s)
		}
	}
	for in, want := range map[string]string{"16": "0.16", "0.16": "0.16", "8": "0.08", "0": "0", "10.6667": "0.106667"} {
		if got := rate(decimal.RequireFromString(in)); !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("rate(%s) = %s, want %s", in, got, want)
		}
	}
}
