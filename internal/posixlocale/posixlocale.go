// Package posixlocale keeps Fyne from complaining about the C locale when
// Folio starts, so that headless commands print nothing but their own
// output.
//
// Fyne's lang package reads the user's locale while the program initialises
// (its init loads the built-in translations), before main runs and whether
// or not a window is ever opened. Its locale reader (jeandeaual/go-locale)
// knows "C" and "POSIX" but not "C.UTF-8", the default of Debian, Ubuntu and
// most containers: it passes "C" on as a language tag, which fails to parse,
// and Fyne logs three "Fyne error" lines on stderr. This package's init
// runs first — Go initialises packages in import-path order as soon as
// their imports are ready, this package needs only os (which go-locale also
// needs), and "github.com/folio-mx" sorts before "github.com/jeandeaual" —
// and shows plain "C" to Fyne, which then picks its default language exactly
// as it did for "C.UTF-8", silently. main calls Restore before doing
// anything else, so child processes (a PDF viewer) see the user's locale.
//
// A program must import this package for it to take effect; main does.
// It imports nothing but os, and must stay that way.
package posixlocale

import "os"

// hidden are the variables changed by init, with their original values.
var hidden []struct{ name, value string }

func init() {
	// The first of these that is set decides the locale, as in go-locale.
	for _, name := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		// go-locale falls back to LANGUAGE for any other value than "C"
		// or "POSIX": with LANGUAGE set there is nothing to hide.
		if v != "C" && v != "POSIX" && isPOSIX(v) && os.Getenv("LANGUAGE") == "" {
			hidden = append(hidden, struct{ name, value string }{name, v})
			os.Setenv(name, "C")
		}
		return
	}
}

// isPOSIX reports whether locale names the C or POSIX locale, with or
// without a codeset or modifier ("C.UTF-8", "POSIX@euro").
func isPOSIX(locale string) bool {
	for i := 0; i < len(locale); i++ {
		if locale[i] == '.' || locale[i] == '@' {
			locale = locale[:i]
			break
		}
	}
	return locale == "C" || locale == "POSIX"
}

// Restore puts back the locale variables changed while the program
// initialised. Call it at the start of main.
func Restore() {
	for _, h := range hidden {
		os.Setenv(h.name, h.value)
	}
	hidden = nil
}
