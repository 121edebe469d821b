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
	st.ItemBatcher, _ = raw["ItemBatcher"].(map[string]any)
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
