// Package printertest puts fake CUPS commands (lp, lpstat) first on PATH
// for tests: lpstat lists the printers it is given and lp records the
// arguments of every call.
package printertest

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// Fake is a fake CUPS for one test.
type Fake struct {
	dir string
}

// New writes fake lp and lpstat into a temporary folder put first on PATH
// for the rest of t (t.Setenv: not for parallel tests). lpstat -e lists
// printers, lpstat -d names def (none when ""). Skips on Windows.
func New(t testing.TB, printers []string, def string) *Fake {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake CUPS commands are shell scripts")
	}
	f := &Fake{dir: t.TempDir()}
	list := ""
	for _, p := range printers {
		list += p + "\n"
	}
	f.write(t, "printers", list)
	dflt := "no system default destination\n"
	if def != "" {
		dflt = "system default destination: " + def + "\n"
	}
	f.write(t, "default", dflt)
	// lp: every argument on its own line, then "--", and a copy of the
	// file (the last argument); fails with lp.fail's text when it exists.
	f.script(t, "lp", `d=$(dirname "$0")
if [ -f "$d/lp.fail" ]; then cat "$d/lp.fail" >&2; exit 1; fi
for a in "$@"; do printf '%s\n' "$a" >> "$d/lp.args"; last="$a"; done
printf -- '--\n' >> "$d/lp.args"
n=$(grep -c -- '^--$' "$d/lp.args")
cp "$last" "$d/printed-$n.pdf"
echo "request id is fake-$n (1 file(s))"
`)
	f.script(t, "lpstat", `d=$(dirname "$0")
case "$1" in
-e) cat "$d/printers" ;;
-d) cat "$d/default" ;;
*) echo "lpstat: unsupported option $1" >&2; exit 1 ;;
esac
`)
	t.Setenv("PATH", f.dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return f
}

func (f *Fake) write(t testing.TB, name, s string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func (f *Fake) script(t testing.TB, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, name), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

// FailLP makes every later lp call fail with stderr written to its
// standard error and exit status 1.
func (f *Fake) FailLP(t testing.TB, stderr string) { f.write(t, "lp.fail", stderr+"\n") }

// Calls returns the arguments of every lp call so far, in order.
func (f *Fake) Calls(t testing.TB) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, "lp.args"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var calls [][]string
	var cur []string
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		if l == "--" {
			calls = append(calls, cur)
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	return calls
}

// Printed returns the bytes of the file lp received in call n (1-based).
func (f *Fake) Printed(t testing.TB, n int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(f.dir, "printed-"+strconv.Itoa(n)+".pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
