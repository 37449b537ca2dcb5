//go:build windows

package printer

import (
	"context"
	"os/exec"
	"strings"

	"github.com/folio-mx/folio/domain"
)

// keepTempFile: the print verb hands the file to the PDF viewer, which
// reads it after Print returns.
const keepTempFile = true

// psQuote quotes s for PowerShell's single-quoted strings.
func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func powershell(ctx context.Context, script string) ([]byte, error) {
	return exec.CommandContext(ctx, "powershell", "-NoProfile", "-NonInteractive", "-Command", script).Output()
}

// listPrinters asks Windows for its printers and the default one.
func listPrinters(ctx context.Context) ([]string, string, error) {
	const op = "printer.Printers"
	out, err := powershell(ctx, "Get-CimInstance Win32_Printer | ForEach-Object { if ($_.Default) { '*' + $_.Name } else { $_.Name } }")
	if err != nil {
		return nil, "", domain.E(domain.Unavailable, op, "No se pudo consultar la lista de impresoras de Windows. Use «Guardar PDF…» e imprima el archivo desde otro programa.", err)
	}
	var names []string
	var def string
	for _, l := range strings.Split(string(out), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "*") {
			l = l[1:]
			def = l
		}
		if l != "" {
			names = append(names, l)
		}
	}
	return names, def, nil
}

// printFile uses the shell's "printto" verb (the program registered for
// PDF prints it), once per copy. Best effort: it needs a PDF viewer that
// registers the verb, and the job's title is the viewer's choice.
func printFile(ctx context.Context, printer string, copies int, title, path string) error {
	const op = "printer.Print"
	script := "Start-Process -FilePath " + psQuote(path) + " -Verb PrintTo -ArgumentList " + psQuote(`"`+printer+`"`) + " -WindowStyle Hidden"
	for i := 0; i < copies; i++ {
		if out, err := exec.CommandContext(ctx, "powershell", "-NoProfile", "-NonInteractive", "-Command", script).CombinedOutput(); err != nil {
			return domain.E(domain.Unavailable, op, "Windows no pudo imprimir el PDF en «"+printer+"». Instale un lector de PDF que permita imprimir (por ejemplo, Adobe Acrobat Reader) o use «Guardar PDF…».", &psError{out: string(out), err: err})
		}
	}
	return nil
}

type psError struct {
	out string
	err error
}

func (e *psError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.out) }
func (e *psError) Unwrap() error { return e.err }
