package schema

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestObserveWithoutDiscovererAllocatesNothing: PutEvents calls Observing
// and Observe for every event; without a discoverer on the bus they cost no
// allocation.
func TestObserveWithoutDiscovererAllocatesNothing(t *testing.T) { //nolint:paralleltest // AllocsPerRun refuses parallel tests
	s := New(Config{})
	event := []byte(`{"source":"a","detail-type":"b","detail":{}}`)
	allocs := testing.AllocsPerRun(100, func() {
		if s.Observing("000000000000", "us-east-1", "default") {
			t.Fatal("no discoverer")
		}
		s.Observe("000000000000", "us-east-1", "default", event)
	})
	require.Zero(t, allocs)
}

func TestBuiltinSchemasCompile(t *testing.T) {
	t.Parallel()
	b := builtinSchemas()
	require.Len(t, b, len(awsSamples))
	for name, v := range b {
		require.NoError(t, CheckContent(v.Type, v.Content), name)
		m, err := buildModel(v.Type, v.Content)
		require.NoError(t, err, name)
		_, err = goBinding(m, name)
		require.NoError(t, err, name)
	}
	require.Contains(t, b, "aws.events@ScheduledEvent")
	require.Contains(t, b, "aws.ec2@EC2InstanceStateChangeNotification")
}
