package posixlocale

import "testing"

func TestIsPOSIX(t *testing.T) {
	for in, want := range map[string]bool{
		"C": true, "POSIX": true, "C.UTF-8": true, "C.utf8": true, "POSIX@euro": true,
		"es_MX.UTF-8": false, "en_US": false, "": false, "Catalan": false, "CC.UTF-8": false,
	} {
		if got := isPOSIX(in); got != want {
			t.Errorf("isPOSIX(%q) = %v, want %v", in, got, want)
		}
	}
}
