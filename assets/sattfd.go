package assets

import (
	"embed"
	"io/fs"
	"path"
)

// satTFD holds the certificates with which SAT (and the PAC test
// environments) sign the TimbreFiscalDigital: 00001000000708361114 (SAT,
// production) and 30001000000500003456 (SAT PRUEBAS). They are public; Folio
// uses them to verify the SelloSAT of stamped documents.
//
//go:embed csd/sat-tfd/*.cer
var satTFD embed.FS

// SATTFDCertificates returns the DER bytes of every embedded SAT
// certificate that signs TimbreFiscalDigital stamps, keyed by certificate
// number (the file name without ".cer"). Each call returns new slices.
func SATTFDCertificates() map[string][]byte {
	out := map[string][]byte{}
	entries, err := fs.ReadDir(satTFD, "csd/sat-tfd")
	if err != nil {
		panic("assets: sat-tfd certificates: " + err.Error())
	}
	for _, e := range entries {
		name := e.Name()
		b, err := satTFD.ReadFile("csd/sat-tfd/" + name)
		if err != nil {
			panic("assets: sat-tfd certificate " + name + ": " + err.Error())
		}
		out[name[:len(name)-len(path.Ext(name))]] = b
	}
	return out
}
