package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/internal/wire"
)

const (
	companyUsage    = "company list | use RFC | csd --cer C --key K --password-file P | pac … | ventas [--terceros si|no] [--vendedores si|no]"
	companyPACUsage = "company pac --local | company pac [--pac sw|finkok] [--produccion] [--url URL] (--user USUARIO --password-file ARCHIVO | --token-file ARCHIVO)\n" +
		"  [--secundario-pac sw|finkok] [--secundario-produccion] [--secundario-url URL] (--secundario-user USUARIO --secundario-password-file ARCHIVO | --secundario-token-file ARCHIVO) [--cambiar-tras MIN] | --sin-secundario"
)

func runCompany(ctx context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{companyUsage}
	}
	switch e.Args[0] {
	case "list":
		if len(e.Args) != 1 {
			return errUsage{"company list"}
		}
		return companyList(ctx, e)
	case "csd":
		return companyCSD(ctx, e, e.Args[1:])
	case "pac":
		return companyPAC(ctx, e, e.Args[1:])
	case "ventas":
		return companySales(ctx, e, e.Args[1:])
	case "use":
		if len(e.Args) != 2 || strings.TrimSpace(e.Args[1]) == "" {
			return errUsage{"company use RFC"}
		}
		return companyUse(ctx, e, e.Args[1])
	}
	return errUsage{companyUsage}
}

// companyList prints every company, the active one marked with "*", with
// its CSD's number and expiry.
func companyList(ctx context.Context, e *Env) error {
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.ListCompanies(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, "No hay empresas. Abra Folio o use «folio demo» para crear la empresa de demostración.")
		return nil
	}
	active, err := s.ActiveCompany(ctx)
	if err != nil && domain.KindOf(err) != domain.NotFound {
		return err
	}
	companies := wire.NewCompanies(s)
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	for _, c := range list {
		mark := " "
		if active != nil && active.ID == c.ID {
			mark = "*"
		}
		kind := ""
		if c.Demo {
			kind = "demostración"
		}
		csdText := "sin CSD"
		info, err := companies.CompanyCSD(ctx, c.ID)
		switch {
		case err == nil:
			csdText = "CSD " + info.NoCertificado + " vence " + info.NotAfter.In(domain.MexicoCity).Format("02/01/2006")
		case domain.KindOf(err) != domain.NotFound:
			return err
		}
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\t%s\t%s\n", mark, c.RFC, c.Nombre, c.RegimenFiscal, c.LugarExpedicion, kind, csdText)
	}
	return tw.Flush()
}

// companyCSD uploads a CSD to the active company with the same checks as
// the window. The password is read from a file (its first line), never from
// the command line, where other users could see it in the process list.
func companyCSD(ctx context.Context, e *Env, args []string) error {
	const usage = "company csd --cer ARCHIVO.cer --key ARCHIVO.key --password-file ARCHIVO"
	fs := flag.NewFlagSet("company csd", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cerPath := fs.String("cer", "", "")
	keyPath := fs.String("key", "", "")
	pwPath := fs.String("password-file", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *cerPath == "" || *keyPath == "" || *pwPath == "" {
		return errUsage{usage}
	}
	cer, err := readInput(*cerPath, "el certificado (.cer)")
	if err != nil {
		return err
	}
	key, err := readInput(*keyPath, "la llave privada (.key)")
	if err != nil {
		return err
	}
	pw, err := readInput(*pwPath, "el archivo de la contraseña")
	if err != nil {
		return err
	}
	password := firstLine(pw)

	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := wire.NewCompanies(s).SaveCompanyCSD(ctx, co.ID, cer, key, password)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "CSD %s de %s guardado para %s (%s); vigente hasta el %s.\n", info.NoCertificado, info.Nombre,
		co.Nombre, co.RFC, info.NotAfter.In(domain.MexicoCity).Format("02/01/2006"))
	return nil
}

// companyPAC sets the active company's PAC accounts. The primary: the
// local PAC of demo mode (--local, the demo company only), or an account
// of SW sapien (--pac sw, the default) or Finkok (--pac finkok) in the
// test environment (production with --produccion) at its default hosts or
// at --url, the PAC's services base URL (a local PAC such as `folio
// pac-sim` on this computer may use http). The secondary (issue 16), which
// new documents go to while the primary has not answered for
// --cambiar-tras minutes [5]: the same flags after "--secundario-"; or
// --sin-secundario to remove it; --cambiar-tras alone changes the
// threshold of the stored secondary. Passwords and tokens are read from a
// file (its first line), never from the command line, and never printed;
// the store keeps them sealed. The company's waiting documents are made
// due at once, so the next `folio sync`, or a window that is open, sends
// them to the new account.
func companyPAC(ctx context.Context, e *Env, args []string) error {
	fs := flag.NewFlagSet("company pac", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	local := fs.Bool("local", false, "")
	primary := accountFlags(fs, "")
	secondary := accountFlags(fs, "secundario-")
	noSecondary := fs.Bool("sin-secundario", false, "")
	after := fs.Int("cambiar-tras", 0, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage{companyPACUsage}
	}
	var p *sales.PACSettings
	switch {
	case *local:
		if primary.given() {
			return errUsage{companyPACUsage}
		}
		p = &sales.PACSettings{Environment: sales.PACLocal}
	case primary.given():
		var err error
		if p, err = primary.settings(); err != nil {
			return err
		}
	}
	var f *sales.PACFailover
	switch {
	case *noSecondary:
		if secondary.given() || *after != 0 {
			return errUsage{companyPACUsage}
		}
	case secondary.given():
		sp, err := secondary.settings()
		if err != nil {
			return err
		}
		f = &sales.PACFailover{Secondary: *sp, AfterMinutes: *after}
	case *after != 0:
	case p == nil:
		return errUsage{companyPACUsage}
	}

	s, co, err := openActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	companies := wire.NewCompanies(s)
	if p != nil {
		if err := companies.SavePACSettings(ctx, co.ID, *p); err != nil {
			return printProblems(e, err)
		}
		p.Normalize()
		fmt.Fprintf(e.Stdout, "Cuenta del PAC de %s (%s) guardada: %s.\n", co.Nombre, co.RFC, wire.AccountName(*p))
	}
	if f == nil && *after != 0 { // a new threshold for the stored secondary
		if f, err = companies.CompanySecondaryPAC(ctx, co.ID); err != nil {
			return err
		}
		if f == nil {
			return domain.E(domain.NotFound, "cli.companyPAC", "La empresa "+co.RFC+" no tiene PAC secundario. Configúrelo con las opciones --secundario-….", nil)
		}
		f.AfterMinutes = *after
	}
	switch {
	case *noSecondary:
		if err := companies.SaveSecondaryPAC(ctx, co.ID, nil); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "%s (%s) ya no tiene PAC secundario.\n", co.Nombre, co.RFC)
	case f != nil:
		if err := companies.SaveSecondaryPAC(ctx, co.ID, f); err != nil {
			return printProblems(e, err)
		}
		f.Secondary.Normalize()
		fmt.Fprintf(e.Stdout, "PAC secundario de %s (%s) guardado: %s; se usa tras %s sin respuesta del principal.\n",
			co.Nombre, co.RFC, wire.AccountName(f.Secondary), minutes(int(f.After()/time.Minute)))
	}
	if _, err := wire.QueueOf(s).RetryIssuerNow(ctx, co.RFC, s.Now()); err != nil {
		return err
	}
	return nil
}

// minutes is "1 minuto" or "N minutos".
func minutes(n int) string {
	if n == 1 {
		return "1 minuto"
	}
	return fmt.Sprintf("%d minutos", n)
}

// printProblems prints the field problems of a refused account, one a
// line in field order, or returns err when it has none.
func printProblems(e *Env, err error) error {
	problems := sales.FieldErrors(err)
	if len(problems) == 0 {
		return err
	}
	fields := make([]string, 0, len(problems))
	for f := range problems {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		fmt.Fprintln(e.Stderr, "folio:", problems[f])
	}
	return errSilent
}

// pacFlags are the flags of one PAC account, named after prefix.
type pacFlags struct {
	vendor, url, user, pwPath, tokenPath *string
	prod                                 *bool
}

func accountFlags(fs *flag.FlagSet, prefix string) pacFlags {
	return pacFlags{vendor: fs.String(prefix+"pac", "", ""), prod: fs.Bool(prefix+"produccion", false, ""),
		url: fs.String(prefix+"url", "", ""), user: fs.String(prefix+"user", "", ""),
		pwPath: fs.String(prefix+"password-file", "", ""), tokenPath: fs.String(prefix+"token-file", "", "")}
}

// given reports whether any of the account's flags was set.
func (f pacFlags) given() bool {
	return *f.vendor != "" || *f.prod || *f.url != "" || *f.user != "" || *f.pwPath != "" || *f.tokenPath != ""
}

// settings reads the account: a user with its password file, or a token
// file; the secret files' first lines.
func (f pacFlags) settings() (*sales.PACSettings, error) {
	p := &sales.PACSettings{Vendor: sales.PACVendor(strings.ToLower(strings.TrimSpace(*f.vendor))), Environment: sales.PACPruebas, URL: *f.url}
	if *f.prod {
		p.Environment = sales.PACProduccion
	}
	switch {
	case *f.user != "" && *f.pwPath != "" && *f.tokenPath == "":
		pw, err := readInput(*f.pwPath, "el archivo de la contraseña del PAC")
		if err != nil {
			return nil, err
		}
		p.User, p.Password = *f.user, firstLine(pw)
	case *f.tokenPath != "" && *f.user == "" && *f.pwPath == "":
		tok, err := readInput(*f.tokenPath, "el archivo del token del PAC")
		if err != nil {
			return nil, err
		}
		p.Token = firstLine(tok)
	default:
		return nil, errUsage{companyPACUsage}
	}
	return p, nil
}

// firstLine is the first line of a file holding a password or a token,
// without its line ending.
func firstLine(b []byte) string {
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSuffix(line, "\r")
}

// readInput reads a file the user named, with a Spanish error.
func readInput(path, what string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, domain.E(domain.Invalid, "company csd", fmt.Sprintf("No existe el archivo %s (%s).", path, what), err)
	}
	if err != nil {
		return nil, domain.E(domain.Invalid, "company csd", fmt.Sprintf("No se pudo leer %s (%s).", path, what), err)
	}
	return b, nil
}

// companyUse makes the company with that RFC the active one.
func companyUse(ctx context.Context, e *Env, rfc string) error {
	s, err := openShared(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.ListCompanies(ctx)
	if err != nil {
		return err
	}
	rfc = strings.ToUpper(strings.TrimSpace(rfc))
	var co *sales.Company
	for i := range list {
		if list[i].RFC == rfc {
			co = &list[i]
		}
	}
	if co == nil {
		return domain.E(domain.NotFound, "company use", "No hay una empresa con el RFC "+rfc+". Vea las empresas con «folio company list».", nil)
	}
	if err := s.SetActiveCompany(ctx, co.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Empresa activa: %s — %s\n", co.RFC, co.Nombre)
	return nil
}
