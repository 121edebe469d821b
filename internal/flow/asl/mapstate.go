package asl

import (
	"fmt"
	"strings"
)

func (p *parser) mapState(st *State, raw map[string]any, loc string) {
	proc, ok := raw["ItemProcessor"].(map[string]any)
	field := "ItemProcessor"
	if !ok {
		proc, ok = raw["Iterator"].(map[string]any)
		field = "Iterator"
	}
	st.ProcessorMode = "INLINE"
	if !ok {
		p.fail(CodeSchema, loc, "The field 'ItemProcessor' is required but was missing")
	} else {
		if cfg, ok := proc["ProcessorConfig"].(map[string]any); ok {
			if m, ok := cfg["Mode"].(string); ok {
				st.ProcessorMode = m
			}
			st.ExecutionType, _ = cfg["ExecutionType"].(string)
		}
		st.Processor = p.machine(proc, loc+"/"+field, st.QueryLanguage, false)
	}
	st.ItemsPath = p.pathField(raw, "ItemsPath", loc)
	st.Items, st.HasItems = raw["Items"]
	st.ItemSelector, st.HasItemSelector = raw["ItemSelector"]
	if st.HasItemSelector {
		p.template(st, st.ItemSelector, loc+"/ItemSelector")
	}
	if r, ok := raw["ItemReader"].(map[string]any); ok {
		ir := &ItemReader{}
		ir.Resource, _ = r["Resource"].(string)
		ir.Parameters = r["Parameters"]
		ir.Arguments = r["Arguments"]
		ir.ReaderConfig, _ = r["ReaderConfig"].(map[string]any)
		st.ItemReader = ir
	}
	p.itemBatcher(st, raw, loc)
	st.ResultWriter, _ = raw["ResultWriter"].(map[string]any)
	st.MaxConcurrency = raw["MaxConcurrency"]
	st.MaxConcurrencyPath, _ = raw["MaxConcurrencyPath"].(string)
	st.ToleratedFailureCount = raw["ToleratedFailureCount"]
	st.ToleratedFailureCountPath, _ = raw["ToleratedFailureCountPath"].(string)
	st.ToleratedFailurePercentage = raw["ToleratedFailurePercentage"]
	st.ToleratedFailurePercentagePath, _ = raw["ToleratedFailurePercentagePath"].(string)
	if l, ok := raw["Label"].(string); ok {
		st.Label = l
		p.label(l)
	}
	p.retryCatch(st, raw, loc)
}

// label applies AWS's Map Label rules; AWS reports a bad label in a form
// of its own that quotes the whole definition.
func (p *parser) label(l string) {
	for _, r := range l {
		if isLabelInvalid(r) {
			msg := strings.ReplaceAll(pyRepr(r), `\`, `\\`)
			p.raw = fmt.Sprintf(`Error=ValueError Args=["Label contains invalid character: %s"] in definition '%s'.`, msg, p.text)
			return
		}
	}
	if len(l) > 40 && p.raw == "" {
		p.raw = fmt.Sprintf(`Error=ValueError Args=["Label cannot exceed 40 characters"] in definition '%s'.`, p.text)
	}
}

func isLabelInvalid(r rune) bool {
	if r <= 0x20 || (r >= 0x7f && r <= 0x9f) {
		return true
	}
	return strings.ContainsRune("<>{}[]?*\"#%\\^|~`$&,;:/", r)
}

// maxBatchBytes is AWS's cap on MaxInputBytesPerBatch: 256 KiB.
const maxBatchBytes = 256 * 1024

// itemBatcher checks a Distributed Map's ItemBatcher: at least one
// limit, each a positive integer (a JSONata expression in JSONata
// mode), a path or a value but not both.
func (p *parser) itemBatcher(st *State, raw map[string]any, loc string) {
	v, ok := raw["ItemBatcher"]
	if !ok {
		return
	}
	loc += "/ItemBatcher"
	b, ok := v.(map[string]any)
	if !ok {
		p.fail(CodeSchema, loc, "The value for the field 'ItemBatcher' must be an OBJECT")
		return
	}
	st.ItemBatcher = b
	if st.ProcessorMode != "DISTRIBUTED" {
		p.fail(CodeSchema, loc, "The field 'ItemBatcher' is only supported when the ProcessorConfig Mode is DISTRIBUTED")
	}
	for k := range b {
		switch k {
		case "MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput":
		default:
			p.fail(CodeSchema, loc, "Field '%s' is not supported", k)
		}
	}
	items := p.batchLimit(st, b, "MaxItemsPerBatch", 0, loc)
	bytes := p.batchLimit(st, b, "MaxInputBytesPerBatch", maxBatchBytes, loc)
	if !items && !bytes {
		p.fail(CodeSchema, loc, "At least one of the fields 'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch' or 'MaxInputBytesPerBatchPath' is required")
	}
	if bi, ok := b["BatchInput"]; ok {
		if _, isObj := bi.(map[string]any); !isObj && !st.JSONata() {
			p.fail(CodeSchema, loc+"/BatchInput", "The value for the field 'BatchInput' must be an OBJECT")
		}
		p.template(st, bi, loc+"/BatchInput")
	}
}

// batchLimit checks one ItemBatcher limit and reports whether it is set.
func (p *parser) batchLimit(st *State, b map[string]any, field string, most int, loc string) bool {
	v, hasV := b[field]
	pv, hasP := b[field+"Path"]
	if hasV && hasP {
		p.fail(CodeSchema, loc, "The fields '%s' and '%sPath' are mutually exclusive", field, field)
	}
	if hasP {
		if s, ok := pv.(string); !ok || s == "" {
			p.fail(CodeSchema, loc+"/"+field+"Path", "The value for the field '%sPath' must be a valid JSONPath", field)
		}
	}
	if hasV {
		if _, expr := v.(string); expr && st.JSONata() {
			return true
		}
		n, ok := number(v)
		if !ok || n < 1 || (most > 0 && n > int64(most)) {
			if most > 0 {
				p.fail(CodeSchema, loc+"/"+field, "The value for the field '%s' must be a positive integer no greater than %d", field, most)
			} else {
				p.fail(CodeSchema, loc+"/"+field, "The value for the field '%s' must be a positive integer", field)
			}
		}
	}
	return hasV || hasP
}
