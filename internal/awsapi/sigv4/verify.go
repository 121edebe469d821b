package sigv4

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verifier checks signatures against configured credentials. Its zero value
// knows no keys and rejects every signed request with InvalidClientTokenId.
type Verifier struct {
	// Lookup returns the secret for an access key id; ok is false for an
	// unknown key. A nil Lookup knows no keys.
	Lookup func(accessKeyID string) (secretAccessKey string, ok bool)
	// Now is the injected clock; nil means time.Now.
	Now func() time.Time
	// Service, when set, is the only service name accepted in the
	// credential scope (e.g. "sqs"). Empty accepts any.
	Service string
}

// Verify checks a header-signed or presigned request. body is the full
// request body (already read by the caller); X-Amz-Content-Sha256 (incl.
// UNSIGNED-PAYLOAD) is honoured when present. Returns the credential on
// success. Errors are *Error values; an unsigned request's error also
// matches ErrNoSignature.
//
// A header-signed request must be dated within 15 minutes of now. A presigned
// URL must not be dated more than 15 minutes ahead; it expires X-Amz-Expires
// seconds after its date, or 15 minutes after it without X-Amz-Expires.
func (v *Verifier) Verify(r *http.Request, body []byte) (Credential, error) {
	s, err := readSignature(r)
	if err != nil {
		return Credential{}, err
	}
	if !signsHost(s.signedHeaders) {
		return Credential{}, errHostNotSigned()
	}
	date, err := requestTime(s)
	if err != nil {
		return Credential{}, err
	}
	if err := checkTime(s, date, v.now()); err != nil {
		return Credential{}, err
	}
	sc, err := parseScope(s.credential)
	if err != nil {
		return Credential{}, err
	}
	if err := v.checkScope(sc, date, s.date); err != nil {
		return Credential{}, err
	}
	if err := v.checkSignature(r, s, sc, date, body); err != nil {
		return Credential{}, err
	}
	return sc.credential(s.presigned), nil
}

// now reads the injected clock.
func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

// signsHost reports whether host is among the signed headers (any case).
func signsHost(list string) bool {
	for name := range strings.SplitSeq(list, ";") {
		if strings.EqualFold(name, "host") {
			return true
		}
	}
	return false
}

// requestTime reads the request date: ISO-8601 basic format, or for the Date
// header also an HTTP date.
func requestTime(s signed) (time.Time, error) {
	if t, err := time.Parse(isoBasic, s.date); err == nil {
		return t, nil
	}
	if s.fromDateHeader {
		if t, err := http.ParseTime(s.date); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errDateFormat(s.date)
}

// checkTime rejects a request dated too far from now, or a presigned URL
// past its X-Amz-Expires.
func checkTime(s signed, date, now time.Time) error {
	if date.After(now.Add(maxSkew)) {
		return errNotYetCurrent(date, now)
	}
	if !s.hasExpires {
		if date.Before(now.Add(-maxSkew)) {
			return errExpired(date, now)
		}
		return nil
	}
	seconds, err := strconv.ParseInt(s.expires, 10, 64)
	if err != nil || seconds < 0 || seconds > maxExpires {
		return errExpires(seconds, err == nil)
	}
	if now.After(date.Add(time.Duration(seconds) * time.Second)) {
		return errPresignExpired()
	}
	return nil
}

// checkScope rejects a credential scope that does not fit the request,
// naming every problem in one message as AWS does.
func (v *Verifier) checkScope(sc scope, date time.Time, rawDate string) error {
	var problems []string
	if sc.region == "" {
		problems = append(problems, "Credential should be scoped to a valid region, not ''.")
	}
	if v.Service != "" && sc.service != v.Service {
		problems = append(problems, fmt.Sprintf("Credential should be scoped to correct service: '%s'.", v.Service))
	}
	if sc.terminator != terminator {
		problems = append(problems, fmt.Sprintf(
			"Credential should be scoped with a valid terminator: '%s', not '%s'.", terminator, sc.terminator))
	}
	if want := date.Format(scopeDateLayout); sc.date != want {
		problems = append(problems, fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.",
			sc.date, want, rawDate))
	}
	if len(problems) > 0 {
		return mismatch("%s", strings.Join(problems, " "))
	}
	return nil
}

// checkSignature looks the key up, recomputes the signature and compares it
// in constant time. A declared payload hash must also match the body.
func (v *Verifier) checkSignature(r *http.Request, s signed, sc scope, date time.Time, body []byte) error {
	secret, ok := "", false
	if v.Lookup != nil {
		secret, ok = v.Lookup(sc.accessKeyID)
	}
	if !ok {
		return errUnknownKey()
	}
	want := signature(secret, sc, stringToSign(date, sc, canonicalRequest(r, s, body)))
	if subtle.ConstantTimeCompare([]byte(want), []byte(s.signature)) != 1 {
		return errBadSignature()
	}
	if declared := declaredPayloadHash(r, s.presigned); isSHA256Hex(declared) && !strings.EqualFold(declared, bodyHash(body)) {
		return errBadSignature()
	}
	return nil
}

// isSHA256Hex reports whether s looks like a hex SHA-256 (rather than
// UNSIGNED-PAYLOAD or a STREAMING-* marker).
func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
