package sandbox

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/function/runtimeapi"
)

func TestMissingInterpreterFailsTheInvocation(t *testing.T) {
	t.Parallel()
	sb, err := Start(Config{
		Dir: t.TempDir(), CodeDir: t.TempDir(), Runtime: "nodejs22.x",
		Command: []string{"fogbank-no-such-interpreter", "index.mjs"},
	})
	require.NoError(t, err)
	require.True(t, sb.Dead())
	o := sb.Invoke(t.Context(), runtimeapi.Invocation{RequestID: "r1"}, time.Second)
	require.True(t, o.Result.InitError)
	require.Equal(t, "Runtime.InvalidEntrypoint", o.Result.ErrorType)
	var doc struct{ ErrorMessage, ErrorType string }
	require.NoError(t, json.Unmarshal(o.Result.Payload, &doc))
	require.Equal(t, `RequestId: r1 Error: fogbank cannot start the nodejs22.x runtime: "fogbank-no-such-interpreter" was not found on PATH; install it on the host running fogbank`, doc.ErrorMessage)
	require.Contains(t, string(o.Log), "fogbank-no-such-interpreter")
	sb.Kill()
	sb.Kill()
}

func TestProbeLimitsWithoutCgroup2(t *testing.T) {
	t.Parallel()
	l, err := ProbeLimits(t.TempDir())
	require.ErrorContains(t, err, "cgroup v2 is not mounted")
	require.False(t, l.Enabled())
}

func TestCPUWeight(t *testing.T) {
	t.Parallel()
	for mb, want := range map[int]int{128: 7, 1769: 100, 3538: 200, 10240: 578, 1: 1} {
		require.Equal(t, want, CPUWeight(mb), mb)
	}
}

func TestStartWithoutBootstrap(t *testing.T) {
	t.Parallel()
	_, err := Start(Config{Dir: t.TempDir(), CodeDir: t.TempDir()})
	var se *StartError
	require.ErrorAs(t, err, &se)
}
