// Package eventstream implements the AWS event-stream binary framing
// (application/vnd.amazon.eventstream) that streaming operations such as
// Lambda's InvokeWithResponseStream answer with.
//
// A message is a prelude (total length, headers length, both uint32 big
// endian, and the CRC32 of those 8 bytes), the headers, the payload and the
// CRC32 of everything before it. A header is a 1-byte name length, the name,
// a 1-byte value type and the value; this package writes string values
// (type 7: a uint16 length and the bytes) and reads every type.
package eventstream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
)

// Limits of the framing.
const (
	MaxMessage = 16 << 20  // a message's total length
	MaxHeaders = 128 << 10 // its headers' length
	prelude    = 12        // total length, headers length, prelude CRC
	trailer    = 4         // message CRC
)

// Header value types.
const (
	typeTrue byte = iota
	typeFalse
	typeByte
	typeInt16
	typeInt32
	typeInt64
	typeBytes
	typeString
	typeTimestamp
	typeUUID
)

// Header is one header with a string value.
type Header struct {
	Name, Value string
}

// Message is one event-stream message.
type Message struct {
	Headers []Header
	Payload []byte
}

// Header returns the value of the header name, or "".
func (m Message) Header(name string) string {
	for _, h := range m.Headers {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

// Encode returns m framed. It fails when a header name exceeds 255 bytes, a
// value 65535 bytes, or the message the framing's limits.
func Encode(m Message) ([]byte, error) {
	hlen := 0
	for _, h := range m.Headers {
		if len(h.Name) == 0 || len(h.Name) > 255 || len(h.Value) > 0xffff {
			return nil, fmt.Errorf("eventstream: header %q too long or empty", h.Name)
		}
		hlen += 1 + len(h.Name) + 1 + 2 + len(h.Value)
	}
	total := prelude + hlen + len(m.Payload) + trailer
	if hlen > MaxHeaders || total > MaxMessage {
		return nil, fmt.Errorf("eventstream: message of %d bytes exceeds the framing's limits", total)
	}
	b := make([]byte, 0, total)
	b = binary.BigEndian.AppendUint32(b, uint32(total)) //nolint:gosec // bounded by MaxMessage
	b = binary.BigEndian.AppendUint32(b, uint32(hlen))  //nolint:gosec // bounded by MaxHeaders
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	for _, h := range m.Headers {
		b = append(b, byte(len(h.Name)))
		b = append(b, h.Name...)
		b = append(b, typeString)
		b = binary.BigEndian.AppendUint16(b, uint16(len(h.Value))) //nolint:gosec // checked above
		b = append(b, h.Value...)
	}
	b = append(b, m.Payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b)), nil
}

// ErrMalformed is wrapped by every error Decode returns for bad framing.
var ErrMalformed = errors.New("eventstream: malformed message")

// Decode reads one message from r; io.EOF at a clean end. Values of other
// header types than string are rendered as their raw bytes.
func Decode(r io.Reader) (Message, error) {
	var pre [prelude]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return Message{}, fmt.Errorf("%w: truncated prelude", ErrMalformed)
		}
		return Message{}, err
	}
	total := binary.BigEndian.Uint32(pre[0:4])
	hlen := binary.BigEndian.Uint32(pre[4:8])
	if crc32.ChecksumIEEE(pre[:8]) != binary.BigEndian.Uint32(pre[8:12]) {
		return Message{}, fmt.Errorf("%w: prelude checksum", ErrMalformed)
	}
	if total > MaxMessage || hlen > MaxHeaders || uint64(total) < uint64(prelude)+uint64(hlen)+trailer {
		return Message{}, fmt.Errorf("%w: lengths %d/%d", ErrMalformed, total, hlen)
	}
	b := make([]byte, total)
	copy(b, pre[:])
	if _, err := io.ReadFull(r, b[prelude:]); err != nil {
		return Message{}, fmt.Errorf("%w: truncated message", ErrMalformed)
	}
	end := total - trailer
	if crc32.ChecksumIEEE(b[:end]) != binary.BigEndian.Uint32(b[end:]) {
		return Message{}, fmt.Errorf("%w: message checksum", ErrMalformed)
	}
	headers, err := decodeHeaders(b[prelude : prelude+hlen])
	if err != nil {
		return Message{}, err
	}
	return Message{Headers: headers, Payload: b[prelude+hlen : end]}, nil
}

func decodeHeaders(b []byte) ([]Header, error) {
	var hs []Header
	for len(b) > 0 {
		n := int(b[0])
		if n == 0 || len(b) < 1+n+1 {
			return nil, fmt.Errorf("%w: header name", ErrMalformed)
		}
		name, typ := string(b[1:1+n]), b[1+n]
		b = b[2+n:]
		size, prefix, err := valueSize(typ, b)
		if err != nil {
			return nil, err
		}
		if len(b) < prefix+size {
			return nil, fmt.Errorf("%w: header %q value", ErrMalformed, name)
		}
		hs = append(hs, Header{Name: name, Value: string(b[prefix : prefix+size])})
		b = b[prefix+size:]
	}
	return hs, nil
}

// valueSize is the length of a value of typ at the start of b, after a
// length prefix of prefix bytes.
func valueSize(typ byte, b []byte) (size, prefix int, err error) {
	switch typ {
	case typeTrue, typeFalse:
		return 0, 0, nil
	case typeByte:
		return 1, 0, nil
	case typeInt16:
		return 2, 0, nil
	case typeInt32:
		return 4, 0, nil
	case typeInt64, typeTimestamp:
		return 8, 0, nil
	case typeUUID:
		return 16, 0, nil
	case typeBytes, typeString:
		if len(b) < 2 {
			return 0, 0, fmt.Errorf("%w: header value length", ErrMalformed)
		}
		return int(binary.BigEndian.Uint16(b)), 2, nil
	}
	return 0, 0, fmt.Errorf("%w: header type %d", ErrMalformed, typ)
}
