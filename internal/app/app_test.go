package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fogbank/fogbank/internal/config"
)

func TestStartStop(t *testing.T) {
	t.Parallel()
	a := New(config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir()}, slog.New(slog.DiscardHandler))
	require.NoError(t, a.Stop(t.Context()), "stop before start")
	require.NoError(t, a.Start(t.Context()))
	resp, err := http.Get("http://" + a.Addr() + "/health")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.JSONEq(t, `{"status":"ok"}`, string(body))
	require.NoError(t, a.Stop(context.Background()))
	require.NoError(t, a.Stop(context.Background()), "second stop")
}

func TestStartFailsCleanly(t *testing.T) {
	t.Parallel()
	a := New(config.Config{Addr: "127.0.0.1:0", Store: "memory", Auth: config.AuthStrict}, slog.New(slog.DiscardHandler))
	require.ErrorContains(t, a.Start(t.Context()), "--credentials")
	b := New(config.Config{Addr: "256.0.0.1:1", Store: "memory"}, slog.New(slog.DiscardHandler))
	require.Error(t, b.Start(t.Context()))
}
