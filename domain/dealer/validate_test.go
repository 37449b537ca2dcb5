package dealer

import (
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain/sales"
)

func TestPasswordProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, password, user string
		want                 string // part of the message; "" acceptable
	}{
		// Acceptable.
		{"all classes", "Abcdef1!", "u@x.mx", ""},
		{"every symbol class member", "Zz9[{]};:<>|./?,-", "u@x.mx", ""},
		// SW's policy (pac/README.md §6.1).
		{"empty", "", "u@x.mx", "Escriba la contraseña"},
		{"short", "Ab1!", "u@x.mx", "al menos 8 caracteres"},
		{"no upper", "abcdef1!", "u@x.mx", "una mayúscula"},
		{"no lower", "ABCDEF1!", "u@x.mx", "una minúscula"},
		{"no digit", "Abcdefg!", "u@x.mx", "un número"},
		{"no symbol", "Abcdefg1", "u@x.mx", "un símbolo"},
		{"inner space", "Abc def1!", "u@x.mx", "espacios"},
		{"foreign symbol", "Abcdef1!€", "u@x.mx", "solo puede tener"},
		{"equal to the user", "Cliente1@Folio.mx", "cliente1@folio.mx", "igual al usuario"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := PasswordProblem(tc.password, tc.user)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("PasswordProblem(%q) = %q, want %q", tc.password, got, tc.want)
			}
		})
	}
}

func TestParseStamps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"0", 0, false},
		{" 25 ", 25, false},
		{"1,000", 1000, false},
		{"", 0, true},
		{"-1", 0, true},
		{"2.5", 0, true},
		{"diez", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseStamps(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseStamps(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestNewClientValidate(t *testing.T) {
	t.Parallel()
	ok := NewClient{Name: " Uno ", RFC: " cla200101ab1 ", Email: " uno@cliente.mx ", Password: " Secreta-1! ", Stamps: 5}
	tests := []struct {
		name      string
		edit      func(*NewClient)
		available int64
		fields    []string // fields with a problem
	}{
		{"valid, values trimmed", func(*NewClient) {}, 5, nil},
		{"unlimited dealer", func(c *NewClient) { c.Stamps = 1_000_000 }, -1, nil},
		{"unlimited client ignores stamps", func(c *NewClient) { c.Unlimited, c.Stamps = true, 99 }, 0, nil},
		{"over the dealer's balance", func(c *NewClient) { c.Stamps = 6 }, 5, []string{"Stamps"}},
		{"negative stamps", func(c *NewClient) { c.Stamps = -1 }, 5, []string{"Stamps"}},
		{"every required field missing", func(c *NewClient) { *c = NewClient{} }, 5, []string{"Name", "RFC", "Email", "Password"}},
		{"bad RFC and e-mails", func(c *NewClient) { c.RFC, c.Email, c.NotificationEmail = "XYZ", "uno@", "a b@c" }, 5,
			[]string{"RFC", "Email", "NotificationEmail"}},
		{"short phone", func(c *NewClient) { c.Phone = "55 1234" }, 5, []string{"Phone"}},
		{"phone with letters", func(c *NewClient) { c.Phone = "55-CASA-1234" }, 5, []string{"Phone"}},
		{"password equal to the e-mail", func(c *NewClient) { c.Password = "Uno@cliente.mx1"; c.Email = "uno@cliente.mx1" }, 5,
			[]string{"Password"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.edit(&c)
			c.Normalize()
			err := c.Validate(tc.available)
			got := sales.FieldErrors(err)
			if len(got) != len(tc.fields) {
				t.Fatalf("problems = %v, want fields %v", got, tc.fields)
			}
			for _, f := range tc.fields {
				if got[f] == "" {
					t.Errorf("no problem on %s: %v", f, got)
				}
			}
			if tc.fields == nil && (c.Name != "Uno" || c.RFC != "CLA200101AB1" || c.Email != "uno@cliente.mx" || c.Password != "Secreta-1!") {
				t.Errorf("not normalised: %+v", c)
			}
		})
	}
}

func TestPACSettingsFor(t *testing.T) {
	t.Parallel()
	sw := sales.PACSettings{Vendor: sales.PACSW, Environment: sales.PACProduccion, User: "dist@x.mx", Password: "x"}
	c := Client{ID: "u1", Email: "uno@x.mx", Active: true, AccessToken: "a.b.c"}
	tests := []struct {
		name    string
		d       sales.PACSettings
		edit    func(*Client)
		wantErr bool
	}{
		{"SW dealer", sw, func(*Client) {}, false},
		{"local PAC of demo mode", sales.PACSettings{Environment: sales.PACLocal}, func(*Client) {}, true},
		{"Finkok", sales.PACSettings{Vendor: sales.PACFinkok, Environment: sales.PACPruebas}, func(*Client) {}, true},
		{"inactive client", sw, func(c *Client) { c.Active = false }, true},
		{"no token", sw, func(c *Client) { c.AccessToken = "" }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cl := c
			tc.edit(&cl)
			p, err := PACSettingsFor(tc.d, cl)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if err == nil && (p.Token != "a.b.c" || p.Environment != sales.PACProduccion || p.User != "" || p.Vendor != sales.PACSW) {
				t.Errorf("settings = %+v", p)
			}
		})
	}
}
