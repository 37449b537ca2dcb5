package csd

import (
	"crypto/aes"
	"crypto/des"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/youmark/pkcs8"
)

// maxIterations bounds PBKDF2's iteration count so that a hostile .key file
// cannot make Load spin for minutes. SAT's keys use 2048; OpenSSL's current
// default is 2048 too.
const maxIterations = 1_000_000

// The ASN.1 shapes of PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018),
// read here only to vet the parameters before decryption.
type encryptedPrivateKeyInfo struct {
	Algorithm pkix.AlgorithmIdentifier
	Data      []byte
}

type pbes2Params struct {
	KDF    pkix.AlgorithmIdentifier
	Scheme pkix.AlgorithmIdentifier
}

type pbkdf2Params struct {
	Salt       []byte
	Iterations int
	KeyLength  int                      `asn1:"optional"`
	PRF        pkix.AlgorithmIdentifier `asn1:"optional"`
}

var (
	oidPBES2  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
)

// cbcBlockSizes are the encryption schemes accepted: DES-EDE3-CBC (what SAT
// issues) and AES-CBC (what OpenSSL writes by default when a user re-protects
// a key), with their block sizes.
var cbcBlockSizes = map[string]int{
	"1.2.840.113549.3.7":      des.BlockSize, // des-ede3-cbc
	"2.16.840.1.101.3.4.1.2":  aes.BlockSize, // aes128-cbc
	"2.16.840.1.101.3.4.1.22": aes.BlockSize, // aes192-cbc
	"2.16.840.1.101.3.4.1.42": aes.BlockSize, // aes256-cbc
}

// parseKey decrypts a SAT .key (DER PKCS#8 EncryptedPrivateKeyInfo, PBES2 with
// PBKDF2 and a CBC cipher; or the same as PEM "ENCRYPTED PRIVATE KEY") and
// returns its RSA key. Errors wrap ErrNotKey or ErrWrongPassword.
func parseKey(der []byte, password string) (*rsa.PrivateKey, error) {
	const op = "csd.Load"
	notKey := func(detail error) error {
		return invalid(op, "El archivo de la llave privada (.key) no es una llave privada de CSD válida.", ErrNotKey, detail)
	}
	if block := pemBlock(der, "ENCRYPTED PRIVATE KEY"); block != nil {
		der = block
	}
	if err := vetEncrypted(der); err != nil {
		return nil, notKey(err)
	}
	if password == "" {
		// pkcs8 would read an empty password as "not encrypted".
		return nil, invalid(op, "La contraseña de la llave privada no es correcta.", ErrWrongPassword, errors.New("empty password"))
	}
	key, err := decrypt(der, password)
	if err != nil {
		// After a successful structural check, the only way decryption
		// fails is that the plaintext is not a PKCS#8 key: a wrong password.
		return nil, invalid(op, "La contraseña de la llave privada no es correcta.", ErrWrongPassword, err)
	}
	rk, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, notKey(fmt.Errorf("key type %T, want RSA", key))
	}
	if err := rk.Validate(); err != nil {
		return nil, notKey(err)
	}
	return rk, nil
}

// vetEncrypted checks the structure and parameters of an encrypted PKCS#8 key
// so that decryption cannot panic (bad IV or data length) or run unbounded
// (huge iteration count): the decryption library trusts them.
func vetEncrypted(der []byte) error {
	var info encryptedPrivateKeyInfo
	rest, err := asn1.Unmarshal(der, &info)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return errors.New("trailing data after the key")
	}
	if !info.Algorithm.Algorithm.Equal(oidPBES2) {
		return fmt.Errorf("encryption %v, want PBES2", info.Algorithm.Algorithm)
	}
	var params pbes2Params
	if _, err := asn1.Unmarshal(info.Algorithm.Parameters.FullBytes, &params); err != nil {
		return fmt.Errorf("PBES2 parameters: %w", err)
	}
	if !params.KDF.Algorithm.Equal(oidPBKDF2) {
		return fmt.Errorf("key derivation %v, want PBKDF2", params.KDF.Algorithm)
	}
	var kdf pbkdf2Params
	if _, err := asn1.Unmarshal(params.KDF.Parameters.FullBytes, &kdf); err != nil {
		return fmt.Errorf("PBKDF2 parameters: %w", err)
	}
	if kdf.Iterations < 1 || kdf.Iterations > maxIterations {
		return fmt.Errorf("PBKDF2 iteration count %d out of range", kdf.Iterations)
	}
	bs, ok := cbcBlockSizes[params.Scheme.Algorithm.String()]
	if !ok {
		return fmt.Errorf("cipher %v not supported", params.Scheme.Algorithm)
	}
	var iv []byte
	if _, err := asn1.Unmarshal(params.Scheme.Parameters.FullBytes, &iv); err != nil {
		return fmt.Errorf("cipher IV: %w", err)
	}
	if len(iv) != bs {
		return fmt.Errorf("IV of %d bytes, want %d", len(iv), bs)
	}
	if len(info.Data) == 0 || len(info.Data)%bs != 0 {
		return fmt.Errorf("encrypted data of %d bytes is not a whole number of %d-byte blocks", len(info.Data), bs)
	}
	return nil
}

// decrypt runs the PKCS#8 decryption, turning a panic inside the library
// into an error: the bytes come from a file the user picked.
func decrypt(der []byte, password string) (key any, err error) {
	defer func() {
		if r := recover(); r != nil {
			key, err = nil, fmt.Errorf("pkcs8 decryption panicked: %v", r)
		}
	}()
	return pkcs8.ParsePKCS8PrivateKey(der, []byte(password))
}
