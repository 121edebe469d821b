package engine

import (
	"encoding/json"
	"math"
	"strconv"
)

// maxBatchBytes is AWS's cap on a batch's serialised input: 256 KiB.
const maxBatchBytes = 256 * 1024

// batchLimits bounds one batch; zero means no bound of that kind.
type batchLimits struct{ items, bytes int }

// batchItems groups a Distributed Map's items into the inputs of its
// child executions, {"BatchInput": ..., "Items": [...]}. ItemSelector
// applies to each item before it is batched.
func (r *run) batchItems(items []any, eff any, states map[string]any) ([]any, *Failure) {
	lim, f := r.batchLimits(states)
	if f != nil {
		return nil, f
	}
	head, f := r.batchHead(eff, states)
	if f != nil {
		return nil, f
	}
	selected := make([]any, len(items))
	for i, item := range items {
		mapItem := map[string]any{"Index": json.Number(strconv.Itoa(i)), "Value": item}
		in, f := r.itemInput(item, mapItem, eff, states)
		if f != nil {
			return nil, f
		}
		selected[i] = in
	}
	return r.group(selected, head, lim)
}

// batchHead is a batch without items: {"BatchInput": ...} when the
// ItemBatcher has a BatchInput, else {}.
func (r *run) batchHead(eff any, states map[string]any) (map[string]any, *Failure) {
	tpl, ok := r.st.ItemBatcher["BatchInput"]
	if !ok {
		return map[string]any{}, nil
	}
	var v any
	var f *Failure
	if r.st.JSONata() {
		v, f = r.jsonataValue(tpl, "BatchInput", states)
	} else {
		v, f = r.template(tpl, eff)
	}
	if f != nil {
		return nil, f
	}
	return map[string]any{"BatchInput": v}, nil
}

// group cuts the items into batches, each within the limits. The size of
// a batch is that of its compact JSON text, counted as it grows.
func (r *run) group(items []any, head map[string]any, lim batchLimits) ([]any, *Failure) {
	empty := copyMap(head)
	empty["Items"] = []any{}
	base := len(encode(empty))
	var batches []any
	var cur []any
	size := base
	flush := func() {
		b := copyMap(head)
		b["Items"] = cur
		batches = append(batches, b)
		cur, size = nil, base
	}
	for _, item := range items {
		n := len(encode(item))
		if len(cur) > 0 {
			n++ // the comma
		}
		if len(cur) > 0 && ((lim.items > 0 && len(cur) >= lim.items) || (lim.bytes > 0 && size+n > lim.bytes)) {
			flush()
			n--
		}
		if lim.bytes > 0 && base+n > lim.bytes {
			return nil, r.runtime("The size of an item exceeds the maximum input bytes per batch of %d bytes.", lim.bytes)
		}
		cur = append(cur, item)
		size += n
	}
	if len(cur) > 0 {
		flush()
	}
	return batches, nil
}

// batchLimits evaluates MaxItemsPerBatch(Path) and
// MaxInputBytesPerBatch(Path); a byte limit above 256 KiB is capped.
func (r *run) batchLimits(states map[string]any) (batchLimits, *Failure) {
	items, f := r.batchLimit("MaxItemsPerBatch", states)
	if f != nil {
		return batchLimits{}, f
	}
	bytes, f := r.batchLimit("MaxInputBytesPerBatch", states)
	if f != nil {
		return batchLimits{}, f
	}
	if bytes == 0 || bytes > maxBatchBytes {
		bytes = maxBatchBytes
	}
	return batchLimits{items: items, bytes: bytes}, nil
}

// batchLimit evaluates one limit: 0 when absent, else a positive integer.
func (r *run) batchLimit(field string, states map[string]any) (int, *Failure) {
	b := r.st.ItemBatcher
	v, hasV := b[field]
	p, _ := b[field+"Path"].(string)
	if !hasV && p == "" {
		return 0, nil
	}
	n, f := r.mapNumber(v, p, field, states, true)
	if f != nil {
		return 0, f
	}
	if n != nil && *n >= 1 && *n == float64(int64(*n)) && *n <= math.MaxInt32 {
		return int(*n), nil
	}
	got := encode(v)
	if n != nil {
		got = jsonNumber(*n)
	}
	if p != "" {
		return 0, r.runtime("The %sPath field refers to value \"%s\" which is not a positive integer: %s", field, got, p)
	}
	return 0, r.runtime("The %s field must be a positive integer, but was: %s", field, got)
}
