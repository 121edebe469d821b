package schema

import (
	"strconv"
	"strings"
)

// tsBinding generates TypeScript3 code bindings: one class per type under
// <schema name>/ with an attributeTypeMap each, and a Marshaller that turns
// JSON into instances (date-times into Date) and back.
func tsBinding(m model, schemaName string) map[string][]byte {
	dir := goPackage(schemaName)
	files := map[string][]byte{}
	for _, t := range m.types {
		files[dir+"/"+t.name+".ts"] = []byte(tsClass(t))
	}
	var idx strings.Builder
	for _, t := range m.types {
		idx.WriteString("export { " + t.name + " } from './" + t.name + "';\n")
	}
	idx.WriteString("export { Marshaller } from './Marshaller';\n")
	files[dir+"/index.ts"] = []byte(idx.String())
	files[dir+"/Marshaller.ts"] = []byte(tsMarshaller(m))
	return files
}

func tsClass(t *objectType) string {
	var b strings.Builder
	imports := map[string]bool{}
	var body, typeMap strings.Builder
	for _, f := range t.fields {
		key := strconv.Quote(f.json)
		opt := "!"
		if !f.required {
			opt = "?"
		}
		body.WriteString("    " + key + opt + ": " + tsTypeRef(f.typ, imports) + ";\n")
		typeMap.WriteString("        { name: " + key + ", baseName: " + key + ", type: " + strconv.Quote(tsTypeName(f.typ)) + " },\n")
	}
	delete(imports, t.name)
	for _, n := range sortedKeys(imports) {
		b.WriteString("import { " + n + " } from './" + n + "';\n")
	}
	if len(imports) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("export class " + t.name + " {\n")
	b.WriteString(body.String())
	b.WriteString("\n    static discriminator: string | undefined = undefined;\n\n")
	b.WriteString("    static attributeTypeMap: Array<{ name: string, baseName: string, type: string }> = [\n")
	b.WriteString(typeMap.String())
	b.WriteString("    ];\n\n")
	b.WriteString("    static getAttributeTypeMap() {\n        return " + t.name + ".attributeTypeMap;\n    }\n}\n")
	return b.String()
}

func tsTypeRef(t typeRef, imports map[string]bool) string {
	switch t.kind {
	case "string":
		return "string"
	case "time":
		return "Date"
	case "integer", "number":
		return "number"
	case "boolean":
		return "boolean"
	case "array":
		return "Array<" + tsTypeRef(*t.elem, imports) + ">"
	case "object":
		imports[t.name] = true
		return t.name
	}
	return "any"
}

// tsTypeName is the type as the Marshaller's attributeTypeMap names it.
func tsTypeName(t typeRef) string {
	return tsTypeRef(t, map[string]bool{})
}

func tsMarshaller(m model) string {
	var b strings.Builder
	for _, t := range m.types {
		b.WriteString("import { " + t.name + " } from './" + t.name + "';\n")
	}
	b.WriteString("\nconst primitives = ['string', 'boolean', 'number', 'any'];\n\nconst typeMap: { [index: string]: any } = {\n")
	for _, t := range m.types {
		b.WriteString("    " + strconv.Quote(t.name) + ": " + t.name + ",\n")
	}
	b.WriteString(`};

export class Marshaller {
    public static marshal(data: any): string {
        return JSON.stringify(Marshaller.serialize(data, '` + m.root + `'));
    }

    public static unmarshalEvent(json: string): ` + m.root + ` {
        return Marshaller.deserialize(JSON.parse(json), '` + m.root + `');
    }

    public static serialize(data: any, type: string): any {
        if (data === undefined || data === null || primitives.indexOf(type.toLowerCase()) !== -1) {
            return data;
        }
        if (type === 'Date') {
            return (data as Date).toISOString().replace('.000Z', 'Z');
        }
        if (type.startsWith('Array<')) {
            const sub = type.substring(6, type.length - 1);
            return (data as any[]).map((d) => Marshaller.serialize(d, sub));
        }
        if (!typeMap[type]) {
            return data;
        }
        const out: { [index: string]: any } = {};
        for (const attr of typeMap[type].getAttributeTypeMap()) {
            if (data[attr.name] !== undefined) {
                out[attr.baseName] = Marshaller.serialize(data[attr.name], attr.type);
            }
        }
        return out;
    }

    public static deserialize(data: any, type: string): any {
        if (data === undefined || data === null || primitives.indexOf(type.toLowerCase()) !== -1) {
            return data;
        }
        if (type === 'Date') {
            return new Date(data);
        }
        if (type.startsWith('Array<')) {
            const sub = type.substring(6, type.length - 1);
            return (data as any[]).map((d) => Marshaller.deserialize(d, sub));
        }
        if (!typeMap[type]) {
            return data;
        }
        const out = new typeMap[type]();
        for (const attr of typeMap[type].getAttributeTypeMap()) {
            if (data[attr.baseName] !== undefined) {
                out[attr.name] = Marshaller.deserialize(data[attr.baseName], attr.type);
            }
        }
        return out;
    }
}
`)
	return b.String()
}
