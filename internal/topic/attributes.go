package topic

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/pattern"
	"github.com/fogbank/fogbank/internal/queue"
)

// MessageAttribute is an SNS message attribute.
type MessageAttribute struct {
	DataType    string
	StringValue *string
	BinaryValue []byte
}

func (a MessageAttribute) str() string {
	if a.StringValue == nil {
		return ""
	}
	return *a.StringValue
}

func (a MessageAttribute) baseType() string {
	base, _, _ := strings.Cut(a.DataType, ".")
	return base
}

// validateAttributes applies SNS's checks and returns the attributes' size.
func validateAttributes(attrs map[string]MessageAttribute) (int, error) {
	size := 0
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		if err := validateAttrName(name); err != nil {
			return 0, err
		}
		a := attrs[name]
		if err := validateAttrValue(name, a); err != nil {
			return 0, err
		}
		size += len(name) + len(a.DataType) + len(a.str()) + len(a.BinaryValue)
	}
	return size, nil
}

func validateAttrName(name string) error {
	switch {
	case name == "" || len(name) >= 256:
		return valueInvalid("Length of message attribute name must be less than 256 bytes.")
	case strings.HasPrefix(name, "."):
		return valueInvalid("Invalid message attribute name starting with character '.' was found.")
	case strings.HasSuffix(name, "."):
		return valueInvalid("Invalid message attribute name ending with character '.' was found.")
	case strings.Contains(name, ".."):
		return valueInvalid("Message attribute name can not have successive '.' character.")
	}
	for _, r := range name {
		ok := r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !ok {
			return valueInvalid(fmt.Sprintf("Invalid non-alphanumeric character '#x%X' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.", r))
		}
	}
	return nil
}

func validateAttrValue(name string, a MessageAttribute) error {
	base := a.baseType()
	prefix := "The message attribute '" + name + "'"
	switch base {
	case "String", "Number":
		if a.StringValue == nil && a.BinaryValue != nil {
			return valueInvalid(fmt.Sprintf("%s with type '%s' must use field 'String'.", prefix, base))
		}
		if a.str() == "" {
			return valueInvalid(fmt.Sprintf("%s must contain non-empty message attribute value for message attribute type '%s'.", prefix, base))
		}
		if base == "Number" {
			if _, err := strconv.ParseFloat(a.str(), 64); err != nil {
				return valueInvalid(fmt.Sprintf("Could not cast message attribute '%s' value to number.", name))
			}
		}
		if a.DataType == "String.Array" && !json.Valid([]byte(a.str())) {
			return valueInvalid(fmt.Sprintf("%s with type 'String.Array' must contain a JSON array.", prefix))
		}
	case "Binary":
		if a.BinaryValue == nil && a.StringValue != nil {
			return valueInvalid(prefix + " with type 'Binary' must use field 'Binary'.")
		}
		if len(a.BinaryValue) == 0 {
			return valueInvalid(prefix + " must contain non-empty message attribute value for message attribute type 'Binary'.")
		}
	default:
		return valueInvalid(prefix + " has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.")
	}
	return nil
}

// filterAttrs is the attributes' view for filter policies.
func filterAttrs(attrs map[string]MessageAttribute) map[string]pattern.Attribute {
	out := make(map[string]pattern.Attribute, len(attrs))
	for k, a := range attrs {
		out[k] = pattern.Attribute{DataType: a.DataType, StringValue: a.str()}
	}
	return out
}

// sqsAttrs maps SNS attributes to SQS message attributes (raw delivery).
func sqsAttrs(attrs map[string]MessageAttribute) map[string]queue.MessageAttribute {
	if len(attrs) == 0 {
		return nil
	}
	out := make(map[string]queue.MessageAttribute, len(attrs))
	for k, a := range attrs {
		qa := queue.MessageAttribute{DataType: a.DataType}
		if a.baseType() == "Binary" {
			qa.BinaryValue = a.BinaryValue
		} else {
			v := a.str()
			qa.StringValue = &v
		}
		out[k] = qa
	}
	return out
}
