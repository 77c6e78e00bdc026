/**
 * The reference page's content, read from the OpenAPI document (openapi.ts) so the page cannot
 * say anything the document does not: operations by tag, their parameters, and each named
 * schema's fields, with types written the way TypeScript would.
 */

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  format?: string;
  default?: unknown;
  maximum?: number;
  minimum?: number;
};

type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
type Operation = {
  operationId: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: Parameter[];
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

export type ReferenceField = { name: string; type: string; required: boolean; description: string | null; defaultValue?: string };
export type ReferenceOperation = {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string | null;
  parameters: (ReferenceField & { in: string })[];
  /** What a 200 answers, e.g. `Message` or `{ data: Message[], nextCursor: string | null }`. */
  response: string;
  errors: { status: string; description: string }[];
};
export type ReferenceSchema = { name: string; description: string | null; fields: ReferenceField[]; type: string };

export function buildReference(source: unknown) {
  const document = source as Document;
  const groups = new Map<string, ReferenceOperation[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags?.[0] ?? "Other";
      const ok = operation.responses["200"]?.content?.["application/json"]?.schema;
      const entry: ReferenceOperation = {
        id: operation.operationId,
        method: method.toUpperCase(),
        path,
        summary: operation.summary ?? operation.operationId,
        description: operation.description ?? null,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          in: parameter.in,
          required: Boolean(parameter.required),
          type: describeType(parameter.schema ?? {}),
          description: parameter.description ?? parameter.schema?.description ?? null,
          ...(parameter.schema?.default !== undefined ? { defaultValue: JSON.stringify(parameter.schema.default) } : {}),
        })),
        response: ok ? describeType(ok, { expand: true }) : "",
        errors: Object.entries(operation.responses)
          .filter(([status]) => status !== "200")
          .map(([status, response]) => ({ status, description: response.description })),
      };
      groups.set(tag, [...(groups.get(tag) ?? []), entry]);
    }
  }
  const schemas: ReferenceSchema[] = Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => ({
    name,
    description: schema.description ?? null,
    type: schema.properties ? "object" : describeType(schema),
    fields: fieldsOf(schema),
  }));
  return { groups: [...groups].map(([tag, operations]) => ({ tag, operations })), schemas };
}

function fieldsOf(schema: JsonSchema, prefix = ""): ReferenceField[] {
  if (!schema.properties) return [];
  return Object.entries(schema.properties).flatMap(([name, property]) => {
    const field: ReferenceField = {
      name: `${prefix}${name}`,
      type: describeType(property),
      required: schema.required?.includes(name) ?? false,
      description: property.description ?? null,
    };
    // Nested objects without a name of their own are listed field by field: `parts.expected`.
    const nested = unnamedObject(property);
    return nested ? [field, ...fieldsOf(nested, `${prefix}${name}.`)] : [field];
  });
}

function unnamedObject(schema: JsonSchema): JsonSchema | null {
  if (schema.properties) return schema;
  const options = schema.anyOf ?? schema.oneOf;
  const objects = options?.filter((option) => option.properties);
  return objects?.length === 1 ? objects[0]! : null;
}

/** A schema as a TypeScript-like type: `string | null`, `Message[]`, `"READ" | "READ_WRITE"`. */
export function describeType(schema: JsonSchema, { expand = false }: { expand?: boolean } = {}): string {
  if (schema.$ref) return schema.$ref.split("/").at(-1)!;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const options = schema.anyOf ?? schema.oneOf;
  if (options) return options.map((option) => describeType(option, { expand })).join(" | ");
  if (schema.allOf?.length === 1) return describeType(schema.allOf[0]!, { expand });
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return "any";
  return types
    .map((type) => {
      if (type === "array") return `${wrap(describeType(schema.items ?? {}))}[]`;
      if (type === "object" && schema.properties && expand) {
        return `{ ${Object.entries(schema.properties)
          .map(([name, property]) => `${name}: ${describeType(property)}`)
          .join(", ")} }`;
      }
      if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
        return `Record<string, ${describeType(schema.additionalProperties)}>`;
      }
      if (type === "string" && schema.format === "date-time") return "string (date-time)";
      if (type === "integer") return "integer";
      return type;
    })
    .join(" | ");
}

function wrap(type: string): string {
  return type.includes(" ") ? `(${type})` : type;
}
