/**
 * The subset of the ONNX protobuf schema the zoo writes, declared with protobufjs reflection. Field numbers
 * are those of the ONNX IR specification (onnx.proto); only the fields Sluice sets are declared, which is
 * enough because a protobuf reader skips nothing it does not see. Repeated scalars are encoded packed; ONNX
 * declares them proto2-style unpacked, and every conforming protobuf parser accepts both encodings.
 */
import protobuf from 'protobufjs';

/** ONNX `TensorProto.DataType` values the zoo uses. */
export const ONNX_DATA_TYPE = { FLOAT: 1 } as const;

/** ONNX `AttributeProto.AttributeType` values the zoo uses. */
export const ONNX_ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

/** Field numbers the streaming writer emits by hand (everything else goes through protobufjs). */
export const ONNX_FIELD = {
  /** ModelProto.graph */
  modelGraph: 7,
  /** GraphProto.initializer */
  graphInitializer: 5,
  /** TensorProto.raw_data */
  tensorRawData: 9,
} as const;

const repeated = 'repeated';

const schema = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            floats: { rule: repeated, type: 'float', id: 7 },
            ints: { rule: repeated, type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: repeated, type: 'string', id: 1 },
            output: { rule: repeated, type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: repeated, type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: repeated, type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: repeated, type: 'Dimension', id: 1 } },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
              },
            },
          },
        },
        TypeProto: {
          fields: { tensorType: { type: 'TensorTypeProto', id: 1 } },
        },
        // TypeProto.Tensor in onnx.proto; declared at top level because only its field numbers matter.
        TensorTypeProto: {
          fields: {
            elemType: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
            docString: { type: 'string', id: 3 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: repeated, type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: repeated, type: 'TensorProto', id: 5 },
            docString: { type: 'string', id: 10 },
            input: { rule: repeated, type: 'ValueInfoProto', id: 11 },
            output: { rule: repeated, type: 'ValueInfoProto', id: 12 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: repeated, type: 'OperatorSetIdProto', id: 8 },
          },
        },
      },
    },
  },
});

/** The reflected message types, resolved once at import. */
export const OnnxSchema = {
  ModelProto: schema.lookupType('onnx.ModelProto'),
  GraphProto: schema.lookupType('onnx.GraphProto'),
  TensorProto: schema.lookupType('onnx.TensorProto'),
} as const;

/** Bytes of a length-delimited field's key and length prefix: `(field << 3 | 2)` then the length, as varints. */
export function lengthDelimitedPrefix(field: number, byteLength: number): Uint8Array {
  return protobuf.Writer.create()
    .uint32(((field << 3) | 2) >>> 0)
    .uint32(byteLength)
    .finish();
}
