package sales

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/csd"
)

// ErrCSDOtherRFC is the cause of CheckCompanyCSD's error when the
// certificate belongs to another taxpayer.
var ErrCSDOtherRFC = errors.New("certificate RFC differs from the company RFC")

// CompanyCSD describes the CSD stored for a company: what the screens and
// commands show. It never holds the key or its password.
type CompanyCSD struct {
	CompanyID     int64
	NoCertificado string    // 20 digits
	RFC           string    // holder's RFC, equal to the company's
	Nombre        string    // holder's name as the certificate states it
	NotBefore     time.Time // validity, UTC
	NotAfter      time.Time
	UploadedAt    time.Time // zero for the demo company's embedded CSD
}

// CheckCompanyCSD loads a CSD from the bytes of the .cer and .key files and
// the key's password and checks it may seal the company's invoices at now:
// every check of csd.LoadAt (a CSD and not an e.firma, valid at now, key
// decrypts with the password and matches the certificate), then that the
// certificate's RFC is the company's RFC. Errors are *domain.Error of kind
// Invalid with csd's Spanish messages; the RFC mismatch wraps
// ErrCSDOtherRFC. The password is not kept.
func CheckCompanyCSD(c *Company, cer, key []byte, password string, now time.Time) (*csd.CSD, CompanyCSD, error) {
	const op = "check company csd"
	if c == nil {
		return nil, CompanyCSD{}, domain.E(domain.Invalid, op, "Primero registre los datos de la empresa.", nil)
	}
	if len(cer) == 0 {
		return nil, CompanyCSD{}, domain.E(domain.Invalid, op, "Elija el archivo del certificado (.cer).", nil)
	}
	if len(key) == 0 {
		return nil, CompanyCSD{}, domain.E(domain.Invalid, op, "Elija el archivo de la llave privada (.key).", nil)
	}
	// The RFC is checked on the certificate alone first, so that the user
	// who picked another company's files hears that before a password error.
	cert, err := csd.ParseCertificate(cer)
	if err != nil {
		return nil, CompanyCSD{}, err
	}
	if err := CheckCertificateRFC(c, cert); err != nil {
		return nil, CompanyCSD{}, err
	}
	signer, err := csd.LoadAt(cer, key, password, now)
	if err != nil {
		return nil, CompanyCSD{}, err
	}
	return signer, DescribeCSD(c.ID, signer.Certificate()), nil
}

// CheckCertificateRFC returns nil when the certificate's holder is the
// company (same RFC), else an Invalid error wrapping ErrCSDOtherRFC.
func CheckCertificateRFC(c *Company, cert *csd.Certificate) error {
	if strings.EqualFold(strings.TrimSpace(cert.RFC), strings.TrimSpace(c.RFC)) {
		return nil
	}
	return domain.E(domain.Invalid, "check company csd",
		"El certificado es del RFC "+cert.RFC+", no del RFC de la empresa ("+c.RFC+"). Elija el CSD de la empresa.", ErrCSDOtherRFC)
}

// DescribeCSD returns the stored description of a certificate.
func DescribeCSD(companyID int64, cert *csd.Certificate) CompanyCSD {
	return CompanyCSD{
		CompanyID:     companyID,
		NoCertificado: cert.NoCertificado,
		RFC:           cert.RFC,
		Nombre:        cert.Nombre,
		NotBefore:     cert.NotBefore.UTC(),
		NotAfter:      cert.NotAfter.UTC(),
	}
}

// PACEnvironment says where a company's invoices are stamped.
type PACEnvironment string

// The PAC environments. PACLocal is Folio's local PAC simulator (demo mode:
// stamps without fiscal validity); PACPruebas and PACProduccion are the
// PAC's test and production services.
const (
	PACLocal      PACEnvironment = "local"
	PACPruebas    PACEnvironment = "pruebas"
	PACProduccion PACEnvironment = "produccion"
)

// PACVendor is the PAC company an account belongs to: its API and hosts.
type PACVendor string

// The PAC vendors Folio speaks to (pac/README.md: SW sapien's REST API,
// Finkok's SOAP services).
const (
	PACSW     PACVendor = "sw"
	PACFinkok PACVendor = "finkok"
)

// PACSettings is a company's PAC account. Either Token (a long-lived
// token) or User and Password authenticate. The store keeps User, Password
// and Token encrypted; they must never be logged.
type PACSettings struct {
	// Vendor is whose API the account speaks: SW sapien ("" or PACSW) or
	// Finkok. The local PAC of demo mode has none.
	Vendor      PACVendor
	Environment PACEnvironment
	User        string
	Password    string
	Token       string
	// URL is the PAC's services base URL when it is not the environment's
	// default host: a provider's own host, or a local PAC such as
	// `folio pac-sim`. "" uses the environment's hosts. It is not a secret
	// and never carries credentials.
	URL string
}

// Normalize trims the user, the token and the URL (a password is kept
// verbatim) and makes an empty vendor SW sapien; the local PAC has no URL
// and no vendor.
func (p *PACSettings) Normalize() {
	p.User = strings.TrimSpace(p.User)
	p.Token = strings.TrimSpace(p.Token)
	p.URL = strings.TrimRight(strings.TrimSpace(p.URL), "/")
	if p.Vendor == "" {
		p.Vendor = PACSW
	}
	if p.Environment == PACLocal {
		p.URL, p.Vendor = "", ""
	}
}

// Validate checks the settings: a known environment and, except for the
// local PAC, a token or a user with its password, and a URL (when given)
// that is https — or http on this computer, for a local PAC — with no
// credentials in it; a Finkok account uses a user and a password (Finkok
// has no token). It reports every problem (fields "Vendor", "Environment",
// "User", "Password", "Token", "URL").
func (p *PACSettings) Validate() error {
	pr := &problems{op: "validate pac settings"}
	switch p.Environment {
	case PACLocal:
		return nil
	case PACPruebas, PACProduccion:
	default:
		pr.add("Environment", "Elija el ambiente del PAC: local de demostración, pruebas o producción.")
		return pr.err()
	}
	switch p.Vendor {
	case "", PACSW:
	case PACFinkok:
		if p.Token != "" {
			pr.add("Token", "Finkok no usa token: escriba el usuario y la contraseña de su cuenta de Finkok.")
		}
	default:
		pr.add("Vendor", "Elija el PAC: SW sapien o Finkok.")
	}
	if p.URL != "" {
		if msg := checkPACURL(p.URL); msg != "" {
			pr.add("URL", msg)
		}
	}
	if p.Token == "" {
		if p.User == "" {
			pr.add("User", "Escriba el usuario de su cuenta del PAC, o use un token de acceso.")
		}
		if p.Password == "" {
			pr.add("Password", "Escriba la contraseña de su cuenta del PAC, o use un token de acceso.")
		}
	}
	return pr.err()
}

// checkPACURL returns what is wrong with a PAC services URL, "" if nothing.
// Credentials travel to it, so it must be https unless it is a local PAC on
// this computer (loopback).
func checkPACURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "Escriba la dirección completa del PAC, p. ej. https://services.test.sw.com.mx."
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "La dirección del PAC no debe llevar usuario, contraseña ni parámetros; escríbalos en sus campos."
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return "Use https:// para la dirección del PAC; http:// solo se admite para un PAC local en este equipo (127.0.0.1 o localhost)."
	}
	return ""
}

// IsLoopback reports whether host (a name or an IP, without port) is this
// computer: "localhost" or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
