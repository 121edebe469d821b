package lambda

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestErrorTableMatchesModel checks that every error we emit is an exception
// of the Lambda model (or AWS's common ValidationException) with the
// model's status and message member.
func TestErrorTableMatchesModel(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/lambda-errors.json")
	require.NoError(t, err)
	type shape struct {
		Status  int      `json:"status"`
		Members []string `json:"members"`
	}
	var model struct {
		Exceptions map[string]shape `json:"exceptions"`
		Common     map[string]shape `json:"common"`
	}
	require.NoError(t, json.Unmarshal(raw, &model))
	for code, w := range errorTable {
		s, ok := model.Exceptions[w.typ]
		if !ok {
			s, ok = model.Common[w.typ]
		}
		require.Truef(t, ok, "code %d: %s is not in the Lambda model", code, w.typ)
		require.Equalf(t, s.Status, w.status, "code %d: status of %s", code, w.typ)
		msg := "message"
		if w.upper {
			msg = "Message"
		}
		require.Containsf(t, s.Members, msg, "code %d: message member of %s", code, w.typ)
	}
}
