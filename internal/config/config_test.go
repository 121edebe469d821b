package config

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultsAndValidate(t *testing.T) {
	t.Parallel()
	c := Config{}.WithDefaults()
	require.Equal(t, "127.0.0.1:4566", c.Addr)
	require.Equal(t, ".fogbank", c.DataDir)
	require.Equal(t, AuthPermissive, c.Auth)
	require.NoError(t, c.Validate())

	c.Auth = "sometimes"
	require.ErrorContains(t, c.Validate(), "--auth")
	c.Auth = AuthStrict
	require.ErrorContains(t, c.Validate(), "--credentials")
	c.Credentials = "AKID:secret, 123456789012:other"
	require.NoError(t, c.Validate())
	creds, err := c.CredentialMap()
	require.NoError(t, err)
	require.Equal(t, map[string]string{"AKID": "secret", "123456789012": "other"}, creds)
	c.Credentials = "nosecret"
	require.Error(t, c.Validate())
	c = Config{LogLevel: "loud"}.WithDefaults()
	require.ErrorContains(t, c.Validate(), "--log-level")
}

func TestStoreTarget(t *testing.T) {
	t.Parallel()
	cases := []struct{ store, driver, target string }{
		{"", DriverSQLite, filepath.Join("data", "fogbank.db")},
		{"memory", DriverSQLite, ":memory:"},
		{"sqlite::memory:", DriverSQLite, ":memory:"},
		{"sqlite:/tmp/x.db", DriverSQLite, "/tmp/x.db"},
		{"sqlite:///tmp/x.db", DriverSQLite, "/tmp/x.db"},
		{"/var/lib/fb.db", DriverSQLite, "/var/lib/fb.db"},
		{"postgres://u:p@h/db", DriverPostgres, "postgres://u:p@h/db"},
		{"postgresql://h/db", DriverPostgres, "postgresql://h/db"},
	}
	for _, c := range cases {
		d, target, err := Config{Store: c.store, DataDir: "data"}.StoreTarget()
		require.NoError(t, err, c.store)
		require.Equal(t, c.driver, d, c.store)
		require.Equal(t, c.target, target, c.store)
	}
	_, _, err := Config{Store: "mysql://h/db"}.StoreTarget()
	require.ErrorContains(t, err, "unknown scheme")
}
