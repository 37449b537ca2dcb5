package sales

import (
	"testing"

	"github.com/folio-mx/folio/domain"
)

// TestLifecycle walks every state × event pair: the allowed ones lead where
// DESIGN.md's lifecycle says, every other one is a Conflict with a Spanish
// reason.
func TestLifecycle(t *testing.T) {
	t.Parallel()
	allowed := map[State]map[Event]State{
		StateDraft:           {EventEdit: StateDraft, EventDelete: StateDraft, EventPost: StateSealed, EventAdopt: StateStamped},
		StateSealed:          {EventStamp: StateStamped, EventReject: StateRejected, EventReseal: StateSealed},
		StateRejected:        {EventReseal: StateSealed, EventStamp: StateStamped},
		StateStamped:         {EventStamp: StateStamped, EventRequestCancel: StateCancelRequested, EventCancelAccepted: StateCancelled, EventRelate: StateStamped},
		StateCancelRequested: {EventStamp: StateCancelRequested, EventCancelAccepted: StateCancelled, EventCancelRefused: StateCancelRejected},
		StateCancelRejected:  {EventStamp: StateCancelRejected, EventRequestCancel: StateCancelRequested, EventCancelAccepted: StateCancelled, EventCancelRefused: StateCancelRejected, EventRelate: StateCancelRejected},
		StateCancelled:       {EventStamp: StateCancelled, EventCancelAccepted: StateCancelled},
	}
	events := []Event{EventEdit, EventDelete, EventPost, EventStamp, EventReject, EventReseal,
		EventRequestCancel, EventCancelAccepted, EventCancelRefused, EventRelate, EventAdopt}
	for _, s := range States() {
		for _, e := range events {
			t.Run(string(s)+"/"+string(e), func(t *testing.T) {
				got, err := s.Next(e)
				want, ok := allowed[s][e]
				if ok {
					if err != nil || got != want {
						t.Errorf("%s.Next(%s) = %s, %v; want %s", s, e, got, err, want)
					}
					return
				}
				if domain.KindOf(err) != domain.Conflict || domain.UserMessage(err) == "" || got != s {
					t.Errorf("%s.Next(%s) = %s, %v; want a Conflict and the state unchanged", s, e, got, err)
				}
				if s.Allowed(e) == nil {
					t.Errorf("%s.Allowed(%s) = nil, want the refusal", s, e)
				}
			})
		}
	}
}

// TestLifecycleRefusalsExplain: the refusals users meet most say why in
// their own words, not the generic sentence.
func TestLifecycleRefusalsExplain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    State
		e    Event
		want string
	}{
		{StateCancelRequested, EventRequestCancel, "Ya hay una solicitud de cancelación en proceso: espere la respuesta del SAT (o del receptor)."},
		{StateCancelled, EventRequestCancel, "El documento ya está cancelado."},
		{StateSealed, EventRequestCancel, "El documento todavía no está timbrado: espere el timbre para cancelarlo."},
		{StateStamped, EventEdit, "El documento ya está timbrado y no puede modificarse; para corregirlo, cancélelo o emita una nota de crédito."},
		{StateCancelled, EventRelate, "El documento está cancelado: no puede relacionarse."},
		{StateSealed, EventPost, "El documento ya fue generado."},
	}
	for _, tt := range tests {
		if got := domain.UserMessage(tt.s.Allowed(tt.e)); got != tt.want {
			t.Errorf("%s.Allowed(%s) = %q, want %q", tt.s, tt.e, got, tt.want)
		}
	}
}

func TestStateStatus(t *testing.T) {
	t.Parallel()
	want := map[State]Status{
		StateDraft: StatusDraft, StateSealed: StatusSealed, StateRejected: StatusSealed, StateStamped: StatusStamped,
		StateCancelRequested: StatusStamped, StateCancelRejected: StatusStamped, StateCancelled: StatusCancelled,
	}
	for _, s := range States() {
		if got := s.Status(); got != want[s] {
			t.Errorf("%s.Status() = %s, want %s", s, got, want[s])
		}
		if s.Label() == string(s) {
			t.Errorf("%s has no Spanish label", s)
		}
	}
}

func TestCancelEvent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		estado, code, estatus string
		want                  Event
		ok                    bool
	}{
		{"Vigente", "201", "En proceso", "", false},
		{"Vigente", "201", "", "", false},
		{"Cancelado", "201", "Cancelado sin aceptación", EventCancelAccepted, true},
		{"", "202", "", EventCancelAccepted, true},
		{"Vigente", "201", "Solicitud rechazada", EventCancelRefused, true},
	}
	for _, tt := range tests {
		got, ok := CancelEvent(tt.estado, tt.code, tt.estatus)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CancelEvent(%q, %q, %q) = %s, %v; want %s, %v", tt.estado, tt.code, tt.estatus, got, ok, tt.want, tt.ok)
		}
	}
}
