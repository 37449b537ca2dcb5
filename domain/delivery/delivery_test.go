package delivery

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
)

func TestParseRecipients(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      []string
		want    []string
		wantErr int // number of problems reported; 0 means no error
	}{
		// accepted forms
		{"one", []string{"compras@cliente.mx"}, []string{"compras@cliente.mx"}, 0},
		{"comma list as stored by the customer form", []string{"compras@cliente.mx, pagos@cliente.mx"}, []string{"compras@cliente.mx", "pagos@cliente.mx"}, 0},
		{"semicolons and new lines", []string{"a@b.mx;c@d.mx\nE@F.mx"}, []string{"a@b.mx", "c@d.mx", "E@F.mx"}, 0},
		{"display names are dropped", []string{"Compras <compras@cliente.mx>"}, []string{"compras@cliente.mx"}, 0},
		{"duplicates ignoring case", []string{"a@b.mx", "A@B.MX"}, []string{"a@b.mx"}, 0},
		{"blanks skipped", []string{"", " , a@b.mx ,"}, []string{"a@b.mx"}, 0},
		// refused
		{"none", nil, nil, 1},
		{"only blanks", []string{" ", ","}, nil, 1},
		{"every bad address is reported", []string{"sin-arroba, a@b.mx, otra mala"}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRecipients(tt.in...)
			if tt.wantErr == 0 {
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Fatalf("ParseRecipients(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
				}
				return
			}
			if domain.KindOf(err) != domain.Invalid {
				t.Fatalf("ParseRecipients(%q) error kind = %v (%v), want Invalid", tt.in, domain.KindOf(err), err)
			}
			if n := len(strings.Split(domain.UserMessage(err), "\n")); n != tt.wantErr {
				t.Errorf("problems = %d, want %d: %q", n, tt.wantErr, domain.UserMessage(err))
			}
		})
	}
}

func TestSMTPSettingsValidate(t *testing.T) {
	t.Parallel()
	ok := SMTPSettings{IssuerRFC: "EKU9003173C9", Host: "smtp.ejemplo.mx", Port: 587, User: "ventas@ejemplo.mx", Password: "x"}
	tests := []struct {
		name   string
		change func(*SMTPSettings)
		want   []string // substrings of the reported problems; nil means valid
	}{
		{"valid", func(*SMTPSettings) {}, nil},
		{"no auth with from", func(s *SMTPSettings) { s.User, s.Password, s.From = "", "", "facturas@ejemplo.mx" }, nil},
		{"implicit TLS", func(s *SMTPSettings) { s.Security, s.Port = ImplicitTLS, 465 }, nil},
		{"empty host", func(s *SMTPSettings) { s.Host = " " }, []string{"servidor de correo"}},
		{"URL as host", func(s *SMTPSettings) { s.Host = "smtp://smtp.ejemplo.mx:587" }, []string{"solo el nombre"}},
		{"port out of range", func(s *SMTPSettings) { s.Port = 70000 }, []string{"puerto"}},
		{"unknown security", func(s *SMTPSettings) { s.Security = 7 }, []string{"seguridad"}},
		{"user without password", func(s *SMTPSettings) { s.Password = "" }, []string{"contraseña"}},
		{"bad sender", func(s *SMTPSettings) { s.From = "no es correo" }, []string{"remitente"}},
		{"no sender at all", func(s *SMTPSettings) { s.User, s.Password = "", "" }, []string{"remitente"}},
		{"all at once", func(s *SMTPSettings) { s.IssuerRFC, s.Host, s.Port = "", "", -1 }, []string{"empresa", "servidor", "puerto"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := ok
			tt.change(&s)
			err := s.Validate()
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if domain.KindOf(err) != domain.Invalid {
				t.Fatalf("Validate kind = %v (%v), want Invalid", domain.KindOf(err), err)
			}
			msg := domain.UserMessage(err)
			if n := len(strings.Split(msg, "\n")); n != len(tt.want) {
				t.Errorf("%d problems, want %d: %q", n, len(tt.want), msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("problems %q lack %q", msg, w)
				}
			}
		})
	}
}

func TestSMTPSettingsNeverPrintPassword(t *testing.T) {
	t.Parallel()
	s := SMTPSettings{Host: "smtp.ejemplo.mx", User: "ventas@ejemplo.mx", Password: "NoLoImprimas-42"}
	for _, verb := range []string{"%v", "%+v", "%s", "%#v"} {
		if out := fmt.Sprintf(verb, s); strings.Contains(out, s.Password) {
			t.Errorf("%s prints the password: %s", verb, out)
		}
	}
	if out := fmt.Sprint(errors.New("x"), s); strings.Contains(out, s.Password) {
		t.Errorf("Sprint prints the password: %s", out)
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	lowest := func(int64) int64 { return 0 }
	highest := func(n int64) int64 { return n - 1 }
	o := Options{BackoffBase: 30 * time.Second, BackoffMax: time.Hour}
	tests := []struct {
		attempt int
		rand    func(int64) int64
		want    time.Duration
	}{
		{attempt: 1, rand: lowest, want: 15 * time.Second},
		{attempt: 1, rand: highest, want: 30 * time.Second},
		{attempt: 2, rand: highest, want: time.Minute},
		{attempt: 3, rand: lowest, want: time.Minute},
		{attempt: 8, rand: highest, want: time.Hour}, // 30 s · 2^7 = 64 min, capped
		{attempt: 50, rand: lowest, want: 30 * time.Minute},
		{attempt: 0, rand: highest, want: 30 * time.Second}, // treated as the first
	}
	for _, tt := range tests {
		o.Rand = tt.rand
		if got := o.Backoff(tt.attempt); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.attempt, got, tt.want)
		}
	}
	// The default jitter stays in [d/2, d].
	o.Rand = nil
	for range 200 {
		if d := o.Backoff(3); d < time.Minute || d > 2*time.Minute {
			t.Fatalf("Backoff(3) = %v, want within [1m, 2m]", d)
		}
	}
}

func TestStateLabels(t *testing.T) {
	t.Parallel()
	for s, want := range map[State]string{StateQueued: "Por enviar", StateSending: "Enviando", StateSent: "Enviado", StateFailed: "No enviado"} {
		if s.Label() != want {
			t.Errorf("%s.Label() = %q, want %q", s, s.Label(), want)
		}
	}
	if !StateQueued.Pending() || !StateSending.Pending() || StateSent.Pending() || StateFailed.Pending() {
		t.Error("Pending is wrong")
	}
}
