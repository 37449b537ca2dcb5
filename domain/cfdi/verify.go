package cfdi

import (
	"crypto/x509"
	"errors"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// TFDStatus says what Verify could tell about the TimbreFiscalDigital.
type TFDStatus int

// The TFD outcomes.
const (
	TFDAbsent     TFDStatus = iota // the document is not stamped
	TFDNotChecked                  // stamped, but no SAT certificate with its NoCertificadoSAT was given
	TFDVerified                    // SelloSAT verified
	TFDInvalid                     // SelloSAT (or its link to the document) does not verify
)

// errNotChecked marks a check that could not run because the document did
// not parse.
var errNotChecked = domain.E(domain.Invalid, "cfdi.Verify", "No se pudo verificar porque el archivo no se pudo leer.", errors.New("not checked"))

// Verdict is the result of Verify, one field per check so that callers (the
// CLI, the import screen) can report them separately. A nil error means the
// check passed.
type Verdict struct {
	Structure     error // Parse, then the attributes the XSD requires (CheckRequired)
	Seal          error // Sello over the cadena original with the document's certificate
	NoCertificado error // NoCertificado equals the certificate serial
	TFD           TFDStatus
	TFDErr        error // set when TFD is TFDInvalid

	Comprobante *Comprobante // nil when the document did not parse
	NoCert      string       // the certificate number found in the certificate
	NoCertSAT   string       // NoCertificadoSAT of the TFD, if any
}

// OK reports whether every check that ran passed (a TFD not checked for want
// of the SAT certificate does not make the verdict fail).
func (v Verdict) OK() bool {
	return v.Structure == nil && v.Seal == nil && v.NoCertificado == nil && v.TFD != TFDInvalid
}

// String is a one-line Spanish summary, "OK: …" or "FALLA: …", for the CLI.
func (v Verdict) String() string {
	var parts []string
	add := func(err error, ok string) {
		if err == nil {
			parts = append(parts, ok)
			return
		}
		if err != errNotChecked {
			parts = append(parts, oneLine(err))
		}
	}
	add(v.Structure, "estructura válida")
	add(v.Seal, "sello verificado (RSA-SHA256)")
	add(v.NoCertificado, "NoCertificado "+v.NoCert+" = número del certificado")
	switch v.TFD {
	case TFDAbsent:
		parts = append(parts, "sin timbre")
	case TFDNotChecked:
		parts = append(parts, "timbre no verificado (falta el certificado del SAT "+v.NoCertSAT+")")
	case TFDVerified:
		parts = append(parts, "SelloSAT del timbre verificado ("+v.NoCertSAT+")")
	case TFDInvalid:
		parts = append(parts, oneLine(v.TFDErr))
	}
	head := "OK: "
	if !v.OK() {
		head = "FALLA: "
	}
	return head + strings.Join(parts, "; ")
}

// Verify parses data and checks its structure, seal, NoCertificado and, when
// one of the sat certificates has the TFD's NoCertificadoSAT, the SelloSAT.
// It never panics and reports each check separately; the seal is checked
// even when the structure check fails, as long as the document parses.
func Verify(data []byte, sat ...*x509.Certificate) Verdict {
	var v Verdict
	c, err := Parse(data)
	if err != nil {
		return Verdict{Structure: err, Seal: errNotChecked, NoCertificado: errNotChecked}
	}
	v.Comprobante = c
	v.Structure = CheckRequired(c)
	cert, err := DocumentCertificate(c)
	if err != nil {
		v.Seal, v.NoCertificado = err, errNotChecked
	} else {
		v.NoCert = CertificateNumber(cert)
		v.Seal = verifySello(c, cert)
		v.NoCertificado = checkNoCertificado(c.NoCertificado, cert)
	}
	if c.Complemento == nil || c.Complemento.TimbreFiscalDigital == nil {
		return v
	}
	v.NoCertSAT = c.Complemento.TimbreFiscalDigital.NoCertificadoSAT
	v.TFD = TFDNotChecked
	for _, s := range sat {
		if s != nil && CertificateNumber(s) == v.NoCertSAT {
			if v.TFDErr = VerifyTFD(c, s); v.TFDErr != nil {
				v.TFD = TFDInvalid
			} else {
				v.TFD = TFDVerified
			}
			break
		}
	}
	return v
}

// oneLine joins the user messages of err on one line without final periods.
func oneLine(err error) string {
	msgs := strings.Split(domain.UserMessage(err), "\n")
	for i, m := range msgs {
		msgs[i] = strings.TrimSuffix(m, ".")
	}
	return strings.Join(msgs, ", ")
}
