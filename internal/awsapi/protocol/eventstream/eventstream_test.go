package eventstream

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/require"
)

// chunk is a PayloadChunk as aws-sdk-go-v2's eventstream encoder frames it
// (checked byte for byte against it when written).
const chunk = "0000006f0000005af5fe871f0b3a6576656e742d7479706507000c5061796c6f61644368756e6b0d3a636f6e74656e742d747970650700186170706c69636174696f6e2f6f637465742d73747265616d0d3a6d6573736167652d747970650700056576656e7468656c6c6f29e71260"

func chunkMessage() Message {
	return Message{Headers: []Header{
		{":event-type", "PayloadChunk"}, {":content-type", "application/octet-stream"}, {":message-type", "event"},
	}, Payload: []byte("hello")}
}

func TestEncodeGolden(t *testing.T) {
	t.Parallel()
	b, err := Encode(chunkMessage())
	require.NoError(t, err)
	require.Equal(t, chunk, hex.EncodeToString(b))
}

func TestDecodeStream(t *testing.T) {
	t.Parallel()
	first, err := Encode(chunkMessage())
	require.NoError(t, err)
	second, err := Encode(Message{Headers: []Header{{":event-type", "InvokeComplete"}}})
	require.NoError(t, err)
	r := bytes.NewReader(append(first, second...))
	m, err := Decode(r)
	require.NoError(t, err)
	require.Equal(t, chunkMessage(), m)
	m, err = Decode(r)
	require.NoError(t, err)
	require.Equal(t, "InvokeComplete", m.Header(":event-type"))
	require.Empty(t, m.Payload)
	_, err = Decode(r)
	require.ErrorIs(t, err, io.EOF)
}

func TestDecodeMalformed(t *testing.T) {
	t.Parallel()
	good, err := Encode(chunkMessage())
	require.NoError(t, err)
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 1
		return b
	}
	for name, b := range map[string][]byte{
		"truncated prelude": good[:5], "truncated body": good[:40], "prelude crc": flip(9),
		"message crc": flip(len(good) - 1), "payload": flip(len(good) - 6), "length": flip(3),
	} {
		_, err := Decode(bytes.NewReader(b))
		require.ErrorIs(t, err, ErrMalformed, name)
	}
}

func TestEncodeLimits(t *testing.T) {
	t.Parallel()
	_, err := Encode(Message{Headers: []Header{{Name: string(make([]byte, 256)), Value: "v"}}})
	require.Error(t, err)
	_, err = Encode(Message{Headers: []Header{{Name: "", Value: "v"}}})
	require.Error(t, err)
	_, err = Encode(Message{Payload: make([]byte, MaxMessage)})
	require.Error(t, err)
}

// FuzzDecode: Decode never panics, and what it accepts re-encodes (with
// string headers) to a message it decodes the same.
func FuzzDecode(f *testing.F) {
	b, _ := hex.DecodeString(chunk)
	f.Add(b)
	f.Add(b[:20])
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, io.EOF) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		again, err := Encode(m)
		if err != nil {
			return // a value of a non-string type longer than a string may be
		}
		m2, err := Decode(bytes.NewReader(again))
		require.NoError(t, err)
		require.Equal(t, m.Headers, m2.Headers)
		require.Equal(t, string(m.Payload), string(m2.Payload))
	})
}

func TestWriterFlushesEachEvent(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	flushed := 0
	w := NewWriter(&buf, func() { flushed++ })
	require.NoError(t, w.Event("PayloadChunk", "application/octet-stream", []byte("hello")))
	require.Equal(t, chunk, hex.EncodeToString(buf.Bytes()))
	require.NoError(t, w.Event("InvokeComplete", "application/json", []byte(`{}`)))
	require.Equal(t, 2, flushed)
	buf.Next(len(chunk) / 2)
	m, err := Decode(&buf)
	require.NoError(t, err)
	require.Equal(t, "InvokeComplete", m.Header(":event-type"))
	require.Equal(t, "event", m.Header(":message-type"))
	require.JSONEq(t, `{}`, string(m.Payload))
}
