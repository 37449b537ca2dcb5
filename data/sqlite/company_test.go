package sqlite

import (
	"context"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

func TestCompanies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := MustOpenTest(t)
	s.clock = fixedNow

	// Given a new installation, there is no active company.
	_, err := s.ActiveCompany(ctx)
	wantKind(t, err, domain.NotFound, "empresa de demostración")

	// When the demo company is saved, it gets an ID and becomes active.
	demo := sales.DemoCompany()
	if err := s.SaveCompany(ctx, demo); err != nil {
		t.Fatal(err)
	}
	if demo.ID == 0 || !demo.CreatedAt.Equal(fixedNow()) {
		t.Fatalf("after insert: %+v", demo)
	}
	got, err := s.ActiveCompany(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if *got != *demo {
		t.Errorf("ActiveCompany = %+v, want %+v", got, demo)
	}

	// A second company does not take over until chosen.
	real := &sales.Company{RFC: "CACX7605101P8", Nombre: "XOCHILT CASAS CHAVEZ", RegimenFiscal: "612", LugarExpedicion: "06300"}
	if err := s.SaveCompany(ctx, real); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActiveCompany(ctx); got.ID != demo.ID {
		t.Errorf("active = %d, want the demo %d", got.ID, demo.ID)
	}
	if err := s.SetActiveCompany(ctx, real.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.ActiveCompany(ctx); got.ID != real.ID {
		t.Errorf("active = %d, want %d", got.ID, real.ID)
	}
	wantKind(t, s.SetActiveCompany(ctx, 999), domain.NotFound, "no existe")
	if got, _ := s.ActiveCompany(ctx); got.ID != real.ID {
		t.Errorf("failed SetActiveCompany changed the active company to %d", got.ID)
	}

	// Updating keeps the ID and the creation time.
	s.clock = func() time.Time { return fixedNow().Add(time.Hour) }
	real.Nombre = "XOCHILT CASAS"
	if err := s.SaveCompany(ctx, real); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListCompanies(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("ListCompanies = %v, %v", list, err)
	}
	if list[0].Nombre != "ESCUELA KEMPER URGATE" || list[1].Nombre != "XOCHILT CASAS" || !list[1].CreatedAt.Equal(fixedNow()) {
		t.Errorf("ListCompanies = %+v", list)
	}

	// The same RFC twice is a conflict; a missing ID is not found.
	dup := sales.DemoCompany()
	wantKind(t, s.SaveCompany(ctx, dup), domain.Conflict, "EKU9003173C9")
	if dup.ID != 0 {
		t.Errorf("failed insert set ID %d", dup.ID)
	}
	ghost := sales.DemoCompany()
	ghost.ID = 42
	ghost.RFC = "AAA010101AAA"
	wantKind(t, s.SaveCompany(ctx, ghost), domain.NotFound, "no existe")
}
