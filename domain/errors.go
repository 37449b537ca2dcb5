// Package domain holds the vocabulary shared by every part of Folio: the error
// model and the clock. Its subpackages hold the business rules. Nothing under
// domain imports fyne, database/sql or net/http.
package domain

import (
	"errors"
	"fmt"
)

// Kind classifies an error so callers can decide what to do with it without
// parsing text. The set is closed.
type Kind int

// The kinds of error. Unavailable is the only kind worth retrying by itself.
const (
	Internal    Kind = iota // a bug or an unexpected failure
	Invalid                 // the input breaks a rule; the user must change it
	NotFound                // the thing asked for does not exist
	Conflict                // it clashes with what is stored (duplicate, stale)
	Rejected                // the PAC or SAT said no
	Unavailable             // the PAC, the network or the disk cannot be reached now
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "rejected", "unavailable"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is Folio's error. Msg is Spanish text that is safe to show to a user;
// Err is the internal cause, kept for logs and reachable with errors.Is/As.
// Code carries a SAT or PAC code (CFDI40xxx, 307…) when one applies.
type Error struct {
	Kind Kind
	Op   string
	Msg  string
	Code string
	Err  error
}

// Error returns the developer-facing text: "op: kind: cause".
func (e *Error) Error() string {
	s := e.Op
	if s != "" {
		s += ": "
	}
	s += e.Kind.String()
	if e.Code != "" {
		s += " " + e.Code
	}
	switch {
	case e.Err != nil:
		s += ": " + e.Err.Error()
	case e.Msg != "":
		s += ": " + e.Msg
	}
	return s
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error. Msg must be Spanish and user-safe; cause may be nil.
func E(kind Kind, op, msg string, cause error) *Error {
	return &Error{Kind: kind, Op: op, Msg: msg, Err: cause}
}

// Errorf builds an Invalid error whose user message is formatted.
func Errorf(kind Kind, op, format string, args ...any) *Error {
	return &Error{Kind: kind, Op: op, Msg: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// IsKind reports whether err's chain holds an *Error of kind k.
func IsKind(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// genericMsg is shown when an error carries no user-safe text.
const genericMsg = "Ocurrió un error inesperado. Intente de nuevo; si persiste, revise el registro de la aplicación."

// UserMessage returns the Spanish text to show for err: the Msg of every
// *Error joined in err (one per line, for errors.Join), or a generic sentence.
func UserMessage(err error) string {
	if err == nil {
		return ""
	}
	var msgs []string
	collectMsgs(err, &msgs)
	if len(msgs) == 0 {
		return genericMsg
	}
	out := msgs[0]
	for _, m := range msgs[1:] {
		out += "\n" + m
	}
	return out
}

func collectMsgs(err error, msgs *[]string) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			collectMsgs(e, msgs)
		}
		return
	}
	var e *Error
	if errors.As(err, &e) {
		if e.Msg != "" {
			m := e.Msg
			if e.Code != "" {
				m = e.Code + " — " + m
			}
			*msgs = append(*msgs, m)
			return
		}
		if e.Err != nil {
			collectMsgs(e.Err, msgs)
		}
	}
}
