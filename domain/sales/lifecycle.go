package sales

import (
	"github.com/folio-mx/folio/domain"
)

// State is where an issued document (invoice, credit note, payment receipt)
// is in its life (DESIGN.md, "Document lifecycle"). The transition table
// below is the only place that decides which changes are allowed; stores
// record the state Next returns, inside the transaction that records the
// event, and no SQL trigger changes it.
type State string

// The states of a document.
const (
	StateDraft           State = "draft"            // editable, no folio
	StateSealed          State = "sealed"           // folio taken, XML sealed, stamp job queued
	StateRejected        State = "rejected"         // the PAC or SAT refused it: fix and re-seal with the same folio
	StateStamped         State = "stamped"          // the PAC returned the TimbreFiscalDigital
	StateCancelRequested State = "cancel_requested" // cancellation asked of SAT, answer pending
	StateCancelRejected  State = "cancel_rejected"  // the receptor or SAT refused the cancellation: still valid
	StateCancelled       State = "cancelled"        // SAT confirmed the cancellation
)

// Event is something that happens to a document.
type Event string

// The events of a document's life.
const (
	EventEdit           Event = "edit"            // change a draft
	EventDelete         Event = "delete"          // delete a draft
	EventPost           Event = "post"            // take the folio, seal, queue
	EventStamp          Event = "stamp"           // the PAC stamped it (or returned an earlier stamp)
	EventReject         Event = "reject"          // the PAC or SAT refused it
	EventReseal         Event = "reseal"          // re-dated or corrected and sealed again, same folio
	EventRequestCancel  Event = "request_cancel"  // ask SAT to cancel it
	EventCancelAccepted Event = "cancel_accepted" // SAT says it is cancelled
	EventCancelRefused  Event = "cancel_refused"  // the receptor or SAT refused the cancellation
	EventRelate         Event = "relate"          // another document names it in CfdiRelacionados
	// EventAdopt: a draft takes as its document a CFDI stamped elsewhere
	// (package received, Link): no seal, no stamp job, stamped at once.
	EventAdopt Event = "adopt"
)

// transitions is the lifecycle: from a state, the events allowed and the
// state each leads to.
var transitions = map[State]map[Event]State{
	StateDraft: {
		EventEdit:   StateDraft,
		EventDelete: StateDraft,
		EventPost:   StateSealed,
		EventAdopt:  StateStamped,
	},
	StateSealed: {
		EventStamp:  StateStamped,
		EventReject: StateRejected,
		EventReseal: StateSealed, // re-dated after SAT's 72-hour window
	},
	StateRejected: {
		EventReseal: StateSealed,
		EventStamp:  StateStamped, // a reply recovered late (307) proves an earlier stamp
	},
	StateStamped: {
		EventStamp:          StateStamped, // the same stamp recorded twice changes nothing
		EventRequestCancel:  StateCancelRequested,
		EventCancelAccepted: StateCancelled, // SAT reports it cancelled (e.g. 202, cancelled elsewhere)
		EventRelate:         StateStamped,
	},
	StateCancelRequested: {
		EventStamp:          StateCancelRequested,
		EventCancelAccepted: StateCancelled,
		EventCancelRefused:  StateCancelRejected,
	},
	StateCancelRejected: {
		EventStamp:          StateCancelRejected,
		EventRequestCancel:  StateCancelRequested,
		EventCancelAccepted: StateCancelled,
		EventCancelRefused:  StateCancelRejected, // SAT's same answer read again
		EventRelate:         StateCancelRejected,
	},
	StateCancelled: {
		EventStamp:          StateCancelled,
		EventCancelAccepted: StateCancelled,
	},
}

// refusals explain, per state, why an event that is not in the table is
// refused. The generic sentence covers the rest.
var refusals = map[State]map[Event]string{
	StateDraft: {
		EventStamp:         "El borrador todavía no se ha emitido: emítalo para sellarlo y timbrarlo.",
		EventRequestCancel: "Un borrador no se cancela: elimínelo.",
		EventRelate:        "No se puede relacionar un borrador: emítalo y espere su timbre.",
	},
	StateSealed: {
		EventAdopt:         "La factura ya tiene su documento (generado en Folio): no puede tomar un CFDI externo.",
		EventEdit:          "El documento ya fue generado y no puede modificarse; para corregirlo, cancélelo o emita una nota de crédito.",
		EventDelete:        "El documento ya fue generado: tiene folio y no puede eliminarse.",
		EventPost:          "El documento ya fue generado.",
		EventRequestCancel: "El documento todavía no está timbrado: espere el timbre para cancelarlo.",
		EventRelate:        "El documento todavía no está timbrado: espere su timbre para relacionarlo.",
	},
	StateRejected: {
		EventAdopt:         "La factura ya tiene folio y documento generado en Folio: no puede tomar un CFDI externo.",
		EventEdit:          "El documento fue rechazado por el PAC: corríjalo con «Volver a sellar» conservando su folio.",
		EventDelete:        "El documento ya tiene folio y no puede eliminarse.",
		EventPost:          "El documento ya fue generado.",
		EventRequestCancel: "El documento no está timbrado: no hay nada que cancelar ante el SAT.",
		EventRelate:        "El documento fue rechazado y no tiene timbre: no puede relacionarse.",
	},
	StateStamped: {
		EventAdopt:  "La factura ya tiene su CFDI timbrado: no puede tomar otro.",
		EventEdit:   "El documento ya está timbrado y no puede modificarse; para corregirlo, cancélelo o emita una nota de crédito.",
		EventDelete: "El documento ya está timbrado y no puede eliminarse.",
		EventPost:   "El documento ya fue emitido.",
		EventReseal: "El documento ya está timbrado: no puede volver a sellarse.",
	},
	StateCancelRequested: {
		EventAdopt:         "La factura tiene una cancelación en proceso: no puede tomar un CFDI externo.",
		EventRequestCancel: "Ya hay una solicitud de cancelación en proceso: espere la respuesta del SAT (o del receptor).",
		EventRelate:        "El documento tiene una cancelación en proceso: no puede relacionarse hasta que el SAT responda.",
	},
	StateCancelled: {
		EventAdopt:         "La factura está cancelada: no puede tomar un CFDI externo.",
		EventRequestCancel: "El documento ya está cancelado.",
		EventRelate:        "El documento está cancelado: no puede relacionarse.",
	},
}

// Next returns the state after e, or a Conflict error saying in Spanish why
// e is not allowed in s.
func (s State) Next(e Event) (State, error) {
	if next, ok := transitions[s][e]; ok {
		return next, nil
	}
	msg := refusals[s][e]
	if msg == "" {
		msg = "Esta acción no está permitida para un documento en estado «" + s.Label() + "»."
	}
	return s, domain.E(domain.Conflict, "document "+string(e), msg, nil)
}

// Allowed reports, as an error, whether e may happen in s (nil when it may).
func (s State) Allowed(e Event) error {
	_, err := s.Next(e)
	return err
}

// Status returns the business status of s: the tab of the document list.
func (s State) Status() Status {
	switch s {
	case StateDraft:
		return StatusDraft
	case StateSealed, StateRejected:
		return StatusSealed
	case StateStamped, StateCancelRequested, StateCancelRejected:
		return StatusStamped
	case StateCancelled:
		return StatusCancelled
	}
	return Status(s)
}

// Label returns the Spanish name of the state.
func (s State) Label() string {
	switch s {
	case StateDraft:
		return "Borrador"
	case StateSealed:
		return "Generada"
	case StateRejected:
		return "Rechazada por el PAC"
	case StateStamped:
		return "Emitida"
	case StateCancelRequested:
		return "Cancelación en proceso"
	case StateCancelRejected:
		return "Cancelación rechazada"
	case StateCancelled:
		return "Cancelada"
	}
	return string(s)
}

// States lists every state, in lifecycle order.
func States() []State {
	return []State{StateDraft, StateSealed, StateRejected, StateStamped, StateCancelRequested, StateCancelRejected, StateCancelled}
}

// CancelEvent returns the event that a SAT cancellation answer means for
// the document, and false while the answer is still pending: Estado
// "Cancelado" or code 202 (cancelled before) accept it; EstatusCancelacion
// "Solicitud rechazada" (the receptor refused) refuses it.
func CancelEvent(estado, estatusUUID, estatusCancelacion string) (Event, bool) {
	switch {
	case estado == "Cancelado" || estatusUUID == "202":
		return EventCancelAccepted, true
	case estatusCancelacion == "Solicitud rechazada":
		return EventCancelRefused, true
	}
	return "", false
}
