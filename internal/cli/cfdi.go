package cli

import (
	"context"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/sat"
)

const (
	cfdiUsage       = "cfdi verify|cadena|seal ..."
	cfdiVerifyUsage = "cfdi verify ARCHIVO.xml..."
	cfdiCadenaUsage = "cfdi cadena [--tfd] ARCHIVO.xml"
	cfdiSealUsage   = "cfdi seal --cer CER --key KEY --password-file ARCHIVO [--forzar] ENTRADA.xml [-o SALIDA.xml]"
)

// runCFDI dispatches the cfdi subcommands.
func runCFDI(_ context.Context, e *Env) error {
	if len(e.Args) == 0 {
		return errUsage{cfdiUsage}
	}
	args := e.Args[1:]
	switch e.Args[0] {
	case "verify":
		return cfdiVerify(e, args)
	case "cadena":
		return cfdiCadena(e, args)
	case "seal":
		return cfdiSeal(e, args)
	}
	return errUsage{cfdiUsage}
}

// cfdiVerify prints one verdict line per file: structure, seal,
// NoCertificado and, when Folio knows the SAT certificate, the TFD's
// SelloSAT decide OK or FALLA. The line names the complements (those SAT's
// XSLT includes in the cadena, and apart those it has no template for and
// the Addenda, which are kept as they are and not covered by the seal). Amounts outside SAT's limits and a
// certificate not valid on Fecha are reported as warnings on the same line
// (the oracle, verify-seal.sh, does not judge business rules either). It
// returns errSilent when any file fails.
func cfdiVerify(e *Env, files []string) error {
	if len(files) == 0 {
		return errUsage{cfdiVerifyUsage}
	}
	sats := satTFDCertificates()
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return domain.E(domain.Internal, "cfdi verify", "No se pudieron leer los catálogos del SAT incluidos en Folio.", err)
	}
	failed := false
	for _, f := range files {
		line, ok := verifyFile(f, sats, cats)
		if !ok {
			failed = true
		}
		fmt.Fprintf(e.Stdout, "%s: %s\n", f, line)
	}
	if failed {
		return errSilent
	}
	return nil
}

// verifyFile returns the verdict line of one file and whether it passed.
func verifyFile(file string, sats []*x509.Certificate, cats cfdi.Catalogs) (string, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "FALLA: no se pudo leer el archivo", false
	}
	v := cfdi.Verify(data, sats...)
	line := v.String()
	if v.Comprobante != nil {
		known, unknown := v.Comprobante.ComplementNames()
		if len(known) > 0 {
			line += " | complementos: " + strings.Join(known, ", ")
		}
		if len(unknown) > 0 {
			line += " | sin plantilla del SAT, conservados tal cual: " + strings.Join(unknown, ", ")
		}
	}
	if warns := verifyWarnings(v.Comprobante, cats); len(warns) > 0 {
		line += " | AVISO: " + strings.Join(warns, "; ")
	}
	return line, v.OK()
}

// verifyWarnings judges what does not decide the verdict: the amounts
// (preflight.CheckAmounts: the rules of its TipoDeComprobante, in the
// currency's decimals) and the validity of the
// certificate on the document's Fecha.
func verifyWarnings(c *cfdi.Comprobante, cats cfdi.Catalogs) []string {
	if c == nil {
		return nil
	}
	var warns []string
	if decimals, ok := cats.MonedaDecimals(c.Moneda); !ok {
		warns = append(warns, fmt.Sprintf("importes no revisados: la moneda «%s» no está en c_Moneda", c.Moneda))
	} else if err := preflight.CheckAmounts(c, decimals); err != nil {
		ps := preflight.Problems(err)
		w := "importes fuera de las reglas del SAT: " + oneLine(ps[0].Msg)
		if ps[0].Code != "" {
			w = "importes fuera de las reglas del SAT: " + ps[0].Code + " " + oneLine(ps[0].Msg)
		}
		if len(ps) > 1 {
			w += fmt.Sprintf(" (y %d más)", len(ps)-1)
		}
		warns = append(warns, w)
	}
	if cert, err := cfdi.DocumentCertificate(c); err == nil {
		if f, err := time.ParseInLocation("2006-01-02T15:04:05", c.Fecha, domain.MexicoCity); err == nil &&
			(f.Before(cert.NotBefore) || f.After(cert.NotAfter)) {
			warns = append(warns, fmt.Sprintf("el certificado no estaba vigente en la fecha del comprobante (vigencia %s a %s)",
				cert.NotBefore.Format(time.DateOnly), cert.NotAfter.Format(time.DateOnly)))
		}
	}
	return warns
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// satTFDCertificates parses the SAT certificates embedded in Folio that
// sign TimbreFiscalDigital stamps.
func satTFDCertificates() []*x509.Certificate {
	var out []*x509.Certificate
	for _, der := range assets.SATTFDCertificates() {
		if c, err := x509.ParseCertificate(der); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// cfdiCadena writes the cadena original of a file (or, with --tfd, that of
// its TimbreFiscalDigital), exactly: no newline is added.
func cfdiCadena(e *Env, args []string) error {
	tfd := false
	var files []string
	for _, a := range args {
		if a == "--tfd" {
			tfd = true
			continue
		}
		files = append(files, a)
	}
	if len(files) != 1 {
		return errUsage{cfdiCadenaUsage}
	}
	c, err := readCFDI(files[0])
	if err != nil {
		return err
	}
	var s string
	if tfd {
		if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
			return domain.E(domain.Invalid, "cfdi cadena", "El comprobante no está timbrado: no tiene TimbreFiscalDigital.", nil)
		}
		s = cfdi.TFDCadena(c.Complemento.TimbreFiscalDigital)
	} else if s, err = cfdi.CadenaOriginal(c); err != nil {
		return err
	}
	_, err = io.WriteString(e.Stdout, s)
	return err
}

func readCFDI(file string) (*cfdi.Comprobante, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, domain.E(domain.NotFound, "cfdi", "No se pudo leer el archivo "+file+".", err)
	}
	return cfdi.Parse(data)
}

// cfdiSeal seals a document with a CSD: it checks it first with the
// pre-flight rules (refusing, with every problem listed, unless --forzar),
// then fills NoCertificado, Certificado and Sello and writes the sealed XML
// to -o or to standard output.
func cfdiSeal(e *Env, args []string) error {
	var cerPath, keyPath, pwPath, out, in string
	force := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		value := func() (string, bool) {
			if i+1 >= len(args) {
				return "", false
			}
			i++
			return args[i], true
		}
		var ok = true
		switch a {
		case "--cer", "-cer":
			cerPath, ok = value()
		case "--key", "-key":
			keyPath, ok = value()
		case "--password-file", "-password-file":
			pwPath, ok = value()
		case "-o", "--o", "--output":
			out, ok = value()
		case "--forzar":
			force = true
		default:
			if strings.HasPrefix(a, "-") || in != "" {
				return errUsage{cfdiSealUsage}
			}
			in = a
		}
		if !ok {
			return errUsage{cfdiSealUsage}
		}
	}
	if cerPath == "" || keyPath == "" || pwPath == "" || in == "" {
		return errUsage{cfdiSealUsage}
	}
	const op = "cfdi seal"
	cer, err := os.ReadFile(cerPath)
	if err != nil {
		return domain.E(domain.NotFound, op, "No se pudo leer el certificado "+cerPath+".", err)
	}
	key, err := os.ReadFile(keyPath)
	if err != nil {
		return domain.E(domain.NotFound, op, "No se pudo leer la llave privada "+keyPath+".", err)
	}
	pw, err := os.ReadFile(pwPath)
	if err != nil {
		return domain.E(domain.NotFound, op, "No se pudo leer el archivo de la contraseña "+pwPath+".", err)
	}
	password, _, _ := strings.Cut(string(pw), "\n")
	signer, err := csd.Load(cer, key, strings.TrimSuffix(password, "\r"))
	if err != nil {
		return err
	}
	c, err := readCFDI(in)
	if err != nil {
		return err
	}
	if c.Complemento != nil && c.Complemento.TimbreFiscalDigital != nil {
		return domain.E(domain.Conflict, op, "El comprobante ya está timbrado; un CFDI timbrado no se vuelve a sellar.", nil)
	}
	cats, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return domain.E(domain.Internal, op, "No se pudieron leer los catálogos del SAT incluidos en Folio.", err)
	}
	cert := signer.Certificate()
	perr := preflight.Check(c, cats, preflight.Options{
		Now: time.Now(), CertNotBefore: cert.NotBefore, CertNotAfter: cert.NotAfter, CertRFC: cert.RFC,
	})
	if perr != nil {
		head := "error"
		if force {
			head = "aviso"
		}
		for _, p := range preflight.Problems(perr) {
			fmt.Fprintf(e.Stderr, "%s: %s\n", head, problemLine(p))
		}
		if !force {
			fmt.Fprintln(e.Stderr, "folio: el comprobante no se selló; corríjalo o use --forzar para sellarlo de todos modos.")
			return errSilent
		}
	}
	sealed, err := cfdi.Seal(c, signer)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = e.Stdout.Write(sealed)
		return err
	}
	if err := os.WriteFile(out, sealed, 0o644); err != nil {
		return domain.E(domain.Unavailable, op, "No se pudo escribir el archivo "+out+".", err)
	}
	return nil
}

// problemLine formats a pre-flight problem as "CÓDIGO [campo] mensaje".
func problemLine(p preflight.Problem) string {
	var b strings.Builder
	if p.Code != "" {
		b.WriteString(p.Code + " ")
	}
	if p.Field != "" {
		b.WriteString("[" + p.Field + "] ")
	}
	b.WriteString(oneLine(p.Msg))
	return b.String()
}
