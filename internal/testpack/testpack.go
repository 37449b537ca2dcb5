// Package testpack finds the SAT reference pack (../shared/sat: XSD, XSLT, test
// CSDs, samples, catalogs and the verify-seal.sh oracle) for tests.
//
// A user's clone has no pack: tests that need it are skipped with a clear
// message. Under CI (CI=true) a missing pack or tool is a failure instead,
// so CI can never pass by skipping. FOLIO_SAT_PACK overrides the location.
package testpack

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	once sync.Once
	dir  string
)

func find() string {
	if d := os.Getenv("FOLIO_SAT_PACK"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "shared", "sat"), filepath.Join(d, "..", "shared", "sat")} {
			if st, err := os.Stat(filepath.Join(c, "verify-seal.sh")); err == nil && !st.IsDir() {
				abs, _ := filepath.Abs(c)
				return abs
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func missing(tb testing.TB, what string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("%s is required under CI=true", what)
	}
	tb.Skipf("skipped: %s not found (tests that need the SAT reference pack run where ../shared/sat exists; set FOLIO_SAT_PACK to point at it)", what)
}

// Dir returns the SAT pack folder, or skips the test (fails under CI).
func Dir(tb testing.TB) string {
	tb.Helper()
	once.Do(func() { dir = find() })
	if dir == "" {
		missing(tb, "the SAT reference pack (../shared/sat)")
	}
	return dir
}

// Path returns a file of the pack, e.g. Path(t, "csd", "EKU9003173C9.cer").
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, elem...)...)
}

// Read returns the bytes of a file of the pack.
func Read(tb testing.TB, elem ...string) []byte {
	tb.Helper()
	b, err := os.ReadFile(Path(tb, elem...))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Samples returns the paths of the sample CFDI files (samples/*.xml), sorted.
func Samples(tb testing.TB) []string {
	tb.Helper()
	m, err := filepath.Glob(Path(tb, "samples", "*.xml"))
	if err != nil || len(m) == 0 {
		tb.Fatalf("no samples in %s", Path(tb, "samples"))
	}
	return m
}

// RequireTools skips (fails under CI) unless every named command is on PATH.
func RequireTools(tb testing.TB, names ...string) {
	tb.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			missing(tb, "the command "+n)
		}
	}
}

// VerifySeal runs the independent oracle verify-seal.sh on file and returns
// whether it said OK and its verdict line. extra are options such as --no-xsd.
func VerifySeal(tb testing.TB, file string, extra ...string) (ok bool, verdict string) {
	tb.Helper()
	RequireTools(tb, "xmllint", "xsltproc", "openssl", "base64")
	args := append(append([]string{Path(tb, "verify-seal.sh")}, extra...), file)
	cmd := exec.Command("sh", args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	line := strings.TrimSpace(out.String())
	if ee, isExit := err.(*exec.ExitError); isExit && ee.ExitCode() == 2 {
		tb.Fatalf("verify-seal.sh usage/tool error: %s", errb.String())
	}
	return err == nil && strings.HasPrefix(line, "OK:"), line
}

// Cadena runs the SAT XSLT (through verify-seal.sh --cadena, or --cadena-tfd
// when tfd is true) on file and returns the exact bytes.
func Cadena(tb testing.TB, file string, tfd bool) []byte {
	tb.Helper()
	RequireTools(tb, "xmllint", "xsltproc")
	mode := "--cadena"
	if tfd {
		mode = "--cadena-tfd"
	}
	out, err := exec.Command("sh", Path(tb, "verify-seal.sh"), mode, file).Output()
	if err != nil {
		tb.Fatalf("cadena of %s: %v", file, err)
	}
	return out
}

// CSD returns one of SAT's test CSDs of the pack: the certificate, the
// encrypted key and the key's password (csd/RFC.cer, .key, .password.txt).
func CSD(tb testing.TB, rfc string) (cer, key []byte, password string) {
	tb.Helper()
	return Read(tb, "csd", rfc+".cer"), Read(tb, "csd", rfc+".key"),
		strings.TrimSpace(string(Read(tb, "csd", rfc+".password.txt")))
}
