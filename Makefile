# Folio — make run opens the app, make test runs every test.
# On Debian/Ubuntu (as root or with sudo) both install what is missing through `deps`.

GO        ?= go
TAGS      ?= migrated_fynedo
TESTTAGS  ?= ci,migrated_fynedo
VERSION   ?= $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS   := -X main.version=$(VERSION)
export LANG := es_MX.UTF-8
export CGO_ENABLED := 1

# Debian packages: C compiler and OpenGL/X11 headers for Fyne and SQLite (cgo),
# the SAT oracle tools, Xvfb + x11-utils + imagemagick for the window smoke
# test (screenshot), poppler for PDF checks.
DEB_PKGS := gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev xvfb xauth x11-utils imagemagick xsltproc libxml2-utils openssl poppler-utils
DEB_CHECK := gcc pkg-config xvfb-run xwininfo import xsltproc xmllint openssl pdftotext

.PHONY: all run build test test-update bench lint deps smoke clean package-linux package-windows package-darwin

all: build

deps:
	@missing=""; for c in $(DEB_CHECK); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	pkg-config --exists gl x11 xcursor xrandr xinerama xi xxf86vm 2>/dev/null || missing="$$missing gl-headers"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "Faltan herramientas:$$missing — instálelas (vea README.md, sección macOS/Windows)."; exit 1; fi; \
	echo "Instalando dependencias de Debian/Ubuntu (faltan:$$missing)…"; \
	SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEB_PKGS)

build: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o folio .

run: build
	./folio

test: deps
	$(GO) vet -tags $(TESTTAGS) ./...
	$(GO) test -race -tags $(TESTTAGS) -timeout 20m ./...
	# The receivables property at its full size (10,000 documents under CI=true), too slow under -race.
	$(GO) test -tags $(TESTTAGS) -count=1 -v -timeout 20m -run 'TestStoreContract/ReceivableHistory$$' ./data/sqlite
	$(MAKE) smoke

# The real window under Xvfb: start, wait for the window, screenshot, check it is not blank.
smoke: deps
	$(GO) build -tags $(TAGS) -ldflags "$(LDFLAGS)" -o folio .
	sh scripts/smoke.sh ./folio

test-update:
	$(GO) test -tags $(TESTTAGS) ./... -update

# Every benchmark. Those of data/postgres run against FOLIO_TEST_POSTGRES
# when it is set; otherwise against a throwaway server when PostgreSQL is
# installed (scripts/pg-test-cluster.sh), and are skipped when it is not.
bench: deps
	$(GO) test -tags $(TESTTAGS) -run '^$$' -bench . -benchmem ./...
	@if [ -n "$$FOLIO_TEST_POSTGRES" ]; then exit 0; fi; \
	export PG_TEST_STATE=$${TMPDIR:-/tmp}/folio-bench-pg.state; \
	if ! dsn=$$(scripts/pg-test-cluster.sh start 2>/dev/null); then \
		echo "PostgreSQL no está instalado: se omiten los benchmarks de data/postgres (instálelo con apt-get install -y postgresql)."; exit 0; fi; \
	trap 'scripts/pg-test-cluster.sh stop' EXIT; \
	FOLIO_TEST_POSTGRES=$$dsn $(GO) test -tags $(TESTTAGS) -run '^$$' -bench . -benchmem ./data/postgres

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet -tags $(TESTTAGS) ./...

package-linux:
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os linux --release --tags $(TAGS) --app-version $(VERSION)
package-windows:
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os windows --release --tags $(TAGS) --app-version $(VERSION)
package-darwin:
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.4 package --os darwin --release --tags $(TAGS) --app-version $(VERSION)

clean:
	rm -f folio folio.exe
