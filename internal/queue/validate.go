package queue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

var (
	attrNameRE   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,256}$`)
	fifoIDRE     = regexp.MustCompile("^[0-9A-Za-z!\"#$%&'()*+,./:;<=>?@\\[\\\\\\]^_`{|}~-]{1,128}$")
	batchEntryRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,80}$`)
)

func isBinaryType(t string) bool { return strings.HasPrefix(t, "Binary") }

func baseType(t string) string {
	base, _, _ := strings.Cut(t, ".")
	return base
}

// checkBody verifies that the body has only the characters SQS allows:
// #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.
func checkBody(body []byte) error {
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if !allowedRune(r) || (r == utf8.RuneError && size == 1) {
			return errorf(CodeInvalidMessageContents, "Invalid binary character '#x%X' was found in the message body, the set of allowed characters is available at https://www.w3.org/TR/REC-xml/#charsets", r)
		}
		i += size
	}
	return nil
}

func allowedRune(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// checkAttributes validates user message attributes and returns their size
// as counted against the message size limit.
func checkAttributes(attrs map[string]MessageAttribute) (int, error) {
	if len(attrs) > 10 {
		return 0, errorf(CodeInvalidParameterValue, "Number of message attributes [%d] exceeds the allowed maximum [10].", len(attrs))
	}
	size := 0
	for name, a := range attrs {
		if err := checkAttributeName(name); err != nil {
			return 0, err
		}
		n, err := checkAttributeValue(name, a)
		if err != nil {
			return 0, err
		}
		size += len(name) + len(a.DataType) + n
	}
	return size, nil
}

func checkAttributeName(name string) error {
	lower := strings.ToLower(name)
	switch {
	case !attrNameRE.MatchString(name):
		return errorf(CodeInvalidParameterValue, "Message (user) attribute name '%s' is invalid. The attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters.", name)
	case strings.HasPrefix(lower, "aws.") || strings.HasPrefix(lower, "amazon."):
		return errorf(CodeInvalidParameterValue, "Message (user) attribute name '%s' is reserved for use by SQS.", name)
	case strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.Contains(name, ".."):
		return errorf(CodeInvalidParameterValue, "Message (user) attribute name '%s' can not start or end with a period (.), or have multiple periods in succession (..).", name)
	}
	return nil
}

func checkAttributeValue(name string, a MessageAttribute) (int, error) {
	if a.DataType == "" {
		return 0, errorf(CodeInvalidParameterValue, "The message attribute '%s' must contain non-empty message attribute type.", name)
	}
	if len(a.DataType) > 256 {
		return 0, errorf(CodeInvalidParameterValue, "Message (user) attribute '%s' type must be less than 256 characters.", name)
	}
	base := baseType(a.DataType)
	switch base {
	case "String", "Number":
		if a.StringValue == nil || *a.StringValue == "" {
			return 0, errorf(CodeInvalidParameterValue, "Message (user) attribute '%s' must contain a non-empty value of type '%s'.", name, base)
		}
		if base == "Number" && !isNumber(*a.StringValue) {
			return 0, errorf(CodeInvalidParameterValue, "Could not cast message attribute '%s' value to number.", name)
		}
		if err := checkBody([]byte(*a.StringValue)); err != nil {
			return 0, errorf(CodeInvalidParameterValue, "Message (user) attribute '%s' contains invalid characters.", name)
		}
		return len(*a.StringValue), nil
	case "Binary":
		if len(a.BinaryValue) == 0 {
			return 0, errorf(CodeInvalidParameterValue, "Message (user) attribute '%s' must contain a non-empty value of type 'Binary'.", name)
		}
		return len(a.BinaryValue), nil
	}
	return 0, errorf(CodeInvalidParameterValue, "The type of message (user) attribute '%s' is invalid. You must use only the following supported type prefixes: Binary, Number, String.", name)
}

// isNumber accepts what SQS accepts for Number attributes: a decimal number
// of up to 38 significant digits, between -10^128 and +10^126.
func isNumber(s string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && f >= -1e128 && f <= 1e126
}

// checkSystemAttributes accepts only AWSTraceHeader, a String.
func checkSystemAttributes(attrs map[string]MessageAttribute) (int, error) {
	size := 0
	for name, a := range attrs {
		if name != "AWSTraceHeader" {
			return 0, errorf(CodeInvalidParameterValue, "Message system attribute name '%s' is invalid.", name)
		}
		if a.DataType != "String" || a.StringValue == nil || *a.StringValue == "" {
			return 0, errorf(CodeInvalidParameterValue, "Message system attribute '%s' must contain a non-empty value of type 'String'.", name)
		}
		size += len(name) + len(a.DataType) + len(*a.StringValue)
	}
	return size, nil
}

func checkFifoID(param string, v *string) error {
	if v != nil && !fifoIDRE.MatchString(*v) {
		return invalidValue(param, *v, fmt.Sprintf("%s can only include alphanumeric and punctuation characters. 1 to 128 in length.", param))
	}
	return nil
}
