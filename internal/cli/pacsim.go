package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/domain"
)

const pacSimUsage = "pac-sim [--addr 127.0.0.1:PUERTO] [--timbres N] [--latencia 50ms]"

// runPACSim runs the local PAC until interrupted.
func runPACSim(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("pac-sim", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	addr := fs.String("addr", "127.0.0.1:0", "dirección de escucha")
	stamps := fs.Int64("timbres", sim.DemoUser.Stamps, "saldo inicial de timbres")
	latency := fs.Duration("latencia", 0, "demora añadida a cada timbrado")
	storage := fs.Duration("almacen", time.Second, "demora para que un timbre aparezca en el almacén")
	if err := fs.Parse(e.Args); err != nil || fs.NArg() > 0 {
		return errUsage{pacSimUsage}
	}
	user := sim.DemoUser
	user.Stamps = *stamps
	s, err := sim.Start(sim.Options{Addr: *addr, Users: []sim.User{user}, Latency: *latency, StorageDelay: *storage})
	if err != nil {
		return domain.E(domain.Unavailable, "pac-sim", "No se pudo iniciar el PAC local en "+*addr+".", err)
	}
	fmt.Fprintf(e.Stdout, "PAC local escuchando en %s\n", s.URL())
	fmt.Fprintf(e.Stdout, "usuario: %s  contraseña: %s  token: %s  timbres: %d\n", user.Email, user.Password, user.Token, user.Stamps)
	fmt.Fprintf(e.Stdout, "consulta SAT: %s\n", s.StatusURL())
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Shutdown(sctx)
}
