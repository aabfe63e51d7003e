// Validators for OIP response bodies against shared/specs/open-inference-protocol/open_inference_rest.yaml,
// built with ajv as the spec's README suggests. `binary: true` relaxes `data` on outputs, which the binary
// tensor extension (a Triton extension, not in the spec) leaves out.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const SPEC = resolve(
  import.meta.dirname,
  '../../../shared/specs/open-inference-protocol/open_inference_rest.yaml',
);

export interface OipSchema {
  readonly ajv: Ajv;
  /** The validator of one component schema, e.g. `inference_response`. */
  schema(name: string, options?: { binary?: boolean }): ValidateFunction;
  /** Null when `body` conforms, else ajv's error text. */
  errors(name: string, body: unknown, options?: { binary?: boolean }): string | null;
}

export function loadOipSchema(): OipSchema {
  const spec = parse(readFileSync(SPEC, 'utf8')) as {
    components: { schemas: Record<string, { required?: string[] }> };
  };
  const ajv = new Ajv({ strict: true, allErrors: true });
  // `components` only holds the schemas that $refs point into; `x-examples` is OpenAPI documentation.
  ajv.addKeyword('components');
  ajv.addKeyword('x-examples');
  ajv.addSchema({ $id: 'oip', components: spec.components });
  const relaxed = structuredClone(spec.components);
  relaxed.schemas.response_output!.required = (relaxed.schemas.response_output!.required ?? []).filter(
    (k) => k !== 'data',
  );
  ajv.addSchema({ $id: 'oip-binary', components: relaxed });
  const schema = (name: string, options: { binary?: boolean } = {}): ValidateFunction => {
    const validate = ajv.getSchema(
      `${options.binary === true ? 'oip-binary' : 'oip'}#/components/schemas/${name}`,
    );
    if (validate === undefined) throw new Error(`no schema ${name}`);
    return validate;
  };
  return {
    ajv,
    schema,
    errors(name, body, options) {
      const validate = schema(name, options);
      return validate(body) ? null : ajv.errorsText(validate.errors);
    },
  };
}
