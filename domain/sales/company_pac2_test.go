package sales

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

func TestCompaniesSecondaryPAC(t *testing.T) {
	ctx := context.Background()
	store := newSecretStore(cacxCompany(1))
	s := newCompanies(store, &keyFile{}, companiesNow)
	if f, err := s.CompanySecondaryPAC(ctx, 1); err != nil || f != nil {
		t.Fatalf("no secondary: %+v, %v", f, err)
	}
	primary := PACSettings{Environment: PACPruebas, User: "facturas@kemper.example", Password: "Pac-1"}
	if err := s.SavePACSettings(ctx, 1, primary); err != nil {
		t.Fatal(err)
	}
	finkok := PACSettings{Vendor: PACFinkok, Environment: PACProduccion, User: "  timbres@kemper.example ", Password: "Fk-Contraseña-2"}
	tests := []struct {
		name  string
		f     PACFailover
		field string // "" for a non-field Invalid
	}{
		{"local PAC", PACFailover{Secondary: PACSettings{Environment: PACLocal}}, ""},
		{"same account as the primary", PACFailover{Secondary: PACSettings{Environment: PACPruebas, User: " FACTURAS@kemper.example", Password: "otra"}}, ""},
		{"Finkok with a token", PACFailover{Secondary: PACSettings{Vendor: PACFinkok, Environment: PACPruebas, Token: "t"}}, "Token"},
		{"unknown vendor", PACFailover{Secondary: PACSettings{Vendor: "otro", Environment: PACPruebas, User: "u", Password: "p"}}, "Vendor"},
		{"threshold too long", PACFailover{Secondary: finkok, AfterMinutes: 1441}, "AfterMinutes"},
		{"negative threshold", PACFailover{Secondary: finkok, AfterMinutes: -1}, "AfterMinutes"},
		{"no password", PACFailover{Secondary: PACSettings{Vendor: PACFinkok, Environment: PACPruebas, User: "u"}}, "Password"},
	}
	for _, tc := range tests {
		err := s.SaveSecondaryPAC(ctx, 1, &tc.f)
		if tc.field == "" {
			if domain.KindOf(err) != domain.Invalid || len(FieldErrors(err)) > 0 {
				t.Errorf("%s: err = %v, want Invalid", tc.name, err)
			}
		} else if FieldErrors(err)[tc.field] == "" {
			t.Errorf("%s: err = %v, want a problem in %s", tc.name, err, tc.field)
		}
	}
	if len(store.pacs2) != 0 {
		t.Fatal("refused secondary stored")
	}
	if err := s.SaveSecondaryPAC(ctx, 1, &PACFailover{Secondary: finkok}); err != nil {
		t.Fatal(err)
	}
	got, err := s.CompanySecondaryPAC(ctx, 1)
	want := PACSettings{Vendor: PACFinkok, Environment: PACProduccion, User: "timbres@kemper.example", Password: "Fk-Contraseña-2"}
	if err != nil || got == nil || got.Secondary != want || got.AfterMinutes != DefaultFailoverMinutes || got.After() != 5*time.Minute {
		t.Fatalf("CompanySecondaryPAC = %+v, %v; want %+v after 5 min", got, err, want)
	}
	if bytes.Contains(store.everything(), []byte("Fk-Contraseña-2")) || bytes.Contains(store.everything(), []byte("timbres@")) {
		t.Error("secondary credentials kept in plain text")
	}
	// Each account's secrets open only in its own place: the secondary's
	// sealed password does not open as the primary's.
	st := store.pacs2[1].StoredPAC
	store.pacs[1] = StoredPAC{Vendor: PACSW, Environment: PACPruebas, User: st.User, Password: st.Password}
	if _, err := s.CompanyPACSettings(ctx, 1); domain.KindOf(err) != domain.Invalid {
		t.Errorf("secondary secrets opened as the primary's: err = %v", err)
	}
	if err := s.SaveSecondaryPAC(ctx, 1, &PACFailover{Secondary: finkok, AfterMinutes: 12}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.CompanySecondaryPAC(ctx, 1); got == nil || got.After() != 12*time.Minute {
		t.Errorf("threshold = %+v, want 12 min", got)
	}
	if err := s.SaveSecondaryPAC(ctx, 1, nil); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CompanySecondaryPAC(ctx, 1); got != nil || err != nil {
		t.Errorf("after removing: %+v, %v", got, err)
	}
	if err := s.SaveSecondaryPAC(ctx, 9, nil); domain.KindOf(err) != domain.NotFound {
		t.Errorf("unknown company: err = %v", err)
	}
}
