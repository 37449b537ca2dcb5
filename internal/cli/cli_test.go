package cli

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestCommandsDoNotImportFyne: the commands and what they share with the
// window never link the user interface, so no command can start Fyne.
func TestCommandsDoNotImportFyne(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the go command is required under CI=true")
		}
		t.Skip("skipped: the go command is not on PATH")
	}
	for _, tags := range []string{"", "ci,migrated_fynedo"} {
		out, err := exec.Command(goTool, "list", "-deps", "-tags", tags, ".", "../wire").Output()
		if err != nil {
			t.Fatalf("go list -deps: %v", err)
		}
		for _, p := range strings.Fields(string(out)) {
			if strings.HasPrefix(p, "fyne.io/") || strings.HasPrefix(p, "github.com/folio-mx/folio/app") ||
				p == "github.com/folio-mx/folio/internal/gui" {
				t.Errorf("tags %q: internal/cli or internal/wire depends on %s", tags, p)
			}
		}
	}
}
