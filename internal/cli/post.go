package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi/preflight"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/folio-mx/folio/internal/wire"
)

const postUsage = "post ARCHIVO.json|-"

// postKeys documents the JSON of `folio post`, printed with its usage
// (the whole reference is docs/post-json.md).
const postKeys = `

Claves de cada documento (docs/post-json.md):
  serie, cliente_rfc, [cliente_nombre], [uso_cfdi], [condiciones: contado|credito], [forma_pago],
  [moneda], [tipo_cambio], [condiciones_de_pago], [referencia], [notas], [global], [relacionados],
  [bodega] (nombre o número; por omisión la principal), [nota_credito], [pago], [detalles], conceptos
Cada concepto: producto (código) o clave_prod_serv/clave_unidad/descripcion/precio/impuestos,
  cantidad, [descuento], [tercero: {"id": N} o {"rfc": "RFC"}] — a cuenta de un tercero del
  catálogo (folio tercero alta); requiere «Manejar facturación / cobros a terceros».
detalles (datos de la venta):
  sucursal, vendedor, responsable, cobrar_a (RFC del cliente de «Cuenta x cobrar a»),
  [cobrar_a_nombre], enviar_a,
  embarque: {buque, viaje, contenedor, sello, puerto_salida, puerto_destino, condiciones,
             contacto, contacto_telefono_correo, incoterm, fecha_embarque, fecha_despacho (AAAA-MM-DD)},
  gestion: {genero, genero_identificacion, placas, recibio, recibio_identificacion, observaciones},
  vendedores: [{nombre, porcentaje}] (requiere «Permitir múltiples vendedores por venta»)`

// postFile is what `folio post` reads: {"documentos": [...]}, a bare array
// of documents, or one document (docs/post-json.md).
type postFile struct {
	Documentos []sales.Request `json:"documentos"`
}

// runPost posts the documents described in a JSON file (or stdin with "-")
// for the active company through the same use case as the window
// (sales.Service.PostBatch): all of them or, when any is refused, none.
// It prints serie-folio and state of each posted document, or for each
// refused one its position, the SAT code and the field, and exits 1.
func runPost(ctx context.Context, e *Env) error {
	fs := flag.NewFlagSet("post", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(e.Args); err != nil || fs.NArg() != 1 {
		return errUsage{postUsage + postKeys}
	}
	data, err := postInput(e, fs.Arg(0))
	if err != nil {
		return err
	}
	reqs, err := parsePostJSON(data)
	if err != nil {
		return err
	}
	s, co, err := openSharedActive(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	signer, err := wire.CompanySigner(ctx, s, co.RFC)
	if err != nil {
		return err
	}
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err == nil {
		err = cat.Preload() // outside the posting transaction
	}
	if err != nil {
		return domain.E(domain.Internal, "cli.post", "No se pudieron leer los catálogos del SAT incluidos en Folio.", err)
	}
	refused := map[int]error{}
	var docs []sales.Invoice
	var pos []int // position in the file of each resolved document
	for i, r := range reqs {
		d, err := sales.Resolve(ctx, s, cat, co.RFC, r)
		if err != nil {
			if domain.KindOf(err) != domain.Invalid {
				return err
			}
			refused[i] = err
			continue
		}
		docs, pos = append(docs, d), append(pos, i)
	}
	svc := &sales.Service{Invoices: s, Catalogs: cat, Admin: wire.NewCompanies(s)}
	var posted []sales.Invoice
	if len(refused) == 0 {
		posted, err = svc.PostBatch(ctx, co, signer, docs)
	} else if len(docs) > 0 {
		// Some were refused already: try the others too, so that one run
		// reports every problem, and store nothing.
		err = svc.CheckBatch(ctx, co, signer, docs)
	}
	var be *sales.BatchError
	switch {
	case errors.As(err, &be):
		for j, e := range be.Refused {
			refused[pos[j]] = sales.RestateCredit(e, &docs[j], func(id int64) string {
				inv, err := s.FindInvoiceByID(ctx, id)
				if err != nil {
					return ""
				}
				return inv.FolioText()
			})
		}
	case err != nil:
		return err
	case len(refused) == 0:
		for _, p := range posted {
			total, moneda := p.Total, p.Moneda
			if p.Payment != nil { // a payment receipt's Total is 0 XXX: show the money received
				total, moneda = p.Payment.Monto, p.Payment.MonedaP
			}
			fmt.Fprintf(e.Stdout, "%s\t%s\t%s\t%s %s\n", p.FolioText(), p.State.Label(), p.Customer.RFC,
				total.StringFixed(2), moneda)
		}
		fmt.Fprintf(e.Stdout, "%d documentos emitidos (sellados, en cola de timbrado: folio sync los timbra).\n", len(posted))
		return nil
	}
	idx := make([]int, 0, len(refused))
	for i := range refused {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		for _, line := range problemLines(refused[i]) {
			fmt.Fprintf(e.Stderr, "documento %d: %s\n", i+1, line)
		}
	}
	fmt.Fprintf(e.Stderr, "folio: se rechazaron %d de %d documentos; no se emitió ninguno.\n", len(refused), len(reqs))
	return errSilent
}

// postInput reads the JSON from path, or from the standard input for "-".
func postInput(e *Env, path string) ([]byte, error) {
	if path != "-" {
		return readInput(path, "documentos en JSON")
	}
	in := e.Stdin
	if in == nil {
		in = os.Stdin
	}
	data, err := io.ReadAll(io.LimitReader(in, 64<<20))
	if err != nil {
		return nil, domain.E(domain.Invalid, "cli.post", "No se pudo leer la entrada estándar.", err)
	}
	return data, nil
}

// parsePostJSON accepts {"documentos": [...]}, [...] or {...}. Unknown
// fields are refused so that a misspelt field is not silently ignored.
func parsePostJSON(data []byte) ([]sales.Request, error) {
	const op = "cli.post"
	bad := func(err error) error {
		return domain.E(domain.Invalid, op, "El JSON no es válido: "+jsonProblem(err)+" (vea docs/post-json.md).", err)
	}
	trim := bytes.TrimSpace(data)
	if len(trim) == 0 {
		return nil, domain.E(domain.Invalid, op, "El archivo está vacío.", nil)
	}
	strict := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(trim))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	var reqs []sales.Request
	switch trim[0] {
	case '[':
		if err := strict(&reqs); err != nil {
			return nil, bad(err)
		}
	case '{':
		if bytes.Contains(trim, []byte(`"documentos"`)) {
			var f postFile
			if err := strict(&f); err != nil {
				return nil, bad(err)
			}
			reqs = f.Documentos
		} else {
			var r sales.Request
			if err := strict(&r); err != nil {
				return nil, bad(err)
			}
			reqs = []sales.Request{r}
		}
	default:
		return nil, domain.E(domain.Invalid, op, "El JSON debe ser un documento, una lista de documentos o {\"documentos\": [...]}.", nil)
	}
	if len(reqs) == 0 {
		return nil, domain.E(domain.Invalid, op, "El archivo no tiene documentos.", nil)
	}
	return reqs, nil
}

func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("error de sintaxis cerca del byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("el campo «%s» tiene un valor de tipo incorrecto", te.Field)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "campo desconocido " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return err.Error()
}

// problemLines lists the problems in err as "CODE campo: mensaje".
func problemLines(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		var fe *sales.FieldError
		field := ""
		if errors.As(e, &fe) {
			field = fe.Field
		}
		for _, p := range preflight.Problems(e) {
			f := p.Field
			if f == "" {
				f = field
			}
			line := p.Msg
			if f != "" {
				line = f + ": " + line
			}
			if p.Code != "" {
				line = p.Code + " " + line
			}
			out = append(out, line)
		}
	}
	walk(err)
	return out
}
