package asl

import (
	"fmt"
	"strings"
)

// Diagnostic codes, as ValidateStateMachineDefinition reports them.
const (
	CodeSchema             = "SCHEMA_VALIDATION_FAILED"
	CodeInvalidJSON        = "INVALID_JSON_DESCRIPTION"
	CodeMissingTransition  = "MISSING_TRANSITION_TARGET"
	CodeUnreachable        = "UNREACHABLE_STATE"
	CodeDuplicateStateName = "DUPLICATE_STATE_NAME"
)

// Diagnostic is one problem found in a definition.
type Diagnostic struct {
	Code     string
	Message  string
	Location string
}

// Error is a definition AWS rejects. Message is the exact text of the
// InvalidDefinition error CreateStateMachine returns.
type Error struct {
	Diagnostics []Diagnostic
	// Raw, when set, replaces the composed message (AWS renders a few
	// failures, such as a bad Map Label, in a different form).
	Raw string
}

// Error returns AWS's InvalidDefinition message.
func (e *Error) Error() string {
	if e.Raw != "" {
		return e.Raw
	}
	parts := make([]string, 0, len(e.Diagnostics))
	for _, d := range e.Diagnostics {
		if d.Location != "" && d.Code != CodeInvalidJSON {
			parts = append(parts, fmt.Sprintf("'%s: %s at %s'", d.Code, d.Message, d.Location))
		} else {
			parts = append(parts, fmt.Sprintf("'%s: %s'", d.Code, d.Message))
		}
	}
	n := len(parts)
	suffix := ""
	if n > 1 {
		suffix = fmt.Sprintf("%d errors", n)
		return "Invalid State Machine Definition: " + strings.Join(parts, ", ") + " (" + suffix + ")"
	}
	return "Invalid State Machine Definition: " + strings.Join(parts, ", ")
}

// pyRepr renders a one-character string the way Python's repr does.
func pyRepr(r rune) string {
	switch r {
	case '\n':
		return `'\n'`
	case '\r':
		return `'\r'`
	case '\t':
		return `'\t'`
	case '\\':
		return `'\\'`
	case '\'':
		return `"'"`
	}
	if r < 0x20 || (r >= 0x7f && r <= 0xa0) {
		return fmt.Sprintf(`'\x%02x'`, r)
	}
	return "'" + string(r) + "'"
}
