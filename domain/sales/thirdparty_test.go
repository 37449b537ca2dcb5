package sales

import (
	"context"
	"testing"

	"github.com/folio-mx/folio/domain"
)

func validThirdParty() ThirdParty {
	return ThirdParty{Issuer: "EKU9003173C9", RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ",
		RegimenFiscal: "612", CodigoPostal: "06300", Email: "xochilt@example.com", Active: true}
}

func TestThirdPartyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		edit   func(p *ThirdParty)
		fields []string // nil = valid
	}{
		{"fisica ok", func(p *ThirdParty) {}, nil},
		{"moral ok", func(p *ThirdParty) {
			p.RFC, p.Name, p.RegimenFiscal, p.CodigoPostal = "IIA040805DZ4", "INDISTRIA ILUMINADORA DE ALMACENES", "601", "64000"
		}, nil},
		{"no issuer", func(p *ThirdParty) { p.Issuer = "" }, []string{"Issuer"}},
		{"bad rfc", func(p *ThirdParty) { p.RFC = "CACX7605" }, []string{"RFC"}},
		{"publico general", func(p *ThirdParty) { p.RFC, p.RegimenFiscal = RFCPublicoGeneral, "616" }, []string{"RFC"}},
		{"extranjero", func(p *ThirdParty) { p.RFC, p.RegimenFiscal = RFCExtranjero, "616" }, []string{"RFC"}},
		{"issuer itself", func(p *ThirdParty) { p.RFC, p.RegimenFiscal = "EKU9003173C9", "601" }, []string{"RFC"}},
		{"empty name", func(p *ThirdParty) { p.Name = "" }, []string{"Name"}},
		{"unknown regimen", func(p *ThirdParty) { p.RegimenFiscal = "999" }, []string{"RegimenFiscal"}},
		{"moral regimen for fisica", func(p *ThirdParty) { p.RegimenFiscal = "601" }, []string{"RegimenFiscal"}},
		{"fisica regimen for moral", func(p *ThirdParty) { p.RFC = "IIA040805DZ4" }, []string{"RegimenFiscal"}},
		{"unknown cp", func(p *ThirdParty) { p.CodigoPostal = "00000" }, []string{"CodigoPostal"}},
		{"empty cp", func(p *ThirdParty) { p.CodigoPostal = "" }, []string{"CodigoPostal"}},
		{"bad email", func(p *ThirdParty) { p.Email = "no es correo" }, []string{"Email"}},
		{"no email", func(p *ThirdParty) { p.Email = "" }, nil},
		{"long account", func(p *ThirdParty) { p.BankAccount = "0123456789012345678901234567890" }, []string{"BankAccount"}},
		{"clabe", func(p *ThirdParty) { p.BankAccount = "0021 8000 1234 5678 91" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validThirdParty()
			tt.edit(&p)
			p.Normalize()
			checkFields(t, p.Validate(fakeCatalogs{}), tt.fields)
		})
	}
}

func TestThirdPartyNormalizeAndRef(t *testing.T) {
	t.Parallel()
	p := ThirdParty{ID: 7, Issuer: " eku9003173c9", RFC: " cacx7605101p8 ", Name: "  XOCHILT   CASAS CHAVEZ ",
		RegimenFiscal: " 612", CodigoPostal: "06300 ", BankAccount: "0021 8000 1234 5678 91"}
	p.Normalize()
	if p.Issuer != "EKU9003173C9" || p.RFC != "CACX7605101P8" || p.Name != "XOCHILT CASAS CHAVEZ" ||
		p.RegimenFiscal != "612" || p.CodigoPostal != "06300" || p.BankAccount != "002180001234567891" {
		t.Errorf("Normalize() = %+v", p)
	}
	want := ThirdPartyRef{ID: 7, RFC: "CACX7605101P8", Name: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", CodigoPostal: "06300"}
	if got := p.Ref(); *got != want {
		t.Errorf("Ref() = %+v, want %+v", *got, want)
	}
	l := Line{ThirdParty: p.Ref()}
	if !l.OnBehalf() || (&Line{}).OnBehalf() {
		t.Error("OnBehalf wrong")
	}
}

// memThirdParties is a ThirdPartyStore in memory that, like the real one,
// refuses a second RFC of the same issuer.
type memThirdParties struct {
	rows map[int64]ThirdParty
}

func (m *memThirdParties) dup(t *ThirdParty) bool {
	for _, r := range m.rows {
		if r.ID != t.ID && r.Issuer == t.Issuer && r.RFC == t.RFC {
			return true
		}
	}
	return false
}

func (m *memThirdParties) CreateThirdParty(_ context.Context, t *ThirdParty) error {
	if m.dup(t) {
		return domain.E(domain.Conflict, "create", "dup", nil)
	}
	t.ID = int64(len(m.rows) + 1)
	m.rows[t.ID] = *t
	return nil
}

func (m *memThirdParties) UpdateThirdParty(_ context.Context, t *ThirdParty) error {
	if _, ok := m.rows[t.ID]; !ok {
		return domain.E(domain.NotFound, "update", "no", nil)
	}
	if m.dup(t) {
		return domain.E(domain.Conflict, "update", "dup", nil)
	}
	m.rows[t.ID] = *t
	return nil
}

func (m *memThirdParties) SetThirdPartyActive(_ context.Context, id int64, active bool) error {
	r, ok := m.rows[id]
	if !ok {
		return domain.E(domain.NotFound, "active", "no", nil)
	}
	r.Active = active
	m.rows[id] = r
	return nil
}

func (m *memThirdParties) FindThirdPartyByID(_ context.Context, id int64) (ThirdParty, error) {
	r, ok := m.rows[id]
	if !ok {
		return r, domain.E(domain.NotFound, "find", "no", nil)
	}
	return r, nil
}

func (m *memThirdParties) FindThirdParties(_ context.Context, f ThirdPartyFilter) ([]ThirdParty, error) {
	var out []ThirdParty
	for _, r := range m.rows {
		if r.Issuer == f.Issuer && (r.Active || f.IncludeInactive) {
			out = append(out, r)
		}
	}
	return out, nil
}

func TestThirdPartiesService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := &ThirdParties{Store: &memThirdParties{rows: map[int64]ThirdParty{}}, Catalogs: fakeCatalogs{}}

	p := validThirdParty()
	p.Active = false
	p.Name = " xochilt  casas chavez "
	if err := s.Create(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || !p.Active || p.Name != "xochilt casas chavez" {
		t.Errorf("Create left %+v; want an ID, active, normalized", p)
	}

	dup := validThirdParty()
	err := s.Create(ctx, &dup)
	if domain.KindOf(err) != domain.Conflict || FieldErrors(err)["RFC"] == "" {
		t.Errorf("second RFC: err %v (kind %v, fields %v); want a Conflict on RFC", err, domain.KindOf(err), FieldErrors(err))
	}

	bad := validThirdParty()
	bad.RFC = RFCPublicoGeneral
	if err := s.Create(ctx, &bad); domain.KindOf(err) != domain.Invalid {
		t.Errorf("generic RFC: err %v, want Invalid", err)
	}

	moved := p
	moved.Issuer = "IIA040805DZ4"
	if err := s.Update(ctx, &moved); domain.KindOf(err) != domain.Invalid {
		t.Errorf("change of issuer: err %v, want Invalid", err)
	}
	p.Phone = " 55 1234 5678 "
	if err := s.Update(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Find(ctx, p.ID); got.Phone != "55 1234 5678" {
		t.Errorf("after Update, Phone = %q", got.Phone)
	}

	if err := s.Deactivate(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.List(ctx, ThirdPartyFilter{Issuer: " eku9003173c9 "}); len(list) != 0 {
		t.Errorf("List after Deactivate = %v, want none", list)
	}
	if list, _ := s.List(ctx, ThirdPartyFilter{Issuer: "EKU9003173C9", IncludeInactive: true}); len(list) != 1 {
		t.Errorf("List with inactive = %v, want one", list)
	}
	if _, err := s.List(ctx, ThirdPartyFilter{}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("List without issuer: err %v, want Invalid", err)
	}
	if err := s.Activate(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Find(ctx, p.ID); !got.Active {
		t.Error("Activate did not activate")
	}
}
