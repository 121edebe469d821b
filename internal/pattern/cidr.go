package pattern

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"
)

// ipAddr is an IPv4 (n = 4) or IPv6 (n = 16) address.
type ipAddr struct {
	b [16]byte
	n int
}

func (a ipAddr) bytes() []byte { return a.b[:a.n] }

// ipRange is an inclusive range of addresses of one family.
type ipRange struct{ lo, hi ipAddr }

func (r *ipRange) contains(a ipAddr) bool {
	return a.n == r.lo.n && bytes.Compare(a.bytes(), r.lo.bytes()) >= 0 &&
		bytes.Compare(a.bytes(), r.hi.bytes()) <= 0
}

// looksLikeIPv4 is event-ruler's IPv4 regex: [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+
func looksLikeIPv4(s []byte) bool {
	parts, digits := 0, 0
	for _, c := range s {
		switch {
		case isDigit(c):
			digits++
		case c == '.' && digits > 0:
			parts++
			digits = 0
		default:
			return false
		}
	}
	return parts == 3 && digits > 0
}

// looksLikeIPv6 is event-ruler's IPv6 regex: [0-9a-fA-F:]*:[0-9a-fA-F:]*
func looksLikeIPv6(s []byte) bool {
	colon := false
	for _, c := range s {
		if _, ok := hexVal(c); ok {
			continue
		}
		if c != ':' {
			return false
		}
		colon = true
	}
	return colon
}

// parseIP parses an address the way event-ruler does (Java InetAddress behind
// the two regexes). IPv4-mapped IPv6 addresses become IPv4 addresses.
func parseIP(s []byte) (ipAddr, bool) {
	var a ipAddr
	switch {
	case looksLikeIPv4(s):
		return parseIPv4(s)
	case looksLikeIPv6(s):
		if len(s) > 45 {
			return a, false
		}
		addr, err := netip.ParseAddr(string(s))
		if err != nil {
			return a, false
		}
		addr = addr.Unmap()
		a.n = addr.BitLen() / 8
		copy(a.b[:], addr.AsSlice())
		return a, true
	}
	return a, false
}

func parseIPv4(s []byte) (ipAddr, bool) {
	a := ipAddr{n: 4}
	part, v := 0, 0
	for _, c := range s {
		if c == '.' {
			a.b[part] = byte(v)
			part, v = part+1, 0
			continue
		}
		v = v*10 + int(c-'0')
		if v > 255 {
			return a, false
		}
	}
	a.b[part] = byte(v)
	return a, true
}

// parseCIDR parses a cidr operand with event-ruler's error texts.
func parseCIDR(s string) (ipRange, error) {
	parts := javaSplit(s, "/")
	if len(parts) != 2 {
		return ipRange{}, fail("Malformed CIDR, one '/' required")
	}
	bits, err := javaParseInt(parts[1])
	if err != nil {
		return ipRange{}, fail("Malformed CIDR, mask bits must be an integer")
	}
	if bits < 0 {
		return ipRange{}, fail("Malformed CIDR, mask bits must not be negative")
	}
	ip, err := ipForCIDR(parts[0])
	if err != nil {
		return ipRange{}, err
	}
	if ip.n == 4 && bits > 31 {
		return ipRange{}, fail("IPv4 mask bits must be < 32")
	}
	if ip.n == 16 && bits > 127 {
		return ipRange{}, fail("IPv6 mask bits must be < 128")
	}
	return maskRange(ip, bits), nil
}

func ipForCIDR(s string) (ipAddr, error) {
	b := []byte(s)
	if !looksLikeIPv4(b) && !looksLikeIPv6(b) {
		return ipAddr{}, fail("Nonstandard IP address: " + s)
	}
	ip, ok := parseIP(b)
	if !ok {
		return ipAddr{}, fail("Invalid IP address: " + s)
	}
	return ip, nil
}

func maskRange(ip ipAddr, bits int) ipRange {
	r := ipRange{lo: ip, hi: ip}
	for i := range ip.n {
		fixed := min(max(bits-8*i, 0), 8)
		mask := byte(0xff << (8 - fixed))
		if fixed == 0 {
			mask = 0
		}
		r.lo.b[i] &= mask
		r.hi.b[i] |= ^mask
	}
	return r
}

// javaSplit is Java's String.split for a literal separator: trailing empty
// strings are removed.
func javaSplit(s, sep string) []string {
	parts := strings.Split(s, sep)
	if s == "" {
		return parts
	}
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// javaParseInt is Java's Integer.parseInt.
func javaParseInt(s string) (int, error) {
	if strings.HasPrefix(s, "+") && len(s) > 1 && s[1] != '-' && s[1] != '+' {
		s = s[1:]
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err
}
