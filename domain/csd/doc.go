// Package csd reads a Certificado de Sello Digital (CSD) issued by SAT — the
// DER X.509 certificate (.cer) and its password-protected private key (.key,
// DER PKCS#8 EncryptedPrivateKeyInfo) — checks that both belong together and
// that the certificate is a CSD that may seal a CFDI now, and signs cadenas
// originales with it (RSA-SHA256, PKCS#1 v1.5), as Anexo 20 requires for the
// Sello attribute.
//
// Every failure is a *domain.Error of kind Invalid with a Spanish message the
// user can act on; its cause is one of the Err* values of this package, so
// callers can tell the failures apart with errors.Is.
//
// The package is pure Go: it never opens files (callers pass bytes) and it
// never logs or keeps the key password.
package csd
