package csd

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
)

// The causes of the errors this package returns. Every error is a
// *domain.Error of kind Invalid whose Err wraps exactly one of these, so
// errors.Is(err, csd.ErrWrongPassword) tells the failures apart.
var (
	ErrNotCertificate = errors.New("not an X.509 certificate")
	ErrNoCertificado  = errors.New("serial number is not a 20-digit SAT certificate number")
	ErrFIEL           = errors.New("e.firma (FIEL) certificate offered as a CSD")
	ErrNotCSD         = errors.New("certificate does not allow digital signatures")
	ErrExpired        = errors.New("certificate expired")
	ErrNotYetValid    = errors.New("certificate not yet valid")
	ErrNotKey         = errors.New("not an encrypted PKCS#8 RSA private key")
	ErrWrongPassword  = errors.New("wrong private key password")
	ErrKeyMismatch    = errors.New("private key does not match the certificate")
)

// Object identifiers of the subject attributes SAT fills in its certificates.
var (
	oidUniqueIdentifier = asn1.ObjectIdentifier{2, 5, 4, 45} // x500UniqueIdentifier: "RFC" or "RFC / RFC del representante"
	oidSerialNumber     = asn1.ObjectIdentifier{2, 5, 4, 5}  // serialNumber: "CURP" or " / CURP del representante"
	oidName             = asn1.ObjectIdentifier{2, 5, 4, 41} // name
)

// Certificate is a SAT certificate read from its DER bytes, with the data a
// CFDI needs already extracted. Its fields are read-only after
// ParseCertificate returns.
type Certificate struct {
	// X509 is the parsed certificate; Raw holds the DER bytes.
	X509 *x509.Certificate
	// NoCertificado is the 20-digit certificate number SAT writes in the
	// serial (each serial byte is the ASCII code of one digit).
	NoCertificado string
	// RFC is the holder's RFC (x500UniqueIdentifier, OID 2.5.4.45). For a
	// persona moral the attribute reads "RFC / RFC of the legal
	// representative"; RFC is the first one.
	RFC string
	// RFCRepresentante is the legal representative's RFC, when present.
	RFCRepresentante string
	// CURP is the holder's CURP (serialNumber attribute), empty for a
	// persona moral.
	CURP string
	// Nombre is the holder's name as the certificate states it (for a
	// persona moral it includes the company type, e.g. "SA DE CV", which
	// CFDI 4.0 Emisor/@Nombre must leave out).
	Nombre string
	// Sucursal is the organizational unit (OU): the branch name a taxpayer
	// gives when requesting a CSD. e.firma certificates have none.
	Sucursal string
	// NotBefore and NotAfter bound the validity (UTC instants).
	NotBefore, NotAfter time.Time
}

// ParseCertificate reads a SAT certificate: DER bytes (a .cer file), or the
// same in a PEM "CERTIFICATE" block. It fails with ErrNotCertificate when the
// bytes are not an X.509 certificate and with ErrNoCertificado when the serial
// is not a 20-digit SAT certificate number. It does not judge whether the
// certificate is a CSD or is valid today: see CheckCSD and CheckValidity.
func ParseCertificate(der []byte) (*Certificate, error) {
	const op = "csd.ParseCertificate"
	if block := pemBlock(der, "CERTIFICATE"); block != nil {
		der = block
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, invalid(op, "El archivo del certificado (.cer) no es un certificado válido.", ErrNotCertificate, err)
	}
	no, ok := noCertificado(c.SerialNumber.Bytes())
	if !ok {
		return nil, invalid(op, "El certificado no tiene un número de certificado del SAT (20 dígitos); no es un CSD emitido por el SAT.", ErrNoCertificado, fmt.Errorf("serial %x", c.SerialNumber.Bytes()))
	}
	cert := &Certificate{
		X509:          c,
		NoCertificado: no,
		Nombre:        subjectName(c),
		NotBefore:     c.NotBefore,
		NotAfter:      c.NotAfter,
	}
	if len(c.Subject.OrganizationalUnit) > 0 {
		cert.Sucursal = strings.TrimSpace(c.Subject.OrganizationalUnit[0])
	}
	for _, atv := range c.Subject.Names {
		v, _ := atv.Value.(string)
		switch {
		case atv.Type.Equal(oidUniqueIdentifier):
			cert.RFC, cert.RFCRepresentante = splitPair(v)
		case atv.Type.Equal(oidSerialNumber):
			cert.CURP, _ = splitPair(v)
		}
	}
	return cert, nil
}

// noCertificado decodes SAT's serial convention: the serial's bytes are the
// ASCII codes of the 20 digits of NoCertificado (hex 3330303031… = "30001…").
func noCertificado(serial []byte) (string, bool) {
	if len(serial) != 20 {
		return "", false
	}
	for _, b := range serial {
		if b < '0' || b > '9' {
			return "", false
		}
	}
	return string(serial), true
}

// splitPair splits SAT's "A / B" attribute convention and trims both halves.
func splitPair(v string) (first, second string) {
	first, second, _ = strings.Cut(v, "/")
	return strings.TrimSpace(first), strings.TrimSpace(second)
}

// subjectName returns the holder's name: the "name" attribute, else the
// common name, else the organization.
func subjectName(c *x509.Certificate) string {
	for _, atv := range c.Subject.Names {
		if v, ok := atv.Value.(string); ok && atv.Type.Equal(oidName) && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	if s := strings.TrimSpace(c.Subject.CommonName); s != "" {
		return s
	}
	if len(c.Subject.Organization) > 0 {
		return strings.TrimSpace(c.Subject.Organization[0])
	}
	return ""
}

// IsFIEL reports whether the certificate is an e.firma (FIEL) rather than a
// CSD. SAT issues both from the same certification authority to the same RFC
// and documents no single marker, so the rule follows the two profiles SAT
// actually issues:
//
//   - CSD: key usage digitalSignature + nonRepudiation only, no extended key
//     usage, and an OU carrying the branch ("sucursal") named in the request.
//   - e.firma: key usage adds dataEncipherment and keyAgreement, extended key
//     usage emailProtection + clientAuth (it also authenticates to SAT's
//     portal and encrypts), and no OU.
//
// A certificate is an e.firma when its key usage allows encipherment or key
// agreement, when its extended key usage names emailProtection or clientAuth,
// or when it has no OU and its key usage is not exactly the CSD pair. The
// last clause is the marker several CFDI libraries rely on (empty OU =
// e.firma); the key usage comes first because it is what the certificate
// actually permits.
func (c *Certificate) IsFIEL() bool {
	x := c.X509
	const encipher = x509.KeyUsageKeyEncipherment | x509.KeyUsageDataEncipherment | x509.KeyUsageKeyAgreement
	if x.KeyUsage&encipher != 0 {
		return true
	}
	for _, u := range x.ExtKeyUsage {
		if u == x509.ExtKeyUsageEmailProtection || u == x509.ExtKeyUsageClientAuth {
			return true
		}
	}
	const csdUsage = x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment
	return c.Sucursal == "" && x.KeyUsage != csdUsage
}

// CheckCSD returns nil when the certificate may seal CFDI: it is not an
// e.firma (ErrFIEL, see IsFIEL) and, when it states a key usage, that usage
// includes digital signatures (ErrNotCSD).
func (c *Certificate) CheckCSD() error {
	const op = "csd.CheckCSD"
	if c.IsFIEL() {
		return invalid(op, "El certificado es de e.firma (FIEL), no un CSD. Para facturar use su Certificado de Sello Digital (CSD), que se tramita en el portal del SAT con la e.firma.", ErrFIEL, nil)
	}
	if ku := c.X509.KeyUsage; ku != 0 && ku&x509.KeyUsageDigitalSignature == 0 {
		return invalid(op, "El certificado no permite firmar digitalmente; no es un Certificado de Sello Digital (CSD).", ErrNotCSD, nil)
	}
	return nil
}

// CheckValidity returns nil when now lies within the certificate's validity
// (both ends inclusive), ErrExpired after NotAfter and ErrNotYetValid before
// NotBefore. Dates in the messages are in Mexico City time, dd/mm/yyyy.
func (c *Certificate) CheckValidity(now time.Time) error {
	const op = "csd.CheckValidity"
	switch {
	case now.After(c.NotAfter):
		return invalid(op, "El certificado venció el "+fecha(c.NotAfter)+".", ErrExpired, nil)
	case now.Before(c.NotBefore):
		return invalid(op, "El certificado aún no es válido; su vigencia inicia el "+fecha(c.NotBefore)+".", ErrNotYetValid, nil)
	}
	return nil
}

// PersonaMoral reports whether the holder is a persona moral (12-character
// RFC) rather than a persona física (13).
func (c *Certificate) PersonaMoral() bool { return len(c.RFC) == 12 }

func fecha(t time.Time) string { return t.In(domain.MexicoCity).Format("02/01/2006") }

// invalid builds the package's error: kind Invalid, a Spanish message and a
// cause that wraps the sentinel (and the internal detail, when there is one).
func invalid(op, msg string, sentinel, detail error) error {
	cause := sentinel
	if detail != nil {
		cause = fmt.Errorf("%w: %w", sentinel, detail)
	}
	return domain.E(domain.Invalid, op, msg, cause)
}

// pemBlock returns the DER bytes of the first PEM block of one of the given
// types when data is PEM text, else nil.
func pemBlock(data []byte, types ...string) []byte {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN ")) {
		return nil
	}
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil
		}
		for _, t := range types {
			if b.Type == t {
				return b.Bytes
			}
		}
	}
}
