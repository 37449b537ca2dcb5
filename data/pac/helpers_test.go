package pac_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"

	"github.com/folio-mx/folio/data/pac/sim"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// acceptReject answers a pending cancellation as the receiver would, over
// the PAC's HTTP routes: it must appear in GET /pendings/{rfc} first.
func acceptReject(t *testing.T, s *sim.Server, receptor, uuid, action string) {
	t.Helper()
	do := func(method, path string) map[string]any {
		req, _ := http.NewRequest(method, s.URL()+path, nil)
		req.Header.Set("Authorization", "Bearer long.lived.token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		return v
	}
	p := do(http.MethodGet, "/pendings/"+receptor)
	data, _ := p["data"].(map[string]any)
	list, _ := data["uuid"].([]any)
	found := false
	for _, u := range list {
		found = found || u == uuid
	}
	if !found {
		t.Fatalf("pendings of %s = %v, want %s", receptor, p, uuid)
	}
	r := do(http.MethodPost, "/acceptreject/"+receptor+"/"+uuid+"/"+action)
	if r["status"] != "success" {
		t.Fatalf("acceptreject = %v", r)
	}
}

var sharedKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})
