package domain

import (
	"errors"
	"fmt"
	"testing"
)

func TestUserMessage(t *testing.T) {
	base := errors.New("disk I/O error")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"plain error gets the generic text", base, genericMsg},
		{"domain error", E(Invalid, "op", "El RFC no es válido.", nil), "El RFC no es válido."},
		{"wrapped", fmt.Errorf("save: %w", E(NotFound, "op", "No existe el cliente.", base)), "No existe el cliente."},
		{"with code", &Error{Kind: Rejected, Code: "CFDI40102", Msg: "La fecha es inválida."}, "CFDI40102 — La fecha es inválida."},
		{"joined", errors.Join(E(Invalid, "a", "Uno.", nil), E(Invalid, "b", "Dos.", nil)), "Uno.\nDos."},
		{"no msg falls to cause", E(Internal, "op", "", E(Unavailable, "x", "Sin conexión.", nil)), "Sin conexión."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := UserMessage(tt.err); got != tt.want {
				t.Errorf("UserMessage = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	err := fmt.Errorf("wrap: %w", E(Unavailable, "pac", "Sin conexión.", nil))
	if KindOf(err) != Unavailable || !IsKind(err, Unavailable) {
		t.Errorf("KindOf = %v, want unavailable", KindOf(err))
	}
	if KindOf(errors.New("x")) != Internal {
		t.Error("a foreign error must be Internal")
	}
	if got, want := E(Conflict, "post", "dup", errors.New("UNIQUE")).Error(), "post: conflict: UNIQUE"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
