package queue

import (
	"crypto/md5" //nolint:gosec // AWS's checksum algorithm, not used for security.
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
)

// MessageAttribute is a user message attribute (or the AWSTraceHeader system
// attribute). Exactly one of StringValue and BinaryValue is meaningful,
// chosen by the data type's base (String and Number carry strings).
type MessageAttribute struct {
	DataType         string   `json:"t"`
	StringValue      *string  `json:"s,omitempty"`
	BinaryValue      []byte   `json:"b,omitempty"`
	StringListValues []string `json:"sl,omitempty"`
	BinaryListValues [][]byte `json:"bl,omitempty"`
}

// meta is the immutable metadata stored beside a message body.
type meta struct {
	Attributes   map[string]MessageAttribute `json:"a,omitempty"`
	TraceHeader  string                      `json:"th,omitempty"`
	GroupID      string                      `json:"g,omitempty"`
	DedupID      string                      `json:"d,omitempty"`
	SenderID     string                      `json:"sid"`
	SentAt       int64                       `json:"st"`
	DLQSourceArn string                      `json:"dlq,omitempty"`
	MD5Body      string                      `json:"mb"`
	MD5Attrs     string                      `json:"ma,omitempty"`
	MD5SysAttrs  string                      `json:"ms,omitempty"`
}

// MD5OfBody returns the hex MD5 of the message body.
func MD5OfBody(body []byte) string {
	sum := md5.Sum(body) //nolint:gosec // AWS's checksum.
	return hex.EncodeToString(sum[:])
}

// MD5OfAttributes computes MD5OfMessageAttributes by AWS's algorithm: names
// sorted; for each, length-prefixed name, data type, a transport byte (1 for
// string values, 2 for binary) and the length-prefixed value. It returns ""
// for no attributes, because AWS omits the field then.
func MD5OfAttributes(attrs map[string]MessageAttribute) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	h := md5.New() //nolint:gosec // AWS's checksum.
	for _, n := range names {
		a := attrs[n]
		writeLen(h, []byte(n))
		writeLen(h, []byte(a.DataType))
		if isBinaryType(a.DataType) {
			h.Write([]byte{2})
			writeLen(h, a.BinaryValue)
			continue
		}
		h.Write([]byte{1})
		var s string
		if a.StringValue != nil {
			s = *a.StringValue
		}
		writeLen(h, []byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeLen(h hash.Hash, b []byte) {
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b))) //nolint:gosec // lengths are bounded by the 1 MiB limit.
	h.Write(n[:])
	h.Write(b)
}
