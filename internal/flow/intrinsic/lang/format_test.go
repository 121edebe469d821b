package lang

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestJavaNumber(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "42": "42", "-7": "-7", "12345678901234567890": "12345678901234567890",
		"1.1": "1.1", "1.10": "1.1", "100.0": "100.0", "1e2": "100.0", "1E+2": "100.0",
		"0.001": "0.001", "0.0001": "1.0E-4", "9999999.0": "9999999.0", "1e7": "1.0E7",
		"1.5e21": "1.5E21", "-0.0": "-0.0", "123456.789": "123456.789",
	} {
		require.Equal(t, want, JavaNumber(json.Number(in)), in)
	}
}

// TestJavaRandom checks java.util.Random against values Java gives.
func TestJavaRandom(t *testing.T) {
	t.Parallel()
	require.Equal(t, int32(-1170105035), newJavaRandom(42).next(32))
	require.Equal(t, int32(0), newJavaRandom(42).nextInt(10))
	require.Equal(t, int32(239), newJavaRandom(3).nextInt(999))
	require.Equal(t, int32(0), newJavaRandom(42).nextInt(1))
}

func TestFormatValue(t *testing.T) {
	t.Parallel()
	v := map[string]any{"Name": "n", "Id": "i", "L": []any{json.Number("1"), nil, true, map[string]any{}}}
	require.Equal(t, "{Id=i, L=[1, null, true, {}], Name=n}", FormatValue(v))
}
