package main

import (
	"context"

	"github.com/folio-mx/folio/domain"
)

// runGUI opens the main window. It is replaced by the real wiring of app/.
func runGUI(ctx context.Context, e *env) error {
	return domain.E(domain.Unavailable, "gui", "La ventana aún no está disponible en esta compilación.", nil)
}
