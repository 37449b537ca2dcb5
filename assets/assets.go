// Package assets holds the bytes Folio ships inside its binary: the icon, the
// SAT catalogs (compressed), the demo company's SAT test CSD, PDF fonts and
// the UI translations. It exists because go:embed cannot reach parent folders.
package assets

import "embed"

// FS is every embedded asset, addressed by its path below assets/.
//
//go:embed icon.png csd
var FS embed.FS

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte

// DemoCertificate and DemoKey are SAT's public test CSD for EKU9003173C9
// (ESCUELA KEMPER URGATE), used by the demo company. They have no fiscal
// validity. DemoKeyPassword is SAT's published password for that key.
var (
	//go:embed csd/EKU9003173C9.cer
	DemoCertificate []byte
	//go:embed csd/EKU9003173C9.key
	DemoKey []byte
)

// DemoKeyPassword is the public password of SAT's test key.
const DemoKeyPassword = "12345678a"
