// Package config holds fogbank's configuration: one struct, its defaults and
// its validation. Flags and FOGBANK_* environment variables fill it (see cli).
package config

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"
)

// Auth modes.
const (
	AuthPermissive = "permissive"
	AuthStrict     = "strict"
)

// Config is everything fogbank up needs.
type Config struct {
	Addr          string // listen address
	DataDir       string // where the embedded store lives
	Store         string // "" (sqlite file in DataDir), "memory", "sqlite:PATH", a path, or "postgres://..."
	Auth          string // permissive or strict
	Credentials   string // strict mode: "AKID:SECRET[,AKID:SECRET...]"
	DefaultRegion string // region of unsigned requests
	LogLevel      string // debug, info, warn, error
	// LambdaRetryDelay is the delay before the first retry of an
	// asynchronous Lambda invocation (the second waits twice as long); 0
	// means AWS's 1 minute. Tests shorten it.
	LambdaRetryDelay time.Duration
	// SFNTimeScale multiplies Step Functions Wait states, Retry intervals
	// and timeouts (--sfn-time-scale); 0 means 1. Tests shorten them.
	SFNTimeScale float64
	// SFNMockConfig is a Step Functions Local mock config file
	// (--sfn-mock-config, SFN_MOCK_CONFIG); empty for none.
	SFNMockConfig string
}

// WithDefaults returns c with every empty field set to its default.
func (c Config) WithDefaults() Config {
	c.Addr = cmp.Or(c.Addr, "127.0.0.1:4566")
	c.DataDir = cmp.Or(c.DataDir, ".fogbank")
	c.Auth = cmp.Or(c.Auth, AuthPermissive)
	c.DefaultRegion = cmp.Or(c.DefaultRegion, "us-east-1")
	c.LogLevel = cmp.Or(c.LogLevel, "info")
	return c
}

// Validate reports the first problem with c.
func (c Config) Validate() error {
	if c.Auth != AuthPermissive && c.Auth != AuthStrict {
		return fmt.Errorf("config: --auth must be %q or %q, not %q", AuthPermissive, AuthStrict, c.Auth)
	}
	if c.Auth == AuthStrict {
		if _, err := c.CredentialMap(); err != nil {
			return err
		}
	}
	if _, err := c.SlogLevel(); err != nil {
		return err
	}
	if c.SFNTimeScale < 0 {
		return fmt.Errorf("config: --sfn-time-scale must not be negative, not %g", c.SFNTimeScale)
	}
	if _, _, err := c.StoreTarget(); err != nil {
		return err
	}
	return nil
}

// CredentialMap parses Credentials.
func (c Config) CredentialMap() (map[string]string, error) {
	out := map[string]string{}
	for pair := range strings.SplitSeq(c.Credentials, ",") {
		pair = strings.TrimSpace(pair)
		if pair == "" {
			continue
		}
		id, secret, ok := strings.Cut(pair, ":")
		if !ok || id == "" || secret == "" {
			return nil, fmt.Errorf("config: credential %q is not ACCESS_KEY_ID:SECRET", pair)
		}
		out[id] = secret
	}
	if len(out) == 0 {
		return nil, errors.New("config: --auth=strict needs --credentials (FOGBANK_CREDENTIALS) as ACCESS_KEY_ID:SECRET[,...]")
	}
	return out, nil
}

// SlogLevel parses LogLevel.
func (c Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("config: --log-level %q: %w", c.LogLevel, err)
	}
	return l, nil
}

// Store drivers.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// StoreTarget returns the driver and its argument: a sqlite path (":memory:"
// for an in-memory store) or a postgres URL.
func (c Config) StoreTarget() (driver, target string, err error) {
	s := c.Store
	switch {
	case s == "":
		return DriverSQLite, filepath.Join(c.DataDir, "fogbank.db"), nil
	case s == "memory" || s == ":memory:" || s == "sqlite::memory:":
		return DriverSQLite, ":memory:", nil
	case strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://"):
		return DriverPostgres, s, nil
	case strings.HasPrefix(s, "sqlite://"):
		return DriverSQLite, strings.TrimPrefix(s, "sqlite://"), nil
	case strings.HasPrefix(s, "sqlite:"):
		return DriverSQLite, strings.TrimPrefix(s, "sqlite:"), nil
	case strings.Contains(s, "://"):
		return "", "", fmt.Errorf("config: --store %q: unknown scheme (use a path, memory, sqlite:PATH or postgres://...)", s)
	default:
		return DriverSQLite, s, nil
	}
}
