package function

import (
	"encoding/json"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// funcState is what a function holds beside its configurations, stored as
// one record (kind RecordState). Changes copy the maps they alter, so a
// state is built aside and swapped in once the store has it.
type funcState struct {
	LastVersion int                    `json:"lastVersion"`
	Reserved    *int                   `json:"reserved,omitempty"`
	Provisioned map[string]Provisioned `json:"provisioned,omitempty"` // by version or alias
	Policies    map[string]Policy      `json:"policies,omitempty"`    // by qualifier; "" is the function's
}

func putStateRecord(f *Function, st funcState) store.Change {
	return putJSON(RecordState, recordKey(f), st)
}

func putJSON(kind, key string, v any) store.Change {
	b, _ := json.Marshal(v)
	return store.PutRecord{Record: store.Record{Kind: kind, Key: key, Data: b}}
}

// Provisioned is a provisioned concurrency configuration as stored.
type Provisioned struct {
	Requested    int       `json:"requested"`
	LastModified time.Time `json:"lastModified"`
}
