package sales

import (
	"errors"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/internal/testpack"
)

func TestCheckCompanyCSD(t *testing.T) {
	ekuCer, ekuKey := testpack.Read(t, "csd", "EKU9003173C9.cer"), testpack.Read(t, "csd", "EKU9003173C9.key")
	cacCer, cacKey := testpack.Read(t, "csd", "CACX7605101P8.cer"), testpack.Read(t, "csd", "CACX7605101P8.key")
	eku := &Company{ID: 3, RFC: "EKU9003173C9", Nombre: "ESCUELA KEMPER URGATE"}
	cac := &Company{ID: 4, RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ"}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

	tests := []struct {
		name     string
		co       *Company
		cer, key []byte
		password string
		now      time.Time
		cause    error  // nil: accepted
		msg      string // the exact Spanish message
	}{
		// Accepted: each SAT test CSD for its own company.
		{"EKU for its company", eku, ekuCer, ekuKey, "12345678a", now, nil, ""},
		{"CACX for its company", cac, cacCer, cacKey, "12345678a", now, nil, ""},
		// Refused, each with its own message.
		{"RFC mismatch", cac, ekuCer, ekuKey, "12345678a", now, ErrCSDOtherRFC,
			"El certificado es del RFC EKU9003173C9, no del RFC de la empresa (CACX7605101P8). Elija el CSD de la empresa."},
		{"wrong password", eku, ekuCer, ekuKey, "12345678b", now, csd.ErrWrongPassword,
			"La contraseña de la llave privada no es correcta."},
		{"key of the other certificate", eku, ekuCer, cacKey, "12345678a", now, csd.ErrKeyMismatch,
			"La llave privada no corresponde al certificado."},
		{"expired", eku, ekuCer, ekuKey, "12345678a", time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), csd.ErrExpired,
			"El certificado venció el 18/05/2027."},
		{"not yet valid", eku, ekuCer, ekuKey, "12345678a", time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), csd.ErrNotYetValid,
			"El certificado aún no es válido; su vigencia inicia el 18/05/2023."},
		{"key chosen as certificate", eku, ekuKey, ekuKey, "12345678a", now, csd.ErrNotCertificate,
			"El archivo del certificado (.cer) no es un certificado válido."},
		{"no key file", eku, ekuCer, nil, "12345678a", now, nil, "Elija el archivo de la llave privada (.key)."},
	}
	seen := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer, info, err := CheckCompanyCSD(tt.co, tt.cer, tt.key, tt.password, tt.now)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("err = %v, want accepted", err)
				}
				if info.RFC != tt.co.RFC || info.CompanyID != tt.co.ID || len(info.NoCertificado) != 20 || signer.NoCertificado() != info.NoCertificado {
					t.Errorf("info = %+v", info)
				}
				return
			}
			if err == nil {
				t.Fatal("accepted, want refused")
			}
			if domain.KindOf(err) != domain.Invalid {
				t.Errorf("kind = %v, want Invalid", domain.KindOf(err))
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("err = %v, want cause %v", err, tt.cause)
			}
			if got := domain.UserMessage(err); got != tt.msg {
				t.Errorf("message = %q, want %q", got, tt.msg)
			}
			if other, dup := seen[tt.msg]; dup {
				t.Errorf("same message as %q", other)
			}
			seen[tt.msg] = tt.name
		})
	}
}

func TestPACSettingsNormalize(t *testing.T) {
	p := PACSettings{Environment: PACPruebas, User: " u@example.com ", Password: " x ", URL: " https://pac.example.mx/ "}
	p.Normalize()
	if p.User != "u@example.com" || p.Password != " x " || p.URL != "https://pac.example.mx" {
		t.Errorf("Normalize = %+v", p)
	}
	p = PACSettings{Environment: PACLocal, URL: "http://127.0.0.1:1"}
	if p.Normalize(); p.URL != "" {
		t.Errorf("local PAC kept URL %q", p.URL)
	}
}

func TestPACSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		in     PACSettings
		fields []string
	}{
		{"local needs nothing", PACSettings{Environment: PACLocal}, nil},
		{"user and password", PACSettings{Environment: PACPruebas, User: "u@example.com", Password: "x"}, nil},
		{"token alone", PACSettings{Environment: PACProduccion, Token: "T"}, nil},
		{"nothing", PACSettings{Environment: PACProduccion}, []string{"User", "Password"}},
		{"user without password", PACSettings{Environment: PACPruebas, User: "u"}, []string{"Password"}},
		{"unknown environment", PACSettings{Environment: "sandbox", Token: "T"}, []string{"Environment"}},
		// A PAC's own services URL
		{"https URL", PACSettings{Environment: PACProduccion, Token: "T", URL: "https://timbrado.example.mx/sw"}, nil},
		{"local PAC over http", PACSettings{Environment: PACPruebas, Token: "T", URL: "http://127.0.0.1:8089"}, nil},
		{"localhost over http", PACSettings{Environment: PACPruebas, Token: "T", URL: "http://localhost:8089"}, nil},
		{"remote host over http", PACSettings{Environment: PACPruebas, Token: "T", URL: "http://timbrado.example.mx"}, []string{"URL"}},
		{"credentials in the URL", PACSettings{Environment: PACPruebas, Token: "T", URL: "https://u:p@timbrado.example.mx"}, []string{"URL"}},
		{"no scheme", PACSettings{Environment: PACPruebas, User: "u", URL: "timbrado.example.mx"}, []string{"URL", "Password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FieldErrors(tt.in.Validate())
			if len(got) != len(tt.fields) {
				t.Fatalf("problems = %v, want fields %v", got, tt.fields)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no problem for %s: %v", f, got)
				}
			}
		})
	}
}
